// Prints the test counts of every tier from the runners' JSON reports, and one closing line
// "N passed, N failed, N skipped". Skipped tests are listed with their reason and never counted as passed.
import { existsSync, readFileSync } from 'node:fs';

const tiers = [];
let missing = false;

if (existsSync('test/artifacts/vitest-results.json')) {
  const v = JSON.parse(readFileSync('test/artifacts/vitest-results.json', 'utf8'));
  const byTier = {};
  for (const file of v.testResults ?? []) {
    const tier = (file.name.match(/\/test\/([^/]+)\//) ?? [])[1] ?? 'other';
    const t = (byTier[tier] ??= { name: tier, passed: 0, failed: 0, skipped: 0, skips: [] });
    for (const a of file.assertionResults ?? []) {
      if (a.status === 'passed') t.passed++;
      else if (a.status === 'failed') t.failed++;
      else { t.skipped++; t.skips.push(a.fullName); }
    }
    if ((file.assertionResults ?? []).length === 0 && file.status === 'failed') t.failed++;
  }
  tiers.push(...Object.values(byTier));
} else missing = true;

if (existsSync('test/artifacts/playwright-results.json')) {
  const p = JSON.parse(readFileSync('test/artifacts/playwright-results.json', 'utf8'));
  const byProject = {};
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        const tier = (byProject[t.projectName] ??= { name: t.projectName, passed: 0, failed: 0, skipped: 0, skips: [] });
        const last = t.results?.at(-1);
        if (t.status === 'skipped' || last?.status === 'skipped') {
          tier.skipped++;
          const reason = t.annotations?.find((a) => a.type === 'skip')?.description ?? 'skipped';
          tier.skips.push(`${spec.title}: ${reason}`);
        } else if (t.status === 'expected') tier.passed++;
        else tier.failed++;
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const s of p.suites ?? []) walk(s);
  tiers.push(...Object.values(byProject));
} else missing = true;

let passed = 0, failed = 0, skipped = 0;
for (const t of tiers) {
  console.log(`${t.name.padEnd(12)} ${String(t.passed).padStart(4)} passed  ${String(t.failed).padStart(3)} failed  ${String(t.skipped).padStart(3)} skipped`);
  for (const s of t.skips) console.log(`             - ${s}`);
  passed += t.passed; failed += t.failed; skipped += t.skipped;
}
if (missing) console.log('(a runner wrote no report: it did not run)');
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || missing || passed === 0 ? 1 : 0);
