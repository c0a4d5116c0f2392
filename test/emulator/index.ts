import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Configuration, INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { makeCertSet } from './certs.js';
import { Directory, Signer, principalOf, hasFullAccess, isOutlookAudience, type JwtClaims, type Grant, type Assignment } from './core.js';
import { Entra, type IssueOptions } from './entra.js';
import { Graph } from './graph.js';
import { MailStore, type StoredMessage } from './mailstore.js';
import { startSmtp } from './smtp.js';
import { startImapAuthBackend } from './imapauth.js';
import { startPop3, type Pop3Decision } from './pop3.js';
import { startDovecot, mailOwner, type DovecotHandle } from './dovecot.js';
import { FaultsSchema, loadScenario, type App, type Faults, type FaultsInput, type Scenario, type ScenarioInput, type User } from './scenario.js';
import { sleep } from './util.js';
import type { VirtualClock } from './clock.js';

export { ScenarioSchema, FaultsSchema, loadScenario, CONSUMERS_TENANT_ID } from './scenario.js';
export type { Scenario, ScenarioInput, Faults, FaultsInput, User, App, Tenant, SharedMailbox } from './scenario.js';
export type { IssueOptions } from './entra.js';
export type { StoredMessage } from './mailstore.js';
export { SMTP_TEXTS } from './smtp.js';
export { POP3_TEXTS, type Pop3Decision } from './pop3.js';
export { GRAPH_APP_ID, EXCHANGE_APP_ID } from './core.js';
export type { Grant, Assignment } from './core.js';
export { GRAPH_CLI_APP_ID, ENTRA_ROLES, GRAPH_RESOURCE, EXCHANGE_RESOURCE } from './resources.js';
export { GRAPH_TEXTS, DEFAULT_POLICY_ID } from './graphdir.js';
export { VirtualClock } from './clock.js';
export { thumbprints, parseCertificate } from './assertion.js';

export const demoScenarioPath = fileURLToPath(new URL('./scenarios/demo.json', import.meta.url));
/** The demo scenario (test/emulator/scenarios/demo.json), parsed. */
export const demoScenario: Scenario = loadScenario(demoScenarioPath);

export interface ImapDecision {
  at: string;
  user: string;
  ok: boolean;
  reason: string;
}

