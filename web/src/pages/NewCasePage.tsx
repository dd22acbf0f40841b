import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { cases as casesApi } from '../api/client';
import {
  CASE_CATEGORIES,
  CASE_PRIORITIES,
  CHANNELS,
  type CaseCategory,
  type CasePriority,
  type Channel,
  type Visibility,
} from '../api/types';
import { errorText } from '../components/Notice';
import { PageHeading } from '../components/PageHeading';
import { useToast } from '../components/Toasts';
import { categoryLabel, channelLabel, priorityLabel, t } from '../i18n';
import { useViews } from '../shell/ViewsContext';

/** Channels an agent records a contact from; 'api' and 'web' arrive by themselves. */
const AGENT_CHANNELS = CHANNELS.filter((c) => c !== 'api' && c !== 'web');

export function NewCasePage() {
  const navigate = useNavigate();
  const { notify } = useToast();
  const { refreshViews } = useViews();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [subject, setSubject] = useState('');
  const [category, setCategory] = useState<CaseCategory>('general');
  const [priority, setPriority] = useState<CasePriority>('normal');
  const [channel, setChannel] = useState<Channel>('phone');
  const [body, setBody] = useState('');
  const [visibility, setVisibility] = useState<Visibility>('internal');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!email.trim() || !subject.trim() || !body.trim()) {
      setError(t('newCase.missing'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const created = await casesApi.create({
        customer: { email: email.trim(), ...(name.trim() ? { name: name.trim() } : {}) },
        subject: subject.trim(),
        category,
        priority,
        channel,
        message: { body, visibility },
      });
      refreshViews();
      notify(t('newCase.created', { number: created.number }));
      void navigate(`/cases/${created.number}`);
    } catch (err) {
      setBusy(false);
      setError(errorText(err));
    }
  }

  return (
    <div className="page page--narrow">
      <PageHeading>{t('newCase.heading')}</PageHeading>
      <form className="form" onSubmit={onSubmit} noValidate>
        <fieldset>
          <legend>{t('newCase.customer')}</legend>
          <div className="form-grid">
            <div className="field">
              <label htmlFor="new-case-email">{t('newCase.email')}</label>
              <input id="new-case-email" type="email" required maxLength={254} value={email} onChange={(e) => setEmail(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="new-case-name">{t('newCase.name')}</label>
              <input id="new-case-name" type="text" maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
            </div>
          </div>
        </fieldset>
        <div className="field">
          <label htmlFor="new-case-subject">{t('newCase.subject')}</label>
          <input id="new-case-subject" type="text" required maxLength={300} value={subject} onChange={(e) => setSubject(e.target.value)} />
        </div>
        <div className="form-grid form-grid--3">
          <div className="field">
            <label htmlFor="new-case-category">{t('case.category')}</label>
            <select id="new-case-category" value={category} onChange={(e) => setCategory(e.target.value as CaseCategory)}>
              {CASE_CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {categoryLabel(c)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="new-case-priority">{t('case.priority')}</label>
            <select id="new-case-priority" value={priority} onChange={(e) => setPriority(e.target.value as CasePriority)}>
              {CASE_PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {priorityLabel(p)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="new-case-channel">{t('newCase.channel')}</label>
            <select id="new-case-channel" value={channel} onChange={(e) => setChannel(e.target.value as Channel)}>
              {AGENT_CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {channelLabel(c)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <fieldset>
          <legend>{t('newCase.firstMessage')}</legend>
          <label className="radio">
            <input type="radio" name="new-case-visibility" checked={visibility === 'internal'} onChange={() => setVisibility('internal')} />
            <span>{t('newCase.asNote')}</span>
          </label>
          <label className="radio">
            <input type="radio" name="new-case-visibility" checked={visibility === 'public'} onChange={() => setVisibility('public')} />
            <span>{t('newCase.asPublic')}</span>
          </label>
          <div className="field">
            <label htmlFor="new-case-body">{t('newCase.body')}</label>
            <textarea id="new-case-body" rows={6} required maxLength={100_000} value={body} onChange={(e) => setBody(e.target.value)} />
          </div>
        </fieldset>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {t('newCase.submit')}
          </button>
        </div>
      </form>
    </div>
  );
}
