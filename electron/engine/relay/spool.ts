import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * The relay's spool: nothing a device was told "250" for is only in memory.
 *
 *   tmp/                 being written (never acknowledged; cleared at start)
 *   queue/<id>.eml       the message as received (plus a Message-ID when it had none)
 *   queue/<id>.json      envelope and delivery state; its rename into queue/ is the commit point
 *   queue/<id>.sent-body written (fsync) just before the end of the message goes upstream: from
 *                        here until the upstream's answer, a crash leaves it unknown whether
 *                        Microsoft accepted the message
 *   held/<id>.*          in doubt after such a crash: kept, not re-sent, until an operator releases it
 *   delivered/<id>.json  the record of a delivery (the message itself is removed)
 *   bounces/<id>.eml     the delivery status notification (RFC 3464) for a refused message, + .json
 *
 * Every state change is a rename after an fsync of the file, then an fsync of the folder.
 *
 * The relay itself uses the *Async methods: the same steps, off the event loop (a synchronous fsync
 * takes 5-60 ms on a busy disk and would stall every other connection), with the folder fsyncs of
 * messages arriving at the same time grouped (one fsync covers every rename done before it began).
 */
export interface SpoolEntry {
  id: string;
  messageId: string;
  from: string;
  to: string[];
  device: string;
  /** Upstream mailbox the message is sent as (XOAUTH2 user). */
  mailbox: string;
  size: number;
  acceptedAt: string;
  attempts: number;
  nextAttemptAt: string;
  lastError?: string;
  /** Diagnosis code of the last failure (shared/diagnosis). */
  lastCode?: string;
  deliveredAt?: string;
  upstreamResponse?: string;
  bouncedAt?: string;
}

export type SpoolState = 'queue' | 'held' | 'delivered' | 'bounces';
const FOLDERS = ['tmp', 'queue', 'held', 'delivered', 'bounces'] as const;

