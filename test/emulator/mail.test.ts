import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { basename } from 'node:path';
import { findDovecot } from './dovecot.js';
import { startEmulator, type Emulator } from './index.js';

const run = promisify(execFile);
let emu: Emulator;
let startMs = 0;

function imap(user: string, accessToken: string, opts: { port?: number; secure?: boolean } = {}) {
  return new ImapFlow({
    host: emu.imap.host,
    port: opts.port ?? emu.imap.port,
    secure: opts.secure ?? true,
    tls: { ca: emu.caPem, servername: 'localhost' },
    auth: { user, accessToken },
    logger: false,
    connectionTimeout: 3000,
    greetingTimeout: 1500,
  });
}
async function imapLogin(user: string, token: string): Promise<{ ok: true; exists: number } | { ok: false; err: Record<string, unknown> }> {
  const c = imap(user, token);
  c.on('error', () => undefined);
  try {
    await c.connect();
    const mb = await c.mailboxOpen('INBOX');
    await c.logout();
    return { ok: true, exists: mb.exists };
  } catch (e) {
    c.close();
    return { ok: false, err: e as Record<string, unknown> };
  }
}
function mailer(user: string, accessToken: string, port?: number) {
  return nodemailer.createTransport({
    host: emu.smtp.host,
    port: port ?? emu.smtp.port,
    secure: false,
    requireTLS: true,
    tls: { ca: emu.caPem, servername: 'localhost' },
    auth: { type: 'OAuth2', user, accessToken },
    connectionTimeout: 3000,
    greetingTimeout: 3000,
  });
}
function graph(path: string, token: string, method = 'GET', body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${emu.graphUrl}${path}`, { method, ca: emu.caPem, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } }, (res) => {
      let t = '';
      res.on('data', (c: Buffer) => (t += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: t ? (JSON.parse(t) as Record<string, unknown>) : {} }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}
const user = (upn: string, scp = 'IMAP.AccessAsUser.All SMTP.Send') => emu.admin.issueToken({ upn, scp });
const DAEMON = '11111111-2222-4333-8444-000000000003';

beforeAll(async () => {
  const t = Date.now();
  emu = await startEmulator();
  startMs = Date.now() - t;
});
afterAll(async () => {
  await emu?.stop();
});

describe('emulator start', () => {
  // Start-up time is measured by `npm run bench:emulator`, not asserted here (a loaded machine would fail it).
  it('starts everything, Dovecot included', () => {
    expect(startMs).toBeGreaterThan(0);
    expect(emu.imap.port).toBeGreaterThan(0);
    expect(emu.loginUrl).toMatch(/^https:\/\/localhost:\d+$/);
  });
});

describe('IMAP (Dovecot) with XOAUTH2', () => {
  it('imapflow logs in with a delegated Outlook token, own mailbox and a FullAccess shared mailbox', async () => {
    expect(await imapLogin('reception@fabrikam.com', user('reception@fabrikam.com'))).toMatchObject({ ok: true });
    expect(await imapLogin('info@fabrikam.com', user('reception@fabrikam.com'))).toMatchObject({ ok: true });
  });

  it('refuses a wrong-audience (Graph) token, a token without the IMAP scope and a mailbox without FullAccess', async () => {
    const graphTok = emu.admin.issueToken({ upn: 'reception@fabrikam.com', aud: 'https://graph.microsoft.com' });
    const r = await imapLogin('reception@fabrikam.com', graphTok);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.err.authenticationFailed).toBe(true);
      expect(r.err.serverResponseCode).toBe('AUTHENTICATIONFAILED');
    }
    expect((await imapLogin('reception@fabrikam.com', user('reception@fabrikam.com', 'SMTP.Send'))).ok).toBe(false);
    expect((await imapLogin('admin@fabrikam.com', user('reception@fabrikam.com'))).ok).toBe(false);
    expect(emu.admin.imapDecisions.at(-1)?.reason).toContain('no FullAccess');
  });

  it('app-only: role IMAP.AccessAsApp + Exchange SP + FullAccess', async () => {
    const tok = emu.admin.issueToken({ clientId: DAEMON });
    expect((await imapLogin('info@fabrikam.com', tok)).ok).toBe(true);
    expect((await imapLogin('reception@fabrikam.com', tok)).ok).toBe(false);
    const noRole = emu.admin.issueToken({ clientId: DAEMON, roles: ['SMTP.SendAsApp'] });
    expect((await imapLogin('info@fabrikam.com', noRole)).ok).toBe(false);
  });

  it('IMAP disabled for a mailbox (scenario and at run time)', async () => {
    expect((await imapLogin('noimap@fabrikam.com', user('noimap@fabrikam.com'))).ok).toBe(false);
    emu.admin.setMailbox('reception@fabrikam.com', { imapEnabled: false });
    expect((await imapLogin('reception@fabrikam.com', user('reception@fabrikam.com'))).ok).toBe(false);
    expect(emu.admin.imapDecisions.at(-1)?.reason).toContain('IMAP disabled');
    emu.admin.setMailbox('reception@fabrikam.com', { imapEnabled: true });
  });

  it('curl --oauth2-bearer logs in (imaps and STARTTLS) and is refused with a wrong-audience token', async () => {
    const tok = user('reception@fabrikam.com');
    const ok = await run('curl', ['-sS', '--cacert', emu.caPath, '--login-options', 'AUTH=XOAUTH2', '--user', 'reception@fabrikam.com', '--oauth2-bearer', tok, `imaps://localhost:${emu.imap.port}/INBOX?ALL`]);
    expect(ok.stdout).toContain('SEARCH');
    const st = await run('curl', ['-sS', '--ssl-reqd', '--cacert', emu.caPath, '--login-options', 'AUTH=XOAUTH2', '--user', 'reception@fabrikam.com', '--oauth2-bearer', tok, `imap://localhost:${emu.imap.starttlsPort}/INBOX?ALL`]);
    expect(st.stdout).toContain('SEARCH');
    const bad = emu.admin.issueToken({ upn: 'reception@fabrikam.com', aud: 'https://graph.microsoft.com' });
    const refused = await run('curl', ['-sS', '--cacert', emu.caPath, '--login-options', 'AUTH=XOAUTH2', '--user', 'reception@fabrikam.com', '--oauth2-bearer', bad, `imaps://localhost:${emu.imap.port}/INBOX?ALL`]).catch((e: { code?: number; stderr?: string }) => e);
    expect((refused as { code?: number }).code).toBe(67); // CURLE_LOGIN_DENIED
  });
});

