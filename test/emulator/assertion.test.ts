import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfidentialClientApplication, CryptoProvider, type Configuration } from '@azure/msal-node';
import { createPrivateKey, generateKeyPair, randomUUID, sign as cryptoSign, X509Certificate, createHash, constants } from 'node:crypto';
import { generate } from 'selfsigned';
import { startEmulator, caNetworkClient, demoScenario, GRAPH_CLI_APP_ID, type Emulator } from './index.js';
import { kit, claimsOf } from './testkit.js';

const TENANT = '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01';
const EXO = '00000002-0000-0ff1-ce00-000000000000';
const EXO_IMAP_APP = '5e5addcd-3e8d-4e90-baf5-964efab2b20a';
const REDIRECT = 'https://erp.fabrikam.com/microsoft_outlook/confirm';

interface Cert {
  pem: string;
  key: string;
  der64: string;
  sha1: string;
  sha256: string;
}
async function makeCert(cn: string, from = new Date(Date.now() - 3600_000), to = new Date(Date.now() + 365 * 86400_000)): Promise<Cert> {
  // Node's RSA key generation (fast, native); selfsigned builds the certificate around it.
  const keyPair = await new Promise<{ privateKey: string; publicKey: string }>((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } }, (e, publicKey, privateKey) => (e ? reject(e) : resolve({ privateKey, publicKey }))),
  );
  const g = await generate([{ name: 'commonName', value: cn }], { keyType: 'rsa', keyPair, algorithm: 'sha256', notBeforeDate: from, notAfterDate: to });
  const x = new X509Certificate(g.cert);
  return { pem: g.cert, key: g.private, der64: x.raw.toString('base64'), sha1: createHash('sha1').update(x.raw).digest('hex'), sha256: createHash('sha256').update(x.raw).digest('hex') };
}

let emu: Emulator;
let k: ReturnType<typeof kit>;
let good: Cert;
let other: Cert;
let expired: Cert;
let app: { id: string; appId: string };
const adminTok = () => emu.admin.issueToken({ upn: 'admin@fabrikam.com', clientId: GRAPH_CLI_APP_ID, resource: 'graph', scp: 'Application.ReadWrite.All AppRoleAssignment.ReadWrite.All' });
const tokenUrl = () => `${emu.loginUrl}/${TENANT}/oauth2/v2.0/token`;

function config(clientCertificate: NonNullable<Configuration['auth']['clientCertificate']>, clientId = app.appId): Configuration {
  return { auth: { clientId, authority: `${emu.loginUrl}/${TENANT}`, knownAuthorities: [emu.loginHost], clientCertificate }, system: { networkClient: caNetworkClient(emu.caPem) } };
}
function jwt(header: Record<string, unknown>, claims: Record<string, unknown>, keyPem: string): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const key = createPrivateKey(keyPem);
  const sig = header.alg === 'PS256' ? cryptoSign('sha256', Buffer.from(input), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }) : cryptoSign('RSA-SHA256', Buffer.from(input), key);
  return `${input}.${sig.toString('base64url')}`;
}
function claims(o: Partial<Record<string, unknown>> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return { aud: tokenUrl(), iss: app.appId, sub: app.appId, jti: randomUUID(), nbf: now, exp: now + 600, ...o };
}
async function tokenWith(assertion: string, extra: Record<string, string> = {}) {
  const r = await k.http('POST', tokenUrl(), { client_id: app.appId, grant_type: 'client_credentials', scope: 'https://outlook.office365.com/.default', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion, ...extra });
  return { status: r.status, body: JSON.parse(r.text) as { error?: string; error_description?: string; error_codes?: number[]; access_token?: string } };
}

beforeAll(async () => {
  [emu, good, other, expired] = await Promise.all([startEmulator(demoScenario), makeCert('CN=Mail OAuth Assistant'), makeCert('CN=Someone else'), makeCert('CN=Old', new Date(Date.now() - 400 * 86400_000), new Date(Date.now() - 86400_000))]);
  k = kit(emu);
  const c = await k.graph('POST', '/applications', adminTok(), { displayName: 'cert app', signInAudience: 'AzureADMyOrg', web: { redirectUris: [REDIRECT] } });
  app = c.body as typeof app;
  const sp = await k.graph('POST', '/servicePrincipals', adminTok(), { appId: app.appId });
  const exo = await k.graph('GET', `/servicePrincipals(appId='${EXO}')?$select=id`, adminTok());
  await k.graph('POST', `/servicePrincipals/${String(exo.body.id)}/appRoleAssignedTo`, adminTok(), { principalId: sp.body.id, resourceId: exo.body.id, appRoleId: EXO_IMAP_APP });
});
afterAll(async () => {
  await emu?.stop();
});

