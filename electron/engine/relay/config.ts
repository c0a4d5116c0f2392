import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { BlockList, isIP } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number; maxmem: number }) => Promise<Buffer>;

/**
 * The relay's own configuration (never the Microsoft secret): where it listens, its TLS certificate,
 * its spool, and the devices allowed to submit (each with a local password stored as an scrypt hash
 * and/or the addresses it may connect from, and the senders it may use).
 */
export const DeviceSchema = z.object({
  name: z.string().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash, underscore'),
  /** SMTP AUTH user name the device types in (defaults to the device name). */
  user: z.string().min(1).max(128).optional(),
  /** scrypt$N$r$p$salt(base64)$hash(base64), written by `mail-oauth relay device add`. */
  passwordHash: z.string().regex(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/).optional(),
  /** Addresses (a.b.c.d, IPv6, or CIDR a.b.c.d/nn) the device may connect from. */
  ips: z.array(z.string().min(2)).default([]),
  /** MAIL FROM (and From: header) addresses this device may use. */
  senders: z.array(z.string().email().transform((s) => s.toLowerCase())).min(1),
  /**
   * May this device read mail through the relay's IMAP proxy? Off unless turned on: a scanner that
   * only sends must not be able to read the mailbox with its local password.
   */
  imap: z.boolean().default(false),
  /** May this device read mail through the relay's POP proxy? Off unless turned on (as for IMAP). */
  pop: z.boolean().default(false),
  /** The mailbox it reads over IMAP or POP (app-only; default: its first sender). A delegated relay reads the signed-in mailbox. */
  mailbox: z.string().email().transform((s) => s.toLowerCase()).optional(),
});
export type Device = z.infer<typeof DeviceSchema>;

export const RelayConfigSchema = z.object({
  listen: z
    .object({
      host: z.string().default('127.0.0.1'),
      /** Submission with STARTTLS (587-style). 0 = any free port (tests). */
      port: z.number().int().min(0).max(65535).default(2525),
      /** Implicit TLS (465-style); absent = none. */
      implicitTlsPort: z.number().int().min(0).max(65535).optional(),
    })
    .default({ host: '127.0.0.1', port: 2525 }),
  /**
   * The IMAP proxy for reading devices (same host, TLS and devices as the SMTP listener); absent = off.
   * port: IMAP with STARTTLS (143-style); implicitTlsPort: IMAPS (993-style).
   */
  imap: z
    .object({
      port: z.number().int().min(0).max(65535).default(1143),
      implicitTlsPort: z.number().int().min(0).max(65535).optional(),
    })
    .optional(),
  /**
   * The POP3 proxy for reading devices (same host, TLS and devices as the SMTP listener); absent = off.
   * port: POP3 with STLS (110-style); implicitTlsPort: POP3S (995-style).
   */
  pop: z
    .object({
      port: z.number().int().min(0).max(65535).default(1110),
      implicitTlsPort: z.number().int().min(0).max(65535).optional(),
    })
    .optional(),
  tls: z
    .object({
      /** PEM files; absent = a self-signed certificate the relay makes once and keeps in the spool. */
      certFile: z.string().optional(),
      keyFile: z.string().optional(),
      /** Refuse AUTH and MAIL before STARTTLS. Forced on for a non-loopback listener. */
      required: z.boolean().default(false),
    })
    .default({ required: false }),
  spool: z.string().min(1),
  devices: z.array(DeviceSchema).default([]),
  limits: z
    .object({
      /** Exchange Online: 30 messages a minute per mailbox for SMTP client submission. 0 = no pacing (benchmarks only). */
      messagesPerMinutePerMailbox: z.number().int().min(0).default(30),
      /** Exchange Online: 10,000 recipients a day per mailbox. */
      recipientsPerDayPerMailbox: z.number().int().min(0).default(10_000),
      /** Upstream connections at once (all mailboxes). */
      upstreamConcurrency: z.number().int().min(1).max(64).default(10),
      /** Upstream connections at once for one sending mailbox (at most upstreamConcurrency). */
      connectionsPerMailbox: z.number().int().min(1).max(64).default(3),
      /** Messages one upstream connection sends before it is replaced (its replacement is opened ahead). */
      messagesPerConnection: z.number().int().min(1).max(10_000).default(100),
      /** An upstream connection kept warm is closed after the mailbox sent nothing for this long (ms). */
      upstreamIdleMs: z.number().int().min(1000).default(60_000),
      maxMessageBytes: z.number().int().min(1024).default(35 * 1024 * 1024),
    })
    .default({ messagesPerMinutePerMailbox: 30, recipientsPerDayPerMailbox: 10_000, upstreamConcurrency: 10, connectionsPerMailbox: 3, messagesPerConnection: 100, upstreamIdleMs: 60_000, maxMessageBytes: 35 * 1024 * 1024 }),
  retry: z
    .object({
      /** First wait after a temporary failure; doubles up to maxMs. */
      baseMs: z.number().int().min(10).default(30_000),
      maxMs: z.number().int().min(10).default(30 * 60_000),
      /** A message still not delivered after this long is returned to its sender. */
      giveUpAfterMs: z.number().int().min(1000).default(2 * 24 * 3600_000),
    })
    .default({ baseMs: 30_000, maxMs: 30 * 60_000, giveUpAfterMs: 2 * 24 * 3600_000 }),
  /** Prometheus-style text on http://127.0.0.1:<port>/metrics; absent = off. Always loopback. */
  metricsPort: z.number().int().min(0).max(65535).optional(),
});
export type RelayConfig = z.infer<typeof RelayConfigSchema>;
export type RelayConfigInput = z.input<typeof RelayConfigSchema>;

