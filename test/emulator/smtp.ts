import { SMTPServer, type SMTPServerAuthentication, type SMTPServerSession } from 'smtp-server';
import type { Directory, Signer } from './core.js';
import { hasSendAs, isOutlookAudience, principalOf, type Principal } from './core.js';
import type { MailStore } from './mailstore.js';
import { sleep } from './util.js';

export const SMTP_TEXTS = {
  authFailed: '5.7.3 Authentication unsuccessful',
  disabledTenant: '5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.',
  disabledMailbox: '5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.',
  notAuthenticated: '5.7.57 Client not authenticated to send mail',
  // App-only SMTP with the SMTP.SendAsApp claim, service principal registered, no Full Access on the mailbox:
  // AUTH succeeds and the submission fails (simonrob/email-oauth2-proxy#271, quoted as posted).
  mailboxLogonFailed: '4.2.0 STOREDRV; mailbox logon failure; STOREDRV.Submission.Exception:ConnectionFailedTransientException.MapiExceptionLogonFailed; Failed to process message due to a transient exception with message [BeginDiagnosticData]Cannot open mailbox. Server = EMULATOR.PROD.OUTLOOK.COM',
  basicAuthDisabled: '5.7.139 Authentication unsuccessful, basic authentication is disabled.',
  basicAuthRetired: '5.7.30 Basic authentication is not supported for Client Submission.',
  sendAsDenied: '5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message [BeginDiagnosticData]Cannot submit message.',
} as const;

type Ctx = { principal: Principal; mailbox: string; /** App-only with the claim but no Full Access: refused at submission. */ logonFails?: boolean };

function smtpError(code: number, text: string): Error {
  const e = new Error(text) as Error & { responseCode: number };
  e.responseCode = code;
  return e;
}

export interface SmtpOptions {
  dir: Directory;
  signer: Signer;
  store: MailStore;
  key: string;
  cert: string;
  /** records every accepted message */
  onMessage?: (m: { from: string; to: string[]; raw: string; authUser: string }) => void;
}

/** Decide an XOAUTH2 login the way Exchange Online does. */
export function smtpAuthDecision(dir: Directory, signer: Signer, username: string, token: string): { ok: true; ctx: Ctx } | { ok: false; code: number; text: string } {
  const fail = { ok: false as const, code: 535, text: `${SMTP_TEXTS.authFailed} [emulator.localhost]` };
  const v = signer.verify(token);
  if (!v.ok) return fail;
  if (!isOutlookAudience(v.claims.aud)) return fail;
  const p = principalOf(dir, v.claims);
  if (!p) return fail;
  const mb = dir.mailbox(username);
  if (!mb) return fail;
  if (p.kind === 'user') {
    if (!p.scopes.includes('SMTP.Send')) return fail;
    if (p.user.upn.toLowerCase() !== mb.address && !p.user.fullAccess.map((x) => x.toLowerCase()).includes(mb.address)) return fail;
  }
  let logonFails = false;
  if (p.kind === 'app') {
    // Exchange must know the app (New-ServicePrincipal) whichever route grants the mailbox.
    if (!p.app.exchangeServicePrincipal) return fail;
    const has = (list: string[]) => list.some((x) => x.toLowerCase() === mb.address);
    if (p.roles.includes('SMTP.SendAsApp')) {
      // The claim makes Exchange check mailbox permissions: Full Access, else the submission fails. Send As
      // alone does not open the mailbox (Microsoft's app-only SMTP setup grants Full Access).
      logonFails = !has(p.app.mailboxFullAccess);
    } else if (!has(p.app.smtpRoleScope ?? [])) {
      // No claim and no scoped 'Application SMTP.SendAsApp' role assignment covering this mailbox.
      return fail;
    }
  }
  const disabled = dir.smtpAuthDisabled(mb);
  if (disabled === 'mailbox') return { ok: false, code: 535, text: SMTP_TEXTS.disabledMailbox };
  if (disabled === 'tenant') return { ok: false, code: 535, text: SMTP_TEXTS.disabledTenant };
  return { ok: true, ctx: { principal: p, mailbox: mb.address, ...(logonFails ? { logonFails } : {}) } };
}

