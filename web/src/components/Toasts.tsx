import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { t } from '../i18n';

type ToastKind = 'success' | 'info' | 'error';

interface Toast {
  id: number;
  kind: ToastKind;
  text: string;
}

interface ToastApi {
  notify: (text: string, kind?: ToastKind) => void;
}

const ToastContext = createContext<ToastApi>({ notify: () => undefined });

const DISMISS_AFTER_MS = 5000;

/**
 * Toasts live in two always-present live regions (polite for news, assertive for errors):
 * a region must exist before its text changes for screen readers to announce it.
 * Errors stay until dismissed so nobody has to read them against a timer. Toasts let clicks
 * through (pointer-events: none, except the dismiss button) so they never block the page.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((toast) => toast.id !== id)), []);

  const notify = useCallback(
    (text: string, kind: ToastKind = 'success') => {
      const id = nextId.current++;
      setToasts((list) => [...list.slice(-2), { id, kind, text }]);
      if (kind !== 'error') window.setTimeout(() => dismiss(id), DISMISS_AFTER_MS);
    },
    [dismiss],
  );

  const api = useMemo(() => ({ notify }), [notify]);
  const render = (kinds: ToastKind[]) =>
    toasts
      .filter((toast) => kinds.includes(toast.kind))
      .map((toast) => (
        <div key={toast.id} className={`toast toast--${toast.kind}`}>
          <span className="toast__text">{toast.text}</span>
          {toast.kind === 'error' && (
            <button type="button" className="button button--quiet button--small" onClick={() => dismiss(toast.id)}>
              {t('common.dismiss')}
              <span className="visually-hidden">: {toast.text}</span>
            </button>
          )}
        </div>
      ));

  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="toasts">
        <div role="status" aria-live="polite" className="toasts__region">
          {render(['success', 'info'])}
        </div>
        {/* Assertive live region without role="alert", so inline form errors stay the page's only alerts. */}
        <div aria-live="assertive" className="toasts__region" data-testid="error-toasts">
          {render(['error'])}
        </div>
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): ToastApi {
  return useContext(ToastContext);
}
