/**
 * App-only SMTP as Exchange decides it (issue 20): Full Access when the token carries SMTP.SendAsApp (the
 * claim makes Exchange check mailbox permissions), or, for a token without it, a scoped
 * 'Application SMTP.SendAsApp' role assignment (RBAC for Applications, Microsoft's
 * smtp-app-rbac-onboarding, 2025-10-17). Send As alone opens nothing. Refusals in Exchange's words:
 * 535 5.7.3 at AUTH, or 430 4.2.0 STOREDRV ... MapiExceptionLogonFailed at submission
 * (simonrob/email-oauth2-proxy#271). The refusal texts are fed to explain() to close the loop.
 */
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explain } from '../../shared/diagnosis';
import { startEmulator, type Emulator } from './index.js';

const DAEMON = '11111111-2222-4333-8444-000000000003';
let emu: Emulator;

function send(user: string, accessToken: string) {
  return nodemailer
    .createTransport({ host: emu.smtp.host, port: emu.smtp.port, secure: false, requireTLS: true, tls: { ca: emu.caPem, servername: 'localhost' }, auth: { type: 'OAuth2', user, accessToken }, connectionTimeout: 3000, greetingTimeout: 3000 })
    .sendMail({ from: user, to: 'reception@fabrikam.com', subject: `app-only ${Date.now()}`, text: 'x' })
    .then(
      (ok) => ({ ok: true as const, response: ok.response }),
      (e: { response?: string; responseCode?: number }) => ({ ok: false as const, response: e.response ?? '', code: e.responseCode }),
    );
}

beforeAll(async () => {
  emu = await startEmulator();
}, 60_000);
afterAll(async () => {
  await emu?.stop();
});

describe('app-only SMTP needs Full Access or a scoped role assignment', () => {
  it('with the SMTP.SendAsApp claim and Full Access: sent', async () => {
    const r = await send('info@fabrikam.com', emu.admin.issueToken({ clientId: DAEMON }));
    expect(r).toMatchObject({ ok: true });
  });

  it('with the claim and only Send As: AUTH passes, the submission fails with Exchange\'s mailbox logon failure', async () => {
    emu.admin.setApp(DAEMON, { mailboxFullAccess: [], mailboxSendAs: ['info@fabrikam.com'] });
    const r = await send('info@fabrikam.com', emu.admin.issueToken({ clientId: DAEMON }));
    expect(r.ok).toBe(false);
    expect(r.response).toMatch(/^430 4\.2\.0 STOREDRV; mailbox logon failure; .*MapiExceptionLogonFailed/);
    expect(explain(r.response, { profile: { flow: 'app-only', mailbox: 'info@fabrikam.com' } }).diagnoses[0]!.code).toBe('smtp-app-only-mailbox-logon-failed');
  });

  it('without the claim and without a role assignment: 535 5.7.3', async () => {
    const r = await send('info@fabrikam.com', emu.admin.issueToken({ clientId: DAEMON, roles: [] }));
    expect(r.ok).toBe(false);
    expect(r.response).toMatch(/^535 5\.7\.3 Authentication unsuccessful/);
  });

  it("without the claim, with 'Application SMTP.SendAsApp' scoped to the mailbox: sent; a mailbox outside the scope is refused", async () => {
    emu.admin.exchangeAssignSmtpRole({ app: DAEMON, mailboxes: ['info@fabrikam.com'] });
    const token = emu.admin.issueToken({ clientId: DAEMON, roles: [] });
    expect(await send('info@fabrikam.com', token)).toMatchObject({ ok: true });
    const outside = await send('reception@fabrikam.com', token);
    expect(outside.ok).toBe(false);
    expect(outside.response).toMatch(/^535 5\.7\.3/);
  });

  it('the claim makes Exchange check mailbox permissions even where the role assignment would allow it', async () => {
    const r = await send('info@fabrikam.com', emu.admin.issueToken({ clientId: DAEMON }));
    expect(r.ok).toBe(false);
    expect(r.response).toMatch(/^430 4\.2\.0 STOREDRV/);
  });

  it('no service principal in Exchange: refused whatever was granted', async () => {
    emu.admin.setApp(DAEMON, { exchangeServicePrincipal: false });
    expect((await send('info@fabrikam.com', emu.admin.issueToken({ clientId: DAEMON, roles: [] }))).response).toMatch(/^535 5\.7\.3/);
    expect(() => emu.admin.exchangeAssignSmtpRole({ app: DAEMON, mailboxes: ['info@fabrikam.com'] })).toThrow(/New-ServicePrincipal first/);
  });
});
