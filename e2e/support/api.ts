import crypto from 'node:crypto';
import { expect } from 'vitest';
import { DEMO_PASSWORD } from './agent.js';

/** An agent signed in over the API (outside the browser), for a test's set-up calls. */
export interface ApiSession {
  cookie: string;
  csrf: string;
}

export interface ApiAnswer<T> {
  status: number;
  body: T;
}

/** Signs in over the API: the session cookie and the CSRF token unsafe calls need. */
export async function apiSignIn(url: string, email: string, password = DEMO_PASSWORD): Promise<ApiSession> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { csrf_token: string };
  const cookie = res.headers
    .getSetCookie()
    .find((c) => c.startsWith('baton_session='))!
    .split(';')[0]!;
  return { cookie, csrf: body.csrf_token };
}

/** One API call as the session (a fresh Idempotency-Key each time); any status is returned. */
export async function apiCall<T>(url: string, session: ApiSession, method: string, route: string, body?: unknown): Promise<ApiAnswer<T>> {
  const res = await fetch(`${url}/api/v1${route}`, {
    method,
    headers: {
      cookie: session.cookie,
      'x-csrf-token': session.csrf,
      'content-type': 'application/json',
      'idempotency-key': `e2e-${crypto.randomUUID()}`,
    },
    body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

/** One API call that must succeed (2xx): the body, or an error naming the call and the answer. */
export async function apiOk<T>(url: string, session: ApiSession, method: string, route: string, body?: unknown): Promise<T> {
  const answer = await apiCall<T>(url, session, method, route, body);
  if (answer.status < 200 || answer.status > 299) {
    throw new Error(`${method} ${route}: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return answer.body;
}
