import type { ApiApp } from '../http/server.js';
import type { AppContext } from '../context.js';
import type { DomainEventListener } from '../platform/outbox.js';
import type { JobHandler } from '../platform/jobs.js';
import type { JsonObject } from '../platform/schema.js';

/**
 * The module registry: each domain module contributes API routes (mounted under /api/v1),
 * page routes (customer-facing HTML), domain-event listeners and job handlers.
 * Adding a module is one line here.
 */
export interface RouteModule {
  name: string;
  routes(app: ApiApp, ctx: AppContext): void | Promise<void>;
}

export const apiModules: RouteModule[] = [];
export const pageModules: RouteModule[] = [];
export const domainListeners: DomainEventListener[] = [];
export const jobHandlers: JobHandler<JsonObject>[] = [];
