/**
 * The end of Basic auth for SMTP (issue 12 item 4): a system that still logs in to SMTP with a password
 * meets `550 5.7.30 Basic authentication is not supported for Client Submission.` (REGISTRATION-FACTS 4.5,
 * Exchange Team blog ba-p/4114750) or `535 5.7.139 Authentication unsuccessful, basic authentication is
 * disabled.` ([Issue] rpremraj/mailR#107, nodemailer/nodemailer#1714). The emulator speaks XOAUTH2 only,
 * so this file runs its own real SMTP server (smtp-server on 127.0.0.1) that offers AUTH PLAIN/LOGIN and
 * refuses the password with those texts (where in the session Microsoft sends 5.7.30 is not documented:
 * here, at AUTH — *Inference*); nodemailer logs in with a password as the legacy system would, and the
 * engine's diagnose() must name it, with the fix, and never echo the password.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import nodemailer from 'nodemailer';
import type { AddressInfo } from 'node:net';
import { diagnose } from '../../../shared/diagnosis';
import { ProfileSchema } from '../../../shared/profile';

const PASSWORD = 'Legacy-Pass-Word-42!';
let mode: '5.7.30' | '5.7.139' = '5.7.30';
let server: SMTPServer;
let port: number;

beforeAll(async () => {
  server = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    banner: 'Microsoft ESMTP MAIL Service ready (test stand-in)',
    onAuth(_auth, _session, cb) {
      const e = Object.assign(new Error(mode === '5.7.30' ? '5.7.30 Basic authentication is not supported for Client Submission.' : '5.7.139 Authentication unsuccessful, basic authentication is disabled. [AM0PR01CA0001.eurprd01.prod.outlook.com]'), { responseCode: mode === '5.7.30' ? 550 : 535 });
      cb(e);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

const profile = ProfileSchema.parse({ name: 'legacy-erp', target: 'odoo', targetInputs: { baseUrl: 'https://erp.fabrikam.com' }, tenant: 'fabrikam.com', clientId: '11111111-2222-4333-8444-000000000001', mailbox: 'reception@fabrikam.com' });

async function sendWithPassword(): Promise<unknown> {
  const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, auth: { user: 'reception@fabrikam.com', pass: PASSWORD } });
  try {
    await t.sendMail({ from: 'reception@fabrikam.com', to: 'reception@fabrikam.com', subject: 'legacy', text: 'x' });
    return null;
  } catch (e) {
    return e;
  } finally {
    t.close();
  }
}

describe('SMTP Basic auth refused: the diagnosis names it and points to the move to OAuth', () => {
  it('550 5.7.30 → smtp-basic-auth-rejected, with the December 2026 change and the wizard path in the fix', async () => {
    mode = '5.7.30';
    const e = await sendWithPassword();
    expect(e).toBeTruthy();
    expect(String((e as { response?: string }).response)).toContain('550 5.7.30 Basic authentication is not supported for Client Submission.');
    const d = diagnose(e, { profile, check: 'smtp', secrets: [PASSWORD] });
    expect(d.code).toBe('smtp-basic-auth-rejected');
    expect(d.cause).toMatch(/end of December 2026/);
    expect(d.fix.map((f) => f.text).join(' ')).toMatch(/My system still sends with a password/);
    expect(JSON.stringify(d)).not.toContain(PASSWORD);
  });

  it('535 5.7.139 "basic authentication is disabled" → smtp-basic-auth-disabled (not the generic 535)', async () => {
    mode = '5.7.139';
    const e = await sendWithPassword();
    const d = diagnose(e, { profile, check: 'smtp', secrets: [PASSWORD] });
    expect(d.code).toBe('smtp-basic-auth-disabled');
    expect(d.title).toBe('The mail server no longer accepts a password for this account');
    expect(d.evidence.text).toContain('basic authentication is disabled');
    expect(d.fix[0]!.text).toMatch(/Move the system to OAuth/);
    expect(JSON.stringify(d)).not.toContain(PASSWORD);
  });

  it('the other 5.7.139 texts keep their own codes (tenant switch, generic failure)', () => {
    const tenant = diagnose(Object.assign(new Error('Invalid login: 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.'), { responseCode: 535, code: 'EAUTH' }), { profile, check: 'smtp' });
    expect(tenant.code).toBe('smtp-auth-disabled-tenant');
    const plain = diagnose(Object.assign(new Error('Invalid login: 535 5.7.3 Authentication unsuccessful'), { responseCode: 535, code: 'EAUTH' }), { profile, check: 'smtp' });
    expect(plain.code).toBe('smtp-auth-unsuccessful');
  });
});
