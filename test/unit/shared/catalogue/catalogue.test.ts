import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checklist,
  createContext,
  FORMAT_IDS,
  getTarget,
  ILLUSTRATION_IDS,
  PasteCardSchema,
  pasteCard,
  PERMISSIONS,
  redirectUris,
  ResolvedSchema,
  StepSchema,
  TargetEntrySchema,
  targetHints,
  targets,
  validateInputs,
  validationHints,
} from '../../../../shared/catalogue';
import { CLIENT_ID, PROFILES, TENANT } from './fixtures';

const root = path.resolve(import.meta.dirname, '../../../..');

describe('catalogue entries', () => {
  it('has the nine entries the product card names and the relay entry (issue 22), with unique ids', () => {
    expect(targets.map((t) => t.id)).toEqual(['flectra', 'odoo', 'flexdeploy', 'emailengine', 'frappe', 'cxt', 'generic-imap-smtp', 'generic-graph', 'app-only-imap-smtp', 'relay-device']);
  });

  it.each(targets.map((t) => [t.id, t] as const))('%s is a valid entry, and so is everything it computes', (id, t) => {
    expect(TargetEntrySchema.safeParse(t).error?.issues ?? []).toEqual([]);
    const profile = PROFILES[id]!;
    const ctx = createContext(t, profile);
    const { flow, api, redirectUris: r, permissions, scopes, checks } = ctx;
    expect(ResolvedSchema.safeParse({ flow, api, redirectUris: r, permissions, scopes, checks }).error?.issues ?? []).toEqual([]);
    const steps = t.steps(ctx);
    expect(steps.length).toBeGreaterThan(3);
    for (const s of steps) expect(StepSchema.safeParse(s).error?.issues ?? [], s.id).toEqual([]);
    expect(new Set(steps.map((s) => s.id)).size).toBe(steps.length);
    expect(PasteCardSchema.safeParse(t.pasteCard(ctx)).error?.issues ?? []).toEqual([]);
    // Fully filled profile: no placeholder left in any value to copy, except the secret.
    for (const s of steps) for (const c of s.copy) if (!c.secret) expect(c.value, `${s.id} ${c.label}`).not.toMatch(/<[^>]+>/);
    // Every entry's exports are known formats and include the common ones.
    for (const f of ['paste-card', 'profile-json', 'env', 'report-html', 'ics-reminder']) expect(t.exports).toContain(f);
    for (const f of t.exports) expect(FORMAT_IDS).toContain(f);
    // Flow and API the profile states agree with what the target resolves.
    expect(ctx.flow).toBe(profile.flow ?? 'delegated');
  });

  it('every register step names a Supported account types label the portal shows', () => {
    for (const t of targets) {
      const body = checklist(t, PROFILES[t.id]!).find((s) => s.id === 'register')!.body;
      expect(body).toMatch(/\*\*Supported account types\*\*: \*\*Accounts in|\*\*Personal Microsoft accounts only\*\*/);
    }
  });

  it('permission ids are the well-known ones of MICROSOFT-FACTS.md and never put Graph ids under Exchange', () => {
    const facts = readFileSync('/work/shared/docs/MICROSOFT-FACTS.md', 'utf8');
    for (const p of Object.values(PERMISSIONS)) {
      expect(facts).toContain(p.id);
      if (p.resource === 'Office 365 Exchange Online') expect(['652390e4-393a-48de-9484-05f9b1212954', '258f6531-6087-4cc4-bb90-092c5fb3ed3f']).not.toContain(p.id);
    }
  });

  it('each illustration id has an SVG in assets/portal, and steps reference only those', () => {
    for (const id of ILLUSTRATION_IDS) expect(existsSync(path.join(root, 'assets/portal', `${id}.svg`)), id).toBe(true);
  });

  it('keeps every portal URL in portal-links.ts', () => {
    const dir = path.join(root, 'shared/catalogue');
    const files = [...readdirSync(dir).map((f) => path.join(dir, f)), ...readdirSync(path.join(dir, 'targets')).map((f) => path.join(dir, 'targets', f))].filter((f) => f.endsWith('.ts'));
    for (const f of files) {
      if (f.endsWith('portal-links.ts')) continue;
      const text = readFileSync(f, 'utf8');
      expect(text, f).not.toMatch(/https:\/\/(entra\.microsoft\.com|go\.microsoft\.com|portal\.azure\.com|admin\.microsoft\.com|login\.microsoftonline)/);
    }
  });

  it('portal deep links use the client id when known, the stable link otherwise', () => {
    const withId = checklist('flectra', PROFILES.flectra!).find((s) => s.id === 'client-secret')!;
    expect(withId.link?.url).toBe(`https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Credentials/appId/${CLIENT_ID}`);
    const without = checklist('flectra', { ...PROFILES.flectra!, clientId: '' }).find((s) => s.id === 'client-secret')!;
    expect(without.link?.url).toBe('https://go.microsoft.com/fwlink/?linkid=2083908');
    const consent = checklist('app-only-imap-smtp', PROFILES['app-only-imap-smtp']!).find((s) => s.id === 'admin-consent')!;
    expect(consent.link?.url).toBe(`https://login.microsoftonline.com/${TENANT}/adminconsent?client_id=${CLIENT_ID}`);
    expect(consent.optional).toBeFalsy();
  });
});

