#!/usr/bin/env node
/**
 * A small mutation run (issue 24): applies one-line breakages of the product ("mutants"), one at a
 * time, to a scratch copy of this checkout and runs only the test files that claim to guard that line.
 * A mutant is KILLED when a listed test fails (or the run times out), SURVIVED when every listed test
 * still passes. Not part of `npm test` or CI: it takes minutes (each mutant is one vitest run, plus a
 * build and the listed Playwright specs when there are any and --e2e is given).
 *
 *   node scripts/mutate.mjs                 every mutant, vitest files only
 *   node scripts/mutate.mjs --e2e           also the Playwright specs listed for a mutant (needs Chromium)
 *   node scripts/mutate.mjs --only a,b      only these mutant ids
 *   node scripts/mutate.mjs --list          print the list and check that every search text is found once
 *   node scripts/mutate.mjs --no-baseline   skip the unmutated run of the listed test files
 *   node scripts/mutate.mjs --keep          keep the scratch copy (its path is printed)
 *   node scripts/mutate.mjs --rev main      mutate that commit's files instead of the working tree
 *                                           (the score before a branch's tests: `--rev main`)
 *
 * The scratch copy holds the files git knows (tracked, and untracked but not ignored) as they are in
 * the working tree now, with node_modules symlinked; the checkout itself is never modified. Before the
 * mutants, the listed vitest files are run unmutated: a file that fails there would "kill" every mutant
 * for nothing, so the run stops (unless --no-baseline). Results go to stdout and to
 * test/artifacts/mutation.json in this checkout.
 *
 * No dependency: Stryker is not installed, and its TypeScript runner re-runs far more than a 2-CPU
 * machine shared with other work can afford. Each entry below is one line changed, its search text
 * found exactly once in its file (the run refuses a mutant whose text is missing or ambiguous).
 */
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// ---------------------------------------------------------------------------------------------------
// The mutants. `tests`: vitest files (test/**.test.ts); `e2e`: Playwright specs, run only with --e2e.
// ---------------------------------------------------------------------------------------------------
const POLICY_TESTS = ['test/unit/shared/endpoint-policy.test.ts', 'test/unit/electron/cli/secret.test.ts', 'test/unit/electron/ipc/endpoint-guard.test.ts', 'test/integration/cli/endpoint-policy.test.ts', 'test/integration/ipc/repoint-secret.test.ts', 'test/integration/registration/cli.test.ts'];
const DIAG_UNIT = ['test/unit/shared/diagnosis/diagnose.test.ts', 'test/unit/shared/diagnosis/aadsts-gaps.test.ts'];

