import type { Flow, MailApi } from '../profile';
import { findTarget, validationHints } from '../catalogue';

/**
 * What validation needs to know about a target system. The catalogue (shared/catalogue) is the one
 * source of these facts (redirect paths that depend on inputs: FlexDeploy's version, Frappe's
 * Connected App name); `targetHintsFor` reads it. Only ids that are not catalogue entries live here.
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
  /** The name people know the system by ("EmailEngine"), for messages. */
  displayName?: string;
  /**
   * First path segments of pages inside the system's web app: a pasted page address is cut there.
   * Only these are cut, so a system served under a path of its own (https://fabrikam.com/erp) keeps it.
   */
  pagePaths?: readonly string[];
}

/**
 * Pages of each system's web app, never part of its web address (base URL): Odoo's and Flectra's
 * /web client and /odoo (Odoo 17+) URLs and their redirect /microsoft_outlook/confirm; Frappe's /app
 * and /desk UI, /login and /api endpoints; FlexDeploy's /flexdeploy application root (its redirect is
 * built under it); EmailEngine's /admin UI, hosted /accounts form and its own /oauth redirect.
 */
const PAGE_PATHS: Record<string, readonly string[]> = {
  odoo: ['web', 'odoo', 'microsoft_outlook'],
  flectra: ['web', 'microsoft_outlook'],
  frappe: ['app', 'desk', 'login', 'api'],
  flexdeploy: ['flexdeploy'],
  emailengine: ['admin', 'accounts', 'oauth'],
};

/** Ids that are not catalogue entries: "generic" leaves flow and API to the user. */
const BUILT_IN: Record<string, TargetHints> = {
  generic: { id: 'generic', needsBaseUrl: false, requiresHttps: false, confidential: true },
};
/** Older ids kept working: the catalogue entry they became. */
const ALIASES: Record<string, string> = { 'generic-app-only': 'app-only-imap-smtp' };

/**
 * Hints given by a caller (the renderer passes the catalogue's validationHints) completed with what
 * only validation knows: the system's display name and the pages of its web app.
 */
export function withTargetFacts(hints: TargetHints): TargetHints {
  const entry = findTarget(ALIASES[hints.id] ?? hints.id);
  const pagePaths = hints.pagePaths ?? PAGE_PATHS[entry?.id ?? hints.id];
  return { ...hints, ...(hints.displayName || !entry ? {} : { displayName: entry.displayName }), ...(pagePaths ? { pagePaths } : {}) };
}

/** The hints for a target id and its inputs (FlexDeploy's version, Frappe's Connected App name, ...). */
export function targetHintsFor(id: string, inputs: Record<string, unknown> = {}): TargetHints | undefined {
  const entry = findTarget(ALIASES[id] ?? id);
  if (!entry) return BUILT_IN[id];
  const strings: Record<string, string> = {};
  for (const [k, v] of Object.entries(inputs)) if (typeof v === 'string') strings[k] = v;
  const pagePaths = PAGE_PATHS[entry.id];
  return { ...validationHints(entry, strings), id, displayName: entry.displayName, ...(pagePaths ? { pagePaths } : {}) };
}
