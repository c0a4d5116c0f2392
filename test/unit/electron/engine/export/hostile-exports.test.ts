import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExportError, exportProfile } from '../../../../../electron/engine/export';
import { NOW, PROFILES } from '../../../shared/catalogue/fixtures';

// Finding 7 (issue 13): exports a person pastes into a shell or sources must never run code, whatever
// the profile holds. Golden files pin the quoting; `sh -n` checks the syntax; running them (with a
// recording stand-in for curl) checks that nothing else runs.
const GOLDEN = path.join(import.meta.dirname, 'golden', 'hostile');
const update = process.env.UPDATE_GOLDEN === '1';
const work = mkdtempSync(path.join(tmpdir(), 'moa-hostile-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Each payload tries to create a file named PWNED* in the working directory when the export runs.
const hostileName = "Fabrikam `touch PWNED1` $(touch PWNED2) 'x' \"y\" \\ ${HOME}";
const hostileUrl = "https://ee.fabrikam.com/'$(touch PWNED3)'";
const hostile = {
  ...PROFILES.emailengine!,
  name: hostileName,
  targetInputs: { baseUrl: 'https://ee.fabrikam.com', baseScope: 'imap' },
};

function runIn(dir: string, script: string): { status: number | null; stderr: string } {
  const bin = path.join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(path.join(bin, 'curl'), '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done > curl-args.txt\ncat > curl-stdin.txt\n');
  chmodSync(path.join(bin, 'curl'), 0o755);
  const r = spawnSync('sh', ['-c', script], { cwd: dir, env: { PATH: `${bin}:/usr/bin:/bin`, HOME: dir }, encoding: 'utf8', timeout: 10_000 });
  return { status: r.status, stderr: r.stderr };
}
const pwned = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('PWNED'));

function golden(name: string, content: string): void {
  const file = path.join(GOLDEN, name);
  if (update || !existsSync(file)) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, content);
  }
  expect(content).toBe(readFileSync(file, 'utf8'));
}

describe('shell exports with hostile values', () => {
  it('.env: sourcing it runs nothing and sets the values literally', () => {
    const env = exportProfile(hostile, 'env', { includeSecret: false, now: NOW }).content;
    golden('env.env', env);
    const dir = mkdtempSync(path.join(work, 'env-'));
    writeFileSync(path.join(dir, 'x.env'), env);
    execFileSync('sh', ['-n', path.join(dir, 'x.env')]);
    const r = runIn(dir, '. ./x.env && printf "%s" "$MAIL_OAUTH_INPUT_BASE_URL" > out.txt');
    expect(r.status, r.stderr).toBe(0);
    expect(pwned(dir)).toEqual([]);
    expect(readFileSync(path.join(dir, 'out.txt'), 'utf8')).toBe('https://ee.fabrikam.com');
  });

  it('.env: a backtick or $( ) in a value (the mailbox, the secret ID) stays text when sourced', () => {
    const mailbox = "info`touch PWNED7`$(touch PWNED8)'q'\\@fabrikam.com";
    const env = exportProfile({ ...hostile, mailbox, secretId: '`touch PWNED9`' }, 'env', { includeSecret: false, now: NOW }).content;
    golden('mailbox-env.env', env);
    const dir = mkdtempSync(path.join(work, 'envf-'));
    writeFileSync(path.join(dir, 'x.env'), env);
    execFileSync('sh', ['-n', path.join(dir, 'x.env')]);
    const r = runIn(dir, '. ./x.env && printf "%s" "$MAIL_OAUTH_MAILBOX" > out.txt');
    expect(r.status, r.stderr).toBe(0);
    expect(pwned(dir)).toEqual([]);
    expect(readFileSync(path.join(dir, 'out.txt'), 'utf8')).toBe(mailbox);
  });

  it('curl script: running it runs only curl, with the URL exactly as given', () => {
    const sh = exportProfile(hostile, 'emailengine-curl', { includeSecret: false, now: NOW }).content;
    golden('emailengine-curl.sh', sh);
    const dir = mkdtempSync(path.join(work, 'curl-'));
    writeFileSync(path.join(dir, 'x.sh'), sh);
    execFileSync('sh', ['-n', path.join(dir, 'x.sh')]);
    const r = runIn(dir, 'EMAILENGINE_TOKEN=t sh ./x.sh');
    expect(r.status, r.stderr).toBe(0);
    expect(pwned(dir)).toEqual([]);
    expect(readFileSync(path.join(dir, 'curl-args.txt'), 'utf8')).toContain('https://ee.fabrikam.com/v1/oauth2\n');
    expect(JSON.parse(readFileSync(path.join(dir, 'curl-stdin.txt'), 'utf8'))).toMatchObject({ provider: 'outlook', baseScopes: 'imap' });
  });

  it('a base URL with shell syntax is refused, not exported (also where it becomes part of a redirect URI)', () => {
    const frappe = { ...PROFILES.frappe!, targetInputs: { baseUrl: 'https://erp.fabrikam.com', connectedAppName: '8f3c`touch PWNED7`' } };
    expect(() => exportProfile(frappe, 'env', { includeSecret: false, now: NOW })).toThrow(ExportError);
    for (const format of ['env', 'emailengine-curl']) {
      expect(() => exportProfile({ ...hostile, targetInputs: { ...hostile.targetInputs, baseUrl: hostileUrl } }, format, { includeSecret: false, now: NOW }), format).toThrow(ExportError);
    }
  });

  it('control characters (a newline or a backtick line in the name) are refused, not written', () => {
    for (const name of ['Fabrikam\ntouch PWNED4', 'Fabrikam\rtouch PWNED5', 'Fabrikam\u0000x', 'Fabrikam\u2028touch PWNED6']) {
      for (const format of ['env', 'emailengine-curl']) {
        let content = '';
        try {
          content = exportProfile({ ...hostile, name }, format, { includeSecret: false, now: NOW }).content;
        } catch (e) {
          expect(e, `${JSON.stringify(name)} ${format}`).toBeInstanceOf(ExportError);
          continue;
        }
        const dir = mkdtempSync(path.join(work, 'ctl-'));
        writeFileSync(path.join(dir, 'x'), content);
        runIn(dir, format === 'env' ? '. ./x' : 'EMAILENGINE_TOKEN=t sh ./x');
        expect(pwned(dir), `${JSON.stringify(name)} ${format} ran code`).toEqual([]);
        throw new Error(`${JSON.stringify(name)} ${format}: exported although it holds a control character`);
      }
    }
  });
});
