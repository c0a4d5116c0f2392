import { isIP } from 'node:net';
import { Readable } from 'node:stream';
import { resolveEndpoints } from '../../../shared/endpoints';
import type { Profile } from '../../../shared/profile';
import { acquireToken, type TokenResult } from '../auth';
import { loadCaCerts, tlsTrust } from '../net';
import type { EngineDeps } from '../ports';
import { WarmPool, type SmtpTarget } from './smtpPool';

/**
 * Sends spooled messages on to Microsoft 365 over SMTP with XOAUTH2 (nodemailer), keeping the envelope.
 * Tokens come from the engine's own acquisition (client credentials with the profile's secret or
 * certificate, or the saved delegated sign-in refreshed silently) and are reused until shortly before
 * they expire. One pool of warm connections per sending mailbox (the XOAUTH2 user, smtpPool.ts): a
 * message goes out on a connection that is already signed in.
 */
export type SendOutcome =
  | { kind: 'delivered'; response: string; rejected: string[]; rejectedErrors: unknown[] }
  /** Nothing reached Microsoft, or it said 4xx: try again later. */
  | { kind: 'temporary'; error: unknown }
  /** The relay's own credential was refused (token endpoint, 535): the message waits for the fix. */
  | { kind: 'credential'; error: unknown }
  /** Microsoft refused this message for good (5xx on MAIL FROM, RCPT TO or DATA). */
  | { kind: 'permanent'; error: unknown };

export class Upstream {
  private token: { value: TokenResult; until: number; expires: number } | undefined;
  private pending: Promise<{ value: TokenResult; until: number; expires: number }> | undefined;
  private readonly pools = new Map<string, WarmPool>();
  private readonly target: SmtpTarget;
  /** Every access token seen: redacted from any text the relay writes. */
  readonly secrets: string[] = [];

  constructor(
    private readonly profile: Profile,
    private readonly deps: EngineDeps,
    private readonly opts: {
      connectionsPerMailbox: number;
      timeoutMs?: number;
      /** Messages per upstream connection before it is replaced (default 100, as nodemailer's pool). */
      messagesPerConnection?: number;
      /** A warm connection is closed after the mailbox sent nothing for this long. */
      idleMs?: number;
      /** A warm connection opened in the background failed (no message waited for it). */
      onWarmError?: (mailbox: string, e: unknown) => void;
    },
  ) {
    const ep = resolveEndpoints(profile);
    const ca = loadCaCerts(profile);
    this.target = {
      host: ep.smtp.host,
      port: ep.smtp.port,
      tls: { ...tlsTrust(ca), ...(isIP(ep.smtp.host) ? {} : { servername: ep.smtp.host }) },
      connectionTimeout: opts.timeoutMs ?? 30_000,
      greetingTimeout: opts.timeoutMs ?? 30_000,
      socketTimeout: opts.timeoutMs ?? 60_000,
    };
    if (deps.clientSecret) this.secrets.push(deps.clientSecret);
  }

  /** The XOAUTH2 user for a sender: app-only sends as the sender's own mailbox; delegated as the signed-in one. */
  mailboxFor(sender: string): string {
    return this.profile.flow === 'app-only' ? sender.toLowerCase() : this.profile.mailbox.toLowerCase();
  }

  /** An access token for Exchange Online (IMAP and SMTP share the scope), reused until shortly before it expires. */
  async accessToken(): Promise<string> {
    return (await this.tokenInfo()).value;
  }

  /** The token with the time it is due for renewal and the time it expires (what a new connection signs in with). */
  private async tokenInfo(): Promise<{ value: string; renewAt: number; expiresAt: number }> {
    if (this.token && Date.now() < this.token.until) return { value: this.token.value.accessToken, renewAt: this.token.until, expiresAt: this.token.expires };
    // one acquisition for all who ask at once (the connections opened at start, the IMAP/POP proxies), and
    // the token recorded once: every log line is redacted against `secrets`, at a cost per entry
    this.pending ??= acquireToken(this.profile, this.deps, { timeoutMs: this.opts.timeoutMs ?? 20_000 })
      .then((t) => {
        const exp = t.expiresOn ? Date.parse(t.expiresOn) : Date.now() + 3600_000;
        // renewed five minutes before it runs out (a new connection never signs in with a token about to expire)
        this.token = { value: t, until: Math.max(Date.now() + 30_000, exp - 5 * 60_000), expires: exp };
        if (!this.secrets.includes(t.accessToken)) this.secrets.push(t.accessToken);
        if (this.secrets.length > 20) this.secrets.splice(1, this.secrets.length - 20);
        return this.token;
      })
      .finally(() => (this.pending = undefined));
    const tok = await this.pending;
    return { value: tok.value.accessToken, renewAt: tok.until, expiresAt: tok.expires };
  }

