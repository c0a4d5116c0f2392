/**
 * `mail-oauth push` as scripts run it (a child process, real exit codes) against the EmailEngine
 * stand-in: the JSON keeps its diagnosis codes and carries no secret; a second push with the same
 * secret writes nothing (the salted fingerprint file outlives the run); "configured except the
 * sign-in" exits 3, a failure 1.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index';
import { startEmailEngine, type EmailEngineStandIn } from '../../standins/emailengine';
import { microsoftFrom } from '../../standins/microsoft';
import { profileFile, registration, SECRET_ENV, secretOf, spawnCli, startTarget, TENANT, wizardProfile } from '../targets/helpers';

const IMAP_APP = '7a3e0c11-0014-4b5c-8d6e-000000000014';
const API_TOKEN = 'ee-cli-token-0123456789abcdef0123456789abcdef0123456789abcdef';
const wizard = { target: 'emailengine', name: 'Fabrikam - EmailEngine CLI', targetInputs: { baseUrl: 'https://emailengine.fabrikam.com', baseScope: 'imap', audience: 'single' }, tenant: TENANT, clientId: IMAP_APP, mailbox: 'support@fabrikam.com' };

let emu: Emulator;
let ee: EmailEngineStandIn;
let secret: string;
let file: { file: string; cleanup: () => void };
let state: string;
const outputs: string[] = [];
beforeAll(async () => {
  emu = await startTarget('emailengine');
  secret = secretOf(registration(emu, IMAP_APP));
  file = profileFile(wizardProfile(emu, wizard).raw);
  state = mkdtempSync(path.join(tmpdir(), 'mail-oauth-state-'));
  ee = await startEmailEngine({ microsoft: microsoftFrom(emu), tokens: [{ token: API_TOKEN, scopes: ['api'] }] });
}, 60_000);
afterAll(async () => {
  const all = outputs.join('\n');
  for (const s of [secret, API_TOKEN]) if (s) expect(all.includes(s), 'a secret reached stdout/stderr').toBe(false);
  await ee?.stop();
  await emu?.stop();
  file?.cleanup();
  if (state) rmSync(state, { recursive: true, force: true });
});

const push = async (env: Record<string, string> = {}, extra: string[] = []) => {
  const r = await spawnCli(['push', file.file, '--target-url', ee.url, '--json', ...extra], { [SECRET_ENV]: secret, MAIL_OAUTH_TARGET_TOKEN: API_TOKEN, MAIL_OAUTH_STATE_DIR: state, ...env });
  outputs.push(r.stdout, r.stderr);
  return r as typeof r & { json: { outcome?: { status?: string; diagnosis?: { code: string }; plan?: { items: { id: string; action: string }[] }; applied?: string[] }; test?: { diagnosis?: { code: string } } } };
};

describe('mail-oauth push from a script', () => {
  it('first push: app written, the sign-in left to a button → exit 3 (not 1), and --json keeps the diagnosis code', async () => {
    const r = await push();
    expect(r.exit, r.stderr).toBe(3);
    expect(r.json?.outcome?.status).toBe('partial');
    expect(r.json?.outcome?.diagnosis?.code).toBe('target-token-not-available');
    expect(r.stdout).not.toContain('"code": "[redacted]"');
    expect(ee.apps.size).toBe(1);
  }, 60_000);

  it('second push with the same secret: nothing planned for the app, no write reaches EmailEngine', async () => {
    const writes = ee.writes();
    const r = await push();
    expect(r.exit, r.stderr).toBe(3);
    expect(r.json?.outcome?.plan?.items.find((i) => i.id === 'oauth2-app')?.action).toBe('unchanged');
    expect(r.json?.outcome?.applied).toEqual([]);
    expect(ee.writes()).toBe(writes);
  }, 60_000);

  it('the fingerprint file holds a salted hash only (no secret, not the plain sha256), mode 0600', async () => {
    const files = readdirSync(state);
    expect(files).toEqual(['push-fingerprints.json']);
    const p = path.join(state, files[0]!);
    const text = readFileSync(p, 'utf8');
    expect(text).not.toContain(secret);
    expect(text).not.toContain(Buffer.from(secret).toString('base64'));
    const { createHash } = await import('node:crypto');
    expect(text).not.toContain(createHash('sha256').update(`${IMAP_APP}:${secret}`).digest('hex'));
    expect(statSync(p).mode & 0o777).toBe(0o600);
  });

  it('a renewed secret is sent once, then remembered', async () => {
    const renewed = `${secret}-2`;
    const r = await push({ [SECRET_ENV]: renewed });
    expect(r.json?.outcome?.plan?.items.find((i) => i.id === 'oauth2-app')?.action).toBe('update');
    expect([...ee.apps.values()][0]!.clientSecret).toBe(renewed);
    const writes = ee.writes();
    const again = await push({ [SECRET_ENV]: renewed });
    expect(again.json?.outcome?.plan?.items.find((i) => i.id === 'oauth2-app')?.action).toBe('unchanged');
    expect(ee.writes()).toBe(writes);
    for (const o of [r.stdout, r.stderr, again.stdout, again.stderr]) expect(o.includes(renewed)).toBe(false);
  }, 60_000);

  it('failures exit 1 and keep their codes in --json: a bad token → target-bad-credentials, nothing listening → target-unreachable', async () => {
    const bad = await push({ MAIL_OAUTH_TARGET_TOKEN: 'ee-wrong-token-0123456789abcdef0123456789abcdef0123456789' });
    expect(bad.exit).toBe(1);
    expect(bad.json?.test?.diagnosis?.code).toBe('target-bad-credentials');
    const down = await spawnCli(['push', file.file, '--target-url', 'http://127.0.0.1:9', '--json'], { [SECRET_ENV]: secret, MAIL_OAUTH_TARGET_TOKEN: API_TOKEN, MAIL_OAUTH_STATE_DIR: state });
    outputs.push(down.stdout, down.stderr);
    expect(down.exit).toBe(1);
    expect((down.json as { test?: { diagnosis?: { code: string } } } | undefined)?.test?.diagnosis?.code).toBe('target-unreachable');
  }, 60_000);
});
