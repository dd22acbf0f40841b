import { useState } from 'react';
import type { CaseDetail } from '../../api/types';
import { t } from '../../i18n';
import { NewDisputeDialog } from './NewDisputeDialog';

/** "Record a dispute" on a case: the case becomes the dispute's case (type dispute, due at the evidence deadline). */
export function NewDisputeButton({ kase, onCreated }: { kase: CaseDetail; onCreated: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button button--small" onClick={() => setOpen(true)}>
        {t('newDispute.open')}
      </button>
      <NewDisputeDialog
        open={open}
        onClose={() => setOpen(false)}
        onCreated={onCreated}
        customer={{ id: kase.customer.id, name: kase.customer.name }}
        caseId={kase.id}
      />
    </>
  );
}
