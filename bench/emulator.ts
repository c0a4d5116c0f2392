/**
 * Emulator start-up time (npm run bench:emulator): Entra, Graph, Dovecot and SMTP up and answering,
 * then stopped; medians of RUNS runs. Target: under 2 s to start (tests start one per file).
 */
import { startEmulator } from '../test/emulator/index';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const starts: number[] = [];
const stops: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t = performance.now();
  const emu = await startEmulator();
  starts.push(performance.now() - t);
  const s = performance.now();
  await emu.stop();
  stops.push(performance.now() - s);
}
const stat = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0]!, median: s[Math.floor(s.length / 2)]!, max: s.at(-1)! };
};
const f = (n: number) => `${n.toFixed(0).padStart(6)} ms`;
const a = stat(starts);
const b = stat(stops);
console.log(`emulator start  min ${f(a.min)}  median ${f(a.median)}  max ${f(a.max)}  target < 2000 ms: ${a.median < 2000 ? 'PASS' : 'MISS'}`);
console.log(`emulator stop   min ${f(b.min)}  median ${f(b.median)}  max ${f(b.max)}`);
