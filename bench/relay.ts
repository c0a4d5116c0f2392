/**
 * The relay against direct XOAUTH2 submission to the same emulator SMTP, in one run (npm run bench:relay).
 *
 *  direct: 10 concurrent senders, each message on a new connection (STARTTLS + AUTH XOAUTH2), 10 KB,
 *          latency = submit start -> the emulator's 250 (the message is in the mailbox).
 *  relay:  10 concurrent devices (AUTH PLAIN after STARTTLS, new connection per message, 10 KB) to the
 *          relay (the built CLI in a child process), which spools (fsync) and sends on with XOAUTH2.
 *          end-to-end latency = submit start -> the emulator's 250 to the relay (its "delivered" record's answeredAt);
 *          it includes the device's own connection, STARTTLS and AUTH to the relay, exactly as direct includes
 *          its connection to the emulator; the relay's upstream connection is whatever the relay does (since
 *          issue 22's latency work: kept warm, opened ahead at start and before a connection retires; the
 *          count of upstream connections opened, and of those a message had to wait for, is printed below).
 *          added latency = relay end-to-end minus direct, per percentile (p50 minus p50, p99 minus p99).
 *          ack latency = submit start -> the relay's 250 to the device (the message is durable in the spool).
 *  upstream: the relay's own time per message from the start of its attempt to Microsoft's 250 (its "delivered"
 *          record's ms): waiting for an upstream connection, the SMTP transaction, the spool mark before the end
 *          of DATA. A message that had to wait for a connection setup shows it here first.
 *  cpu:    the relay process's CPU time (user + system, /proc/<pid>/stat) over the rounds, per message: on a
 *          loaded machine latency figures inflate with the load, CPU per message much less.
 *  memory: 100 device connections open at once (each authenticated, each sending one 10 KB message and
 *          staying connected); the relay's resident memory (VmRSS) and peak (VmHWM) from /proc.
 *  The two alternate in rounds (direct, relay, direct, relay...; BENCH_ROUNDS, default 5) so that the load
 *  of a shared machine falls on both alike; one warm-up message each way first.
 *  BENCH_CONNECT_LATENCY_MS (default 0): the emulator delays each new SMTP connection's greeting by this much,
 *          for direct and relay alike, to stand in for a connection to Microsoft (TCP + TLS + AUTH: 190-260 ms
 *          measured). Direct pays it on every message (a device opens a connection per message); the relay
 *          pays it wherever it opens an upstream connection.
 * Goals (issue 22): added p99 <= 50 ms, >= 50 messages/s on 2 cores, <= 150 MB.
 * Pacing (30 messages a minute per mailbox) is off for this run: with it, one mailbox cannot exceed 0.5/s.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { startEmulator } from '../test/emulator/index';
import { DAEMON, DAEMON_SECRET, TENANT } from '../test/integration/helpers/fixtures';
import { hashPassword } from '../electron/engine/relay/config';

const root = path.resolve(import.meta.dirname, '..');
const DEVICES = 10;
const PER_DEVICE = Number(process.env.BENCH_MESSAGES ?? 30);
const CONNECTIONS = 100;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const UPSTREAM = Number(process.env.BENCH_UPSTREAM ?? 10);
const SENDER = 'info@fabrikam.com';
const body = `${'The quick brown fox jumps over the lazy dog. 0123456789 '.repeat(180)}`.slice(0, 10 * 1024);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};

console.log(`relay upstream connections: ${UPSTREAM} (all mailboxes and for the one mailbox here); rounds: ${ROUNDS}`);
console.log(`machine: ${cpus().length} CPU(s), load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} (shared with other work: figures are pessimistic)`);
execFileSync(process.execPath, ['scripts/build-node.mjs'], { cwd: root, stdio: 'inherit' });
const emu = await startEmulator();
const CONNECT_LATENCY = Number(process.env.BENCH_CONNECT_LATENCY_MS ?? 0);
if (CONNECT_LATENCY) await emu.admin.setFault('latencyMs', { login: 0, graph: 0, smtp: CONNECT_LATENCY, imap: 0 });
console.log(`upstream connection latency added by the emulator: ${CONNECT_LATENCY} ms per new SMTP connection (BENCH_CONNECT_LATENCY_MS)`);
const app = emu.scenario.apps.find((a) => a.clientId === DAEMON)!;
emu.admin.exchangeRegisterServicePrincipal({ appId: DAEMON, objectId: app.servicePrincipalId, mailbox: SENDER, access: ['FullAccess', 'SendAs'] });

// ---- direct XOAUTH2 submission ----
const token = emu.admin.issueToken({ clientId: DAEMON, roles: ['SMTP.SendAsApp'] });
async function direct(i: number, n: number): Promise<number> {
  const t = nodemailer.createTransport({ host: emu.smtp.host, port: emu.smtp.port, secure: false, requireTLS: true, tls: { ca: emu.caPem, servername: 'localhost' }, auth: { type: 'OAuth2', user: SENDER, accessToken: token } });
  const start = performance.now();
  await t.sendMail({ from: SENDER, to: SENDER, subject: `direct ${i}-${n}`, text: body });
  t.close();
  return performance.now() - start;
}

// ---- the relay ----
const dir = mkdtempSync(path.join(tmpdir(), 'bench-relay-'));
const profile = path.join(dir, 'profile.json');
writeFileSync(profile, JSON.stringify({ name: 'bench', target: 'generic', tenant: TENANT, clientId: DAEMON, clientSecret: { source: 'env', name: 'MAIL_OAUTH_SECRET' }, mailbox: SENDER, flow: 'app-only', api: 'imap-smtp', endpoints: { signInHost: emu.loginHost, imap: `${emu.imap.host}:${emu.imap.port}`, smtp: `${emu.smtp.host}:${emu.smtp.port}`, graphUrl: emu.graphUrl }, caCerts: [emu.caPath] }));
const passwords = Array.from({ length: DEVICES }, (_, i) => `bench-device-password-${i}`);
const devices = await Promise.all(passwords.map(async (p, i) => ({ name: `device${i}`, passwordHash: await hashPassword(p), senders: [SENDER] })));
const config = path.join(dir, 'relay.json');
// Ten devices on one mailbox stand in for ten devices on ten mailboxes (the relay's pacing is per mailbox
// and off here), so the one mailbox may use up to UPSTREAM connections (default 3 per mailbox, 10 in all).
writeFileSync(config, JSON.stringify({ listen: { host: '127.0.0.1', port: 0 }, spool: 'spool', devices, limits: { messagesPerMinutePerMailbox: 0, upstreamConcurrency: UPSTREAM, connectionsPerMailbox: UPSTREAM } }));
const child = spawn(process.execPath, [path.join(root, 'dist/cli/mail-oauth.cjs'), 'relay', profile, '--config', config], { env: { PATH: process.env.PATH ?? '', MAIL_OAUTH_SECRET: DAEMON_SECRET, MAIL_OAUTH_ALLOW_CUSTOM_ENDPOINTS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
const deliveredAt = new Map<string, number>();
let errBuf = '';
const upstreamMs = new Map<string, number>();
let upstreamStats: Record<string, { opened: number; openedForWaiting: number; queued: number; retriedOnFresh: number; retired: number; closedIdle: number }> | undefined;
const epochOffset = Date.now() - performance.now();
const relayLog: string[] = [];
child.stderr.on('data', (c: Buffer) => {
  errBuf += c.toString();
  if (process.env.BENCH_RELAY_LOG) relayLog.push(c.toString());
  let nl: number;
  while ((nl = errBuf.indexOf('\n')) >= 0) {
    const line = errBuf.slice(0, nl);
    errBuf = errBuf.slice(nl + 1);
    try {
      const r = JSON.parse(line) as { event: string; id?: string; ts: string; answeredAt?: string; ms?: number; upstream?: typeof upstreamStats };
      if (r.event === 'delivered' && r.id && typeof r.ms === 'number') upstreamMs.set(r.id, r.ms);
      if (r.event === 'stopped') upstreamStats = r.upstream;
      // answeredAt: when the emulator's 250 reached the relay (the same end point as a direct submission)
      if (r.event === 'delivered' && r.id) deliveredAt.set(r.id, Date.parse(r.answeredAt ?? r.ts) - epochOffset);
    } catch {
      /* not a log record */
    }
  }
});
const port = await new Promise<number>((resolve, reject) => {
  child.stdout.once('data', (c: Buffer) => resolve((JSON.parse(c.toString().split('\n')[0]!) as { submission: number }).submission));
  child.once('exit', (code) => reject(new Error(`relay exited ${code}`)));
});
const deviceTransport = (i: number) => nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, requireTLS: true, tls: { rejectUnauthorized: false }, auth: { user: `device${i}`, pass: passwords[i]! } });
// one warm-up login per device (the relay verifies a password with scrypt once, then remembers it for the process)
await Promise.all(passwords.map(async (_, i) => { const t = deviceTransport(i); await t.verify(); t.close(); }));
// and one warm-up message each way (token, upstream pool, TLS session caches)
await direct(0, -1);
{
  const t = deviceTransport(0);
  await t.sendMail({ from: SENDER, to: SENDER, subject: 'warm-up', text: body });
  t.close();
}

