/**
 * Every call the web app makes to the Baton API. Pages import from here only,
 * so the request and response shapes live in one module (see types.ts).
 */
import { API_BASE, asList, asPage, request } from './http';
import { CASE_FILTER_KEYS } from './types';
import type {
  Agent,
  AgentRole,
  ApiToken,
  BulkChanges,
  CaseCategory,
  CaseChanges,
  CaseDetail,
  CaseEvent,
  CaseFilters,
  CaseListQuery,
  CaseRow,
  CaseSort,
  CaseStatus,
  CreatedApiToken,
  Customer,
  CustomerChanges,
  CustomerMerge,
  EmailPreferences,
  InboundMail,
  InboundMailDetail,
  InboundMailStatus,
  Invitation,
  ItemPage,
  Mailbox,
  MailboxChanges,
  MeChanges,
  Message,
  MessageEmail,
  NewCase,
  NewMailbox,
  OutboundMail,
  OutboundMailDetail,
  OutboundMailKind,
  OutboundMailStatus,
  NewIdentity,
  Page,
  Presence,
  Queue,
  Ref,
  SearchResults,
  Session,
  Team,
  TimelineItem,
  UploadedAttachment,
  View,
  Visibility,
} from './types';

const enc = encodeURIComponent;

export interface BulkItemResult {
  id: string;
  ok: boolean;
  error?: { code: string; message: string };
}
type BulkResponse = BulkItemResult[] | { results?: BulkItemResult[]; data?: BulkItemResult[] } | null;
export interface BulkOutcome {
  updated: number;
  failed: BulkItemResult[];
}

// ---------- auth and me ----------

export const auth = {
  login: (email: string, password: string) => request<Session>('POST', '/auth/login', { body: { email, password }, quiet401: true }),
  session: () => request<Session>('GET', '/auth/session', { quiet401: true }),
  logout: () => request<unknown>('POST', '/auth/logout', { quiet401: true }),
  acceptInvitation: (token: string, password: string) =>
    request<Session>('POST', '/auth/accept-invitation', { body: { token, password }, quiet401: true }),
};

export const me = {
  get: () => request<Agent>('GET', '/me'),
  setPresence: (presence: Presence) => request<Agent>('PUT', '/me/presence', { body: { presence } }),
  update: (changes: MeChanges) => request<Agent>('PATCH', '/me', { body: changes }),
  /** Signs out the agent's other sessions; 422 agent.wrong_password when the current one is wrong. */
  changePassword: (currentPassword: string, newPassword: string) =>
    request<null>('PUT', '/me/password', { body: { current_password: currentPassword, new_password: newPassword } }),
  emailPreferences: (signal?: AbortSignal) => request<EmailPreferences>('GET', '/me/email-preferences', { signal }),
  setEmailPreferences: (preferences: EmailPreferences) => request<EmailPreferences>('PUT', '/me/email-preferences', { body: preferences }),
};

// ---------- cases ----------

function caseQuery(query: CaseListQuery): Record<string, string | number | undefined> {
  const out: Record<string, string | number | undefined> = {};
  for (const key of CASE_FILTER_KEYS) out[key] = query[key];
  return { ...out, sort: query.sort, limit: query.limit, cursor: query.cursor };
}

export const cases = {
  list: (query: CaseListQuery, signal?: AbortSignal) =>
    request<Page<CaseRow>>('GET', '/cases', { query: caseQuery(query), signal }).then(asPage),
  create: (input: NewCase) => request<CaseDetail>('POST', '/cases', { body: input, idempotent: true }),
  /** `ref` is the case id or its number. */
  get: (ref: string | number, signal?: AbortSignal) => request<CaseDetail>('GET', `/cases/${enc(String(ref))}`, { signal }),
  update: (id: string, version: number, changes: CaseChanges) =>
    request<CaseDetail>('PATCH', `/cases/${enc(id)}`, { body: { version, ...changes } }),
  messages: (id: string, cursor?: string, signal?: AbortSignal) =>
    request<Page<Message>>('GET', `/cases/${enc(id)}/messages`, { query: { cursor, limit: 100 }, signal }).then(asPage),
  addMessage: (id: string, input: { body: string; visibility: Visibility; status_after?: CaseStatus; attachment_ids?: string[] }) =>
    request<{ message: Message; case: CaseDetail }>('POST', `/cases/${enc(id)}/messages`, { body: input, idempotent: true }),
  events: (id: string, signal?: AbortSignal) =>
    request<CaseEvent[] | Page<CaseEvent>>('GET', `/cases/${enc(id)}/events`, { signal }).then(asList),
  /** Each case changes on its own: some may fail (closed, illegal transition) while others succeed. */
  bulk: (caseIds: string[], changes: BulkChanges) =>
    request<BulkResponse>('POST', '/cases/bulk', { body: { case_ids: caseIds, changes } }).then((r): BulkOutcome => {
      const results = Array.isArray(r) ? r : (r?.results ?? r?.data);
      if (!results) return { updated: caseIds.length, failed: [] };
      const failed = results.filter((x) => !x.ok);
      return { updated: results.length - failed.length, failed };
    }),
  /** Follows the case as the signed-in agent; answers the followers. */
  follow: (id: string) => request<{ followers: Ref[] }>('POST', `/cases/${enc(id)}/followers`),
  unfollow: (id: string, agentId: string) => request<{ followers: Ref[] }>('DELETE', `/cases/${enc(id)}/followers/${enc(agentId)}`),
  /** Merges `sourceCaseId` INTO `targetId`: the source is closed, its messages move to the target. */
  merge: (targetId: string, sourceCaseId: string) =>
    request<CaseDetail>('POST', `/cases/${enc(targetId)}/merge`, { body: { source_case_id: sourceCaseId } }),
  /** Moves the messages into a new case of the same customer; answers the new case. */
  split: (id: string, messageIds: string[], subject: string) =>
    request<CaseDetail>('POST', `/cases/${enc(id)}/split`, { body: { message_ids: messageIds, subject }, idempotent: true }),
};

