/**
 * registrationScript(desired, 'powershell' | 'azure-cli'): a script that creates exactly this
 * registration, for administrators who will not let a tool sign in (issue 9 section 7). Microsoft
 * Graph PowerShell (New-MgApplication, New-MgServicePrincipal, Add-MgApplicationPassword,
 * New-MgOauth2PermissionGrant, New-MgServicePrincipalAppRoleAssignment) or Azure CLI (az ad app
 * create, az ad sp create, az ad app credential reset, az rest for the grants), then the Exchange
 * Online steps Graph cannot do.
 *
 * Permission ids are resolved when the script runs, from the tenant's resource service principals.
 * Every value from the profile is quoted for its shell (quote.ts): a hostile display name or URL
 * stays data. Neither script contains a secret; each prints the new secret's Value once, as the
 * portal shows it once.
 */
import { mailReachLine } from './reach';
import { ACCOUNT_TYPES } from '../catalogue/account-types';
import { RESOURCES } from '../catalogue/permissions';
import { accessType } from './analyze';
import { jsonInner, odataQuote, psQuote, shQuote } from './quote';
import type { DesiredRegistration, ManualStep } from './types';
import { SEALED_ALG, SEALED_FORMAT, SEALED_VERSION, type SealKey } from './sealed';

export type ScriptKind = 'powershell' | 'azure-cli';

export interface ScriptOptions {
  /** Printed in the header only (golden tests fix it); default: none. */
  generatedFor?: string;
  /**
   * The sealed hand-off (shared/registration/sealed.ts): the script encrypts the new secret to this
   * public key and writes `fileName` instead of printing the Value. Absent (the CLI, run by the
   * administrator themselves): the Value is printed once in their own window.
   */
  seal?: SealKey & { fileName: string };
}

/** Permission names go into JMESPath/Graph strings: only the characters Microsoft uses. */
const SAFE_NAME = /^[A-Za-z0-9._-]+$/;
/** Graph scopes the script's own sign-in needs. */
export function scriptScopes(d: DesiredRegistration): string[] {
  const s = ['Application.ReadWrite.All'];
  if (d.consent.delegated) s.push('DelegatedPermissionGrant.ReadWrite.All');
  if (d.consent.application || d.assignment.assignMailbox) s.push('AppRoleAssignment.ReadWrite.All');
  if (d.assignment.assignMailbox) s.push('User.ReadBasic.All');
  return s;
}

const RESOURCE_VAR: Record<string, { ps: string; sh: string }> = {
  [RESOURCES['Microsoft Graph']]: { ps: '$graphSp', sh: 'GRAPH_SP_ID' },
  [RESOURCES['Office 365 Exchange Online']]: { ps: '$exchangeSp', sh: 'EXCHANGE_SP_ID' },
};
const resourceVar = (appId: string) => RESOURCE_VAR[appId] ?? { ps: `$sp_${appId.replace(/-/g, '')}`, sh: `SP_${appId.replace(/-/g, '').toUpperCase()}` };

function check(d: DesiredRegistration): void {
  for (const p of d.permissions) if (!SAFE_NAME.test(p.name)) throw new Error(`Unexpected permission name ${JSON.stringify(p.name)}`);
  for (const p of d.permissions) if (!/^[0-9a-f-]{36}$/i.test(p.resourceAppId)) throw new Error(`Unexpected resource appId ${JSON.stringify(p.resourceAppId)}`);
}

const ZERO_ROLE = '00000000-0000-0000-0000-000000000000';

/** The Connect-MgGraph -Environment of a Graph URL (national clouds); undefined for the global cloud. */
export function mgEnvironment(graphUrl: string | undefined): string | undefined {
  if (!graphUrl) return undefined;
  if (/dod-graph\.microsoft\.us/i.test(graphUrl)) return 'USGovDoD';
  if (/graph\.microsoft\.us/i.test(graphUrl)) return 'USGov';
  if (/chinacloudapi\.cn/i.test(graphUrl)) return 'China';
  return undefined;
}
const AZ_CLOUD: Record<string, string> = { USGovDoD: 'AzureUSGovernment', USGov: 'AzureUSGovernment', China: 'AzureChinaCloud' };

