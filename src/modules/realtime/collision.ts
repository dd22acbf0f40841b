import type { LiveSignal } from './bus.js';

/**
 * Who is looking at or typing on a case, across every process (collision detection). Built from
 * live signals only, in memory, never stored: a viewer not refreshed within `ttlMs` (its process
 * died, its socket vanished) drops out by itself.
 */

export interface CaseViewer {
  agent_id: string;
  name: string;
  typing: boolean;
}

interface Entry {
  agentId: string;
  name: string;
  seenAt: number;
  typingUntil: number;
}

export class CollisionBoard {
  /** `${workspaceId}:${caseId}` -> connection id -> viewer. */
  private readonly cases = new Map<string, Map<string, Entry>>();

  constructor(
    private readonly ttlMs: number,
    private readonly typingMs: number,
  ) {}

  /** Applies an agent's signal; returns whether the case's viewer list changed. */
  apply(signal: LiveSignal, now = Date.now()): boolean {
    if (signal.from !== 'agent' || !signal.agentId) return false;
    const key = `${signal.workspaceId}:${signal.caseId}`;
    const viewers = this.cases.get(key) ?? new Map<string, Entry>();
    const before = this.snapshot(viewers, now);
    if (signal.kind === 'left') viewers.delete(signal.connectionId);
    else {
      const entry = viewers.get(signal.connectionId) ?? { agentId: signal.agentId, name: signal.name ?? '', seenAt: now, typingUntil: 0 };
      entry.seenAt = now;
      if (signal.kind === 'typing') entry.typingUntil = now + this.typingMs;
      viewers.set(signal.connectionId, entry);
    }
    if (viewers.size === 0) this.cases.delete(key);
    else this.cases.set(key, viewers);
    return before !== this.snapshot(viewers, now);
  }

  /** The agents on a case, one line per agent (typing when any of their connections types). */
  viewersOf(workspaceId: string, caseId: string, now = Date.now()): CaseViewer[] {
    const viewers = this.cases.get(`${workspaceId}:${caseId}`);
    if (!viewers) return [];
    const byAgent = new Map<string, CaseViewer>();
    for (const entry of viewers.values()) {
      if (now - entry.seenAt > this.ttlMs) continue;
      const known = byAgent.get(entry.agentId);
      const typing = entry.typingUntil > now;
      if (known) known.typing ||= typing;
      else byAgent.set(entry.agentId, { agent_id: entry.agentId, name: entry.name, typing });
    }
    return [...byAgent.values()].sort((a, b) => a.agent_id.localeCompare(b.agent_id));
  }

  /** Drops expired viewers and ended typing; returns the cases whose list changed. */
  expire(now = Date.now()): { workspaceId: string; caseId: string }[] {
    const changed: { workspaceId: string; caseId: string }[] = [];
    for (const [key, viewers] of this.cases) {
      let touched = false;
      for (const [id, entry] of viewers) {
        if (now - entry.seenAt > this.ttlMs) {
          viewers.delete(id);
          touched = true;
        } else if (entry.typingUntil !== 0 && entry.typingUntil <= now) {
          entry.typingUntil = 0;
          touched = true;
        }
      }
      if (viewers.size === 0) this.cases.delete(key);
      if (touched) {
        const [workspaceId, caseId] = key.split(':') as [string, string];
        changed.push({ workspaceId, caseId });
      }
    }
    return changed;
  }

  private snapshot(viewers: Map<string, Entry>, now: number): string {
    return JSON.stringify(
      [...viewers.values()].map((e) => [e.agentId, e.typingUntil > now]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
  }
}
