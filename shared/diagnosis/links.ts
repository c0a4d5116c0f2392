/** Portal deep links, kept in one place because Microsoft moves them (MICROSOFT-FACTS.md). */
const ENTRA = 'https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps';

export const portal = {
  newRegistration: () => `${ENTRA}/CreateApplicationBlade`,
  app: (clientId: string, page: 'Overview' | 'Authentication' | 'Credentials' | 'CallAnAPI') =>
    clientId ? `${ENTRA}/ApplicationMenuBlade/~/${page}/appId/${clientId}` : `${ENTRA}/ApplicationsListBlade`,
  adminConsent: (signInHost: string, tenant: string, clientId: string) =>
    `https://${signInHost || 'login.microsoftonline.com'}/${tenant || 'organizations'}/adminconsent?client_id=${clientId}`,
  activeUsers: () => 'https://admin.microsoft.com/#/users',
  conditionalAccess: () => 'https://entra.microsoft.com/#view/Microsoft_AAD_ConditionalAccess/ConditionalAccessBlade/~/Policies',
  securityDefaults: () => 'https://entra.microsoft.com/#view/Microsoft_AAD_IAM/TenantOverview.ReactView',
  mfaSetup: () => 'https://aka.ms/mfasetup',
  smtpAuthDisabled: () => 'https://aka.ms/smtp_auth_disabled',
  outlookComImap: () => 'https://outlook.live.com/mail/0/options/mail/accounts/popImap',
  signOut: () => 'https://login.microsoftonline.com/common/oauth2/v2.0/logout',
} as const;