describe('certificate credentials (client assertions)', () => {
  it('a certificate uploaded with PATCH keyCredentials is listed (key only with $select=keyCredentials)', async () => {
    const p = await k.graph('PATCH', `/applications/${app.id}`, adminTok(), { keyCredentials: [{ type: 'AsymmetricX509Cert', usage: 'Verify', key: good.der64, displayName: 'CN=Mail OAuth Assistant' }] });
    expect(p.status, JSON.stringify(p.body)).toBe(204);
    const all = await k.graph('GET', `/applications/${app.id}`, adminTok());
    const kc = (all.body.keyCredentials as Record<string, unknown>[])[0]!;
    expect(kc).toMatchObject({ type: 'AsymmetricX509Cert', usage: 'Verify', displayName: 'CN=Mail OAuth Assistant', customKeyIdentifier: good.sha1.toUpperCase(), key: null, endDateTime: new Date(new X509Certificate(good.pem).validTo).toISOString() });
    const sel = await k.graph('GET', `/applications/${app.id}?$select=keyCredentials`, adminTok());
    expect((sel.body.keyCredentials as { key: string }[])[0]!.key).toBe(good.der64);
    const bad = await k.graph('PATCH', `/applications/${app.id}`, adminTok(), { keyCredentials: [{ type: 'AsymmetricX509Cert', usage: 'Verify', key: Buffer.from('not a certificate').toString('base64') }] });
    expect(bad.status).toBe(400);
  });

  it('msal-node signs in with the certificate: PS256 (x5t#S256) and RS256 (x5t), client credentials', async () => {
    const ps = new ConfidentialClientApplication(config({ thumbprintSha256: good.sha256, privateKey: good.key }));
    const t1 = await ps.acquireTokenByClientCredential({ scopes: ['https://outlook.office365.com/.default'] });
    expect(claimsOf(t1!.accessToken)).toMatchObject({ appid: app.appId, idtyp: 'app', roles: ['IMAP.AccessAsApp'], appidacr: '1' });
    const rs = new ConfidentialClientApplication(config({ thumbprint: good.sha1, privateKey: good.key }));
    const t2 = await rs.acquireTokenByClientCredential({ scopes: ['https://outlook.office365.com/.default'] });
    expect(claimsOf(t2!.accessToken).appid).toBe(app.appId);
  });

  it('auth code with a client assertion (confidential web app)', async () => {
    const graphSp = await k.graph('GET', `/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')?$select=id`, adminTok());
    const mine = await k.graph('GET', `/servicePrincipals(appId='${app.appId}')?$select=id`, adminTok());
    const g = await k.graph('POST', '/oauth2PermissionGrants', emu.admin.issueToken({ upn: 'admin@fabrikam.com', clientId: GRAPH_CLI_APP_ID, resource: 'graph', scp: 'DelegatedPermissionGrant.ReadWrite.All' }), { clientId: mine.body.id, consentType: 'AllPrincipals', resourceId: graphSp.body.id, scope: 'IMAP.AccessAsUser.All offline_access' });
    expect(g.status).toBe(201);
    const cca = new ConfidentialClientApplication(config({ thumbprintSha256: good.sha256, privateKey: good.key }));
    const pkce = await new CryptoProvider().generatePkceCodes();
    const scopes = ['https://outlook.office.com/IMAP.AccessAsUser.All'];
    const s = await k.signIn(await cca.getAuthCodeUrl({ scopes, redirectUri: REDIRECT, codeChallenge: pkce.challenge, codeChallengeMethod: 'S256' }), 'reception@fabrikam.com', 'Reception-Pass-1');
    const t = await cca.acquireTokenByCode({ code: s.redirect!.searchParams.get('code')!, redirectUri: REDIRECT, scopes, codeVerifier: pkce.verifier });
    expect(claimsOf(t.accessToken)).toMatchObject({ upn: 'reception@fabrikam.com', scp: 'IMAP.AccessAsUser.All', appid: app.appId });
  });

  it('an unknown certificate: AADSTS700027 "The key was not found" with the thumbprint', async () => {
    const cca = new ConfidentialClientApplication(config({ thumbprint: other.sha1, privateKey: other.key }));
    await expect(cca.acquireTokenByClientCredential({ scopes: ['https://outlook.office365.com/.default'] })).rejects.toMatchObject({
      errorCode: 'invalid_client',
      message: expect.stringContaining(`AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${other.sha1.toUpperCase()}'`),
    });
  });

  it('a wrong signature (registered thumbprint, other key): AADSTS700027 invalid signature', async () => {
    const r = await tokenWith(jwt({ alg: 'PS256', typ: 'JWT', 'x5t#S256': Buffer.from(good.sha256, 'hex').toString('base64url') }, claims(), other.key));
    expect(r.status).toBe(401);
    expect(r.body.error).toBe('invalid_client');
    expect(r.body.error_codes).toEqual([700027]);
    expect(r.body.error_description).toContain('AADSTS700027: Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value.');
    // the same assertion signed with the right key passes: the refusal is the signature, nothing else
    const ok = await tokenWith(jwt({ alg: 'PS256', typ: 'JWT', 'x5t#S256': Buffer.from(good.sha256, 'hex').toString('base64url') }, claims(), good.key));
    expect(ok.status).toBe(200);
  });

  it('an expired certificate: AADSTS700027 "The key used is expired"; an expired assertion: AADSTS700024', async () => {
    emu.admin.setApp(app.appId, { certificates: [...emu.scenario.apps.find((a) => a.clientId === app.appId)!.certificates, { keyId: randomUUID(), displayName: 'CN=Old', key: expired.der64, type: 'AsymmetricX509Cert', usage: 'Verify' }] });
    const old = new ConfidentialClientApplication(config({ thumbprint: expired.sha1, privateKey: expired.key }));
    await expect(old.acquireTokenByClientCredential({ scopes: ['https://outlook.office365.com/.default'] })).rejects.toMatchObject({ message: expect.stringContaining('AADSTS700027: Client assertion contains an invalid signature. [Reason - The key used is expired.') });
    const past = Math.floor(Date.now() / 1000) - 3600;
    const r = await tokenWith(jwt({ alg: 'RS256', typ: 'JWT', x5t: Buffer.from(good.sha1, 'hex').toString('base64url') }, claims({ nbf: past - 600, exp: past }), good.key));
    expect(r.status).toBe(401);
    expect(r.body.error_codes).toEqual([700024]);
    expect(r.body.error_description).toMatch(/^AADSTS700024: Client assertion is not within its valid time range\. Current time: \S+Z, assertion valid from \S+Z, expiry time of assertion \S+Z\./);
  });

  it('other claims: iss/sub (700021), audience, thumbprint header (50027), assertion type', async () => {
    const x5t = Buffer.from(good.sha1, 'hex').toString('base64url');
    const wrongIss = await tokenWith(jwt({ alg: 'RS256', x5t }, claims({ iss: 'someone', sub: 'someone' }), good.key));
    expect(wrongIss.body.error_codes).toEqual([700021]);
    const wrongAud = await tokenWith(jwt({ alg: 'RS256', x5t }, claims({ aud: 'https://login.microsoftonline.com/common/oauth2/v2.0/token' }), good.key));
    expect(wrongAud.body.error_codes).toEqual([50027]);
    const noThumb = await tokenWith(jwt({ alg: 'RS256' }, claims(), good.key));
    expect(noThumb.body.error_description).toContain('AADSTS50027: Invalid JWT token. No certificate thumbprint specified in token header.');
    const noType = await tokenWith(jwt({ alg: 'RS256', x5t }, claims(), good.key), { client_assertion_type: '' });
    expect(noType.body.error_codes).toEqual([900144]);
    const v1Aud = await tokenWith(jwt({ alg: 'RS256', x5t }, claims({ aud: tokenUrl().replace('/v2.0/token', '/token') }), good.key));
    expect(v1Aud.status).toBe(200);
  });
});
