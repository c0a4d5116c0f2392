import type { Readable } from 'node:stream';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import XOAuth2 from 'nodemailer/lib/xoauth2';

/**
 * Upstream SMTP connections to Microsoft 365 for one sending mailbox, kept warm: connected, through
 * STARTTLS and signed in with XOAUTH2 *before* a message needs them (issue 22: added latency p99). Opening
 * one costs a TCP connect, a TLS handshake and AUTH (200-300 ms to Microsoft); nodemailer's own pool opens
 * them when a message is already waiting and opens a new one each time it retires a connection after
 * `maxMessages`, so those messages paid that cost. Here:
 *
 *  - the pool fills to `size` as soon as the mailbox is in use (or at the relay's start), in the background;
 *  - a connection about to retire (its last message, or its token due for renewal) gets its replacement
 *    opened ahead, at most `spare` beyond `size` at any time;
 *  - a connection unused for `idleMs` is closed (QUIT), and the pool goes cold until the mailbox is used again;
 *  - a connection that died while idle (the server closed it) is dropped; a message that finds one dead
 *    before a byte of it was sent goes out on a newly opened connection (the caller's spool state is untouched);
 *  - each connection signs in with the token current when it opens; one signed in with an older token is used
 *    until that token is close to expiry, then closed.
 *
 * Bounded: at most `size + spare` connections per mailbox, opened at most `size` at a time.
 */

export interface SmtpTarget {
  host: string;
  port: number;
  tls: Record<string, unknown>;
  connectionTimeout: number;
  greetingTimeout: number;
  socketTimeout: number;
}

export interface PoolOptions {
  mailbox: string;
  target: SmtpTarget;
  /** Connections this mailbox may use for messages at once. */
  size: number;
  /** A fresh (or cached) access token and the times it is due for renewal and expires (ms since epoch). */
  token(): Promise<{ value: string; renewAt: number; expiresAt: number }>;
  /** Messages one connection sends before it is replaced (spread ±20 % so they do not all retire together). */
  maxMessages?: number;
  idleMs?: number;
  /** Opened beyond `size` to replace connections about to retire. */
  spare?: number;
  /** A background open failed (nothing waited for it); the pool stops warming for a while. */
  onWarmError?: (e: unknown) => void;
}

export interface SendResult {
  response: string;
  accepted: string[];
  rejected: string[];
  rejectedErrors: unknown[];
}

interface Conn {
  smtp: SMTPConnection;
  uses: number;
  maxUses: number;
  renewAt: number;
  expiresAt: number;
  lastUsed: number;
  dead: boolean;
}

type Waiter = { resolve: (c: Conn) => void; reject: (e: unknown) => void };

const DEFAULT_IDLE_MS = 60_000;
const WARM_BACKOFF_MS = 15_000;
/** A connection whose token expires sooner than this is not given another message. */
const EXPIRY_MARGIN_MS = 60_000;

/** An error that says the connection is gone, not that the message was refused (nodemailer's own rule). */
export function connectionLost(e: unknown): boolean {
  const err = e as { responseCode?: number; code?: string };
  return err?.responseCode === 421 || err?.code === 'ECONNECTION' || err?.code === 'ESOCKET' || err?.code === 'ETIMEDOUT';
}

export class WarmPool {
  private readonly idle: Conn[] = [];
  private readonly busy = new Set<Conn>();
  private opening = 0;
  private readonly waiters: Waiter[] = [];
  /** Connections to keep warm while the mailbox is in use (0: cold). */
  private want = 0;
  private lastDemand = 0;
  private warmBlockedUntil = 0;
  private closed = false;
  private readonly timer: NodeJS.Timeout;
  private readonly idleMs: number;
  private readonly cap: number;
  /**
   * Counters for the log and the bench: connections opened; opened for a message that found none idle
   * (it waited for the setup); messages queued because all were busy or still opening; retried; closed.
   */
  readonly stats = { opened: 0, openedForWaiting: 0, queued: 0, retriedOnFresh: 0, closedIdle: 0, retired: 0 };

  constructor(private readonly o: PoolOptions) {
    // an idle connection is closed before the socket's own inactivity timeout would cut it
    this.idleMs = Math.max(1000, Math.min(o.idleMs ?? DEFAULT_IDLE_MS, o.target.socketTimeout - 1000));
    this.cap = o.size + (o.spare ?? 1);
    this.timer = setInterval(() => this.maintain(), Math.max(500, Math.min(5000, this.idleMs / 4)));
    this.timer.unref();
  }

