import type net from 'node:net';
import { hostname } from 'node:os';
import { diagnose, type Diagnosis } from '../../../shared/diagnosis';
import { resolveEndpoints } from '../../../shared/endpoints';
import { decodeJwt } from '../token';
import { MailProxy, type Answer, type ProxyOptions, type UpstreamStep } from './mailProxy';

/**
 * The relay's POP3 proxy for reading devices (issue 22, item 3), the POP twin of imapProxy.ts. A small,
 * strict POP3 front-end for the AUTHORIZATION state only (RFC 1939; CAPA RFC 2449; STLS RFC 2595;
 * AUTH RFC 5034): greeting, CAPA, STLS, USER/PASS, AUTH PLAIN (RFC 4616, initial response on the line
 * or after "+ "), QUIT. The device proves its *local* credential; the proxy then signs in to Microsoft 365
 * with SASL XOAUTH2 the way Microsoft documents POP ("AUTH XOAUTH2", then the base64 response on its own
 * line after the server's "+": learn.microsoft.com/exchange/client-developer/legacy-protocols/
 * how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth, "POP Protocol Exchange") and, once
 * Microsoft answered +OK, relays the session's bytes both ways untouched (STAT, LIST, RETR, DELE... are
 * Exchange's own).
 */


const MAX_LINE = 8192;

export class PopProxy extends MailProxy {
  /** RFC 1939 3: an inactivity autologout timer of at least 10 minutes once signed in. */
  protected readonly idleMs = { preAuth: 60_000, authed: 11 * 60_000 };

  constructor(o: ProxyOptions) {
    const ep = resolveEndpoints(o.profile).pop;
    super(o, 'pop', ep.host, ep.port);
  }

  /** RFC 2449 capabilities before signing in; USER and SASL PLAIN only where a password may be sent. */
  private capabilities(secure: boolean): string[] {
    const caps = ['TOP', 'UIDL', 'RESP-CODES', 'AUTH-RESP-CODE'];
    if (!secure) caps.push('STLS');
    if (secure || !this.o.tlsRequired) caps.push('USER', 'SASL PLAIN');
    caps.push('IMPLEMENTATION Mail-OAuth-relay');
    return caps;
  }

  protected answer(_tag: string, a: Answer): string {
    switch (a.kind) {
      case 'refused':
        return a.code === 'relay-device-login-refused' ? `-ERR [AUTH] Invalid credentials (${a.code})` : '-ERR [AUTH] This device may not read mail through the relay (relay-device-pop-not-allowed)';
      case 'tls-required':
        return '-ERR [SYS/PERM] Use STLS before signing in (relay-device-tls-required)';
      case 'too-many':
        return '-ERR Too many failed logins';
      case 'autologout':
        return '-ERR Autologout; idle for too long';
      case 'bad':
        return `-ERR ${a.text}`;
      case 'upstream-refused':
        return `-ERR [SYS/TEMP] Microsoft 365 did not accept the relay's sign-in for ${a.mailbox} (${a.code}): ${a.title}`;
    }
  }

  /** POP's own codes (diagnose(): source 'pop'), naming the mailbox the device reads. */
  protected diagnoseUpstream(e: unknown, mailbox: string): Diagnosis {
    return diagnose(e, { profile: { ...this.o.profile, mailbox }, source: 'pop', secrets: this.o.hooks.secrets() });
  }

  protected tokenRefused(e: unknown): boolean {
    return /Authentication failure/i.test(String((e as Error)?.message));
  }