export interface EmulatorAdmin {
  /** Switch a fault at run time (same names as scenario.faults). */
  setFault<K extends keyof Faults>(name: K, value: FaultsInput[K]): Promise<void>;
  /** Back to no faults at all (not the scenario's). Await it when untrustedTls.imap was on (Dovecot reloads). */
  clearFaults(): Promise<void>;
  faults(): Faults;
  /** Set-CASMailbox: imapEnabled / smtpAuthDisabled (null = follow the tenant). */
  setMailbox(address: string, patch: { imapEnabled?: boolean; smtpAuthDisabled?: boolean | null }): void;
  /** Set-TransportConfig and tenant settings. */
  setTenant(tenantIdOrDomain: string, patch: { smtpAuthDisabled?: boolean; userConsentAllowed?: boolean }): void;
  /** Change an app registration at run time (secrets, consent, redirect URIs, Exchange SP, ...). Consent fields re-derive the app's grants / role assignments. */
  setApp(clientId: string, patch: Partial<App>): void;
  /** Change a user at run time (Entra roles, isAdmin, mfa, ...). */
  setUser(upn: string, patch: Partial<Pick<User, 'roles' | 'isAdmin' | 'mfa' | 'fullAccess' | 'sendAs'>>): void;
  /**
   * Stands in for Exchange Online PowerShell `New-ServicePrincipal -AppId -ObjectId` (+ `Add-MailboxPermission
   * -AccessRights FullAccess` / `Add-RecipientPermission -AccessRights SendAs` when `mailbox` is given).
   * `objectId` must be the ENTERPRISE APPLICATION's object id (servicePrincipals id); the app registration's
   * object id is accepted, as Exchange does, but app-only IMAP/SMTP then keep failing ("Using the incorrect
   * Object ID will cause an authentication failure"). Returns what was recorded.
   */
  exchangeRegisterServicePrincipal(o: { appId: string; objectId: string; mailbox?: string; access?: 'FullAccess' | 'SendAs' | Array<'FullAccess' | 'SendAs'> }): { registered: boolean; objectIdMatches: boolean };
  /**
   * Stands in for `New-ManagementScope -RecipientRestrictionFilter "PrimarySmtpAddress -eq '<mailbox>'"` +
   * `New-ManagementRoleAssignment -App <service principal id> -Role 'Application SMTP.SendAsApp' -CustomResourceScope <scope>`
   * (RBAC for Applications, Microsoft's app-only SMTP route since October 2025). Needs New-ServicePrincipal first.
   */
  exchangeAssignSmtpRole(o: { app: string; mailboxes: string[] }): void;
  /**
   * Stands in for `New-ManagementScope` + `New-ManagementRoleAssignment -App <sp> -Role 'Application Mail.Send'
   * (or Mail.Read, Mail.ReadWrite) -CustomResourceScope <scope>` (Exchange RBAC for Applications, Microsoft Graph
   * docs "auth-limit-mailbox-access"): Graph's mail calls of the app reach the scoped mailboxes without an Entra
   * role in the token. Needs New-ServicePrincipal first.
   */
  exchangeAssignGraphRole(o: { app: string; role: 'Mail.Read' | 'Mail.ReadWrite' | 'Mail.Send'; mailboxes: string[] }): void;
  /**
   * A user's own consent on the consent page, as Entra records it (a Principal oAuth2PermissionGrant for that
   * user): the user then signs in to the app without anyone assigning them.
   */
  userConsents(o: { clientId: string; upn: string; resource?: 'graph' | 'outlook'; names: string[] }): void;
  /** The Graph directory as it stands (copies): apps of a tenant, delegated grants, app role assignments. */
  directory(tenantId?: string): { apps: App[]; grants: Grant[]; assignments: Assignment[] };
  /** Revoke every refresh token of the user (AADSTS50173 on next use). */
  revokeRefreshTokens(upn: string): void;
  /** Expire every refresh token of the user (AADSTS700082 on next use). */
  expireRefreshTokens(upn: string): void;
  /** Messages in the mailbox's INBOX (newest first). */
  messages(address: string): StoredMessage[];
  /** Put a raw RFC 5322 message into the mailbox's INBOX. */
  deliver(address: string, raw: string): void;
  /** Mint an access token signed by the emulator (defaults: delegated Outlook token with IMAP+SMTP for `upn`, or app-only roles). */
  issueToken(opts: IssueOptions): string;
  /** Verify a token the emulator signed; returns its claims or null. */
  verifyToken(token: string): JwtClaims | null;
  /** A loopback port nothing listens on (connection refused). */
  closedPort(): number;
  /** A loopback port that accepts TCP and never answers. */
  blackholePort(): number;
  /** A loopback TLS port presenting a certificate from another, untrusted CA (then speaks an IMAP greeting). */
  untrustedTlsPort(): number;
  /** PEM of that other CA (to prove the failure is the trust, not the cert). */
  untrustedCaPem: string;
  /** IMAP login decisions taken by the introspection endpoint (newest last). */
  imapDecisions: ImapDecision[];
  /** POP3 sign-in decisions (newest last): XOAUTH2, and the refused USER/PASS and one-line AUTH. */
  popDecisions: Pop3Decision[];
  /** temp dir with the Dovecot config, Maildirs, CA file. */
  tempDir: string;
  dovecotLogPath: string;
}

export interface Emulator {
  loginUrl: string;
  loginHost: string;
  caPem: string;
  caPath: string;
  imap: { host: string; port: number; starttlsPort: number };
  smtp: { host: string; port: number };
  /** POP3 with implicit TLS (Exchange Online's outlook.office365.com:995). */
  pop: { host: string; port: number };
  graphUrl: string;
  /** The scenario as it stands (Graph writes and the admin API change it; reset() loads it afresh). */
  readonly scenario: Scenario;
  admin: EmulatorAdmin;
  /**
   * The emulator's clock for replication lag and device-code expiry (clock.ts). Give it to the engine
   * as its Clock port and the engine's waits skip ahead instead of sleeping in real time.
   */
  clock: VirtualClock;
  /**
   * Back to the scenario (the one given, else the one it started with) on the same ports, as a fresh
   * emulator would be: the directory (apps, grants, assignments, users, mailbox settings, tenant settings),
   * faults and their TLS certificates, every code, token and browser session (the signing key is new, so
   * earlier tokens are refused), empty mailboxes, the decision logs, throttling counters, and the clock
   * on real time. For a test runner that keeps one emulator per worker (test/e2e/host/fixtures.ts).
   */
  reset(scenario?: Scenario | ScenarioInput | string): Promise<void>;
  stop(): Promise<void>;
}

