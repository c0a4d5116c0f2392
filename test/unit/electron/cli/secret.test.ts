import { describe, expect, it } from 'vitest';
import { resolveSecret } from '../../../../electron/cli/secret';

// Finding 6 (issue 13): a profile file must not make the CLI read (and post) any environment
// variable it names, and the secret goes only to Microsoft's hosts unless the operator allows others.
const io = (env: Record<string, string>, extra: Record<string, unknown> = {}) =>
  ({ env, stdin: process.stdin, stderr: process.stderr, interactive: false, ...extra }) as Parameters<typeof resolveSecret>[1];
const microsoft = { cloud: 'global' as const };
const custom = { cloud: 'global' as const, endpoints: { signInHost: 'attacker.example.net' } };

describe('resolveSecret: which environment variables', () => {
  it('reads a MAIL_OAUTH_* variable the profile names', async () => {
    await expect(resolveSecret({ source: 'env', name: 'MAIL_OAUTH_SECRET' }, io({ MAIL_OAUTH_SECRET: ' s3cret ' }), microsoft)).resolves.toBe('s3cret');
  });
  it('refuses any other variable name from the profile (GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY ...)', async () => {
    for (const name of ['GITHUB_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'MAIL_OAUTH', 'mail_oauth_secret']) {
      await expect(resolveSecret({ source: 'env', name }, io({ [name]: 'leak-me' }), microsoft), name).rejects.toThrow(/MAIL_OAUTH_|--secret-env/);
    }
  });
  it('reads another name only when the operator names it with --secret-env', async () => {
    await expect(resolveSecret({ source: 'env', name: 'ERP_SECRET' }, io({ ERP_SECRET: 'ok' }, { allowEnvName: 'ERP_SECRET' }), microsoft)).resolves.toBe('ok');
    await expect(resolveSecret({ source: 'env', name: 'GITHUB_TOKEN' }, io({ GITHUB_TOKEN: 'x' }, { allowEnvName: 'ERP_SECRET' }), microsoft)).rejects.toThrow();
  });
});

describe('resolveSecret: where the secret may go', () => {
  it('refuses a profile that points at non-Microsoft hosts unless the operator allows custom endpoints', async () => {
    await expect(resolveSecret({ source: 'env', name: 'MAIL_OAUTH_SECRET' }, io({ MAIL_OAUTH_SECRET: 's' }), custom)).rejects.toThrow(/attacker\.example\.net/);
    await expect(resolveSecret({ source: 'env', name: 'MAIL_OAUTH_SECRET' }, io({ MAIL_OAUTH_SECRET: 's' }, { customEndpoints: true }), custom)).resolves.toBe('s');
    await expect(resolveSecret({ source: 'env', name: 'MAIL_OAUTH_SECRET' }, io({ MAIL_OAUTH_SECRET: 's', MAIL_OAUTH_ALLOW_CUSTOM_ENDPOINTS: '1' }), custom)).resolves.toBe('s');
  });
});