describe('redirect URIs', () => {
  it.each([
    ['flectra', { baseUrl: 'https://erp.fabrikam.com/' }, 'https://erp.fabrikam.com/microsoft_outlook/confirm'],
    ['flexdeploy', { baseUrl: 'https://fd.fabrikam.com' }, 'https://fd.fabrikam.com/flexdeploy/rest/v2/oauth'],
    ['flexdeploy', { baseUrl: 'https://fd.fabrikam.com/flexdeploy', version: '7' }, 'https://fd.fabrikam.com/flexdeploy/rest/v2/oauth'],
    ['flexdeploy', { baseUrl: 'https://fd.fabrikam.com', version: '6' }, 'https://fd.fabrikam.com/flexdeploy/facesrest/v2/oauth'],
    ['flexdeploy', { baseUrl: 'https://fd.fabrikam.com', version: '5.6' }, 'https://fd.fabrikam.com/flexdeploy/faces/oauth'],
    ['emailengine', { baseUrl: 'http://localhost:3000' }, 'http://localhost:3000/oauth'],
    ['frappe', { baseUrl: 'https://erp.fabrikam.com', connectedAppName: 'abc123' }, 'https://erp.fabrikam.com/api/method/frappe.integrations.doctype.connected_app.connected_app.callback/abc123'],
  ])('%s %j -> %s', (target, targetInputs, expected) => {
    expect(redirectUris(target, { name: 'x', target, targetInputs })).toEqual([expected]);
  });

  it('shows a visible placeholder while the base URL is missing', () => {
    expect(redirectUris('odoo', { name: 'x', target: 'odoo' })).toEqual(["<Your Odoo's web address>/microsoft_outlook/confirm"]);
  });

  it('CXT registers both localhost addresses; app-only IMAP/SMTP none', () => {
    expect(redirectUris('cxt', PROFILES.cxt!)).toEqual(['https://localhost', 'http://localhost']);
    expect(redirectUris('app-only-imap-smtp', PROFILES['app-only-imap-smtp']!)).toEqual([]);
  });
});