export const MUTANTS = [
  // Endpoint policy (issue 13 finding 3): each field is checked, not only the sign-in host.
  { id: 'policy-imap', what: 'endpoint policy stops checking the IMAP host', file: 'shared/endpoint-policy.ts', search: 'if (o.imap && !allowed.imap.includes(bare(o.imap)))', replace: 'if (false && o.imap && !allowed.imap.includes(bare(o.imap)))', tests: POLICY_TESTS },
  { id: 'policy-smtp', what: 'endpoint policy stops checking the SMTP host', file: 'shared/endpoint-policy.ts', search: 'if (o.smtp && !allowed.smtp.includes(bare(o.smtp)))', replace: 'if (false && o.smtp && !allowed.smtp.includes(bare(o.smtp)))', tests: POLICY_TESTS },
  { id: 'policy-graph', what: 'endpoint policy stops checking the Graph host', file: 'shared/endpoint-policy.ts', search: 'if (o.graphUrl && !allowed.graph.includes(', replace: 'if (false && o.graphUrl && !allowed.graph.includes(', tests: POLICY_TESTS },
  { id: 'policy-proxy', what: 'endpoint policy stops checking the proxy', file: 'shared/endpoint-policy.ts', search: 'if (profile.proxy) out.push(', replace: 'if (false) out.push(', tests: POLICY_TESTS },
  { id: 'policy-ca', what: 'endpoint policy stops checking extra CA certificates', file: 'shared/endpoint-policy.ts', search: "if (profile.caCerts?.length) out.push('extra CA certificates');", replace: "if (false) out.push('extra CA certificates');", tests: POLICY_TESTS },
  { id: 'policy-ipc-guard', what: 'the IPC guard lets every host through', file: 'electron/ipc/hardening-handlers.ts', search: 'if (settings.get().customEndpoints) return saved;', replace: 'if (true) return saved;', tests: POLICY_TESTS, e2e: ['test/e2e/custom-endpoints.spec.ts'] },
  { id: 'policy-cli-secret', what: 'the CLI hands the secret to any host', file: 'electron/cli/secret.ts', search: 'if (outside.length && !io.customEndpoints && io.env[ALLOW_CUSTOM_ENDPOINTS_ENV]', replace: 'if (false && outside.length && !io.customEndpoints && io.env[ALLOW_CUSTOM_ENDPOINTS_ENV]', tests: POLICY_TESTS },

  // The human-action counter (test/e2e/host/actions.ts): a line counted x3 counts 3. Its own tests are issue 19's.
  { id: 'counter-multiplicity', what: 'the human-action counter ignores multiplicity (decisions)', file: 'test/e2e/host/actions.ts', search: 'return this.log.reduce((sum, a) => sum + a.n, 0);', replace: 'return this.log.reduce((sum, a) => sum + (a.n > 0 ? 1 : 0), 0);', tests: ['test/unit/e2e-host/actions.test.ts'], e2e: ['test/e2e/register-manual.spec.ts'] },
  { id: 'counter-steps-multiplicity', what: 'the every-action count ignores multiplicity (a sign-in of 6 steps counts 1)', file: 'test/e2e/host/actions.ts', search: 'return this.log.reduce((sum, a) => sum + a.steps, 0);', replace: 'return this.log.reduce((sum, a) => sum + (a.steps > 0 ? 1 : 0), 0);', tests: ['test/unit/e2e-host/actions.test.ts'] },

  // The round trip always "skipped": engine runs and journeys must pin it as passed.
  { id: 'roundtrip-skipped', what: 'the round-trip check is always "skipped"', file: 'electron/engine/run.ts', search: 'if (!applicable.includes(id)) {', replace: "if (!applicable.includes(id) || id === 'roundtrip') {", tests: ['test/integration/engine/delegated.test.ts', 'test/integration/engine/app-only.test.ts'], e2e: ['test/e2e/journey-odoo.spec.ts'] },

  // Odoo push: a partial change writes only the changed system parameter (issue 21 owns the test).
  { id: 'odoo-push-all-params', what: 'Odoo push rewrites every system parameter', file: 'electron/engine/targets/odoo.ts', search: "if (item.action === 'create' || item.action === 'update') {\n          onProgress(`Setting system parameter", replace: 'if (true) {\n          onProgress(`Setting system parameter', tests: ['test/integration/push/odoo.test.ts', 'test/integration/targets/odoo.test.ts'] },

  // Diagnosis.
  { id: 'diag-535-5.7.139', what: '535 5.7.139 "basic authentication is disabled" falls to the generic 535', file: 'shared/diagnosis/diagnose.ts', search: "if (/5\\.7\\.139/.test(t) && /basic authentication is disabled/i.test(t)) return 'smtp-basic-auth-disabled';", replace: '', tests: DIAG_UNIT },
  { id: 'diag-5.7.57', what: '5.7.57 Client not authenticated falls to a generic code', file: 'shared/diagnosis/diagnose.ts', search: "if (/5\\.7\\.57/.test(t) || /Client not authenticated/i.test(t)) return 'smtp-client-not-authenticated';", replace: '', tests: DIAG_UNIT },
  { id: 'diag-imap-wrong-account', what: '"User is authenticated but not connected" is not recognised', file: 'shared/diagnosis/diagnose.ts', search: "if (/User is authenticated but not connected/i.test(t)) return 'imap-wrong-account';", replace: '', tests: DIAG_UNIT },
  { id: 'diag-7000215-secret-id', what: 'a pasted Secret ID is diagnosed as a plain invalid secret', file: 'shared/diagnosis/diagnose.ts', search: "return ctx.secretValue && isGuid(ctx.secretValue.trim()) ? 'aadsts-7000215-secret-id-pasted' : 'aadsts-7000215-invalid-secret';", replace: "return 'aadsts-7000215-invalid-secret';", tests: DIAG_UNIT },
  { id: 'diag-app-only-imap', what: 'app-only IMAP AUTHENTICATE failed loses its own code', file: 'shared/diagnosis/diagnose.ts', search: "return flow === 'app-only' && ev.source === 'imap' ? 'imap-app-only-not-registered' : 'imap-auth-failed';", replace: "return 'imap-auth-failed';", tests: DIAG_UNIT },

  // SASL XOAUTH2 user= (the mailbox the token is for).
  { id: 'xoauth2-user-imap', what: 'IMAP XOAUTH2 sends the wrong user=', file: 'electron/engine/checks/imap.ts', search: 'auth: { user: ctx.profile.mailbox, accessToken },', replace: "auth: { user: 'postmaster@' + ctx.profile.mailbox.split('@')[1], accessToken },", tests: ['test/integration/engine/delegated.test.ts'] },
  { id: 'xoauth2-user-smtp', what: 'SMTP XOAUTH2 sends the wrong user=', file: 'electron/engine/checks/smtp.ts', search: "auth: { type: 'OAuth2', user: ctx.profile.mailbox, accessToken },", replace: "auth: { type: 'OAuth2', user: 'postmaster@' + ctx.profile.mailbox.split('@')[1], accessToken },", tests: ['test/integration/engine/delegated.test.ts'] },

  // Validation.
  { id: 'valid-http-redirect', what: 'http:// redirect allowed for any host, not only localhost', file: 'shared/validation/validate.ts', search: 'return /^(localhost|127\\.0\\.0\\.1)$/i.test(hostname);', replace: 'return true;', tests: ['test/unit/shared/validation/validate.test.ts', 'test/unit/shared/validation/hostile-input.test.ts'] },
  { id: 'valid-secret-id-equals-client-id', what: 'Secret ID equal to the client ID no longer refused', file: 'shared/validation/validate.ts', search: 'if (secretId && clientId && secretId === clientId) add(', replace: 'if (false) add(', tests: ['test/unit/shared/validation/validate.test.ts', 'test/unit/shared/validation/hostile-input.test.ts'] },
  { id: 'valid-secret-masked', what: 'a masked secret ("abc*****") is accepted', file: 'shared/validation/validate.ts', search: "if (/^\\*+$|\\.\\.\\.|…$/.test(c.value) || /^[A-Za-z0-9~._-]{3}\\*{3,}$/.test(c.value)) add(", replace: 'if (false) add(', tests: ['test/unit/shared/validation/validate.test.ts', 'test/unit/shared/validation/hostile-input.test.ts'] },

  // Registration plan (desired registration).
  { id: 'reg-token-version', what: 'personal accounts no longer get requestedAccessTokenVersion 2', file: 'shared/registration/derive.ts', search: 'requestedAccessTokenVersion: personal ? 2 : null,', replace: 'requestedAccessTokenVersion: null,', tests: ['test/unit/shared/registration/desired.test.ts', 'test/unit/shared/registration/lint.test.ts', 'test/unit/shared/registration/checklist.test.ts'] },
  { id: 'reg-public-client', what: 'a public-only delegated app no longer allows public client flows', file: 'shared/registration/derive.ts', search: 'isFallbackPublicClient: !!hints.publicClientFlows || publicOnly,', replace: 'isFallbackPublicClient: !!hints.publicClientFlows,', tests: ['test/unit/shared/registration/desired.test.ts', 'test/unit/shared/registration/lint.test.ts', 'test/unit/shared/registration/checklist.test.ts'] },
  { id: 'reg-admin-consent-app', what: 'application permissions no longer need admin consent', file: 'shared/registration/derive.ts', search: "application: permissions.some((p) => p.type === 'application') },", replace: 'application: false },', tests: ['test/unit/shared/registration/desired.test.ts', 'test/unit/shared/registration/lint.test.ts', 'test/unit/shared/registration/checklist.test.ts', 'test/unit/shared/registration/scripts.test.ts'] },

  // Export.
  { id: 'export-html-lt', what: 'the HTML report stops escaping <', file: 'electron/engine/export/text.ts', search: ".replace(/</g, '&lt;')", replace: '', tests: ['test/unit/electron/engine/export/export.test.ts', 'test/unit/electron/engine/export/hostile-exports.test.ts'] },
  { id: 'export-sh-quote', what: "a ' in a shell-quoted value is not escaped", file: 'electron/engine/export/formats/shell.ts', search: "return `'${value.replace(/'/g, `'\\\\''`)}'`;", replace: "return `'${value}'`;", tests: ['test/unit/electron/engine/export/export.test.ts', 'test/unit/electron/engine/export/hostile-exports.test.ts'] },
  { id: 'export-env-smtp-port', what: 'the .env export writes the IMAP port as the SMTP port', file: 'electron/engine/export/formats/env.ts', search: "['MAIL_OAUTH_SMTP_PORT', String(ctx.hosts.smtp.port)],", replace: "['MAIL_OAUTH_SMTP_PORT', String(ctx.hosts.imap.port)],", tests: ['test/unit/electron/engine/export/export.test.ts', 'test/unit/electron/engine/export/hostile-exports.test.ts'] },
];

