/**
 * The target-system catalogue: what to register in Entra ID for each system, how to prove it, and
 * what to paste where. Pure data and functions (no Node, no DOM): the wizard, the engine and the
 * CLI all read it. Adding a system = adding one entry to `targets` below.
 */
import type { Profile, ProfileInput } from '../profile';
import { createBaseContext, createContext, SECRET_PLACEHOLDER } from './context';
import { cxt } from './targets/cxt';
import { emailengine } from './targets/emailengine';
import { flexdeploy } from './targets/flexdeploy';
import { frappe } from './targets/frappe';
import { appOnlyImapSmtp, genericGraph, genericImapSmtp } from './targets/generic';
import { flectra, odoo } from './targets/odoo-family';
import { relayDevice } from './targets/relay-device';
import type { CheckId, PasteCard, Resolved, Step, TargetEntry } from './types';
import { PERMISSIONS, type Permission } from './permissions';
import type { TargetHints as ValidationHints } from '../validation/targets';

export * from './types';
export * from './account-types';
export * from './clouds';
export * from './formats';
export * from './permissions';
export * as portalLinks from './portal-links';
export { RELAY_DEVICE_TARGET, RELAY_PORTS, RELAY_REACH, RELAY_CARD_NOTES, relayDeviceFields, relayReadsPop, type RelayReach, type RelayCardInput } from './targets/relay-device';
export { createContext, createBaseContext, SECRET_PLACEHOLDER, PLACEHOLDERS, hasPlaceholder, normalizeBaseUrl } from './context';

export const targets: readonly TargetEntry[] = [flectra, odoo, flexdeploy, emailengine, frappe, cxt, genericImapSmtp, genericGraph, appOnlyImapSmtp, relayDevice];

export type TargetRef = TargetEntry | string;

export function findTarget(id: string): TargetEntry | undefined {
  return targets.find((t) => t.id === id);
}

export function getTarget(ref: TargetRef): TargetEntry {
  if (typeof ref !== 'string') return ref;
  const t = findTarget(ref);
  if (!t) throw new Error(`Unknown target system "${ref}". Known: ${targets.map((x) => x.id).join(', ')}`);
  return t;
}

/** What the registration must look like for this profile (flow, api, redirects, permissions, scopes, checks). */
export function resolveTarget(target: TargetRef, profile: Profile | ProfileInput): Resolved {
  const t = getTarget(target);
  const { flow, api, redirectUris, permissions, scopes, checks } = createContext(t, profile);
  return { flow, api, redirectUris, permissions, scopes, checks };
}

/** The Web redirect URI(s) to register. Missing inputs show as `<label>` placeholders. */
export function redirectUris(target: TargetRef, profile: Profile | ProfileInput): string[] {
  return resolveTarget(target, profile).redirectUris;
}

export function permissionsFor(target: TargetRef, profile: Profile | ProfileInput): Permission[] {
  return resolveTarget(target, profile).permissions.map((k) => PERMISSIONS[k]);
}

/** Token requests of the proving sign-in (one array of scopes per resource). */
export function scopesFor(target: TargetRef, profile: Profile | ProfileInput): string[][] {
  return resolveTarget(target, profile).scopes;
}

export function checksFor(target: TargetRef, profile: Profile | ProfileInput): CheckId[] {
  return resolveTarget(target, profile).checks;
}

/** The registration checklist, in order, with every value computed from the profile. Secrets stay placeholders. */
export function checklist(target: TargetRef, profile: Profile | ProfileInput): Step[] {
  const t = getTarget(target);
  return t.steps(createContext(t, profile));
}

/** What to paste into the target, labelled as its screens label it. */
export function pasteCard(target: TargetRef, profile: Profile | ProfileInput, secret: string = SECRET_PLACEHOLDER): PasteCard {
  const t = getTarget(target);
  return t.pasteCard(createContext(t, profile, secret));
}

export interface TargetHints {
  needsBaseUrl: boolean;
  requiresHttps: boolean;
  /** Path part of the redirect URI (depends on inputs for FlexDeploy and Frappe); undefined when the user chooses it. */
  redirectPath: string | undefined;
  platform: 'web' | 'none';
  flow: TargetEntry['flow'];
  api: TargetEntry['api'];
}

/** Static facts for validation, before anything is resolved. Pass inputs for the input-dependent ones. */
export function targetHints(target: TargetRef, inputs: Record<string, string> = {}): TargetHints {
  const t = getTarget(target);
  const withDefaults: Record<string, string> = {};
  for (const i of t.inputs) withDefaults[i.id] = inputs[i.id] || i.default || '';
  let flow = t.flow;
  let api = t.api;
  // Inputs that switch flow/api (EmailEngine base scope, Graph app's flow) resolve through the entry.
  try {
    const resolved = t.resolve(createBaseContext(t, { name: 'hints', target: t.id, targetInputs: withDefaults }));
    flow = resolved.flow;
    api = resolved.api;
  } catch {
    // keep the static defaults
  }
  return {
    needsBaseUrl: t.needsBaseUrl,
    requiresHttps: t.requiresHttps,
    redirectPath: t.redirectPath?.(withDefaults),
    platform: t.platform,
    flow,
    api,
  };
}

export interface InputIssue {
  inputId: string;
  message: string;
}

/** Validates target inputs against the entry's rules (required, pattern, https). */
export function validateInputs(target: TargetRef, inputs: Record<string, string>): InputIssue[] {
  const t = getTarget(target);
  const issues: InputIssue[] = [];
  for (const input of t.inputs) {
    const v = (inputs[input.id] ?? '').trim() || input.default || '';
    if (!v) {
      if (input.required) issues.push({ inputId: input.id, message: `${input.label} is needed.` });
      continue;
    }
    if (input.kind === 'choice' && !input.options?.some((o) => o.value === v)) {
      issues.push({ inputId: input.id, message: `Choose one of: ${input.options?.map((o) => o.label).join(', ')}.` });
      continue;
    }
    if (input.validation?.requireHttps && !v.startsWith('https://')) {
      issues.push({ inputId: input.id, message: 'Microsoft only accepts https:// here (http:// only for localhost).' });
      continue;
    }
    if (input.validation?.pattern && !new RegExp(input.validation.pattern).test(v)) issues.push({ inputId: input.id, message: input.validation.message });
  }
  return issues;
}

/** The same facts in the shape shared/validation expects (redirect as a function of the base URL). */
export function validationHints(target: TargetRef, inputs: Record<string, string> = {}): ValidationHints {
  const t = getTarget(target);
  const hints = targetHints(t, inputs);
  return {
    id: t.id,
    needsBaseUrl: t.needsBaseUrl,
    requiresHttps: t.requiresHttps,
    redirectPath: t.needsBaseUrl && hints.redirectPath !== undefined ? (baseUrl: string) => `${baseUrl.trim().replace(/\/+$/, '')}${hints.redirectPath}` : undefined,
    flow: hints.flow,
    api: hints.api,
    confidential: true,
  };
}
