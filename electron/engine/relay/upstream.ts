import { isIP } from 'node:net';
import { Readable } from 'node:stream';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import { resolveEndpoints } from '../../../shared/endpoints';
import type { Profile } from '../../../shared/profile';
import { acquireToken, type TokenResult } from '../auth';
import { loadCaCerts, tlsTrust } from '../net';
import type { EngineDeps } from '../ports';

/**
 * Sends spooled messages on to Microsoft 365 over SMTP with XOAUTH2 (nodemailer), keeping the envelope.
 * Tokens come from the engine's own acquisition (client credentials with the profile's secret or
 * certificate, or the saved delegated sign-in refreshed silently) and are reused until shortly before
 * they expire. One pooled transport per sending mailbox (the XOAUTH2 user).
 */
export type SendOutcome =
  | { kind: 'delivered'; response: string; rejected: string[]; rejectedErrors: unknown[] }
  /** Nothing reached Microsoft, or it said 4xx: try again later. */
  | { kind: 'temporary'; error: unknown }
  /** The relay's own credential was refused (token endpoint, 535): the message waits for the fix. */
  | { kind: 'credential'; error: unknown }
  /** Microsoft refused this message for good (5xx on MAIL FROM, RCPT TO or DATA). */
  | { kind: 'permanent'; error: unknown };

interface Pool {
  token: string;
  transport: Transporter;
}

export class Upstream {
  private token: { value: TokenResult; until: number } | undefined;
  private pending: Promise<TokenResult> | undefined;
  private readonly pools = new Map<string, Pool>();
  private readonly ca: string[] | undefined;
  private readonly host: string;
  private readonly port: number;
  /** Every access token seen: redacted from any text the relay writes. */
  readonly secrets: string[] = [];

  constructor(
    private readonly profile: Profile,
    private readonly deps: EngineDeps,
    private readonly opts: { connectionsPerMailbox: number; timeoutMs?: number },
  ) {
    const ep = resolveEndpoints(profile);
    this.host = ep.smtp.host;
    this.port = ep.smtp.port;
    this.ca = loadCaCerts(profile);
    if (deps.clientSecret) this.secrets.push(deps.clientSecret);
  }

  /** The XOAUTH2 user for a sender: app-only sends as the sender's own mailbox; delegated as the signed-in one. */
  mailboxFor(sender: string): string {
    return this.profile.flow === 'app-only' ? sender.toLowerCase() : this.profile.mailbox.toLowerCase();
  }

  /** An access token for Exchange Online (IMAP and SMTP share the scope), reused until shortly before it expires. */
  async accessToken(): Promise<string> {
    if (this.token && Date.now() < this.token.until) return this.token.value.accessToken;
    this.pending ??= acquireToken(this.profile, this.deps, { timeoutMs: this.opts.timeoutMs ?? 20_000 }).finally(() => (this.pending = undefined));
    const t = await this.pending;
    const exp = t.expiresOn ? Date.parse(t.expiresOn) : Date.now() + 3600_000;
    // renewed five minutes before it runs out (a message never goes out on a token about to expire)
    this.token = { value: t, until: Math.max(Date.now() + 30_000, exp - 5 * 60_000) };
    this.secrets.push(t.accessToken);
    if (this.secrets.length > 20) this.secrets.splice(1, this.secrets.length - 20);
    return t.accessToken;
  }

  private pool(mailbox: string, token: string): Transporter {
    const have = this.pools.get(mailbox);
    if (have && have.token === token) return have.transport;
    have?.transport.close();
    const transport = nodemailer.createTransport({
      pool: true,
      maxConnections: this.opts.connectionsPerMailbox,
      maxMessages: 100,
      host: this.host,
      port: this.port,
      secure: false,
      requireTLS: true,
      auth: { type: 'OAuth2', user: mailbox, accessToken: token },
      tls: { ...tlsTrust(this.ca), ...(isIP(this.host) ? {} : { servername: this.host }) },
      connectionTimeout: this.opts.timeoutMs ?? 30_000,
      greetingTimeout: this.opts.timeoutMs ?? 30_000,
      socketTimeout: this.opts.timeoutMs ?? 60_000,
      logger: false,
      debug: false,
    });
    this.pools.set(mailbox, { token, transport });
    return transport;
  }

  /**
   * Sends one message. `beforeEnd` runs (synchronously) after the whole message was handed over and
   * before its end is signalled: the end of DATA cannot reach the server before it has returned.
   */
  async send(m: { mailbox: string; from: string; to: string[]; raw: Buffer }, beforeEnd: () => void): Promise<SendOutcome> {
    let token: string;
    try {
      token = await this.accessToken();
    } catch (e) {
      const status = (e as { status?: number }).status;
      const network = !status && /ECONNREFUSED|ETIMEDOUT|ECONNRESET|ENOTFOUND|EAI_AGAIN|timed out|socket hang up/i.test(String((e as Error)?.message ?? e) + String((e as { code?: string }).code ?? ''));
      return { kind: network || status === 429 || (status ?? 0) >= 500 ? 'temporary' : 'credential', error: e };
    }
    let given = false;
    const body = new Readable({
      read() {
        if (!given) {
          given = true;
          this.push(m.raw);
        } else {
          beforeEnd();
          this.push(null);
        }
      },
    });
    try {
      const info = (await this.pool(m.mailbox, token).sendMail({ envelope: { from: m.from, to: m.to }, raw: body })) as { response?: string; rejected?: unknown[]; rejectedErrors?: unknown[] };
      // some recipients refused at RCPT TO, the rest accepted: delivered to those, the others bounce
      const rejected = Array.isArray(info.rejected) ? info.rejected.map((r) => String(typeof r === 'object' && r && 'address' in r ? (r as { address: string }).address : r)) : [];
      return { kind: 'delivered', response: info.response ?? '250', rejected, rejectedErrors: info.rejectedErrors ?? [] };
    } catch (e) {
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
    for (const p of this.pools.values()) p.transport.close();
    this.pools.clear();
  }
}