// ---------------------------------------------------------------------------------------------------

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const onlyArg = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const only = onlyArg ? new Set(onlyArg.split(',')) : undefined;
const withE2e = flag('--e2e');
const rev = args.includes('--rev') ? args[args.indexOf('--rev') + 1] : undefined;
const TIMEOUT_MS = 10 * 60_000;

const selected = MUTANTS.filter((m) => !only || only.has(m.id));
if (only) for (const id of only) if (!MUTANTS.some((m) => m.id === id)) throw new Error(`no mutant named ${id}`);

/** Checks a mutant against the files as they are: its search text found exactly once; its test files present. */
function problemOf(m, dir) {
  const file = path.join(dir, m.file);
  if (!existsSync(file)) return `${m.file} does not exist`;
  const text = readFileSync(file, 'utf8');
  const n = text.split(m.search).length - 1;
  if (n !== 1) return `search text found ${n} times in ${m.file}`;
  const missing = [...m.tests, ...(m.e2e ?? [])].filter((t) => !existsSync(path.join(dir, t)));
  if (missing.length === m.tests.length + (m.e2e?.length ?? 0)) return `none of its test files exists (${missing.join(', ')})`;
  return null;
}
const present = (m, dir) => m.tests.filter((t) => existsSync(path.join(dir, t)));
const presentE2e = (m, dir) => (m.e2e ?? []).filter((t) => existsSync(path.join(dir, t)));

