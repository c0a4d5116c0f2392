import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../../electron/engine/auth';
import { loopbackSignIn } from '../../../../electron/engine/loopback';
import type { SystemBrowser } from '../../../../electron/engine/ports';

/** A GET to 127.0.0.1:<port> with the Host header a browser would send (or `host`). */
function get(url: string, host?: string): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: u.port, path: `${u.pathname}${u.search}`, headers: { host: host ?? u.host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A browser that records the URL it was asked to open and hands it to `then` (the person's part). */
function browser(then?: (url: string) => void | Promise<void>): SystemBrowser & { opened: string[]; done: Promise<void> } {
  const opened: string[] = [];
  let finished: () => void = () => {};
  const done = new Promise<void>((resolve) => (finished = resolve));
  return {
    opened,
    done,
    async open(url) {
      opened.push(url);
      if (then) setTimeout(() => void Promise.resolve(then(url)).finally(finished), 5);
    },
  };
}

const authorizeUrl = (redirectUri: string) => `https://login.example.test/authorize?redirect_uri=${encodeURIComponent(redirectUri)}&state=s1`;
const redirectOf = (url: string) => new URL(url).searchParams.get('redirect_uri')!;

describe('loopbackSignIn (RFC 8252 loopback redirect for the system browser)', () => {
  it('opens the browser on http://localhost:<ephemeral port>, takes the redirect with the state sent, answers a page without the code, then closes', async () => {
    const answers: { status: number; body: string }[] = [];
    const b = browser(async (url) => void answers.push(await get(`${redirectOf(url)}/?code=THE-CODE&state=s1`)));
    const r = await loopbackSignIn({ authorizeUrl, state: 's1', browser: b, timeoutMs: 5000 });
    await b.done;
    expect(b.opened).toHaveLength(1);
    expect(r.redirectUri).toMatch(/^http:\/\/localhost:\d{2,5}$/);
    expect(redirectOf(b.opened[0]!)).toBe(r.redirectUri);
    expect(r.redirect.searchParams.get('code')).toBe('THE-CODE');
    expect(answers[0]!.status).toBe(200);
    expect(answers[0]!.body).toContain('go back to Mail OAuth Assistant');
    expect(answers[0]!.body).not.toContain('THE-CODE');
    // One-shot: the listener is gone.
    await expect(get(`${r.redirectUri}/?code=again&state=s1`)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('refuses a redirect with another state, another path or another Host, and keeps waiting for the right one', async () => {
    const seen: number[] = [];
    const b = browser(async (url) => {
      const base = redirectOf(url);
      seen.push((await get(`${base}/?code=forged&state=other`)).status);
      seen.push((await get(`${base}/?code=forged`)).status);
      seen.push((await get(`${base}/favicon.ico`)).status);
      seen.push((await get(`${base}/?code=forged&state=s1`, 'evil.example:80')).status);
      seen.push((await get(`${base}/?code=good&state=s1`)).status);
    });
    const r = await loopbackSignIn({ authorizeUrl, state: 's1', browser: b, timeoutMs: 5000 });
    await b.done;
    expect(seen).toEqual([400, 400, 404, 400, 200]);
    expect(r.redirect.searchParams.get('code')).toBe('good');
  });

  it('hands back an error redirect with the right state (the engine words it), the page says so', async () => {
    let body = '';
    const b = browser(async (url) => void (body = (await get(`${redirectOf(url)}/?error=access_denied&error_description=declined&state=s1`)).body));
    const r = await loopbackSignIn({ authorizeUrl, state: 's1', browser: b, timeoutMs: 5000 });
    await b.done;
    expect(r.redirect.searchParams.get('error')).toBe('access_denied');
    expect(body).toContain('did not finish');
  });

  it('ends on the time limit as a cancelled sign-in, and the listener is closed', async () => {
    let base = '';
    const b = browser((url) => void (base = redirectOf(url)));
    const e = await loopbackSignIn({ authorizeUrl, state: 's1', browser: b, timeoutMs: 150 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(EngineError);
    expect((e as EngineError).hint).toBe('sign-in-cancelled');
    expect((e as Error).message).toMatch(/did not finish within/);
    await expect(get(`${base}/?code=late&state=s1`)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('is cancellable: aborting ends it as cancelled, and the listener is closed', async () => {
    const controller = new AbortController();
    let base = '';
    const b = browser((url) => {
      base = redirectOf(url);
      controller.abort();
    });
    const e = await loopbackSignIn({ authorizeUrl, state: 's1', browser: b, timeoutMs: 5000, signal: controller.signal }).catch((x: unknown) => x);
    expect((e as EngineError).hint).toBe('sign-in-cancelled');
    expect((e as Error).message).toMatch(/cancelled/);
    await expect(get(`${base}/?code=late&state=s1`)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('a browser that cannot open ends it at once, as cancelled, with the reason', async () => {
    const b: SystemBrowser = { open: () => Promise.reject(new Error('no default browser')) };
    const e = await loopbackSignIn({ authorizeUrl, state: 's1', browser: b, timeoutMs: 5000 }).catch((x: unknown) => x);
    expect((e as EngineError).hint).toBe('sign-in-cancelled');
    expect((e as Error).message).toContain('no default browser');
  });
});