// ---- rounds: direct and relay alternate, so the load of a shared machine falls on both alike ----
const directLat: number[] = [];
const submitted: { id: string; start: number; ack: number }[] = [];
let directMs = 0;
let relayMs = 0;
const perRound = Math.ceil(PER_DEVICE / ROUNDS);
// utime + stime of the relay process, in clock ticks (100 a second on Linux)
const cpuTicks = () => readFileSync(`/proc/${child.pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ').slice(11, 13).reduce((a, x) => a + Number(x), 0);
const cpu0 = cpuTicks();
for (let round = 0; round < ROUNDS; round++) {
  const d0 = performance.now();
  await Promise.all(Array.from({ length: DEVICES }, async (_, i) => {
    for (let n = 0; n < perRound; n++) directLat.push(await direct(i, round * perRound + n));
  }));
  directMs += performance.now() - d0;
  const r0 = performance.now();
  const mine: typeof submitted = [];
  await Promise.all(Array.from({ length: DEVICES }, async (_, i) => {
    for (let n = 0; n < perRound; n++) {
      const t = deviceTransport(i);
      const start = performance.now();
      const info = await t.sendMail({ from: SENDER, to: SENDER, subject: `relay ${i}-${round * perRound + n}`, text: body });
      const ack = performance.now();
      t.close();
      const id = /Queued as (\S+)/.exec(info.response)?.[1];
      if (!id) throw new Error(`unexpected answer ${info.response}`);
      mine.push({ id, start, ack });
    }
  }));
  const until = Date.now() + 120_000;
  while (mine.some((s) => !deliveredAt.has(s.id)) && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
  relayMs += Math.max(...mine.map((s) => deliveredAt.get(s.id) ?? performance.now())) - r0;
  submitted.push(...mine);
}
const directSecs = directMs / 1000;
const missing = submitted.filter((s) => !deliveredAt.has(s.id)).length;
const relaySecs = relayMs / 1000;
const e2e = submitted.filter((s) => deliveredAt.has(s.id)).map((s) => deliveredAt.get(s.id)! - s.start);
const ackLat = submitted.map((s) => s.ack - s.start);
const cpuMsPerMessage = ((cpuTicks() - cpu0) * 10) / submitted.length;
const upLat = submitted.filter((s) => upstreamMs.has(s.id)).map((s) => upstreamMs.get(s.id)!);

// ---- memory at 100 concurrent connections ----
const vm = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const rssBefore = vm('VmRSS');
const open = Array.from({ length: CONNECTIONS }, (_, i) => nodemailer.createTransport({ pool: true, maxConnections: 1, host: '127.0.0.1', port, secure: false, requireTLS: true, tls: { rejectUnauthorized: false }, auth: { user: `device${i % DEVICES}`, pass: passwords[i % DEVICES]! } }));
await Promise.all(open.map((t, i) => t.sendMail({ from: SENDER, to: SENDER, subject: `held connection ${i}`, text: body })));
const rssAt100 = vm('VmRSS');
const peak = vm('VmHWM');
for (const t of open) t.close();

const n = (x: number) => x.toFixed(1);
const added50 = pct(e2e, 50) - pct(directLat, 50);
const added99 = pct(e2e, 99) - pct(directLat, 99);
const msgsPerSec = submitted.length / relaySecs;
const loadAfter = loadavg().map((x) => x.toFixed(2)).join(' ');
const result = {
  loadAverageAfter: loadAfter,
  messages: { direct: directLat.length, relay: submitted.length, notDelivered: missing },
  direct: { perSecond: +(directLat.length / directSecs).toFixed(1), p50: +n(pct(directLat, 50)), p99: +n(pct(directLat, 99)) },
  relay: { perSecond: +msgsPerSec.toFixed(1), ackP50: +n(pct(ackLat, 50)), ackP99: +n(pct(ackLat, 99)), endToEndP50: +n(pct(e2e, 50)), endToEndP99: +n(pct(e2e, 99)) },
  addedLatencyMs: { p50: +n(added50), p99: +n(added99) },
  relayUpstreamMs: { p50: +n(pct(upLat, 50)), p99: +n(pct(upLat, 99)), max: +n(Math.max(...upLat)) },
  relayCpuMsPerMessage: +n(cpuMsPerMessage),
  memoryMB: { afterRun: +n(rssBefore), at100Connections: +n(rssAt100), peak: +n(peak) },
};
console.log(JSON.stringify(result, null, 2));
console.log(`through the relay ${n(msgsPerSec)} messages/s (goal >= 50: ${msgsPerSec >= 50 ? 'MET' : 'MISSED'}); direct ${n(result.direct.perSecond)}/s`);
console.log(`added latency p50 ${n(added50)} ms, p99 ${n(added99)} ms (goal p99 <= 50: ${added99 <= 50 ? 'MET' : 'MISSED'})`);
console.log(`relay upstream time per message (attempt start -> Microsoft's 250) p50 ${n(result.relayUpstreamMs.p50)} ms, p99 ${n(result.relayUpstreamMs.p99)} ms, max ${n(result.relayUpstreamMs.max)} ms; relay CPU ${n(cpuMsPerMessage)} ms per message`);
console.log(`relay memory with ${CONNECTIONS} connections ${n(rssAt100)} MB, peak ${n(peak)} MB (goal <= 150: ${peak <= 150 ? 'MET' : 'MISSED'})`);
if (process.env.BENCH_RELAY_LOG) writeFileSync(process.env.BENCH_RELAY_LOG, relayLog.join(''));
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
// the relay's own count (its "stopped" record): upstream connections opened in the whole run, and how many of
// them were opened for a message that found none idle (it paid a connection setup), and messages queued
// because every connection was busy or still opening (they waited for one to be free or ready)
for (const [mailbox, u] of Object.entries(upstreamStats ?? {})) console.log(`relay upstream connections for ${mailbox}: ${u.opened} opened, ${u.openedForWaiting} opened while a message waited, ${u.queued} message(s) queued for a busy/opening connection, ${u.retriedOnFresh} retried on a new connection, ${u.retired} retired, ${u.closedIdle} closed idle`);
if (!upstreamStats) console.log('relay upstream connections: not reported (a relay from before the warm pool)');
await emu.stop();
