import { Link } from 'react-router-dom';
import { PageHeading } from '../components/PageHeading';
import { t } from '../i18n';

export function NotFoundPage() {
  return (
    <div className="page">
      <PageHeading>{t('notFound.heading')}</PageHeading>
      <p>{t('notFound.body')}</p>
      <p>
        <Link to="/">{t('notFound.back')}</Link>
      </p>
    </div>
  );
}
