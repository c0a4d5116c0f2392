import { spawn } from 'node:child_process';
import { launchBrowser, type Person } from './authWindow';

/** One run of the built CLI: exit code, both streams, and stdout parsed as JSON when it is JSON. */
export interface CliRun {
  exit: number | null;
  stdout: string;
  stderr: string;
  json: Record<string, unknown> | undefined;
}

/**
 * Runs the built CLI bundle in `cwd` (HOME = cwd, only PATH inherited, no stdin); when it prints a device
 * code, `person` completes it on the emulator's /devicelogin page, as a person in a browser would.
 */
export function runCli(bundle: string, args: string[], o: { cwd: string; person?: Person; env?: Record<string, string> }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, ...args], { cwd: o.cwd, env: { PATH: process.env.PATH ?? '', HOME: o.cwd, ...(o.env ?? {}) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let completing: Promise<void> | undefined;
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      const m = /(https:\/\/\S+\/devicelogin)\S* and enter the code (\S+) /.exec(stderr);
      if (m && o.person && !completing) completing = completeDeviceCode(m[1]!, m[2]!, o.person);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', async (exit) => {
      clearTimeout(timer);
      await completing;
      let json: CliRun['json'];
      try {
        json = JSON.parse(stdout) as CliRun['json'];
      } catch {
        json = undefined;
      }
      resolve({ exit, stdout, stderr, json });
    });
  });
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
