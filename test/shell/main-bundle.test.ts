import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../shared/ipc/channels';
import { makeCertSet } from '../emulator/certs';
import { packageBuild } from '../package/build';
import { makeChains } from '../unit/electron/adapters/certs.fixture';
import { createFakeElectron, preventable, type FakeBrowserWindowLike, type FakeElectron, type FakeSession } from './fake-electron';
import { extractPackage, loadMainBundle } from './load-main';

// The shell tier: the BUILT main bundle, taken from the packaged app.asar, run in plain Node with a
// recording stand-in for Electron. It proves how main wires Electron (handlers, windows, sessions,
// the sign-in window, storage on disk); it cannot prove what Chromium itself does (README).
const TENANT = '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01';
const CLIENT = '11111111-2222-4333-8444-000000000001';
const SECRET = 'Erp~Secret.Value_0123456789abcdefGHIJ';
const ID = 'fabrikam-odoo-shell1';
const REDIRECT = 'https://erp.fabrikam.com/microsoft_outlook/confirm';

let appDir = '';
let home = '';
let fake: FakeElectron;
let mainWindow: FakeBrowserWindowLike;
let server: Server;
let signInHost = '';
let serverCa = '';
const tokenRequests: string[] = [];
let attackerCaFile = '';
/** Chains of a CA that only the environment names (MAIL_OAUTH_EXTRA_CA): a packaged app must not trust it. */
let envOnly: Awaited<ReturnType<typeof makeChains>>;

type Result = { ok: boolean; value?: unknown; error?: { code: string; message: string } };
const ownFrame = () => ({ url: 'app://mail-oauth/index.html', parent: null });
/** An IPC call as the app window's main frame would make it. */
async function call(channel: string, payload?: unknown, event: Record<string, unknown> = { sender: mainWindow.webContents, senderFrame: ownFrame() }): Promise<Result> {
  const handlers = fake.ipcHandlers.get(channel);
  if (!handlers?.length) throw new Error(`no handler for ${channel}`);
  return (await handlers[0]!(event, payload)) as Result;
}
async function value<T>(channel: string, payload?: unknown): Promise<T> {
  const r = await call(channel, payload);
  if (!r.ok) throw new Error(`${channel}: ${r.error?.code}: ${r.error?.message}`);
  return r.value as T;
}
const until = async <T,>(what: string, probe: () => T | undefined, ms = 10_000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

async function boot(): Promise<void> {
  fake = createFakeElectron({ userData: path.join(home, 'userData'), documents: path.join(home, 'documents') });
  loadMainBundle(appDir, fake);
  mainWindow = await until('the app window to load', () => fake.windows.find((w) => w.loaded.length > 0));
}

beforeAll(async () => {
  const build = packageBuild();
  appDir = extractPackage(build.asarPath);
  home = mkdtempSync(path.join(tmpdir(), 'moa-shell-home-'));
  mkdirSync(path.join(home, 'documents'), { recursive: true });
  // A fake sign-in host: discovery document and a token endpoint that records what it is sent.
  const certs = await makeCertSet('Shell tier sign-in host CA');
  serverCa = certs.caPem;
  server = createServer({ key: certs.leafKey, cert: certs.leafCert }, (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const base = `https://${signInHost}/${TENANT}`;
      if (req.url?.includes('openid-configuration')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: `${base}/v2.0`, authorization_endpoint: `${base}/oauth2/v2.0/authorize`, token_endpoint: `${base}/oauth2/v2.0/token`, end_session_endpoint: `${base}/oauth2/v2.0/logout`, jwks_uri: `${base}/discovery/v2.0/keys` }));
        return;
      }
      tokenRequests.push(body);
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_grant', error_description: 'AADSTS54005: OAuth2 Authorization code was already redeemed.', error_codes: [54005] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  signInHost = `localhost:${(server.address() as AddressInfo).port}`;
  // Development variables a packaged app must ignore.
  attackerCaFile = path.join(home, 'attacker-ca.pem');
  envOnly = await makeChains(signInHost.split(':')[0]);
  writeFileSync(attackerCaFile, envOnly.trustedCaPem);
  process.env.MAIL_OAUTH_DEV_SERVER_URL = 'http://127.0.0.1:9/evil';
  process.env.MAIL_OAUTH_EXTRA_CA = attackerCaFile;
  process.env.MAIL_OAUTH_CUSTOM_ENDPOINTS = '1';
  await boot();
}, 300_000);

