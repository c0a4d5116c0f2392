/**
 * "Supported account types" as the New registration form labels them (PORTAL-STEPS.md), with the
 * value Microsoft stores (signInAudience) and the authority segment that goes with it.
 */

export const AUDIENCES = ['single', 'multi', 'multi-personal', 'personal'] as const;
export type Audience = (typeof AUDIENCES)[number];

export interface AccountType {
  id: Audience;
  /** The exact radio-button label. `<Org>` is the tenant's display name in the portal. */
  label: string;
  signInAudience: 'AzureADMyOrg' | 'AzureADMultipleOrgs' | 'AzureADandPersonalMicrosoftAccount' | 'PersonalMicrosoftAccount';
  /** Short, user-words name. */
  short: string;
}

export const ACCOUNT_TYPES: Record<Audience, AccountType> = {
  single: {
    id: 'single',
    label: 'Accounts in this organizational directory only (<Org> only - Single tenant)',
    signInAudience: 'AzureADMyOrg',
    short: 'only your organization',
  },
  multi: {
    id: 'multi',
    label: 'Accounts in any organizational directory (Any Microsoft Entra directory - Multitenant)',
    signInAudience: 'AzureADMultipleOrgs',
    short: 'any organization',
  },
  'multi-personal': {
    id: 'multi-personal',
    label:
      'Accounts in any organizational directory (Any Microsoft Entra directory - Multitenant) and personal Microsoft accounts (such as Skype and Xbox)',
    signInAudience: 'AzureADandPersonalMicrosoftAccount',
    short: 'any organization and personal Microsoft accounts',
  },
  personal: {
    id: 'personal',
    label: 'Personal Microsoft accounts only',
    signInAudience: 'PersonalMicrosoftAccount',
    short: 'personal Microsoft accounts only',
  },
};

/** The authority segment a sign-in uses for an audience; a single-tenant app needs its own tenant. */
export function authorityFor(audience: Audience, tenant: string): string {
  switch (audience) {
    case 'single':
      return tenant.trim() || '<Directory (tenant) ID>';
    case 'multi':
      return 'organizations';
    case 'multi-personal':
      return 'common';
    case 'personal':
      return 'consumers';
  }
}