describe('flow, api, scopes', () => {
  it('EmailEngine switches to Graph with base scope api', () => {
    const ctx = createContext(getTarget('emailengine'), { ...PROFILES.emailengine!, targetInputs: { baseUrl: 'http://localhost:3000', baseScope: 'api' } });
    expect(ctx.api).toBe('graph');
    expect(ctx.permissions).toContain('graph.delegated.Mail.ReadWrite');
    expect(ctx.scopes[0]).toEqual(['offline_access', 'https://graph.microsoft.com/Mail.ReadWrite', 'https://graph.microsoft.com/Mail.Send', 'https://graph.microsoft.com/User.Read']);
    expect(ctx.checks).toEqual(['network', 'token', 'graph']);
  });

  it('delegated IMAP/SMTP asks the Outlook resource, never a Graph-prefixed IMAP scope', () => {
    const ctx = createContext(getTarget('flectra'), PROFILES.flectra!);
    expect(ctx.scopes).toEqual([['offline_access', 'https://outlook.office.com/IMAP.AccessAsUser.All', 'https://outlook.office.com/SMTP.Send']]);
  });

  it('app-only IMAP/SMTP uses Exchange Online application permissions and the .default scope', () => {
    const ctx = createContext(getTarget('app-only-imap-smtp'), PROFILES['app-only-imap-smtp']!);
    expect(ctx.permissions.map((k) => PERMISSIONS[k].resource)).toEqual(['Office 365 Exchange Online', 'Office 365 Exchange Online']);
    expect(ctx.scopes).toEqual([['https://outlook.office365.com/.default']]);
  });

  it('GCC High uses its own hosts', () => {
    const ctx = createContext(getTarget('frappe'), { ...PROFILES.frappe!, cloud: 'gcc-high' });
    expect(ctx.scopes[0]).toContain('https://outlook.office365.us/IMAP.AccessAsUser.All');
    expect(pasteCard('frappe', { ...PROFILES.frappe!, cloud: 'gcc-high' }).sections[0]!.fields.find((f) => f.label === 'OpenID Configuration')!.value).toBe(
      `https://login.microsoftonline.us/${TENANT}/v2.0/.well-known/openid-configuration`,
    );
  });
});

describe('hints and input validation', () => {
  it('targetHints gives static facts and input-dependent ones', () => {
    expect(targetHints('flexdeploy', { version: '5.6' })).toMatchObject({ needsBaseUrl: true, requiresHttps: true, redirectPath: '/flexdeploy/faces/oauth', flow: 'delegated', api: 'imap-smtp' });
    expect(targetHints('emailengine', { baseScope: 'api' })).toMatchObject({ requiresHttps: false, redirectPath: '/oauth', api: 'graph' });
    expect(targetHints('cxt')).toMatchObject({ needsBaseUrl: false, flow: 'app-only', api: 'graph' });
    expect(targetHints('generic-graph', { flow: 'app-only' }).flow).toBe('app-only');
  });

  it('validationHints matches the shape shared/validation reads', () => {
    const h = validationHints('odoo');
    expect(h.redirectPath?.('https://erp.fabrikam.com/')).toBe('https://erp.fabrikam.com/microsoft_outlook/confirm');
    expect(validationHints('cxt').redirectPath).toBeUndefined();
  });

  it('validateInputs flags missing, http and malformed inputs', () => {
    expect(validateInputs('odoo', {})).toEqual([{ inputId: 'baseUrl', message: "Your Odoo's web address is needed." }]);
    expect(validateInputs('odoo', { baseUrl: 'http://erp.fabrikam.com' })[0]?.message).toMatch(/https/);
    expect(validateInputs('odoo', { baseUrl: 'https://erp.fabrikam.com', version: '14' })[0]?.inputId).toBe('version');
    expect(validateInputs('emailengine', { baseUrl: 'http://localhost:3000' })).toEqual([]);
    expect(validateInputs('emailengine', { baseUrl: 'http://ee.fabrikam.com' })[0]?.inputId).toBe('baseUrl');
    expect(validateInputs('frappe', { baseUrl: 'https://erp.fabrikam.com', connectedAppName: 'has space' })[0]?.inputId).toBe('connectedAppName');
    expect(validateInputs('frappe', { baseUrl: 'https://erp.fabrikam.com', connectedAppName: 'abc123' })).toEqual([]);
  });

  it('a single-tenant Odoo gets both endpoint system parameters; the default does not', () => {
    const single = checklist('odoo', PROFILES.odoo!).find((s) => s.id === 'endpoint-parameter')!;
    expect(single.copy.map((c) => c.value)).toEqual(['microsoft_outlook.endpoint', 'microsoft.outlook.endpoint', `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/`]);
    expect(checklist('flectra', PROFILES.flectra!).some((s) => s.id === 'endpoint-parameter')).toBe(false);
  });
});