describe('SMTP with XOAUTH2 and Microsoft texts', () => {
  it('nodemailer sends to self; the mail appears over IMAP and Graph', async () => {
    const subject = `hello ${Date.now()}`;
    const info = await mailer('reception@fabrikam.com', user('reception@fabrikam.com')).sendMail({ from: 'reception@fabrikam.com', to: 'reception@fabrikam.com', subject, text: 'body' });
    expect(info.response).toMatch(/^250 2\.0\.0 OK/);
    const c = imap('reception@fabrikam.com', user('reception@fabrikam.com'));
    await c.connect();
    await c.mailboxOpen('INBOX');
    const found = await c.search({ subject });
    await c.logout();
    expect(found && found.length).toBe(1);
    const g = await graph('/v1.0/me/messages', emu.admin.issueToken({ upn: 'reception@fabrikam.com', aud: 'https://graph.microsoft.com', scp: 'Mail.Read User.Read' }));
    expect((g.body.value as { subject: string }[]).some((m) => m.subject === subject)).toBe(true);
  });

  it('535 5.7.3 for a bad token, 5.7.139 for the Mailbox and the Tenant', async () => {
    const e1 = await mailer('reception@fabrikam.com', 'not-a-token').verify().catch((e: unknown) => e as { responseCode: number; response: string });
    expect(e1).toMatchObject({ responseCode: 535 });
    expect((e1 as { response: string }).response).toMatch(/^535 5\.7\.3 Authentication unsuccessful/);
    const e2 = await mailer('sales@fabrikam.com', user('sales@fabrikam.com')).verify().catch((e: unknown) => e as { response: string });
    expect((e2 as { response: string }).response).toBe('535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.');
    emu.admin.setTenant('fabrikam.com', { smtpAuthDisabled: true });
    const e3 = await mailer('reception@fabrikam.com', user('reception@fabrikam.com')).verify().catch((e: unknown) => e as { response: string });
    expect((e3 as { response: string }).response).toContain('disabled for the Tenant');
    emu.admin.setTenant('fabrikam.com', { smtpAuthDisabled: false });
  });

  it('530 5.7.57 without AUTH, 554 5.2.0 SendAsDenied for a foreign From, SendAs on a shared mailbox works', async () => {
    const anon = nodemailer.createTransport({ host: emu.smtp.host, port: emu.smtp.port, secure: false, requireTLS: true, tls: { ca: emu.caPem, servername: 'localhost' } });
    const e1 = await anon.sendMail({ from: 'reception@fabrikam.com', to: 'reception@fabrikam.com', text: 'x' }).catch((e: unknown) => e as { response: string });
    expect((e1 as { response: string }).response).toBe('530 5.7.57 Client not authenticated to send mail');
    const e2 = await mailer('reception@fabrikam.com', user('reception@fabrikam.com')).sendMail({ from: 'admin@fabrikam.com', to: 'reception@fabrikam.com', text: 'x' }).catch((e: unknown) => e as { response: string });
    expect((e2 as { response: string }).response).toMatch(/^554 5\.2\.0 STOREDRV\.Submission\.Exception:SendAsDeniedException\.MapiExceptionSendAsDenied/);
    const ok = await mailer('reception@fabrikam.com', user('reception@fabrikam.com')).sendMail({ from: 'info@fabrikam.com', to: 'info@fabrikam.com', subject: 'as info', text: 'x' });
    expect(ok.response).toMatch(/^250/);
    expect(emu.admin.messages('info@fabrikam.com').some((m) => m.subject === 'as info')).toBe(true);
  });

  it('app-only SMTP.SendAsApp on the shared mailbox', async () => {
    const ok = await mailer('info@fabrikam.com', emu.admin.issueToken({ clientId: DAEMON })).sendMail({ from: 'info@fabrikam.com', to: 'reception@fabrikam.com', subject: 'from daemon', text: 'x' });
    expect(ok.response).toMatch(/^250/);
  });
});

