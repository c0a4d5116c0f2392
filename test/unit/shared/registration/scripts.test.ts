/**
 * The PowerShell and Azure CLI scripts: golden files for every target, values parsed back equal
 * the desired state's, hostile values stay data. The sh script is run for real by /bin/sh with
 * `az` as a recording shell function (no Azure, no network), which proves its quoting by execution.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getTarget } from '../../../../shared/catalogue';
import { desiredRegistration, registrationScript } from '../../../../shared/registration';
import type { DesiredRegistration } from '../../../../shared/registration/types';
import { desiredFor, PROFILES, TARGET_IDS } from './fixtures';

const QUOTES = "'\u2018\u2019\u201A\u201B";

/** PowerShell tokens we need: single-quoted literals (decoded) and the code outside literals and comments. */
function psTokens(script: string): { literals: string[]; code: string } {
  const literals: string[] = [];
  let code = '';
  for (let i = 0; i < script.length; i++) {
    const ch = script[i]!;
    if (QUOTES.includes(ch)) {
      let lit = '';
      for (i++; i < script.length; i++) {
        const c = script[i]!;
        if (QUOTES.includes(c)) {
          const next = script[i + 1];
          if (next !== undefined && QUOTES.includes(next)) {
            lit += c;
            i++;
            continue;
          }
          break;
        }
        lit += c;
      }
      literals.push(lit);
      code += "'…'";
    } else if (ch === '#') {
      while (i < script.length && script[i] !== '\n') i++;
      code += '\n';
    } else code += ch;
  }
  return { literals, code };
}

