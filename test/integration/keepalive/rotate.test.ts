/**
 * Secret rotation (issue 12 item 2) against the emulator's Graph directory and token endpoint: a new
 * secret is added and proved with the engine's real checks (IMAP/SMTP over Dovecot / smtp-server); the
 * old one is removed only after confirmation; an interruption right after the add leaves both secrets
 * working and the profile saying which one is current; a resumed rotation adds no third secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, GRAPH_CLI_APP_ID, type Emulator } from '../../emulator/index';
import { MemoryVault, runChecks } from '../../../electron/engine';
import { sessionFromToken } from '../../../electron/engine/registration';
import { finishRotation, RotationError, startRotation } from '../../../electron/engine/keepalive/rotate';
import { DAEMON, DAEMON_SECRET, TENANT, emuProfile } from '../helpers/fixtures';
import type { Profile } from '../../../shared/profile';
import type { CheckId } from '../../../shared/checks';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { rotateWith } from '../../../electron/cli/commands/rotate';
import { main } from '../../../electron/cli/main';

const OLD_ID = '5a6b7c8d-0003-4e2f-9a3b-000000000053';
let emu: Emulator;
let graph: ReturnType<typeof sessionFromToken>['graph'];
const seen: string[] = [];

beforeAll(async () => {
  emu = await startEmulator();
  const token = emu.admin.issueToken({ upn: 'admin@fabrikam.com', clientId: GRAPH_CLI_APP_ID, resource: 'graph', scp: 'Application.ReadWrite.All' });
  graph = sessionFromToken(emuProfile(emu), token, { purpose: 'write' }).graph;
}, 60_000);
afterAll(async () => {
  await emu?.stop();
});

const profile = (): Profile => emuProfile(emu, { secretId: OLD_ID, secretExpires: '2099-12-31' });
const prove = (only: CheckId[] = ['network', 'token', 'imap', 'smtp']) => (p: Profile, secret: string) => runChecks(p, { vault: new MemoryVault(), clientSecret: secret }, { only });
const tokenWorks = async (secret: string) => (await runChecks(profile(), { vault: new MemoryVault(), clientSecret: secret }, { only: ['token'] })).results[0]!;
const secretsOnApp = () => emu.admin.directory(TENANT).apps.find((a: { clientId: string }) => a.clientId === DAEMON)!.secrets as { id: string }[];

describe('mail-oauth rotate (engine): add, prove, confirm, remove', () => {
  let newSecret: string;
  let p: Profile;

  it('an interruption right after the add leaves both secrets working; the profile says the old one is current', async () => {
    let persisted: Profile | undefined;
    let kept: string | undefined;
    await expect(
      startRotation(graph, profile(), {
        onAdded: async (q, s) => {
          persisted = q;
          kept = s;
        },
        prove: async () => {
          throw new Error('power cut');
        },
      }),
    ).rejects.toThrow('power cut');
    expect(persisted!.rotation).toMatchObject({ phase: 'added', current: 'old', old: { keyId: OLD_ID } });
    expect(secretsOnApp().map((s) => s.id)).toEqual(expect.arrayContaining([OLD_ID, persisted!.rotation!.new.keyId]));
    expect((await tokenWorks(DAEMON_SECRET)).status).toBe('passed');
    expect((await tokenWorks(kept!)).status).toBe('passed');
    seen.push(JSON.stringify(persisted));
    newSecret = kept!;
    p = persisted!;
  });

  it('the resumed rotation proves the recorded new secret with IMAP + SMTP and adds no third secret', async () => {
    const count = secretsOnApp().length;
    const r = await startRotation(graph, p, { prove: prove(), resumeSecret: newSecret });
    expect(r.proved).toBe(true);
    expect(r.secretText).toBeUndefined();
    expect(r.run!.results.map((x) => [x.id, x.status])).toEqual([['network', 'passed'], ['token', 'passed'], ['imap', 'passed'], ['smtp', 'passed']]);
    expect(r.profile.rotation).toMatchObject({ phase: 'proved', current: 'old' });
    expect(secretsOnApp()).toHaveLength(count);
    expect(r.summary).toMatch(/Both secrets are valid now; the old one is still current/);
    seen.push(JSON.stringify(r.profile), r.summary);
    p = r.profile;
  });

  it('without the confirmation nothing is removed', async () => {
    await expect(finishRotation(graph, p, { confirmed: false })).rejects.toBeInstanceOf(RotationError);
    expect(secretsOnApp().map((s) => s.id)).toContain(OLD_ID);
    expect((await tokenWorks(DAEMON_SECRET)).status).toBe('passed');
  });

  it('after the confirmation the old secret is removed (read back, refused at sign-in) and the new one is current', async () => {
    const r = await finishRotation(graph, p, { confirmed: true });
    expect(r.removedKeyId).toBe(OLD_ID);
    expect(secretsOnApp().map((s) => s.id)).not.toContain(OLD_ID);
    expect(r.profile.rotation).toBeUndefined();
    expect(r.profile.secretId).toBe(p.rotation!.new.keyId);
    expect(r.profile.secretExpires).toBe(p.rotation!.new.endDateTime.slice(0, 10));
    const old = await tokenWorks(DAEMON_SECRET);
    expect(old.status).toBe('failed');
    expect(old.diagnosis?.evidence.aadsts).toBe('7000215');
    expect((await tokenWorks(newSecret)).status).toBe('passed');
    seen.push(JSON.stringify(r.profile), r.summary);
  });

  it('a new secret that fails the checks is not proved: both stay valid, the old one stays current, finish refuses', async () => {
    const start = emuProfile(emu);
    emu.admin.setFault('imapDisabled', ['info@fabrikam.com']);
    try {
      const r = await startRotation(graph, { ...start, secretId: secretsOnApp()[0]!.id }, { prove: prove(['token', 'imap']) });
      expect(r.proved).toBe(false);
      expect(r.secretText).toBeTruthy();
      expect(r.profile.rotation).toMatchObject({ phase: 'added', current: 'old' });
      expect(r.run!.results.find((x) => x.id === 'imap')!.status).toBe('failed');
      await expect(finishRotation(graph, r.profile, { confirmed: true })).rejects.toThrow(/not passed the checks/);
      expect((await tokenWorks(r.secretText!)).status).toBe('passed');
      seen.push(JSON.stringify(r.profile), r.summary);
    } finally {
      emu.admin.setFault('imapDisabled', []);
    }
  });

  it('no secret value in any profile or summary written along the way', () => {
    const all = seen.join('\n');
    expect(all).not.toContain(DAEMON_SECRET);
    expect(all).not.toContain(newSecret);
  });
});

describe('mail-oauth rotate (CLI after the administrator\'s sign-in): files, profile state, confirmation', () => {
  let dir: string;
  let file: string;
  let out: string;
  let stdout = '';
  const io = () => {
    stdout = '';
    const sink = Object.assign(new Writable({ write(c, _e, cb) { stdout += String(c); cb(); } }), { isTTY: false }) as unknown as NodeJS.WriteStream;
    return { stdout: sink, stderr: sink, stdin: Object.assign(Readable.from([]), { isTTY: false }) as unknown as NodeJS.ReadStream, env: { MAIL_OAUTH_ALLOW_CUSTOM_ENDPOINTS: '1' } };
  };
  const saved = () => JSON.parse(readFileSync(file, 'utf8')) as Profile;

  beforeAll(() => {
    emu.admin.setApp(DAEMON, { secrets: [{ id: OLD_ID, value: DAEMON_SECRET, displayName: 'daemon', expires: '2099-12-31T00:00:00Z' }] } as never);
    dir = mkdtempSync(path.join(tmpdir(), 'mail-oauth-rotate-'));
    file = path.join(dir, 'profile.json');
    out = path.join(dir, 'new-secret.txt');
    writeFileSync(file, JSON.stringify({ ...profile(), target: 'app-only-imap-smtp' }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('step 1: the new Value only in a 0600 file, the rotation in the profile, proved with the checks, nothing printed', async () => {
    const code = await rotateWith({ graph } as never, file, { secretOut: out, finish: false, confirmed: false, json: false }, io());
    expect(code).toBe(0);
    const value = readFileSync(out, 'utf8').trim();
    expect(value.length).toBeGreaterThan(15);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(saved().rotation).toMatchObject({ phase: 'proved', current: 'old', old: { keyId: OLD_ID } });
    expect(stdout).toContain('Both secrets are valid now');
    expect(stdout).toContain('--finish');
    expect(stdout + readFileSync(file, 'utf8')).not.toContain(value);
  });

  it('run again: resumes from the file, no third secret; --finish without --yes on no terminal is refused (exit 2)', async () => {
    const count = secretsOnApp().length;
    expect(await rotateWith({ graph } as never, file, { secretOut: out, finish: false, confirmed: false, json: false }, io())).toBe(0);
    expect(secretsOnApp()).toHaveLength(count);
    expect(await main(['rotate', file, '--finish'], io())).toBe(2);
    expect(stdout).toMatch(/confirm with --yes/);
    expect(secretsOnApp().map((s) => s.id)).toContain(OLD_ID);
  });

  it('step 2 confirmed: the old secret is removed and the profile names the new one as current', async () => {
    const newId = saved().rotation!.new.keyId;
    expect(await rotateWith({ graph } as never, file, { finish: true, confirmed: true, json: true }, io())).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ finished: true, removedKeyId: OLD_ID, current: newId });
    expect(saved().secretId).toBe(newId);
    expect(saved().rotation).toBeUndefined();
    expect(secretsOnApp().map((s) => s.id)).toEqual([newId]);
    expect((await tokenWorks(readFileSync(out, 'utf8').trim())).status).toBe('passed');
  });
});
