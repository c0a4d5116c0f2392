/**
 * Registration benchmark (npm run bench:register): for each catalogue entry, the Graph requests and
 * the wall time `register` needs to create the registration from nothing against the emulator's Graph
 * (Graph requests = HTTP requests on the wire: a JSON `$batch` counts once, however many it carries;
 * "logical" = the requests inside, issue 23)
 * directory (no replication lag; plan + apply + read back + lint), next to the portal actions the
 * manual checklist asks for. Medians of RUNS runs (each run registers a fresh app).
 *
 * Portal actions are counted from the catalogue's own checklist steps done in the Entra admin center
 * (`where: 'entra'`): each action verb of a step's text (open, choose, click, tick, set, pick, paste,
 * copy, answer, select, type, add, enter, fill, keep, note) is one action; Flectra's checklist gives 32,
 * the "about 30 portal actions". Also printed: the portal labels to find (**bold** labels + Copy
 * values), an upper bound. The admin sign-in is done once, before timing, and not counted.
 */
import { MemoryVault } from '../electron/engine';
import { registerRegistration } from '../electron/engine/registration';
import { checklist } from '../shared/catalogue';
import { closeBrowser } from '../test/integration/helpers/authWindow';
import { adminSession, CASES, GLOBAL_ADMIN, profileFor, startRegistrationEmulator } from '../test/integration/registration/harness';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const ACTION_VERBS = /\b(open|choose|click|tick|set|pick|paste|copy|answer|select|type|add|enter|fill|keep|note)\b/gi;

/** Actions (verbs) and labels to find (bold labels + Copy values) of the checklist's Entra steps. */
export function portalActions(target: string, profile: Parameters<typeof checklist>[1]): { steps: number; actions: number; labels: number } {
  const entra = checklist(target, profile).filter((s) => s.where === 'entra');
  const actions = entra.reduce((n, s) => n + (s.body.match(ACTION_VERBS)?.length ?? 0), 0);
  const labels = entra.reduce((n, s) => n + (s.body.match(/\*\*[^*]+\*\*/g)?.length ?? 0) + s.copy.length, 0);
  return { steps: entra.length, actions, labels };
}


const emu = await startRegistrationEmulator();
try {
  let requests = 0;
  let logical = 0;
  const admin = await adminSession(emu, GLOBAL_ADMIN, 'write', {
    onRequest: (r) => {
      if (!r.inBatch) requests++; // on the wire: a lone request or a $batch envelope
      if (r.batchSize === undefined) logical++; // a request, alone or inside a batch
    },
  });
  const rows: string[] = [];
  rows.push(`${'target'.padEnd(20)} ${'Graph req'.padStart(9)} ${'logical'.padStart(7)} ${'wall ms'.padStart(8)} ${'changes'.padStart(7)}   ${'portal steps'.padStart(12)} ${'portal actions'.padStart(14)} ${'labels to find'.padStart(14)}`);
  let run = 0;
  for (const c of CASES) {
    const reqs: number[] = [];
    const logicals: number[] = [];
    const walls: number[] = [];
    let changes = 0;
    const base = profileFor(emu, c);
    for (let i = 0; i < RUNS; i++) {
      const displayName = `bench ${c.target} ${++run}`;
      requests = 0;
      logical = 0;
      const t0 = performance.now();
      const r = await registerRegistration(admin, base, { vault: new MemoryVault(), desired: { displayName } });
      walls.push(performance.now() - t0);
      reqs.push(requests);
      logicals.push(logical);
      if (r.notDone.length) throw new Error(`${c.target}: not done: ${r.notDone.map((x) => x.code).join(', ')}`);
      changes = r.applied.length;
    }
    const portal = portalActions(c.target, base);
    rows.push(`${c.target.padEnd(20)} ${String(median(reqs)).padStart(9)} ${String(median(logicals)).padStart(7)} ${median(walls).toFixed(0).padStart(8)} ${String(changes).padStart(7)}   ${String(portal.steps).padStart(12)} ${String(portal.actions).padStart(14)} ${String(portal.labels).padStart(14)}`);
  }
  process.stdout.write(`Registration from nothing against the emulator (no lag), medians of ${RUNS} runs; admin sign-in not counted.\n${rows.join('\n')}\n`);
  process.stdout.write('Portal actions: action verbs (open, choose, click, tick, paste, copy, ...) in the checklist steps done in the Entra admin center; labels to find: bold portal labels + Copy values (an upper bound).\n');
} finally {
  await closeBrowser();
  await emu.stop();
}