export class RelayConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RelayConfigError';
  }
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** Reads a relay configuration; relative paths (spool, TLS files) are taken from the file's folder. */
export function loadRelayConfig(file: string): RelayConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new RelayConfigError(`cannot read the relay configuration ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseRelayConfig(raw, path.dirname(path.resolve(file)));
}

export function parseRelayConfig(raw: unknown, baseDir: string): RelayConfig {
  const r = RelayConfigSchema.safeParse(raw);
  if (!r.success) throw new RelayConfigError(`the relay configuration is not valid:\n${r.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n')}`);
  const c = r.data;
  c.spool = path.resolve(baseDir, c.spool);
  if (c.tls.certFile) c.tls.certFile = path.resolve(baseDir, c.tls.certFile);
  if (c.tls.keyFile) c.tls.keyFile = path.resolve(baseDir, c.tls.keyFile);
  if (!!c.tls.certFile !== !!c.tls.keyFile) throw new RelayConfigError('tls.certFile and tls.keyFile go together');
  const users = new Set<string>();
  for (const d of c.devices) {
    const u = deviceUser(d).toLowerCase();
    if (users.has(u)) throw new RelayConfigError(`two devices use the user name ${u}`);
    users.add(u);
    for (const ip of d.ips) if (!parseIpRule(ip)) throw new RelayConfigError(`device ${d.name}: ${ip} is not an IP address or CIDR range`);
    if (!d.passwordHash && !d.ips.length) throw new RelayConfigError(`device ${d.name} has neither a password nor an IP allow-list: it could never send`);
    if (d.imap && !d.passwordHash) throw new RelayConfigError(`device ${d.name} reads mail over IMAP, which always needs its password (IMAP has no login by address)`);
    if (d.pop && !d.passwordHash) throw new RelayConfigError(`device ${d.name} reads mail over POP, which always needs its password (POP has no login by address)`);
  }
  return c;
}

/**
 * Never an open relay: a listener reachable from other machines needs TLS and a password for every
 * device. Returns the reason to refuse to start, or null.
 */
export function openRelayRefusal(c: RelayConfig): string | null {
  if (!c.devices.length) return 'no device is configured: add one with "mail-oauth relay device add"';
  if (isLoopback(c.listen.host)) return null;
  const noPassword = c.devices.filter((d) => !d.passwordHash).map((d) => d.name);
  if (noPassword.length) return `the relay listens on ${c.listen.host}, reachable from other machines, so every device needs a password (IP addresses alone can be spoofed on a local network); without one: ${noPassword.join(', ')}`;
  if (!c.tls.required) return `the relay listens on ${c.listen.host}, reachable from other machines, so TLS must be required (set "tls": {"required": true}); passwords would otherwise cross the network in clear`;
  return null;
}

export function deviceUser(d: Device): string {
  return d.user ?? d.name;
}

/** The mailbox a device reads over IMAP or POP with an app-only relay. */
export function deviceMailbox(d: Device): string {
  return d.mailbox ?? d.senders[0]!;
}

function parseIpRule(rule: string): { net: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const [addr, bits] = rule.split('/');
  const v = isIP(addr ?? '');
  if (!v) return null;
  const family = v === 4 ? 'ipv4' : 'ipv6';
  const max = v === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return null;
  return { net: addr!, prefix, family };
}

/** Whether a remote address matches one of the rules (IPv4-mapped IPv6 addresses are unwrapped). */
export function ipAllowed(rules: string[], remote: string): boolean {
  if (!rules.length) return false;
  const addr = remote.startsWith('::ffff:') && isIP(remote.slice(7)) === 4 ? remote.slice(7) : remote;
  const list = new BlockList();
  for (const r of rules) {
    const p = parseIpRule(r);
    if (p) list.addSubnet(p.net, p.prefix, p.family);
  }
  const fam = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
  return list.check(addr, fam);
}

// scrypt parameters (RFC 7914; N=2^15, r=8, p=1 is the interactive-login level OWASP lists).
const N = 32768;
const R = 8;
const P = 1;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32, { N, r: R, p: P, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const want = Buffer.from(hash, 'base64');
  const got = await scrypt(password, Buffer.from(salt, 'base64'), want.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: 256 * 1024 * 1024 });
  return got.length === want.length && timingSafeEqual(got, want);
}

/** A password to type into a device: 20 characters from an alphabet without look-alikes (about 116 bits). */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = randomBytes(40);
  let out = '';
  for (const b of bytes) {
    if (b >= 228) continue; // 228 = 4 * 57: keeps the draw uniform
    out += alphabet[b % alphabet.length];
    if (out.length === 20) break;
  }
  return out.length === 20 ? out : generatePassword();
}

/** Writes a JSON file atomically (temp file, fsync, rename), readable by its owner only. */
export function writeJsonAtomic(file: string, value: unknown, mode = 0o600): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode });
  const fd = openSync(tmp, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
