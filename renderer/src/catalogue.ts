/**
 * The renderer's window on the target catalogue (shared/catalogue, pure TypeScript): the list of
 * systems and, for a saved profile, the profile as the catalogue and validation read it. Every
 * computed value (redirects, checklist, paste card, checks) comes from the catalogue.
 */
import { checklist, checksFor, findTarget as find, hasPlaceholder, pasteCard, redirectUris, targetHints, targets, validateInputs, validationHints, type Step, type TargetEntry } from '../../shared/catalogue';
import type { ProfileInput } from '../../shared/profile';
import type { SavedProfile } from '../../shared/saved-profile';
import type { TargetHints } from '../../shared/validation/targets';

export const TARGETS: readonly TargetEntry[] = targets;
export { checklist, checksFor, pasteCard };

export function findTarget(id: string | undefined): TargetEntry | undefined {
  return id ? find(id) : undefined;
}

/** The saved profile as the catalogue and validation read it (defaults filled, flow/api from the target, never a secret). */
export function profileOf(saved: Pick<SavedProfile, 'profile'>, target: TargetEntry): ProfileInput {
  const p = saved.profile;
  const hints = targetHints(target, p.targetInputs ?? {});
  return { ...p, name: p.name || target.displayName, target: target.id, targetInputs: p.targetInputs ?? {}, flow: hints.flow, api: hints.api } as ProfileInput;
}

/** Redirect URIs with every input filled in (none while a value is still missing). */
export function completeRedirectUris(target: TargetEntry, profile: ProfileInput): string[] {
  try {
    return redirectUris(target, profile).filter((u) => !/<[^<>]+>/.test(u));
  } catch {
    return [];
  }
}

/** Whether the target asks for the secret's "Secret ID" too (its paste card has a field for it). */
export function wantsSecretId(target: TargetEntry, profile: ProfileInput): boolean {
  return pasteCard(target, profile).sections.some((s) => s.fields.some((f) => /secret id/i.test(f.label)));
}

export function hintsFor(target: TargetEntry, profile: ProfileInput): TargetHints {
  return validationHints(target, profile.targetInputs ?? {});
}

/** The target's own input rules (required, pattern, https), by input id. */
export function inputProblems(target: TargetEntry, inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(validateInputs(target, inputs).map((i) => [i.inputId, i.message]));
}

/** Where a checklist step is done: screen 4 holds the Entra / Microsoft 365 admin center steps, the Done screen the system's own. */
const PORTAL_PLACES = new Set(['entra', 'm365-admin', 'exchange-powershell']);

/**
 * The checklist of screen 4: only the Microsoft side (Entra, Microsoft 365 admin center, Exchange
 * PowerShell); nothing the assistant does itself; the client secret last, because its Value is shown
 * once and is pasted into the step's own field right away.
 */
export function portalSteps(target: TargetEntry, profile: ProfileInput): Step[] {
  const all = checklist(target, profile).filter((s) => PORTAL_PLACES.has(s.where));
  const secret = all.filter((s) => s.id === 'client-secret');
  return [...all.filter((s) => s.id !== 'client-secret'), ...secret];
}

/** The steps done in the target system itself: shown on the Done screen, with the real values. */
export function targetSteps(target: TargetEntry, profile: ProfileInput): Step[] {
  return checklist(target, profile).filter((s) => s.where === 'target');
}

/** A value that is not known yet (a `<placeholder>`, or marked unknown by the catalogue): never offered for copying. */
export function isUnresolved(value: { value: string; unknown?: boolean } | string): boolean {
  if (typeof value === 'string') return hasPlaceholder(value);
  return value.unknown === true || hasPlaceholder(value.value);
}
