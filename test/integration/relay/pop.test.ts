/* The relay's POP3 proxy (issue 22, item 3): a real plain client (curl's pop3:// from Debian) and raw
 * sockets sign in to the relay with a device's local password; the relay signs in to the emulator's POP3
 * (Exchange's XOAUTH2 exchange in two lines, its rules and texts: test/emulator/pop3.ts) with the
 * app-only token and relays the session. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POP3_TEXTS, type Emulator } from '../../emulator/index';
import { DAEMON } from '../helpers/fixtures';
import { addDevice, cli, rawSession, relayEmulator, type RelayProcess, SENDER, startRelay, tempDir, waitFor, writeConfig, writeProfile } from './harness';

let emu: Emulator;
const running: RelayProcess[] = [];

beforeAll(async () => {
  emu = await relayEmulator();
  const app = emu.scenario.apps.find((a) => a.clientId === DAEMON)!;
  // POP.AccessAsApp (admin-consented), as the Microsoft page's client-credentials section asks for POP
  emu.admin.setApp(DAEMON, { applicationPermissions: [...app.applicationPermissions, { resource: 'outlook', name: 'POP.AccessAsApp' }] });
}, 120_000);

afterAll(async () => {
  for (const r of running) await r.stop().catch(() => undefined);
  await emu?.stop();
});

async function relayWith(o: { config?: Record<string, unknown>; otherMailbox?: string } = {}) {
  const dir = tempDir('mail-oauth-pop-proxy-');
  const profile = writeProfile(dir, emu, undefined, { endpoints: { signInHost: emu.loginHost, imap: `${emu.imap.host}:${emu.imap.port}`, smtp: `${emu.smtp.host}:${emu.smtp.port}`, pop: `${emu.pop.host}:${emu.pop.port}`, graphUrl: emu.graphUrl } });
  const config = writeConfig(dir, { pop: { port: 0, implicitTlsPort: 0 }, metricsPort: 0, ...o.config });
  const password = await addDevice(config, 'reader', [SENDER], ['--pop']);
  const scannerPassword = await addDevice(config, 'scanner', [SENDER]);
  // a device that reads another mailbox than the one it sends as
  const otherPassword = o.otherMailbox ? await addDevice(config, 'other', [SENDER], ['--pop', '--mailbox', o.otherMailbox]) : '';
  const relay = await startRelay(profile, config);
  running.push(relay);
  const certFile = path.join(dir, 'spool', 'tls', 'cert.pem');
  const ports = JSON.parse(readFileSync(path.join(dir, 'spool', 'relay.pid'), 'utf8')) as { ports: { pop: number; popImplicitTls: number } };
  return { dir, config, password, scannerPassword, otherPassword, relay, certFile, ca: readFileSync(certFile, 'utf8'), pop: ports.ports.pop, pops: ports.ports.popImplicitTls };
}

/** curl, the plain client; the user name and password go in on stdin (-K -), not on the command line. */
function curl(url: string, user: string, password: string, extra: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = execFile('curl', ['-sS', '--max-time', '60', '-K', '-', ...extra, url], { timeout: 90_000 }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 99) : 0, out: stdout, err: stderr }));
    child.stdin!.end(`user = "${user}:${password}"\n`);
  });
}