  /** Starts filling the pool in the background (at the relay's start, or on first use) to `count` connections. */
  warm(count = this.o.size): void {
    if (this.closed) return;
    this.want = Math.max(this.want, Math.min(count, this.o.size));
    this.lastDemand = Date.now();
    this.maintain();
  }

  /**
   * Sends one message on a warm connection (or on one opened for it when none is free). A warm connection
   * found dead before any of the message was read is replaced by a newly opened one, once.
   */
  async send(envelope: { from: string; to: string[] }, body: () => Readable): Promise<SendResult> {
    this.warm();
    const first = await this.acquire();
    // opened before this message (idle since): the server may have closed it meanwhile
    const warm = first.lastUsed > 0;
    const stream = body();
    try {
      return await this.sendOn(first, envelope, stream);
    } catch (e) {
      // nothing of the message went out, so it may go on a new connection (never once the body was read:
      // then the message may have reached Microsoft)
      if (!warm || stream.readableDidRead || !connectionLost(e) || this.closed) throw e;
      this.stats.retriedOnFresh++;
      this.opening++; // counted before the open starts, so that maintain() does not open one more
      return this.sendOn(await this.openFor(true), envelope, body());
    }
  }

  private sendOn(c: Conn, envelope: { from: string; to: string[] }, stream: Readable): Promise<SendResult> {
    return new Promise<SendResult>((resolve, reject) => {
      c.smtp.send(envelope, stream, (err, info) => {
        c.lastUsed = Date.now();
        if (err) {
          const e = err as { code?: string; responseCode?: number };
          // refused at MAIL FROM/RCPT TO or after DATA by a live server: reset and keep the connection
          if ((e.code === 'EENVELOPE' || e.code === 'EMESSAGE') && e.responseCode !== 421 && !c.dead) {
            c.smtp.reset((resetErr) => (resetErr ? this.discard(c) : this.release(c)));
          } else this.discard(c);
          return reject(err);
        }
        this.release(c);
        resolve({ response: info.response, accepted: info.accepted ?? [], rejected: info.rejected ?? [], rejectedErrors: info.rejectedErrors ?? [] });
      });
    });
  }

  private usable(c: Conn, now: number): boolean {
    return !c.dead && c.uses < c.maxUses && now < c.expiresAt - EXPIRY_MARGIN_MS;
  }

  /** About to retire (its last message, or its token due for renewal): its replacement is opened now. */
  private retiring(c: Conn, now: number): boolean {
    return c.uses + 1 >= c.maxUses || now >= c.renewAt;
  }

  private acquire(): Promise<Conn> {
    const now = Date.now();
    // the longest idle first (round robin: each stays in use); one whose token is due for renewal only when no
    // other is idle (one with its last message left is used as usual: that message is its share)
    while (this.idle.length) {
      const fresh = this.idle.findIndex((x) => now < x.renewAt);
      const c = this.idle.splice(fresh >= 0 ? fresh : 0, 1)[0]!;
      if (!this.usable(c, now)) {
        this.shut(c);
        continue;
      }
      c.uses++;
      this.busy.add(c);
      this.maintain();
      return Promise.resolve(c);
    }
    if (this.total() < this.o.size) {
      this.stats.openedForWaiting++;
      this.opening++;
      return this.openFor(true);
    }
    this.stats.queued++;
    const p = new Promise<Conn>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.maintain();
    return p;
  }

  /** A connection opened for the message that is waiting (its failure is that message's failure). */
  private async openFor(counted: boolean): Promise<Conn> {
    const c = await this.open(counted);
    c.uses++;
    this.busy.add(c);
    return c;
  }

  private total(): number {
    return this.idle.length + this.busy.size + this.opening;
  }

