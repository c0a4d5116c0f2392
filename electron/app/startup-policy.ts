/**
 * What a packaged build refuses at start (issue 18): Chromium and Node switches that open the app to
 * another program (a debugger, a DevTools port), re-route its hosts or switch TLS checks off. A
 * corporate `--proxy-server` stays allowed. Developer variables count only when unpackaged. Pure:
 * electron/main.ts passes app.isPackaged, process.argv and process.env.
 */
const REFUSED: Array<{ test: (name: string) => boolean; why: string }> = [
  { test: (n) => n === 'remote-debugging-port' || n === 'remote-debugging-pipe', why: 'it opens a debugging port that any program on this computer could use to drive the app' },
  { test: (n) => n === 'inspect' || n.startsWith('inspect-') || n === 'inspect-brk' || n === 'debug' || n === 'debug-brk', why: 'it opens a Node.js debugger into the part of the app that holds your secrets' },
  { test: (n) => n === 'host-rules' || n === 'host-resolver-rules', why: "it sends Microsoft's and your target's host names to other servers" },
  { test: (n) => n === 'ignore-certificate-errors' || n === 'ignore-certificate-errors-spki-list' || n === 'allow-insecure-localhost', why: 'it turns off the check that a server is really who it claims to be' },
  { test: (n) => n === 'disable-web-security' || n === 'no-sandbox' || n === 'disable-site-isolation-trials' || n === 'js-flags', why: 'it switches off a protection of the app window' },
];

/** The switch's name without dashes or a value: `--inspect-brk=9229` -> `inspect-brk`. */
function switchName(arg: string): string | null {
  const m = /^--?([A-Za-z0-9-]+)(=.*)?$/.exec(arg);
  return m ? m[1]!.toLowerCase() : null;
}

/** null when the app may start; otherwise the message to show before quitting. */
export function startupRefusal(input: { packaged: boolean; argv: readonly string[]; env?: Readonly<Record<string, string | undefined>> }): string | null {
  if (!input.packaged) return null;
  const found: string[] = [];
  for (const arg of input.argv.slice(1)) {
    const name = switchName(arg);
    const rule = name ? REFUSED.find((r) => r.test(name)) : undefined;
    if (rule && name) found.push(`--${name}: ${rule.why}`);
  }
  // NODE_OPTIONS can carry --inspect too (Electron honours it unless the fuse is off).
  for (const part of (input.env?.NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean)) {
    const name = switchName(part);
    if (name && (name === 'inspect' || name.startsWith('inspect-') || name === 'require' || name === 'r' || name === 'import' || name === 'loader')) found.push(`NODE_OPTIONS ${part.split('=')[0]}: it runs other code inside the app`);
  }
  if (!found.length) return null;
  return `Mail OAuth Assistant did not start, because it was started with:\n${found.map((f) => `• ${f}`).join('\n')}\n\nThe assistant holds client secrets and mailbox sign-ins, so it refuses these. Start it again without them (a --proxy-server for your organisation's proxy is fine).`;
}

/** A developer variable: read only when the app is not packaged. */
export function devEnvReader(packaged: boolean, env: Readonly<Record<string, string | undefined>>): (name: string) => string | undefined {
  return (name) => (packaged ? undefined : env[name] || undefined);
}
