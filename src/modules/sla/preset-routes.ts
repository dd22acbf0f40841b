import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { agentOf } from '../../http/authenticate.js';
import { Closed, Uuid } from '../../http/schemas.js';
import type { ApiApp } from '../../http/server.js';
import { getCasePreset } from './case-preset.js';
import { disablePreset, enablePreset, getPreset, listPresets } from './preset-service.js';
import { CasePresetViewSchema, EnablePresetBody, PresetParams, PresetPolicyViewSchema, PresetViewSchema } from './preset-views.js';

/** Regulatory SLA presets: agents read them, admins switch them on and off; a case's preset letters. */

const tags = ['sla'];

export function presetRoutes(app: ApiApp, ctx: AppContext): void {
  app.get(
    '/sla-presets',
    {
      schema: {
        tags,
        summary: 'Regulatory SLA presets and whether this workspace has switched them on',
        response: { 200: Type.Object({ data: Type.Array(PresetViewSchema) }) },
      },
    },
    async (request) => listPresets(ctx.db, agentOf(request)),
  );

  app.get(
    '/sla-presets/:key',
    {
      schema: {
        tags,
        summary: 'One regulatory SLA preset with its letter templates',
        params: PresetParams,
        response: { 200: PresetViewSchema },
      },
    },
    async (request) => getPreset(ctx.db, agentOf(request), request.params.key),
  );

  app.post(
    '/sla-presets/:key/enable',
    {
      schema: {
        tags,
        summary: 'Switch a preset on (admin): 201 creates its policy, tried first; 200 when it existed already',
        params: PresetParams,
        body: EnablePresetBody,
        response: { 200: PresetPolicyViewSchema, 201: PresetPolicyViewSchema },
      },
    },
    async (request, reply) => {
      const result = await enablePreset(ctx.db, agentOf(request), request.params.key, request.body ?? {});
      return reply.code(result.statusCode).send(result.body);
    },
  );

  app.post(
    '/sla-presets/:key/disable',
    {
      schema: {
        tags,
        summary: 'Switch a preset off (admin): its policy is disabled and kept',
        params: PresetParams,
        response: { 200: PresetViewSchema },
      },
    },
    async (request) => disablePreset(ctx.db, agentOf(request), request.params.key),
  );

  app.get(
    '/cases/:caseId/sla/preset',
    {
      schema: {
        tags,
        summary: "The regulatory preset of the case's SLA policy: business-day window and required letters filled for the case",
        params: Closed({ caseId: Uuid }),
        response: { 200: CasePresetViewSchema },
      },
    },
    async (request) => getCasePreset(ctx.db, agentOf(request), request.params.caseId),
  );
}
