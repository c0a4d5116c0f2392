import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index';
import { kit } from '../../emulator/testkit';
import { DAEMON, DAEMON_SECRET, PUBLIC, DEMO_QUICK_DEVICE_CODE } from '../helpers/fixtures';
import { addDevice, cli, forwarder, runChild, SENDER, startRelay, swaks, tempDir, waitFor, writeConfig, writeProfile, type RelayProcess, relayEmulator } from './harness';

let emu: Emulator;
const running: RelayProcess[] = [];
const copies = (messageId: string) => emu.admin.messages(SENDER).filter((m) => m.messageId === messageId).length;

beforeAll(async () => {
  emu = await relayEmulator(DEMO_QUICK_DEVICE_CODE);
}, 120_000);

afterAll(async () => {
  for (const r of running) await r.stop().catch(() => undefined);
  await emu?.stop();
});

async function relayWith(o: { config?: Record<string, unknown>; smtp?: string } = {}) {
  const dir = tempDir();
  const profile = writeProfile(dir, emu, o.smtp);
  const config = writeConfig(dir, o.config);
  const password = await addDevice(config, 'copier', [SENDER]);
  const relay = await startRelay(profile, config);
  running.push(relay);
  return { dir, profile, config, password, relay };
}

describe('mail-oauth relay: a plain client through the relay to XOAUTH2 SMTP', () => {
  it('delivers a message from swaks (AUTH LOGIN over STARTTLS), seen arriving over IMAP, and keeps secrets out of the logs', async () => {
    const { relay, password, config } = await relayWith({ config: { metricsPort: 0 } });
    const messageId = `<relay-basic-${Date.now()}@copier.local>`;
    const r = await swaks(relay.port, { user: 'copier', password, messageId, subject: 'Relay basic' });
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/STARTTLS/);
    expect(r.out).toMatch(/250 2\.0\.0 Queued as /);
    await waitFor(() => copies(messageId) === 1, 'the message in the mailbox', 60_000);
    // over IMAP, as a person would see it (app-only IMAP token for the mailbox)
    const token = emu.admin.issueToken({ clientId: DAEMON, roles: ['IMAP.AccessAsApp'] });
    const imap = new ImapFlow({ host: emu.imap.host, port: emu.imap.port, secure: true, tls: { ca: emu.caPem, servername: 'localhost' }, auth: { user: SENDER, accessToken: token }, logger: false });
    await imap.connect();
    await imap.mailboxOpen('INBOX');
    const found = await imap.search({ header: { 'message-id': messageId } });
    await imap.logout();
    expect(Array.isArray(found) ? found.length : 0).toBe(1);
    const status = await cli(['relay', 'status', '--config', config, '--json']);
    const s = JSON.parse(status.stdout) as { state: string; counts: { delivered: number; queued: number } };
    expect(s.counts).toMatchObject({ delivered: 1, queued: 0 });
    expect(status.code).toBe(0);
    expect(s.state).toBe('OK');
    expect(relay.logs()).toContain('"event":"delivered"');
    const metrics = await (await fetch(`http://127.0.0.1:${relay.metrics}/metrics`)).text();
    expect(metrics).toMatch(/^mail_oauth_relay_delivered_total 1$/m);
    expect(metrics).toMatch(/^mail_oauth_relay_queued 0$/m);
    for (const secret of [DAEMON_SECRET, password]) expect(relay.logs()).not.toContain(secret);
    expect(readFileSync(config, 'utf8')).not.toContain(password);
  }, 240_000);

  it('refuses a client that does not authenticate, a wrong password, and a sender the device may not use', async () => {
    const { relay, password } = await relayWith();
    const noAuth = await swaks(relay.port, { messageId: `<relay-noauth-${Date.now()}@x>` });
    expect(noAuth.code).not.toBe(0);
    expect(noAuth.out).toMatch(/530 5\.7\.0 Authentication required/);
    const wrong = await swaks(relay.port, { user: 'copier', password: `${password}x` });
    expect(wrong.code).not.toBe(0);
    expect(wrong.out).toMatch(/535 5\.7\.8/);
    const otherSender = await swaks(relay.port, { user: 'copier', password, from: 'admin@fabrikam.com', to: SENDER });
    expect(otherSender.code).not.toBe(0);
    expect(otherSender.out).toMatch(/550 5\.7\.1 Sender address <admin@fabrikam\.com> is not allowed for this device/);
    // the envelope is allowed but the From: header is someone else's
    const spoofed = await swaks(relay.port, { user: 'copier', password, headerFrom: 'CEO <admin@fabrikam.com>' });
    expect(spoofed.code).not.toBe(0);
    expect(spoofed.out).toMatch(/550 5\.7\.1 From: admin@fabrikam\.com is not allowed/);
    // AUTH before STARTTLS is refused when TLS is required
    const plain = await swaks(relay.port, { user: 'copier', password, tls: 'none' });
    expect(plain.code).toBe(0); // loopback listener without tls.required: plain AUTH allowed on this computer only
    expect(relay.logs()).not.toContain(password);
  }, 240_000);

  it('a listener reachable from other machines refuses to start without TLS required and a password for every device', async () => {
    const dir = tempDir();
    const profile = writeProfile(dir, emu);
    const config = writeConfig(dir, { listen: { host: '0.0.0.0', port: 0 } });
    await addDevice(config, 'copier', [SENDER]);
    await expect(startRelay(profile, config)).rejects.toThrow(/refusing to start: .*TLS must be required/);
    const config2 = writeConfig(dir, { listen: { host: '0.0.0.0', port: 0 }, tls: { required: true } });
    await addDevice(config2, 'printer', [SENDER], ['--no-password', '--ip', '10.0.0.7']);
    await expect(startRelay(profile, config2)).rejects.toThrow(/refusing to start: .*every device needs a password.*printer/);
  }, 240_000);

  it('with TLS required: no AUTH before STARTTLS; implicit TLS works', async () => {
    const { relay, password } = await relayWith({ config: { tls: { required: true }, listen: { host: '127.0.0.1', port: 0, implicitTlsPort: 0 } } });
    const plain = await swaks(relay.port, { user: 'copier', password, tls: 'none' });
    expect(plain.code).not.toBe(0);
    expect(plain.out).toMatch(/538|STARTTLS/);
    const messageId = `<relay-implicit-${Date.now()}@copier.local>`;
    const r = await swaks(relay.implicitTls!, { user: 'copier', password, tls: 'implicit', messageId });
    expect(r.code, r.out).toBe(0);
    await waitFor(() => copies(messageId) === 1, 'the implicit-TLS message in the mailbox');
  }, 240_000);

  it('Microsoft unreachable for a while: the message waits in the spool and is delivered once when it is back', async () => {
    const fwd = await forwarder(emu.smtp.port);
    const { relay, password, config } = await relayWith({ smtp: `127.0.0.1:${fwd.port}` });
    await fwd.down();
    const messageId = `<relay-down-${Date.now()}@copier.local>`;
    const r = await swaks(relay.port, { user: 'copier', password, messageId });
    expect(r.code, r.out).toBe(0);
    await waitFor(() => (relay.logs().match(/"event":"deferred"/g) ?? []).length >= 2, 'two deferred attempts');
    const during = await cli(['relay', 'status', '--config', config, '--json']);
    expect(JSON.parse(during.stdout)).toMatchObject({ counts: { queued: 1, delivered: 0 }, lastError: { code: 'network-refused' } });
    expect(copies(messageId)).toBe(0);
    await fwd.up();
    await waitFor(() => copies(messageId) === 1, 'delivery after the upstream came back', 60_000);
    await new Promise((res) => setTimeout(res, 1500)); // any second copy would arrive by now
    expect(copies(messageId)).toBe(1);
    const after = JSON.parse((await cli(['relay', 'status', '--config', config, '--json'])).stdout) as { counts: { queued: number; delivered: number } };
    expect(after.counts).toMatchObject({ queued: 0, delivered: 1 });
    await fwd.close();
  }, 240_000);

  it('the relay killed (SIGKILL) while sending and started again: the message is delivered once', async () => {
    // Microsoft slow to greet: the relay is mid-send (connected, waiting) when it is killed. Set before the
    // relay starts: it opens its upstream connections ahead (at start), and those must be the slow ones.
    await emu.admin.setFault('latencyMs', { login: 0, graph: 0, smtp: 4000, imap: 0 });
    const messageId = `<relay-kill-${Date.now()}@copier.local>`;
    let started: Awaited<ReturnType<typeof relayWith>> | undefined;
    try {
      started = await relayWith();
      const { relay, password } = started;
      const r = await swaks(relay.port, { user: 'copier', password, messageId });
      expect(r.code, r.out).toBe(0);
      await waitFor(() => relay.logs().includes('"event":"accepted"'), 'accepted');
      await new Promise((res) => setTimeout(res, 800));
      relay.child.kill('SIGKILL');
      await relay.exited;
    } finally {
      await emu.admin.clearFaults();
    }
    const { relay, profile, config } = started;
    expect(relay.logs()).not.toContain('"event":"delivered"');
    expect(copies(messageId)).toBe(0);
    const status = await cli(['relay', 'status', '--config', config, '--json']);
    expect(status.code).toBe(2); // CRITICAL: not running with mail waiting
    expect(JSON.parse(status.stdout)).toMatchObject({ running: false, counts: { queued: 1 } });
    const again = await startRelay(profile, config);
    running.push(again);
    await waitFor(() => copies(messageId) === 1, 'delivery after the restart', 60_000);
    expect(again.logs()).toContain('"event":"resumed"');
    await new Promise((res) => setTimeout(res, 1500));
    expect(copies(messageId)).toBe(1);
  }, 240_000);

  it('the same message submitted twice (a device that retried) is sent once', async () => {
    const { relay, password } = await relayWith();
    const messageId = `<relay-dup-${Date.now()}@copier.local>`;
    const a = await swaks(relay.port, { user: 'copier', password, messageId });
    const b = await swaks(relay.port, { user: 'copier', password, messageId });
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(b.out).toMatch(/250 2\.0\.0 Already queued as /);
    await waitFor(() => copies(messageId) === 1, 'one copy');
    await new Promise((res) => setTimeout(res, 1000));
    expect(copies(messageId)).toBe(1);
  }, 240_000);

  it('Microsoft refusing the mailbox for good: a bounce with the diagnosis code and the fix in the spool', async () => {
    const { relay, password, config, dir } = await relayWith({ config: { retry: { baseMs: 100, maxMs: 200, giveUpAfterMs: 1500 } } });
    emu.admin.setMailbox(SENDER, { smtpAuthDisabled: true });
    const messageId = `<relay-bounce-${Date.now()}@copier.local>`;
    try {
      const r = await swaks(relay.port, { user: 'copier', password, messageId });
      expect(r.code, r.out).toBe(0);
      await waitFor(() => relay.logs().includes('"event":"bounced"'), 'the bounce', 30_000);
    } finally {
      emu.admin.setMailbox(SENDER, { smtpAuthDisabled: null });
    }
    const bounces = readdirSync(path.join(dir, 'spool', 'bounces')).filter((f) => f.endsWith('.eml'));
    expect(bounces).toHaveLength(1);
    const dsn = readFileSync(path.join(dir, 'spool', 'bounces', bounces[0]!), 'utf8');
    expect(dsn).toMatch(/Content-Type: multipart\/report; report-type=delivery-status/);
    expect(dsn).toContain('Diagnosis code: smtp-auth-disabled-mailbox');
    expect(dsn).toMatch(/Set-CASMailbox/);
    expect(dsn).toContain(`Final-Recipient: rfc822; ${SENDER}`);
    expect(dsn).toMatch(/Status: 5\.7\.139/);
    expect(dsn).toContain(messageId);
    expect(copies(messageId)).toBe(0);
    const status = await cli(['relay', 'status', '--config', config]);
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/WARNING - 1 bounce\(s\) in the last 24 h \(smtp-auth-disabled-mailbox\)/);
  }, 240_000);

  it('delegated upstream: signed in once with a device code, the refresh token kept encrypted, then sending as that user', async () => {
    const dir = tempDir();
    const user = 'reception@fabrikam.com';
    const profile = writeProfile(dir, emu, undefined, { clientId: PUBLIC, clientSecret: { source: 'none' }, flow: 'delegated', mailbox: user, name: 'relay-delegated' });
    const config = writeConfig(dir);
    const password = await addDevice(config, 'copier', [user]);
    const env = { MAIL_OAUTH_RELAY_VAULT_KEY: 'correct horse battery staple 22' };
    const k = kit(emu);
    let started = false;
    const signIn = await runChild(['relay', 'sign-in', profile, '--config', config], env, (text) => {
      const code = /enter the code (\S+)/.exec(text)?.[1];
      if (code && !started) {
        started = true;
        void k.deviceLogin(code, user, 'Reception-Pass-1');
      }
    });
    expect(signIn.code, signIn.stderr).toBe(0);
    expect(signIn.stdout).toContain(`Signed in as ${user}`);
    const vault = readFileSync(path.join(dir, 'spool', 'sign-in.vault'), 'utf8');
    expect(Object.keys(JSON.parse(vault) as object).sort()).toEqual(['data', 'iv', 'salt', 'tag', 'v']);
    expect(vault).not.toMatch(/RefreshToken|refresh_token|secret/i);
    // without the passphrase the relay refuses to start rather than run without its sign-in
    await expect(startRelay(profile, config)).rejects.toThrow(/MAIL_OAUTH_RELAY_VAULT_KEY/);
    const relay = await startRelay(profile, config, env);
    running.push(relay);
    const messageId = `<relay-delegated-${Date.now()}@copier.local>`;
    const r = await swaks(relay.port, { user: 'copier', password, from: user, to: user, messageId });
    expect(r.code, r.out).toBe(0);
    await waitFor(() => emu.admin.messages(user).some((m) => m.messageId === messageId), 'the delegated message in the mailbox', 60_000);
  }, 240_000);

  it('--install prints a systemd unit that reads the secret from an EnvironmentFile, and explains Windows', async () => {
    const dir = tempDir();
    const profile = writeProfile(dir, emu);
    const config = writeConfig(dir);
    await addDevice(config, 'copier', [SENDER]);
    const r = await cli(['relay', '--install', profile, '--config', config, '--user', 'mailrelay'], { MAIL_OAUTH_SECRET: DAEMON_SECRET });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\[Service\]$/m);
    expect(r.stdout).toMatch(new RegExp(`^ExecStart=\\S+ \\S+ relay ${profile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} --config \\S+profile\\.relay\\.json$`, 'm'));
    expect(r.stdout).toMatch(/^EnvironmentFile=\/etc\/mail-oauth-relay\/secret\.env$/m);
    expect(r.stdout).toMatch(/^User=mailrelay$/m);
    expect(r.stdout).toMatch(/^ReadWritePaths=\S+spool$/m);
    expect(r.stdout).not.toContain(DAEMON_SECRET);
    expect(r.stderr).toMatch(/Task Scheduler/);
  }, 60_000);
});