describe('Graph subset', () => {
  it('me, inbox, messages, sendMail; 401 InvalidAuthenticationToken and 403 ErrorAccessDenied shapes', async () => {
    const tok = emu.admin.issueToken({ upn: 'reception@fabrikam.com', aud: 'https://graph.microsoft.com', scp: 'User.Read Mail.ReadWrite Mail.Send' });
    const me = await graph('/v1.0/me', tok);
    expect(me.body.userPrincipalName).toBe('reception@fabrikam.com');
    const inbox = await graph('/v1.0/me/mailFolders/inbox', tok);
    expect(inbox.body.displayName).toBe('Inbox');
    const sent = await graph('/v1.0/me/sendMail', tok, 'POST', { message: { subject: 'via graph', body: { contentType: 'Text', content: 'hi' }, toRecipients: [{ emailAddress: { address: 'reception@fabrikam.com' } }] } });
    expect(sent.status).toBe(202);
    expect(emu.admin.messages('reception@fabrikam.com').some((m) => m.subject === 'via graph')).toBe(true);
    const outlookTok = user('reception@fabrikam.com');
    const e401 = await graph('/v1.0/me', outlookTok);
    expect(e401.status).toBe(401);
    expect((e401.body.error as { code: string }).code).toBe('InvalidAuthenticationToken');
    const e403 = await graph('/v1.0/users/admin@fabrikam.com/messages', tok);
    expect(e403.status).toBe(403);
    expect(e403.body.error).toMatchObject({ code: 'ErrorAccessDenied', innerError: { 'request-id': expect.any(String) } });
    const appTok = emu.admin.issueToken({ clientId: DAEMON, resource: 'graph' });
    const appMsgs = await graph('/v1.0/users/reception@fabrikam.com/messages', appTok);
    expect(appMsgs.status).toBe(200);
  });
});

describe('faults observed from clients', () => {
  it('closed port refuses, black-holed port never answers, untrusted TLS is rejected', async () => {
    const refused = await new Promise<string>((r) => net.connect({ host: '127.0.0.1', port: emu.admin.closedPort() }).on('error', (e: NodeJS.ErrnoException) => r(e.code ?? '')).on('connect', () => r('connected')));
    expect(refused).toBe('ECONNREFUSED');
    const bh = imap('reception@fabrikam.com', 'x', { port: emu.admin.blackholePort() });
    bh.on('error', () => undefined);
    const t = Date.now();
    const e = await bh.connect().catch((x: unknown) => x as { code?: string; message: string });
    expect(Date.now() - t).toBeGreaterThanOrEqual(1000);
    expect(String((e as { code?: string }).code ?? (e as Error).message)).toMatch(/GREETING_TIMEOUT|timeout/i);
    const tlsErr = await new Promise<string>((r) => {
      const s = tls.connect({ host: '127.0.0.1', port: emu.admin.untrustedTlsPort(), ca: emu.caPem, servername: 'localhost' });
      s.on('secureConnect', () => { s.destroy(); r('ok'); });
      s.on('error', (x: NodeJS.ErrnoException) => r(x.code ?? x.message));
    });
    expect(tlsErr).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER/);
  });

  it('untrusted certificate on HTTPS and SMTP, latency on SMTP', async () => {
    await emu.admin.setFault('untrustedTls', { https: true, smtp: true, imap: true });
    const imapTls = imap('reception@fabrikam.com', user('reception@fabrikam.com'));
    imapTls.on('error', () => undefined);
    const imapErr = await imapTls.connect().then(() => 'ok', (x: { code?: string; message: string }) => `${x.code ?? ''} ${x.message}`);
    expect(imapErr).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER|certificate/i);
    const httpsErr = await new Promise<string>((r) => https.get(`${emu.loginUrl}/common/discovery/instance`, { ca: emu.caPem }, () => r('ok')).on('error', (x: NodeJS.ErrnoException) => r(x.code ?? '')));
    expect(httpsErr).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER/);
    const smtpErr = await mailer('reception@fabrikam.com', user('reception@fabrikam.com')).verify().catch((x: { code?: string; message: string }) => x.code ?? x.message);
    expect(String(smtpErr)).toMatch(/ESOCKET|ETLS|certificate|UNABLE/i);
    await emu.admin.clearFaults();
    await emu.admin.setFault('latencyMs', { login: 0, graph: 0, smtp: 600, imap: 0 });
    const t = Date.now();
    await mailer('reception@fabrikam.com', user('reception@fabrikam.com')).verify();
    expect(Date.now() - t).toBeGreaterThanOrEqual(600);
    await emu.admin.clearFaults();
  });
});

