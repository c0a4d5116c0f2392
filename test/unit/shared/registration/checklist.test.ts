/**
 * One source, two renderings: the checklist's Entra / Exchange steps render from the desired
 * registration, so every redirect URI, permission (name and type), account type, secret and
 * assignment the engine would create is in the checklist, and the checklist asks for nothing else.
 */
import { describe, expect, it } from 'vitest';
import { ACCOUNT_TYPES, createContext, getTarget, type Step } from '../../../../shared/catalogue';
import { expiresLabel } from '../../../../shared/catalogue/steps';
import { PROFILES, TARGET_IDS } from './fixtures';

const PORTAL: Step['where'][] = ['entra', 'm365-admin', 'exchange-powershell'];

function render(id: string, profile = PROFILES[id]!) {
  const t = getTarget(id);
  const ctx = createContext(t, profile);
  const all = t.steps(ctx);
  const steps = all.filter((s) => PORTAL.includes(s.where));
  return { d: ctx.registration, all, steps, text: steps.map((s) => `${s.title}\n${s.body}`).join('\n') };
}

const VARIANTS: Array<[string, string, Record<string, string> | undefined]> = [
  ...TARGET_IDS.map((id) => [id, id, undefined] as [string, string, undefined]),
  ['emailengine (MS Graph API)', 'emailengine', { baseUrl: 'http://localhost:3000', baseScope: 'api' }],
  ['generic-graph (delegated)', 'generic-graph', { flow: 'delegated', redirectUri: 'https://app.fabrikam.com/cb' }],
  ['odoo (multi-tenant + personal)', 'odoo', { baseUrl: 'https://odoo.fabrikam.com', audience: 'multi-personal' }],
];

