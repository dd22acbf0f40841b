import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { views as viewsApi } from '../api/client';
import type { View } from '../api/types';

interface ViewsState {
  views: View[];
  loaded: boolean;
  error: unknown;
  /** Reload the views and their counts (after any change to cases). */
  refreshViews: () => void;
}

const ViewsContext = createContext<ViewsState>({ views: [], loaded: false, error: undefined, refreshViews: () => undefined });

const REFRESH_EVERY_MS = 30_000;

export function ViewsProvider({ children }: { children: ReactNode }) {
  const [views, setViews] = useState<View[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [tick, setTick] = useState(0);

  const refreshViews = useCallback(() => setTick((n) => n + 1), []);

  useEffect(() => {
    const controller = new AbortController();
    viewsApi.list(controller.signal).then(
      (list) => {
        setViews(list);
        setLoaded(true);
        setError(undefined);
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setError(err);
        setLoaded(true);
      },
    );
    return () => controller.abort();
  }, [tick]);

  useEffect(() => {
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') refreshViews();
    }, REFRESH_EVERY_MS);
    return () => window.clearInterval(timer);
  }, [refreshViews]);

  const value = useMemo(() => ({ views, loaded, error, refreshViews }), [views, loaded, error, refreshViews]);
  return <ViewsContext.Provider value={value}>{children}</ViewsContext.Provider>;
}

export function useViews(): ViewsState {
  return useContext(ViewsContext);
}