if (flag('--list')) {
  for (const m of selected) {
    const p = problemOf(m, root);
    console.log(`${p ? 'BAD ' : 'ok  '} ${m.id.padEnd(34)} ${m.what}${p ? `\n       ${p}` : ''}\n       tests: ${present(m, root).join(' ') || '-'}${m.e2e ? `\n       e2e:   ${presentE2e(m, root).join(' ')}` : ''}`);
  }
  process.exit(0);
}

function run(cmd, argv, cwd, timeoutMs = TIMEOUT_MS) {
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { cwd, env: { ...process.env, CI: '' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, timedOut, out });
    });
  });
}

/** The first failing test names in a vitest / Playwright output, for the report. */
function failures(out) {
  const lines = out.split('\n').map((l) => l.replace(/\x1b\[[0-9;]*m/g, ''));
  const hits = lines.filter((l) => /^\s*(FAIL|×|✘|\d+\) )/.test(l) || /^\s+[✗×]\s/.test(l)).map((l) => l.trim());
  return [...new Set(hits)].slice(0, 4);
}

// The scratch copy.
const scratch = mkdtempSync(path.join(os.tmpdir(), 'moa-mutate-'));
if (rev) {
  execFileSync('sh', ['-c', `git archive --format=tar "$1" | tar -x -C "$2"`, 'sh', rev, scratch], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  console.log(`scratch copy: ${scratch} (git archive ${rev})`);
} else {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f && f !== 'node_modules' && !f.startsWith('node_modules/'));
  for (const f of files) {
    const from = path.join(root, f);
    if (!existsSync(from)) continue; // deleted in the working tree
    mkdirSync(path.dirname(path.join(scratch, f)), { recursive: true });
    cpSync(from, path.join(scratch, f));
  }
  console.log(`scratch copy: ${scratch} (${files.length} files from the working tree)`);
}
symlinkSync(realpathSync(path.join(root, 'node_modules')), path.join(scratch, 'node_modules'));

// Long time bounds: on a shared 2-CPU machine an emulator-backed test can take several times its usual
// time; a mutant that hangs is still caught by TIMEOUT_MS (and counted as killed, by timeout).
const vitest = (files) => run('nice', ['-n', '10', 'npx', 'vitest', 'run', '--bail', '1', '--reporter', 'dot', '--testTimeout', '120000', '--hookTimeout', '180000', ...files], scratch);
const playwright = (specs) => run('nice', ['-n', '10', 'npx', 'playwright', 'test', '--max-failures', '1', '--reporter', 'line', ...specs], scratch);
const build = () => run('nice', ['-n', '10', 'npm', 'run', '--silent', 'build'], scratch);

