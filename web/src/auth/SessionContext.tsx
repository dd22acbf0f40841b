import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { auth } from '../api/client';
import { onUnauthorized, setCsrfToken } from '../api/http';
import type { Agent, Session } from '../api/types';
import { setLocale } from '../i18n';

export type SessionState = { status: 'loading' } | { status: 'signed_out'; expired: boolean } | { status: 'signed_in'; session: Session };

interface SessionApi {
  state: SessionState;
  signIn: (session: Session) => void;
  signOut: () => Promise<void>;
  updateAgent: (changes: Partial<Agent>) => void;
}

const SessionContext = createContext<SessionApi | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const signIn = useCallback((session: Session) => {
    setCsrfToken(session.csrf_token);
    setState({ status: 'signed_in', session });
  }, []);

  useEffect(() => {
    let cancelled = false;
    auth.session().then(
      (session) => {
        if (!cancelled) signIn(session);
      },
      () => {
        if (!cancelled) setState({ status: 'signed_out', expired: false });
      },
    );
    onUnauthorized(() => {
      setCsrfToken(null);
      setState((current) => (current.status === 'signed_in' ? { status: 'signed_out', expired: true } : current));
    });
    return () => {
      cancelled = true;
      onUnauthorized(null);
    };
  }, [signIn]);

  const signOut = useCallback(async () => {
    try {
      await auth.logout();
    } finally {
      setCsrfToken(null);
      setState({ status: 'signed_out', expired: false });
    }
  }, []);

  const updateAgent = useCallback((changes: Partial<Agent>) => {
    setState((current) =>
      current.status === 'signed_in'
        ? { status: 'signed_in', session: { ...current.session, agent: { ...current.session.agent, ...changes } } }
        : current,
    );
  }, []);

  // The agent's language (account settings) picks the catalog; languages without one show English.
  const agentLocale = state.status === 'signed_in' ? state.session.agent.locale : undefined;
  useEffect(() => {
    if (agentLocale) setLocale(agentLocale);
  }, [agentLocale]);

  const value = useMemo(() => ({ state, signIn, signOut, updateAgent }), [state, signIn, signOut, updateAgent]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in agent; only for components under RequireAuth. */
export function useCurrentAgent(): { agent: Agent; session: Session } {
  const { state } = useSession();
  if (state.status !== 'signed_in') throw new Error('useCurrentAgent outside a signed-in page');
  return { agent: state.session.agent, session: state.session };
}

/** A safe in-app path to return to after signing in (never another origin). */
export function safeNextPath(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}