/**
 * The Exchange commands with the new app's ids as script expressions: -AppId gets the app id,
 * -ObjectId/-User/-Trustee/-App (and Test-ServicePrincipalAuthorization -Identity) the service principal id.
 */
function exchangeLines(steps: ManualStep[], ids: { appId: string; spId: string; tenant: string }): Array<{ step: ManualStep; lines: string[] }> {
  const arg = `('(?:[^'\\u2018\\u2019\\u201A\\u201B]|['\\u2018\\u2019\\u201A\\u201B]{2})*'|<[^<>]*>)`;
  return steps.map((step) => ({
    step,
    lines: step.command.split('\n').map((line) =>
      line
        .replace(new RegExp(`(-AppId )${arg}`), `$1${ids.appId}`)
        .replace(new RegExp(`(-(?:ObjectId|User|Trustee|App) )${arg}`), `$1${ids.spId}`)
        .replace(new RegExp(`^(Test-ServicePrincipalAuthorization -Identity )${arg}`), `$1${ids.spId}`)
        .replace(new RegExp(`^(Connect-ExchangeOnline -Organization )${arg}`), `$1${ids.tenant}`),
    ),
  }));
}

/** One comment line: no control or line-separator character can end the comment early. */
const oneLine = (s: string): string => s.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' ');

function header(d: DesiredRegistration, comment: string, o: ScriptOptions): string[] {
  const c = (s: string) => `${comment} ${oneLine(s)}`.trimEnd();
  return [
    c(`Creates the Microsoft Entra app registration for ${d.target}, exactly as Mail OAuth Assistant would.`),
    ...(o.generatedFor ? [c(`Generated for: ${o.generatedFor}`)] : []),
    c(`Display name:      ${d.displayName}`),
    c(`Account types:     ${ACCOUNT_TYPES[d.audience].label} (${d.signInAudience})`),
    c(`Permissions:       ${d.permissions.map((p) => `${p.name} (${p.resource}, ${p.type})`).join(', ') || 'none'}`),
    c(`Mailboxes reached: ${mailReachLine(d)}`),
    c(`Client secret:     ${d.credential.kind === 'secret' ? `"${d.credential.displayName}", ${d.credential.lifetimeMonths} months` : 'none'}`),
    c(`Run it as an administrator with the Entra role ${d.consent.application && d.permissions.some((p) => p.type === 'application' && p.resource === 'Microsoft Graph') ? 'Privileged Role Administrator or Global Administrator (Microsoft Graph application permissions)' : 'Application Administrator or Cloud Application Administrator'}.`),
    c('It stops if an app with this display name already exists (lint that one instead of making a second).'),
  ];
}

// ------------------------------------------------------------------------------------------------
// The sealed hand-off: the new secret encrypted to the assistant's public key (shared/registration/sealed.ts)

const b64 = (s: string) => {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(s)) throw new Error('Unexpected key encoding');
  return s;
};

