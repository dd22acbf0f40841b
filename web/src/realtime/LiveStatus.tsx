import { t } from '../i18n';
import { useRealtime } from './RealtimeContext';

/** A small mark in the top bar: live updates on, or paused while the connection comes back. */
export function LiveStatus() {
  const live = useRealtime();
  if (!live) return null;
  const on = live.state === 'open';
  return (
    <span className={`live-status live-status--${on ? 'on' : 'off'}`} role="status" data-state={live.state}>
      <span aria-hidden="true">●</span>{' '}
      <span className={on ? 'visually-hidden' : undefined}>{on ? t('live.connected') : t('live.offline')}</span>
    </span>
  );
}