  protected session(raw: net.Socket, implicitTls: boolean): void {
    const s = this.begin(raw, implicitTls);
    const { write } = s;
    let user: string | null = null;
    let pendingPlain = false;

    const handle = async (line: string): Promise<void> => {
      if (pendingPlain) {
        pendingPlain = false;
        return this.plain(s, '', line.trim());
      }
      const sp = line.indexOf(' ');
      const cmd = (sp < 0 ? line : line.slice(0, sp)).toUpperCase();
      const arg = sp < 0 ? '' : line.slice(sp + 1);
      switch (cmd) {
        case 'CAPA':
          write('+OK Capability list follows');
          for (const c of this.capabilities(s.secure)) write(c);
          write('.');
          return;
        case 'NOOP':
          return write('-ERR NOOP is not available before signing in');
        case 'QUIT':
          write('+OK Mail OAuth relay signing off');
          s.sock.end();
          return;
        case 'STLS': {
          if (s.secure) return write('-ERR Already using TLS');
          if (s.buf.length) {
            // RFC 2595 / RFC 7817: nothing may follow STLS before the handshake (command injection)
            write('-ERR Data after STLS');
            s.sock.end();
            return;
          }
          write('+OK Begin TLS negotiation now');
          user = null;
          this.startTls(s, onData);
          return;
        }
        case 'USER':
          if (this.o.tlsRequired && !s.secure) return this.login(s, '', '', '');
          if (!arg) return write('-ERR USER takes a user name');
          user = arg;
          return write('+OK Send the password');
        case 'PASS': {
          if (user === null) return write('-ERR USER first');
          const u = user;
          user = null;
          return this.login(s, '', u, arg);
        }
        case 'AUTH': {
          const [mech = '', initial] = arg.split(' ');
          if (!mech) {
            write('+OK');
            if (s.secure || !this.o.tlsRequired) write('PLAIN');
            write('.');
            return;
          }
          if (mech.toUpperCase() !== 'PLAIN') return write('-ERR [AUTH] Only AUTH PLAIN is supported');
          if (this.o.tlsRequired && !s.secure) return this.login(s, '', '', '');
          if (initial !== undefined) return this.plain(s, '', initial === '=' ? '' : initial);
          pendingPlain = true;
          return write('+ ');
        }
        default:
          return write(`-ERR ${/^[A-Z]{1,8}$/.test(cmd) ? cmd : 'Command'} is not available before signing in`);
      }
    };

    const pump = async () => {
      if (s.busy) return;
      s.busy = true;
      try {
        while (s.buf.length && !s.done && !s.authed) {
          const nl = s.buf.indexOf('\n');
          if (nl < 0) {
            if (s.buf.length > MAX_LINE) {
              write('-ERR Line too long');
              s.sock.destroy();
            }
            return;
          }
          const line = s.buf.subarray(0, nl).toString('utf8').replace(/\r$/, '');
          s.buf = s.buf.subarray(nl + 1);
          const stls = /^STLS$/i.test(line.trim());
          await handle(line);
          if (stls) {
            s.buf = Buffer.alloc(0);
            return;
          }
        }
      } finally {
        s.busy = false;
      }
    };
    const onData = (d: Buffer) => {
      if (this.take(s, d, 2 * MAX_LINE, '-ERR Command too long')) void pump();
    };
    write(`+OK ${hostname()} Mail OAuth relay POP3 ready`);
    s.sock.on('data', onData);
  }

  /**
   * Exchange refuses every POP sign-in with the same text; an app-only token without the POP.AccessAsApp
   * role is the one cause the relay can see for itself (its claims, decoded, not trusted).
   */
  private missingPopRole(token: string): boolean {
    if (this.o.profile.flow !== 'app-only') return false;
    try {
      const roles = decodeJwt(token).roles;
      return !(Array.isArray(roles) && roles.includes('POP.AccessAsApp'));
    } catch {
      return false;
    }
  }

  /** XOAUTH2 in two lines, as Microsoft documents it for POP: "AUTH XOAUTH2", then the response after "+". */
  protected upstreamDialogue(mailbox: string, token: string): (line: string, send: (l: string) => void) => UpstreamStep {
    let state: 'greeting' | 'auth' | 'response' = 'greeting';
    return (line, send) => {
      if (state === 'greeting') {
        if (!/^\+OK\b/i.test(line)) return { fail: `POP greeting: ${line.slice(0, 300)}` };
        state = 'auth';
        send('AUTH XOAUTH2');
        return undefined;
      }
      if (state === 'auth') {
        if (!line.startsWith('+') || /^\+OK/i.test(line)) return { fail: `POP AUTH XOAUTH2: ${line.slice(0, 300)}` };
        state = 'response';
        send(Buffer.from(`user=${mailbox}\x01auth=Bearer ${token}\x01\x01`).toString('base64'));
        return undefined;
      }
      if (/^\+OK\b/i.test(line)) return { ok: line };
      return { fail: `POP AUTH XOAUTH2 failed: ${line}`, extra: this.missingPopRole(token) ? { hint: 'pop-app-only-role-missing' } : {} };
    };
  }
}