/** PowerShell 7 (any OS) and Windows PowerShell 5.1: RSA-OAEP, SHA-256 (OAEP and MGF1), the key's modulus and exponent. */
function psSeal(seal: SealKey & { fileName: string }): string[] {
  return [
    '# The secret is not shown: it is sealed (RSA-OAEP, SHA-256) to the public key of the Mail OAuth Assistant',
    '# that made this script, and written to a file only that assistant can open. Send that file back.',
    `$sealKid = ${psQuote(seal.kid)}`,
    '$sealKey = New-Object System.Security.Cryptography.RSAParameters',
    `$sealKey.Modulus = [Convert]::FromBase64String(${psQuote(b64(seal.modulus))})`,
    `$sealKey.Exponent = [Convert]::FromBase64String(${psQuote(b64(seal.exponent))})`,
    "$rsa = if ($PSVersionTable.PSEdition -eq 'Desktop') { New-Object System.Security.Cryptography.RSACng } else { [System.Security.Cryptography.RSA]::Create() }",
    '$rsa.ImportParameters($sealKey)',
    "$payload = [ordered]@{ v = 1; appId = [string]$app.AppId; tenantId = [string]$tenantId; keyId = [string]$secret.KeyId; secret = $secret.SecretText; endDateTime = ([datetime]$secret.EndDateTime).ToUniversalTime().ToString('s') + 'Z' } | ConvertTo-Json -Compress",
    '$sealed = $rsa.Encrypt([System.Text.Encoding]::UTF8.GetBytes($payload), [System.Security.Cryptography.RSAEncryptionPadding]::OaepSHA256)',
    '$payload = $null; $secret.SecretText = $null',
    `$sealFile = Join-Path (Get-Location).Path ${psQuote(seal.fileName)}`,
    `$sealJson = [ordered]@{ format = ${psQuote(SEALED_FORMAT)}; v = ${SEALED_VERSION}; alg = ${psQuote(SEALED_ALG)}; kid = $sealKid; ciphertext = [Convert]::ToBase64String($sealed) } | ConvertTo-Json -Compress`,
    '[System.IO.File]::WriteAllText($sealFile, $sealJson)',
    "Write-Host ('Client secret made (ID ' + $secret.KeyId + ', expires ' + $secret.EndDateTime + '). Its Value is sealed in ' + $sealFile)",
    "Write-Host 'Send that file back to the person who gave you this script: only their Mail OAuth Assistant can open it. Do not send the Value itself.'",
    '',
  ];
}

/** POSIX sh + OpenSSL 1.0.2 or later: the same RSA-OAEP SHA-256 (OAEP and MGF1); the secret goes through a pipe, never argv. */
function shSeal(seal: SealKey & { fileName: string }): string[] {
  const pem = seal.spkiPem.trim();
  if (!/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+\n-----END PUBLIC KEY-----$/.test(pem)) throw new Error('Unexpected public key');
  return [
    '# The secret is not shown: it is sealed (RSA-OAEP, SHA-256) to the public key of the Mail OAuth Assistant',
    '# that made this script, and written to a file only that assistant can open. Send that file back.',
    'case "$SECRET" in *[!A-Za-z0-9._~-]*|"") echo "The new secret has unexpected characters; nothing was sealed" >&2; exit 1 ;; esac',
    // The app is new (the script stops if one with this name exists): its one secret is the one just made.
    `SECRET_ID=$(az ad app credential list --id "$APP_ID" --query '[0].keyId' -o tsv)`,
    'SEAL_KEY=$(mktemp)',
    `cat > "$SEAL_KEY" <<'EOF_SEAL_KEY'`,
    pem,
    'EOF_SEAL_KEY',
    `SEAL_FILE="$PWD/"${shQuote(seal.fileName)}`,
    'SEALED=$(printf \'{"v":1,"appId":"%s","tenantId":"%s","keyId":"%s","secret":"%s","endDateTime":"%s"}\' "$APP_ID" "$TENANT_ID" "$SECRET_ID" "$SECRET" "$END_DATE" | openssl pkeyutl -encrypt -pubin -inkey "$SEAL_KEY" -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256 | openssl base64 -A)',
    'rm -f "$SEAL_KEY"',
    '[ -n "$SEALED" ] || { echo "The secret could not be sealed (openssl pkeyutl with OAEP SHA-256 is needed); nothing was written" >&2; exit 1; }',
    `printf '{"format":"%s","v":%s,"alg":"%s","kid":"%s","ciphertext":"%s"}\\n' ${shQuote(SEALED_FORMAT)} ${SEALED_VERSION} ${shQuote(SEALED_ALG)} ${shQuote(seal.kid)} "$SEALED" > "$SEAL_FILE"`,
    'echo "Client secret made (ID $SECRET_ID, expires $END_DATE). Its Value is sealed in $SEAL_FILE"',
    "echo 'Send that file back to the person who gave you this script: only their Mail OAuth Assistant can open it. Do not send the Value itself.'",
  ];
}

