import { useRef, useState, type MouseEvent } from 'react';
import { Outlet, useNavigate } from 'react-router-dom';
import { t } from '../i18n';
import { RealtimeProvider } from '../realtime/RealtimeContext';
import { DirectoryProvider } from './DirectoryContext';
import { SideNav } from './SideNav';
import { ShortcutsDialog } from './ShortcutsDialog';
import { ShortcutsProvider, useShortcuts } from './shortcuts';
import { TopBar } from './TopBar';
import { ViewsProvider } from './ViewsContext';

export function AppShell() {
  return (
    <ShortcutsProvider>
      <ViewsProvider>
        <DirectoryProvider>
          <RealtimeProvider>
            <ShellLayout />
          </RealtimeProvider>
        </DirectoryProvider>
      </ViewsProvider>
    </ShortcutsProvider>
  );
}

function ShellLayout() {
  const navigate = useNavigate();
  const searchRef = useRef<HTMLInputElement>(null);
  const [helpOpen, setHelpOpen] = useState(false);

  useShortcuts({
    'g i': () => {
      void navigate('/');
    },
    '/': () => {
      searchRef.current?.focus();
      searchRef.current?.select();
    },
    '?': () => setHelpOpen(true),
  });

  function skipToMain(event: MouseEvent<HTMLAnchorElement>) {
    // Focus <main> directly: a fragment change would go through the router.
    event.preventDefault();
    document.getElementById('main')?.focus();
  }

  return (
    <div className="shell">
      <a className="skip-link" href="#main" onClick={skipToMain}>
        {t('shell.skip')}
      </a>
      <TopBar searchRef={searchRef} onShowShortcuts={() => setHelpOpen(true)} />
      <div className="shell__body">
        <SideNav />
        <main id="main" className="shell__main" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
      <ShortcutsDialog open={helpOpen} onClose={() => setHelpOpen(false)} />
    </div>
  );
}
