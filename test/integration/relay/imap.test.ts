/* The relay's IMAP proxy (issue 22, item 3): a real IMAP client (imapflow) and raw sockets sign in to the
 * relay with a device's local password; the relay signs in to the emulator's Dovecot (XOAUTH2, Exchange's
 * rules) with the app-only token and relays the session. */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index';
import { DAEMON_SECRET } from '../helpers/fixtures';
import { addDevice, rawSession, relayEmulator, type RelayProcess, SENDER, startRelay, tempDir, waitFor, writeConfig, writeProfile } from './harness';

let emu: Emulator;
const running: RelayProcess[] = [];

beforeAll(async () => {
  emu = await relayEmulator();
}, 120_000);

afterAll(async () => {
  for (const r of running) await r.stop().catch(() => undefined);
  await emu?.stop();
});

async function relayWith(o: { config?: Record<string, unknown>; env?: Record<string, string> } = {}) {
  const dir = tempDir('mail-oauth-imap-proxy-');
  const profile = writeProfile(dir, emu);
  const config = writeConfig(dir, { imap: { port: 0, implicitTlsPort: 0 }, ...o.config });
  const password = await addDevice(config, 'reader', [SENDER], ['--imap']);
  const scannerPassword = await addDevice(config, 'scanner', [SENDER]);
  const relay = await startRelay(profile, config, o.env);
  running.push(relay);
  const ca = readFileSync(path.join(dir, 'spool', 'tls', 'cert.pem'), 'utf8');
  return { dir, config, password, scannerPassword, relay, ca };
}

function client(port: number, ca: string, user: string, pass: string, extra: Partial<ConstructorParameters<typeof ImapFlow>[0]> = {}): ImapFlow {
  const c = new ImapFlow({ host: '127.0.0.1', port, secure: false, tls: { ca, servername: 'localhost' }, auth: { user, pass }, logger: false, ...extra });
  c.on('error', () => undefined);
  return c;
}


