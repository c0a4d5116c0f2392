/** What a diagnosis entry is, and the fix steps several entries share (core and domain files alike). */
import type { Profile } from '../profile';
import { psQuote } from '../registration/quote';
import { portal } from './links';
import type { Evidence, FixStep } from './types';

export interface CatalogueContext {
  mailbox: string;
  clientId: string;
  tenant: string;
  signInHost: string;
  flow: Profile['flow'];
  api: Profile['api'];
  target: string;
  redirectUri?: string;
  evidence: Evidence;
  /** The account that signed in, when known (from the token). */
  signedInAs?: string;
}

export interface Entry {
  title: (c: CatalogueContext) => string;
  cause: (c: CatalogueContext) => string;
  fix: (c: CatalogueContext) => FixStep[];
  transient?: boolean;
}

export const mb = (c: CatalogueContext) => c.mailbox || '<mailbox>';
export const credentials = (c: CatalogueContext): FixStep => ({ text: 'Open the app registration\'s **Certificates & secrets** page.', link: { label: 'Open Certificates & secrets', url: portal.app(c.clientId, 'Credentials') } });
export const authentication = (c: CatalogueContext): FixStep => ({ text: 'Open the app registration\'s **Authentication** page.', link: { label: 'Open Authentication', url: portal.app(c.clientId, 'Authentication') } });
export const apiPermissions = (c: CatalogueContext): FixStep => ({ text: 'Open **API permissions** of the app registration.', link: { label: 'Open API permissions', url: portal.app(c.clientId, 'CallAnAPI') } });
export const overview = (c: CatalogueContext): FixStep => ({ text: 'Open the app registration\'s **Overview** page and compare the IDs.', link: { label: 'Open Overview', url: portal.app(c.clientId, 'Overview') } });
export const adminConsent = (c: CatalogueContext): FixStep => ({ text: 'An administrator grants consent for the whole organisation.', link: { label: 'Open admin consent', url: portal.adminConsent(c.signInHost, c.tenant, c.clientId) } });
/** AADSTS90094/90095: consent is missing and only an administrator may give it. */
export const adminOnly = (c: CatalogueContext) => c.evidence.aadsts === '90094' || c.evidence.aadsts === '90095';
export const signInAgain: FixStep = { text: 'Run the sign-in again.' };
/** Values from the profile go into PowerShell commands as single-quoted literals (shared/registration/quote.ts). */
export const exchangeConnect = (c: CatalogueContext) => `Connect-ExchangeOnline -Organization ${psQuote(c.tenant || '<tenantId>')}`;