  /** Connects, STARTTLS, AUTH XOAUTH2 with the current token. `counted`: the caller already counted it in `opening`. */
  private async open(counted = false): Promise<Conn> {
    if (!counted) this.opening++;
    try {
      const token = await this.o.token();
      const t = this.o.target;
      const smtp = new SMTPConnection({
        host: t.host,
        port: t.port,
        secure: false,
        requireTLS: true,
        tls: t.tls,
        connectionTimeout: t.connectionTimeout,
        greetingTimeout: t.greetingTimeout,
        socketTimeout: t.socketTimeout,
        logger: false,
        debug: false,
      });
      const max = this.o.maxMessages ?? 100;
      const c: Conn = { smtp, uses: 0, maxUses: Math.max(1, Math.round(max * (0.8 + 0.2 * Math.random()))), renewAt: token.renewAt, expiresAt: token.expiresAt, lastUsed: 0, dead: false };
      // an error on an idle connection (the server closed it, the socket timed out) only marks it dead;
      // during a message the send's own callback reports it
      const gone = () => {
        c.dead = true;
        const i = this.idle.indexOf(c);
        if (i >= 0) this.idle.splice(i, 1);
      };
      await new Promise<void>((resolve, reject) => {
        // nodemailer reports some failures while connecting (a close during STARTTLS) only as 'error' or 'end'
        const lost = (e?: unknown) => reject(e ?? Object.assign(new Error('Connection closed unexpectedly'), { code: 'ECONNECTION' }));
        smtp.once('error', lost);
        smtp.once('end', lost);
        smtp.connect((err) => {
          if (err) return reject(err);
          smtp.login({ type: 'OAuth2', user: this.o.mailbox, method: 'XOAUTH2', oauth2: new XOAuth2({ user: this.o.mailbox, accessToken: token.value }, false) }, (e) => (e ? reject(e) : resolve()));
        });
      })
        .finally(() => smtp.removeAllListeners('error').removeAllListeners('end').on('error', gone).once('end', gone))
        .catch((e: unknown) => {
        smtp.close();
        throw e;
      });
      this.stats.opened++;
      if (this.closed) {
        smtp.quit();
        throw Object.assign(new Error('the relay is stopping'), { code: 'ECONNECTION' });
      }
      return c;
    } finally {
      this.opening--;
    }
  }

  /** Back to the pool: to a waiting message, or idle; closed when it has done its share. */
  private release(c: Conn): void {
    this.busy.delete(c);
    if (this.closed || !this.usable(c, Date.now())) {
      this.shut(c);
    } else {
      const w = this.waiters.shift();
      if (w) {
        c.uses++;
        this.busy.add(c);
        w.resolve(c);
      } else this.idle.push(c);
    }
    this.maintain();
  }

  private discard(c: Conn): void {
    this.busy.delete(c);
    c.dead = true;
    c.smtp.close();
    this.maintain();
  }

  /** Says goodbye (QUIT) to a connection that has done its share, or drops a dead one. */
  private shut(c: Conn, counter: 'retired' | 'closedIdle' = 'retired'): void {
    const i = this.idle.indexOf(c);
    if (i >= 0) this.idle.splice(i, 1);
    this.busy.delete(c);
    if (c.dead) return;
    this.stats[counter]++;
    c.dead = true;
    c.smtp.quit();
  }

  /**
   * Keeps `want` connections that are not about to retire while the mailbox is in use (opening replacements
   * ahead), closes connections once the mailbox has been quiet for idleMs, and opens for waiting messages.
   */
  private maintain(): void {
    if (this.closed) return;
    const now = Date.now();
    const quiet = now - this.lastDemand > this.idleMs && !this.busy.size && !this.waiters.length;
    for (const c of [...this.idle]) {
      if (c.dead || !this.usable(c, now)) this.shut(c);
      else if (quiet && now - c.lastUsed > this.idleMs) this.shut(c, 'closedIdle');
    }
    if (quiet) this.want = 0; // cold until the mailbox is used again
    // a replacement signed in with a newer token is ready: an idle connection whose token is due says goodbye
    if (this.idle.some((c) => now < c.renewAt)) {
      for (const c of this.idle.filter((x) => now >= x.renewAt)) if (this.total() > this.o.size) this.shut(c);
    }
    if (now < this.warmBlockedUntil && !this.waiters.length) return;
    const healthy = [...this.idle, ...this.busy].filter((c) => !this.retiring(c, now)).length + this.opening;
    for (let n = healthy; n < this.want && this.total() < this.cap; n++) this.warmOne();
  }

  private warmOne(): void {
    this.open().then(
      (c) => {
        c.lastUsed = Date.now();
        this.release(c);
      },
      (e: unknown) => {
        this.warmBlockedUntil = Date.now() + WARM_BACKOFF_MS;
        const w = this.waiters.shift();
        if (w) w.reject(e);
        else if (!this.closed) this.o.onWarmError?.(e);
      },
    );
  }

  /** Idle, busy and opening connections now. */
  get counts(): { idle: number; busy: number; opening: number } {
    return { idle: this.idle.length, busy: this.busy.size, opening: this.opening };
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    for (const c of this.idle) c.smtp.quit();
    for (const c of this.busy) c.smtp.close();
    this.idle.length = 0;
    for (const w of this.waiters.splice(0)) w.reject(Object.assign(new Error('the relay is stopping'), { code: 'ECONNECTION' }));
  }
}
