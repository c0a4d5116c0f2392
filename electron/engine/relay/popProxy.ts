import net from 'node:net';
import tls from 'node:tls';
import { hostname } from 'node:os';
import { diagnose, redact, type Diagnosis } from '../../../shared/diagnosis';
import { resolveEndpoints } from '../../../shared/endpoints';
import { tlsTrust } from '../net';
import { decodeJwt } from '../token';
import { deviceMailbox } from './config';
import { MailProxy, textSafe, type ProxyOptions } from './mailProxy';

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
const PREAUTH_IDLE_MS = 60_000;
/** RFC 1939 3: an inactivity autologout timer of at least 10 minutes. */
const AUTH_IDLE_MS = 11 * 60_000;
const MAX_FAILURES = 3;


export class PopProxy extends MailProxy {
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

  protected session(raw: net.Socket, implicitTls: boolean): void {
    let sock: net.Socket = raw;
    let secure = implicitTls;
    const remote = raw.remoteAddress ?? '';
    this.sockets.add(raw);
    this.counters.open++;
    let buf = Buffer.alloc(0);
    let failures = 0;
    let busy = false;
    let done = false;
    let authed = false;
    let user: string | null = null;
    let pendingPlain = false;
    const write = (line: string) => {
      if (!sock.destroyed) sock.write(`${line}\r\n`);
    };
    raw.on('close', () => {
      if (done) return;
      done = true;
      this.counters.open--;
      this.sockets.delete(raw);
    });
    raw.on('error', () => undefined);
    const idle = (s: net.Socket) =>
      s.setTimeout(PREAUTH_IDLE_MS, () => {
        write('-ERR Autologout; idle for too long');
        s.end();
      });
    const noIdle = (s: net.Socket) => {
      s.setTimeout(0);
      s.removeAllListeners('timeout');
    };
    idle(raw);

    const refuse = (who: string, code: 'relay-device-login-refused' | 'relay-device-pop-not-allowed') => {
      failures++;
      this.counters.refused++;
      this.o.hooks.log({ event: 'pop-auth-refused', code, user: textSafe(who).slice(0, 128), remote });
      write(code === 'relay-device-login-refused' ? `-ERR [AUTH] Invalid credentials (${code})` : `-ERR [AUTH] This device may not read mail through the relay (${code})`);
      if (failures >= MAX_FAILURES) {
        write('-ERR Too many failed logins');
        sock.end();
      }
    };

    const login = async (userName: string, password: string): Promise<void> => {
      if (this.o.tlsRequired && !secure) {
        this.counters.refused++;
        this.o.hooks.log({ event: 'pop-auth-refused', code: 'relay-device-tls-required', remote });
        write('-ERR [SYS/PERM] Use STLS before signing in (relay-device-tls-required)');
        return;
      }
      const device = await this.o.hooks.verify(userName, password, remote).catch(() => undefined);
      if (!device) return refuse(userName, 'relay-device-login-refused');
      if (!device.pop) return refuse(userName, 'relay-device-pop-not-allowed');
      const mailbox = this.o.profile.flow === 'app-only' ? deviceMailbox(device) : this.o.profile.mailbox.toLowerCase();
      const started = Date.now();
      let up: { socket: tls.TLSSocket; rest: Buffer; okText: string };
      try {
        up = await this.upstreamLogin(mailbox);
      } catch (e) {
        this.counters.upstreamFailures++;
        // POP's own codes (diagnose(): source 'pop'), naming the mailbox the device reads
        const d: Diagnosis = diagnose(e, { profile: { ...this.o.profile, mailbox }, source: 'pop', secrets: this.o.hooks.secrets() });
        if (/Authentication failure/i.test(String((e as Error)?.message))) this.o.hooks.forgetToken();
        this.o.hooks.log({ event: 'pop-upstream-refused', device: device.name, mailbox, code: d.code, error: textSafe(d.evidence.text), fix: d.fix.map((f) => f.text).join(' ').slice(0, 600) });
        write(`-ERR [SYS/TEMP] Microsoft 365 did not accept the relay's sign-in for ${mailbox} (${d.code}): ${textSafe(d.title)}`);
        return;
      }
      this.counters.sessions++;
      this.o.hooks.log({ event: 'pop-login', device: device.name, mailbox, remote, ms: Date.now() - started });
      authed = true;
      sock.removeAllListeners('data');
      noIdle(sock);
      noIdle(raw);
      // Microsoft's own +OK; from here on, bytes both ways.
      write(up.okText);
      if (up.rest.length) sock.write(up.rest);
      this.pipe(sock, up.socket, device.name, mailbox, buf, AUTH_IDLE_MS);
      buf = Buffer.alloc(0);
    };

    const plain = (b64: string): Promise<void> | void => {
      if (b64 === '*') return write('-ERR Authentication cancelled');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return write('-ERR Invalid base64');
      const parts = Buffer.from(b64, 'base64').toString('utf8').split('\0');
      if (parts.length !== 3) return write('-ERR Invalid PLAIN response');
      const [authz, u, password] = parts as [string, string, string];
      if (authz && authz !== u) return refuse(u, 'relay-device-login-refused');
      return login(u, password);
    };

    const handle = async (line: string): Promise<void> => {
      if (pendingPlain) {
        pendingPlain = false;
        return plain(line.trim());
      }
      const sp = line.indexOf(' ');
      const cmd = (sp < 0 ? line : line.slice(0, sp)).toUpperCase();
      const arg = sp < 0 ? '' : line.slice(sp + 1);
      switch (cmd) {
        case 'CAPA':
          write('+OK Capability list follows');
          for (const c of this.capabilities(secure)) write(c);
          write('.');
          return;
        case 'NOOP':
          return write('-ERR NOOP is not available before signing in');
        case 'QUIT':
          write('+OK Mail OAuth relay signing off');
          sock.end();
          return;
        case 'STLS': {
          if (secure) return write('-ERR Already using TLS');
          if (buf.length) {
            // RFC 2595 / RFC 7817: nothing may follow STLS before the handshake (command injection)
            write('-ERR Data after STLS');
            sock.end();
            return;
          }
          write('+OK Begin TLS negotiation now');
          sock.removeAllListeners('data');
          noIdle(raw);
          const t = new tls.TLSSocket(sock, { isServer: true, secureContext: this.secureContext });
          t.on('error', () => raw.destroy());
          t.once('secure', () => {
            secure = true;
            sock = t;
            user = null;
            idle(t);
            t.on('data', onData);
          });
          return;
        }
        case 'USER':
          if (this.o.tlsRequired && !secure) return login('', '');
          if (!arg) return write('-ERR USER takes a user name');
          user = arg;
          return write('+OK Send the password');
        case 'PASS': {
          if (user === null) return write('-ERR USER first');
          const u = user;
          user = null;
          return login(u, arg);
        }
        case 'AUTH': {
          const [mech = '', initial] = arg.split(' ');
          if (!mech) {
            write('+OK');
            if (secure || !this.o.tlsRequired) write('PLAIN');
            write('.');
            return;
          }
          if (mech.toUpperCase() !== 'PLAIN') return write('-ERR [AUTH] Only AUTH PLAIN is supported');
          if (this.o.tlsRequired && !secure) return login('', '');
          if (initial !== undefined) return plain(initial === '=' ? '' : initial);
          pendingPlain = true;
          return write('+ ');
        }
        default:
          return write(`-ERR ${/^[A-Z]{1,8}$/.test(cmd) ? cmd : 'Command'} is not available before signing in`);
      }
    };

    const pump = async () => {
      if (busy) return;
      busy = true;
      try {
        while (buf.length && !done && !authed) {
          const nl = buf.indexOf('\n');
          if (nl < 0) {
            if (buf.length > MAX_LINE) {
              write('-ERR Line too long');
              sock.destroy();
            }
            return;
          }
          const line = buf.subarray(0, nl).toString('utf8').replace(/\r$/, '');
          buf = buf.subarray(nl + 1);
          const stls = /^STLS$/i.test(line.trim());
          await handle(line);
          if (stls) {
            buf = Buffer.alloc(0);
            return;
          }
        }
      } finally {
        busy = false;
      }
    };
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length > 2 * MAX_LINE) {
        write('-ERR Command too long');
        sock.destroy();
        return;
      }
      void pump();
    };
    write(`+OK ${hostname()} Mail OAuth relay POP3 ready`);
    sock.on('data', onData);
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

  /**
   * Connects to Microsoft 365's POP (implicit TLS, 995) and signs in with XOAUTH2 in two lines, as
   * Microsoft documents it for POP. Resolves with the socket, bytes past the +OK, and the +OK line.
   */
  private upstreamLogin(mailbox: string): Promise<{ socket: tls.TLSSocket; rest: Buffer; okText: string }> {
    const timeoutMs = this.o.timeoutMs ?? 30_000;
    return this.o.hooks.token().then(
      (token) =>
        new Promise((resolve, reject) => {
          const host = this.upstreamHost;
          const port = this.upstreamPort;
          const socket = tls.connect({ host, port, ...tlsTrust(this.ca), ...(net.isIP(host) ? {} : { servername: host }), minVersion: 'TLSv1.2' });
          let buf = Buffer.alloc(0);
          let state: 'greeting' | 'auth' | 'response' = 'greeting';
          const timer = setTimeout(() => fail(Object.assign(new Error(`POP sign-in to ${host}:${port} timed out`), { code: 'ETIMEDOUT', host, port })), timeoutMs);
          const fail = (e: unknown) => {
            clearTimeout(timer);
            socket.destroy();
            reject(e);
          };
          socket.once('error', (e) => fail(Object.assign(e, { host, port })));
          socket.on('data', (d: Buffer) => {
            buf = Buffer.concat([buf, d]);
            if (buf.length > 65_536) return fail(new Error('POP server answered too much before signing in'));
            for (;;) {
              const nl = buf.indexOf('\r\n');
              if (nl < 0) return;
              const line = buf.subarray(0, nl).toString('utf8');
              buf = buf.subarray(nl + 2);
              if (state === 'greeting') {
                if (!/^\+OK\b/i.test(line)) return fail(Object.assign(new Error(`POP greeting: ${line.slice(0, 300)}`), { host, port }));
                state = 'auth';
                socket.write('AUTH XOAUTH2\r\n');
                continue;
              }
              if (state === 'auth') {
                if (!line.startsWith('+') || /^\+OK/i.test(line)) return fail(Object.assign(new Error(`POP AUTH XOAUTH2: ${line.slice(0, 300)}`), { host, port }));
                state = 'response';
                socket.write(`${Buffer.from(`user=${mailbox}\x01auth=Bearer ${token}\x01\x01`).toString('base64')}\r\n`);
                continue;
              }
              clearTimeout(timer);
              if (/^\+OK\b/i.test(line)) {
                socket.removeAllListeners('data');
                socket.removeAllListeners('error');
                resolve({ socket, rest: buf, okText: line });
              } else fail(Object.assign(new Error(redact(`POP AUTH XOAUTH2 failed: ${line}`, [token])), { host, port, ...(this.missingPopRole(token) ? { hint: 'pop-app-only-role-missing' } : {}) }));
              return;
            }
          });
        }),
    );
  }
}
