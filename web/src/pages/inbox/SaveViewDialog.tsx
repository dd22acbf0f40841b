import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { views as viewsApi } from '../../api/client';
import type { CaseFilters, CaseSort } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { errorText } from '../../components/Notice';
import { useToast } from '../../components/Toasts';
import { t } from '../../i18n';
import { useViews } from '../../shell/ViewsContext';
import { compactFilters } from './filters';

interface SaveViewDialogProps {
  open: boolean;
  onClose: () => void;
  filters: CaseFilters;
  sort: CaseSort;
}

export function SaveViewDialog({ open, onClose, filters, sort }: SaveViewDialogProps) {
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { refreshViews } = useViews();
  const { notify } = useToast();
  const navigate = useNavigate();

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) return setError(t('saveView.nameRequired'));
    setBusy(true);
    setError(null);
    try {
      const view = await viewsApi.create({ name: name.trim(), filters: compactFilters(filters), sort, shared });
      refreshViews();
      notify(t('saveView.saved', { name: name.trim() }));
      setName('');
      onClose();
      if (view?.id) void navigate(`/views/${encodeURIComponent(view.id)}`);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open={open} onClose={onClose} title={t('saveView.title')}>
      <form className="form" onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor="save-view-name">{t('saveView.name')}</label>
          <input
            id="save-view-name"
            type="text"
            value={name}
            maxLength={100}
            required
            data-autofocus
            aria-invalid={error ? true : undefined}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} />
          <span>{t('saveView.shared')}</span>
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {t('saveView.submit')}
          </button>
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
