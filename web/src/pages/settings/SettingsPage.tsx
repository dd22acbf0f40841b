import { PageHeading } from '../../components/PageHeading';
import { t } from '../../i18n';
import { EmailPreferencesSettings } from './EmailPreferencesSettings';
import { PasswordSettings } from './PasswordSettings';
import { ProfileSettings } from './ProfileSettings';

/** The signed-in agent's own account: name, language, password and email notifications. */
export function SettingsPage() {
  return (
    <div className="page page--narrow">
      <PageHeading>{t('settings.heading')}</PageHeading>
      <ProfileSettings />
      <PasswordSettings />
      <EmailPreferencesSettings />
    </div>
  );
}
