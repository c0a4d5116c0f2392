/**
 * What a stand-in needs from "Microsoft": the Microsoft 365 emulator (test/emulator), reached exactly
 * as the real target reaches Microsoft. The target's configured host names (login.microsoftonline.com,
 * outlook.office365.com, smtp.outlook.com, ...) resolve to the emulator, as an /etc/hosts entry would;
 * addresses that already point at the emulator (profile endpoint overrides) are used as they are.
 * Token requests are real HTTPS posts to the emulator's token endpoint; IMAP and SMTP logins are real
 * XOAUTH2 logins (imapflow, nodemailer) against the emulator's Dovecot and smtp-server.
 */
import * as https from 'node:https';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';

export interface MicrosoftSide {
  /** https://localhost:PORT of the emulator's Entra ID. */
  loginUrl: string;
  graphUrl: string;
  caPem: string;
  imap: { host: string; port: number };
  smtp: { host: string; port: number };
}

export function microsoftFrom(emu: { loginUrl: string; graphUrl: string; caPem: string; imap: { host: string; port: number }; smtp: { host: string; port: number } }): MicrosoftSide {
  return { loginUrl: emu.loginUrl, graphUrl: emu.graphUrl, caPem: emu.caPem, imap: { host: emu.imap.host, port: emu.imap.port }, smtp: { host: emu.smtp.host, port: emu.smtp.port } };
}

const LOGIN_HOSTS = ['login.microsoftonline.com', 'login.microsoftonline.us', 'login.chinacloudapi.cn', 'login.partner.microsoftonline.cn'];
const GRAPH_HOSTS = ['graph.microsoft.com', 'graph.microsoft.us', 'dod-graph.microsoft.us', 'microsoftgraph.chinacloudapi.cn'];
const IMAP_HOSTS = ['outlook.office365.com', 'imap.outlook.com', 'imap-mail.outlook.com', 'outlook.office365.us', 'outlook-dod.office365.us', 'partner.outlook.cn'];
const SMTP_HOSTS = ['smtp.office365.com', 'smtp.outlook.com', 'smtp-mail.outlook.com', 'smtp.office365.us', 'outlook-dod.office365.us', 'smtp.partner.outlook.cn', 'partner.outlook.cn'];

/** A Microsoft sign-in or Graph URL as the emulator serves it; other URLs (already the emulator's) unchanged. */
export function emulatorUrl(ms: MicrosoftSide, url: string): string {
  const u = new URL(url);
  if (LOGIN_HOSTS.includes(u.hostname)) return `${ms.loginUrl}${u.pathname}${u.search}`;
  if (GRAPH_HOSTS.includes(u.hostname)) return `${ms.graphUrl}${u.pathname}${u.search}`;
  return url;
}

export function imapServer(ms: MicrosoftSide, host: string, port: number): { host: string; port: number } {
  return IMAP_HOSTS.includes(host.toLowerCase()) ? ms.imap : { host, port };
}
export function smtpServer(ms: MicrosoftSide, host: string, port: number): { host: string; port: number } {
  return SMTP_HOSTS.includes(host.toLowerCase()) ? ms.smtp : { host, port };
}

export interface HttpAnswer {
  status: number;
  json: Record<string, unknown>;
}

function httpsCall(ms: MicrosoftSide, url: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<HttpAnswer> {
  const u = new URL(emulatorUrl(ms, url));
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: u.hostname, port: Number(u.port || 443), path: `${u.pathname}${u.search}`, method: init.method, headers: { ...init.headers, ...(init.body ? { 'content-length': Buffer.byteLength(init.body) } : {}) }, ca: [ms.caPem], agent: false, timeout: 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Record<string, unknown> = {};
          try {
            json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
          } catch {
            json = { error: 'invalid_response', error_description: text.slice(0, 300) };
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout calling ${u.host}`)));
    req.on('error', reject);
    if (init.body) req.write(init.body);
    req.end();
  });
}

/** A form POST to a token endpoint (as `requests.post(url, data=...)` / EmailEngine's fetch do). */
export function postToken(ms: MicrosoftSide, tokenUrl: string, form: Record<string, string>): Promise<HttpAnswer> {
  return httpsCall(ms, tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
}

export function graphGet(ms: MicrosoftSide, url: string, accessToken: string): Promise<HttpAnswer> {
  return httpsCall(ms, url, { method: 'GET', headers: { authorization: `Bearer ${accessToken}` } });
}

/** IMAP over TLS, AUTHENTICATE XOAUTH2 as `user`, SELECT INBOX, LOGOUT. Throws the server's words. */
export async function imapXoauth2(ms: MicrosoftSide, server: { host: string; port: number }, user: string, accessToken: string): Promise<void> {
  const client = new ImapFlow({ host: server.host, port: server.port, secure: true, auth: { user, accessToken }, tls: { ca: [ms.caPem], servername: 'localhost' }, logger: false, connectionTimeout: 10_000, greetingTimeout: 10_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    const lock = await client.getMailboxLock('INBOX');
    lock.release();
    await client.logout();
  } catch (e) {
    client.close();
    const err = e as { responseText?: string; serverResponseCode?: string; message?: string };
    throw Object.assign(new Error(err.responseText ? `${err.serverResponseCode ? `[${err.serverResponseCode}] ` : ''}${err.responseText}` : (err.message ?? String(e))), { serverResponseCode: err.serverResponseCode });
  }
}

/** SMTP with STARTTLS, AUTH XOAUTH2 as `user` (EHLO, STARTTLS, AUTH; nothing is sent). Throws the server's reply. */
export async function smtpXoauth2(ms: MicrosoftSide, server: { host: string; port: number }, user: string, accessToken: string): Promise<void> {
  const t = nodemailer.createTransport({ host: server.host, port: server.port, secure: false, requireTLS: true, auth: { type: 'OAuth2', user, accessToken }, tls: { ca: [ms.caPem], servername: 'localhost' }, connectionTimeout: 10_000, greetingTimeout: 10_000 });
  try {
    await t.verify();
  } catch (e) {
    const err = e as { response?: string; message?: string };
    throw new Error(err.response ?? err.message ?? String(e));
  } finally {
    t.close();
  }
}
