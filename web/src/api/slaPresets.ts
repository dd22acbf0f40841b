import { request } from './http';
import type { EscalationAction, Policy, PolicyTargets, TimeBasis } from './sla';

/** Regulatory SLA presets (GET/POST /sla-presets) and the preset letters of a case. */

export interface PresetLetter {
  key: string;
  name: string;
  when: string;
  subject: string;
  body: string;
}

export interface SlaPreset {
  key: string;
  name: string;
  jurisdiction: string;
  regulation: string;
  description: string;
  default_tag: string;
  time_basis: TimeBasis;
  targets: PolicyTargets;
  pause_statuses: string[];
  warning_minutes: number;
  escalations: { warning: EscalationAction[]; breach: EscalationAction[] };
  business_day_rule: { letter: string; business_days: number; description: string } | null;
  enabled: boolean;
  policy_id: string | null;
  schedule_id: string | null;
  letters: PresetLetter[];
}

export interface CasePreset {
  preset: {
    key: string;
    name: string;
    jurisdiction: string;
    regulation: string;
    received_at: string;
    business_day_window: {
      letter: string;
      business_days: number;
      description: string;
      last_day: string;
      ends_at: string;
      time_zone: string;
      open: boolean;
    } | null;
    letters: PresetLetter[];
  } | null;
}

const enc = encodeURIComponent;

export const slaPresets = {
  list: (signal?: AbortSignal) => request<{ data: SlaPreset[] }>('GET', '/sla-presets', { signal }),
  enable: (key: string, input: { tag?: string; schedule_id?: string } = {}) =>
    request<{ preset: SlaPreset; policy: Policy; macros: { letter: string; macro_id: string; name: string }[] }>(
      'POST',
      `/sla-presets/${enc(key)}/enable`,
      { body: input },
    ),
  disable: (key: string) => request<SlaPreset>('POST', `/sla-presets/${enc(key)}/disable`, { body: {} }),
  ofCase: (caseId: string, signal?: AbortSignal) => request<CasePreset>('GET', `/cases/${enc(caseId)}/sla/preset`, { signal }),
};