// ------------------------------------------------------------------------------------------------
// Microsoft Graph PowerShell

function psValue(v: unknown, indent: string): string {
  if (typeof v === 'string') return psQuote(v);
  if (typeof v === 'boolean') return v ? '$true' : '$false';
  if (typeof v === 'number') return String(v);
  if (v && typeof v === 'object' && 'ps' in (v as Record<string, unknown>)) return String((v as { ps: string }).ps);
  if (Array.isArray(v)) return v.length === 0 ? '@()' : `@(${v.map((x) => psValue(x, indent)).join(', ')})`;
  if (v && typeof v === 'object') {
    const inner = `${indent}  `;
    const entries = Object.entries(v as Record<string, unknown>).map(([k, x]) => `${inner}${k} = ${psValue(x, inner)}`);
    return `@{\n${entries.join('\n')}\n${indent}}`;
  }
  return '$null';
}

function powershell(d: DesiredRegistration, o: ScriptOptions): string {
  const L: string[] = [...header(d, '#', o), ''];
  const env = mgEnvironment(d.graphUrl);
  L.push("$ErrorActionPreference = 'Stop'", '');
  L.push('# Needs the Microsoft Graph PowerShell SDK: Install-Module Microsoft.Graph -Scope CurrentUser');
  L.push(
    `Connect-MgGraph${d.tenantId ? ` -TenantId ${psQuote(d.tenantId)}` : ''}${env ? ` -Environment ${env}` : ''} -Scopes ${scriptScopes(d).map(psQuote).join(', ')} -NoWelcome`,
  );
  L.push('$tenantId = (Get-MgContext).TenantId', '');
  L.push('# Microsoft Entra needs a moment before a new app can be referenced: retry with back-off.');
  L.push('function Invoke-WithRetry([scriptblock]$Action) {');
  L.push('  for ($i = 1; ; $i++) {');
  L.push('    try { return & $Action } catch { if ($i -ge 12) { throw }; Start-Sleep -Seconds ([Math]::Min(30, 2 * $i)) }');
  L.push('  }');
  L.push('}');
  L.push('function Get-PermissionId($Resource, [string]$Name, [string]$Type) {');
  L.push("  if ($Type -eq 'Scope') { $id = ($Resource.Oauth2PermissionScopes | Where-Object { $_.Value -eq $Name }).Id }");
  L.push("  else { $id = ($Resource.AppRoles | Where-Object { $_.Value -eq $Name -and $_.AllowedMemberTypes -contains 'Application' }).Id }");
  L.push("  if (-not $id) { throw ('The tenant''s ' + $Resource.DisplayName + ' publishes no permission ' + $Name) }");
  L.push('  return $id');
  L.push('}', '');
  L.push(`$existing = Get-MgApplication -Filter ${psQuote(`displayName eq ${odataQuote(d.displayName)}`)}`);
  L.push("if ($existing) { throw ('An app registration with this display name already exists, client ID ' + $existing[0].AppId) }", '');

  const resources = [...new Set(d.permissions.map((p) => p.resourceAppId))];
  for (const r of resources) L.push(`${resourceVar(r).ps} = Get-MgServicePrincipal -Filter ${psQuote(`appId eq ${odataQuote(r)}`)}`);
  if (resources.length) L.push('');

  const body: Record<string, unknown> = { displayName: d.displayName, signInAudience: d.signInAudience };
  if (d.requestedAccessTokenVersion === 2) body.api = { requestedAccessTokenVersion: 2 };
  if (d.isFallbackPublicClient) body.isFallbackPublicClient = true;
  const ig = d.implicitGrant;
  if (d.redirectUris.web.length || ig.accessTokens || ig.idTokens)
    body.web = { redirectUris: d.redirectUris.web, implicitGrantSettings: { enableAccessTokenIssuance: ig.accessTokens, enableIdTokenIssuance: ig.idTokens } };
  if (d.redirectUris.publicClient.length) body.publicClient = { redirectUris: d.redirectUris.publicClient };
  if (d.redirectUris.spa.length) body.spa = { redirectUris: d.redirectUris.spa };
  body.requiredResourceAccess = resources.map((r) => ({
    resourceAppId: r,
    resourceAccess: d.permissions
      .filter((p) => p.resourceAppId === r)
      .map((p) => ({ id: { ps: `(Get-PermissionId ${resourceVar(r).ps} ${psQuote(p.name)} ${psQuote(accessType(p))})` }, type: accessType(p) })),
  }));
  L.push(`$body = ${psValue(body, '')}`);
  L.push('$app = New-MgApplication -BodyParameter $body');
  L.push("Write-Host ('Created the app registration, client ID ' + $app.AppId)");
  L.push('$sp = Invoke-WithRetry { New-MgServicePrincipal -AppId $app.AppId }');
  L.push("Write-Host ('Created its enterprise application, object ID ' + $sp.Id)", '');

  if (d.credential.kind === 'secret') {
    L.push(`$secret = Invoke-WithRetry { Add-MgApplicationPassword -ApplicationId $app.Id -PasswordCredential @{ displayName = ${psQuote(d.credential.displayName)}; endDateTime = (Get-Date).ToUniversalTime().AddMonths(${d.credential.lifetimeMonths}) } }`);
    if (o.seal) L.push(...psSeal(o.seal));
    else {
      L.push("Write-Host ('Client secret Value (shown once: copy it now into the system): ' + $secret.SecretText)");
      L.push("Write-Host ('Secret ID: ' + $secret.KeyId + ', expires ' + $secret.EndDateTime)", '');
    }
  }
  if (d.consent.delegated)
    for (const r of resources) {
      const names = d.permissions.filter((p) => p.resourceAppId === r && p.type === 'delegated').map((p) => p.name);
      if (!names.length) continue;
      L.push(`Invoke-WithRetry { New-MgOauth2PermissionGrant -BodyParameter @{ clientId = $sp.Id; consentType = 'AllPrincipals'; resourceId = ${resourceVar(r).ps}.Id; scope = ${psQuote(names.join(' '))} } } | Out-Null`);
    }
  if (d.consent.application)
    for (const p of d.permissions.filter((x) => x.type === 'application')) {
      const v = resourceVar(p.resourceAppId).ps;
      L.push(`Invoke-WithRetry { New-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $sp.Id -PrincipalId $sp.Id -ResourceId ${v}.Id -AppRoleId (Get-PermissionId ${v} ${psQuote(p.name)} 'Role') } | Out-Null`);
    }
  if (d.assignment.required) L.push('Update-MgServicePrincipal -ServicePrincipalId $sp.Id -AppRoleAssignmentRequired:$true');
  if (d.assignment.assignMailbox) {
    if (d.mailbox) {
      L.push(`$user = Get-MgUser -UserId ${psQuote(d.mailbox)}`);
      L.push(`Invoke-WithRetry { New-MgServicePrincipalAppRoleAssignedTo -ServicePrincipalId $sp.Id -PrincipalId $user.Id -ResourceId $sp.Id -AppRoleId '${ZERO_ROLE}' } | Out-Null`);
    } else L.push('# Assign the mailbox user under Enterprise apps > Users and groups (the profile names no mailbox).');
  }
  L.push(`Write-Host ${psQuote(readyWords(d))}`, '');

  const exchange = exchangeLines(
    d.manualSteps.filter((s) => s.where === 'exchange-powershell' || s.id === 'smtp-auth-mailbox'),
    { appId: '$app.AppId', spId: '$sp.Id', tenant: '$tenantId' },
  );
  if (exchange.length) {
    L.push('# ---- Exchange Online (Graph cannot do these). Needs: Install-Module ExchangeOnlineManagement, an Exchange administrator.');
    for (const { step, lines } of exchange) {
      const off = !!step.optional || lines.some((l) => /<[^<>]+>/.test(l));
      L.push(oneLine(`# ${step.title}${step.optional ? ' (optional)' : ''}: ${step.why ?? ''}`).trimEnd());
      for (const l of lines) L.push(off ? `# ${l}` : l);
    }
  }
  return `${L.join('\n')}\n`;
}