afterAll(async () => {
  delete process.env.MAIL_OAUTH_DEV_SERVER_URL;
  delete process.env.MAIL_OAUTH_EXTRA_CA;
  delete process.env.MAIL_OAUTH_CUSTOM_ENDPOINTS;
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  rmSync(appDir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

describe('main starts', () => {
  it('enables the sandbox, takes the single-instance lock and opens one app window', () => {
    expect(fake.calls).toContain('app.enableSandbox');
    expect(fake.windows).toHaveLength(1);
  });
  it('loads the renderer from the app:// scheme, never the dev server or a file: URL, in a packaged build', () => {
    expect(mainWindow.loaded).toEqual(['app://mail-oauth/index.html']);
    expect(fake.privilegedSchemes).toMatchObject([{ scheme: 'app', privileges: { standard: true, secure: true } }]);
  });
});

describe('IPC', () => {
  it('registers every contract channel exactly once, and nothing else', () => {
    expect([...fake.ipcHandlers.keys()].sort()).toEqual([...CHANNELS].sort());
    for (const [channel, handlers] of fake.ipcHandlers) expect(handlers.length, channel).toBe(1);
  });
  it('refuses every channel from a foreign sender', async () => {
    const stranger = { id: 987_654 };
    for (const channel of CHANNELS) {
      await expect(call(channel, undefined, { sender: stranger, senderFrame: ownFrame() }), channel).resolves.toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    }
  });
  it('refuses every channel from a foreign frame of the app window: an iframe, a file: page, another origin', async () => {
    const frames = [
      { url: 'app://mail-oauth/index.html', parent: { url: 'app://mail-oauth/index.html' } },
      { url: 'file:///tmp/evil.html', parent: null },
      { url: 'https://evil.example.net/', parent: null },
      { url: 'app://other/index.html', parent: null },
    ];
    for (const channel of CHANNELS) for (const senderFrame of frames) {
      await expect(call(channel, undefined, { sender: mainWindow.webContents, senderFrame }), `${channel} ${senderFrame.url}`).resolves.toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    }
  });
  it('answers the app window main frame', async () => {
    await expect(value('app:getInfo')).resolves.toMatchObject({ name: 'Mail OAuth Assistant', version: '0.1.0' });
  });
});

describe('windows and sessions', () => {
  it('the app window gets the hardened web preferences, no DevTools in a packaged build, and a preload inside the package', () => {
    const prefs = mainWindow.options.webPreferences!;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false, webSecurity: true, allowRunningInsecureContent: false, webviewTag: false, devTools: false });
    const preload = String(prefs.preload);
    expect(path.relative(appDir, preload).startsWith('..')).toBe(false);
    expect(existsSync(preload)).toBe(true);
  });
  it('serves the renderer files from inside the package over app://, and nothing outside it', async () => {
    const handler = fake.protocolHandlers.get('app')!;
    expect(handler).toBeTypeOf('function');
    const index = await handler({ url: 'app://mail-oauth/index.html', method: 'GET' });
    expect(index.status).toBe(200);
    const html = await index.text();
    expect(html).toContain('<div id="root">');
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)![1]!;
    expect(existsSync(path.join(appDir, 'dist/renderer', script))).toBe(true);
    const js = await handler({ url: `app://mail-oauth/${script}`, method: 'GET' });
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    for (const url of ['app://mail-oauth/../../package.json', 'app://mail-oauth/%2e%2e/%2e%2e/package.json', 'app://mail-oauth/..%2f..%2fpackage.json', 'app://other/index.html', 'app://mail-oauth/assets/']) {
      expect((await handler({ url, method: 'GET' })).status, url).toBe(404);
    }
    expect((await handler({ url: 'app://mail-oauth/index.html', method: 'POST' })).status).toBe(404);
  });
  it('the app window never navigates away: links, dropped files and frames stay on app://', () => {
    for (const url of ['file:///home/user/dropped.html', 'https://evil.example.net/', 'app://other/']) {
      const e = preventable();
      mainWindow.webContents.emit('will-navigate', e, url);
      expect(e.prevented, url).toBe(true);
      const f = preventable({ url, isMainFrame: false });
      mainWindow.webContents.emit('will-frame-navigate', f);
      expect(f.prevented, `frame ${url}`).toBe(true);
    }
    const ok = preventable();
    mainWindow.webContents.emit('will-navigate', ok, 'app://mail-oauth/index.html#/details');
    expect(ok.prevented).toBe(false);
  });
  it('every web contents denies new windows and webviews', () => {
    expect(mainWindow.webContents.windowOpenHandler!({ url: 'https://evil.example.net/' })).toEqual({ action: 'deny' });
    expect(mainWindow.webContents.windowOpenHandler!({ url: 'https://learn.microsoft.com/x' })).toEqual({ action: 'deny' });
    expect(fake.opened).toEqual(['https://learn.microsoft.com/x']);
    const e = preventable();
    mainWindow.webContents.emit('will-attach-webview', e);
    expect(e.prevented).toBe(true);
  });
  it('permission request and check handlers are set and deny, the clipboard included', async () => {
    const s = fake.defaultSession;
    expect(s.permissionRequestHandler).toBeTypeOf('function');
    expect(s.permissionCheckHandler).toBeTypeOf('function');
    for (const permission of ['clipboard-sanitized-write', 'clipboard-read', 'media', 'notifications', 'geolocation']) {
      const granted = await new Promise<boolean>((resolve) => s.permissionRequestHandler!(mainWindow.webContents, permission, resolve));
      expect(granted, permission).toBe(false);
      expect(s.permissionCheckHandler!(mainWindow.webContents, permission, 'app://mail-oauth'), permission).toBe(false);
    }
  });
});

