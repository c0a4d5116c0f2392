import type { Flow, MailApi } from '../profile';

/**
 * What validation needs to know about a target system. The catalogue (shared/catalogue) provides the
 * real entries; this minimal set keeps validation usable (and testable) on its own.
 */
export interface TargetHints {
  id: string;
  /** The target has a web address the redirect URI is derived from. */
  needsBaseUrl: boolean;
  /** The redirect URI to register for a base URL (undefined when the target has none). */
  redirectPath?: (baseUrl: string) => string;
  /** The target refuses plain http base URLs. */
  requiresHttps: boolean;
  /** The flow the target uses; undefined when the user chooses. */
  flow?: Flow;
  /** The API the target uses; undefined when the user chooses. */
  api?: MailApi;
  /** The target is a confidential client (has a secret). Default true. */
  confidential?: boolean;
}

export const GENERIC_TARGETS: Record<string, TargetHints> = {
  generic: { id: 'generic', needsBaseUrl: false, requiresHttps: false, confidential: true },
  'generic-imap-smtp': { id: 'generic-imap-smtp', needsBaseUrl: false, requiresHttps: false, api: 'imap-smtp' },
  'generic-graph': { id: 'generic-graph', needsBaseUrl: false, requiresHttps: false, api: 'graph' },
  'generic-app-only': { id: 'generic-app-only', needsBaseUrl: false, requiresHttps: false, flow: 'app-only', api: 'imap-smtp' },
  odoo: { id: 'odoo', needsBaseUrl: true, requiresHttps: true, flow: 'delegated', api: 'imap-smtp', redirectPath: (b) => `${b}/microsoft_outlook/confirm` },
  flectra: { id: 'flectra', needsBaseUrl: true, requiresHttps: true, flow: 'delegated', api: 'imap-smtp', redirectPath: (b) => `${b}/microsoft_outlook/confirm` },
  flexdeploy: { id: 'flexdeploy', needsBaseUrl: true, requiresHttps: true, flow: 'delegated', api: 'imap-smtp', redirectPath: (b) => `${b}/flexdeploy/rest/v2/oauth` },
  emailengine: { id: 'emailengine', needsBaseUrl: true, requiresHttps: false, flow: 'delegated', redirectPath: (b) => `${b}/oauth` },
  cxt: { id: 'cxt', needsBaseUrl: false, requiresHttps: false, flow: 'app-only', api: 'graph' },
};

export function targetHintsFor(id: string): TargetHints | undefined {
  return GENERIC_TARGETS[id];
}
