import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { launchBrowser, type Person } from './authWindow';

const ROOT = path.resolve(__dirname, '../../..');
/** The CLI as users run it: the bundle scripts/build-node.mjs writes (package.json "bin"). */
export const CLI_BUNDLE = path.join(ROOT, 'dist/cli/mail-oauth.cjs');

/** One run of the CLI: exit code, both streams, and stdout parsed as JSON when it is JSON. */
export interface CliRun {
  exit: number | null;
  stdout: string;
  stderr: string;
  json: Record<string, unknown> | undefined;
}

export interface CliOptions {
  /** The whole environment of the run (nothing inherited but PATH, and HOME = cwd for a child). */
  env?: Record<string, string>;
  /** Text on stdin (then end of input); without it there is no input. Never a TTY. */
  stdin?: string;
  /** When the CLI prints a device code, this person completes it on the emulator's /devicelogin page. */
  person?: Person;
}

/** Rebuilds the bundle when any source it bundles (CLI, engine, shared) is newer than it. */
export async function ensureCliBundle(): Promise<void> {
  const newestSource = Math.max(
    ...['electron/cli', 'electron/engine', 'shared'].flatMap((d) =>
      readdirSync(path.join(ROOT, d), { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('.ts'))
        .map((f) => statSync(path.join(ROOT, d, f)).mtimeMs),
    ),
  );
  if (!existsSync(CLI_BUNDLE) || statSync(CLI_BUNDLE).mtimeMs < newestSource) {
    await new Promise<void>((resolve, reject) => execFile(process.execPath, ['scripts/build-node.mjs'], { cwd: ROOT }, (e) => (e ? reject(e) : resolve())));
  }
}

/** Watches stderr as it grows; when a device code shows, `person` completes it (once). */
function deviceCodeWatcher(person: Person | undefined) {
  let completing: Promise<void> | undefined;
  return {
    seen(stderr: string) {
      const m = /(https:\/\/\S+\/devicelogin)\S* and enter the code (\S+) /.exec(stderr);
      if (m && person && !completing) completing = completeDeviceCode(m[1]!, m[2]!, person);
    },
    done: () => completing,
  };
}

function result(exit: number | null, stdout: string, stderr: string): CliRun {
  let json: CliRun['json'];
  try {
    json = JSON.parse(stdout) as CliRun['json'];
  } catch {
    json = undefined;
  }
  return { exit, stdout, stderr, json };
}

/**
 * The built bundle in a child process in `cwd` (HOME = cwd, only PATH inherited): real argv, real exit
 * code, the process's own stdin/stdout/stderr. For what only a process shows (exit codes as a shell sees
 * them, what lands in argv, files left behind); everything else runs faster with runCliInProcess.
 */
export function runCli(args: string[], o: CliOptions & { cwd: string }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BUNDLE, ...args], { cwd: o.cwd, env: { PATH: process.env.PATH ?? '', HOME: o.cwd, ...(o.env ?? {}) }, stdio: [o.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const device = deviceCodeWatcher(o.person);
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
      device.seen(stderr);
    });
    child.stdin?.end(o.stdin);
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', async (exit) => {
      clearTimeout(timer);
      await device.done();
      resolve(result(exit, stdout, stderr));
    });
  });
}

/**
 * The same CLI in this process: its main() with the streams captured (not TTYs), stdin closed or given
 * text, and exactly `env` as its environment (main reads no other). Relative paths resolve against this
 * process's directory, so callers pass absolute ones. About a second cheaper per run than a child
 * (no Node start, no bundle load), which matters for the many parsing, output and exit-code cases.
 */
export async function runCliInProcess(args: string[], o: CliOptions = {}): Promise<CliRun> {
  const { main } = await import('../../../electron/cli/main');
  let stdout = '';
  let stderr = '';
  const device = deviceCodeWatcher(o.person);
  const sink = (add: (s: string) => void) => Object.assign(new Writable({ write(c, _e, cb) { add(String(c)); cb(); } }), { isTTY: false }) as unknown as NodeJS.WriteStream;
  const stdin = Object.assign(Readable.from(o.stdin === undefined ? [] : [o.stdin]), { isTTY: false }) as unknown as NodeJS.ReadStream;
  const exit = await main(args, {
    stdout: sink((x) => (stdout += x)),
    stderr: sink((x) => {
      stderr += x;
      device.seen(stderr);
    }),
    stdin,
    env: { ...(o.env ?? {}) },
  });
  await device.done();
  return result(exit, stdout, stderr);
}

/** The device-code sign-in in the emulator's pages: code, account, password, consent when asked. */
export async function completeDeviceCode(url: string, code: string, person: Person): Promise<void> {
  const b = await launchBrowser();
  const ctx = await b.newContext({ ignoreHTTPSErrors: true });
  try {
    const page = await ctx.newPage();
    await page.goto(url);
    await page.fill('#otc', code);
    await page.click('#idSIButton9');
    await page.fill('#i0116', person.upn);
    await page.click('#idSIButton9');
    await page.fill('#i0118', person.password);
    await page.click('#idSIButton9');
    await page.waitForSelector('#deviceDone, #idBtn_Accept');
    if (await page.locator('#idBtn_Accept').count()) await page.click('#idBtn_Accept');
    await page.waitForSelector('#deviceDone');
  } finally {
    await ctx.close();
  }
}
