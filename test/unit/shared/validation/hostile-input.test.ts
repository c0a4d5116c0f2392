/**
 * Hostile and careless input (issue 13): each class a value a person really pastes, with the finding
 * the assistant must give. Microsoft application ids: REGISTRATION-FACTS.md 1.2 and 2.0.
 */
import { describe, expect, it } from 'vitest';
import { validateProfile, type Finding } from '../../../../shared/validation';
import type { ProfileInput } from '../../../../shared/profile';
import { findTarget, validationHints } from '../../../../shared/catalogue';

const NOW = new Date('2026-11-23T12:00:00Z');
const CLIENT = '11111111-2222-4333-8444-000000000001';
const TENANT = '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01';

const good: ProfileInput = {
  name: 'Fabrikam Odoo',
  target: 'odoo',
  targetInputs: { baseUrl: 'https://erp.fabrikam.com' },
  cloud: 'global',
  tenant: TENANT,
  clientId: CLIENT,
  clientSecret: { source: 'env', name: 'ERP_SECRET' },
  mailbox: 'reception@fabrikam.com',
  flow: 'delegated',
  api: 'imap-smtp',
};

function run(patch: Record<string, unknown>) {
  return validateProfile({ ...good, ...patch } as ProfileInput, { now: NOW });
}
const find = (findings: Finding[], code: string) => findings.find((f) => f.code === code);
const codes = (findings: Finding[]) => findings.map((f) => `${f.severity}:${f.code}`).join(', ');

describe('Microsoft application ids given as the client id', () => {
  it.each([
    ['Microsoft Graph', '00000003-0000-0000-c000-000000000000'],
    ['Office 365 Exchange Online', '00000002-0000-0ff1-ce00-000000000000'],
    ['Microsoft Graph Command Line Tools', '14d82eec-204b-4c2f-b7e8-296a70dab67e'],
    ['Microsoft Azure CLI', '04b07795-8ddb-461a-bbee-02f9e1bf7b46'],
    ['Microsoft Azure PowerShell', '1950a258-227b-4e31-a9cf-717495945fc2'],
    ['Graph Explorer', 'de8bc8b5-d9f9-48b1-a8ad-b748da725064'],
  ])('%s (%s) is refused with a plain explanation', (name, id) => {
    for (const written of [id, id.toUpperCase(), `{${id}}`]) {
      const { findings } = run({ clientId: written });
      const f = find(findings, 'client-id-microsoft-app');
      expect(f, codes(findings)).toBeDefined();
      expect(f!.severity).toBe('error');
      expect(f!.field).toBe('clientId');
      expect(f!.message).toContain(name);
      expect(f!.message).toMatch(/your own app registration/i);
      expect(f!.message).toContain('Overview');
    }
  });

  it('the nil GUID is refused as a placeholder', () => {
    for (const nil of ['00000000-0000-0000-0000-000000000000', '00000000000000000000000000000000']) {
      const { findings } = run({ clientId: nil });
      const f = find(findings, 'client-id-nil-guid');
      expect(f, codes(findings)).toBeDefined();
      expect(f!.severity).toBe('error');
      expect(f!.message).toMatch(/placeholder/);
    }
    expect(find(run({ tenant: '00000000-0000-0000-0000-000000000000' }).findings, 'tenant-nil-guid')?.severity).toBe('error');
  });

  it('an ordinary client id passes', () => {
    expect(run({}).findings).toEqual([]);
  });
});

