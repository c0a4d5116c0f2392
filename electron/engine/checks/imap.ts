import { isIP } from 'node:net';
import { ImapFlow } from 'imapflow';
import { tcpReachable, tlsTrust } from '../net';
import type { CheckEnv, CheckFn } from './context';

/**
 * An IMAP client for one check: closed when the check is aborted, its stray 'error' events swallowed
 * (failures surface through the awaited commands). `release()` closes it in the check's finally.
 */
export function openImapClient(env: Pick<CheckEnv, 'ctx' | 'timeoutMs' | 'signal'>, accessToken: string): { client: ImapFlow; release: () => void } {
  const client = imapClient(env, accessToken);
  client.on('error', () => {});
  const onAbort = () => client.close();
  env.signal.addEventListener('abort', onAbort, { once: true });
  return {
    client,
    release: () => {
      env.signal.removeEventListener('abort', onAbort);
      client.close();
    },
  };
}

export function imapClient(env: Pick<CheckEnv, 'ctx' | 'timeoutMs'>, accessToken: string): ImapFlow {
  const { ctx, timeoutMs } = env;
  const { host, port } = ctx.endpoints.imap;
  return new ImapFlow({
    host,
    port,
    secure: true,
    auth: { user: ctx.profile.mailbox, accessToken },
    tls: { ...tlsTrust(ctx.ca), ...(isIP(host) ? {} : { servername: host }) },
    logger: false,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    disableAutoIdle: true,
    // A check needs no extensions: skip ENABLE and COMPRESS round trips (NAMESPACE stays: it is where
    // Exchange answers "User is authenticated but not connected").
    disableAutoEnable: true,
    disableCompression: true,
    emitLogs: false,
  });
}

/** Black holes and timeouts from imapflow, labelled for diagnosis. */
export function labelImapError(e: unknown, host: string, port: number): unknown {
  if (e && typeof e === 'object') {
    const err = e as { code?: string; hint?: string; host?: string; port?: number };
    if (err.code === 'GREETING_TIMEOUT') err.hint = 'network-black-hole';
    if (err.code === 'CONNECT_TIMEOUT' || err.code === 'ETIMEOUT') err.code = 'ETIMEDOUT';
    err.host ??= host;
    err.port ??= port;
  }
  return e;
}

/** A TLS connect that timed out on a port that accepts TCP is a black hole, not a dropped connection. */
export async function explainImapTimeout(e: unknown, host: string, port: number): Promise<unknown> {
  const err = e as { code?: string; hint?: string } | null;
  if (err && typeof err === 'object' && err.code === 'ETIMEDOUT' && !err.hint && (await tcpReachable(host, port, 150))) err.hint = 'network-black-hole';
  return e;
}

/** IMAP: TLS, XOAUTH2 with the token, SELECT INBOX, message count, logout. */
export const imapCheck: CheckFn = async (env) => {
  const { ctx, step } = env;
  const token = await ctx.usableToken();
  const { host, port } = ctx.endpoints.imap;
  const { client, release } = openImapClient(env, token.accessToken);
  try {
    await step(`Connected to ${host}:${port} and signed in with XOAUTH2 as ${ctx.profile.mailbox}`, () => client.connect());
    const box = await step('SELECT INBOX', () => client.mailboxOpen('INBOX', { readOnly: true }), (b) => `${b.exists} messages`);
    await step('LOGOUT', () => client.logout());
    return { host, port, messages: box.exists };
  } catch (e) {
    throw await explainImapTimeout(labelImapError(e, host, port), host, port);
  } finally {
    release();
  }
};
