import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cacheKey, MemoryVault, signIn, type EngineDeps, type SecretVault } from '../../engine';
import { EncryptedFileVault, VAULT_KEY_ENV } from '../../engine/relay/vault';
import type { Profile } from '../../../shared/profile';
import type { RelayConfig } from '../../engine/relay';
import { loadProfileFile } from '../../engine/profileFile';
import {
  Relay,
  RelayConfigError,
  RelayConfigSchema,
  RelayStartError,
  deviceMailbox,
  deviceUser,
  generatePassword,
  hashPassword,
  isLoopback,
  loadRelayConfig,
  relayStatus,
  Spool,
  systemdUnit,
  windowsServiceText,
  writeJsonAtomic,
  type RelayConfigInput,
} from '../../engine/relay';
import type { CliIo } from '../main';
import { resolveSecret, UsageError } from '../secret';
import { resolveCertificate } from './status';

export const RELAY_HELP = `mail-oauth relay: an SMTP relay for devices and programs that cannot do OAuth (scanners,
printers, older software). They sign in to the relay with a local password (or are known by their IP
address on a loopback listener); the relay spools each message to disk before answering 250 and sends
it on to Microsoft 365 with XOAUTH2, app-only by default.

Usage:
  mail-oauth relay <profile.json> [--config relay.json] [--secret-env NAME] [--custom-endpoints]
      run the relay in the foreground (stop with Ctrl+C / SIGTERM; the spool keeps what is queued)
  mail-oauth relay device add --config relay.json --name NAME --sender ADDRESS [--sender ...] [--ip ADDR|CIDR ...] [--no-password]
      [--imap] [--pop] [--mailbox ADDRESS] [--json]
      add a device (creates relay.json when missing); prints its generated password ONCE and the
      settings to type into the device. --imap / --pop let it read the mailbox (default: its first
      sender) through the relay's IMAP / POP proxy ("imap": {"port": 1143} / "pop": {"port": 1110} in
      relay.json turn the proxies on)
  mail-oauth relay status --config relay.json [--warning-minutes 15] [--critical-minutes 60] [--json]
      counts (accepted, queued, delivered, bounced, held, oldest queued) and monitoring exit codes:
      0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN
  mail-oauth relay sign-in <profile.json> [--config relay.json]
      delegated profiles only: sign in once with a device code; the refresh token is kept encrypted
      (AES-256-GCM) in the spool under the passphrase in MAIL_OAUTH_RELAY_VAULT_KEY
  mail-oauth relay release --config relay.json ID
      send again a message held after a crash mid-send (it may then arrive twice)
  mail-oauth relay --install <profile.json> [--config relay.json] [--unit-out FILE] [--user USER] [--env-file FILE]
      print (or write) a systemd unit; explains the Windows service

--config defaults to the profile's file name with .relay.json (profile.json -> profile.relay.json).
The Microsoft secret is read as for every command: from the environment variable the profile names
(MAIL_OAUTH_*), or the profile's certificate. It is never written to the relay's configuration.
Delivery: each accepted message is on disk (fsync) before 250; temporary failures are retried with
back-off; a message Microsoft refuses for good becomes a delivery status notification in the spool's
bounces/ folder with the diagnosis code and the fix. See README "Devices that cannot do OAuth".
`;

class Usage extends UsageError {}

type Values = Record<string, string | boolean | string[] | undefined>;

