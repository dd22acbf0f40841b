import crypto from 'node:crypto';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { enqueueJob, type JobHandler } from '../../platform/jobs.js';
import type { JsonObject } from '../../platform/schema.js';
import type { CaseView } from '../cases/service.js';
import type { RuleOrigin } from './actions.js';
import { previousAttempts, recordDeliveryAttempt, type DeliveryAttempt } from './webhook-deliveries.js';
import { postWebhook, WebhookDeliveryError } from './webhook-egress.js';
import { readWebhookSecret, webhookHeaders } from './webhook-secrets.js';

/**
 * The webhook action: a durable job POSTs `{event, rule, case}` as JSON, signed with the rule's
 * secret in the Standard Webhooks format (`webhook-id`, `webhook-timestamp`, `webhook-signature`),
 * 10 s timeout. A network error, a
 * timeout or a non-2xx answer is retried with exponential backoff and jitter (the job queue);
 * an address that is not allowed or a rule without a secret is given up at once.
 */

export const WEBHOOK_QUEUE = 'automation.webhook';
export const WEBHOOK_TIMEOUT_MS = 10_000;
export const WEBHOOK_MAX_ATTEMPTS = 6;

interface WebhookJobPayload extends JsonObject {
  workspace_id: string;
  rule_kind: RuleOrigin['kind'];
  rule_id: string;
  case_id: string;
  delivery_id: string;
  url: string;
  body: string;
}

/** Queued in the rule's transaction: no call happens unless the rule's changes commit. */
export async function enqueueWebhookDelivery(
  tx: Db,
  actor: Actor,
  input: { url: string; kase: CaseView; origin: RuleOrigin },
): Promise<Record<string, unknown>> {
  const { origin, kase } = input;
  const body = JSON.stringify({
    event: origin.event ? { id: origin.event.id, type: origin.event.type } : { id: null, type: 'automation.scheduled' },
    rule: { kind: origin.kind, id: origin.ruleId, name: origin.ruleName },
    case: kase,
  });
  const payload: WebhookJobPayload = {
    workspace_id: actor.workspaceId,
    rule_kind: origin.kind,
    rule_id: origin.ruleId,
    case_id: kase.id,
    delivery_id: crypto.randomUUID(),
    url: input.url,
    body,
  };
  await enqueueJob(tx, WEBHOOK_QUEUE, payload, { maxAttempts: WEBHOOK_MAX_ATTEMPTS });
  return { url: input.url, queued: true };
}

export function automationWebhookJob(ctx: AppContext): JobHandler<WebhookJobPayload> {
  return {
    queue: WEBHOOK_QUEUE,
    lockSeconds: 60,
    async run(payload, db) {
      const attempt = (await previousAttempts(db, payload.delivery_id)) + 1;
      const log = (entry: Pick<DeliveryAttempt, 'outcome' | 'statusCode' | 'error' | 'durationMs'>) =>
        recordDeliveryAttempt(db, {
          workspaceId: payload.workspace_id,
          ruleKind: payload.rule_kind,
          ruleId: payload.rule_id,
          caseId: payload.case_id ?? null,
          deliveryId: payload.delivery_id,
          url: payload.url,
          attempt,
          ...entry,
        });
      const last = attempt >= WEBHOOK_MAX_ATTEMPTS;
      const secret = await readWebhookSecret(ctx.secret, db, payload.workspace_id, payload.rule_kind, payload.rule_id);
      if (!secret) {
        await log({ outcome: 'given_up', statusCode: null, error: 'The rule has no signing secret any more', durationMs: 0 });
        return;
      }
      const started = Date.now();
      let status: number;
      try {
        status = await postWebhook({
          url: payload.url,
          body: payload.body,
          timeoutMs: WEBHOOK_TIMEOUT_MS,
          allowPrivate: ctx.config.webhookAllowPrivate === true,
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Baton-Webhook/1',
            ...webhookHeaders(secret, payload.delivery_id, payload.body),
          },
        });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const retryable = !(error instanceof WebhookDeliveryError && !error.retryable);
        await log({
          outcome: retryable && !last ? 'failed' : 'given_up',
          statusCode: null,
          error: message,
          durationMs: Date.now() - started,
        });
        if (!retryable) {
          ctx.logger.warn({ ruleId: payload.rule_id, err: error }, 'automation webhook refused; not retried');
          return;
        }
        throw error;
      }
      const ok = status >= 200 && status < 300;
      await log({
        outcome: ok ? 'delivered' : last ? 'given_up' : 'failed',
        statusCode: status,
        error: ok ? null : `HTTP ${status}`,
        durationMs: Date.now() - started,
      });
      if (!ok) throw new Error(`webhook answered HTTP ${status}`);
    },
  };
}
