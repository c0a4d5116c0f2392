import { readFileSync, unlinkSync } from 'node:fs';
import tls from 'node:tls';
import type net from 'node:net';
import type { MailStore } from './mailstore.js';

/**
 * Exchange Online's POP3 (outlook.office365.com:995, implicit TLS) as the emulator plays it: a strict
 * RFC 1939 server whose only way in is SASL XOAUTH2 (RFC 5034 AUTH), the way Microsoft documents it.
 * Dovecot would be the natural backend (it serves the emulator's IMAP), but Debian's dovecot-pop3d is
 * not installed on the test machines, so this small server reads the same Maildirs.
 *
 * Where each behaviour comes from:
 * - The exchange and its texts: "Authenticate an IMAP, POP or SMTP connection using OAuth", section
 *   "POP Protocol Exchange" (learn.microsoft.com/exchange/client-developer/legacy-protocols/
 *   how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth; MicrosoftDocs/office-developer-exchange-docs,
 *   docs/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth.md):
 *   "C: AUTH XOAUTH2 / S: + / C: <base64> / S: +OK User successfully authenticated." and on failure
 *   "-ERR Authentication failure: unknown user name or bad password.".
 * - "AUTH command split into two lines" (same page): the initial response on the AUTH line (SASL-IR) is
 *   refused. Field report: genexuslabs/JavaClasses PR #625 ("Office 365 Exchange requires that the OAUTH
 *   Login via POP3 be in two lines"). Microsoft does not document the refusal text; the emulator answers
 *   the documented failure text.
 * - USER/PASS: Basic authentication is off in Exchange Online; the answer is the same failure text
 *   (Exchange's wording for a refused POP logon is not documented beyond it).
 * - Token rules (POP.AccessAsUser.All delegated; POP.AccessAsApp + Exchange service principal +
 *   FullAccess app-only): the same page, "Use client credentials grant flow to authenticate IMAP and
 *   POP connections"; decided by `decide` (index.ts popRefusal).
 * - Greeting: "+OK The Microsoft Exchange POP3 service is ready." (what Exchange servers greet with; the
 *   bracketed server id Exchange Online appends is left out).
 * - Transaction commands: RFC 1939 (STAT, LIST, UIDL, RETR, TOP, DELE, NOOP, RSET, QUIT), CAPA: RFC 2449.
 */
export interface Pop3Options {
  key: string;
  cert: string;
  store: MailStore;
  /** null = allowed, else the reason (kept in `decisions`; the client sees Microsoft's failure text). */
  decide: (user: string, token: string) => Promise<string | null>;
}

export interface Pop3Decision {
  at: string;
  user: string;
  ok: boolean;
  reason: string;
  how: 'xoauth2' | 'xoauth2-one-line' | 'user-pass' | 'auth-other';
}

export const POP3_TEXTS = {
  greeting: '+OK The Microsoft Exchange POP3 service is ready.',
  authOk: '+OK User successfully authenticated.',
  authFailed: '-ERR Authentication failure: unknown user name or bad password.',
} as const;

const MAX_LINE = 16_384;