describe('mail-oauth relay: IMAP proxy for reading devices', () => {
  it('a reading device logs in with its local password (LOGIN after STARTTLS), lists folders and fetches a message; the relay signs in upstream with XOAUTH2', async () => {
    const { relay, password, ca } = await relayWith({ config: { metricsPort: 0 } });
    const messageId = `<imap-proxy-${Date.now()}@fabrikam.com>`;
    emu.admin.deliver(SENDER, `From: Accounts <accounts@contoso.com>\r\nTo: ${SENDER}\r\nSubject: Invoice through the proxy\r\nMessage-ID: ${messageId}\r\nDate: ${new Date().toUTCString()}\r\n\r\nInvoice body.\r\n`);
    const decisionsBefore = emu.admin.imapDecisions.length;
    const c = client(relay.imap!, ca, 'reader', password);
    await c.connect();
    expect(c.secureConnection || (c as unknown as { _socket?: { encrypted?: boolean } })._socket?.encrypted).toBeTruthy();
    // Exchange's side (Dovecot) decided an XOAUTH2 login for the mailbox: the app-only token, not a password
    const decision = emu.admin.imapDecisions.slice(decisionsBefore).find((d) => d.user === SENDER);
    expect(decision).toMatchObject({ user: SENDER, ok: true });
    const folders = await c.list();
    expect(folders.map((f) => f.path)).toContain('INBOX');
    await c.mailboxOpen('INBOX');
    const uids = await c.search({ header: { 'message-id': messageId } }, { uid: true });
    expect(Array.isArray(uids) ? uids.length : 0).toBe(1);
    const msg = await c.fetchOne(String((uids as number[])[0]), { envelope: true, source: true }, { uid: true });
    expect(msg && msg.envelope?.subject).toBe('Invoice through the proxy');
    expect(msg && msg.source?.toString()).toContain('Invoice body.');
    await c.logout();

    // implicit TLS (993-style) and AUTHENTICATE PLAIN as imapflow sends it
    const d = new ImapFlow({ host: '127.0.0.1', port: relay.imapImplicitTls!, secure: true, tls: { ca, servername: 'localhost' }, auth: { user: 'reader', pass: password, loginMethod: 'AUTH=PLAIN' }, logger: false });
    d.on('error', () => undefined);
    await d.connect();
    const box = await d.mailboxOpen('INBOX', { readOnly: true });
    expect(box.exists).toBeGreaterThan(0);
    await d.logout();

    await waitFor(() => (relay.logs().match(/"event":"imap-session-end"/g) ?? []).length >= 2, 'two session ends in the log');
    expect(relay.logs()).toMatch(/"event":"imap-login","device":"reader","mailbox":"info@fabrikam.com"/);
    const metrics = await (await fetch(`http://127.0.0.1:${relay.metrics}/metrics`)).text();
    expect(metrics).toMatch(/^mail_oauth_relay_imap_sessions_total 2$/m);
    for (const secret of [DAEMON_SECRET, password]) expect(relay.logs()).not.toContain(secret);
    expect(relay.logs()).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./); // no access token (JWT)
  }, 240_000);

  it('AUTHENTICATE PLAIN without an initial response and a LOGIN with literals, as older clients send them', async () => {
    const { relay, password, ca } = await relayWith();
    const a = await rawSession(relay.imapImplicitTls!, { tls: { ca } });
    expect(await a.until(/\r\n/)).toMatch(/^\* OK \[CAPABILITY IMAP4rev1 [^\]]*AUTH=PLAIN/);
    a.send('a1 AUTHENTICATE PLAIN\r\n');
    expect(await a.until(/^\+ ?\r\n/m)).toMatch(/^\+/);
    a.send(`${Buffer.from(`\0reader\0${password}`).toString('base64')}\r\n`);
    expect(await a.until(/^a1 (OK|NO|BAD)/m)).toMatch(/^a1 OK /m);
    a.send('a2 SELECT INBOX\r\n');
    expect(await a.until(/^a2 (OK|NO|BAD)/m)).toMatch(/\* \d+ EXISTS[\s\S]*a2 OK/);
    a.send('a3 LOGOUT\r\n');
    await a.until(/a3 OK/);
    a.sock.destroy();

    const b = await rawSession(relay.imapImplicitTls!, { tls: { ca } });
    await b.until(/\r\n/);
    b.send('b1 LOGIN {6}\r\n');
    expect(await b.until(/\r\n/)).toMatch(/^\+ /);
    b.send(`reader {${password.length}+}\r\n${password}\r\n`);
    expect(await b.until(/^b1 (OK|NO|BAD)/m)).toMatch(/^b1 OK /m);
    b.send('b2 LOGOUT\r\n');
    await b.until(/b2 OK/);
    b.sock.destroy();
    expect(relay.logs()).not.toContain(password);
  }, 240_000);

  it('refuses a wrong local password, a device not allowed to read, and commands before signing in; nothing reaches Microsoft', async () => {
    const { relay, password, scannerPassword, ca } = await relayWith();
    const before = emu.admin.imapDecisions.length;
    const wrong = client(relay.imap!, ca, 'reader', `${password}x`);
    const err = (await wrong.connect().then(() => null, (e: unknown) => e)) as { authenticationFailed?: boolean; responseText?: string; serverResponseCode?: string } | null;
    expect(err).not.toBeNull();
    expect(err!.authenticationFailed).toBe(true);
    expect(`${err!.serverResponseCode} ${err!.responseText}`).toMatch(/AUTHENTICATIONFAILED.*relay-device-login-refused/);

    const scanner = client(relay.imap!, ca, 'scanner', scannerPassword);
    const err2 = (await scanner.connect().then(() => null, (e: unknown) => e)) as { responseText?: string } | null;
    expect(err2?.responseText).toMatch(/relay-device-imap-not-allowed/);

    const r = await rawSession(relay.imapImplicitTls!, { tls: { ca } });
    await r.until(/\r\n/);
    r.send('x1 SELECT INBOX\r\n');
    expect(await r.until(/^x1 /m)).toMatch(/^x1 BAD SELECT is not available before signing in/m);
    // three failures end the session
    for (const t of ['x2', 'x3', 'x4']) {
      r.send(`${t} LOGIN reader "not-it"\r\n`);
      expect(await r.until(new RegExp(`^${t} NO`, 'm'))).toMatch(/AUTHENTICATIONFAILED/);
    }
    await waitFor(() => r.sock.destroyed || r.sock.readableEnded || /BYE Too many failed logins/.test(r.all()), 'the relay to hang up');
    r.sock.destroy();

    expect(emu.admin.imapDecisions.length).toBe(before); // no upstream sign-in for any of these
    expect(relay.logs()).toMatch(/"event":"imap-auth-refused","code":"relay-device-login-refused"/);
    expect(relay.logs()).toMatch(/"code":"relay-device-imap-not-allowed"/);
    for (const s of [password, `${password}x`, scannerPassword, 'not-it']) expect(relay.logs()).not.toContain(s);
  }, 240_000);

  it('a relay that requires TLS offers no login in clear (LOGINDISABLED, PRIVACYREQUIRED) and accepts it after STARTTLS', async () => {
    const { relay, password, ca } = await relayWith({ config: { tls: { required: true } } });
    const r = await rawSession(relay.imap!);
    const greeting = await r.until(/\r\n/);
    expect(greeting).toMatch(/STARTTLS/);
    expect(greeting).toMatch(/LOGINDISABLED/);
    expect(greeting).not.toMatch(/AUTH=PLAIN/);
    r.send(`t1 LOGIN reader ${password}\r\n`);
    expect(await r.until(/^t1 /m)).toMatch(/^t1 NO \[PRIVACYREQUIRED\].*relay-device-tls-required/m);
    // STARTTLS with a command smuggled behind it in the same packet: refused (RFC 9051 11.1)
    r.send('t2 STARTTLS\r\nt3 LOGIN reader x\r\n');
    expect(await r.until(/^t2 /m)).toMatch(/^t2 BAD Data after STARTTLS/m);
    r.sock.destroy();
    // the proper way: STARTTLS, the handshake, then the password inside TLS
    const plain = net.connect(relay.imap!, '127.0.0.1');
    let text = '';
    plain.on('data', (d: Buffer) => (text += d.toString()));
    await waitFor(() => text.includes('\r\n'), 'greeting');
    plain.write('s1 STARTTLS\r\n');
    await waitFor(() => /s1 OK/.test(text), 'STARTTLS answer');
    plain.removeAllListeners('data');
    const secured = tls.connect({ socket: plain, ca, servername: 'localhost' });
    await new Promise<void>((res, rej) => secured.once('secureConnect', () => res()).once('error', rej));
    let t2 = '';
    secured.on('data', (d: Buffer) => (t2 += d.toString()));
    secured.write('s2 CAPABILITY\r\n');
    await waitFor(() => /s2 OK/.test(t2), 'CAPABILITY after STARTTLS');
    expect(t2).toMatch(/AUTH=PLAIN/);
    expect(t2).not.toMatch(/LOGINDISABLED|STARTTLS/);
    secured.write(`s3 LOGIN reader "${password}"\r\n`);
    await waitFor(() => /^s3 (OK|NO|BAD)/m.test(t2), 'LOGIN answer');
    expect(t2).toMatch(/^s3 OK /m);
    secured.destroy();
    expect(relay.logs()).not.toContain(password);
  }, 240_000);

  it('maps upstream failures to diagnosis codes: a wrong Microsoft secret (token) and an IMAP sign-in Exchange refuses', async () => {
    const bad = await relayWith({ env: { MAIL_OAUTH_SECRET: 'Wrong~Secret.Value_zzzzzzzzzzzzzzzzzz' } });
    const c = client(bad.relay.imap!, bad.ca, 'reader', bad.password);
    const err = (await c.connect().then(() => null, (e: unknown) => e)) as { responseText?: string; serverResponseCode?: string } | null;
    expect(err?.serverResponseCode).toBe('UNAVAILABLE');
    expect(err?.responseText).toMatch(/\(aadsts-7000215-invalid-secret\)/);
    await waitFor(() => bad.relay.logs().includes('"event":"imap-upstream-refused"'), 'the refusal in the log');
    expect(bad.relay.logs()).toMatch(/"event":"imap-upstream-refused".*"code":"aadsts-7000215-invalid-secret".*"fix":"/);
    expect(bad.relay.logs()).not.toContain('Wrong~Secret.Value_zzzzzzzzzzzzzzzzzz');
    expect(bad.relay.logs()).not.toContain(bad.password);

    // Exchange refuses the XOAUTH2 login (IMAP turned off for the mailbox): Dovecot's failure, Exchange's rule
    const good = await relayWith();
    emu.admin.setMailbox(SENDER, { imapEnabled: false });
    try {
      const d = client(good.relay.imap!, good.ca, 'reader', good.password);
      const e2 = (await d.connect().then(() => null, (e: unknown) => e)) as { responseText?: string; serverResponseCode?: string } | null;
      expect(e2?.serverResponseCode).toBe('UNAVAILABLE');
      expect(e2?.responseText).toMatch(/\((imap-app-only-not-registered|imap-disabled)\)/);
      expect(emu.admin.imapDecisions.at(-1)).toMatchObject({ user: SENDER, ok: false, reason: `IMAP disabled for ${SENDER}` });
    } finally {
      emu.admin.setMailbox(SENDER, { imapEnabled: true });
    }
    expect(good.relay.logs()).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
  }, 240_000);
});
