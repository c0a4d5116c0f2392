/**
 * The end of Basic auth for SMTP (issue 12 item 4): a system that still logs in to SMTP with a password
 * meets `550 5.7.30 Basic authentication is not supported for Client Submission.` (REGISTRATION-FACTS 4.5,
 * Exchange Team blog ba-p/4114750) or `535 5.7.139 Authentication unsuccessful, basic authentication is
 * disabled.` ([Issue] rpremraj/mailR#107, nodemailer/nodemailer#1714). The emulator's real SMTP server
 * answers a password login (AUTH LOGIN, which Exchange Online advertises next to XOAUTH2) with those
 * texts, chosen by its `smtpBasicAuth` fault (where in the session Microsoft sends 5.7.30 is not
 * documented: here, at AUTH — *Inference*); nodemailer logs in with a password after STARTTLS as the
 * legacy system would, and the engine's diagnose() must name it, with the fix, and never echo the
 * password. The other 5.7.139 and 5.7.3 answers come from the same server to an XOAUTH2 login.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { diagnose } from '../../../shared/diagnosis';
import { ProfileSchema } from '../../../shared/profile';
import { startEmulator, type Emulator } from '../../emulator/index';

const PASSWORD = 'Legacy-Pass-Word-42!';
let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator();
}, 60_000);
afterEach(async () => {
  await emu.admin.clearFaults();
});
afterAll(async () => {
  await emu?.stop();
});

const profile = ProfileSchema.parse({ name: 'legacy-erp', target: 'odoo', targetInputs: { baseUrl: 'https://erp.fabrikam.com' }, tenant: 'fabrikam.com', clientId: '11111111-2222-4333-8444-000000000001', mailbox: 'reception@fabrikam.com' });

/** Logs in to the emulator's SMTP with `auth` after STARTTLS and sends one message; the error, or null. */
async function send(auth: { user: string; pass: string } | { type: 'OAuth2'; user: string; accessToken: string }): Promise<unknown> {
  const t = nodemailer.createTransport({ host: emu.smtp.host, port: emu.smtp.port, secure: false, requireTLS: true, tls: { ca: emu.caPem }, auth });
  try {
    await t.sendMail({ from: 'reception@fabrikam.com', to: 'reception@fabrikam.com', subject: 'legacy', text: 'x' });
    return null;
  } catch (e) {
    return e;
  } finally {
    t.close();
  }
}
const sendWithPassword = () => send({ user: 'reception@fabrikam.com', pass: PASSWORD });

describe('SMTP Basic auth refused: the diagnosis names it and points to the move to OAuth', () => {
  it('550 5.7.30 → smtp-basic-auth-rejected, with the December 2026 change and the wizard path in the fix', async () => {
    await emu.admin.setFault('smtpBasicAuth', 'retired');
    const e = await sendWithPassword();
    expect(e).toMatchObject({ responseCode: 550, command: 'AUTH LOGIN' });
    expect(String((e as { response?: string }).response)).toContain('550 5.7.30 Basic authentication is not supported for Client Submission.');
    const d = diagnose(e, { profile, check: 'smtp', secrets: [PASSWORD] });
    expect(d.code).toBe('smtp-basic-auth-rejected');
    expect(d.cause).toMatch(/end of December 2026/);
    expect(d.fix.map((f) => f.text).join(' ')).toMatch(/My system still sends with a password/);
    expect(JSON.stringify(d)).not.toContain(PASSWORD);
  });

  it('535 5.7.139 "basic authentication is disabled" → smtp-basic-auth-disabled (not the generic 535)', async () => {
    const e = await sendWithPassword(); // the emulator's default: Basic auth disabled for the tenant
    expect(e).toMatchObject({ responseCode: 535, command: 'AUTH LOGIN' });
    expect(String((e as { response?: string }).response)).toContain('535 5.7.139 Authentication unsuccessful, basic authentication is disabled.');
    const d = diagnose(e, { profile, check: 'smtp', secrets: [PASSWORD] });
    expect(d.code).toBe('smtp-basic-auth-disabled');
    expect(d.title).toBe('The mail server no longer accepts a password for this account');
    expect(d.evidence.text).toContain('basic authentication is disabled');
    expect(d.fix[0]!.text).toMatch(/Move the system to OAuth/);
    expect(JSON.stringify(d)).not.toContain(PASSWORD);
  });

  it('the other 5.7.139 texts keep their own codes (tenant switch, generic failure), answered to a real XOAUTH2 login', async () => {
    const token = emu.admin.issueToken({ upn: 'reception@fabrikam.com' });
    await emu.admin.setFault('smtpAuthDisabled', { tenant: true, mailboxes: [] });
    const off = await send({ type: 'OAuth2', user: 'reception@fabrikam.com', accessToken: token });
    expect(String((off as { response?: string }).response)).toContain('535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.');
    expect(diagnose(off, { profile, check: 'smtp' }).code).toBe('smtp-auth-disabled-tenant');
    await emu.admin.clearFaults();
    // A token for reception@ used as another mailbox it has no rights on: Exchange's generic 535 5.7.3.
    const other = await send({ type: 'OAuth2', user: 'sales@fabrikam.com', accessToken: token });
    expect(String((other as { response?: string }).response)).toMatch(/^535 5\.7\.3 Authentication unsuccessful/);
    expect(diagnose(other, { profile, check: 'smtp' }).code).toBe('smtp-auth-unsuccessful');
    // And the token alone, used as itself, is accepted: the refusals above are the server's, not the client's.
    await expect(send({ type: 'OAuth2', user: 'reception@fabrikam.com', accessToken: token })).resolves.toBeNull();
  });
});