  private pool(mailbox: string): WarmPool {
    let pool = this.pools.get(mailbox);
    if (!pool) {
      pool = new WarmPool({
        mailbox,
        target: this.target,
        size: this.opts.connectionsPerMailbox,
        // a failure to get a token is told apart from Microsoft's SMTP answers (send() maps it on its own)
        token: () =>
          this.tokenInfo().catch((e: unknown) => {
            throw e && typeof e === 'object' ? Object.assign(e, { tokenFailed: true }) : Object.assign(new Error(String(e)), { tokenFailed: true });
          }),
        ...(this.opts.messagesPerConnection ? { maxMessages: this.opts.messagesPerConnection } : {}),
        ...(this.opts.idleMs ? { idleMs: this.opts.idleMs } : {}),
        onWarmError: (e) => this.opts.onWarmError?.(mailbox, e),
      });
      this.pools.set(mailbox, pool);
    }
    return pool;
  }

  /** Opens connections for these mailboxes ahead of their first message (at most `budget` in all). */
  prewarm(mailboxes: string[], budget: number): void {
    for (const m of [...new Set(mailboxes.map((x) => x.toLowerCase()))]) {
      const n = Math.min(this.opts.connectionsPerMailbox, budget);
      if (n <= 0) return;
      this.pool(m).warm(n);
      budget -= n;
    }
  }

  /** Connections opened so far and how many of them a message had to wait for (bench and tests). */
  poolStats(): Record<string, WarmPool['stats'] & WarmPool['counts']> {
    return Object.fromEntries([...this.pools].map(([m, p]) => [m, { ...p.stats, ...p.counts }]));
  }

  /**
   * Sends one message. `beforeEnd` runs after the whole message was handed over and before its end is
   * signalled; the end of DATA cannot reach the server before the promise it returns has resolved (a
   * failure there abandons the send: nothing was committed upstream).
   */
  async send(m: { mailbox: string; from: string; to: string[]; raw: Buffer }, beforeEnd: () => Promise<void>): Promise<SendOutcome> {
    // a new stream for each connection tried (smtpPool retries a dead warm connection before reading it)
    const body = () => {
      let given = false;
      let ending = false;
      return new Readable({
        read() {
          if (!given) {
            given = true;
            this.push(m.raw);
          } else if (!ending) {
            ending = true;
            beforeEnd().then(
              () => this.push(null),
              (e: unknown) => this.destroy(e as Error),
            );
          }
        },
      });
    };
    try {
      const info = await this.pool(m.mailbox).send({ from: m.from, to: m.to }, body);
      // some recipients refused at RCPT TO, the rest accepted: delivered to those, the others bounce
      const rejected = Array.isArray(info.rejected) ? info.rejected.map((r) => String(typeof r === 'object' && r && 'address' in r ? (r as { address: string }).address : r)) : [];
      return { kind: 'delivered', response: info.response ?? '250', rejected, rejectedErrors: info.rejectedErrors ?? [] };
    } catch (e) {
      if ((e as { tokenFailed?: boolean }).tokenFailed) {
        const status = (e as { status?: number }).status;
        const network = !status && /ECONNREFUSED|ETIMEDOUT|ECONNRESET|ENOTFOUND|EAI_AGAIN|timed out|socket hang up/i.test(String((e as Error)?.message ?? e) + String((e as { code?: string }).code ?? ''));
        return { kind: network || status === 429 || (status ?? 0) >= 500 ? 'temporary' : 'credential', error: e };
      }
      const err = e as { responseCode?: number; code?: string; originalCode?: string; command?: string };
      // nodemailer wraps socket errors as ESOCKET/ECONNECTION and keeps the system's code aside:
      // the diagnosis needs ECONNREFUSED, ETIMEDOUT... to name the failure
      if ((err.code === 'ESOCKET' || err.code === 'ECONNECTION') && typeof err.originalCode === 'string' && /^E[A-Z]+$/.test(err.originalCode)) err.code = err.originalCode;
      if (err.code === 'EAUTH' && (err.responseCode ?? 0) >= 500) {
        this.token = undefined; // a fresh token next time (the role may have just been granted)
        return { kind: 'credential', error: e };
      }
      if ((err.responseCode ?? 0) >= 500) return { kind: 'permanent', error: e };
      return { kind: 'temporary', error: e };
    }
  }

  /** Microsoft refused the token: the next call gets a fresh one. */
  forgetToken(): void {
    this.token = undefined;
  }

  close(): void {
    for (const p of this.pools.values()) p.close();
    this.pools.clear();
  }
}
