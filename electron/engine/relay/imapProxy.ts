import net from 'node:net';
import tls from 'node:tls';
import { hostname } from 'node:os';
import { diagnose, redact, type Diagnosis } from '../../../shared/diagnosis';
import { resolveEndpoints } from '../../../shared/endpoints';
import { tlsTrust } from '../net';
import { deviceMailbox } from './config';
import { MailProxy, textSafe, type ProxyCounters, type ProxyHooks, type ProxyOptions } from './mailProxy';

/**
 * The relay's IMAP proxy for reading devices (issue 22, item 3). A small, strict IMAP front-end
 * (RFC 9051 / RFC 3501 not-authenticated state only): greeting, CAPABILITY, NOOP, ID, STARTTLS, LOGIN,
 * AUTHENTICATE PLAIN (RFC 4616, with or without SASL-IR), LOGOUT. The device proves its *local*
 * credential; the proxy then signs in to Microsoft 365 with XOAUTH2 and, once Microsoft said OK, relays
 * the session's bytes both ways untouched (the device talks to Exchange from there on).
 */

export type ImapProxyHooks = ProxyHooks;
export type ImapCounters = ProxyCounters;

/** Pre-authentication limits: a line, a literal, idle time, failed logins before BYE. */
const MAX_LINE = 8192;
const MAX_LITERAL = 4096;
const PREAUTH_IDLE_MS = 60_000;
/** RFC 9051 5.4: an autologout timer of at least 30 minutes once authenticated (IDLE re-issues every 29). */
const AUTH_IDLE_MS = 31 * 60_000;
const MAX_FAILURES = 3;

export type Parsed = { kind: 'more' } | { kind: 'literal'; need: number } | { kind: 'bad'; tag: string; text: string; consumed: number } | { kind: 'command'; tag: string; name: string; args: string[]; consumed: number };

/**
 * Parses one command from the buffer: tag SP name [SP args] CRLF, arguments as atoms, quoted strings
 * or literals ({n} synchronising, {n+} non-synchronising, RFC 7888). `continued` lists the offsets of
 * synchronising literals already acknowledged with "+", so each gets exactly one continuation.
 */