describe('storage: safeStorage and electron-store through the real conf on disk', () => {
  it('writes profiles.json 0600 and secrets.json with ciphertext only, and reads both back after a restart', async () => {
    await value('profiles:save', { id: 'store-roundtrip-1', profile: { name: 'Round trip', target: 'odoo', targetInputs: { baseUrl: 'https://erp.fabrikam.com' } }, wizard: { step: 'details', ticks: [] } });
    await value('secrets:set', { profileId: 'store-roundtrip-1', value: SECRET });
    const userData = path.join(home, 'userData');
    const profilesFile = path.join(userData, 'profiles.json');
    expect(JSON.parse(readFileSync(profilesFile, 'utf8')).profiles['store-roundtrip-1'].profile.name).toBe('Round trip');
    expect(statSync(profilesFile).mode & 0o777).toBe(0o600);
    const secrets = readFileSync(path.join(userData, 'secrets.json'), 'utf8');
    expect(secrets).not.toContain(SECRET);
    expect(statSync(path.join(userData, 'secrets.json')).mode & 0o777).toBe(0o600);
    const before = mainWindow;
    await boot();
    expect(mainWindow).not.toBe(before);
    await expect(value('profiles:list')).resolves.toMatchObject([{ record: { id: 'store-roundtrip-1' }, hasSecret: true }]);
    await value('profiles:delete', { id: 'store-roundtrip-1' });
  });
});

