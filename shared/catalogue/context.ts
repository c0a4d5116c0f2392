import { ProfileSchema, type Profile, type ProfileInput } from '../profile';
import { authorityFor, AUDIENCES, type Audience } from './account-types';
import { hostsFor } from './clouds';
import { ResolvedSchema, type BaseContext, type TargetContext, type TargetEntry } from './types';
import { deriveRegistration } from '../registration/derive';

/** What stands where the client secret goes unless an export is asked to include it. */
export const SECRET_PLACEHOLDER = '<paste the client secret Value here>';

export const PLACEHOLDERS = {
  tenant: '<Directory (tenant) ID>',
  clientId: '<Application (client) ID>',
  mailbox: '<mailbox address>',
} as const;

export function toProfile(profile: Profile | ProfileInput): Profile {
  return ProfileSchema.parse(profile);
}

/** Trims and drops trailing slashes: `https://erp.example.com/` -> `https://erp.example.com`. */
export function normalizeBaseUrl(value: string): string {
  return value.trim().replace(/\/+$/, '');
}

export function inputsWithDefaults(target: TargetEntry, given: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const input of target.inputs) {
    const v = (given[input.id] ?? '').trim();
    out[input.id] = v || input.default || '';
    if (input.kind === 'url' && out[input.id]) out[input.id] = normalizeBaseUrl(out[input.id] ?? '');
  }
  // Keep values the catalogue does not define (forward compatibility), untouched.
  for (const [k, v] of Object.entries(given)) if (!(k in out)) out[k] = v;
  return out;
}

export function createBaseContext(target: TargetEntry, profileInput: Profile | ProfileInput): BaseContext {
  const profile = toProfile(profileInput);
  const inputs = inputsWithDefaults(target, profile.targetInputs);
  const audienceValue = inputs.audience as Audience | undefined;
  const audience: Audience = audienceValue && (AUDIENCES as readonly string[]).includes(audienceValue) ? audienceValue : target.audience.recommended;
  const tenant = profile.tenant.trim() || PLACEHOLDERS.tenant;
  return {
    profile,
    inputs,
    value(id: string): string {
      const v = inputs[id];
      if (v) return v;
      const label = target.inputs.find((i) => i.id === id)?.label ?? id;
      return `<${label}>`;
    },
    hosts: hostsFor(profile),
    audience,
    tenant,
    authority: authorityFor(audience, profile.tenant),
    clientId: profile.clientId.trim() || PLACEHOLDERS.clientId,
    mailbox: profile.mailbox.trim() || PLACEHOLDERS.mailbox,
    appName: (inputs.appName ?? '') || `${target.displayName} mail`,
  };
}

export function createContext(target: TargetEntry, profile: Profile | ProfileInput, secret: string = SECRET_PLACEHOLDER): TargetContext {
  const base = createBaseContext(target, profile);
  const resolved = ResolvedSchema.parse(target.resolve(base));
  // The desired registration, computed once per context: the checklist's Entra steps render from it.
  const registration = deriveRegistration(target, { ...base, ...resolved });
  return { ...base, ...resolved, secret, registration };
}

/** True when a computed value still holds a `<placeholder>`. */
export function hasPlaceholder(value: string): boolean {
  return /<[^<>]+>/.test(value);
}
