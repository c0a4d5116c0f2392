import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index';
import { DAEMON, DAEMON_SECRET } from '../helpers/fixtures';
import { addDevice, cli, forwarder, SENDER, startRelay, swaks, tempDir, waitFor, writeConfig, writeProfile, type RelayProcess } from './harness';

let emu: Emulator;
const running: RelayProcess[] = [];
const copies = (messageId: string) => emu.admin.messages(SENDER).filter((m) => m.messageId === messageId).length;

beforeAll(async () => {
  emu = await startEmulator();
  // The app's rights on the sending mailbox, stated explicitly (Exchange: New-ServicePrincipal +
  // Add-MailboxPermission FullAccess + Add-RecipientPermission SendAs), so the scenario keeps working
  // when app-only SMTP needs FullAccess or a scoped role assignment.
  const app = emu.scenario.apps.find((a) => a.clientId === DAEMON)!;
  emu.admin.exchangeRegisterServicePrincipal({ appId: DAEMON, objectId: app.servicePrincipalId, mailbox: SENDER, access: ['FullAccess', 'SendAs'] });
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
    const { relay, password, config } = await relayWith();
    const messageId = `<relay-basic-${Date.now()}@copier.local>`;
    const r = await swaks(relay.port, { user: 'copier', password, messageId, subject: 'Relay basic' });
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/STARTTLS/);
    expect(r.out).toMatch(/250 2\.0\.0 Queued as /);
    await waitFor(() => copies(messageId) === 1, 'the message in the mailbox');
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
    for (const secret of [DAEMON_SECRET, password]) expect(relay.logs()).not.toContain(secret);
    expect(readFileSync(config, 'utf8')).not.toContain(password);
  }, 60_000);
});
