import { Link } from 'react-router-dom';
import { PageHeading } from '../../components/PageHeading';
import { t } from '../../i18n';
import { ApprovalLimitsSection } from './ApprovalLimitsSection';
import { OutreachSection } from './OutreachSection';
import { StripeSection } from './StripeSection';
import { TriageSection } from './TriageSection';
import { WebhookEventsSection } from './WebhookEventsSection';
import './billing.css';

/** Admin › Billing: where payments come from (and what Stripe sent), who may move how much, outreach and triage. */
export function BillingAdminPage() {
  return (
    <div className="page billing-admin">
      <div className="page-header">
        <PageHeading>{t('billing.admin.heading')}</PageHeading>
        <div className="page-header__actions">
          <Link to="/admin/billing/import" className="button">
            {t('billing.admin.toImport')}
          </Link>
        </div>
      </div>
      <p className="hint">{t('billing.admin.intro')}</p>
      <StripeSection />
      <WebhookEventsSection />
      <ApprovalLimitsSection />
      <OutreachSection />
      <TriageSection />
    </div>
  );
}
