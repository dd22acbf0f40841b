-- Regulatory SLA presets (src/modules/sla/presets.ts): a policy created from a preset carries the
-- preset's key, so a workspace has at most one policy per preset (enabling twice finds it again)
-- and the case SLA panel can show the preset's required letters. preset_schedule_id: the business
-- hours the preset's business-day rules count in (FCA: the three-business-day summary resolution
-- window) while the policy itself counts calendar time.
ALTER TABLE sla_policies ADD COLUMN preset text NULL CHECK (preset IS NULL OR char_length(preset) BETWEEN 1 AND 60);
ALTER TABLE sla_policies ADD COLUMN preset_schedule_id uuid NULL REFERENCES sla_schedules(id) ON DELETE SET NULL;

CREATE UNIQUE INDEX sla_policies_preset ON sla_policies (workspace_id, preset) WHERE preset IS NOT NULL;
