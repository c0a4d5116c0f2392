/**
 * What a portal illustration shows, taken from the same data the step is computed from (the
 * catalogue's context for this connection): the app's name, the account type chosen, the
 * permissions and their type, the tenant, the redirect URIs. Pure, so the e2e test and the unit
 * test can compare it with the step (issue 14 item 4).
 */
import { ACCOUNT_TYPES, AUDIENCES, createContext, PERMISSIONS, type Audience, type IllustrationId, type PermissionType, type ResourceName, type Step, type TargetEntry } from '../../shared/catalogue';
import type { ProfileInput } from '../../shared/profile';

export interface IllustrationData {
  kind: IllustrationId;
  appName: string;
  audience: Audience;
  /** The organisation's name as the portal shows it in "<Org> only" and "Granted for <Org>". */
  org: string;
  /** All four account-type labels in the portal's order, with <Org> filled in. */
  accountTypes: { id: Audience; label: string; selected: boolean }[];
  redirectUris: string[];
  implicit: boolean;
  publicClient: boolean;
  permissions: { name: string; resource: ResourceName; type: PermissionType }[];
  mailbox: string;
  clientId?: string;
  tenantId?: string;
  secretDescription?: string;
  /** The sentence that says what to look for (alt text). */
  alt: string;
}

const PLACEHOLDER = /<[^<>]+>/;

/** "fabrikam.com" / "fabrikam.onmicrosoft.com" -> "Fabrikam"; otherwise a neutral phrase. */
export function orgName(profile: Pick<ProfileInput, 'tenant' | 'mailbox'>): string {
  const domainOf = (v: string | undefined) => {
    const t = (v ?? '').trim();
    if (!t || /^[0-9a-f-]{36}$/i.test(t)) return undefined;
    return t.includes('@') ? t.split('@')[1] : t;
  };
  const domain = domainOf(profile.tenant) ?? domainOf(profile.mailbox);
  const first = domain?.split('.')[0];
  if (!first || ['outlook', 'hotmail', 'live', 'gmail'].includes(first.toLowerCase())) return 'your organization';
  return first.charAt(0).toUpperCase() + first.slice(1);
}

/** The account-type label with the organisation's name instead of the portal's literal <Org>. */
export function accountTypeLabel(audience: Audience, org: string): string {
  return ACCOUNT_TYPES[audience].label.replace('<Org>', org);
}

function known(v: string | undefined): string | undefined {
  const t = (v ?? '').trim();
  return t && !PLACEHOLDER.test(t) ? t : undefined;
}

export function illustrationData(step: Step, target: TargetEntry, profile: ProfileInput): IllustrationData | undefined {
  if (!step.illustration) return undefined;
  const ctx = createContext(target, profile);
  const org = orgName(profile);
  const permissions = ctx.permissions.map((k) => PERMISSIONS[k]).map((p) => ({ name: p.name, resource: p.resource, type: p.type }));
  const implicit = step.body.includes('Implicit grant and hybrid flows');
  const publicClient = step.body.includes('Allow public client flows');
  const redirectUris = step.id === 'authentication' ? step.copy.filter((c) => /redirect/i.test(c.label)).map((c) => c.value) : ctx.redirectUris.slice(0, 1);
  const secretDescription = step.copy.find((c) => c.label === 'Description')?.value;
  const typeLabel = accountTypeLabel(ctx.audience, org);
  const data: Omit<IllustrationData, 'alt'> = {
    kind: step.illustration,
    appName: ctx.appName,
    audience: ctx.audience,
    org,
    accountTypes: AUDIENCES.map((a) => ({ id: a, label: accountTypeLabel(a, org), selected: a === ctx.audience })),
    redirectUris: target.platform === 'web' ? redirectUris.filter((u) => !PLACEHOLDER.test(u)) : [],
    implicit,
    publicClient,
    permissions,
    mailbox: known(ctx.mailbox) ?? 'the mailbox',
    ...(known(profile.clientId) ? { clientId: known(profile.clientId) } : {}),
    ...(known(profile.tenant) ? { tenantId: known(profile.tenant) } : {}),
    ...(secretDescription ? { secretDescription } : {}),
  };
  const perms = permissions
    .filter((p) => !(p.name === 'User.Read'))
    .map((p) => `${p.name} (${p.type === 'delegated' ? 'Delegated' : 'Application'}, ${p.resource})`)
    .join(', ');
  const alt: Record<IllustrationId, string> = {
    'new-registration': `The New registration form. Look for: Name “${data.appName}”; under Supported account types, “${typeLabel}” selected${data.redirectUris[0] ? `; Redirect URI platform Web with ${data.redirectUris[0]}` : ''}; then the Register button.`,
    'app-overview': `The app's Overview page for “${data.appName}”. Look for Application (client) ID and Directory (tenant) ID in the Essentials box; the Object ID is not needed.`,
    'add-platform-web': `Authentication, Web platform. Look for the Redirect URIs ${data.redirectUris.join(' and ') || '(none)'}${implicit ? '; under Implicit grant and hybrid flows, Access tokens and ID tokens both ticked' : ''}${publicClient ? '; Allow public client flows set to Yes' : ''}; then Save.`,
    'certificates-secrets': `Certificates & secrets, Client secrets tab, after Add. Look for the Value column (copy it now, it is shown once), not the Secret ID column${data.secretDescription ? `; the row's Description is “${data.secretDescription}”` : ''}.`,
    'api-permissions': `API permissions, Configured permissions. Look for ${perms}.`,
    'admin-consent': `API permissions with the Grant admin consent for ${org} button. Look for Status “Granted for ${org}” on every permission: ${perms}.`,
    'enterprise-app-users': `The enterprise application “${data.appName}”, Users and groups. Look for ${data.mailbox} in the list after Add user/group > Assign.`,
    'manage-email-apps': `Microsoft 365 admin center, Active users > ${data.mailbox} > Mail > Manage email apps. Look for Authenticated SMTP (and IMAP) ticked, then Save changes.`,
  };
  return { ...data, alt: alt[step.illustration] };
}
