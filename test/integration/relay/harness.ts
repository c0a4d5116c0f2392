/* The relay as it runs in production: the CLI in a child process (so it can be killed with SIGKILL),
 * a real plain SMTP client (swaks from Debian), the emulator's XOAUTH2 SMTP as Microsoft 365. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { startEmulator, type Emulator } from '../../emulator/index';
import { main, type CliIo } from '../../../electron/cli/main';
import { DAEMON, DAEMON_SECRET, TENANT } from '../helpers/fixtures';

export const root = path.resolve(__dirname, '../../..');
export const SENDER = 'info@fabrikam.com';

/**
 * How a child process runs the CLI: the bundle `npm test` builds (node dist/cli/mail-oauth.cjs, about a
 * second to start) when MAIL_OAUTH_CLI=dist, else the TypeScript entry through tsx (compiles on every
 * start: 5-7 s on 2 busy cores, paid by every relay this harness starts).
 */
export const CLI_ENTRY = process.env.MAIL_OAUTH_CLI === 'dist' ? [path.join(root, 'dist/cli/mail-oauth.cjs')] : ['--import', 'tsx', path.join(root, 'electron/cli/mail-oauth.ts')];

export function tempDir(prefix = 'mail-oauth-relay-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** An app-only profile for the demo scenario's daemon app; `smtp` may point at a proxy in front of the emulator. */
export function writeProfile(dir: string, emu: Emulator, smtp = `${emu.smtp.host}:${emu.smtp.port}`, patch: Record<string, unknown> = {}): string {
  const file = path.join(dir, 'profile.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'relay',
      target: 'generic',
      tenant: TENANT,
      clientId: DAEMON,
      clientSecret: { source: 'env', name: 'MAIL_OAUTH_SECRET' },
      mailbox: SENDER,
      flow: 'app-only',
      api: 'imap-smtp',
      endpoints: { signInHost: emu.loginHost, imap: `${emu.imap.host}:${emu.imap.port}`, smtp, graphUrl: emu.graphUrl },
      caCerts: [emu.caPath],
      ...patch,
    }),
  );
  return file;
}

/** Runs a CLI command in a child process, handing each stderr chunk to `onStderr` (device code prompts). */
export function runChild(args: string[], env: Record<string, string>, onStderr: (text: string) => void = () => undefined): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [...CLI_ENTRY, ...args], { cwd: root, env: { PATH: process.env.PATH ?? '', MAIL_OAUTH_ALLOW_CUSTOM_ENDPOINTS: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
    onStderr(stderr);
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

export function writeConfig(dir: string, patch: Record<string, unknown> = {}): string {
  const file = path.join(dir, 'profile.relay.json');
  writeFileSync(file, JSON.stringify({ listen: { host: '127.0.0.1', port: 0 }, spool: 'spool', retry: { baseMs: 200, maxMs: 1000, giveUpAfterMs: 600_000 }, ...patch }, null, 2));
  return file;
}

/** Runs the CLI in this process (device add, status): returns exit code and output. */
export async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c: Buffer) => (stdout += c.toString()));
  err.on('data', (c: Buffer) => (stderr += c.toString()));
  const io = { stdout: out, stderr: err, stdin: process.stdin, env: { PATH: process.env.PATH, ...env } } as unknown as CliIo;
  const code = await main(args, io);
  return { code, stdout, stderr };
}

/** Adds a device through the CLI and returns its generated password (printed once). */
export async function addDevice(config: string, name: string, senders: string[], extra: string[] = []): Promise<string> {
  const r = await cli(['relay', 'device', 'add', '--config', config, '--name', name, ...senders.flatMap((s) => ['--sender', s]), ...extra, '--json']);
  if (r.code !== 0) throw new Error(`device add failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { password: string }).password;
}

export interface RelayProcess {
  child: ChildProcess;
  port: number;
  implicitTls?: number;
  metrics?: number;
  imap?: number;
  imapImplicitTls?: number;
  logs: () => string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Starts `mail-oauth relay <profile> --config <config>` as a child process; resolves once it listens. */
export function startRelay(profile: string, config: string, env: Record<string, string> = {}): Promise<RelayProcess> {
  const child = spawn(process.execPath, [...CLI_ENTRY, 'relay', profile, '--config', config], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: path.dirname(config), MAIL_OAUTH_SECRET: DAEMON_SECRET, MAIL_OAUTH_ALLOW_CUSTOM_ENDPOINTS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay did not start:\n${stderr}`)), 120_000);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`relay exited ${code}:\n${stderr}`));
    });
    child.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString();
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n') && line) {
        clearTimeout(timer);
        const p = JSON.parse(line) as { submission: number; implicitTls?: number; metrics?: number; imap?: number; imapImplicitTls?: number };
        resolve({
          child,
          port: p.submission,
          ...(p.implicitTls ? { implicitTls: p.implicitTls } : {}),
          ...(p.metrics ? { metrics: p.metrics } : {}),
          ...(p.imap ? { imap: p.imap } : {}),
          ...(p.imapImplicitTls ? { imapImplicitTls: p.imapImplicitTls } : {}),
          logs: () => stderr,
          exited,
          async stop() {
            if (child.exitCode !== null || child.signalCode !== null) return;
            child.kill('SIGTERM');
            const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
            await exited;
            clearTimeout(t);
          },
        });
      }
    });
  });
}

