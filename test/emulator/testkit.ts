/* Helpers for the emulator's own tests: a Graph client (undici + the emulator CA), the sign-in pages driven
 * over plain HTTP (no browser), imapflow / nodemailer clients. Test code only. */
import { Agent, request } from 'undici';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import type { Emulator } from './index.js';

export interface GraphAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown> & { error?: { code: string; message: string; innerError?: Record<string, string>; details?: { code: string }[] }; value?: Record<string, unknown>[] };
}

export function kit(emu: Emulator) {
  const agent = new Agent({ connect: { ca: emu.caPem } });

  async function graph(method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<GraphAnswer> {
    const r = await request(`${emu.graphUrl}/v1.0${path}`, {
      method: method as 'GET',
      dispatcher: agent,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.body.text();
    return { status: r.statusCode, headers: r.headers, body: text ? (JSON.parse(text) as GraphAnswer['body']) : {} };
  }

  async function http(method: string, url: string, form?: Record<string, string>, cookie?: string) {
    const r = await request(url, {
      method: method as 'GET',
      dispatcher: agent,
      headers: { ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...(cookie ? { cookie } : {}) },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    return { status: r.statusCode, headers: r.headers, text: await r.body.text() };
  }

  /**
   * Drive the emulator's sign-in pages over HTTP (the same forms a browser posts): username, password,
   * MFA when asked, consent when asked. Resolves with the redirect URL (code or error), or the error page text.
   */
  async function signIn(authUrl: string, upn: string, password: string, o: { mfa?: string; consent?: boolean } = {}): Promise<{ redirect: URL | null; page: string }> {
    return pages(await http('GET', authUrl), upn, password, o);
  }
  /** The device code page: enter the user code, then sign in; resolves with the last page (id="deviceDone" on success). */
  async function deviceLogin(userCode: string, upn: string, password: string, o: { mfa?: string; consent?: boolean } = {}): Promise<string> {
    return (await pages(await http('POST', `${emu.loginUrl}/devicelogin`, { otc: userCode }), upn, password, o)).page;
  }
  async function pages(first: Awaited<ReturnType<typeof http>>, upn: string, password: string, o: { mfa?: string; consent?: boolean }): Promise<{ redirect: URL | null; page: string }> {
    let r = first;
    const cookie = String(r.headers['set-cookie'] ?? '').split(';')[0];
    const flowOf = (html: string) => /name="flow" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const post = (form: Record<string, string>) => http('POST', `${emu.loginUrl}/_flow`, form, cookie);
    for (let i = 0; i < 8; i++) {
      if (r.status === 302) return { redirect: new URL(String(r.headers.location)), page: '' };
      const html = r.text;
      const flow = flowOf(html);
      if (!flow) return { redirect: null, page: html };
      if (html.includes('id="i0116"')) r = await post({ flow, step: 'username', loginfmt: upn });
      else if (html.includes('id="i0118"')) r = await post({ flow, step: 'password', passwd: password });
      else if (html.includes('idTxtBx_SAOTCC_OTC')) r = await post({ flow, step: 'mfa', otc: o.mfa ?? emu.scenario.settings.mfaCode });
      else if (html.includes('idBtn_Accept')) r = await post({ flow, step: 'consent', accept: o.consent === false ? 'no' : 'yes' });
      else return { redirect: null, page: html };
    }
    throw new Error('sign-in did not finish');
  }

  function imap(user: string, accessToken: string) {
    const c = new ImapFlow({ host: emu.imap.host, port: emu.imap.port, secure: true, tls: { ca: emu.caPem, servername: 'localhost' }, auth: { user, accessToken }, logger: false, connectionTimeout: 3000, greetingTimeout: 1500 });
    c.on('error', () => undefined);
    return c;
  }
  async function imapLogin(user: string, token: string): Promise<boolean> {
    const c = imap(user, token);
    try {
      await c.connect();
      await c.mailboxOpen('INBOX');
      await c.logout();
      return true;
    } catch {
      c.close();
      return false;
    }
  }
  function mailer(user: string, accessToken: string) {
    return nodemailer.createTransport({ host: emu.smtp.host, port: emu.smtp.port, secure: false, requireTLS: true, tls: { ca: emu.caPem, servername: 'localhost' }, auth: { type: 'OAuth2', user, accessToken }, connectionTimeout: 3000, greetingTimeout: 3000 });
  }
  return { graph, http, signIn, deviceLogin, imapLogin, mailer, agent };
}

export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
}
