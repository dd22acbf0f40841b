import { t } from '../i18n';
import type { CaseLive } from './useCaseLive';

/** Who else has the case open (and types), and whether the chat customer is typing. */
export function CaseViewers({ live }: { live: CaseLive }) {
  const names = live.viewers.map((v) => (v.typing ? t('live.viewerTyping', { name: v.name }) : v.name));
  return (
    <div className="case-live" role="status" data-testid="case-viewers">
      {names.length > 0 && <p className="case-live__viewers">{t('live.viewers', { names: names.join(', ') })}</p>}
      {live.customerTyping && <p className="case-live__typing">{t('live.customerTyping')}</p>}
    </div>
  );
}