describe('more faults', () => {
  it('smtpAuthDisabled / imapDisabled faults, Graph latency, IMAP latency, expired tokens', async () => {
    await emu.admin.setFault('smtpAuthDisabled', { tenant: true, mailboxes: [] });
    const e1 = await mailer('reception@fabrikam.com', user('reception@fabrikam.com')).verify().catch((e: { response: string }) => e.response);
    expect(e1).toContain('disabled for the Tenant');
    await emu.admin.setFault('smtpAuthDisabled', { tenant: false, mailboxes: ['reception@fabrikam.com'] });
    const e2 = await mailer('reception@fabrikam.com', user('reception@fabrikam.com')).verify().catch((e: { response: string }) => e.response);
    expect(e2).toContain('disabled for the Mailbox');
    await emu.admin.setFault('imapDisabled', ['reception@fabrikam.com']);
    expect((await imapLogin('reception@fabrikam.com', user('reception@fabrikam.com'))).ok).toBe(false);
    await emu.admin.clearFaults();
    expect((await imapLogin('reception@fabrikam.com', user('reception@fabrikam.com'))).ok).toBe(true);
    await emu.admin.setFault('latencyMs', { login: 0, graph: 300, smtp: 0, imap: 300 });
    const gt = Date.now();
    await graph('/v1.0/me', emu.admin.issueToken({ upn: 'reception@fabrikam.com', aud: 'https://graph.microsoft.com', scp: 'User.Read' }));
    expect(Date.now() - gt).toBeGreaterThanOrEqual(300);
    const it0 = Date.now();
    expect((await imapLogin('reception@fabrikam.com', user('reception@fabrikam.com'))).ok).toBe(true);
    expect(Date.now() - it0).toBeGreaterThanOrEqual(300);
    await emu.admin.clearFaults();
    const expired = emu.admin.issueToken({ upn: 'reception@fabrikam.com', lifetimeSeconds: -60 });
    expect((await imapLogin('reception@fabrikam.com', expired)).ok).toBe(false);
    const ge = await graph('/v1.0/me', emu.admin.issueToken({ upn: 'reception@fabrikam.com', aud: 'https://graph.microsoft.com', scp: 'User.Read', lifetimeSeconds: -60 }));
    expect(ge.status).toBe(401);
  });
});

describe('Dovecot missing', () => {
  it('fails with a message naming the Debian package', () => {
    expect(() => findDovecot(['/nonexistent/dovecot'])).toThrow(/dovecot-imapd.*apt-get install -y dovecot-imapd/);
  });
});

describe('stop', () => {
  it('stop() leaves no process (Dovecot) and no port behind', async () => {
    const dir = emu.admin.tempDir;
    const port = emu.imap.port;
    const before = await run('pgrep', ['-f', basename(dir)]);
    expect(before.stdout.trim().split('\n').length).toBeGreaterThanOrEqual(1); // the master (children carry the name too)
    const t = Date.now();
    await emu.stop();
    expect(Date.now() - t).toBeLessThan(5000);
    // the master's command line names the config in the temp dir; the children's titles carry its name
    const pg = await run('pgrep', ['-f', basename(dir)]).catch((e: { code?: number }) => e);
    expect((pg as { code?: number }).code).toBe(1); // no match
    const refused = await new Promise<string>((r) => net.connect({ host: '127.0.0.1', port }).on('error', (e: NodeJS.ErrnoException) => r(e.code ?? '')).on('connect', () => r('connected')));
    expect(refused).toBe('ECONNREFUSED');
  });
});
