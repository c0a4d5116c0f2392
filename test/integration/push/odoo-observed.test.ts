/**
 * What a real Odoo 18.0 answered where the stand-in used to answer otherwise (test/standins/CONFORMANCE-ODOO.md,
 * `conformance.ts odoo` against ../shared/peers/odoo): the stand-in must now answer the same, over the same
 * JSON-RPC calls. Runs everywhere (no real Odoo: the expectations are the real one's words as recorded).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index';
import { microsoftFrom } from '../../standins/microsoft';
import { startOdoo, type OdooStandIn } from '../../standins/odoo';
import { startTarget } from '../targets/helpers';

const KEY = 'odoo-api-key-observed-3f9a1c7e5b2d4f6a8c0e1b3d5f7a';
const CLERK_KEY = 'odoo-api-key-observed-clerk-7e5b2d4f6a8c0e1b3d5f';
const MAILBOX = 'sales@fabrikam.com';

let emu: Emulator;
let s: OdooStandIn;
beforeAll(async () => {
  emu = await startTarget('odoo');
});
afterAll(async () => {
  await s?.stop();
  await emu?.stop();
});

interface Rpc {
  result?: unknown;
  error?: { data?: { name?: string; message?: string } };
}
let id = 0;
async function kw(uid: number, key: string, model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}): Promise<Rpc> {
  const r = await fetch(`${s.url}/jsonrpc`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service: 'object', method: 'execute_kw', args: ['fabrikam', uid, key, model, method, args, kwargs] }, id: ++id }) });
  return (await r.json()) as Rpc;
}
const admin = (model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) => kw(2, KEY, model, method, args, kwargs);
const clerk = (model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) => kw(3, CLERK_KEY, model, method, args, kwargs);
const err = (r: Rpc) => ({ name: r.error?.data?.name, message: r.error?.data?.message });

describe('Odoo 18.0 stand-in: what the real Odoo 18.0 answered (CONFORMANCE-ODOO.md)', () => {
  let outId = 0;
  let inId = 0;
  beforeAll(async () => {
    s = await startOdoo({ microsoft: microsoftFrom(emu), product: 'Odoo', version: '18.0', databases: ['fabrikam'], users: [{ login: 'admin', apiKey: KEY, system: true }, { login: 'clerk', apiKey: CLERK_KEY, system: false }], webBaseUrl: 'https://erp.fabrikam.com' });
    outId = ((await admin('ir.mail_server', 'create', [[{ name: `${MAILBOX} (Outlook)`, smtp_host: emu.smtp.host, smtp_port: emu.smtp.port, smtp_encryption: 'starttls', smtp_user: MAILBOX, from_filter: MAILBOX, smtp_authentication: 'outlook' }]])).result as number[])[0]!;
    inId = ((await admin('fetchmail.server', 'create', [[{ name: `${MAILBOX} (Outlook)`, server_type: 'outlook', server: emu.imap.host, port: emu.imap.port, is_ssl: true, user: MAILBOX }]])).result as number[])[0]!;
  });

  it('a second system parameter with the same key is refused (key_uniq, through odoo/service/model.py)', async () => {
    expect((await admin('ir.config_parameter', 'create', [[{ key: 'microsoft_outlook_client_id', value: 'a' }]])).result).toEqual([expect.any(Number)]);
    const again = await admin('ir.config_parameter', 'create', [[{ key: 'microsoft_outlook_client_id', value: 'b' }]]);
    expect(err(again)).toEqual({ name: 'odoo.exceptions.ValidationError', message: 'The operation cannot be completed: Key must be unique.' });
    expect(s.records['ir.config_parameter']!.filter((p) => p.key === 'microsoft_outlook_client_id').map((p) => p.value)).toEqual(['a']);
  });

  it('a user without Settings: the fields of group Settings are named before the model is refused', async () => {
    expect(err(await clerk('ir.mail_server', 'search_read', [[['smtp_user', '=', MAILBOX]]], { fields: ['name', 'smtp_user', 'microsoft_outlook_refresh_token'] }))).toEqual({
      name: 'odoo.exceptions.AccessError',
      message:
        'You do not have enough rights to access the fields "smtp_user,microsoft_outlook_refresh_token" on Mail Server (ir.mail_server). Please contact your system administrator.\n\nOperation: read\nUser: 3\nFields:\n' +
        "- microsoft_outlook_refresh_token (allowed for groups 'Administration / Settings')\n- smtp_user (allowed for groups 'Administration / Settings')",
    });
    expect(err(await clerk('fetchmail.server', 'read', [[inId]], { fields: ['state', 'microsoft_outlook_refresh_token'] })).message).toMatch(/^You do not have enough rights to access the fields "microsoft_outlook_refresh_token" on Incoming Mail Server \(fetchmail\.server\)/);
    // Fields without a group: the model's own rights refuse (the text the product classifies as insufficient rights).
    expect(err(await clerk('ir.config_parameter', 'search_read', [[]], { fields: ['key', 'value'] })).message).toMatch(/^You are not allowed to access 'System Parameter' \(ir\.config_parameter\) records\./);
    expect(err(await clerk('ir.mail_server', 'search_read', [[]], { fields: ['name'] })).message).toMatch(/^You are not allowed to access 'Mail Server' \(ir\.mail_server\) records\./);
  });

  it('Test & Confirm without a token: "Connection test failed: …" (fetchmail.py wraps what the login raises); Test Connection: bare', async () => {
    expect(err(await admin('fetchmail.server', 'button_confirm_login', [[inId]]))).toEqual({ name: 'odoo.exceptions.UserError', message: 'Connection test failed: Please connect with your Outlook account before using it.' });
    expect(err(await admin('ir.mail_server', 'test_smtp_connection', [[outId]]))).toEqual({ name: 'odoo.exceptions.UserError', message: 'Please connect with your Outlook account before using it.' });
    expect(s.records['fetchmail.server']![0]!.state).toBe('draft');
  });

  it('a refresh token Microsoft refuses: the token error, wrapped the same way on Test & Confirm', async () => {
    await admin('ir.config_parameter', 'create', [[{ key: 'microsoft_outlook_client_secret', value: 'not-the-secret' }]]);
    for (const [model, rid] of [['ir.mail_server', outId], ['fetchmail.server', inId]] as const) expect((await admin(model, 'write', [[rid], { microsoft_outlook_refresh_token: 'never-issued-refresh-token-0123456789' }])).result).toBe(true);
    const smtp = err(await admin('ir.mail_server', 'test_smtp_connection', [[outId]]));
    const imap = err(await admin('fetchmail.server', 'button_confirm_login', [[inId]]));
    expect(smtp.message).toMatch(/^An error occurred when fetching the access token\. AADSTS\d+: /);
    expect(imap.message).toMatch(/^Connection test failed: An error occurred when fetching the access token\. AADSTS\d+: /);
    expect(imap.message!.slice('Connection test failed: '.length, 120)).toBe(smtp.message!.slice(0, 120 - 'Connection test failed: '.length));
  });
});