const results = [];
try {
  if (!flag('--no-baseline')) {
    const union = [...new Set(selected.flatMap((m) => present(m, scratch)))];
    console.log(`baseline: ${union.length} vitest files, unmutated…`);
    const b = await vitest(union);
    if (b.code !== 0) {
      console.error(`The unmutated code fails its own tests; a mutant would be "killed" for nothing. Fix these first:\n${b.out.slice(-4000)}`);
      process.exit(2);
    }
    if (withE2e && selected.some((m) => presentE2e(m, scratch).length)) {
      const bb = await build();
      if (bb.code !== 0) throw new Error(`build failed on the unmutated code:\n${bb.out.slice(-2000)}`);
      const specs = [...new Set(selected.flatMap((m) => presentE2e(m, scratch)))];
      console.log(`baseline: ${specs.length} Playwright specs, unmutated…`);
      const pb = await playwright(specs);
      if (pb.code !== 0) {
        console.error(`The unmutated code fails these specs; fix them first:\n${pb.out.slice(-4000)}`);
        process.exit(2);
      }
    }
  }

  for (const m of selected) {
    const t0 = Date.now();
    const problem = problemOf(m, scratch);
    if (problem) {
      results.push({ id: m.id, what: m.what, status: 'invalid', detail: problem, seconds: 0 });
      console.log(`INVALID   ${m.id}: ${problem}`);
      continue;
    }
    const file = path.join(scratch, m.file);
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace(m.search, () => m.replace));
    let status = 'survived';
    let by = '';
    let detail = [];
    const verdict = (st, b, d = []) => {
      status = st;
      by = b;
      detail = d;
    };
    try {
      const tests = present(m, scratch);
      const v = tests.length ? await vitest(tests) : { code: 0, timedOut: false, out: '' };
      if (v.timedOut) verdict('killed', 'timeout (vitest)');
      // A run that never reached a test summary (a module missing, a crash at start) proves nothing.
      else if (v.code !== 0 && !/Test Files .*failed|Failed Tests \d+|\bFAIL\b/.test(v.out.replace(/\x1b\[[0-9;]*m/g, ''))) verdict('error', 'vitest did not run', [v.out.slice(-300)]);
      else if (v.code !== 0) verdict('killed', 'vitest', failures(v.out));
      const specs = presentE2e(m, scratch);
      if (status === 'survived' && withE2e && specs.length) {
        const bb = await build();
        if (bb.code !== 0) verdict('killed', 'build');
        else {
          const p = await playwright(specs);
          if (p.timedOut) verdict('killed', 'timeout (playwright)');
          else if (p.code !== 0 && !/\d+ failed/.test(p.out)) verdict('error', 'playwright did not run', [p.out.slice(-300)]);
          else if (p.code !== 0) verdict('killed', 'playwright', failures(p.out));
        }
      }
    } finally {
      writeFileSync(file, original);
    }
    const seconds = Math.round((Date.now() - t0) / 1000);
    results.push({ id: m.id, what: m.what, status, by, detail, seconds, tests: present(m, scratch), e2e: withE2e ? presentE2e(m, scratch) : [] });
    console.log(`${status.toUpperCase().padEnd(9)} ${m.id.padEnd(34)} ${String(seconds).padStart(4)} s  ${by}${detail.length ? `\n            ${detail.join('\n            ')}` : ''}`);
  }
} finally {
  if (!flag('--keep')) rmSync(scratch, { recursive: true, force: true });
}

const valid = results.filter((r) => r.status === 'killed' || r.status === 'survived');
const errors = results.filter((r) => r.status === 'error').length;
if (errors) console.log(`\n${errors} mutant(s) could not be judged (the test run itself broke): see "error" above; they are left out of the score.`);
const killed = valid.filter((r) => r.status === 'killed').length;
console.log('\nmutant                              result    what');
for (const r of results) console.log(`${r.id.padEnd(35)} ${r.status.padEnd(9)} ${r.what}`);
const score = valid.length ? Math.round((1000 * killed) / valid.length) / 10 : 0;
console.log(`\nmutation score: ${killed}/${valid.length} killed (${score}%)${results.length > valid.length ? `, ${results.length - valid.length} invalid or not judged` : ''}${withE2e ? '' : ' — vitest files only (add --e2e for the listed Playwright specs)'}`);
mkdirSync(path.join(root, 'test/artifacts'), { recursive: true });
writeFileSync(path.join(root, 'test/artifacts/mutation.json'), `${JSON.stringify({ at: new Date().toISOString(), e2e: withE2e, killed, total: valid.length, score, results }, null, 2)}\n`);