/** The values of `key = '...'` / `key = @('a', 'b')` lines of the $body hashtable. */
function psBody(script: string): { displayName: string; signInAudience: string; redirect: Record<string, string[]>; perms: string[] } {
  const body = script.slice(script.indexOf('$body = @{'), script.indexOf('$app = New-MgApplication'));
  const one = (k: string) => {
    const at = body.search(new RegExp(`^\\s*${k} = '`, 'm'));
    return psTokens(body.slice(body.indexOf("'", at))).literals[0]!;
  };
  const redirect: Record<string, string[]> = {};
  for (const block of ['web', 'publicClient', 'spa']) {
    const m = new RegExp(`${block} = @\\{\\n\\s*redirectUris = (@\\(.*\\))`, 'm').exec(body);
    redirect[block] = m ? psTokens(m[1]!).literals : [];
  }
  const perms = [...body.matchAll(/\(Get-PermissionId \$\w+ ('[^']+') ('(?:Scope|Role)')\)/g)].map((m) => `${psTokens(m[1]!).literals[0]}/${psTokens(m[2]!).literals[0]}`);
  return { displayName: one('displayName'), signInAudience: one('signInAudience'), redirect, perms };
}

const FAKE = '11111111-2222-4333-8444-00000000abcd';

/** Runs the Azure CLI script with `az` recording its argv; returns every az call. */
function runSh(script: string, env: Record<string, string> = {}): { calls: string[][]; stdout: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'h2a-sh-'));
  const log = path.join(dir, 'az.log');
  const stub = [
    `az() { for a in "$@"; do printf '%s\\036' "$a"; done >> "$AZ_LOG"; printf '\\035' >> "$AZ_LOG";`,
    `  case "$1 $2 $3" in "ad app list") printf '\\n' ;; *) printf '%s\\n' ${FAKE} ;; esac; }`,
  ].join('\n');
  const file = path.join(dir, 'script.sh');
  writeFileSync(file, script.replace('#!/bin/sh\n', `#!/bin/sh\n${stub}\n`));
  const stdout = execFileSync('sh', [file], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', AZ_LOG: log, ...env }, encoding: 'utf8' });
  const calls = readFileSync(log, 'utf8').split('\x1d').filter(Boolean).map((c) => c.split('\x1e').slice(0, -1));
  return { calls, stdout };
}

const after = (args: string[], flag: string): string[] => {
  const i = args.indexOf(flag);
  if (i < 0) return [];
  const out: string[] = [];
  for (let j = i + 1; j < args.length && !args[j]!.startsWith('--'); j++) out.push(args[j]!);
  return out;
};

function checkPsValues(d: DesiredRegistration, script: string): void {
  const b = psBody(script);
  expect(b.displayName).toBe(d.displayName);
  expect(b.signInAudience).toBe(d.signInAudience);
  expect(b.redirect).toEqual(d.redirectUris);
  expect(b.perms).toEqual(d.permissions.map((p) => `${p.name}/${p.type === 'delegated' ? 'Scope' : 'Role'}`));
  const lit = psTokens(script).literals;
  if (d.credential.kind === 'secret') expect(script).toContain(`.AddMonths(${d.credential.lifetimeMonths})`);
  if (d.credential.kind === 'secret') expect(lit).toContain(d.credential.displayName);
  for (const r of new Set(d.permissions.filter((p) => p.type === 'delegated').map((p) => p.resourceAppId)))
    expect(lit).toContain(d.permissions.filter((p) => p.type === 'delegated' && p.resourceAppId === r).map((p) => p.name).join(' '));
  expect(script.includes('-AppRoleAssignmentRequired:$true')).toBe(d.assignment.required);
}

function checkShValues(d: DesiredRegistration, script: string): void {
  const { calls } = runSh(script);
  const create = calls.find((c) => c[0] === 'ad' && c[1] === 'app' && c[2] === 'create')!;
  expect(after(create, '--display-name')).toEqual([d.displayName]);
  expect(after(create, '--web-redirect-uris')).toEqual(d.redirectUris.web);
  expect(after(create, '--public-client-redirect-uris')).toEqual(d.redirectUris.publicClient);
  const personal = d.requestedAccessTokenVersion === 2;
  expect(after(create, '--sign-in-audience')).toEqual([personal ? 'AzureADMyOrg' : d.signInAudience]);
  const patch = calls.find((c) => c[0] === 'rest' && after(c, '--method')[0] === 'PATCH');
  if (personal) expect(JSON.parse(after(patch!, '--body')[0]!)).toMatchObject({ api: { requestedAccessTokenVersion: 2 }, signInAudience: d.signInAudience });
  else expect(patch).toBeUndefined();
  expect(create.includes('--is-fallback-public-client')).toBe(d.isFallbackPublicClient);
  expect(create.includes('--enable-access-token-issuance')).toBe(d.implicitGrant.accessTokens);
  expect(create.includes('--enable-id-token-issuance')).toBe(d.implicitGrant.idTokens);
  // Permissions: the names looked up, and the declared list (ids as the tenant answered).
  const looked = calls.filter((c) => c[0] === 'ad' && c[1] === 'sp' && c[2] === 'show' && /\?value==/.test(after(c, '--query')[0] ?? '')).map((c) => {
    const q = after(c, '--query')[0]!;
    return `${/\?value=='([^']+)'/.exec(q)![1]}/${q.startsWith('oauth2') ? 'delegated' : 'application'}/${after(c, '--id')[0]}`;
  });
  expect(looked).toEqual(d.permissions.map((p) => `${p.name}/${p.type}/${p.resourceAppId}`));
  const rra = JSON.parse(after(create, '--required-resource-accesses')[0] ?? '[]') as Array<{ resourceAppId: string; resourceAccess: Array<{ id: string; type: string }> }>;
  expect(rra.flatMap((r) => r.resourceAccess.map((x) => `${r.resourceAppId}/${x.type}/${x.id}`))).toEqual(d.permissions.map((p) => `${p.resourceAppId}/${p.type === 'delegated' ? 'Scope' : 'Role'}/${FAKE}`));
  // Consent: one delegated grant per resource with every scope, one role assignment per application permission.
  const posts = calls.filter((c) => c[0] === 'rest' && after(c, '--method')[0] === 'POST').map((c) => ({ uri: after(c, '--uri')[0]!, body: JSON.parse(after(c, '--body')[0]!) as Record<string, string> }));
  const grants = posts.filter((p) => p.uri.endsWith('/oauth2PermissionGrants'));
  const delegated = [...new Set(d.permissions.filter((p) => p.type === 'delegated').map((p) => p.resourceAppId))];
  expect(grants.map((g) => g.body.scope)).toEqual(delegated.map((r) => d.permissions.filter((p) => p.type === 'delegated' && p.resourceAppId === r).map((p) => p.name).join(' ')));
  for (const g of grants) expect(g.body).toMatchObject({ clientId: FAKE, consentType: 'AllPrincipals', resourceId: FAKE });
  const roles = posts.filter((p) => p.uri.endsWith('/appRoleAssignedTo') && p.body.appRoleId !== '00000000-0000-0000-0000-000000000000');
  expect(roles).toHaveLength(d.permissions.filter((p) => p.type === 'application').length);
  const secret = calls.find((c) => c[0] === 'ad' && c[1] === 'app' && c[2] === 'credential');
  if (d.credential.kind === 'secret') {
    expect(after(secret!, '--display-name')).toEqual([d.credential.displayName]);
    expect(secret).toContain('--append');
  }
  expect(calls.some((c) => c.join(' ').includes('appRoleAssignmentRequired=true'))).toBe(d.assignment.required);
}

describe('registration scripts, every target', () => {
  it.each(TARGET_IDS)('%s: golden PowerShell and Azure CLI scripts', async (id) => {
    const d = desiredFor(id);
    await expect(registrationScript(d, 'powershell')).toMatchFileSnapshot(`__golden__/${id}.ps1`);
    await expect(registrationScript(d, 'azure-cli')).toMatchFileSnapshot(`__golden__/${id}.sh`);
  });

  it.each(TARGET_IDS)('%s: the PowerShell values parsed back equal the desired state', (id) => {
    const d = desiredFor(id);
    checkPsValues(d, registrationScript(d, 'powershell'));
  });

  it.each(TARGET_IDS)('%s: the Azure CLI script passes sh -n, and run with a recording az its values equal the desired state', (id) => {
    const d = desiredFor(id);
    const script = registrationScript(d, 'azure-cli');
    execFileSync('sh', ['-n'], { input: script });
    checkShValues(d, script);
  });

  it('the Exchange commands use the new ids (no placeholder in the PowerShell the script runs)', () => {
    const script = registrationScript(desiredFor('app-only-imap-smtp'), 'powershell');
    expect(script).toContain('New-ServicePrincipal -AppId $app.AppId -ObjectId $sp.Id');
    expect(script).toContain("Add-MailboxPermission -Identity 'info@fabrikam.com' -User $sp.Id -AccessRights FullAccess");
    const code = psTokens(script).code;
    expect(code).not.toMatch(/<[^<>]+>/);
    const { stdout } = runSh(registrationScript(desiredFor('app-only-imap-smtp'), 'azure-cli'));
    expect(stdout).toContain(`New-ServicePrincipal -AppId '${FAKE}' -ObjectId '${FAKE}' -DisplayName 'Shared mailbox or service (app-only IMAP/SMTP) mail'`);
    // Issue 20: no Send As to send as the mailbox itself; the Application Access Policy check gets the new app id.
    expect(stdout).not.toContain('Add-RecipientPermission');
    expect(stdout).toContain(`Test-ApplicationAccessPolicy -Identity 'info@fabrikam.com' -AppId '${FAKE}'`);
  });
});

describe('hostile values stay data', () => {
  const HOSTILE = `Evil' ; touch "$PWNED" ; echo '$(touch $PWNED)\`touch $PWNED\` \u2019; Remove-Item -Recurse C:\\ #\n%s%n\\n "x"`;
  const hostile = (id: string): DesiredRegistration =>
    desiredRegistration(getTarget(id), { ...PROFILES[id]!, mailbox: `o'brien$(touch PWNED)@fabrikam.com`, targetInputs: { ...PROFILES[id]!.targetInputs, appName: HOSTILE } });

  it.each(['flectra', 'app-only-imap-smtp', 'cxt'])('%s: sh runs it with the name as one argument and nothing injected', (id) => {
    const d = hostile(id);
    expect(d.displayName).toBe(HOSTILE.trim());
    const script = registrationScript(d, 'azure-cli');
    execFileSync('sh', ['-n'], { input: script });
    const dir = mkdtempSync(path.join(tmpdir(), 'h2a-pwn-'));
    const pwned = path.join(dir, 'pwned');
    const { calls, stdout } = runSh(script, { PWNED: pwned });
    expect(existsSync(pwned)).toBe(false);
    expect(after(calls.find((c) => c[1] === 'app' && c[2] === 'create')!, '--display-name')).toEqual([d.displayName]);
    const filter = after(calls.find((c) => c[1] === 'app' && c[2] === 'list')!, '--filter')[0]!;
    expect(filter).toBe(`displayName eq '${d.displayName.replace(/'/g, "''")}'`);
    if (id === 'app-only-imap-smtp') expect(stdout).toContain(`-DisplayName '${d.displayName.replace(/['\u2019]/g, (q) => q + q)}'`);
  });

  it.each(['flectra', 'app-only-imap-smtp', 'cxt'])('%s: PowerShell keeps the name and mailbox inside literals', (id) => {
    const d = hostile(id);
    const script = registrationScript(d, 'powershell');
    const { literals, code } = psTokens(script);
    expect(literals).toContain(d.displayName);
    expect(code).not.toContain('Remove-Item');
    expect(code).not.toContain('touch');
    expect(code).not.toContain('brien');
    expect(psBody(script).displayName).toBe(d.displayName);
  });
});