export async function startSmtp(o: SmtpOptions): Promise<{ server: SMTPServer; port: number; stop(): Promise<void>; setCert(key: string, cert: string): void }> {
  const server = new SMTPServer({
    secure: false,
    key: o.key,
    cert: o.cert,
    name: 'emulator.outlook.localhost',
    banner: 'Microsoft ESMTP MAIL Service ready (Mail OAuth Assistant emulator)',
    // Exchange Online's EHLO after STARTTLS: "250-AUTH LOGIN XOAUTH2" (a password login is answered by the smtpBasicAuth fault).
    authMethods: ['LOGIN', 'XOAUTH2'],
    authOptional: true,
    allowInsecureAuth: false,
    disabledCommands: [],
    size: 35 * 1024 * 1024,
    logger: false,
    onConnect(_session, cb) {
      const lat = o.dir.faults.latencyMs.smtp;
      if (lat) setTimeout(() => cb(), lat);
      else cb();
    },
    onAuth(auth: SMTPServerAuthentication, _session: SMTPServerSession, cb) {
      if (auth.method === 'LOGIN' || auth.method === 'PLAIN') {
        const retired = o.dir.faults.smtpBasicAuth === 'retired';
        return cb(smtpError(retired ? 550 : 535, `${retired ? SMTP_TEXTS.basicAuthRetired : SMTP_TEXTS.basicAuthDisabled} [emulator.localhost]`));
      }
      if (auth.method !== 'XOAUTH2') return cb(smtpError(504, '5.7.4 Unrecognized authentication type'));
      const d = smtpAuthDecision(o.dir, o.signer, auth.username ?? '', auth.accessToken ?? '');
      if (!d.ok) return cb(smtpError(d.code, d.text));
      cb(null, { user: d.ctx });
    },
    onMailFrom(address, session, cb) {
      if (!session.user) return cb(smtpError(530, SMTP_TEXTS.notAuthenticated));
      cb();
    },
    onRcptTo(_address, session, cb) {
      if (!session.user) return cb(smtpError(530, SMTP_TEXTS.notAuthenticated));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const ctx = session.user as unknown as Ctx | undefined;
        if (!ctx) return cb(smtpError(530, SMTP_TEXTS.notAuthenticated));
        if (ctx.logonFails) return cb(smtpError(430, SMTP_TEXTS.mailboxLogonFailed));
        const raw = Buffer.concat(chunks).toString('utf8');
        const envFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const headerEnd = raw.search(/\r?\n\r?\n/);
        const fromHeader = /^from:(.*(?:\r?\n[ \t].*)*)/im.exec(headerEnd >= 0 ? raw.slice(0, headerEnd) : raw)?.[1] ?? '';
        const headerAddr = (/<([^>]+)>/.exec(fromHeader)?.[1] ?? fromHeader).trim();
        for (const a of [envFrom, headerAddr].filter(Boolean)) {
          if (a.toLowerCase() !== ctx.mailbox && !hasSendAs(ctx.principal, a)) return cb(smtpError(554, SMTP_TEXTS.sendAsDenied));
        }
        const to = session.envelope.rcptTo.map((r) => r.address);
        const stamped = `Received: from emulator client by emulator.outlook.localhost with Microsoft SMTP Server; ${new Date().toUTCString()}\r\n${raw}`;
        for (const r of to) if (o.dir.mailbox(r)) o.store.deliver(r, stamped);
        o.onMessage?.({ from: envFrom, to, raw, authUser: ctx.mailbox });
        cb(null, `2.0.0 OK <${Date.now()}@emulator.outlook.localhost> [Hostname=EMULATOR]`);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.on('error', () => undefined);
  const port = (server.server.address() as { port: number }).port;
  return {
    server,
    port,
    setCert(key: string, cert: string) {
      (server as unknown as { updateSecureContext(o: { key: string; cert: string }): void }).updateSecureContext({ key, cert });
    },
    async stop() {
      await Promise.race([new Promise<void>((r) => server.close(() => r())), sleep(1500)]);
    },
  };
}
