import { Dialog } from '../components/Dialog';
import { t, type MessageKey } from '../i18n';

const SHORTCUTS: { keys: string[]; label: MessageKey; scope: MessageKey }[] = [
  { keys: ['?'], label: 'shortcuts.help', scope: 'shortcuts.scopeAnywhere' },
  { keys: ['g', 'i'], label: 'shortcuts.goInbox', scope: 'shortcuts.scopeAnywhere' },
  { keys: ['/'], label: 'shortcuts.search', scope: 'shortcuts.scopeAnywhere' },
  { keys: ['j'], label: 'shortcuts.next', scope: 'shortcuts.scopeInbox' },
  { keys: ['k'], label: 'shortcuts.previous', scope: 'shortcuts.scopeInbox' },
  { keys: ['Enter'], label: 'shortcuts.open', scope: 'shortcuts.scopeInbox' },
  { keys: ['r'], label: 'shortcuts.reply', scope: 'shortcuts.scopeCase' },
  { keys: ['n'], label: 'shortcuts.note', scope: 'shortcuts.scopeCase' },
  { keys: ['a'], label: 'shortcuts.assignMe', scope: 'shortcuts.scopeCase' },
  { keys: ['s'], label: 'shortcuts.solve', scope: 'shortcuts.scopeCase' },
];

export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} onClose={onClose} title={t('shortcuts.title')}>
      <p className="hint">{t('shortcuts.intro')}</p>
      <table className="table table--compact">
        <caption className="visually-hidden">{t('shortcuts.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('shortcuts.key')}</th>
            <th scope="col">{t('shortcuts.action')}</th>
            <th scope="col">{t('shortcuts.where')}</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.label}>
              <td>
                {s.keys.map((key, i) => (
                  <span key={key}>
                    {i > 0 && <span className="hint"> {t('shortcuts.then')} </span>}
                    <kbd>{key}</kbd>
                  </span>
                ))}
              </td>
              <td>{t(s.label)}</td>
              <td>{t(s.scope)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