export function parseCommand(buf: Buffer, continued: Set<number>): Parsed {
  const args: string[] = [];
  let i = 0;
  for (;;) {
    if (i >= buf.length) return buf.length > MAX_LINE ? { kind: 'bad', tag: '*', text: 'Line too long', consumed: buf.length } : { kind: 'more' };
    const c = buf[i]!;
    if (c === 0x0d || c === 0x0a) {
      if (c === 0x0d && i + 1 >= buf.length) return { kind: 'more' };
      i += c === 0x0d && buf[i + 1] === 0x0a ? 2 : 1;
      break;
    }
    if (c === 0x20) {
      i++;
      continue;
    }
    if (c === 0x22) {
      let out = '';
      let j = i + 1;
      for (; j < buf.length; j++) {
        const ch = buf[j]!;
        if (ch === 0x0d || ch === 0x0a) return badLine(buf, args, 'Unterminated quoted string');
        if (ch === 0x5c) {
          j++;
          if (j >= buf.length) return { kind: 'more' };
          out += String.fromCharCode(buf[j]!);
          continue;
        }
        if (ch === 0x22) break;
        out += String.fromCharCode(ch);
      }
      if (j >= buf.length) return buf.length > MAX_LINE ? badLine(buf, args, 'Line too long') : { kind: 'more' };
      args.push(Buffer.from(out, 'latin1').toString('utf8'));
      i = j + 1;
      continue;
    }
    if (c === 0x7b) {
      const close = buf.indexOf('}', i);
      if (close < 0) return buf.length - i > 16 ? badLine(buf, args, 'Bad literal') : { kind: 'more' };
      const spec = buf.subarray(i + 1, close).toString('latin1');
      const m = /^(\d{1,7})(\+?)$/.exec(spec);
      if (!m) return badLine(buf, args, 'Bad literal');
      const n = Number(m[1]);
      if (n > MAX_LITERAL) return badLine(buf, args, 'Literal too big before authentication');
      if (buf.length < close + 3) return { kind: 'more' };
      if (buf[close + 1] !== 0x0d || buf[close + 2] !== 0x0a) return badLine(buf, args, 'Bad literal');
      const start = close + 3;
      if (buf.length < start + n) {
        if (!m[2] && !continued.has(i)) {
          continued.add(i);
          return { kind: 'literal', need: n };
        }
        return { kind: 'more' };
      }
      args.push(buf.subarray(start, start + n).toString('utf8'));
      i = start + n;
      continue;
    }
    const start = i;
    while (i < buf.length && buf[i] !== 0x20 && buf[i] !== 0x0d && buf[i] !== 0x0a) i++;
    if (i >= buf.length) return buf.length > MAX_LINE ? badLine(buf, args, 'Line too long') : { kind: 'more' };
    args.push(buf.subarray(start, i).toString('latin1'));
  }
  const [tag, name, ...rest] = args;
  if (!tag || !name || !/^[\x21-\x7e]+$/.test(tag) || /[+(){%*"\\\]]/.test(tag)) return { kind: 'bad', tag: '*', text: 'Missing or bad tag', consumed: i };
  return { kind: 'command', tag, name: name.toUpperCase(), args: rest, consumed: i };
}

function badLine(buf: Buffer, args: string[], text: string): Parsed {
  const nl = buf.indexOf('\n');
  return { kind: 'bad', tag: args[0] && /^[A-Za-z0-9.]+$/.test(args[0]) ? args[0] : '*', text, consumed: nl < 0 ? buf.length : nl + 1 };
}

/** One quoted IMAP string for a response text (never carries a secret). */

export class ImapProxy extends MailProxy {
  constructor(o: ProxyOptions) {
    const ep = resolveEndpoints(o.profile).imap;
    super(o, 'imap', ep.host, ep.port);
  }

  private capabilities(secure: boolean): string {
    const caps = ['IMAP4rev1', 'LITERAL+', 'SASL-IR', 'ID'];
    if (!secure) caps.push('STARTTLS');
    if (secure || !this.o.tlsRequired) caps.push('AUTH=PLAIN');
    else caps.push('LOGINDISABLED');
    return caps.join(' ');
  }

  protected session(raw: net.Socket, implicitTls: boolean): void {
    let sock: net.Socket = raw;
    let secure = implicitTls;
    const remote = raw.remoteAddress ?? '';
    this.sockets.add(raw);
    this.counters.open++;
    let buf = Buffer.alloc(0);
    const continued = new Set<number>();
    let failures = 0;
    let busy = false;
    let done = false;
    let pendingPlain: string | null = null;
    const write = (line: string) => {
      if (!sock.destroyed) sock.write(`${line}\r\n`);
    };
    const finish = () => {
      if (done) return;
      done = true;
      this.counters.open--;
      this.sockets.delete(raw);
    };
    raw.on('close', finish);
    raw.on('error', () => undefined);
    let authed = false;
    const idle = (s: net.Socket) =>
      s.setTimeout(PREAUTH_IDLE_MS, () => {
        write('* BYE Autologout; idle for too long');
        s.end();
      });
    const noIdle = (s: net.Socket) => {
      s.setTimeout(0);
      s.removeAllListeners('timeout');
    };
    idle(raw);

    const refuse = (tag: string, user: string, code: 'relay-device-login-refused' | 'relay-device-imap-not-allowed') => {
      failures++;
      this.counters.refused++;
      this.o.hooks.log({ event: 'imap-auth-refused', code, user: textSafe(user).slice(0, 128), remote });
      write(code === 'relay-device-login-refused' ? `${tag} NO [AUTHENTICATIONFAILED] Invalid credentials (${code})` : `${tag} NO [AUTHORIZATIONFAILED] This device may not read mail through the relay (${code})`);
      if (failures >= MAX_FAILURES) {
        write('* BYE Too many failed logins');
        sock.end();
      }
    };

    const login = async (tag: string, user: string, password: string): Promise<void> => {
      if (this.o.tlsRequired && !secure) {
        this.counters.refused++;
        this.o.hooks.log({ event: 'imap-auth-refused', code: 'relay-device-tls-required', remote });
        write(`${tag} NO [PRIVACYREQUIRED] Use STARTTLS before signing in (relay-device-tls-required)`);
        return;
      }
      const device = await this.o.hooks.verify(user, password, remote).catch(() => undefined);
      if (!device) return refuse(tag, user, 'relay-device-login-refused');
      if (!device.imap) return refuse(tag, user, 'relay-device-imap-not-allowed');
      const mailbox = this.o.profile.flow === 'app-only' ? deviceMailbox(device) : this.o.profile.mailbox.toLowerCase();
      const started = Date.now();
      let up: { socket: tls.TLSSocket; rest: Buffer; okText: string };
      try {
        up = await this.upstreamLogin(mailbox);
      } catch (e) {
        this.counters.upstreamFailures++;
        const d: Diagnosis = diagnose(e, { profile: this.o.profile, check: 'imap', secrets: this.o.hooks.secrets() });
        if (/AUTHENTICATIONFAILED|AUTHENTICATE failed/i.test(String((e as Error)?.message))) this.o.hooks.forgetToken();
        this.o.hooks.log({ event: 'imap-upstream-refused', device: device.name, mailbox, code: d.code, error: textSafe(d.evidence.text), fix: d.fix.map((f) => f.text).join(' ').slice(0, 600) });
        write(`${tag} NO [UNAVAILABLE] Microsoft 365 did not accept the relay's sign-in for ${mailbox} (${d.code}): ${textSafe(d.title)}`);
        return;
      }
      this.counters.sessions++;
      this.o.hooks.log({ event: 'imap-login', device: device.name, mailbox, remote, ms: Date.now() - started });
      // Microsoft's own OK (with its capabilities), under the device's tag; from here on, bytes both ways.
      authed = true;
      sock.removeAllListeners('data');
      noIdle(sock);
      noIdle(raw);
      write(`${tag} ${up.okText}`);
      if (up.rest.length) sock.write(up.rest);
      this.pipe(sock, up.socket, device.name, mailbox, buf, AUTH_IDLE_MS);
      buf = Buffer.alloc(0);
    };

    const handle = async (tag: string, name: string, args: string[]): Promise<void> => {
      switch (name) {
        case 'CAPABILITY':
          write(`* CAPABILITY ${this.capabilities(secure)}`);
          write(`${tag} OK CAPABILITY completed`);
          return;
        case 'NOOP':
          write(`${tag} OK NOOP completed`);
          return;
        case 'ID':
          write('* ID ("name" "Mail OAuth relay")');
          write(`${tag} OK ID completed`);
          return;
        case 'LOGOUT':
          write('* BYE Mail OAuth relay logging out');
          write(`${tag} OK LOGOUT completed`);
          sock.end();
          return;
        case 'STARTTLS': {
          if (secure) return write(`${tag} BAD Already using TLS`);
          if (buf.length) {
            // RFC 9051 11.1: nothing may follow STARTTLS before the handshake (command injection).
            write(`${tag} BAD Data after STARTTLS`);
            sock.end();
            return;
          }
          write(`${tag} OK Begin TLS negotiation now`);
          sock.removeAllListeners('data');
          noIdle(raw);
          const t = new tls.TLSSocket(sock, { isServer: true, secureContext: this.secureContext });
          t.on('error', () => raw.destroy());
          t.once('secure', () => {
            secure = true;
            sock = t;
            idle(t);
            t.on('data', onData);
          });
          return;
        }
        case 'LOGIN':
          if (args.length !== 2) return write(`${tag} BAD LOGIN takes a user name and a password`);
          return login(tag, args[0]!, args[1]!);
        case 'AUTHENTICATE': {
          const mech = (args[0] ?? '').toUpperCase();
          if (mech !== 'PLAIN') return write(`${tag} NO [CANNOT] Only AUTHENTICATE PLAIN is supported`);
          if (this.o.tlsRequired && !secure) return login(tag, '', '');
          if (args[1] !== undefined) return plain(tag, args[1] === '=' ? '' : args[1]);
          pendingPlain = tag;
          write('+ ');
          return;
        }
        default:
          write(`${tag} BAD ${/^[A-Z]+$/.test(name) ? name : 'Command'} is not available before signing in`);
      }
    };

    const plain = (tag: string, b64: string): Promise<void> | void => {
      if (b64 === '*') return write(`${tag} BAD Authentication cancelled`);
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return write(`${tag} BAD Invalid base64`);
      const parts = Buffer.from(b64, 'base64').toString('utf8').split('\0');
      if (parts.length !== 3) return write(`${tag} BAD Invalid PLAIN response`);
      const [authz, user, password] = parts as [string, string, string];
      // An authorisation identity other than the user would be a proxy login: not offered.
      if (authz && authz !== user) return refuse(tag, user, 'relay-device-login-refused');
      return login(tag, user, password);
    };

    const pump = async () => {
      if (busy) return;
      busy = true;
      try {
        while (buf.length && !done && !authed) {
          if (pendingPlain !== null) {
            const nl = buf.indexOf('\n');
            if (nl < 0) {
              if (buf.length > MAX_LINE) sock.destroy();
              return;
            }
            const line = buf.subarray(0, nl).toString('latin1').replace(/\r$/, '');
            buf = buf.subarray(nl + 1);
            const tag = pendingPlain;
            pendingPlain = null;
            await plain(tag, line);
            continue;
          }
          const p = parseCommand(buf, continued);
          if (p.kind === 'more') return;
          if (p.kind === 'literal') {
            write('+ Ready for literal data');
            return;
          }
          buf = buf.subarray(p.consumed);
          continued.clear();
          if (p.kind === 'bad') {
            write(`${p.tag} BAD ${p.text}`);
            continue;
          }
          await handle(p.tag, p.name, p.args);
          if (p.name === 'STARTTLS') {
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
      if (buf.length > MAX_LINE + MAX_LITERAL) {
        write('* BYE Command too long');
        sock.destroy();
        return;
      }
      void pump();
    };
    const start = () => {
      write(`* OK [CAPABILITY ${this.capabilities(secure)}] ${hostname()} Mail OAuth relay IMAP ready`);
      sock.on('data', onData);
    };
    // tls.Server hands over the socket on 'secureConnection': the handshake is done already.
    start();
  }

  /**
   * Connects to Microsoft 365's IMAP (implicit TLS, 993) and signs in with XOAUTH2 (SASL-IR). Resolves
   * with the socket, any bytes past the tagged OK, and the OK line's text (kept for the device).
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
          let state: 'greeting' | 'auth' = 'greeting';
          const timer = setTimeout(() => fail(Object.assign(new Error(`IMAP sign-in to ${host}:${port} timed out`), { code: 'ETIMEDOUT', host, port })), timeoutMs);
          const fail = (e: unknown) => {
            clearTimeout(timer);
            socket.destroy();
            reject(e);
          };
          socket.once('error', (e) => fail(Object.assign(e, { host, port })));
          socket.on('data', (d: Buffer) => {
            buf = Buffer.concat([buf, d]);
            if (buf.length > 65_536) return fail(new Error('IMAP server answered too much before signing in'));
            for (;;) {
              const nl = buf.indexOf('\r\n');
              if (nl < 0) return;
              const line = buf.subarray(0, nl).toString('utf8');
              buf = buf.subarray(nl + 2);
              if (state === 'greeting') {
                if (!/^\* OK\b/i.test(line)) return fail(Object.assign(new Error(`IMAP greeting: ${line.slice(0, 300)}`), { host, port }));
                state = 'auth';
                const sasl = Buffer.from(`user=${mailbox}\x01auth=Bearer ${token}\x01\x01`).toString('base64');
                socket.write(`R1 AUTHENTICATE XOAUTH2 ${sasl}\r\n`);
                continue;
              }
              // XOAUTH2 failure: the server sends a "+ <base64 JSON>" challenge; answer with an empty line.
              if (line.startsWith('+')) {
                socket.write('\r\n');
                continue;
              }
              if (line.startsWith('* ')) continue;
              const m = /^R1 (OK|NO|BAD)\b ?(.*)$/i.exec(line);
              if (!m) continue;
              clearTimeout(timer);
              if (m[1]!.toUpperCase() === 'OK') {
                socket.removeAllListeners('data');
                socket.removeAllListeners('error');
                resolve({ socket, rest: buf, okText: `OK ${m[2] ?? ''}`.trim() });
              } else fail(Object.assign(new Error(redact(`AUTHENTICATE failed: ${line}`, [token])), { host, port }));
              return;
            }
          });
        }),
    );
  }
}
