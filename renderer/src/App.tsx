import { useState } from 'react';
import { WizardShell } from './components/WizardShell';
import { Welcome } from './screens/Welcome';
import type { StepId } from './steps';

export function App() {
  const [step, setStep] = useState<StepId>('start');
  return (
    <WizardShell current={step}>
      <Welcome onStart={() => setStep('system')} />
    </WizardShell>
  );
}
