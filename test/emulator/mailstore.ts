import { mkdirSync, writeFileSync, readdirSync, readFileSync, chownSync, renameSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

export interface StoredMessage {
  id: string;
  folder: 'inbox';
  file: string;
  raw: string;
  subject: string;
  from: string;
  to: string[];
  date: string;
  messageId: string;
  body: string;
}

let seq = 0;

/** Maildir per mailbox under root/<address>/ (the layout Dovecot's mail_location uses). */
export class MailStore {
  constructor(
    readonly root: string,
    private readonly owner: { uid: number; gid: number },
  ) {
    mkdirSync(root, { recursive: true });
    this.chown(root);
  }
  private chown(p: string) {
    try {
      chownSync(p, this.owner.uid, this.owner.gid);
    } catch {
      /* not root: files already belong to us */
    }
  }
  ensure(address: string): string {
    const base = path.join(this.root, address.toLowerCase());
    const created = !existsSync(base);
    for (const sub of ['', 'Maildir', 'cur', 'new', 'tmp']) {
      const p = sub === 'Maildir' ? base : path.join(base, sub);
      if (sub === 'Maildir') continue;
      mkdirSync(p, { recursive: true });
      if (created) this.chown(p);
    }
    return base;
  }
  /** Every mailbox emptied and removed (Dovecot's index files with it), then the given ones made again, empty. */
  reset(addresses: string[]): void {
    for (const name of readdirSync(this.root)) rmSync(path.join(this.root, name), { recursive: true, force: true });
    for (const a of addresses) this.ensure(a);
  }
  /** Deliver an RFC 5322 message into the mailbox's INBOX (Maildir new/). */
  deliver(address: string, raw: string | Buffer): string {
    const base = this.ensure(address);
    const name = `${Math.floor(Date.now() / 1000)}.M${Date.now() % 1000000}P${process.pid}Q${++seq}R${randomBytes(4).toString('hex')}.${hostname().replace(/[/:]/g, '_')}`;
    const tmp = path.join(base, 'tmp', name);
    writeFileSync(tmp, raw);
    this.chown(tmp);
    renameSync(tmp, path.join(base, 'new', name));
    return name;
  }
  list(address: string): StoredMessage[] {
    const base = path.join(this.root, address.toLowerCase());
    const out: StoredMessage[] = [];
    for (const sub of ['new', 'cur'] as const) {
      const dir = path.join(base, sub);
      if (!existsSync(dir)) continue;
      for (const f of readdirSync(dir)) {
        const raw = readFileSync(path.join(dir, f), 'utf8');
        out.push(parseMessage(f.split(':')[0] ?? f, path.join(dir, f), raw));
      }
    }
    return out.sort((a, b) => Date.parse(b.date) - Date.parse(a.date) || b.id.localeCompare(a.id));
  }
}

function parseMessage(id: string, file: string, raw: string): StoredMessage {
  const split = raw.search(/\r?\n\r?\n/);
  const head = split >= 0 ? raw.slice(0, split) : raw;
  const body = split >= 0 ? raw.slice(split).replace(/^\r?\n\r?\n/, '') : '';
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) {
      const k = line.slice(0, i).trim().toLowerCase();
      if (!headers.has(k)) headers.set(k, line.slice(i + 1).trim());
    }
  }
  const addr = (v: string | undefined) => (v ?? '').split(',').map((x) => (/<([^>]+)>/.exec(x)?.[1] ?? x).trim()).filter(Boolean);
  return {
    id: Buffer.from(id).toString('base64url'),
    folder: 'inbox',
    file,
    raw,
    subject: headers.get('subject') ?? '',
    from: addr(headers.get('from'))[0] ?? '',
    to: addr(headers.get('to')),
    date: new Date(headers.get('date') ?? Date.now()).toISOString(),
    messageId: headers.get('message-id') ?? '',
    body,
  };
}
