import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router-dom';
import { RequireAdmin, RequireAuth, RequireRole } from './auth/RequireAuth';
import { SessionProvider } from './auth/SessionContext';
import { Loading } from './components/Notice';
import { ToastProvider } from './components/Toasts';
import { AcceptInvitePage } from './pages/AcceptInvitePage';
import { CasePage } from './pages/case/CasePage';
import { CustomerPage } from './pages/customers/CustomerPage';
import { CustomersPage } from './pages/customers/CustomersPage';
import { InboxPage } from './pages/inbox/InboxPage';
import { LoginPage } from './pages/LoginPage';
import { NewCasePage } from './pages/NewCasePage';
import { NotFoundPage } from './pages/NotFoundPage';
import { SearchPage } from './pages/SearchPage';
import { SettingsPage } from './pages/settings/SettingsPage';
import { SlaCasesPage } from './pages/sla/SlaCasesPage';
import { AppShell } from './shell/AppShell';

// Admin pages are few people's daily work: a separate chunk keeps the agents' bundle smaller.
const AgentsAdminPage = lazy(() => import('./pages/admin/AgentsAdminPage').then((m) => ({ default: m.AgentsAdminPage })));
const TeamsAdminPage = lazy(() => import('./pages/admin/TeamsAdminPage').then((m) => ({ default: m.TeamsAdminPage })));
const TokensAdminPage = lazy(() => import('./pages/admin/TokensAdminPage').then((m) => ({ default: m.TokensAdminPage })));
const MailboxesAdminPage = lazy(() => import('./pages/admin/MailboxesAdminPage').then((m) => ({ default: m.MailboxesAdminPage })));
const ProblemMailPage = lazy(() => import('./pages/admin/ProblemMailPage').then((m) => ({ default: m.ProblemMailPage })));
const ProblemMailDetailPage = lazy(() => import('./pages/admin/ProblemMailDetailPage').then((m) => ({ default: m.ProblemMailDetailPage })));
const SentMailPage = lazy(() => import('./pages/admin/SentMailPage').then((m) => ({ default: m.SentMailPage })));
const SentMailDetailPage = lazy(() => import('./pages/admin/SentMailDetailPage').then((m) => ({ default: m.SentMailDetailPage })));
const ChatAdminPage = lazy(() => import('./pages/chat/ChatAdminPage').then((m) => ({ default: m.ChatAdminPage })));
const DisputesPage = lazy(() => import('./pages/disputes/DisputesPage').then((m) => ({ default: m.DisputesPage })));

const ApprovalsPage = lazy(() => import('./pages/billing/ApprovalsPage').then((m) => ({ default: m.ApprovalsPage })));
const BillingAdminPage = lazy(() => import('./pages/billing/BillingAdminPage').then((m) => ({ default: m.BillingAdminPage })));
const BillingImportPage = lazy(() => import('./pages/billing/BillingImportPage').then((m) => ({ default: m.BillingImportPage })));
const BusinessHoursPage = lazy(() => import('./pages/sla/BusinessHoursPage').then((m) => ({ default: m.BusinessHoursPage })));
const MacrosPage = lazy(() => import('./pages/macros/MacrosPage').then((m) => ({ default: m.MacrosPage })));
const RemindersPage = lazy(() => import('./pages/followups/RemindersPage').then((m) => ({ default: m.RemindersPage })));
const TriggersPage = lazy(() => import('./pages/automation/TriggersPage').then((m) => ({ default: m.TriggersPage })));
const ScheduledAutomationsPage = lazy(() =>
  import('./pages/automation/ScheduledAutomationsPage').then((m) => ({ default: m.ScheduledAutomationsPage })),
);
const SlaPoliciesPage = lazy(() => import('./pages/sla/SlaPoliciesPage').then((m) => ({ default: m.SlaPoliciesPage })));

const admin = (page: ReactNode) => (
  <RequireAdmin>
    <Suspense fallback={<Loading />}>{page}</Suspense>
  </RequireAdmin>
);

const supervisors = (page: ReactNode) => (
  <RequireRole roles={['admin', 'supervisor']}>
    <Suspense fallback={<Loading />}>{page}</Suspense>
  </RequireRole>
);

// The server decides who may read sent mail (a case's agents reach it from the case page).
const lazyPage = (page: ReactNode) => <Suspense fallback={<Loading />}>{page}</Suspense>;

export const router = createBrowserRouter(
  [
    { path: '/login', element: <LoginPage /> },
    { path: '/accept-invite', element: <AcceptInvitePage /> },
    {
      element: (
        <RequireAuth>
          <AppShell />
        </RequireAuth>
      ),
      children: [
        { index: true, element: <InboxPage /> },
        { path: 'views/:viewId', element: <InboxPage /> },
        { path: 'cases/new', element: <NewCasePage /> },
        { path: 'cases/:number', element: <CasePage /> },
        { path: 'customers', element: <CustomersPage /> },
        { path: 'customers/:id', element: <CustomerPage /> },
        { path: 'search', element: <SearchPage /> },
        { path: 'reminders', element: lazyPage(<RemindersPage />) },
        { path: 'disputes', element: lazyPage(<DisputesPage />) },
        { path: 'settings', element: <SettingsPage /> },
        { path: 'admin/agents', element: admin(<AgentsAdminPage />) },
        { path: 'admin/teams', element: admin(<TeamsAdminPage />) },
        { path: 'admin/tokens', element: admin(<TokensAdminPage />) },
        { path: 'admin/mailboxes', element: admin(<MailboxesAdminPage />) },
        { path: 'admin/chat', element: admin(<ChatAdminPage />) },
        { path: 'admin/problem-mail', element: supervisors(<ProblemMailPage />) },
        { path: 'admin/problem-mail/:id', element: supervisors(<ProblemMailDetailPage />) },
        { path: 'admin/sent-mail', element: lazyPage(<SentMailPage />) },
        { path: 'billing/approvals', element: supervisors(<ApprovalsPage />) },
        { path: 'admin/billing', element: admin(<BillingAdminPage />) },
        { path: 'admin/billing/import', element: supervisors(<BillingImportPage />) },
        { path: 'admin/sent-mail/:id', element: lazyPage(<SentMailDetailPage />) },
        { path: 'sla/breaching-soon', element: <SlaCasesPage key="breaching_soon" state="breaching_soon" /> },
        { path: 'sla/breached', element: <SlaCasesPage key="breached" state="breached" /> },
        { path: 'admin/business-hours', element: admin(<BusinessHoursPage />) },
        { path: 'admin/sla-policies', element: admin(<SlaPoliciesPage />) },
        { path: 'admin/triggers', element: admin(<TriggersPage />) },
        { path: 'admin/automations', element: admin(<ScheduledAutomationsPage />) },
        // Every agent keeps personal macros here; the server decides who writes shared ones.
        { path: 'admin/macros', element: lazyPage(<MacrosPage />) },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ],
  // Trailing slash: links to the inbox are /app/, which the server serves (and /app redirects to).
  { basename: '/app/' },
);

export function App() {
  return (
    <SessionProvider>
      <ToastProvider>
        <RouterProvider router={router} />
      </ToastProvider>
    </SessionProvider>
  );
}
