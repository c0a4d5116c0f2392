/**
 * The system-browser sign-in of a native app (RFC 8252): the authorize URL opens in the person's own
 * browser (through the host's SystemBrowser port, Electron's shell.openExternal), and the redirect comes
 * back to a one-shot HTTP listener on the loopback interface, `http://localhost:<ephemeral port>`
 * (RFC 8252 7.3; Entra ignores the port of a registered `http://localhost` redirect, PORTAL-STEPS.md).
 *
 * The listener binds 127.0.0.1 only, on a port the OS picks; it answers only requests addressed to that
 * host and port (a page in the browser cannot rebind another name onto it); only the redirect path with
 * the state this sign-in sent is taken (anything else gets a 400 and the wait goes on); the first match
 * ends it. It closes after the code, on the time limit, or when the sign-in is cancelled. The page the
 * browser shows afterwards says to go back to the app and never carries the code.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EngineError } from './auth';
import type { SystemBrowser } from './ports';

export interface LoopbackSignInOptions {
  /** Builds the authorize URL for the redirect URI this listener got (its port is known only now). */
  authorizeUrl(redirectUri: string): Promise<string> | string;
  /** The state the authorize URL carries; the redirect must bring it back. */
  state: string;
  browser: SystemBrowser;
  signal?: AbortSignal;
  timeoutMs: number;
  /** The words on the page the browser shows after the redirect (default: go back to the assistant). */
  appName?: string;
}

export interface LoopbackSignInResult {
  /** The redirect as received (code + state, or error + error_description). */
  redirect: URL;
  /** `http://localhost:<port>`: the token request must name the same redirect URI. */
  redirectUri: string;
}

const page = (title: string, text: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title><meta name="viewport" content="width=device-width"></head><body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem"><h1 style="font-size:1.4rem">${title}</h1><p>${text}</p></body></html>`;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * Opens the browser on the authorize URL and waits for the one redirect to the loopback listener.
 * Rejects with EngineError('sign-in-cancelled') on cancel or time-out (the same hint the embedded window
 * gives, so the outcome reads the same), and never leaves the listener open.
 */
export async function loopbackSignIn(o: LoopbackSignInOptions): Promise<LoopbackSignInResult> {
  if (o.signal?.aborted) throw new EngineError('sign-in-cancelled', 'The sign-in in the browser was cancelled.');
  const appName = o.appName ?? 'Mail OAuth Assistant';
  let settle: { resolve: (u: URL) => void; reject: (e: Error) => void } | undefined;
  const outcome = new Promise<URL>((resolve, reject) => (settle = { resolve, reject }));
  // Settled early (cancelled while the browser opens) is still awaited below; no unhandled rejection meanwhile.
  outcome.catch(() => {});
  let port = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const send = (status: number, html: string) => {
      res.writeHead(status, { connection: 'close', 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'x-content-type-options': 'nosniff', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" });
      res.end(html);
    };
    const host = (req.headers.host ?? '').toLowerCase();
    if (host !== `localhost:${port}` && host !== `127.0.0.1:${port}`) return send(400, page('Not this address', 'This address only takes the sign-in redirect.'));
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://localhost:${port}`);
    } catch {
      return send(400, page('Not a sign-in', 'This address only takes the sign-in redirect.'));
    }
    if (req.method !== 'GET' || url.pathname !== '/') return send(404, page('Not found', 'This address only takes the sign-in redirect.'));
    if (url.searchParams.get('state') !== o.state) return send(400, page('Not this sign-in', `This is not the sign-in ${escapeHtml(appName)} started. Go back to ${escapeHtml(appName)} and start it there.`));
    const error = url.searchParams.get('error');
    // Taken once the page is on its way: closing the listener then does not cut it off.
    res.once('finish', () => settle!.resolve(url));
    if (error) send(200, page('The sign-in did not finish', `Microsoft answered: ${escapeHtml(error)}. Go back to ${escapeHtml(appName)}: it says what to do.`));
    else send(200, page('Signed in', `You can close this tab and go back to ${escapeHtml(appName)}.`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const redirectUri = `http://localhost:${port}`;
  const timer = setTimeout(() => settle!.reject(new EngineError('sign-in-cancelled', `The sign-in did not finish within ${Math.round(o.timeoutMs / 1000)} seconds.`)), o.timeoutMs);
  const onAbort = () => settle!.reject(new EngineError('sign-in-cancelled', 'The sign-in in the browser was cancelled.'));
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const url = await o.authorizeUrl(redirectUri);
    await o.browser.open(url).catch((e: unknown) => {
      throw new EngineError('sign-in-cancelled', `The browser could not be opened: ${e instanceof Error ? e.message : String(e)}`);
    });
    const redirect = await outcome;
    return { redirect, redirectUri };
  } finally {
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