describe('the checklist renders the desired registration', () => {
  it.each(VARIANTS)('%s', (_label, id, inputs) => {
    const profile = inputs ? { ...PROFILES[id]!, flow: undefined, api: undefined, targetInputs: inputs } : PROFILES[id]!;
    const { d, all, steps, text } = render(id, profile);

    // Account type: the desired one, and no other.
    const label = ACCOUNT_TYPES[d.audience].label;
    expect(steps.find((s) => s.id === 'register')!.body).toContain(`**Supported account types**: **${label}**`);
    for (const other of Object.values(ACCOUNT_TYPES)) if (other.label !== label) expect(text).not.toContain(`**${other.label}**`);

    // Redirect URIs: the copyable ones are exactly the desired ones, each under its platform's label.
    const wanted = (Object.entries(d.redirectUris) as Array<[string, string[]]>).flatMap(([p, uris]) => uris.map((u) => `${p}|${u}`)).sort();
    const platformOf: Record<string, string> = { 'Redirect URI (Web)': 'web', 'Redirect URI (Single-page application (SPA))': 'spa', 'Redirect URI (Public client/native (mobile & desktop))': 'publicClient' };
    const copied = [...new Set(steps.flatMap((s) => s.copy.filter((c) => c.label.startsWith('Redirect URI')).map((c) => `${platformOf[c.label]}|${c.value}`)))].sort();
    expect(copied).toEqual(wanted);
    for (const w of wanted) expect(text).toContain(`\`${w.split('|')[1]}\``);

    // Permissions: name, resource and type, exactly. Scoped app-only mail (the default, issue 19) adds none in
    // Entra: no permission or consent step; the Exchange step is required and "every mailbox" is the opt-in.
    if (d.mailboxScope === 'exchange-rbac') {
      expect(d.permissions.filter((p) => p.type === 'application' && p.resource === 'Microsoft Graph')).toEqual([]);
      expect(!!steps.find((s) => s.id === 'permissions')).toBe(d.permissions.length > 0);
      expect(!!steps.find((s) => s.id === 'admin-consent')).toBe(d.permissions.length > 0);
      const ids = all.map((s) => s.id);
      const limit = steps.find((s) => s.id === 'limit-mailbox')!;
      expect(limit.optional).toBe(false);
      expect(limit.body).toContain('**Who runs it**: an Exchange administrator with the Organization Management role');
      const every = steps.find((s) => s.id === 'every-mailbox')!;
      expect(every.optional).toBe(true);
      expect(every.body).toContain('the app can read the mail of and send mail as every mailbox in your organisation');
      // The order that works: the Exchange step needs the app (its ids), and comes before the proof.
      expect(ids.indexOf('copy-ids')).toBeGreaterThanOrEqual(0);
      expect(ids.indexOf('copy-ids')).toBeLessThan(ids.indexOf('limit-mailbox'));
      expect(ids.indexOf('limit-mailbox')).toBeLessThan(ids.indexOf('every-mailbox'));
      expect(ids.indexOf('every-mailbox')).toBeLessThan(ids.indexOf('prove'));
      for (const m of d.manualSteps) for (const line of m.command.split('\n')) expect(text, m.id).toContain(line);
      return;
    }
    expect(steps.find((s) => s.id === 'every-mailbox')).toBeUndefined();
    const perm = steps.find((s) => s.id === 'permissions')!;
    expect(perm.copy.map((c) => `${c.label}|${c.value}`).sort()).toEqual(d.permissions.map((p) => `${p.resource}, ${p.type}|${p.name}`).sort());
    for (const p of d.permissions) expect(perm.body).toContain(`**${p.name}**`);
    const kinds = new Set(d.permissions.map((p) => `${p.resource}/${p.type}`));
    expect(perm.body.includes('**Microsoft Graph > Delegated permissions**')).toBe(kinds.has('Microsoft Graph/delegated') && d.permissions.some((p) => p.type === 'delegated' && p.name !== 'User.Read'));
    expect(perm.body.includes('**Microsoft Graph > Application permissions**')).toBe(kinds.has('Microsoft Graph/application'));
    expect(perm.body.includes('then **Application permissions**')).toBe(kinds.has('Office 365 Exchange Online/application'));

    // Secret: description and lifetime.
    const secret = steps.find((s) => s.id === 'client-secret')!;
    if (d.credential.kind === 'secret') {
      expect(secret.body).toContain(`**Description**: \`${d.credential.displayName}\``);
      expect(secret.body).toContain(`**Expires**: **${expiresLabel(d.credential.lifetimeMonths)}**`);
    }

    // Admin consent: required exactly when application permissions or assignment make it so.
    const consent = steps.find((s) => s.id === 'admin-consent')!;
    expect(!consent.optional).toBe(d.consent.application || d.assignment.required);

    // Assignment: set to Yes and assigned exactly when desired.
    const assign = steps.find((s) => s.id === 'assign-users');
    expect(!!assign && !assign.optional).toBe(d.assignment.required);
    expect(text.includes('set **Assignment required?** to **Yes**')).toBe(d.assignment.required);
    if (d.assignment.assignMailbox) expect(assign!.copy).toContainEqual({ label: 'User', value: d.mailbox });

    // Authentication settings: public client flows and implicit grant exactly when desired.
    expect(text.includes('**Enable the following mobile and desktop flows** to **Yes**')).toBe(d.isFallbackPublicClient);
    expect(text.includes('**Access tokens (used for implicit flows)**')).toBe(d.implicitGrant.accessTokens);
    expect(text.includes('**ID tokens (used for implicit and hybrid flows)**')).toBe(d.implicitGrant.idTokens);

    // Exchange / admin center steps: every command of the desired state is in the checklist.
    for (const m of d.manualSteps) for (const line of m.command.split('\n')) expect(text, m.id).toContain(line);
  });
});

describe('no Copy for a value that is not known yet (issue 14 item 1)', () => {
  it.each(TARGET_IDS)('%s, with nothing filled in', (id) => {
    const t = getTarget(id);
    const ctx = createContext(t, { name: 'empty', target: id, targetInputs: {} });
    for (const s of t.steps(ctx).filter((x) => PORTAL.includes(x.where)))
      for (const c of s.copy) expect(c.value, `${s.id} / ${c.label}`).not.toMatch(/<[^<>]+>/);
  });

  it('the Exchange commands become copyable once the ids are known', () => {
    const t = getTarget('app-only-imap-smtp');
    const without = createContext(t, { ...PROFILES['app-only-imap-smtp']!, targetInputs: {} });
    const step = (c: typeof without) => t.steps(c).find((s) => s.id === 'exchange-service-principal')!;
    // The read-only check for Application Access Policies needs only the client ID, known here (issue 20).
    expect(step(without).copy.map((c) => c.value)).toEqual([`Connect-ExchangeOnline -Organization '${without.tenant}'`, `Get-ApplicationAccessPolicy\nTest-ApplicationAccessPolicy -Identity 'info@fabrikam.com' -AppId '${without.profile.clientId}'`]);
    expect(step(without).body).toContain("the enterprise application's Object ID");
    const withIds = createContext(t, PROFILES['app-only-imap-smtp']!);
    expect(step(withIds).copy.map((c) => c.value.split(' ')[0])).toEqual(['Connect-ExchangeOnline', 'New-ServicePrincipal', 'Add-MailboxPermission', 'Get-ApplicationAccessPolicy\nTest-ApplicationAccessPolicy']);
  });
});