describe('exports and the clipboard', () => {
  beforeAll(async () => {
    await value('profiles:save', { id: ID, profile: { name: 'Fabrikam Odoo', target: 'odoo', targetInputs: { baseUrl: 'https://erp.fabrikam.com' }, tenant: TENANT, clientId: CLIENT, mailbox: 'reception@fabrikam.com', secretExpires: '2099-12-31' }, wizard: { step: 'done', ticks: [] } });
    await value('secrets:set', { profileId: ID, value: SECRET });
  });
  it('export:make never hands the secret to the renderer', async () => {
    const r = await call('export:make', { profileId: ID, format: 'paste-card', includeSecret: true });
    expect(r.ok).toBe(true);
    expect(JSON.stringify(r)).not.toContain(SECRET);
  });
  it('export:save with the secret asks a native question first and writes 0600 over an existing 0644 file', async () => {
    const target = path.join(home, 'documents', 'fabrikam.env');
    writeFileSync(target, 'old', { mode: 0o644 });
    fake.answers.savePath = target;
    fake.answers.messageResponse = 1;
    const asked = fake.dialogs.message.length;
    // "Save elsewhere…": the OS save dialog picks the file.
    const r = await call('export:save', { profileId: ID, format: 'env', includeSecret: true, elsewhere: true });
    expect(r).toMatchObject({ ok: true, value: { savedTo: target } });
    expect(JSON.stringify(r)).not.toContain(SECRET);
    expect(fake.dialogs.message.length).toBe(asked + 1);
    expect(readFileSync(target, 'utf8')).toContain(SECRET);
    expect(statSync(target).mode & 0o777).toBe(0o600);
  });
  it('export:save by default: into the customer folder under Documents (no dialog), still asking before the secret, 0600', async () => {
    fake.answers.messageResponse = 1;
    const asked = fake.dialogs.message.length;
    const saves = fake.dialogs.save.length;
    const r = await call('export:save', { profileId: ID, format: 'env', includeSecret: true });
    const savedTo = (r as { ok: true; value: { savedTo: string } }).value.savedTo;
    expect(savedTo.startsWith(path.join(home, 'documents', 'Mail OAuth Assistant', 'fabrikam.com') + path.sep)).toBe(true);
    expect(fake.dialogs.message.length).toBe(asked + 1);
    expect(fake.dialogs.save.length).toBe(saves);
    expect(readFileSync(savedTo, 'utf8')).toContain(SECRET);
    expect(statSync(savedTo).mode & 0o777).toBe(0o600);
  });
  it('copies through main: plain values, and the secret only after a native confirmation', async () => {
    await expect(value('clipboard:write', { text: REDIRECT })).resolves.toEqual({ copied: true });
    expect(fake.clipboardText.value).toBe(REDIRECT);
    fake.answers.messageResponse = 0; // Cancel
    await expect(value('export:copy', { profileId: ID, format: 'paste-card', includeSecret: true })).resolves.toMatchObject({ copied: false });
    expect(fake.clipboardText.value).toBe(REDIRECT);
    fake.answers.messageResponse = 1;
    const r = await call('export:copy', { profileId: ID, format: 'paste-card', includeSecret: true });
    expect(JSON.stringify(r)).not.toContain(SECRET);
    expect(fake.clipboardText.value).toContain(SECRET);
  });
});