export interface SwaksResult {
  code: number;
  out: string;
}

/** The plain client: swaks (Debian package), STARTTLS unless told otherwise. */
export function swaks(port: number, o: { user?: string; password?: string; from?: string; to?: string; messageId?: string; subject?: string; tls?: 'starttls' | 'implicit' | 'none'; headerFrom?: string; body?: string }): Promise<SwaksResult> {
  const args = ['--server', `127.0.0.1:${port}`, '--from', o.from ?? SENDER, '--to', o.to ?? SENDER, '--helo', 'scanner.local', '--timeout', '60'];
  if ((o.tls ?? 'starttls') === 'starttls') args.push('--tls');
  if (o.tls === 'implicit') args.push('--tlsc');
  if (o.user) args.push('--auth', 'LOGIN', '--auth-user', o.user, '--auth-password', o.password ?? '');
  args.push('--header', `Subject: ${o.subject ?? 'Scan from the copier'}`);
  if (o.messageId) args.push('--header', `Message-Id: ${o.messageId}`);
  if (o.headerFrom) args.push('--header', `From: ${o.headerFrom}`);
  args.push('--body', o.body ?? 'Scanned document attached.');
  return new Promise((resolve) => {
    execFile('swaks', args, { timeout: 90_000 }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 99) : 0, out: `${stdout}${stderr}` }));
  });
}

/** A TCP forwarder in front of the emulator's SMTP that can be taken down (connection refused) and up again. */
export async function forwarder(targetPort: number): Promise<{ port: number; down(): Promise<void>; up(): Promise<void>; connections: () => number; close(): Promise<void>; staleAll(): void }> {
  const sockets = new Set<net.Socket>();
  /** Open client sides: staleAll() turns them into connections the server has given up on. */
  const clients = new Map<net.Socket, net.Socket>();
  let count = 0;
  let server: net.Server | undefined;
  let port = 0;
  const up = () =>
    new Promise<void>((resolve, reject) => {
      server = net.createServer((c) => {
        count++;
        const u = net.connect(targetPort, '127.0.0.1');
        sockets.add(c);
        sockets.add(u);
        clients.set(c, u);
        c.pipe(u).pipe(c);
        const end = () => (c.destroy(), u.destroy(), clients.delete(c));
        c.on('error', end).on('close', end);
        u.on('error', end).on('close', end);
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  const down = async () => {
    for (const s of sockets) s.destroy();
    sockets.clear();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
  };
  /**
   * Every open connection goes stale the way an SMTP server ends a session it gave up on (RFC 5321 4.2.2,
   * 421: closing the transmission channel): the client's next command is answered 421 and the connection
   * closed, with nothing passed on. New connections work as before.
   */
  const staleAll = () => {
    for (const [c, u] of clients) {
      c.unpipe(u);
      u.unpipe(c);
      u.removeAllListeners('close').removeAllListeners('error').on('error', () => undefined);
      u.destroy();
      c.removeAllListeners('data');
      c.once('data', () => c.end('421 4.4.2 Connection dropped: idle too long\r\n'));
      c.resume();
    }
    clients.clear();
  };
  await up();
  return { port, down, up, connections: () => count, close: down, staleAll };
}

export async function waitFor<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The emulator with the relay's app-only app registered in Exchange for SENDER (Exchange: New-ServicePrincipal +
 * Add-MailboxPermission FullAccess + Add-RecipientPermission SendAs), stated explicitly so the scenario keeps
 * working when app-only SMTP needs FullAccess or a scoped role assignment: what every relay test starts from.
 */
export async function relayEmulator(...scenario: Parameters<typeof startEmulator>): Promise<Emulator> {
  const emu = await startEmulator(...scenario);
  const app = emu.scenario.apps.find((a) => a.clientId === DAEMON)!;
  emu.admin.exchangeRegisterServicePrincipal({ appId: DAEMON, objectId: app.servicePrincipalId, mailbox: SENDER, access: ['FullAccess', 'SendAs'] });
  return emu;
}

/** A line-oriented raw conversation (what an old device does over IMAP or POP3), over TCP or TLS. */
export function rawSession(port: number, o: { tls?: { ca: string } } = {}) {
  const sock: net.Socket = o.tls ? tls.connect({ host: '127.0.0.1', port, ca: o.tls.ca, servername: 'localhost' }) : net.connect(port, '127.0.0.1');
  let buf = '';
  sock.on('data', (d: Buffer) => (buf += d.toString('utf8')));
  sock.on('error', () => undefined);
  const until = async (re: RegExp) => {
    await waitFor(() => re.test(buf), `${re} in ${JSON.stringify(buf)}`, 30_000);
    const text = buf;
    buf = '';
    return text;
  };
  return { sock, until, send: (s: string) => sock.write(s), all: () => buf };
}