// ------------------------------------------------------------------------------------------------
// Azure CLI (POSIX sh)

/** Where printfTemplate puts a `%s`: every other `%` (from any value) is escaped. */
const ARG = '\u0000';
const printfTemplate = (t: string): string => t.replace(/\\/g, '\\\\').replace(/%/g, '%%').replace(/\u0000/g, '%s');

/** The line a script prints once Entra is done: no "admin consent granted" when nothing was consented (scoped mail, issue 19). */
function readyWords(d: DesiredRegistration): string {
  const consented = d.consent.application || d.consent.delegated;
  const exchange = d.manualSteps.some((m) => m.where === 'exchange-powershell' && !m.optional);
  return `${consented ? 'Admin consent granted; the' : 'Nothing to consent in Entra; the'} registration is ready in Entra.${exchange ? ' The Exchange steps below give the app its mailbox.' : ''}`;
}

/** A double-quoted sh word built with printf from a template (ARG marks each argument) and argument words. */
function printfWord(template: string, args: string[]): string {
  return `"$(printf ${shQuote(printfTemplate(template))} ${args.join(' ')})"`;
}

function azureCli(d: DesiredRegistration, o: ScriptOptions): string {
  const L: string[] = ['#!/bin/sh', ...header(d, '#', o), ''];
  const env = mgEnvironment(d.graphUrl);
  L.push('# Needs Azure CLI 2.37 or later, signed in as that administrator:');
  L.push(`#   ${env ? `az cloud set --name ${AZ_CLOUD[env]} && ` : ''}az login${d.tenantId ? ` --tenant ${shQuote(d.tenantId)}` : ''} --allow-no-subscriptions`);
  L.push('set -eu', '');
  L.push(`GRAPH=${shQuote((d.graphUrl ?? 'https://graph.microsoft.com').replace(/\/+$/, ''))}`);
  L.push('TENANT_ID=$(az account show --query tenantId -o tsv)');
  L.push('# Microsoft Entra needs a moment before a new app can be referenced: retry with back-off.');
  L.push('retry() { n=0; until "$@"; do n=$((n + 1)); [ "$n" -ge 12 ] && return 1; sleep $((n * 2)); done; }');
  L.push('need_guid() { case "$2" in ????????-????-????-????-????????????) ;; *) echo "Could not resolve $1" >&2; exit 1 ;; esac; }', '');
  L.push(`EXISTING=$(az ad app list --filter ${shQuote(`displayName eq ${odataQuote(d.displayName)}`)} --query '[0].appId' -o tsv)`);
  L.push('if [ -n "$EXISTING" ]; then echo "An app registration with this display name already exists, client ID $EXISTING" >&2; exit 1; fi', '');

  const resources = [...new Set(d.permissions.map((p) => p.resourceAppId))];
  const idVar = new Map<string, string>();
  let n = 0;
  for (const r of resources) {
    const v = resourceVar(r).sh;
    L.push(`${v}=$(az ad sp show --id ${r} --query id -o tsv)`);
    L.push(`need_guid ${shQuote(`the tenant's service principal of ${r}`)} "$${v}"`);
    for (const p of d.permissions.filter((x) => x.resourceAppId === r)) {
      const pv = `PERM_${++n}`;
      idVar.set(`${r}|${p.name}|${p.type}`, pv);
      const list = p.type === 'delegated' ? 'oauth2PermissionScopes' : 'appRoles';
      L.push(`${pv}=$(az ad sp show --id ${r} --query ${shQuote(`${list}[?value=='${p.name}'].id | [0]`)} -o tsv) # ${p.name} (${p.type})`);
      L.push(`need_guid ${shQuote(`${p.name} (${p.type})`)} "$${pv}"`);
    }
  }
  if (resources.length) L.push('');

  const personal = d.requestedAccessTokenVersion === 2;
  const create = [`APP_OBJECT_ID=$(az ad app create --display-name ${shQuote(d.displayName)}`];
  // Personal audiences need v2 tokens first (InvalidAccessTokenVersion): created single-tenant, then patched.
  create.push(`  --sign-in-audience ${personal ? 'AzureADMyOrg' : d.signInAudience}`);
  if (d.redirectUris.web.length) create.push(`  --web-redirect-uris ${d.redirectUris.web.map(shQuote).join(' ')}`);
  if (d.redirectUris.publicClient.length) create.push(`  --public-client-redirect-uris ${d.redirectUris.publicClient.map(shQuote).join(' ')}`);
  if (d.implicitGrant.accessTokens) create.push('  --enable-access-token-issuance true');
  if (d.implicitGrant.idTokens) create.push('  --enable-id-token-issuance true');
  if (d.isFallbackPublicClient) create.push('  --is-fallback-public-client true');
  if (resources.length) {
    const tmpl = JSON.stringify(
      resources.map((r) => ({
        resourceAppId: r,
        resourceAccess: d.permissions.filter((p) => p.resourceAppId === r).map((p) => ({ id: `@@${idVar.get(`${r}|${p.name}|${p.type}`)}@@`, type: accessType(p) })),
      })),
    );
    const args: string[] = [];
    const template = tmpl.replace(/@@(PERM_\d+)@@/g, (_m, v: string) => {
      args.push(`"$${v}"`);
      return ARG;
    });
    create.push(`  --required-resource-accesses ${printfWord(template, args)}`);
  }
  create.push('  --query id -o tsv)');
  L.push(create.join(' \\\n'));
  L.push('APP_ID=$(az ad app show --id "$APP_OBJECT_ID" --query appId -o tsv)');
  L.push('echo "Created the app registration, client ID $APP_ID"');
  if (personal || d.redirectUris.spa.length) {
    const patch: Record<string, unknown> = {};
    if (personal) Object.assign(patch, { api: { requestedAccessTokenVersion: 2 }, signInAudience: d.signInAudience });
    if (d.redirectUris.spa.length) patch.spa = { redirectUris: d.redirectUris.spa };
    L.push(`retry az rest --method PATCH --uri "$GRAPH/v1.0/applications/$APP_OBJECT_ID" --headers Content-Type=application/json --body ${shQuote(JSON.stringify(patch))}`);
  }
  L.push('SP_ID=$(retry az ad sp create --id "$APP_ID" --query id -o tsv)');
  L.push('echo "Created its enterprise application, object ID $SP_ID"', '');

  if (d.credential.kind === 'secret') {
    const m = d.credential.lifetimeMonths;
    L.push(`END_DATE=$(date -u -d '+${m} months' +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || date -u -v+${m}m +%Y-%m-%dT%H:%M:%SZ)`);
    L.push(`SECRET=$(retry az ad app credential reset --id "$APP_ID" --append --display-name ${shQuote(d.credential.displayName)} --end-date "$END_DATE" --query password -o tsv)`);
    if (o.seal) L.push(...shSeal(o.seal));
    else L.push(`printf 'Client secret Value (shown once: copy it now into the system): %s\\n' "$SECRET"`);
    L.push('unset SECRET', '');
  }
  if (d.consent.delegated)
    for (const r of resources) {
      const names = d.permissions.filter((p) => p.resourceAppId === r && p.type === 'delegated').map((p) => p.name);
      if (!names.length) continue;
      const body = printfWord(`{"clientId":"${ARG}","consentType":"AllPrincipals","resourceId":"${ARG}","scope":"${jsonInner(names.join(' '))}"}`, ['"$SP_ID"', `"$${resourceVar(r).sh}"`]);
      L.push(`retry az rest --method POST --uri "$GRAPH/v1.0/oauth2PermissionGrants" --headers Content-Type=application/json --body ${body} >/dev/null`);
    }
  if (d.consent.application)
    for (const p of d.permissions.filter((x) => x.type === 'application')) {
      const v = resourceVar(p.resourceAppId).sh;
      const body = printfWord(`{"principalId":"${ARG}","resourceId":"${ARG}","appRoleId":"${ARG}"}`, ['"$SP_ID"', `"$${v}"`, `"$${idVar.get(`${p.resourceAppId}|${p.name}|${p.type}`)}"`]);
      L.push(`retry az rest --method POST --uri "$GRAPH/v1.0/servicePrincipals/$${v}/appRoleAssignedTo" --headers Content-Type=application/json --body ${body} >/dev/null # ${p.name}`);
    }
  if (d.assignment.required) L.push('retry az ad sp update --id "$SP_ID" --set appRoleAssignmentRequired=true');
  if (d.assignment.assignMailbox) {
    if (d.mailbox) {
      L.push(`USER_ID=$(az ad user show --id ${shQuote(d.mailbox)} --query id -o tsv)`);
      const body = printfWord(`{"principalId":"${ARG}","resourceId":"${ARG}","appRoleId":"${ZERO_ROLE}"}`, ['"$USER_ID"', '"$SP_ID"']);
      L.push(`retry az rest --method POST --uri "$GRAPH/v1.0/servicePrincipals/$SP_ID/appRoleAssignedTo" --headers Content-Type=application/json --body ${body} >/dev/null`);
    } else L.push('# Assign the mailbox user under Enterprise apps > Users and groups (the profile names no mailbox).');
  }
  L.push(`echo ${shQuote(readyWords(d))}`);

  const exchange = exchangeLines(
    d.manualSteps.filter((s) => s.where === 'exchange-powershell' || s.id === 'smtp-auth-mailbox'),
    { appId: '%APP%', spId: '%SP%', tenant: '%TENANT%' },
  );
  if (exchange.length) {
    L.push('', "echo 'Now in Exchange Online PowerShell (an Exchange administrator; Graph cannot do these):'");
    for (const { step, lines } of exchange) {
      const off = !!step.optional || lines.some((l) => /<[^<>]+>/.test(l));
      L.push(`echo ${shQuote(`# ${step.title}${step.optional ? ' (optional)' : ''}`)}`);
      for (const l of lines) {
        const args: string[] = [];
        const template = `${off ? '# ' : ''}${l}`.replace(/%(APP|SP|TENANT)%/g, (_m, k: string) => {
          args.push(k === 'APP' ? `"'$APP_ID'"` : k === 'SP' ? `"'$SP_ID'"` : `"'$TENANT_ID'"`);
          return ARG;
        });
        L.push(`printf ${shQuote(`${printfTemplate(template)}\\n`)} ${args.join(' ')}`.trimEnd());
      }
    }
  }
  return `${L.join('\n')}\n`;
}

export function registrationScript(desired: DesiredRegistration, kind: ScriptKind, opts: ScriptOptions = {}): string {
  check(desired);
  return kind === 'powershell' ? powershell(desired, opts) : azureCli(desired, opts);
}
