import { ACCOUNT_TYPES, type Audience } from './account-types';
import type { TargetInput } from './types';

/** An absolute http(s) URL without query or fragment. */
export const URL_PATTERN = '^https?://[^\\s/?#]+(/[^\\s?#]*)?$';
export const HTTPS_URL_PATTERN = '^https://[^\\s/?#]+(/[^\\s?#]*)?$';

export function baseUrlInput(opts: { label: string; help: string; placeholder: string; requireHttps: boolean; id?: string }): TargetInput {
  return {
    id: opts.id ?? 'baseUrl',
    label: opts.label,
    help: opts.help,
    placeholder: opts.placeholder,
    kind: 'url',
    required: true,
    validation: opts.requireHttps
      ? { pattern: HTTPS_URL_PATTERN, message: 'Use the https:// address people type to open it, without anything after the host name.', requireHttps: true }
      : { pattern: URL_PATTERN, message: 'Use the full address, starting with http:// or https://.' },
  };
}

/** "Who will sign in?": the Supported account types choice, in user words first. */
export function audienceInput(allowed: Audience[], recommended: Audience): TargetInput {
  return {
    id: 'audience',
    label: 'Whose mailboxes will connect',
    help: 'This becomes the Supported account types choice on the New registration form.',
    placeholder: '',
    kind: 'choice',
    options: allowed.map((a) => ({ value: a, label: ACCOUNT_TYPES[a].short, help: ACCOUNT_TYPES[a].label })),
    required: true,
    default: recommended,
  };
}

export const servicePrincipalInput: TargetInput = {
  id: 'servicePrincipalObjectId',
  label: "Enterprise application's Object ID",
  help: "Entra ID > Enterprise apps > your app > Overview > Object ID. Not the app registration's Object ID.",
  placeholder: 'e.g. 5b1c3f0e-…',
  kind: 'text',
  required: false,
  validation: { pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$', message: 'A GUID like 5b1c3f0e-0000-4000-8000-000000000000.' },
};
