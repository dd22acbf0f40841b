import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useCurrentAgent } from '../auth/SessionContext';
import { RealtimeClient, realtimeUrl, type LiveEvent, type LiveState, type ServerMessage } from './client';

interface RealtimeApi {
  client: RealtimeClient;
  state: LiveState;
}

const RealtimeContext = createContext<RealtimeApi | null>(null);

/** One realtime connection for the signed-in agent, open while the app shell is shown. */
export function RealtimeProvider({ children }: { children: ReactNode }) {
  const { agent } = useCurrentAgent();
  const client = useMemo(() => new RealtimeClient(realtimeUrl()), []);
  const [state, setState] = useState<LiveState>(client.state);
  const presence = useRef(agent.presence);
  presence.current = agent.presence;

  useEffect(() => {
    const off = client.onState(setState);
    client.setPresence(presence.current === 'away' ? 'away' : 'online');
    client.start();
    return () => {
      off();
      client.stop();
    };
  }, [client]);

  const api = useMemo(() => ({ client, state }), [client, state]);
  return <RealtimeContext.Provider value={api}>{children}</RealtimeContext.Provider>;
}

/** The connection, or undefined outside the shell (tests render pages without it). */
export function useRealtime(): RealtimeApi | undefined {
  return useContext(RealtimeContext) ?? undefined;
}

/**
 * Calls `onEvent` for every stored event (filtered by `wants`), and `onResync` when the server
 * could not replay what this tab missed: the page then refetches over REST.
 */
export function useLiveEvents(handlers: { onEvent: (event: LiveEvent) => void; onResync?: () => void }): void {
  const live = useRealtime();
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    if (!live) return;
    return live.client.on((message: ServerMessage) => {
      if (message.type === 'event') ref.current.onEvent(message);
      else if (message.type === 'resync_required') ref.current.onResync?.();
    });
  }, [live]);
}

/**
 * Runs `fn` at most once per `ms` for bursts of calls (a bulk change is many events: one refetch).
 * The last call of a burst always runs.
 */
export function useCoalesced(fn: () => void, ms: number): () => void {
  const ref = useRef(fn);
  ref.current = fn;
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return useMemo(
    () => () => {
      if (timer.current !== undefined) return;
      timer.current = setTimeout(() => {
        timer.current = undefined;
        ref.current();
      }, ms);
    },
    [ms],
  );
}