describe('a Microsoft sign-in host given as the tenant', () => {
  it.each([
    'login.microsoftonline.com',
    'LOGIN.MICROSOFTONLINE.COM',
    'https://login.microsoftonline.com',
    'https://login.microsoftonline.com/',
    'https://login.microsoftonline.com/oauth2/v2.0/authorize',
    'login.microsoftonline.us',
    'https://login.microsoftonline.us/',
    'login.chinacloudapi.cn',
    'login.partner.microsoftonline.cn',
    'login.windows.net',
    'login.microsoft.com',
  ])('%s is refused', (tenant) => {
    const { findings, cleaned } = run({ tenant });
    const f = find(findings, 'tenant-is-sign-in-host');
    expect(f, codes(findings)).toBeDefined();
    expect(f!.severity).toBe('error');
    expect(f!.message).toMatch(/Microsoft's sign-in address/);
    expect(f!.message).toContain('Directory (tenant) ID');
    expect(cleaned.tenant).toBeUndefined();
  });

  it('a sign-in address with the tenant in it still gives the tenant', () => {
    const { findings, cleaned } = run({ tenant: `https://login.microsoftonline.us/${TENANT}/oauth2/v2.0/authorize` });
    expect(cleaned.tenant).toBe(TENANT);
    expect(find(findings, 'tenant-is-sign-in-host')).toBeUndefined();
  });
});

describe('impossible calendar dates as the secret expiry', () => {
  it.each(['2027-02-30', '2027-02-29', '2028-04-31', '2027-06-31', '2027-00-10', '2027-11-00', '2027-02-30T10:00:00Z'])('%s is refused', (secretExpires) => {
    const { findings, cleaned } = run({ secretExpires });
    expect(find(findings, 'secret-expires-invalid'), codes(findings)).toBeDefined();
    expect(cleaned.secretExpires).toBeUndefined();
  });

  it.each(['2028-02-29', '2027-12-31', '2027-04-30', '2027-03-01T08:00:00Z'])('%s is accepted', (secretExpires) => {
    const { findings, cleaned } = run({ secretExpires });
    expect(findings.filter((f) => f.field === 'secretExpires')).toEqual([]);
    expect(cleaned.secretExpires).toBe(secretExpires);
  });
});

describe('an http redirect on a host that is not this machine', () => {
  it('EmailEngine at http://mail.fabrikam.com:3000 is an error: Entra refuses to register it', () => {
    const { findings, cleaned } = run({ target: 'emailengine', targetInputs: { baseUrl: 'http://mail.fabrikam.com:3000' } });
    const f = findings.find((x) => x.field === 'targetInputs.baseUrl' && x.severity === 'error');
    expect(f, codes(findings)).toBeDefined();
    expect(f!.code).toBe('base-url-https-required');
    expect(f!.message).toContain('http://mail.fabrikam.com:3000/oauth');
    expect(f!.message).toMatch(/localhost/);
    expect(findings.some((x) => x.code === 'base-url-http')).toBe(false);
    expect(cleaned.targetInputs?.redirectUri).toBeUndefined();
  });

  it.each(['http://localhost:3000', 'http://127.0.0.1:3000'])('EmailEngine at %s is allowed (loopback)', (baseUrl) => {
    const { findings, cleaned } = run({ target: 'emailengine', targetInputs: { baseUrl } });
    expect(findings.filter((f) => f.severity === 'error'), codes(findings)).toEqual([]);
    expect(cleaned.targetInputs?.redirectUri).toBe(`${baseUrl}/oauth`);
  });

  it('http://[::1] is refused: Entra does not support the IPv6 loopback', () => {
    const { findings } = run({ target: 'emailengine', targetInputs: { baseUrl: 'http://[::1]:3000' } });
    expect(find(findings, 'base-url-https-required'), codes(findings)).toBeDefined();
  });

  it("a generic application's own http redirect on a company host is an error", () => {
    const { findings } = run({ target: 'generic-imap-smtp', targetInputs: { redirectUri: 'http://app.fabrikam.com/oauth/callback' } });
    const f = find(findings, 'redirect-uri-https-required');
    expect(f, codes(findings)).toBeDefined();
    expect(f!.severity).toBe('error');
    expect(f!.field).toBe('targetInputs.redirectUri');
    expect(run({ target: 'generic-imap-smtp', targetInputs: { redirectUri: 'http://localhost:8080/callback' } }).findings.filter((x) => x.severity === 'error')).toEqual([]);
  });
});

describe('"consumers" with a company-domain mailbox', () => {
  it('is a warning: a personal Microsoft account can have a company address', () => {
    const { findings, cleaned } = run({ tenant: 'consumers' });
    const f = find(findings, 'tenant-consumers-company-mailbox');
    expect(f, codes(findings)).toBeDefined();
    expect(f!.severity).toBe('warning');
    expect(f!.message).toMatch(/personal Microsoft account/);
    expect(f!.message).toContain('reception@fabrikam.com');
    expect(cleaned.tenant).toBe('consumers');
    expect(findings.filter((x) => x.severity === 'error'), codes(findings)).toEqual([]);
  });
});

describe('a page address pasted as the base URL', () => {
  it.each([
    ['odoo', 'https://erp.example.com/web#action=123&model=mail.mail&view_type=list', 'https://erp.example.com'],
    ['odoo', 'https://erp.example.com/odoo/action-mail.action_view_mail_mail?debug=1', 'https://erp.example.com'],
    ['odoo', 'https://erp.example.com/?db=prod', 'https://erp.example.com'],
    ['odoo', 'https://erp.example.com/#home', 'https://erp.example.com'],
    ['odoo', 'https://example.com/erp/web#action=1', 'https://example.com/erp'],
    ['flectra', 'https://erp.example.com/web?debug=assets#menu_id=4', 'https://erp.example.com'],
    ['frappe', 'https://erp.example.com/app/email-account/new-email-account-1', 'https://erp.example.com'],
    ['frappe', 'https://erp.example.com/desk#List/Email%20Account', 'https://erp.example.com'],
    ['emailengine', 'https://mail.example.com/admin/config/oauth', 'https://mail.example.com'],
    ['emailengine', 'https://example.com/emailengine/admin#x', 'https://example.com/emailengine'],
    ['flexdeploy', 'https://deploy.example.com/flexdeploy/faces/home?x=1', 'https://deploy.example.com'],
  ])('%s: %s is cleaned to %s with a note', (target, baseUrl, expected) => {
    const inputs = target === 'frappe' ? { baseUrl, connectedAppName: 'a1b2c3d4e5' } : { baseUrl };
    const { findings, cleaned } = run({ target, targetInputs: inputs });
    expect(findings.filter((f) => f.severity === 'error'), codes(findings)).toEqual([]);
    expect(cleaned.targetInputs?.baseUrl).toBe(expected);
    const notes = findings.filter((f) => f.field === 'targetInputs.baseUrl');
    expect(notes.length, codes(findings)).toBe(1);
    expect(notes[0]!.severity).toBe('warning');
    expect(notes[0]!.message).toContain(expected);
  });

  it('cuts page addresses with the catalogue\'s hints too (what the desktop app passes)', () => {
    const hints = validationHints(findTarget('odoo')!, {});
    const { findings, cleaned } = validateProfile({ ...good, targetInputs: { baseUrl: 'https://erp.example.com/odoo/discuss?x=1' } } as ProfileInput, { now: NOW, target: hints });
    expect(cleaned.targetInputs?.baseUrl).toBe('https://erp.example.com');
    expect(find(findings, 'base-url-query')?.message).toMatch(/inside Odoo/);
  });

  it('keeps a path a target may legitimately be served under', () => {
    for (const [target, baseUrl] of [['emailengine', 'https://example.com/emailengine'], ['odoo', 'https://example.com/erp'], ['generic-imap-smtp', 'https://example.com/web']] as const) {
      const { findings, cleaned } = run({ target, targetInputs: { baseUrl } });
      expect(cleaned.targetInputs?.baseUrl, target).toBe(baseUrl);
      expect(findings.filter((f) => f.field === 'targetInputs.baseUrl'), codes(findings)).toEqual([]);
    }
  });

  it('EmailEngine behind a path: only /oauth is removed, the path stays', () => {
    const { cleaned } = run({ target: 'emailengine', targetInputs: { baseUrl: 'https://example.com/emailengine/oauth' } });
    expect(cleaned.targetInputs?.baseUrl).toBe('https://example.com/emailengine');
    expect(cleaned.targetInputs?.redirectUri).toBe('https://example.com/emailengine/oauth');
  });
});

describe('upper-case GUIDs', () => {
  it('are normalised silently (no warning)', () => {
    const { findings, cleaned } = run({ clientId: CLIENT.toUpperCase(), tenant: TENANT.toUpperCase(), secretId: '5A6B7C8D-0001-4E2F-9A3B-000000000051' });
    expect(findings).toEqual([]);
    expect(cleaned.clientId).toBe(CLIENT);
    expect(cleaned.tenant).toBe(TENANT);
    expect(cleaned.secretId).toBe('5a6b7c8d-0001-4e2f-9a3b-000000000051');
  });

  it('a GUID without hyphens still gets a note', () => {
    const { findings } = run({ clientId: CLIENT.replace(/-/g, '').toUpperCase() });
    expect(find(findings, 'client-id-cleaned')?.severity).toBe('warning');
  });
});

describe('cleaning messages read as sentences', () => {
  const dirty: Record<string, unknown>[] = [
    { clientId: CLIENT.replace(/-/g, '') },
    { clientId: `Application (client) ID: {${CLIENT.replace(/-/g, '')}}` },
    { clientId: `\u00a0"${CLIENT}"\u200b` },
    { clientId: `${CLIENT}\n` },
    { clientId: `  ${CLIENT} ` },
    { tenant: TENANT.replace(/-/g, '') },
    { tenant: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/` },
    { tenant: `Directory (tenant) ID: "${TENANT}"` },
    { secretId: `{${'5a6b7c8d00014e2f9a3b000000000051'}}` },
    { mailbox: 'Reception <reception@fabrikam.com>' },
    { mailbox: ' mailto:reception@fabrikam.com\u00a0' },
    { targetInputs: { baseUrl: ' "https://erp.fabrikam.com/" ' } },
    { targetInputs: { baseUrl: 'https://erp.fabrikam.com/web#action=1' } },
  ];

  it('the message reported in issue 13 now reads as a sentence', () => {
    const f = find(run({ clientId: CLIENT.replace(/-/g, '') }).findings, 'client-id-cleaned')!;
    expect(f.message).toBe(`Added the hyphens a GUID is written with to the Application (client) ID: now ${CLIENT}.`);
    const g = find(run({ clientId: `{${CLIENT.replace(/-/g, '')}}` }).findings, 'client-id-cleaned')!;
    expect(g.message).toBe(`Removed the brackets from the Application (client) ID and added the hyphens a GUID is written with: now ${CLIENT}.`);
  });

  it('every cleaning message is a sentence', () => {
    const seen: string[] = [];
    for (const patch of dirty) {
      const notes = run(patch).findings.filter((f) => f.severity === 'warning');
      expect(notes.length, JSON.stringify(patch)).toBeGreaterThan(0);
      for (const f of notes) {
        seen.push(f.message);
        // Starts with a capital, ends with a full stop, one verb after "Removed" (a list of things, never an action).
        expect(f.message, f.message).toMatch(/^[A-Z][\s\S]*\.$/);
        expect(f.message, f.message).not.toMatch(/\bRemoved (wrote|added|put|kept|took|made)\b/);
        expect(f.message, f.message).not.toMatch(/,\s*(wrote|added|put|kept|took|made)\b/);
        expect(f.message, f.message).not.toMatch(/\b(\w+) \1\b/i);
        expect(f.message, f.message).not.toMatch(/\s[,.:]/);
        const removed = /^Removed (.+?) (?:from|around) /.exec(f.message);
        if (removed) for (const thing of removed[1]!.split(/, | and /)) expect(thing, f.message).toMatch(/^(the |"|invisible |line |spaces |quotes|brackets)/);
      }
    }
    expect(new Set(seen).size).toBeGreaterThanOrEqual(8);
  });
});

describe('national clouds', () => {
  it('EmailEngine in DoD: warns that EmailEngine asks for a different Exchange resource than Microsoft documents', () => {
    const { findings } = run({ target: 'emailengine', targetInputs: { baseUrl: 'https://mail.fabrikam.mil' }, cloud: 'dod' });
    const f = find(findings, 'cloud-emailengine-resource');
    expect(f, codes(findings)).toBeDefined();
    expect(f!.severity).toBe('warning');
    expect(f!.message).toContain('https://outlook.office365.us');
    expect(f!.message).toContain('https://outlook-dod.office365.us');
    for (const cloud of ['global', 'gcc-high', 'china']) expect(find(run({ target: 'emailengine', targetInputs: { baseUrl: 'https://mail.fabrikam.com' }, cloud }).findings, 'cloud-emailengine-resource'), cloud).toBeUndefined();
    expect(find(run({ cloud: 'dod' }).findings, 'cloud-emailengine-resource')).toBeUndefined();
  });
});
