import { useEffect, useState } from 'react';
import { chatAgents } from '../../api/chat';
import type { Agent } from '../../api/types';
import { errorText } from '../../components/Notice';
import { useToast } from '../../components/Toasts';
import { t } from '../../i18n';
import { useDirectory } from '../../shell/DirectoryContext';

/** How many live chats each active agent takes at once (round-robin assignment reads it). */
export function ChatCapacity() {
  const { agents } = useDirectory();
  const active = agents.filter((a) => a.status === 'active');
  return (
    <section aria-labelledby="chat-capacity-heading">
      <h2 id="chat-capacity-heading" className="section-heading">
        {t('chatAdmin.capacity')}
      </h2>
      <p className="hint">{t('chatAdmin.capacityHint')}</p>
      <ul className="plain-list">
        {active.map((agent) => (
          <CapacityRow key={agent.id} agent={agent} />
        ))}
      </ul>
    </section>
  );
}

function CapacityRow({ agent }: { agent: Agent }) {
  const { notify } = useToast();
  const [value, setValue] = useState<string>('');
  const [saved, setSaved] = useState<number | undefined>(undefined);
  const id = `chat-capacity-${agent.id}`;

  useEffect(() => {
    const controller = new AbortController();
    chatAgents.settings(agent.id, controller.signal).then(
      (s) => {
        setSaved(s.chat_capacity);
        setValue(String(s.chat_capacity));
      },
      () => undefined,
    );
    return () => controller.abort();
  }, [agent.id]);

  async function save() {
    const count = Number(value);
    if (!Number.isInteger(count) || count < 0 || count > 50 || count === saved) return;
    try {
      const result = await chatAgents.setCapacity(agent.id, count);
      setSaved(result.chat_capacity);
      notify(t('chatAdmin.capacitySaved', { name: agent.name, count: result.chat_capacity }));
    } catch (err) {
      notify(errorText(err), 'error');
      if (saved !== undefined) setValue(String(saved));
    }
  }

  return (
    <li className="field field--inline">
      <label htmlFor={id}>{t('chatAdmin.capacityOf', { name: agent.name })}</label>
      <input
        id={id}
        type="number"
        min={0}
        max={50}
        inputMode="numeric"
        value={value}
        disabled={saved === undefined}
        onChange={(e) => setValue(e.target.value)}
        onBlur={() => void save()}
        onKeyDown={(e) => e.key === 'Enter' && void save()}
      />
    </li>
  );
}
