import type net from 'node:net';
import { hostname } from 'node:os';
import { diagnose, type Diagnosis } from '../../../shared/diagnosis';
import { resolveEndpoints } from '../../../shared/endpoints';
import { MailProxy, type Answer, type ProxyCounters, type ProxyHooks, type ProxyOptions, type UpstreamStep } from './mailProxy';

/**
 * The relay's IMAP proxy for reading devices (issue 22, item 3). A small, strict IMAP front-end
 * (RFC 9051 / RFC 3501 not-authenticated state only): greeting, CAPABILITY, NOOP, ID, STARTTLS, LOGIN,
 * AUTHENTICATE PLAIN (RFC 4616, with or without SASL-IR), LOGOUT. The device proves its *local*
 * credential; the proxy then signs in to Microsoft 365 with XOAUTH2 and, once Microsoft said OK, relays
 * the session's bytes both ways untouched (the device talks to Exchange from there on).
 */

export type ImapProxyHooks = ProxyHooks;
export type ImapCounters = ProxyCounters;

/** Pre-authentication limits: a line, a literal (idle times and failed logins before BYE: on the class). */
const MAX_LINE = 8192;
const MAX_LITERAL = 4096;

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

export class ImapProxy extends MailProxy {
  /** RFC 9051 5.4: an autologout timer of at least 30 minutes once authenticated (IDLE re-issues every 29). */
  protected readonly idleMs = { preAuth: 60_000, authed: 31 * 60_000 };

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

  protected answer(tag: string, a: Answer): string {
    switch (a.kind) {
      case 'refused':
        return a.code === 'relay-device-login-refused' ? `${tag} NO [AUTHENTICATIONFAILED] Invalid credentials (${a.code})` : `${tag} NO [AUTHORIZATIONFAILED] This device may not read mail through the relay (relay-device-imap-not-allowed)`;
      case 'tls-required':
        return `${tag} NO [PRIVACYREQUIRED] Use STARTTLS before signing in (relay-device-tls-required)`;
      case 'too-many':
        return '* BYE Too many failed logins';
      case 'autologout':
        return '* BYE Autologout; idle for too long';
      case 'bad':
        return `${tag} BAD ${a.text}`;
      case 'upstream-refused':
        return `${tag} NO [UNAVAILABLE] Microsoft 365 did not accept the relay's sign-in for ${a.mailbox} (${a.code}): ${a.title}`;
    }
  }

  protected diagnoseUpstream(e: unknown): Diagnosis {
    return diagnose(e, { profile: this.o.profile, check: 'imap', secrets: this.o.hooks.secrets() });
  }

  protected tokenRefused(e: unknown): boolean {
    return /AUTHENTICATIONFAILED|AUTHENTICATE failed/i.test(String((e as Error)?.message));
  }

  protected session(raw: net.Socket, implicitTls: boolean): void {
    const s = this.begin(raw, implicitTls);
    const { write } = s;
    const continued = new Set<number>();
    let pendingPlain: string | null = null;

    const handle = async (tag: string, name: string, args: string[]): Promise<void> => {
      switch (name) {
        case 'CAPABILITY':
          write(`* CAPABILITY ${this.capabilities(s.secure)}`);
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
          s.sock.end();
          return;
        case 'STARTTLS': {
          if (s.secure) return write(`${tag} BAD Already using TLS`);
          if (s.buf.length) {
            // RFC 9051 11.1: nothing may follow STARTTLS before the handshake (command injection).
            write(`${tag} BAD Data after STARTTLS`);
            s.sock.end();
            return;
          }
          write(`${tag} OK Begin TLS negotiation now`);
          this.startTls(s, onData);
          return;
        }
        case 'LOGIN':
          if (args.length !== 2) return write(`${tag} BAD LOGIN takes a user name and a password`);
          return this.login(s, tag, args[0]!, args[1]!);
        case 'AUTHENTICATE': {
          const mech = (args[0] ?? '').toUpperCase();
          if (mech !== 'PLAIN') return write(`${tag} NO [CANNOT] Only AUTHENTICATE PLAIN is supported`);
          if (this.o.tlsRequired && !s.secure) return this.login(s, tag, '', '');
          if (args[1] !== undefined) return this.plain(s, tag, args[1] === '=' ? '' : args[1]);
          pendingPlain = tag;
          write('+ ');
          return;
        }
        default:
          write(`${tag} BAD ${/^[A-Z]+$/.test(name) ? name : 'Command'} is not available before signing in`);
      }
    };

    const pump = async () => {
      if (s.busy) return;
      s.busy = true;
      try {
        while (s.buf.length && !s.done && !s.authed) {
          if (pendingPlain !== null) {
            const nl = s.buf.indexOf('\n');
            if (nl < 0) {
              if (s.buf.length > MAX_LINE) s.sock.destroy();
              return;
            }
            const line = s.buf.subarray(0, nl).toString('latin1').replace(/\r$/, '');
            s.buf = s.buf.subarray(nl + 1);
            const tag = pendingPlain;
            pendingPlain = null;
            await this.plain(s, tag, line);
            continue;
          }
          const p = parseCommand(s.buf, continued);
          if (p.kind === 'more') return;
          if (p.kind === 'literal') {
            write('+ Ready for literal data');
            return;
          }
          s.buf = s.buf.subarray(p.consumed);
          continued.clear();
          if (p.kind === 'bad') {
            write(`${p.tag} BAD ${p.text}`);
            continue;
          }
          await handle(p.tag, p.name, p.args);
          if (p.name === 'STARTTLS') {
            s.buf = Buffer.alloc(0);
            return;
          }
        }
      } finally {
        s.busy = false;
      }
    };
    const onData = (d: Buffer) => {
      if (this.take(s, d, MAX_LINE + MAX_LITERAL, '* BYE Command too long')) void pump();
    };
    // tls.Server hands over the socket on 'secureConnection': the handshake is done already.
    write(`* OK [CAPABILITY ${this.capabilities(s.secure)}] ${hostname()} Mail OAuth relay IMAP ready`);
    s.sock.on('data', onData);
  }

  /** XOAUTH2 with SASL-IR; Microsoft's tagged OK (with its capabilities) is kept for the device. */
  protected upstreamDialogue(mailbox: string, token: string): (line: string, send: (l: string) => void) => UpstreamStep {
    let state: 'greeting' | 'auth' = 'greeting';
    return (line, send) => {
      if (state === 'greeting') {
        if (!/^\* OK\b/i.test(line)) return { fail: `IMAP greeting: ${line.slice(0, 300)}` };
        state = 'auth';
        send(`R1 AUTHENTICATE XOAUTH2 ${Buffer.from(`user=${mailbox}\x01auth=Bearer ${token}\x01\x01`).toString('base64')}`);
        return undefined;
      }
      // XOAUTH2 failure: the server sends a "+ <base64 JSON>" challenge; answer with an empty line.
      if (line.startsWith('+')) {
        send('');
        return undefined;
      }
      if (line.startsWith('* ')) return undefined;
      const m = /^R1 (OK|NO|BAD)\b ?(.*)$/i.exec(line);
      if (!m) return undefined;
      return m[1]!.toUpperCase() === 'OK' ? { ok: `OK ${m[2] ?? ''}`.trim() } : { fail: `AUTHENTICATE failed: ${line}` };
    };
  }
}