function parse(args: string[], options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>): { values: Values; positionals: string[] } {
  try {
    const r = parseArgs({ args, options: { ...options, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
    return { values: r.values as Values, positionals: r.positionals };
  } catch (e) {
    throw new Usage((e as Error).message);
  }
}

function defaultConfig(profilePath: string): string {
  return profilePath.replace(/(\.json)?$/i, '.relay.json');
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function loadConfig(file: string) {
  try {
    return loadRelayConfig(file);
  } catch (e) {
    if (e instanceof RelayConfigError) throw new UsageError(e.message);
    throw e;
  }
}

export async function relayCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'device') return deviceCommand(rest, io);
  if (sub === 'status') return statusSub(rest, io);
  if (sub === 'release') return releaseSub(rest, io);
  if (sub === 'sign-in') return signInSub(rest, io);
  if (args.includes('--install')) return installSub(args.filter((a) => a !== '--install'), io);
  return runSub(args, io);
}

async function deviceCommand(args: string[], io: CliIo): Promise<number> {
  const [verb, ...rest] = args;
  if (verb !== 'add') throw new Usage('relay device takes: add');
  const { values, positionals } = parse(rest, { config: { type: 'string' }, name: { type: 'string' }, sender: { type: 'string', multiple: true }, ip: { type: 'string', multiple: true }, 'no-password': { type: 'boolean' }, user: { type: 'string' }, imap: { type: 'boolean' }, pop: { type: 'boolean' }, mailbox: { type: 'string' } });
  if (positionals.length) throw new Usage(`unexpected ${positionals.join(' ')}`);
  const file = str(values.config);
  const name = str(values.name);
  const senders = (values.sender as string[] | undefined) ?? [];
  const ips = (values.ip as string[] | undefined) ?? [];
  if (!file || !name || !senders.length) throw new Usage('relay device add needs --config, --name and at least one --sender');
  let raw: RelayConfigInput = { spool: `${path.basename(file).replace(/\.json$/i, '')}-spool`, devices: [] };
  if (existsSync(file)) {
    loadConfig(file); // refuses a broken file before changing it
    raw = JSON.parse(readFileSync(file, 'utf8')) as RelayConfigInput;
  }
  const devices = [...(raw.devices ?? [])];
  if (devices.some((d) => d.name === name)) throw new Usage(`a device named ${name} exists already`);
  const password = values['no-password'] ? undefined : generatePassword();
  if (!password && !ips.length) throw new Usage('--no-password needs at least one --ip');
  if (values.imap && !password) throw new Usage('--imap needs a password (IMAP has no login by address)');
  if (values.pop && !password) throw new Usage('--pop needs a password (POP has no login by address)');
  if (str(values.mailbox) && !values.imap && !values.pop) throw new Usage('--mailbox is the mailbox read over IMAP or POP: it goes with --imap or --pop');
  const device = {
    name,
    ...(str(values.user) ? { user: str(values.user)! } : {}),
    ...(password ? { passwordHash: await hashPassword(password) } : {}),
    ips,
    senders,
    ...(values.imap ? { imap: true } : {}),
    ...(values.pop ? { pop: true } : {}),
    ...((values.imap || values.pop) && str(values.mailbox) ? { mailbox: str(values.mailbox)! } : {}),
  };
  const next = { ...raw, devices: [...devices, device] };
  const parsed = RelayConfigSchema.safeParse(next);
  if (!parsed.success) throw new Usage(`the device is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  writeJsonAtomic(file, next);
  const c = loadConfig(file);
  const card = {
    device: name,
    server: isLoopback(c.listen.host) ? c.listen.host : c.listen.host === '0.0.0.0' || c.listen.host === '::' ? '(this computer\'s name or address)' : c.listen.host,
    port: c.listen.port,
    encryption: c.tls.required || !isLoopback(c.listen.host) ? 'STARTTLS (required)' : 'STARTTLS (or none on this computer only)',
    ...(c.listen.implicitTlsPort !== undefined ? { implicitTlsPort: c.listen.implicitTlsPort } : {}),
    userName: password ? deviceUser(parsed.data.devices.at(-1)!) : '(none: known by its IP address)',
    password: password ?? '(none)',
    sender: senders.join(', '),
    ...(values.imap
      ? {
          imap: c.imap
            ? { port: c.imap.port, ...(c.imap.implicitTlsPort !== undefined ? { implicitTlsPort: c.imap.implicitTlsPort } : {}), mailbox: deviceMailbox(parsed.data.devices.at(-1)!) }
            : { note: 'the IMAP proxy is off: add "imap": {"port": 1143} to the relay configuration' },
        }
      : {}),
    ...(values.pop
      ? {
          pop: c.pop
            ? { port: c.pop.port, encryption: c.tls.required || !isLoopback(c.listen.host) ? 'STARTTLS/STLS (required)' : 'STARTTLS/STLS (or none on this computer only)', ...(c.pop.implicitTlsPort !== undefined ? { implicitTlsPort: c.pop.implicitTlsPort } : {}), mailbox: deviceMailbox(parsed.data.devices.at(-1)!) }
            : { note: 'the POP proxy is off: add "pop": {"port": 1110} to the relay configuration' },
        }
      : {}),
  };
  if (values.json) io.stdout.write(`${JSON.stringify(card, null, 2)}\n`);
  else
    io.stdout.write(
      `Device ${name} added to ${file}.\nSettings to type into the device (the password is shown only now; the relay keeps only its scrypt hash):\n` +
        `  SMTP server:  ${card.server}\n  Port:         ${card.port}${card.implicitTlsPort !== undefined ? ` (or ${card.implicitTlsPort} with SSL/TLS)` : ''}\n  Encryption:   ${card.encryption}\n` +
        `  User name:    ${card.userName}\n  Password:     ${card.password}\n  Sender:       ${card.sender}\n` +
        (card.imap ? ('port' in card.imap ? `  IMAP server:  ${card.server}, port ${card.imap.port}${card.imap.implicitTlsPort !== undefined ? ` (or ${card.imap.implicitTlsPort} with SSL/TLS)` : ''}, same user name and password; reads ${card.imap.mailbox}\n` : `  IMAP:         ${card.imap.note}\n`) : '') +
        (card.pop ? ('port' in card.pop ? `  POP server:   ${card.server}, port ${card.pop.port}, ${card.pop.encryption}${card.pop.implicitTlsPort !== undefined ? ` (or ${card.pop.implicitTlsPort} with SSL/TLS)` : ''}, same user name and password; reads ${card.pop.mailbox}\n` : `  POP:          ${card.pop.note}\n`) : ''),
    );
  return 0;
}

function statusSub(args: string[], io: CliIo): number {
  let values: Values;
  try {
    values = parse(args, { config: { type: 'string' }, 'warning-minutes': { type: 'string' }, 'critical-minutes': { type: 'string' } }).values;
    const file = str(values.config);
    if (!file) throw new Usage('relay status needs --config relay.json');
    const num = (k: string) => (values[k] === undefined ? undefined : Number(values[k]));
    const w = num('warning-minutes');
    const cr = num('critical-minutes');
    for (const v of [w, cr]) if (v !== undefined && (!Number.isFinite(v) || v < 0)) throw new Usage('--warning-minutes / --critical-minutes take a number of minutes');
    const s = relayStatus(loadConfig(file), { ...(w !== undefined ? { warningMinutes: w } : {}), ...(cr !== undefined ? { criticalMinutes: cr } : {}) });
    io.stdout.write(values.json ? `${JSON.stringify(s, null, 2)}\n` : `${s.text}\n`);
    return { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 }[s.state];
  } catch (e) {
    io.stdout.write(`MAIL-OAUTH-RELAY UNKNOWN - ${(e as Error).message}\n`);
    return 3;
  }
}

function releaseSub(args: string[], io: CliIo): number {
  const { values, positionals } = parse(args, { config: { type: 'string' } });
  const file = str(values.config);
  if (!file || positionals.length !== 1) throw new Usage('relay release needs --config relay.json and one message id');
  const spool = new Spool(loadConfig(file).spool);
  try {
    spool.release(positionals[0]!);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  io.stdout.write(`Released ${positionals[0]}: the running relay sends it at its next start (restart it now).\n`);
  return 0;
}

function installSub(args: string[], io: CliIo): number {
  const { values, positionals } = parse(args, { config: { type: 'string' }, 'unit-out': { type: 'string' }, user: { type: 'string' }, 'env-file': { type: 'string' } });
  if (positionals.length !== 1) throw new Usage('relay --install needs one profile file');
  const profile = path.resolve(positionals[0]!);
  loadProfileFile(profile);
  const config = path.resolve(str(values.config) ?? defaultConfig(positionals[0]!));
  const c = loadConfig(config);
  const cli = path.resolve(process.argv[1] ?? 'mail-oauth');
  const unit = systemdUnit({ node: process.execPath, cli, profile, config, user: str(values.user) ?? 'mail-oauth-relay', spool: c.spool, envFile: str(values['env-file']) ?? '/etc/mail-oauth-relay/secret.env' });
  const out = str(values['unit-out']);
  if (out) {
    writeFileSync(`${out}.tmp`, unit, { mode: 0o644 });
    renameSync(`${out}.tmp`, out);
    io.stdout.write(`Wrote ${out}.\n`);
  } else io.stdout.write(unit);
  io.stderr.write(`\nWindows:\n${windowsServiceText({ node: process.execPath, cli, profile, config })}`);
  return 0;
}

function signInVault(config: RelayConfig, io: CliIo): EncryptedFileVault {
  const pass = io.env[VAULT_KEY_ENV];
  if (!pass) throw new UsageError(`a delegated relay keeps its sign-in encrypted under a passphrase in ${VAULT_KEY_ENV} (at least 16 characters; for a service, in its EnvironmentFile)`);
  mkdirSync(config.spool, { recursive: true, mode: 0o700 });
  try {
    return new EncryptedFileVault(path.join(config.spool, 'sign-in.vault'), pass);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Delegated upstream: sign in once with a device code; the refresh token goes to the encrypted store. */
async function signInSub(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { config: { type: 'string' }, 'secret-env': { type: 'string' }, 'custom-endpoints': { type: 'boolean' } });
  if (positionals.length !== 1) throw new Usage('relay sign-in needs one profile file');
  const { profile } = loadProfileFile(positionals[0]!);
  if (profile.flow !== 'delegated') throw new UsageError('relay sign-in is for a delegated profile; an app-only relay needs no sign-in');
  const config = loadConfig(str(values.config) ?? defaultConfig(positionals[0]!));
  const vault = signInVault(config, io);
  const allow = { ...(str(values['secret-env']) ? { allowEnvName: str(values['secret-env'])! } : {}), ...(values['custom-endpoints'] ? { customEndpoints: true } : {}) };
  const secret = await resolveSecret(profile.clientSecret, { env: io.env, stdin: io.stdin, stderr: io.stderr, interactive: false, ...allow }, profile);
  const deps: EngineDeps = { vault, ...(secret ? { clientSecret: secret } : {}), onDeviceCode: (m) => io.stderr.write(`${m}\n`) };
  const r = await signIn(profile as Profile, deps, { method: 'device-code', timeoutMs: 15 * 60_000 });
  io.stdout.write(`Signed in as ${r.account}; the relay sends as this account (its refresh token is kept encrypted in ${path.join(config.spool, 'sign-in.vault')}).\n`);
  return 0;
}

async function runSub(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { config: { type: 'string' }, 'secret-env': { type: 'string' }, 'custom-endpoints': { type: 'boolean' } });
  if (positionals.length !== 1) throw new Usage('expected exactly one profile file');
  const { profile } = loadProfileFile(positionals[0]!);
  const config = loadConfig(str(values.config) ?? defaultConfig(positionals[0]!));
  const allow = { ...(str(values['secret-env']) ? { allowEnvName: str(values['secret-env'])! } : {}), ...(values['custom-endpoints'] ? { customEndpoints: true } : {}) };
  const certificate = await resolveCertificate(profile, io, allow);
  const secret = certificate ? undefined : await resolveSecret(profile.clientSecret, { env: io.env, stdin: io.stdin, stderr: io.stderr, interactive: false, ...allow }, profile);
  if (profile.flow === 'app-only' && !secret && !certificate) throw new UsageError('an app-only relay needs the client secret (environment variable) or a certificate in the profile');
  let vault: SecretVault = new MemoryVault();
  if (profile.flow === 'delegated') {
    vault = signInVault(config, io);
    if (!(await vault.get(cacheKey(profile)))) throw new UsageError(`no saved sign-in for ${profile.mailbox}: run "mail-oauth relay sign-in ${positionals[0]} --config ..." first`);
  }
  const deps: EngineDeps = { vault, ...(secret ? { clientSecret: secret } : {}), ...(certificate ? { clientCertificate: { thumbprintSha256: certificate.thumbprintSha256, privateKey: certificate.privateKey, x5c: certificate.x5c } } : {}) };
  const relay = new Relay({ config, profile, deps, log: (r) => io.stderr.write(`${JSON.stringify(r)}\n`) });
  try {
    await relay.start();
  } catch (e) {
    if (e instanceof RelayStartError) throw new UsageError(e.message);
    throw e;
  }
  io.stdout.write(`${JSON.stringify({ listening: config.listen.host, ...relay.ports })}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await relay.stop();
  return 0;
}
