import { isIP } from 'node:net';
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import { tcpReachable, tlsTrust } from '../net';
import type { CheckEnv, CheckFn, SentMessage } from './context';

export function smtpTransport(env: Pick<CheckEnv, 'ctx' | 'timeoutMs'>, accessToken: string) {
  const { ctx, timeoutMs } = env;
  const { host, port } = ctx.endpoints.smtp;
  return nodemailer.createTransport({
    host,
    port,
    secure: false,
    requireTLS: true,
    auth: { type: 'OAuth2', user: ctx.profile.mailbox, accessToken },
    tls: { ...tlsTrust(ctx.ca), ...(isIP(host) ? {} : { servername: host }) },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    logger: false,
    debug: false,
  });
}

export function labelSmtpError(e: unknown, host: string, port: number): unknown {
  if (e && typeof e === 'object') {
    const err = e as { code?: string; message?: string; hint?: string; host?: string; port?: number; command?: string };
    if (err.code === 'ETIMEDOUT' && /greeting/i.test(err.message ?? '')) err.hint = 'network-black-hole';
    err.host ??= host;
    err.port ??= port;
  }
  return e;
}

/** Sends the test message to the mailbox itself, with a unique id the round trip looks for. */
export async function sendTestMessage(env: CheckEnv, accessToken: string): Promise<SentMessage> {
  const { ctx, step, signal } = env;
  const { host, port } = ctx.endpoints.smtp;
  const transport = smtpTransport(env, accessToken);
  const onAbort = () => transport.close();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const id = `${ctx.runId}-${randomUUID().slice(0, 8)}`;
    const subject = `Mail OAuth Assistant test ${id}`;
    const messageId = `<mail-oauth-${id}@mail-oauth-assistant.invalid>`;
    await step(`Sent a test message to ${ctx.profile.mailbox} over ${host}:${port} (STARTTLS, XOAUTH2)`, () =>
      transport.sendMail({
        from: ctx.profile.mailbox,
        to: ctx.profile.mailbox,
        subject,
        messageId,
        headers: { 'X-Mail-OAuth-Check': id },
        text: `This message was sent by Mail OAuth Assistant to prove that ${ctx.profile.mailbox} can send mail with OAuth.\nCheck id: ${id}\nYou can delete it.`,
      }),
    );
    return { messageId, subject, sentAt: Date.now() };
  } catch (e) {
    const err = labelSmtpError(e, host, port) as { code?: string; hint?: string } | null;
    // As for IMAP: a timeout on a port that accepts TCP but never speaks is a black hole (the check's
    // deadline can close the transport before nodemailer's own greeting timer names it).
    if (err && typeof err === 'object' && err.code === 'ETIMEDOUT' && !err.hint && (await tcpReachable(host, port, 150))) err.hint = 'network-black-hole';
    throw err;
  } finally {
    signal.removeEventListener('abort', onAbort);
    transport.close();
  }
}

/** SMTP: STARTTLS, XOAUTH2, send a test message to the mailbox itself. */
export const smtpCheck: CheckFn = async (env) => {
  const token = await env.ctx.usableToken();
  const sent = await sendTestMessage(env, token.accessToken);
  return { host: env.ctx.endpoints.smtp.host, port: env.ctx.endpoints.smtp.port, messageId: sent.messageId, subject: sent.subject };
};
