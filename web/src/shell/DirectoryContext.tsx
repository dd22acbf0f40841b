import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { agents as agentsApi, teams as teamsApi } from '../api/client';
import type { Agent, Team } from '../api/types';

interface Directory {
  agents: Agent[];
  teams: Team[];
  agentName: (id: string | null | undefined) => string | undefined;
  reloadDirectory: () => void;
}

const DirectoryContext = createContext<Directory>({ agents: [], teams: [], agentName: () => undefined, reloadDirectory: () => undefined });

/**
 * Agents and teams for pickers (assignee, team, queue) and for naming actors in histories.
 * A failure (e.g. a role that may not list agents) leaves the lists empty; pickers still work.
 */
export function DirectoryProvider({ children }: { children: ReactNode }) {
  const [agents, setAgents] = useState<Agent[]>([]);
  const [teams, setTeams] = useState<Team[]>([]);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    agentsApi.list(controller.signal).then(setAgents, () => undefined);
    teamsApi.list(controller.signal).then(setTeams, () => undefined);
    return () => controller.abort();
  }, [tick]);

  const reloadDirectory = useCallback(() => setTick((n) => n + 1), []);
  const value = useMemo(() => {
    const names = new Map(agents.map((a) => [a.id, a.name]));
    return { agents, teams, agentName: (id: string | null | undefined) => (id ? names.get(id) : undefined), reloadDirectory };
  }, [agents, teams, reloadDirectory]);
  return <DirectoryContext.Provider value={value}>{children}</DirectoryContext.Provider>;
}

export function useDirectory(): Directory {
  return useContext(DirectoryContext);
}
