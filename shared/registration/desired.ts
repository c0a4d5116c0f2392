/**
 * desiredRegistration(entry, profile): what the Entra app registration must be for this target and
 * profile (issue 9, section 1). The same object the checklist's Entra steps render from
 * (TargetContext.registration), so the engine, the scripts and the portal checklist agree.
 */
import type { Profile, ProfileInput } from '../profile';
import { createContext } from '../catalogue/context';
import type { TargetEntry } from '../catalogue/types';
import { deriveRegistration, type DesiredOptions } from './derive';
import type { DesiredRegistration } from './types';

export type { DesiredOptions, RegistrationIds } from './derive';
export { DEFAULT_SECRET_LIFETIME_MONTHS, ID_PLACEHOLDERS, PERMISSION_WHY, deriveRegistration, idsFromContext } from './derive';

export function desiredRegistration(entry: TargetEntry, profile: Profile | ProfileInput, opts: DesiredOptions = {}): DesiredRegistration {
  const ctx = createContext(entry, profile);
  if (Object.keys(opts).length === 0) return ctx.registration;
  return deriveRegistration(entry, ctx, opts);
}