describe('mail-oauth relay: POP3 proxy for reading devices', () => {
  it('curl signs in to the relay with the local password (STLS, and implicit TLS), lists and retrieves a message; the relay signs in upstream with XOAUTH2 in two lines', async () => {
    const { relay, password, certFile, pop, pops } = await relayWith();
    const messageId = `<pop-proxy-${Date.now()}@fabrikam.com>`;
    emu.admin.deliver(SENDER, `From: Accounts <accounts@contoso.com>\r\nTo: ${SENDER}\r\nSubject: Invoice over POP\r\nMessage-ID: ${messageId}\r\nDate: ${new Date().toUTCString()}\r\n\r\nInvoice body over POP.\r\n`);
    const count = emu.admin.messages(SENDER).length;
    const before = emu.admin.popDecisions.length;
    // STLS on the plain port (curl --ssl-reqd), the relay's certificate trusted
    const list = await curl(`pop3://127.0.0.1:${pop}/`, 'reader', password, ['--ssl-reqd', '--cacert', certFile]);
    expect(list.code, list.err).toBe(0);
    const lines = list.out.trim().split(/\r?\n/);
    expect(lines).toHaveLength(count);
    for (const [i, l] of lines.entries()) expect(l).toMatch(new RegExp(`^${i + 1} \\d+$`));
    // Exchange's side decided an XOAUTH2 login (two lines) for the mailbox: the app-only token, no password
    expect(emu.admin.popDecisions.slice(before)).toEqual([expect.objectContaining({ user: SENDER, ok: true, how: 'xoauth2' })]);
    // RETR of the newest (the last in POP order) over implicit TLS (pop3s://)
    const retr = await curl(`pop3s://127.0.0.1:${pops}/${count}`, 'reader', password, ['--cacert', certFile]);
    expect(retr.code, retr.err).toBe(0);
    expect(retr.out).toContain(`Message-ID: ${messageId}`);
    expect(retr.out).toContain('Invoice body over POP.');
    await waitFor(() => (relay.logs().match(/"event":"pop-login"/g) ?? []).length >= 2, 'two pop-login records');
    expect(relay.logs()).toMatch(/"event":"pop-login","device":"reader","mailbox":"info@fabrikam\.com"/);
    expect(relay.logs()).not.toContain(password);
    const metrics = await (await fetch(`http://127.0.0.1:${relay.metrics}/metrics`)).text();
    expect(metrics).toMatch(/^mail_oauth_relay_pop_sessions_total 2$/m);
  }, 240_000);

  it('USER/PASS from an old device works through the relay; the session after it is Exchange\'s own (STAT, QUIT)', async () => {
    const { password, ca, pops } = await relayWith();
    const c = rawSession(pops, { tls: { ca } });
    expect(await c.until(/\r\n/)).toMatch(/^\+OK .*Mail OAuth relay POP3 ready/);
    c.send('CAPA\r\n');
    const capa = await c.until(/\r\n\.\r\n/);
    expect(capa).toMatch(/^USER$/m);
    expect(capa).toMatch(/^SASL PLAIN$/m);
    c.send('USER reader\r\n');
    await c.until(/^\+OK/m);
    c.send(`PASS ${password}\r\n`);
    expect(await c.until(/\r\n/)).toBe(`${POP3_TEXTS.authOk}\r\n`);
    c.send('STAT\r\n');
    expect(await c.until(/\r\n/)).toMatch(/^\+OK \d+ \d+\r\n$/);
    c.send('QUIT\r\n');
    expect(await c.until(/\r\n/)).toMatch(/^\+OK Microsoft Exchange Server POP3 server signing off/);
  }, 240_000);

  it('refuses a wrong local password, a device not allowed to read, and plain-text logins when TLS is required; nothing reaches Microsoft', async () => {
    const { password, scannerPassword, ca, pop, pops, config } = await relayWith({ config: { tls: { required: true } } });
    const before = emu.admin.popDecisions.length;
    const wrong = await curl(`pop3://127.0.0.1:${pop}/`, 'reader', `${password}x`, ['--ssl-reqd', '--cacert', path.join(path.dirname(config), 'spool', 'tls', 'cert.pem')]);
    expect(wrong.code).not.toBe(0);
    const c = rawSession(pops, { tls: { ca } });
    await c.until(/\r\n/);
    c.send(`AUTH PLAIN ${Buffer.from(`\0scanner\0${scannerPassword}`).toString('base64')}\r\n`);
    expect(await c.until(/\r\n/)).toMatch(/^-ERR \[AUTH\] This device may not read mail through the relay \(relay-device-pop-not-allowed\)/);
    c.send(`AUTH PLAIN ${Buffer.from(`\0reader\0${password}x`).toString('base64')}\r\n`);
    expect(await c.until(/\r\n/)).toMatch(/^-ERR \[AUTH\] Invalid credentials \(relay-device-login-refused\)/);
    c.sock.destroy();
    // TLS required: the plain port offers STLS and no USER/SASL, and refuses a password in clear
    const p = rawSession(pop);
    await p.until(/\r\n/);
    p.send('CAPA\r\n');
    const capa = await p.until(/\r\n\.\r\n/);
    expect(capa).toMatch(/^STLS$/m);
    expect(capa).not.toMatch(/^USER$/m);
    p.send('USER reader\r\n');
    expect(await p.until(/\r\n/)).toMatch(/^-ERR \[SYS\/PERM\] Use STLS before signing in \(relay-device-tls-required\)/);
    p.sock.destroy();
    expect(emu.admin.popDecisions.length).toBe(before);
  }, 240_000);

  it('the emulator\'s POP is strict like Exchange: no USER/PASS, no XOAUTH2 on one line, no token without POP.AccessAsApp', async () => {
    const ca = emu.caPem;
    const sasl = (token: string) => Buffer.from(`user=${SENDER}\x01auth=Bearer ${token}\x01\x01`).toString('base64');
    const c = rawSession(emu.pop.port, { tls: { ca } });
    expect(await c.until(/\r\n/)).toBe(`${POP3_TEXTS.greeting}\r\n`);
    c.send(`USER ${SENDER}\r\nPASS Some-Password-1\r\n`);
    expect(await c.until(/-ERR.*\r\n/)).toContain(POP3_TEXTS.authFailed);
    const good = emu.admin.issueToken({ clientId: DAEMON, roles: ['POP.AccessAsApp'] });
    c.send(`AUTH XOAUTH2 ${sasl(good)}\r\n`);
    expect(await c.until(/\r\n/)).toBe(`${POP3_TEXTS.authFailed}\r\n`);
    const imapOnly = emu.admin.issueToken({ clientId: DAEMON, roles: ['IMAP.AccessAsApp'] });
    c.send('AUTH XOAUTH2\r\n');
    expect(await c.until(/\r\n/)).toBe('+\r\n');
    c.send(`${sasl(imapOnly)}\r\n`);
    expect(await c.until(/\r\n/)).toBe(`${POP3_TEXTS.authFailed}\r\n`);
    c.send('AUTH XOAUTH2\r\n');
    await c.until(/\r\n/);
    c.send(`${sasl(good)}\r\n`);
    expect(await c.until(/\r\n/)).toBe(`${POP3_TEXTS.authOk}\r\n`);
    c.send('QUIT\r\n');
    await c.until(/\r\n/);
    const reasons = emu.admin.popDecisions.slice(-4).map((d) => [d.how, d.reason]);
    expect(reasons).toEqual([
      ['user-pass', 'Basic authentication (USER/PASS) is off'],
      ['xoauth2-one-line', 'initial response on the AUTH line (Exchange wants it on the next line)'],
      ['xoauth2', 'role POP.AccessAsApp missing'],
      ['xoauth2', 'ok'],
    ]);
  }, 120_000);

  it('POP failures upstream get POP\'s own diagnosis codes: a token without POP.AccessAsApp, a mailbox the app has no Full Access to', async () => {
    const login = async (pops: number, ca: string, user: string, password: string) => {
      const c = rawSession(pops, { tls: { ca } });
      await c.until(/\r\n/);
      c.send(`AUTH PLAIN ${Buffer.from(`\0${user}\0${password}`).toString('base64')}\r\n`);
      const answer = await c.until(/\r\n/);
      c.sock.destroy();
      return answer;
    };
    const app = emu.scenario.apps.find((a) => a.clientId === DAEMON)!;
    const withPop = [...app.applicationPermissions];
    // the role taken away (admin consent without POP.AccessAsApp): the relay's token has no such claim
    emu.admin.setApp(DAEMON, { applicationPermissions: withPop.filter((p) => p.name !== 'POP.AccessAsApp') });
    let aLogs = '';
    try {
      const a = await relayWith();
      expect(await login(a.pops, a.ca, 'reader', a.password)).toMatch(/^-ERR \[SYS\/TEMP\] Microsoft 365 did not accept the relay's sign-in for info@fabrikam\.com \(pop-app-only-role-missing\)/);
      expect(emu.admin.popDecisions.at(-1)?.reason).toBe('role POP.AccessAsApp missing');
      await waitFor(() => a.relay.logs().includes('"event":"pop-upstream-refused"'), 'the refusal in the log');
      expect(a.relay.logs()).toMatch(/"event":"pop-upstream-refused".*"code":"pop-app-only-role-missing".*"fix":".*POP\.AccessAsApp/);
      aLogs = a.relay.logs();
    } finally {
      emu.admin.setApp(DAEMON, { applicationPermissions: withPop });
    }
    // the role is there, but the app has no Full Access on the mailbox this device reads
    const b = await relayWith({ otherMailbox: 'reception@fabrikam.com' });
    expect(await login(b.pops, b.ca, 'other', b.otherPassword)).toMatch(/^-ERR \[SYS\/TEMP\] Microsoft 365 did not accept the relay's sign-in for reception@fabrikam\.com \(pop-app-only-not-registered\)/);
    expect(emu.admin.popDecisions.at(-1)?.reason).toBe('no FullAccess on reception@fabrikam.com');
    await waitFor(() => b.relay.logs().includes('"event":"pop-upstream-refused"'), 'the refusal in the log');
    expect(b.relay.logs()).toMatch(/"mailbox":"reception@fabrikam\.com","code":"pop-app-only-not-registered".*"fix":"Run in Exchange Online PowerShell/);
    // never an IMAP code for a POP failure
    expect(aLogs + b.relay.logs()).not.toMatch(/"code":"imap-/);
  }, 240_000);

  it('relay status and the device card name the POP proxy', async () => {
    const dir = tempDir('mail-oauth-pop-card-');
    const config = writeConfig(dir, { pop: { port: 1110, implicitTlsPort: 1995 } });
    const r = await cli(['relay', 'device', 'add', '--config', config, '--name', 'mfp', '--sender', SENDER, '--pop', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const card = JSON.parse(r.stdout) as { pop: { port: number; implicitTlsPort: number; encryption: string; mailbox: string } };
    expect(card.pop).toEqual({ port: 1110, implicitTlsPort: 1995, encryption: 'STARTTLS/STLS (or none on this computer only)', mailbox: SENDER });
    const status = JSON.parse((await cli(['relay', 'status', '--config', config, '--json'])).stdout) as { pop?: { port: number; implicitTlsPort?: number; devices: string[] } };
    expect(status.pop).toEqual({ port: 1110, implicitTlsPort: 1995, devices: ['mfp'] });
  }, 60_000);
});