function fsyncPath(p: string): void {
  const fd = openSync(p, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function writeDurable(file: string, data: string | Buffer): void {
  const fd = openSync(file, 'w', 0o600);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

async function writeDurableAsync(file: string, data: string | Buffer): Promise<void> {
  const fh = await open(file, 'w', 0o600);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Group commit of a folder's fsync: a caller's rename is durable once an fsync that *began after it*
 * has finished. A caller arriving while one runs waits for the next one, which then serves everybody
 * who arrived meanwhile.
 */
class FolderSync {
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  constructor(private readonly dir: string) {}

  sync(): Promise<void> {
    if (this.next) return this.next;
    if (!this.running) {
      const run = (async () => {
        const fh = await open(this.dir, 'r');
        try {
          await fh.sync();
        } finally {
          await fh.close();
        }
      })();
      this.running = run.finally(() => (this.running = undefined));
      return this.running;
    }
    this.next = this.running
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        return this.sync();
      });
    return this.next;
  }
}

let lastIdMs = 0;
let sameMsSeq = 0;
export function newSpoolId(): string {
  // time-ordered: the queue is worked oldest first by name; ids made in the same millisecond keep their
  // order by a sequence number ahead of the random part (it was the random part alone: two messages
  // accepted within one millisecond could be sent in either order)
  const now = Date.now();
  sameMsSeq = now === lastIdMs ? sameMsSeq + 1 : 0;
  lastIdMs = now;
  return `${now.toString(36).padStart(9, '0')}-${sameMsSeq.toString(16).padStart(4, '0')}${randomBytes(6).toString('hex')}`;
}

export class Spool {
  private readonly folderSync = new Map<SpoolState, FolderSync>();

  constructor(readonly dir: string) {
    for (const f of FOLDERS) mkdirSync(path.join(dir, f), { recursive: true, mode: 0o700 });
  }

  private syncFolder(state: SpoolState): Promise<void> {
    let f = this.folderSync.get(state);
    if (!f) this.folderSync.set(state, (f = new FolderSync(path.join(this.dir, state))));
    return f.sync();
  }

  /**
   * accept() without blocking the event loop; resolves once the message is durable (the "250" may
   * go out then). The .eml goes straight into queue/ (an .eml without its .json is never acknowledged
   * and is removed at start), the .json through tmp/ and a rename: that rename is the commit point.
   */
  async acceptAsync(entry: SpoolEntry, raw: Buffer): Promise<void> {
    await Promise.all([writeDurableAsync(this.p('queue', `${entry.id}.eml`), raw), writeDurableAsync(this.p('tmp', `${entry.id}.json`), JSON.stringify(entry))]);
    await rename(this.p('tmp', `${entry.id}.json`), this.p('queue', `${entry.id}.json`));
    await this.syncFolder('queue');
  }

  /** markBodySent() without blocking the event loop: resolves once the marker is durable. */
  async markBodySentAsync(id: string): Promise<void> {
    await writeDurableAsync(this.p('queue', `${id}.sent-body`), new Date().toISOString());
    await this.syncFolder('queue');
  }

  /** delivered() without blocking the event loop. */
  async deliveredAsync(entry: SpoolEntry): Promise<void> {
    await writeDurableAsync(this.p('tmp', `${entry.id}.json`), JSON.stringify(entry));
    await rename(this.p('tmp', `${entry.id}.json`), this.p('delivered', `${entry.id}.json`));
    await this.syncFolder('delivered');
    await Promise.all(['.eml', '.json', '.sent-body'].map((ext) => rm(this.p('queue', `${entry.id}${ext}`), { force: true })));
  }

  private p(state: SpoolState | 'tmp', name: string): string {
    return path.join(this.dir, state, name);
  }

  /** Makes a received message durable; returns only once it is on disk. */
  accept(entry: SpoolEntry, raw: Buffer): void {
    writeDurable(this.p('tmp', `${entry.id}.eml`), raw);
    writeDurable(this.p('tmp', `${entry.id}.json`), JSON.stringify(entry));
    renameSync(this.p('tmp', `${entry.id}.eml`), this.p('queue', `${entry.id}.eml`));
    renameSync(this.p('tmp', `${entry.id}.json`), this.p('queue', `${entry.id}.json`));
    fsyncPath(path.join(this.dir, 'queue'));
  }

  /** Updates the state of a queued message (attempts, next attempt, last error). */
  update(entry: SpoolEntry): void {
    writeDurable(this.p('tmp', `${entry.id}.json`), JSON.stringify(entry));
    renameSync(this.p('tmp', `${entry.id}.json`), this.p('queue', `${entry.id}.json`));
  }

  raw(id: string, state: SpoolState = 'queue'): Buffer {
    return readFileSync(this.p(state, `${id}.eml`));
  }

  /** The marker that the end of the message may have reached Microsoft (see the class comment). */
  markBodySent(id: string): void {
    writeDurable(this.p('queue', `${id}.sent-body`), new Date().toISOString());
    fsyncPath(path.join(this.dir, 'queue'));
  }

  /** The upstream answered (not 2xx): the message is certainly not accepted, the marker goes. */
  clearBodySent(id: string): void {
    rmSync(this.p('queue', `${id}.sent-body`), { force: true });
  }

  delivered(entry: SpoolEntry): void {
    writeDurable(this.p('tmp', `${entry.id}.json`), JSON.stringify(entry));
    renameSync(this.p('tmp', `${entry.id}.json`), this.p('delivered', `${entry.id}.json`));
    fsyncPath(path.join(this.dir, 'delivered'));
    for (const ext of ['.eml', '.json', '.sent-body']) rmSync(this.p('queue', `${entry.id}${ext}`), { force: true });
  }

  /** Moves a refused message to bounces/ with its delivery status notification. */
  bounced(entry: SpoolEntry, dsn: string): void {
    writeDurable(this.p('tmp', `${entry.id}.dsn`), dsn);
    writeDurable(this.p('tmp', `${entry.id}.json`), JSON.stringify(entry));
    renameSync(this.p('tmp', `${entry.id}.dsn`), this.p('bounces', `${entry.id}.eml`));
    renameSync(this.p('tmp', `${entry.id}.json`), this.p('bounces', `${entry.id}.json`));
    fsyncPath(path.join(this.dir, 'bounces'));
    for (const ext of ['.eml', '.json', '.sent-body']) rmSync(this.p('queue', `${entry.id}${ext}`), { force: true });
  }

  /**
   * At start: drops unacknowledged temp files, finishes interrupted state changes, and holds every
   * message whose end may have reached Microsoft before a crash. Returns the queue, oldest first.
   */
  recover(): { queued: SpoolEntry[]; held: string[] } {
    for (const f of readdirSync(path.join(this.dir, 'tmp'))) unlinkSync(this.p('tmp', f));
    const held: string[] = [];
    const queued: SpoolEntry[] = [];
    const names = readdirSync(path.join(this.dir, 'queue'));
    const jsons = new Set(names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)));
    for (const n of names) {
      const id = n.replace(/\.(eml|json|sent-body)$/, '');
      // an .eml without its .json was never acknowledged (the .json rename is the commit point)
      if (!jsons.has(id)) rmSync(this.p('queue', n), { force: true });
    }
    for (const id of [...jsons].sort()) {
      if (existsSync(this.p('delivered', `${id}.json`)) || existsSync(this.p('bounces', `${id}.json`))) {
        for (const ext of ['.eml', '.json', '.sent-body']) rmSync(this.p('queue', `${id}${ext}`), { force: true });
        continue;
      }
      if (existsSync(this.p('queue', `${id}.sent-body`))) {
        for (const ext of ['.eml', '.json', '.sent-body']) if (existsSync(this.p('queue', `${id}${ext}`))) renameSync(this.p('queue', `${id}${ext}`), this.p('held', `${id}${ext}`));
        held.push(id);
        continue;
      }
      try {
        queued.push(JSON.parse(readFileSync(this.p('queue', `${id}.json`), 'utf8')) as SpoolEntry);
      } catch {
        /* unreadable state: leave the files for an operator, status counts them */
      }
    }
    if (held.length) fsyncPath(path.join(this.dir, 'held'));
    return { queued, held };
  }

  /** An operator's decision on a held message: send it again (it may then arrive twice). */
  release(id: string): SpoolEntry {
    if (!/^[0-9a-z]+-[0-9a-f]+$/.test(id) || !existsSync(this.p('held', `${id}.json`))) throw new Error(`no held message ${id}`);
    rmSync(this.p('held', `${id}.sent-body`), { force: true });
    renameSync(this.p('held', `${id}.eml`), this.p('queue', `${id}.eml`));
    renameSync(this.p('held', `${id}.json`), this.p('queue', `${id}.json`));
    fsyncPath(path.join(this.dir, 'queue'));
    return JSON.parse(readFileSync(this.p('queue', `${id}.json`), 'utf8')) as SpoolEntry;
  }

  entries(state: SpoolState): SpoolEntry[] {
    const out: SpoolEntry[] = [];
    for (const n of readdirSync(path.join(this.dir, state)).filter((x) => x.endsWith('.json')).sort()) {
      try {
        out.push(JSON.parse(readFileSync(this.p(state, n), 'utf8')) as SpoolEntry);
      } catch {
        /* being renamed */
      }
    }
    return out;
  }

  /** Counts read from the disk, so `relay status` works whether the relay runs or not. */
  counts(now = Date.now()): { queued: number; held: number; delivered: number; bounced: number; oldestQueuedSeconds: number | null } {
    const count = (s: SpoolState) => readdirSync(path.join(this.dir, s)).filter((n) => n.endsWith('.json')).length;
    const queue = readdirSync(path.join(this.dir, 'queue')).filter((n) => n.endsWith('.json')).sort();
    let oldest: number | null = null;
    if (queue[0]) {
      try {
        oldest = Math.max(0, Math.round((now - statSync(this.p('queue', queue[0].replace(/\.json$/, '.eml'))).mtimeMs) / 1000));
      } catch {
        oldest = 0;
      }
    }
    return { queued: queue.length, held: count('held'), delivered: count('delivered'), bounced: count('bounces'), oldestQueuedSeconds: oldest };
  }

  /** Delivery records older than `maxAgeMs` are removed (the Message-ID guard looks back that far). */
  prune(maxAgeMs: number, now = Date.now()): void {
    for (const n of readdirSync(path.join(this.dir, 'delivered'))) {
      try {
        if (now - statSync(this.p('delivered', n)).mtimeMs > maxAgeMs) unlinkSync(this.p('delivered', n));
      } catch {
        /* gone */
      }
    }
  }
}