function readBody(req: http.IncomingMessage, limit = 1_000_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

export async function startEmulator(scenarioInput?: Scenario | ScenarioInput | string): Promise<Emulator> {
  const dir = new Directory(loadScenario(scenarioInput ?? demoScenarioPath));
  const tempDir = mkdtempSync(path.join(tmpdir(), 'm365-emulator-'));
  chmodSync(tempDir, 0o755); // Dovecot's mail processes run as the 'dovecot' user
  const [certs, untrusted, signer] = await Promise.all([makeCertSet('Mail OAuth Assistant Emulator CA'), makeCertSet('Untrusted Other CA'), Signer.create()]);
  const caPath = path.join(tempDir, 'emulator-ca.pem');
  writeFileSync(caPath, certs.caPem);
  const store = new MailStore(path.join(tempDir, 'mail'), mailOwner());
  const mailboxes = () => dir.allMailboxes().map((m) => m.address);
  for (const m of mailboxes()) store.ensure(m);

  const cleanups: (() => Promise<void> | void)[] = [];
  const sockets = new Set<net.Socket>();
  const track = (s: net.Server) => s.on('connection', (c: net.Socket) => { sockets.add(c); c.on('close', () => sockets.delete(c)); });

  try {
    // ---- HTTPS: Entra ID (login) ----
    const entra = new Entra(dir, signer, '');
    const loginServer = https.createServer({ key: certs.leafKey, cert: certs.leafCert }, (req, res) => {
      void (async () => {
        const url = new URL(req.url ?? '/', entra.loginUrl);
        const raw = req.method === 'POST' ? await readBody(req) : '';
        const ct = String(req.headers['content-type'] ?? '');
        const body = new URLSearchParams(ct.includes('application/x-www-form-urlencoded') || !ct ? raw : '');
        if (!(await entra.handle(req, res, url, body))) {
          res.writeHead(404, { 'content-type': 'text/plain' });
          res.end('Not found');
        }
      })().catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(e));
      });
    });
    track(loginServer);
    const loginPort = await listen(loginServer);
    cleanups.push(() => new Promise<void>((r) => loginServer.close(() => r())));
    entra.loginUrl = `https://localhost:${loginPort}`;

    // ---- HTTPS: Graph ----
    const graph = new Graph(dir, signer, store, '');
    const graphServer = https.createServer({ key: certs.leafKey, cert: certs.leafCert }, (req, res) => {
      void (async () => {
        const url = new URL(req.url ?? '/', graph.graphUrl);
        const raw = req.method === 'POST' || req.method === 'PATCH' ? await readBody(req) : '';
        await graph.handle(req, res, url, raw);
      })().catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(e));
      });
    });
    track(graphServer);
    const graphPort = await listen(graphServer);
    cleanups.push(() => new Promise<void>((r) => graphServer.close(() => r())));
    graph.graphUrl = `https://localhost:${graphPort}`;

    // ---- Dovecot token check: passdb imap (user + token -> decision) then passdb oauth2 (token -> decision) ----
    const imapDecisions: ImapDecision[] = [];
    const pending = new Map<string, { user: string; reason: string | null }[]>();
    const authBackend = await startImapAuthBackend(async (u, token) => {
      const user = u.toLowerCase();
      if (dir.faults.latencyMs.imap) await sleep(dir.faults.latencyMs.imap);
      const reason = imapRefusal(dir, signer, user, token);
      imapDecisions.push({ at: new Date().toISOString(), user, ok: reason === null, reason: reason ?? 'ok' });
      const list = pending.get(token) ?? [];
      list.push({ user, reason });
      pending.set(token, list);
      return true;
    });
    cleanups.push(() => authBackend.stop());
    const introspection = http.createServer((req, res) => {
      void (async () => {
        const q = new URLSearchParams(await readBody(req));
        const token = q.get('token') ?? '';
        const list = pending.get(token) ?? [];
        const d = list.shift();
        if (list.length === 0) pending.delete(token);
        const ok = d !== undefined && d.reason === null;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(ok ? { active: true, username: d.user } : { active: false }));
      })();
    });
    track(introspection);
    const introspectionPort = await listen(introspection);
    cleanups.push(() => new Promise<void>((r) => introspection.close(() => r())));

    // ---- SMTP ----
    const smtp = await startSmtp({ dir, signer, store, key: certs.leafKey, cert: certs.leafCert });
    cleanups.push(() => smtp.stop());

    // ---- POP3 (implicit TLS, XOAUTH2 only) over the same Maildirs ----
    const pop3 = await startPop3({
      key: certs.leafKey,
      cert: `${certs.leafCert.trim()}\n${certs.caPem.trim()}\n`,
      store,
      decide: async (user, token) => {
        if (dir.faults.latencyMs.imap) await sleep(dir.faults.latencyMs.imap);
        return popRefusal(dir, signer, user, token);
      },
    });
    cleanups.push(() => pop3.stop());

    // ---- Dovecot ----
    const dovecot: DovecotHandle = await startDovecot({
      dir: path.join(tempDir, 'dovecot'),
      certPem: `${certs.leafCert.trim()}\n${certs.caPem.trim()}\n`,
      keyPem: certs.leafKey,
      authBackendPort: authBackend.port,
      introspectionUrl: `http://127.0.0.1:${introspectionPort}/introspect`,
      mailRoot: store.root,
      ...mailOwner(),
    });
    cleanups.push(() => dovecot.stop());

    // ---- fault ports ----
    const closed = net.createServer();
    const closedPortNumber = await listen(closed);
    await new Promise<void>((r) => closed.close(() => r()));
    const blackhole = net.createServer(() => undefined);
    track(blackhole);
    const blackholePortNumber = await listen(blackhole);
    cleanups.push(() => new Promise<void>((r) => blackhole.close(() => r())));
    const untrustedServer = tls.createServer({ key: untrusted.leafKey, cert: untrusted.leafCert }, (s) => {
      s.on('error', () => undefined);
      s.write('* OK [CAPABILITY IMAP4rev1 AUTH=XOAUTH2] untrusted certificate endpoint\r\n');
    });
    untrustedServer.on('tlsClientError', () => undefined);
    track(untrustedServer);
    const untrustedPortNumber = await listen(untrustedServer);
    cleanups.push(() => new Promise<void>((r) => untrustedServer.close(() => r())));

    let imapUntrusted = false;
    const applyTls = async () => {
      const f = dir.faults.untrustedTls;
      if (f.imap !== imapUntrusted) {
        imapUntrusted = f.imap;
        await (f.imap ? dovecot.setCert(`${untrusted.leafCert.trim()}\n${untrusted.caPem.trim()}\n`, untrusted.leafKey) : dovecot.setCert(`${certs.leafCert.trim()}\n${certs.caPem.trim()}\n`, certs.leafKey));
      }
      const httpsCtx = f.https ? { key: untrusted.leafKey, cert: untrusted.leafCert } : { key: certs.leafKey, cert: certs.leafCert };
      loginServer.setSecureContext(httpsCtx);
      graphServer.setSecureContext(httpsCtx);
      smtp.setCert(f.smtp ? untrusted.leafKey : certs.leafKey, f.smtp ? untrusted.leafCert : certs.leafCert);
    };
    await applyTls();

    const findUser = (upn: string) => {
      const u = dir.user(upn);
      if (!u) throw new Error(`unknown user ${upn}`);
      return u;
    };
    const admin: EmulatorAdmin = {
      async setFault(name, value) {
        const next = FaultsSchema.parse({ ...dir.faults, [name]: value });
        dir.faults = next;
        if (name === 'tokenThrottle') entra.throttleRemaining = null;
        if (name === 'graphThrottle') graph.directory.throttleRemaining = null;
        if (name === 'untrustedTls') await applyTls();
      },
      async clearFaults() {
        dir.faults = FaultsSchema.parse({});
        entra.throttleRemaining = null;
        graph.directory.throttleRemaining = null;
        await applyTls();
      },
      faults: () => structuredClone(dir.faults),
      setMailbox(address, patch) {
        const a = address.toLowerCase();
        const target = dir.scenario.users.find((u) => u.upn.toLowerCase() === a) ?? dir.scenario.sharedMailboxes.find((s) => s.address.toLowerCase() === a);
        if (!target) throw new Error(`unknown mailbox ${address}`);
        Object.assign(target.mailbox, patch);
      },
      setTenant(t, patch) {
        const tenant = dir.tenantBySegment(t);
        if (!tenant || typeof tenant === 'string') throw new Error(`unknown tenant ${t}`);
        Object.assign(tenant, patch);
      },
      setApp(clientId, patch) {
        const app = dir.app(clientId);
        if (!app) throw new Error(`unknown app ${clientId}`);
        Object.assign(app, patch);
        const consentFields: (keyof App)[] = ['delegatedAdminConsent', 'applicationAdminConsent', 'delegatedPermissions', 'applicationPermissions', 'assignedUsers', 'hasServicePrincipal', 'servicePrincipalId'];
        if (consentFields.some((k) => k in patch)) dir.deriveConsent(app);
      },
      setUser(upn, patch) {
        Object.assign(findUser(upn), patch);
      },
      exchangeRegisterServicePrincipal(o) {
        const app = dir.app(o.appId);
        if (!app) throw new Error(`New-ServicePrincipal: the application ${o.appId} was not found in the directory`);
        const objectIdMatches = app.hasServicePrincipal && o.objectId === app.servicePrincipalId;
        app.exchangeServicePrincipal = objectIdMatches;
        if (o.mailbox) {
          const mb = dir.mailbox(o.mailbox);
          if (!mb) throw new Error(`Add-MailboxPermission: the mailbox ${o.mailbox} was not found`);
          const access = Array.isArray(o.access) ? o.access : [o.access ?? 'FullAccess'];
          if (access.includes('FullAccess') && !app.mailboxFullAccess.includes(mb.address)) app.mailboxFullAccess.push(mb.address);
          if (access.includes('SendAs') && !app.mailboxSendAs.includes(mb.address)) app.mailboxSendAs.push(mb.address);
        }
        return { registered: true, objectIdMatches };
      },
      exchangeAssignSmtpRole(o) {
        const app = dir.app(o.app) ?? dir.scenario.apps.find((a) => a.servicePrincipalId === o.app);
        if (!app || !app.exchangeServicePrincipal) throw new Error(`New-ManagementRoleAssignment: the service principal ${o.app} was not found (run New-ServicePrincipal first)`);
        for (const m of o.mailboxes) {
          const mb = dir.mailbox(m);
          if (!mb) throw new Error(`New-ManagementScope: the recipient ${m} was not found`);
          if (!app.smtpRoleScope.includes(mb.address)) app.smtpRoleScope.push(mb.address);
        }
      },
      userConsents(o) {
        const app = dir.app(o.clientId);
        if (!app) throw new Error(`unknown app ${o.clientId}`);
        const user = findUser(o.upn);
        dir.addUserConsent(app, user, user.tenantId, o.resource ?? 'graph', o.names);
      },
      exchangeAssignGraphRole(o) {
        const app = dir.app(o.app) ?? dir.scenario.apps.find((a) => a.servicePrincipalId === o.app);
        if (!app || !app.exchangeServicePrincipal) throw new Error(`New-ManagementRoleAssignment: the service principal ${o.app} was not found (run New-ServicePrincipal first)`);
        for (const m of o.mailboxes) {
          const mb = dir.mailbox(m);
          if (!mb) throw new Error(`New-ManagementScope: the recipient ${m} was not found`);
          if (!app.graphRoleScope.some((x) => x.role === o.role && x.mailbox === mb.address)) app.graphRoleScope.push({ role: o.role, mailbox: mb.address });
        }
      },
      directory(tenantId) {
        const apps = dir.scenario.apps.filter((a) => !tenantId || a.tenantId === tenantId);
        return structuredClone({ apps, grants: dir.grants, assignments: dir.assignments });
      },
      revokeRefreshTokens(upn) {
        const u = findUser(upn);
        entra.tokensValidFrom.set(u.objectId, Date.now() + 1);
        for (const rt of entra.refreshTokens.values()) if (rt.user.objectId === u.objectId) rt.revoked = true;
      },
      expireRefreshTokens(upn) {
        const u = findUser(upn);
        for (const rt of entra.refreshTokens.values()) if (rt.user.objectId === u.objectId) rt.expires = Date.now() - 1;
      },
      messages: (address) => store.list(address),
      deliver: (address, raw) => void store.deliver(address, raw),
      issueToken: (opts) => entra.issueToken(opts),
      verifyToken(token) {
        const v = signer.verify(token);
        return v.ok ? v.claims : null;
      },
      closedPort: () => closedPortNumber,
      blackholePort: () => blackholePortNumber,
      untrustedTlsPort: () => untrustedPortNumber,
      untrustedCaPem: untrusted.caPem,
      imapDecisions,
      popDecisions: pop3.decisions,
      tempDir,
      dovecotLogPath: dovecot.logPath,
    };

    let stopped = false;
    return {
      loginUrl: entra.loginUrl,
      loginHost: `localhost:${loginPort}`,
      caPem: certs.caPem,
      caPath,
      imap: { host: '127.0.0.1', port: dovecot.port, starttlsPort: dovecot.starttlsPort },
      smtp: { host: '127.0.0.1', port: smtp.port },
      pop: { host: '127.0.0.1', port: pop3.port },
      graphUrl: graph.graphUrl,
      get scenario() {
        return dir.scenario;
      },
      admin,
      clock: dir.clock,
      async reset(next) {
        // Connections of the test before (keep-alive HTTPS, a hanging client) must not reach into the next.
        for (const c of sockets) c.destroy();
        dir.load(loadScenario(next ?? scenarioInput ?? demoScenarioPath));
        entra.reset();
        graph.directory.throttleRemaining = null;
        await signer.rotate();
        imapDecisions.length = 0;
        pending.clear();
        pop3.decisions.length = 0;
        store.reset(mailboxes());
        await applyTls();
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        for (const s of sockets) s.destroy();
        await runCleanups(cleanups);
        rmSync(tempDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    for (const s of sockets) s.destroy();
    await runCleanups(cleanups);
    rmSync(tempDir, { recursive: true, force: true });
    throw e;
  }
}

async function runCleanups(cleanups: (() => Promise<void> | void)[]) {
  await Promise.all(cleanups.reverse().map(async (c) => {
    try {
      await Promise.race([c(), sleep(4000)]);
    } catch {
      /* keep stopping the rest */
    }
  }));
}

/**
 * Exchange Online's rules for an XOAUTH2 login to IMAP or POP (one page for both: IMAP./POP.AccessAsUser.All,
 * IMAP./POP.AccessAsApp, the service principal registered in Exchange, Full Access); null = allowed, else the
 * reason (Dovecot / the POP server answer their own failure text). IMAP also honours the mailbox's IMAP switch.
 */
function mailRefusal(protocol: 'IMAP' | 'POP', dir: Directory, signer: Signer, user: string, token: string): string | null {
  const v = signer.verify(token);
  if (!v.ok) return `token ${v.reason}`;
  if (!isOutlookAudience(v.claims.aud)) return `wrong audience ${String(v.claims.aud)}`;
  const p = principalOf(dir, v.claims);
  if (!p) return 'unknown principal';
  const mb = dir.mailbox(user);
  if (!mb) return `no mailbox ${user}`;
  if (p.kind === 'user') {
    if (!p.scopes.includes(`${protocol}.AccessAsUser.All`)) return `scope ${protocol}.AccessAsUser.All missing`;
  } else {
    if (!p.roles.includes(`${protocol}.AccessAsApp`)) return `role ${protocol}.AccessAsApp missing`;
    if (!p.app.exchangeServicePrincipal) return 'service principal not registered in Exchange (New-ServicePrincipal)';
  }
  if (!hasFullAccess(p, mb.address)) return `no FullAccess on ${mb.address}`;
  if (protocol === 'IMAP' && !mb.imapEnabled) return `IMAP disabled for ${mb.address}`;
  return null;
}

export const imapRefusal = (dir: Directory, signer: Signer, user: string, token: string) => mailRefusal('IMAP', dir, signer, user, token);
export const popRefusal = (dir: Directory, signer: Signer, user: string, token: string) => mailRefusal('POP', dir, signer, user, token);

/** An msal-node Configuration that trusts the emulator's CA (via system.networkClient) and knows its authority. */
export function msalConfigFor(emulator: Pick<Emulator, 'loginUrl' | 'loginHost' | 'caPem'>, o: { clientId: string; clientSecret?: string; tenant: string }): Configuration {
  return {
    auth: {
      clientId: o.clientId,
      authority: `${emulator.loginUrl}/${o.tenant}`,
      knownAuthorities: [emulator.loginHost],
      ...(o.clientSecret !== undefined ? { clientSecret: o.clientSecret } : {}),
    },
    system: { networkClient: caNetworkClient(emulator.caPem) },
  };
}

/** An msal INetworkModule on https.request with an extra CA. */
export function caNetworkClient(caPem: string): INetworkModule {
  const send = <T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> =>
    new Promise((resolve, reject) => {
      const req = https.request(url, { method, headers: options?.headers ?? {}, ca: caPem, timeout: timeout ?? 30_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            body = { error: 'invalid_json', error_description: text };
          }
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
          resolve({ headers, body: body as T, status: res.statusCode ?? 0 });
        });
      });
      req.on('timeout', () => req.destroy(new Error('request timed out')));
      req.on('error', reject);
      if (method === 'POST' && options?.body) req.write(options.body);
      req.end();
    });
  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}
