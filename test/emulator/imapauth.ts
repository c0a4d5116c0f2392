import net from 'node:net';

/**
 * A minimal IMAP server on loopback that Dovecot's `passdb { driver = imap }` logs in to with the
 * XOAUTH2 login's user= and bearer token (Dovecot's XOAUTH2 mechanism hands the token to the passdb as
 * the password). The emulator decides (Microsoft's rules) and answers OK / NO. Understands
 * CAPABILITY, LOGIN (quoted strings and {n} / {n+} literals), AUTHENTICATE PLAIN (SASL-IR or not), LOGOUT.
 */
export function startImapAuthBackend(decide: (user: string, token: string) => Promise<boolean>): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    let pendingPlainTag: string | null = null;
    sock.write('* OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR AUTH=PLAIN] emulator auth backend ready\r\n');
    const answer = async (tag: string, user: string, pass: string) => {
      const ok = await decide(user, pass).catch(() => false);
      sock.write(ok ? `${tag} OK Logged in\r\n` : `${tag} NO Authentication failed.\r\n`);
    };
    // Parse one command from buf; returns false when more data is needed.
    const step = (): boolean => {
      if (pendingPlainTag !== null) {
        const nl = buf.indexOf('\r\n');
        if (nl < 0) return false;
        const line = buf.subarray(0, nl).toString();
        buf = buf.subarray(nl + 2);
        const tag = pendingPlainTag;
        pendingPlainTag = null;
        const [, u, p] = Buffer.from(line, 'base64').toString().split('\0');
        void answer(tag, u ?? '', p ?? '');
        return true;
      }
      // tokenise: tag SP command [SP args], args may contain literals
      const args: string[] = [];
      let i = 0;
      const s = buf;
      const readAtom = () => {
        const start = i;
        while (i < s.length && s[i] !== 0x20 && s[i] !== 0x0d) i++;
        return s.subarray(start, i).toString();
      };
      for (;;) {
        if (i >= s.length) return false;
        const c = s[i];
        if (c === 0x0d) {
          if (i + 1 >= s.length) return false;
          i += 2;
          break;
        }
        if (c === 0x20) {
          i++;
          continue;
        }
        if (c === 0x22) {
          // quoted string
          let j = i + 1;
          let out = '';
          for (; j < s.length; j++) {
            const ch = s[j] as number;
            if (ch === 0x5c) { j++; out += String.fromCharCode(s[j] as number); continue; }
            if (ch === 0x22) break;
            out += String.fromCharCode(ch);
          }
          if (j >= s.length) return false;
          args.push(out);
          i = j + 1;
          continue;
        }
        if (c === 0x7b) {
          const close = s.indexOf('}', i);
          if (close < 0 || close + 2 >= s.length + 1) return false;
          const spec = s.subarray(i + 1, close).toString();
          const nonSync = spec.endsWith('+');
          const n = Number(nonSync ? spec.slice(0, -1) : spec);
          const dataStart = close + 3; // }\r\n
          if (s.length < close + 3) return false;
          if (!nonSync && !(sock as net.Socket & { _contSent?: number })._contSent) {
            (sock as net.Socket & { _contSent?: number })._contSent = close;
            sock.write('+ Ready for literal data\r\n');
          }
          if (s.length < dataStart + n) return false;
          (sock as net.Socket & { _contSent?: number })._contSent = 0;
          args.push(s.subarray(dataStart, dataStart + n).toString());
          i = dataStart + n;
          continue;
        }
        args.push(readAtom());
      }
      buf = buf.subarray(i);
      const [tag = '*', cmd = '', ...rest] = args;
      switch (cmd.toUpperCase()) {
        case 'CAPABILITY':
          sock.write(`* CAPABILITY IMAP4rev1 LITERAL+ SASL-IR AUTH=PLAIN\r\n${tag} OK done\r\n`);
          break;
        case 'LOGIN':
          void answer(tag, rest[0] ?? '', rest[1] ?? '');
          break;
        case 'AUTHENTICATE':
          if ((rest[0] ?? '').toUpperCase() !== 'PLAIN') sock.write(`${tag} NO unsupported mechanism\r\n`);
          else if (rest[1] && rest[1] !== '=') {
            const [, u, p] = Buffer.from(rest[1], 'base64').toString().split('\0');
            void answer(tag, u ?? '', p ?? '');
          } else {
            pendingPlainTag = tag;
            sock.write('+ \r\n');
          }
          break;
        case 'LOGOUT':
          sock.end(`* BYE\r\n${tag} OK bye\r\n`);
          break;
        case 'NOOP':
        case 'ID':
          sock.write(`${tag} OK done\r\n`);
          break;
        default:
          sock.write(`${tag} BAD unknown command\r\n`);
      }
      return true;
    };
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length > 1_000_000) sock.destroy();
      while (buf.length > 0 && step()) {
        /* keep parsing */
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as net.AddressInfo).port,
        stop: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}
