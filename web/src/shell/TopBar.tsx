import { useEffect, useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import { Link, useNavigate, useSearchParams, useLocation } from 'react-router-dom';
import { me } from '../api/client';
import type { Presence } from '../api/types';
import { useCurrentAgent, useSession } from '../auth/SessionContext';
import { errorText } from '../components/Notice';
import { useToast } from '../components/Toasts';
import { presenceLabel, roleLabel, t } from '../i18n';
import { LiveStatus } from '../realtime/LiveStatus';
import { useRealtime } from '../realtime/RealtimeContext';

interface TopBarProps {
  searchRef: RefObject<HTMLInputElement | null>;
  onShowShortcuts: () => void;
}

export function TopBar({ searchRef, onShowShortcuts }: TopBarProps) {
  return (
    <header className="topbar">
      <Link to="/" className="topbar__brand">
        Baton<span className="visually-hidden"> — {t('nav.inbox')}</span>
      </Link>
      <SearchBox inputRef={searchRef} />
      <div className="topbar__end">
        <LiveStatus />
        <PresenceToggle />
        <AgentMenu onShowShortcuts={onShowShortcuts} />
      </div>
    </header>
  );
}

function SearchBox({ inputRef }: { inputRef: RefObject<HTMLInputElement | null> }) {
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const [query, setQuery] = useState('');

  // Keep the box in step with the search page's query.
  useEffect(() => {
    if (location.pathname === '/search') setQuery(params.get('q') ?? '');
  }, [location.pathname, params]);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const q = query.trim();
    if (q) void navigate(`/search?q=${encodeURIComponent(q)}`);
  }

  return (
    <form role="search" aria-label={t('search.quickForm')} className="topbar__search" onSubmit={onSubmit}>
      <label htmlFor="global-search" className="visually-hidden">
        {t('search.globalLabel')}
      </label>
      <input
        ref={inputRef}
        id="global-search"
        type="search"
        placeholder={t('search.placeholder')}
        value={query}
        maxLength={200}
        onChange={(e) => setQuery(e.target.value)}
      />
      <button type="submit" className="button button--on-dark">
        {t('search.submit')}
      </button>
    </form>
  );
}

function PresenceToggle() {
  const { agent } = useCurrentAgent();
  const { updateAgent } = useSession();
  const { notify } = useToast();
  const live = useRealtime();
  const name = useId();

  async function change(presence: Presence) {
    const previous = agent.presence;
    updateAgent({ presence });
    try {
      // While connected, presence is the connection's (docs/REALTIME.md); the API otherwise.
      if (presence === 'offline' || !live?.client.setPresence(presence)) await me.setPresence(presence);
      notify(t('presence.changed', { presence: presenceLabel(presence) }), 'info');
    } catch (err) {
      updateAgent({ presence: previous });
      notify(errorText(err), 'error');
    }
  }

  return (
    <fieldset className="presence">
      <legend className="visually-hidden">{t('presence.legend')}</legend>
      {(['online', 'away'] as const).map((value) => (
        <label key={value} className={`presence__option presence__option--${value}`}>
          <input type="radio" name={name} value={value} checked={agent.presence === value} onChange={() => void change(value)} />
          <span>{presenceLabel(value)}</span>
        </label>
      ))}
    </fieldset>
  );
}

function AgentMenu({ onShowShortcuts }: { onShowShortcuts: () => void }) {
  const { agent, session } = useCurrentAgent();
  const { signOut } = useSession();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    function onPointer(event: PointerEvent) {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    }
    function onKey(event: KeyboardEvent) {
      if (event.key === 'Escape') {
        setOpen(false);
        buttonRef.current?.focus();
      }
    }
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  async function logout() {
    setOpen(false);
    await signOut().catch(() => undefined);
    void navigate('/login', { replace: true });
  }

  return (
    <div className="agent-menu" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="button button--on-dark agent-menu__button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((v) => !v)}
      >
        <span className="visually-hidden">{t('menu.account')}: </span>
        {agent.name}
      </button>
      <div id={panelId} className="agent-menu__panel" hidden={!open}>
        <p className="agent-menu__who">
          <strong>{agent.name}</strong>
          <br />
          {agent.email}
          <br />
          {roleLabel(agent.role)} · {session.workspace.name}
        </p>
        <ul className="agent-menu__actions">
          <li>
            <Link to="/settings" className="button button--quiet button--block" onClick={() => setOpen(false)}>
              {t('menu.settings')}
            </Link>
          </li>
          <li>
            <button
              type="button"
              className="button button--quiet button--block"
              onClick={() => {
                setOpen(false);
                onShowShortcuts();
              }}
            >
              {t('menu.shortcuts')}
            </button>
          </li>
          <li>
            <button type="button" className="button button--quiet button--block" onClick={() => void logout()}>
              {t('menu.signOut')}
            </button>
          </li>
        </ul>
      </div>
    </div>
  );
}