export async function startPop3(o: Pop3Options): Promise<{ port: number; decisions: Pop3Decision[]; setCert(key: string, cert: string): void; stop(): Promise<void> }> {
  const decisions: Pop3Decision[] = [];
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ key: o.key, cert: o.cert, minVersion: 'TLSv1.2' }, (sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => undefined);
    sock.setTimeout(10 * 60_000, () => sock.destroy());
    let buf = '';
    let state: 'auth' | 'sasl' | 'transaction' = 'auth';
    let user = '';
    let busy = false;
    let messages: { file: string; size: number; uid: string; deleted: boolean }[] = [];
    const write = (s: string) => {
      if (!sock.destroyed) sock.write(`${s}\r\n`);
    };
    const record = (u: string, reason: string | null, how: Pop3Decision['how']) => decisions.push({ at: new Date().toISOString(), user: u, ok: reason === null, reason: reason ?? 'ok', how });
    const load = () => {
      messages = o.store.list(user).reverse().map((m) => {
        const crlf = Buffer.from(m.raw.replace(/\r?\n/g, '\r\n'));
        return { file: m.file, size: crlf.length, uid: m.id, deleted: false };
      });
    };
    const msg = (arg: string | undefined) => {
      const n = Number(arg);
      if (!arg || !Number.isInteger(n) || n < 1 || n > messages.length) return null;
      const m = messages[n - 1]!;
      return m.deleted ? null : m;
    };
    const body = (file: string) => readFileSync(file, 'utf8').replace(/\r?\n/g, '\r\n');
    const multi = (lines: string[]) => {
      for (const l of lines) write(l.startsWith('.') ? `.${l}` : l);
      write('.');
    };
    const handle = async (line: string): Promise<void> => {
      if (state === 'sasl') {
        state = 'auth';
        if (line === '*') return write('-ERR Authentication cancelled.');
        const text = Buffer.from(line, 'base64').toString('utf8');
        const m = /^user=([^\x01]*)\x01auth=Bearer ([^\x01]+)\x01\x01$/.exec(text);
        if (!m) {
          record('', 'not an XOAUTH2 response', 'xoauth2');
          return write(POP3_TEXTS.authFailed);
        }
        const u = m[1]!.toLowerCase();
        const reason = await o.decide(u, m[2]!).catch((e: unknown) => String(e));
        record(u, reason, 'xoauth2');
        if (reason !== null) return write(POP3_TEXTS.authFailed);
        user = u;
        state = 'transaction';
        load();
        return write(POP3_TEXTS.authOk);
      }
      const sp = line.indexOf(' ');
      const cmd = (sp < 0 ? line : line.slice(0, sp)).toUpperCase();
      const args = sp < 0 ? [] : line.slice(sp + 1).split(' ').filter(Boolean);
      if (cmd === 'QUIT') {
        if (state === 'transaction') {
          for (const m of messages) if (m.deleted) try { unlinkSync(m.file); } catch { /* gone */ }
        }
        write('+OK Microsoft Exchange Server POP3 server signing off.');
        sock.end();
        return;
      }
      if (cmd === 'CAPA') {
        write('+OK');
        return multi(['TOP', 'UIDL', 'SASL XOAUTH2', 'USER', 'RESP-CODES', 'PIPELINING']);
      }
      if (state === 'auth') {
        switch (cmd) {
          case 'USER':
            user = args[0] ?? '';
            return write('+OK');
          case 'PASS':
            record(user.toLowerCase(), 'Basic authentication (USER/PASS) is off', 'user-pass');
            return write(POP3_TEXTS.authFailed);
          case 'AUTH': {
            const mech = (args[0] ?? '').toUpperCase();
            if (!mech) {
              write('+OK');
              return multi(['XOAUTH2']);
            }
            if (mech !== 'XOAUTH2') {
              record('', `mechanism ${mech} not offered`, 'auth-other');
              return write('-ERR Unrecognized authentication type.');
            }
            if (args[1] !== undefined) {
              record('', 'initial response on the AUTH line (Exchange wants it on the next line)', 'xoauth2-one-line');
              return write(POP3_TEXTS.authFailed);
            }
            state = 'sasl';
            return write('+');
          }
          default:
            return write('-ERR Command is not valid in this state.');
        }
      }
      const live = messages.filter((m) => !m.deleted);
      switch (cmd) {
        case 'STAT':
          return write(`+OK ${live.length} ${live.reduce((a, m) => a + m.size, 0)}`);
        case 'LIST':
        case 'UIDL': {
          const value = (m: (typeof messages)[number]) => (cmd === 'LIST' ? String(m.size) : m.uid);
          if (args[0] !== undefined) {
            const m = msg(args[0]);
            return write(m ? `+OK ${args[0]} ${value(m)}` : '-ERR The specified message is out of range.');
          }
          write(`+OK ${live.length} messages`);
          return multi(messages.flatMap((m, i) => (m.deleted ? [] : [`${i + 1} ${value(m)}`])));
        }
        case 'RETR': {
          const m = msg(args[0]);
          if (!m) return write('-ERR The specified message is out of range.');
          write(`+OK ${m.size} octets`);
          return multi(body(m.file).replace(/\r\n$/, '').split('\r\n'));
        }
        case 'TOP': {
          const m = msg(args[0]);
          const n = Number(args[1]);
          if (!m || !Number.isInteger(n) || n < 0) return write('-ERR The specified message is out of range.');
          const lines = body(m.file).replace(/\r\n$/, '').split('\r\n');
          const blank = lines.indexOf('');
          const head = blank < 0 ? lines : lines.slice(0, blank + 1 + n);
          write('+OK');
          return multi(head);
        }
        case 'DELE': {
          const m = msg(args[0]);
          if (!m) return write('-ERR The specified message is out of range.');
          m.deleted = true;
          return write('+OK');
        }
        case 'RSET':
          for (const m of messages) m.deleted = false;
          return write('+OK');
        case 'NOOP':
          return write('+OK');
        default:
          return write('-ERR Command is not valid in this state.');
      }
    };
    const pump = async () => {
      if (busy) return;
      busy = true;
      try {
        for (;;) {
          const nl = buf.indexOf('\n');
          if (nl < 0) break;
          const line = buf.slice(0, nl).replace(/\r$/, '');
          buf = buf.slice(nl + 1);
          await handle(line);
        }
      } finally {
        busy = false;
      }
    };
    sock.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      if (buf.length > MAX_LINE) {
        write('-ERR Line too long.');
        sock.destroy();
        return;
      }
      void pump();
    });
    write(POP3_TEXTS.greeting);
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    decisions,
    setCert(key: string, cert: string) {
      server.setSecureContext({ key, cert, minVersion: 'TLSv1.2' });
    },
    stop: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
