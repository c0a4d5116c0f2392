import { randomUUID } from 'node:crypto';
import { httpsRequest } from '../net';
import type { CheckFn, RunContext } from './context';

export class GraphError extends Error {
  constructor(
    message: string,
    readonly httpStatus: number,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

async function call(ctx: RunContext, token: string, method: string, path: string, timeoutMs: number, signal: AbortSignal, body?: unknown) {
  const url = `${ctx.endpoints.graphUrl}/v1.0${path}`;
  const r = await httpsRequest(url, { method, headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) }, { ...ctx.net, timeoutMs, signal });
  if (r.status >= 400) {
    let text = r.body.slice(0, 500);
    try {
      const j = JSON.parse(r.body) as { error?: { code?: string; message?: string } };
      if (j.error) text = `${j.error.code ?? ''}: ${j.error.message ?? ''}`;
    } catch {
      /* keep raw text */
    }
    const ra = Number(r.headers['retry-after']);
    throw Object.assign(new GraphError(`Graph ${method} ${path} → ${r.status} ${text}`, r.status, Number.isFinite(ra) ? ra : undefined), { host: new URL(url).hostname });
  }
  return r.body ? (JSON.parse(r.body) as Record<string, unknown>) : {};
}

/** Graph: the mailbox's profile, its inbox, and a test message sent to itself. */
export const graphCheck: CheckFn = async ({ ctx, step, timeoutMs, signal }) => {
  const token = await ctx.usableToken();
  const me = ctx.profile.flow === 'app-only' ? `/users/${encodeURIComponent(ctx.profile.mailbox)}` : '/me';
  const deadline = Date.now() + timeoutMs;
  const left = () => Math.max(1, deadline - Date.now());
  // App-only: /users/{upn} itself needs User.Read.All, which a mail daemon rarely has; the mailbox calls suffice.
  const user = ctx.profile.flow === 'app-only' ? { mail: ctx.profile.mailbox } : await step(`GET ${me}`, () => call(ctx, token.accessToken, 'GET', me, left(), signal), (u) => String(u.userPrincipalName ?? u.mail ?? ''));
  const inbox = await step(`GET ${me}/mailFolders/inbox/messages`, () => call(ctx, token.accessToken, 'GET', `${me}/mailFolders/inbox/messages?$top=1&$select=id,subject`, left(), signal), (r) => `${Array.isArray(r.value) ? r.value.length : 0} message(s) listed`);
  const id = `${ctx.runId}-${randomUUID().slice(0, 8)}`;
  if (ctx.readOnly) return { user: user.userPrincipalName ?? user.mail, listed: Array.isArray(inbox.value) ? inbox.value.length : 0, readOnly: true };
  await step(`POST ${me}/sendMail to ${ctx.profile.mailbox}`, () =>
    call(ctx, token.accessToken, 'POST', `${me}/sendMail`, left(), signal, {
      message: { subject: `Mail OAuth Assistant test ${id}`, body: { contentType: 'Text', content: `Graph test message ${id}. You can delete it.` }, toRecipients: [{ emailAddress: { address: ctx.profile.mailbox } }] },
      saveToSentItems: false,
    }),
  );
  return { user: user.userPrincipalName ?? user.mail, listed: Array.isArray(inbox.value) ? inbox.value.length : 0, testId: id };
};
