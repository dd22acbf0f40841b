import { useId } from 'react';
import type { CaseEvent } from '../../api/types';
import { ErrorNotice } from '../../components/Notice';
import { RelativeTime } from '../../components/Time';
import { t } from '../../i18n';
import { useDirectory } from '../../shell/DirectoryContext';
import { automationActorOf, describeAutomationEvent } from '../automation/caseHistory';
import { describeEvent } from './events';

interface CaseHistoryProps {
  events: CaseEvent[] | undefined;
  error: unknown;
  onRetry: () => void;
}

export function CaseHistory({ events, error, onRetry }: CaseHistoryProps) {
  const id = useId();
  const { agentName, teams } = useDirectory();
  const names = {
    agent: (agentId: string) => agentName(agentId),
    team: (teamId: string) => teams.find((tm) => tm.id === teamId)?.name,
    queue: (queueId: string) => teams.flatMap((tm) => tm.queues).find((q) => q.id === queueId)?.name,
  };
  const actor = (event: CaseEvent) => {
    if (event.actor?.name) return event.actor.name;
    const rule = automationActorOf(event);
    if (rule) return rule;
    if (event.actor_type === 'system') return t('message.system');
    if (event.actor_type === 'customer') return t('message.customer');
    return agentName(event.actor?.id ?? event.actor_id) ?? t('message.agent');
  };
  // Newest first: the recent changes matter most next to the conversation.
  const ordered = [...(events ?? [])].reverse();

  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="panel__heading">
        {t('case.history')}
      </h2>
      {error !== undefined && <ErrorNotice error={error} onRetry={onRetry} />}
      {events && ordered.length === 0 && <p className="muted small">{t('history.empty')}</p>}
      {ordered.length > 0 && (
        // The list scrolls within its panel: a tab stop lets keyboard users scroll it (WCAG 2.1.1).
        <ol className="history" tabIndex={0} aria-labelledby={`${id}-heading`}>
          {ordered.map((event) => (
            <li key={event.id} className="history__item">
              <span className="history__what">{describeAutomationEvent(event) ?? describeEvent(event, names)}</span>
              <span className="history__meta">
                {actor(event)} · <RelativeTime iso={event.created_at} />
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