// ---------- attachments ----------

export const attachments = {
  /** Uploads files before a message names them in attachment_ids. */
  upload: (files: File[]) => {
    const form = new FormData();
    for (const file of files) form.append('file', file, file.name);
    return request<UploadedAttachment[]>('POST', '/attachments', { body: form, idempotent: true });
  },
};

// ---------- views ----------

export const views = {
  list: (signal?: AbortSignal) => request<Page<View> | View[]>('GET', '/views', { signal }).then(asList),
  cases: (id: string, query: { sort?: CaseSort; limit?: number; cursor?: string }, signal?: AbortSignal) =>
    request<Page<CaseRow>>('GET', `/views/${enc(id)}/cases`, { query, signal }).then(asPage),
  create: (input: { name: string; filters: CaseFilters; sort?: CaseSort; shared?: boolean }) =>
    request<View>('POST', '/views', { body: input, idempotent: true }),
  remove: (id: string) => request<unknown>('DELETE', `/views/${enc(id)}`),
};

// ---------- search ----------

export const search = {
  all: (q: string, signal?: AbortSignal) =>
    request<Partial<SearchResults>>('GET', '/search', { query: { q, type: 'all' }, signal }).then((r): SearchResults => ({
      cases: r.cases ?? [],
      customers: r.customers ?? [],
    })),
};

// ---------- customers ----------

export const customers = {
  list: (query: { q?: string; cursor?: string; limit?: number }, signal?: AbortSignal) =>
    request<Page<Customer>>('GET', '/customers', { query, signal }).then(asPage),
  get: (id: string, signal?: AbortSignal) => request<Customer>('GET', `/customers/${enc(id)}`, { signal }),
  update: (id: string, version: number, changes: CustomerChanges) =>
    request<Customer>('PATCH', `/customers/${enc(id)}`, { body: { version, ...changes } }),
  addIdentity: (id: string, identity: NewIdentity) => request<Customer>('POST', `/customers/${enc(id)}/identities`, { body: identity }),
  removeIdentity: (id: string, identityId: string) => request<Customer>('DELETE', `/customers/${enc(id)}/identities/${enc(identityId)}`),
  makePrimary: (id: string, identityId: string) => request<Customer>('POST', `/customers/${enc(id)}/identities/${enc(identityId)}/primary`),
  timeline: (id: string, cursor?: string, signal?: AbortSignal) =>
    request<Page<TimelineItem>>('GET', `/customers/${enc(id)}/timeline`, { query: { cursor, limit: 50 }, signal }).then(asPage),
  /** Merges `sourceCustomerId` INTO `targetId`; undoable. */
  merge: (targetId: string, sourceCustomerId: string) =>
    request<CustomerMerge>('POST', `/customers/${enc(targetId)}/merge`, {
      body: { source_customer_id: sourceCustomerId },
      idempotent: true,
    }),
  merges: (id: string, signal?: AbortSignal) =>
    request<Page<CustomerMerge>>('GET', `/customers/${enc(id)}/merges`, { query: { limit: 100 }, signal }).then(asPage),
  undoMerge: (mergeId: string) => request<CustomerMerge>('POST', `/customer-merges/${enc(mergeId)}/undo`),
};

// ---------- admin ----------

/** Follows next_cursor to the end: agent and team lists are short, and pickers need them whole. */
async function allPages<T>(path: string, signal?: AbortSignal): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 50; i++) {
    const page = asPage(await request<Page<T> | T[]>('GET', path, { query: { limit: 100, cursor }, signal }));
    items.push(...page.data);
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
  return items;
}

