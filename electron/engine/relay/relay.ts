import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { hostname } from 'node:os';
import path from 'node:path';
import type { SMTPServer, SMTPServerAuthentication, SMTPServerSession } from 'smtp-server';
import { diagnose, redact, type Diagnosis } from '../../../shared/diagnosis';
import type { Profile } from '../../../shared/profile';
import type { EngineDeps } from '../ports';
import { deviceUser, ipAllowed, isLoopback, openRelayRefusal, verifyPassword, type Device, type RelayConfig } from './config';
import { addressesOf, buildDsn, headerBlock, headerValues } from './dsn';
import { newSpoolId, Spool, type SpoolEntry } from './spool';
import { Upstream, type SendOutcome } from './upstream';
import { ImapProxy } from './imapProxy';
import type { MailProxy, ProxyHooks } from './mailProxy';
import { PopProxy } from './popProxy';

export interface RelayLogRecord {
  event: string;
  [k: string]: unknown;
}

export interface RelayOptions {
  config: RelayConfig;
  profile: Profile;
  deps: EngineDeps;
  /** One record per event, secrets already removed. Default: JSON lines on stderr. */
  log?: (r: RelayLogRecord & { ts: string }) => void;
  /** Upstream time bound per operation (ms). */
  upstreamTimeoutMs?: number;
}

export class RelayStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RelayStartError';
  }
}

