import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RelayConfig } from './config';
import { Spool, type SpoolEntry } from './spool';

export interface RelayStatus {
  /** Monitoring-plugin state: OK 0, WARNING 1, CRITICAL 2, UNKNOWN 3. */
  state: 'OK' | 'WARNING' | 'CRITICAL' | 'UNKNOWN';
  running: boolean;
  pid?: number;
  counts: { accepted: number; queued: number; held: number; delivered: number; bounced: number; oldestQueuedSeconds: number | null };
  /** The last failure of the oldest queued message, with its diagnosis code. */
  lastError?: { id: string; code?: string; text?: string; attempts: number };
  bounces: { id: string; from: string; code?: string; at?: string }[];
  held: string[];
  /** The reading proxies as configured (absent = off) and the devices that may use each. */
  imap?: { port: number; implicitTlsPort?: number; devices: string[] };
  pop?: { port: number; implicitTlsPort?: number; devices: string[] };
  text: string;
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * What `mail-oauth relay status` reports, read from the spool (the relay need not be running).
 * CRITICAL: the relay is not running while mail waits, or the oldest message waits past `criticalMinutes`.
 * WARNING: not running (nothing waiting), messages held after a crash, bounces in the last day, or
 * the oldest waits past `warningMinutes`.
 */
export function relayStatus(config: RelayConfig, opts: { warningMinutes?: number; criticalMinutes?: number; now?: number } = {}): RelayStatus {
  const now = opts.now ?? Date.now();
  const warnS = (opts.warningMinutes ?? 15) * 60;
  const critS = (opts.criticalMinutes ?? 60) * 60;
  const spool = new Spool(config.spool);
  const c = spool.counts(now);
  let pid: number | undefined;
  try {
    pid = (JSON.parse(readFileSync(path.join(config.spool, 'relay.pid'), 'utf8')) as { pid: number }).pid;
  } catch {
    pid = undefined;
  }
  const isRunning = pid !== undefined && running(pid);
  const queue = spool.entries('queue');
  const oldest: SpoolEntry | undefined = queue[0];
  const bounces = spool.entries('bounces').map((b) => ({ id: b.id, from: b.from, ...(b.lastCode ? { code: b.lastCode } : {}), ...(b.bouncedAt ? { at: b.bouncedAt } : {}) }));
  const recentBounces = bounces.filter((b) => b.at && now - Date.parse(b.at) < 24 * 3600_000);
  const held = spool.entries('held').map((h) => h.id);
  const reasons: string[] = [];
  let state: RelayStatus['state'] = 'OK';
  const raise = (s: RelayStatus['state'], why: string) => {
    const order = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 };
    if (order[s] > order[state]) state = s;
    reasons.push(why);
  };
  if (!isRunning) raise(c.queued ? 'CRITICAL' : 'WARNING', `relay not running${c.queued ? ` with ${c.queued} message(s) waiting` : ''}`);
  if (c.oldestQueuedSeconds !== null && c.oldestQueuedSeconds > critS) raise('CRITICAL', `oldest message waiting ${Math.round(c.oldestQueuedSeconds / 60)} min${oldest?.lastCode ? ` (${oldest.lastCode})` : ''}`);
  else if (c.oldestQueuedSeconds !== null && c.oldestQueuedSeconds > warnS) raise('WARNING', `oldest message waiting ${Math.round(c.oldestQueuedSeconds / 60)} min${oldest?.lastCode ? ` (${oldest.lastCode})` : ''}`);
  if (held.length) raise('WARNING', `${held.length} message(s) held after a crash mid-send (mail-oauth relay release)`);
  if (recentBounces.length) raise('WARNING', `${recentBounces.length} bounce(s) in the last 24 h (${[...new Set(recentBounces.map((b) => b.code))].join(', ')})`);
  const counts = { accepted: c.queued + c.held + c.delivered + c.bounced, ...c };
  const summary = `accepted ${counts.accepted}, queued ${c.queued}, delivered ${c.delivered}, bounced ${c.bounced}, held ${c.held}, oldest queued ${c.oldestQueuedSeconds === null ? '-' : `${c.oldestQueuedSeconds}s`}`;
  return {
    state,
    running: isRunning,
    ...(pid !== undefined ? { pid } : {}),
    counts,
    ...(oldest && oldest.attempts ? { lastError: { id: oldest.id, ...(oldest.lastCode ? { code: oldest.lastCode } : {}), ...(oldest.lastError ? { text: oldest.lastError } : {}), attempts: oldest.attempts } } : {}),
    bounces,
    held,
    ...(config.imap ? { imap: { port: config.imap.port, ...(config.imap.implicitTlsPort !== undefined ? { implicitTlsPort: config.imap.implicitTlsPort } : {}), devices: config.devices.filter((d) => d.imap).map((d) => d.name) } } : {}),
    ...(config.pop ? { pop: { port: config.pop.port, ...(config.pop.implicitTlsPort !== undefined ? { implicitTlsPort: config.pop.implicitTlsPort } : {}), devices: config.devices.filter((d) => d.pop).map((d) => d.name) } } : {}),
    text: `MAIL-OAUTH-RELAY ${state} - ${reasons.length ? `${reasons.join('; ')}; ` : ''}${summary}`,
  };
}