export const agents = {
  list: (signal?: AbortSignal) => allPages<Agent>('/agents', signal),
  invite: (input: { email: string; name: string; role: AgentRole }) =>
    request<Invitation>('POST', '/agents/invitations', { body: input, idempotent: true }),
  update: (id: string, changes: { name?: string; role?: AgentRole; status?: 'active' | 'deactivated'; capacity?: number }) =>
    request<Agent>('PATCH', `/agents/${enc(id)}`, { body: changes }),
};

export const teams = {
  list: (signal?: AbortSignal) => allPages<Team>('/teams', signal),
  create: (input: { name: string; description?: string; auto_assign?: boolean }) =>
    request<Team>('POST', '/teams', { body: input, idempotent: true }),
  update: (id: string, changes: { name?: string; description?: string; auto_assign?: boolean }) =>
    request<Team>('PATCH', `/teams/${enc(id)}`, { body: changes }),
  setMembers: (id: string, agentIds: string[]) => request<Team>('PUT', `/teams/${enc(id)}/members`, { body: { agent_ids: agentIds } }),
  addQueue: (id: string, input: { name: string; categories: CaseCategory[] }) =>
    request<Queue>('POST', `/teams/${enc(id)}/queues`, { body: input, idempotent: true }),
};

export const apiTokens = {
  list: (signal?: AbortSignal) => allPages<ApiToken>('/api-tokens', signal),
  create: (name: string) => request<CreatedApiToken>('POST', '/api-tokens', { body: { name }, idempotent: true }),
  revoke: (id: string) => request<unknown>('DELETE', `/api-tokens/${enc(id)}`),
};

// ---------- email channel ----------

/** The email routes answer `{items, next_cursor}`; older routes `{data, next_cursor}`. Accept both. */
function itemPage<T>(payload: ItemPage<T> | Page<T> | T[] | null | undefined): Page<T> {
  if (payload && !Array.isArray(payload) && 'items' in payload) return { data: payload.items, next_cursor: payload.next_cursor ?? null };
  return asPage(payload as Page<T> | T[] | null | undefined);
}

/** A same-origin link the browser downloads with the session cookie (GET needs no CSRF token). */
const downloadUrl = (path: string) => `${API_BASE}${path}`;

export const mailboxes = {
  list: (signal?: AbortSignal) => request<ItemPage<Mailbox> | Page<Mailbox>>('GET', '/mailboxes', { signal }).then((r) => itemPage(r).data),
  create: (input: NewMailbox) => request<Mailbox>('POST', '/mailboxes', { body: input, idempotent: true }),
  update: (id: string, changes: MailboxChanges) => request<Mailbox>('PATCH', `/mailboxes/${enc(id)}`, { body: changes }),
  /** 409 mailbox.in_use while cases or mail still refer to it. */
  remove: (id: string) => request<null>('DELETE', `/mailboxes/${enc(id)}`),
};

export interface InboundMailQuery {
  status?: InboundMailStatus;
  limit?: number;
  cursor?: string;
}

export const inboundMail = {
  list: (query: InboundMailQuery, signal?: AbortSignal) =>
    request<ItemPage<InboundMail>>('GET', '/inbound-mail', { query: { ...query }, signal }).then(itemPage),
  get: (id: string, signal?: AbortSignal) => request<InboundMailDetail>('GET', `/inbound-mail/${enc(id)}`, { signal }),
  rawUrl: (id: string) => downloadUrl(`/inbound-mail/${enc(id)}/raw`),
  /** Accepted for another run through the intake (202); answers the new status (received). */
  reprocess: (id: string) => request<{ id: string; status: InboundMailStatus }>('POST', `/inbound-mail/${enc(id)}/reprocess`),
};

export interface OutboundMailQuery {
  case_id?: string;
  status?: OutboundMailStatus;
  kind?: OutboundMailKind;
  limit?: number;
  cursor?: string;
}

export const outboundMail = {
  list: (query: OutboundMailQuery, signal?: AbortSignal) =>
    request<ItemPage<OutboundMail>>('GET', '/outbound-mail', { query: { ...query }, signal }).then(itemPage),
  get: (id: string, signal?: AbortSignal) => request<OutboundMailDetail>('GET', `/outbound-mail/${enc(id)}`, { signal }),
  rawUrl: (id: string) => downloadUrl(`/outbound-mail/${enc(id)}/raw`),
  /** Queues a failed message again (admins; audited); answers the mail with its new status. */
  retry: (id: string) => request<OutboundMail>('POST', `/outbound-mail/${enc(id)}/retry`),
};

export const messageEmail = {
  /** The email view of a case message: sanitized HTML (cid images as signed links) and headers. */
  get: (messageId: string, signal?: AbortSignal) => request<MessageEmail>('GET', `/messages/${enc(messageId)}/email`, { signal }),
};