describe('the sign-in window', () => {
  let chains: Awaited<ReturnType<typeof makeChains>>;
  beforeAll(async () => {
    chains = await makeChains(signInHost.split(':')[0]);
    fake.answers.messageResponse = 1;
    // Custom endpoints and the CAs configured in the app's settings (a native confirmation each);
    // MAIL_OAUTH_CUSTOM_ENDPOINTS / MAIL_OAUTH_EXTRA_CA in the environment count for nothing when packaged.
    await expect(value('settings:get')).resolves.toMatchObject({ customEndpoints: false, caCertCount: 0 });
    await value('settings:setCustomEndpoints', { enabled: true });
    await value('settings:setCaCerts', { pem: [serverCa, chains.trustedCaPem] });
    await value('profiles:save', { id: ID, profile: { name: 'Fabrikam Odoo', target: 'odoo', targetInputs: { baseUrl: 'https://erp.fabrikam.com' }, tenant: TENANT, clientId: CLIENT, mailbox: 'reception@fabrikam.com', secretExpires: '2099-12-31', endpoints: { signInHost } }, wizard: { step: 'signin', ticks: [] } });
    await value('secrets:set', { profileId: ID, value: SECRET });
  });

  /** Starts a sign-in and hands back its window, session, the authorize URL and the outcome to come. */
  async function startSignIn() {
    const count = fake.windows.length;
    const timers: { ms: number; fn: () => void }[] = [];
    const realSetTimeout = globalThis.setTimeout;
    globalThis.setTimeout = ((fn: () => void, ms?: number, ...args: unknown[]) => {
      if (ms === 300_000) timers.push({ ms, fn });
      return realSetTimeout(fn, ms, ...args);
    }) as typeof setTimeout;
    const outcome = call('signin:start', { profileId: ID });
    try {
      const win = await until('the sign-in window', () => (fake.windows.length > count ? fake.windows.at(-1) : undefined));
      const authorize = new URL(win.loaded[0]!);
      const session = (win.options.webPreferences as { session: FakeSession }).session;
      return { win, session, authorize, outcome, timers, redirect: (code: string) => `${REDIRECT}?code=${code}&state=${authorize.searchParams.get('state')}&session_state=x` };
    } finally {
      globalThis.setTimeout = realSetTimeout;
    }
  }

  it('is hardened: its own in-memory session, no preload, no DevTools, https, the host in its title, deny-all permissions', async () => {
    const s = await startSignIn();
    expect(s.authorize.protocol).toBe('https:');
    expect(s.authorize.host).toBe(signInHost);
    expect(s.win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, devTools: false });
    expect(s.win.options.webPreferences!.preload).toBeUndefined();
    expect(s.session.partition).not.toMatch(/^persist:/);
    expect(s.win.title).toContain(signInHost);
    s.win.webContents.emit('did-navigate', preventable(), 'https://login.microsoftonline.com/common/login');
    expect(s.win.title).toContain('login.microsoftonline.com');
    expect(s.session.permissionCheckHandler!(s.win.webContents, 'clipboard-sanitized-write')).toBe(false);
    expect(await new Promise((resolve) => s.session.permissionRequestHandler!(s.win.webContents, 'media', resolve))).toBe(false);
    const http = preventable();
    s.win.webContents.emit('will-navigate', http, 'http://login.microsoftonline.com/');
    expect(http.prevented).toBe(true);
    s.win.emit('closed');
    await s.outcome;
  });

  it('trusts only the CAs configured in the settings, and only for a chain Node verifies', async () => {
    const s = await startSignIn();
    const verdict = (certificate: unknown, verificationResult = 'net::ERR_CERT_AUTHORITY_INVALID') =>
      new Promise<number>((resolve) => s.session.certificateVerifyProc!({ hostname: chains.host, certificate, verificationResult, errorCode: -202 }, resolve));
    expect(await verdict(chains.good)).toBe(0);
    expect(await verdict(chains.forged)).not.toBe(0);
    expect(await verdict(chains.wrongHost)).not.toBe(0);
    expect(await verdict(chains.expired)).not.toBe(0);
    expect(await verdict(chains.good, 'net::ERR_CERT_REVOKED')).not.toBe(0);
    // A genuine chain of the CA only MAIL_OAUTH_EXTRA_CA names: ignored in a packaged build.
    expect(await verdict(envOnly.good)).not.toBe(0);
    s.win.emit('closed');
    await s.outcome;
  });

  it.each(['onBeforeRequest', 'will-redirect', 'will-navigate'] as const)('resolves on the redirect seen at %s, cancelled before it leaves, and destroys its session', async (where) => {
    const s = await startSignIn();
    const code = `code-${where}`;
    if (where === 'onBeforeRequest') {
      const answer = await new Promise<{ cancel?: boolean }>((resolve) => s.session.beforeRequest!({ url: s.redirect(code) }, resolve));
      expect(answer).toEqual({ cancel: true });
    } else {
      const e = preventable();
      s.win.webContents.emit(where, e, s.redirect(code));
      expect(e.prevented).toBe(true);
    }
    const r = await s.outcome;
    // The code went to the token endpoint: the window resolved with the redirect's URL.
    expect(tokenRequests.some((body) => new URLSearchParams(body).get('code') === code)).toBe(true);
    expect(r).toMatchObject({ ok: true, value: { status: 'failed' } });
    expect(s.win.destroyed).toBe(true);
    expect(s.session.storageCleared).toBeGreaterThan(0);
  });

  it('rejects when the person closes it', async () => {
    const s = await startSignIn();
    s.win.emit('closed');
    await expect(s.outcome).resolves.toMatchObject({ ok: true, value: { status: 'cancelled', reason: 'closed' } });
    expect(s.session.storageCleared).toBeGreaterThan(0);
  });

  it('times out, and destroys the window and its session', async () => {
    const s = await startSignIn();
    expect(s.timers.length).toBeGreaterThan(0);
    s.timers.at(-1)!.fn();
    await expect(s.outcome).resolves.toMatchObject({ ok: true, value: { status: 'cancelled', reason: 'timeout' } });
    expect(s.win.destroyed).toBe(true);
    expect(s.session.storageCleared).toBeGreaterThan(0);
  });

  it('re-pointing the connection forgets its secret', async () => {
    await expect(value('secrets:status', { profileId: ID })).resolves.toMatchObject({ present: true });
    await value('profiles:save', { id: ID, profile: { name: 'Fabrikam Odoo', target: 'odoo', targetInputs: { baseUrl: 'https://erp.fabrikam.com' }, tenant: TENANT, clientId: CLIENT, mailbox: 'reception@fabrikam.com', endpoints: { signInHost: 'login.attacker.example' } }, wizard: { step: 'signin', ticks: [] } });
    await expect(value('secrets:status', { profileId: ID })).resolves.toMatchObject({ present: false });
  });
});
