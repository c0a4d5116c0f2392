/**
 * The connection being configured, for components deep inside a screen (the checklist's paste
 * fields and illustrations) without threading props through every screen.
 */
import { createContext, useContext } from 'react';
import type { TargetEntry } from '../../../shared/catalogue/types';
import type { Draft, ProfilePatch } from './useWizard';

export interface WizardContextValue {
  draft: Draft;
  target: TargetEntry;
  update: (patch: ProfilePatch) => void;
  saveNow: () => Promise<void>;
  hasSecret: boolean;
  onSecretStored: () => void;
  /** Saves the checklist ticks (screen 4 and the Done screen share them). */
  setTicks?: (ticks: string[]) => void;
}

export const WizardContext = createContext<WizardContextValue | null>(null);

export function useWizardContext(): WizardContextValue | null {
  return useContext(WizardContext);
}
