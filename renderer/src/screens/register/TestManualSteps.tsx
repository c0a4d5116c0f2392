import { useEffect, useState } from 'react';
import type { ManualStep } from '../../../../shared/registration/types';
import { getApi } from '../../api';
import type { Draft } from '../../state/useWizard';
import { ManualStepsCard } from './ManualStepsCard';

/**
 * The Test screen, hooked in by one line: when a check failed, the steps Microsoft Graph cannot do
 * (Exchange PowerShell, SMTP AUTH per mailbox) are shown again with the real ids, since they are a
 * common reason (app-only IMAP fails exactly this way until New-ServicePrincipal has run).
 */
export function TestManualSteps(props: { draft: Draft; failed: boolean }) {
  const api = getApi();
  const [steps, setSteps] = useState<ManualStep[]>([]);
  useEffect(() => {
    if (!props.failed) return;
    let live = true;
    void api.registration.manualSteps({ profileId: props.draft.id }).then((r) => live && r.ok && setSteps(r.value.steps));
    return () => {
      live = false;
    };
  }, [api, props.failed, props.draft.id]);
  if (!props.failed) return null;
  return <ManualStepsCard steps={steps} title="Steps outside Microsoft Entra: done yet?" lead="A check can fail until these are done. The assistant cannot make them through Microsoft Graph; the person named runs each, with the ids filled in." />;
}