function smtpError(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

interface SessionUser {
  device: string;
}

/** At most this much just-accepted mail is kept in memory for its first attempt. */
const FRESH_MAX_BYTES = 16 * 1024 * 1024;
const DEDUP_WINDOW_MS = 7 * 24 * 3600_000;
/** Exchange Online accepts at most 500 recipients per message by default. */
const MAX_RECIPIENTS = 500;

export interface RelayCounters {
  accepted: number;
  delivered: number;
  bounced: number;
  deferred: number;
  duplicates: number;
  refusedSessions: number;
}

/**
 * The relay: an SMTP submission listener for devices and programs that cannot do OAuth, a durable
 * spool, and a paced sender to Microsoft 365 with XOAUTH2.
 */
export class Relay {
  readonly spool: Spool;
  readonly counters: RelayCounters = { accepted: 0, delivered: 0, bounced: 0, deferred: 0, duplicates: 0, refusedSessions: 0 };
  private readonly upstream: Upstream;
  private readonly queue = new Map<string, SpoolEntry>();
  private readonly inFlight = new Set<string>();
  private readonly dedup = new Map<string, string>();
  private readonly sentTimes = new Map<string, number[]>();
  private readonly dayRecipients = new Map<string, { day: string; count: number }>();
  private readonly verified = new Set<string>();
  private scryptTurn: Promise<unknown> = Promise.resolve();
  /** Messages being made durable: a duplicate arriving meanwhile waits for the first one's outcome. */
  private readonly accepting = new Map<string, Promise<void>>();
  /** Just-accepted messages kept in memory for their first attempt (bounded), so it reads no file. */
  private readonly fresh = new Map<string, Buffer>();
  private freshBytes = 0;
  private readonly hmacKey = randomBytes(32);
  private readonly servers: SMTPServer[] = [];
  private metricsServer: http.Server | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private held: string[] = [];
  private readonly log: (r: RelayLogRecord) => void;
  readonly ports: { submission?: number; implicitTls?: number; metrics?: number; imap?: number; imapImplicitTls?: number; pop?: number; popImplicitTls?: number } = {};
  private imap: ImapProxy | undefined;
  private pop: PopProxy | undefined;

  constructor(private readonly o: RelayOptions) {
    this.spool = new Spool(o.config.spool);
    const l = o.config.limits;
    this.upstream = new Upstream(o.profile, o.deps, {
      connectionsPerMailbox: Math.min(l.connectionsPerMailbox, l.upstreamConcurrency),
      messagesPerConnection: l.messagesPerConnection,
      idleMs: l.upstreamIdleMs,
      ...(o.upstreamTimeoutMs ? { timeoutMs: o.upstreamTimeoutMs } : {}),
      // a connection opened ahead failed: said once per back-off, with its diagnosis; no message is affected
      onWarmError: (mailbox, e) => this.log({ event: 'upstream-warm-failed', mailbox, code: this.diagnosis(e).code, error: redact(errorText(e), this.upstream.secrets).slice(0, 300) }),
    });
    const sink = o.log ?? ((r) => process.stderr.write(`${JSON.stringify(r)}\n`));
    this.log = (r) => sink(JSON.parse(redact(JSON.stringify({ ts: new Date().toISOString(), ...r }), this.upstream.secrets)) as RelayLogRecord & { ts: string });
  }

  private device(name: string): Device | undefined {
    return this.o.config.devices.find((d) => d.name === name);
  }

  private tls(): { key: string; cert: string } {
    const t = this.o.config.tls;
    if (t.certFile && t.keyFile) return { key: readFileSync(t.keyFile, 'utf8'), cert: readFileSync(t.certFile, 'utf8') };
    const dir = path.join(this.o.config.spool, 'tls');
    return { key: readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8') };
  }

  /** A self-signed certificate made once and kept with the spool (when no certificate is given). */
  private async ensureCertificate(): Promise<void> {
    if (this.o.config.tls.certFile) return;
    const dir = path.join(this.o.config.spool, 'tls');
    if (existsSync(path.join(dir, 'cert.pem')) && existsSync(path.join(dir, 'key.pem'))) return;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { generate } = await import('selfsigned');
    const host = this.o.config.listen.host === '0.0.0.0' || this.o.config.listen.host === '::' ? hostname() : this.o.config.listen.host;
    const pems = await generate([{ name: 'commonName', value: host }], {
      keyType: 'ec',
      algorithm: 'sha256',
      notAfterDate: new Date(Date.now() + 5 * 365 * 24 * 3600_000),
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 2 as const, value: hostname() }, { type: 2 as const, value: 'localhost' }, ...(/^[\d.]+$/.test(host) ? [{ type: 7 as const, ip: host }] : [])] }],
    });
    writeFileSync(path.join(dir, 'key.pem'), pems.private, { mode: 0o600 });
    writeFileSync(path.join(dir, 'cert.pem'), pems.cert, { mode: 0o644 });
  }

  async start(): Promise<void> {
    const refusal = openRelayRefusal(this.o.config);
    if (refusal) throw new RelayStartError(`refusing to start: ${refusal}`);
    await this.ensureCertificate();
    const { queued, held } = this.spool.recover();
    this.held = held;
    for (const id of held) this.log({ event: 'held-after-crash', id, note: 'the end of this message may have reached Microsoft before the relay stopped; not re-sent (mail-oauth relay release)' });
    const now = Date.now();
    for (const e of queued) {
      this.queue.set(e.id, e);
      this.dedup.set(dedupKey(e), e.id);
    }
    for (const e of this.spool.entries('delivered')) if (e.deliveredAt && now - Date.parse(e.deliveredAt) < DEDUP_WINDOW_MS) this.dedup.set(dedupKey(e), e.id);
    this.spool.prune(DEDUP_WINDOW_MS);
    if (queued.length) this.log({ event: 'resumed', queued: queued.length });

    const { key, cert } = this.tls();
    const c = this.o.config;
    const l = c.listen;
    this.ports.submission = await this.listen(false, key, cert, l.port);
    if (l.implicitTlsPort !== undefined) this.ports.implicitTls = await this.listen(true, key, cert, l.implicitTlsPort);
    if (c.imap) await this.startReader('imap', key, cert);
    if (c.pop) await this.startReader('pop', key, cert);
    if (this.o.config.metricsPort !== undefined) await this.startMetrics(this.o.config.metricsPort);
    writeFileSync(path.join(this.o.config.spool, 'relay.pid'), JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString(), host: l.host, ports: this.ports }), { mode: 0o600 });
    this.log({ event: 'listening', host: l.host, ports: this.ports, flow: this.o.profile.flow, devices: this.o.config.devices.length });
    // upstream connections signed in before the first message needs them: mailboxes with mail waiting
    // first, then the devices' senders (at most upstreamConcurrency connections in all)
    this.upstream.prewarm([...queued.map((e) => e.mailbox), ...c.devices.flatMap((d) => d.senders.map((s) => this.upstream.mailboxFor(s)))], c.limits.upstreamConcurrency);
    this.pump();
  }

  private async listen(secure: boolean, key: string, cert: string, port: number): Promise<number> {
    const c = this.o.config;
    const tlsRequired = c.tls.required || !isLoopback(c.listen.host);
    const { SMTPServer } = await import('smtp-server'); // loaded by the relay only, not with the engine
    const server = new SMTPServer({
      secure,
      key,
      cert,
      name: hostname(),
      banner: 'Mail OAuth relay',
      authMethods: ['PLAIN', 'LOGIN'],
      authOptional: true,
      allowInsecureAuth: !tlsRequired,
      size: c.limits.maxMessageBytes,
      logger: false,
      disableReverseLookup: true,
      onAuth: (auth, session, cb) => {
        this.authenticate(auth, session).then(
          (device) => {
            if (!device) {
              this.counters.refusedSessions++;
              this.log({ event: 'auth-refused', user: auth.username, remote: session.remoteAddress });
              return cb(smtpError(535, '5.7.8 Authentication credentials invalid'));
            }
            cb(null, { user: { device: device.name } satisfies SessionUser as unknown as string });
          },
          () => cb(smtpError(454, '4.7.0 Temporary authentication failure')),
        );
      },
      onMailFrom: (address, session, cb) => {
        if (tlsRequired && !session.secure) return cb(smtpError(530, '5.7.0 Must issue a STARTTLS command first'));
        const device = this.sessionDevice(session);
        if (!device) {
          this.counters.refusedSessions++;
          this.log({ event: 'sender-unauthenticated', remote: session.remoteAddress, from: address.address });
          return cb(smtpError(530, '5.7.0 Authentication required'));
        }
        const from = address.address.toLowerCase();
        if (!from || !device.senders.includes(from)) {
          this.counters.refusedSessions++;
          this.log({ event: 'sender-refused', device: device.name, from });
          return cb(smtpError(550, `5.7.1 Sender address <${from}> is not allowed for this device`));
        }
        cb();
      },
      onRcptTo: (_address, session, cb) => {
        if (session.envelope.rcptTo.length >= MAX_RECIPIENTS) return cb(smtpError(452, `4.5.3 Too many recipients (at most ${MAX_RECIPIENTS} per message)`));
        cb();
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (ch: Buffer) => chunks.push(ch));
        stream.on('end', () => {
          if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) return cb(smtpError(552, '5.3.4 Message too big'));
          this.accept(session, Buffer.concat(chunks)).then(
            (text) => cb(null, text),
            (e: unknown) => cb(e as Error),
          );
        });
      },
    });
    server.on('error', (e) => this.log({ event: 'listener-error', error: (e as Error).message }));
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(port, c.listen.host, () => resolve());
    });
    this.servers.push(server);
    return (server.server.address() as { port: number }).port;
  }

  private authenticate(auth: SMTPServerAuthentication, session: SMTPServerSession): Promise<Device | undefined> {
    return this.verifyDevice(auth.username ?? '', auth.password ?? '', session.remoteAddress);
  }

  /** A device's local credential (SMTP AUTH and the IMAP proxy alike): user name, password, and its address rules. */
  private async verifyDevice(userName: string, password: string, remote: string): Promise<Device | undefined> {
    const user = userName.toLowerCase();
    const device = this.o.config.devices.find((d) => deviceUser(d).toLowerCase() === user);
    if (!device?.passwordHash) return undefined;
    if (device.ips.length && !ipAllowed(device.ips, remote)) return undefined;
    // scrypt is slow on purpose; a credential already proved in this process is recognised by an HMAC
    // under a key that lives only in memory.
    const mac = createHmac('sha256', this.hmacKey).update(`${device.name}\0${device.passwordHash}\0${password}`).digest('base64');
    if (this.verified.has(mac)) return device;
    // one scrypt at a time: each takes 32 MB (N=2^15, r=8); ten logins at once would take 320 MB, and a
    // flood of wrong passwords must not be able to exhaust memory
    const check = this.scryptTurn.then(() => verifyPassword(password, device.passwordHash!));
    this.scryptTurn = check.catch(() => false);
    if (!(await check)) return undefined;
    this.verified.add(mac);
    return device;
  }

  private sessionDevice(session: SMTPServerSession): Device | undefined {
    const u = session.user as unknown as SessionUser | undefined;
    if (u?.device) return this.device(u.device);
    // no AUTH: a device known by its address alone (no password configured), loopback listener only
    if (!isLoopback(this.o.config.listen.host)) return undefined;
    return this.o.config.devices.find((d) => !d.passwordHash && ipAllowed(d.ips, session.remoteAddress));
  }

  /** Spools a received message (fsync) and returns the 250 text once it is durable; rejects with an SMTP error to refuse it. */
  private async accept(session: SMTPServerSession, raw: Buffer): Promise<string> {
    const device = this.sessionDevice(session);
    const from = (session.envelope.mailFrom ? session.envelope.mailFrom.address : '').toLowerCase();
    if (!device || !from) throw smtpError(530, '5.7.0 Authentication required');
    const headers = headerBlock(raw);
    const fromHeader = headerValues(headers, 'from').flatMap(addressesOf);
    const notAllowed = fromHeader.filter((a) => !device.senders.includes(a));
    if (notAllowed.length) {
      this.counters.refusedSessions++;
      this.log({ event: 'header-from-refused', device: device.name, from: notAllowed.join(',') });
      throw smtpError(550, `5.7.1 From: ${notAllowed.join(', ')} is not allowed for this device`);
    }
    let messageId = headerValues(headers, 'message-id')[0];
    const id = newSpoolId();
    if (!messageId) {
      messageId = `<${id}@${hostname()}>`;
      raw = Buffer.concat([Buffer.from(`Message-ID: ${messageId}\r\n`), raw]);
    }
    const to = session.envelope.rcptTo.map((r) => r.address);
    const entry: SpoolEntry = { id, messageId, from, to, device: device.name, mailbox: this.upstream.mailboxFor(from), size: raw.length, acceptedAt: new Date().toISOString(), attempts: 0, nextAttemptAt: new Date().toISOString() };
    const key = dedupKey(entry);
    const existing = this.dedup.get(key);
    if (existing) {
      // the same message again (a device that retried after losing our answer): not sent twice; if the
      // first copy is still being written, the answer waits for it (never "queued" before it is durable)
      await this.accepting.get(existing)?.catch(() => {
        throw smtpError(451, '4.3.0 Temporary failure writing the message; try again');
      });
      this.counters.duplicates++;
      this.log({ event: 'duplicate', id: existing, messageId, device: device.name });
      return `2.0.0 Already queued as ${existing}`;
    }
    this.dedup.set(key, id);
    const durable = this.spool.acceptAsync(entry, raw);
    this.accepting.set(id, durable);
    try {
      await durable;
    } catch (e) {
      this.dedup.delete(key);
      this.log({ event: 'spool-error', id, error: (e as Error).message });
      throw smtpError(451, '4.3.0 Temporary failure writing the message; try again');
    } finally {
      this.accepting.delete(id);
    }
    this.counters.accepted++;
    this.queue.set(id, entry);
    if (this.freshBytes + raw.length <= FRESH_MAX_BYTES) {
      this.fresh.set(id, raw);
      this.freshBytes += raw.length;
    }
    this.log({ event: 'accepted', id, device: device.name, from, recipients: to.length, size: raw.length });
    setImmediate(() => this.pump());
    return `2.0.0 Queued as ${id}`;
  }

  /** When the mailbox may send next under Exchange Online's limits (messages a minute, recipients a day). */
  private eligibleAt(e: SpoolEntry, now: number): number {
    const l = this.o.config.limits;
    let at = now;
    if (l.messagesPerMinutePerMailbox > 0) {
      const times = (this.sentTimes.get(e.mailbox) ?? []).filter((t) => now - t < 60_000);
      this.sentTimes.set(e.mailbox, times);
      if (times.length >= l.messagesPerMinutePerMailbox) at = Math.max(at, times[times.length - l.messagesPerMinutePerMailbox]! + 60_000);
    }
    if (l.recipientsPerDayPerMailbox > 0) {
      const day = new Date(now).toISOString().slice(0, 10);
      const d = this.dayRecipients.get(e.mailbox);
      const used = d && d.day === day ? d.count : 0;
      if (used > 0 && used + e.to.length > l.recipientsPerDayPerMailbox) at = Math.max(at, Date.parse(`${day}T00:00:00Z`) + 24 * 3600_000);
    }
    return at;
  }

  private record(e: SpoolEntry, now: number): void {
    const times = this.sentTimes.get(e.mailbox) ?? [];
    times.push(now);
    this.sentTimes.set(e.mailbox, times);
    const day = new Date(now).toISOString().slice(0, 10);
    const d = this.dayRecipients.get(e.mailbox);
    this.dayRecipients.set(e.mailbox, { day, count: (d && d.day === day ? d.count : 0) + e.to.length });
  }

  private pump(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const now = Date.now();
    let wake = Infinity;
    const limit = this.o.config.limits.upstreamConcurrency;
    for (const e of this.queue.values()) {
      if (this.inFlight.size >= limit) break;
      if (this.inFlight.has(e.id)) continue;
      const due = Math.max(Date.parse(e.nextAttemptAt), this.eligibleAt(e, now));
      if (due > now) {
        wake = Math.min(wake, due);
        continue;
      }
      this.record(e, now);
      this.inFlight.add(e.id);
      void this.attempt(e).finally(() => {
        this.inFlight.delete(e.id);
        this.pump();
      });
    }
    if (wake < Infinity && !this.stopped) this.timer = setTimeout(() => this.pump(), Math.max(5, wake - now));
  }

  private diagnosis(error: unknown): Diagnosis {
    return diagnose(error, { profile: this.o.profile, check: 'smtp', secrets: this.upstream.secrets });
  }

  private async attempt(e: SpoolEntry): Promise<void> {
    let raw: Buffer;
    const kept = this.fresh.get(e.id);
    if (kept) {
      this.fresh.delete(e.id);
      this.freshBytes -= kept.length;
      raw = kept;
    } else {
      try {
        raw = await readFile(path.join(this.spool.dir, 'queue', `${e.id}.eml`));
      } catch {
        this.queue.delete(e.id);
        return;
      }
    }
    e.attempts++;
    const started = Date.now();
    let markMs = 0;
    const outcome: SendOutcome = await this.upstream.send({ mailbox: e.mailbox, from: e.from, to: e.to, raw }, async () => {
      const t = Date.now();
      await this.spool.markBodySentAsync(e.id);
      markMs = Date.now() - t;
    });
    if (this.stopped && outcome.kind !== 'delivered') {
      // stopping: the spool keeps the message as it was. The marker goes only when Microsoft answered;
      // a send cut short by the stop itself after the end of the data stays in doubt (held at start).
      if ((outcome.error as { responseCode?: number } | undefined)?.responseCode) this.spool.clearBodySent(e.id);
      return;
    }
    if (outcome.kind === 'delivered') {
      const answered = Date.now();
      e.deliveredAt = new Date(answered).toISOString();
      e.upstreamResponse = redact(outcome.response, this.upstream.secrets).slice(0, 300);
      const rejected = outcome.rejected;
      if (rejected.length) {
        const d = this.diagnosis(outcome.rejectedErrors[0] ?? new Error('recipient refused'));
        this.writeBounce({ ...e, id: `${e.id}-r` }, rejected, outcome.rejectedErrors[0], d, raw);
        this.counters.bounced++;
      }
      // (a crash before this record is durable leaves the .sent-body marker: held, never sent twice)
      await this.spool.deliveredAsync(e);
      this.queue.delete(e.id);
      this.counters.delivered++;
      // answeredAt: when Microsoft said 250 (the message is delivered then; the record follows)
      this.log({ event: 'delivered', id: e.id, mailbox: e.mailbox, recipients: e.to.length - rejected.length, attempts: e.attempts, ms: answered - started, markMs, queuedMs: answered - Date.parse(e.acceptedAt), answeredAt: e.deliveredAt });
      return;
    }
    this.spool.clearBodySent(e.id);
    const d = this.diagnosis(outcome.error);
    const text = redact(errorText(outcome.error), this.upstream.secrets).slice(0, 500);
    e.lastError = text;
    e.lastCode = d.code;
    const expired = Date.now() - Date.parse(e.acceptedAt) > this.o.config.retry.giveUpAfterMs;
    if (outcome.kind === 'permanent' || expired) {
      this.writeBounce(e, e.to, outcome.error, d, raw);
      this.queue.delete(e.id);
      this.counters.bounced++;
      this.log({ event: 'bounced', id: e.id, code: d.code, error: text, expired });
      return;
    }
    const wait = Math.min(this.o.config.retry.maxMs, this.o.config.retry.baseMs * 2 ** Math.min(20, e.attempts - 1));
    e.nextAttemptAt = new Date(Date.now() + wait).toISOString();
    this.spool.update(e);
    this.counters.deferred++;
    this.log({ event: 'deferred', id: e.id, kind: outcome.kind, code: d.code, error: text, attempts: e.attempts, retryInMs: wait });
  }

  /**
   * The delivery status notification is written to the spool's bounces/ folder (not mailed back: the
   * sender is usually the very mailbox Microsoft just refused); `relay status` counts and lists it.
   */
  private writeBounce(e: SpoolEntry, recipients: string[], error: unknown, d: Diagnosis, raw: Buffer): void {
    const dsn = buildDsn(e, recipients, d, error, headerBlock(raw), redact(errorText(error), this.upstream.secrets).slice(0, 500));
    e.bouncedAt = new Date().toISOString();
    this.spool.bounced({ ...e, to: recipients }, dsn);
  }

  /** Prometheus text exposition (https://prometheus.io/docs/instrumenting/exposition_formats/). */
  metricsText(): string {
    const c = this.spool.counts();
    const lines = [
      ['mail_oauth_relay_accepted_total', 'counter', 'Messages accepted from devices since start', this.counters.accepted],
      ['mail_oauth_relay_delivered_total', 'counter', 'Messages delivered to Microsoft 365 since start', this.counters.delivered],
      ['mail_oauth_relay_bounced_total', 'counter', 'Messages returned to the sender since start', this.counters.bounced],
      ['mail_oauth_relay_deferred_total', 'counter', 'Temporary upstream failures (retried) since start', this.counters.deferred],
      ['mail_oauth_relay_duplicates_total', 'counter', 'Messages received again and not sent twice', this.counters.duplicates],
      ['mail_oauth_relay_refused_total', 'counter', 'Refused logins and senders', this.counters.refusedSessions],
      ['mail_oauth_relay_queued', 'gauge', 'Messages in the spool waiting to be sent', c.queued],
      ['mail_oauth_relay_held', 'gauge', 'Messages held in doubt after a crash', c.held],
      ['mail_oauth_relay_oldest_queued_seconds', 'gauge', 'Age of the oldest queued message', c.oldestQueuedSeconds ?? 0],
      ...this.readerMetrics('imap', this.imap),
      ...this.readerMetrics('pop', this.pop),
    ] as const;
    return lines.map(([n, t, h, v]) => `# HELP ${n} ${h}\n# TYPE ${n} ${t}\n${n} ${v}`).join('\n') + '\n';
  }

  /** What the reading proxies (IMAP, POP) share with the SMTP side: devices, token source, secrets, log. */
  private readerHooks(): ProxyHooks {
    return {
      verify: (user, password, remote) => this.verifyDevice(user, password, remote),
      token: () => this.upstream.accessToken(),
      forgetToken: () => this.upstream.forgetToken(),
      secrets: () => this.upstream.secrets,
      log: (r) => this.log(r),
    };
  }

  /** The four metrics of a reading proxy (IMAP or POP), none where it is off. */
  private readerMetrics(kind: 'imap' | 'pop', proxy: MailProxy | undefined): (readonly [string, 'counter' | 'gauge', string, number])[] {
    if (!proxy) return [];
    const name = kind.toUpperCase();
    return [
      [`mail_oauth_relay_${kind}_sessions_total`, 'counter', `${name} sessions signed in to Microsoft 365 since start`, proxy.counters.sessions],
      [`mail_oauth_relay_${kind}_refused_total`, 'counter', `${name} logins refused by the relay (local credential, device not allowed, no TLS)`, proxy.counters.refused],
      [`mail_oauth_relay_${kind}_upstream_failures_total`, 'counter', `${name} sign-ins Microsoft 365 did not accept`, proxy.counters.upstreamFailures],
      [`mail_oauth_relay_${kind}_open`, 'gauge', `${name} connections open now`, proxy.counters.open],
    ];
  }

  /** A reading proxy (IMAP or POP) for devices: same host, certificate, devices and token source as the SMTP side. */
  private async startReader(kind: 'imap' | 'pop', key: string, cert: string): Promise<void> {
    const c = this.o.config;
    const listen = c[kind]!;
    const options = {
      profile: this.o.profile,
      host: c.listen.host,
      tlsRequired: c.tls.required || !isLoopback(c.listen.host),
      key,
      cert,
      ...(this.o.upstreamTimeoutMs ? { timeoutMs: this.o.upstreamTimeoutMs } : {}),
      hooks: this.readerHooks(),
    };
    const proxy = kind === 'imap' ? (this.imap = new ImapProxy(options)) : (this.pop = new PopProxy(options));
    this.ports[kind] = await proxy.listen(listen.port, false);
    if (listen.implicitTlsPort !== undefined) this.ports[kind === 'imap' ? 'imapImplicitTls' : 'popImplicitTls'] = await proxy.listen(listen.implicitTlsPort, true);
    if (!c.devices.some((d) => d[kind])) this.log({ event: `${kind}-no-device`, note: `the ${kind.toUpperCase()} proxy listens, but no device may read mail (add one with --${kind})` });
  }

  private async startMetrics(port: number): Promise<void> {
    const server = http.createServer((req, res) => {
      if (req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(this.metricsText());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.metricsServer = server;
    this.ports.metrics = (server.address() as { port: number }).port;
  }

  /** Stops listening and sending; what is queued stays in the spool for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.all(this.servers.map((s) => Promise.race([new Promise<void>((r) => s.close(() => r())), new Promise<void>((r) => setTimeout(r, 2000))])));
    if (this.metricsServer) await new Promise<void>((r) => this.metricsServer!.close(() => r()));
    await this.imap?.close();
    await this.pop?.close();
    const upstream = this.upstream.poolStats();
    this.upstream.close();
    rmSync(path.join(this.o.config.spool, 'relay.pid'), { force: true });
    this.log({ event: 'stopped', queued: this.queue.size, upstream });
  }

  get heldIds(): string[] {
    return [...this.held];
  }
}

function dedupKey(e: Pick<SpoolEntry, 'messageId' | 'from' | 'to'>): string {
  return `${e.messageId}\n${e.from}\n${[...e.to].map((t) => t.toLowerCase()).sort().join(',')}`;
}

function errorText(e: unknown): string {
  const err = e as { response?: string; message?: string; code?: string } | undefined;
  return String(err?.response ?? err?.message ?? e) + (err?.code && !err.response ? ` (${err.code})` : '');
}
