import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { agentOf } from '../../http/authenticate.js';
import { idempotencyGuard } from '../../http/idempotency-guard.js';
import { Closed, IdempotencyHeaders, Page, PageQuery } from '../../http/schemas.js';
import type { ApiApp } from '../../http/server.js';
import { withIdempotency } from '../../platform/idempotency.js';
import { CaseViewSchema } from '../cases/service.js';
import { applyMacro, previewMacro } from './apply.js';
import { createMacro, deleteMacro, getMacro, listMacros, updateMacro } from './macros.js';
import { CASE_PLACEHOLDERS } from './placeholders.js';
import { MACRO_VISIBILITIES } from './schema.js';
import { FieldChangeSchema, MacroChangesSchema, MacroViewSchema } from './views.js';

const Name = Type.String({ minLength: 1, maxLength: 100 });
const Description = Type.String({ maxLength: 500 });
const Body = Type.String({ maxLength: 20_000, description: 'Reply template; placeholders like {{customer.first_name}}' });
const Visibility = Type.Enum([...MACRO_VISIBILITIES]);
const MacroParams = Closed({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const CaseMacroParams = Closed({
  caseId: Type.String({ minLength: 1, maxLength: 64 }),
  macroId: Type.String({ minLength: 1, maxLength: 64 }),
});

const CreateBody = Closed({
  name: Name,
  description: Type.Optional(Description),
  body: Type.Optional(Body),
  visibility: Type.Optional(Visibility),
  changes: Type.Optional(MacroChangesSchema),
  shared: Type.Optional(Type.Boolean({ description: 'Shared with the workspace (supervisors and admins only); default personal' })),
});

const UpdateBody = Closed({
  version: Type.Integer({ minimum: 1 }),
  name: Type.Optional(Name),
  description: Type.Optional(Description),
  body: Type.Optional(Body),
  visibility: Type.Optional(Visibility),
  changes: Type.Optional(MacroChangesSchema),
  shared: Type.Optional(Type.Boolean()),
});

const PreviewResponse = Type.Object({
  macro: MacroViewSchema,
  body: Type.String({ description: 'The reply rendered for this case (plain text); placeholders without a value stay as {{name}}' }),
  visibility: Visibility,
  changes: Type.Array(FieldChangeSchema, { description: 'The fields that change (or would change)' }),
});

export function macroRoutes(app: ApiApp, ctx: AppContext): void {
  app.get(
    '/macros',
    {
      schema: {
        tags: ['macros'],
        summary: "Shared macros and the agent's own personal ones, by name",
        querystring: Closed({
          q: Type.Optional(Type.String({ maxLength: 200, description: 'Searches name, description and reply text' })),
          scope: Type.Optional(Type.Enum(['shared', 'personal', 'all'])),
          ...PageQuery,
        }),
        response: { 200: Page(MacroViewSchema) },
      },
    },
    async (request) => listMacros(ctx.db, agentOf(request), request.query),
  );

  app.get(
    '/macros/placeholders',
    {
      schema: {
        tags: ['macros'],
        summary: 'The placeholders reply templates may use',
        response: { 200: Type.Object({ data: Type.Array(Type.Object({ name: Type.String(), description: Type.String() })) }) },
      },
    },
    async () => ({ data: CASE_PLACEHOLDERS.map((p) => ({ name: p.name, description: p.description })) }),
  );

  app.post(
    '/macros',
    {
      schema: {
        tags: ['macros'],
        summary: 'Create a macro (personal, or shared with the workspace)',
        headers: IdempotencyHeaders,
        body: CreateBody,
        response: { 201: MacroViewSchema },
      },
    },
    async (request, reply) => {
      const actor = agentOf(request);
      const result = await withIdempotency(ctx.db, idempotencyGuard(request, actor), async (tx) => ({
        statusCode: 201,
        body: await createMacro(tx, actor, request.body),
      }));
      return reply.status(result.statusCode as 201).send(result.body);
    },
  );

  app.get(
    '/macros/:id',
    { schema: { tags: ['macros'], summary: 'One macro', params: MacroParams, response: { 200: MacroViewSchema } } },
    async (request) => getMacro(ctx.db, agentOf(request), request.params.id),
  );

  app.patch(
    '/macros/:id',
    {
      schema: {
        tags: ['macros'],
        summary: 'Change a macro (with the version read; 409 when stale)',
        params: MacroParams,
        body: UpdateBody,
        response: { 200: MacroViewSchema },
      },
    },
    async (request) => updateMacro(ctx.db, agentOf(request), request.params.id, request.body),
  );

  app.delete(
    '/macros/:id',
    { schema: { tags: ['macros'], summary: 'Delete a macro', params: MacroParams, response: { 204: Type.Null() } } },
    async (request, reply) => {
      await deleteMacro(ctx.db, agentOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/cases/:caseId/macros/:macroId/preview',
    {
      schema: {
        tags: ['macros'],
        summary: 'The rendered reply and the field changes of a macro on a case, changing nothing',
        params: CaseMacroParams,
        response: { 200: PreviewResponse },
      },
    },
    async (request) => previewMacro(ctx.db, agentOf(request), request.params.caseId, request.params.macroId),
  );

  app.post(
    '/cases/:caseId/macros/:macroId/apply',
    {
      schema: {
        tags: ['macros'],
        summary: "Apply a macro's field changes to a case; returns the case and the rendered reply (not sent)",
        params: CaseMacroParams,
        body: Closed({
          case_version: Type.Optional(Type.Integer({ minimum: 1, description: 'The case version read; 409 when stale' })),
        }),
        response: { 200: Type.Object({ ...PreviewResponse.properties, case: CaseViewSchema }) },
      },
    },
    async (request) =>
      applyMacro(ctx.db, agentOf(request), request.params.caseId, request.params.macroId, { caseVersion: request.body.case_version }),
  );
}
