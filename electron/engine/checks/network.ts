import { networkProbeName, type NetworkService } from '../../../shared/checks';
import { probe } from '../net';
import type { CheckFn } from './context';

/** DNS, TCP and TLS to every host the profile uses, in parallel, honouring extra CAs and the proxy. */
export const networkCheck: CheckFn = async ({ ctx, step, timeoutMs, signal }) => {
  const { endpoints: ep, profile } = ctx;
  const signIn = new URL(`https://${ep.signInHost}`);
  const targets: { label: NetworkService; host: string; port: number; mode: 'tls' | 'starttls'; viaProxy: boolean }[] = [
    { label: 'sign-in', host: signIn.hostname, port: Number(signIn.port || 443), mode: 'tls', viaProxy: true },
  ];
  if (profile.api === 'graph') {
    const g = new URL(ep.graphUrl);
    targets.push({ label: 'Graph', host: g.hostname, port: Number(g.port || 443), mode: 'tls', viaProxy: true });
  } else {
    targets.push({ label: 'IMAP', host: ep.imap.host, port: ep.imap.port, mode: 'tls', viaProxy: false });
    targets.push({ label: 'SMTP', host: ep.smtp.host, port: ep.smtp.port, mode: 'starttls', viaProxy: false });
  }
  // Every host is probed to the end, even after one fails: the result names each service's state
  // (per-service rows on the Test screen: "reading mail is blocked, sending works").
  const settled = await Promise.allSettled(
    targets.map((t) =>
      step(
        networkProbeName(t.label, t.host, t.port),
        () => probe(t.host, t.port, t.mode, { ...ctx.net, viaProxy: t.viaProxy, timeoutMs, signal }),
        (r) => `dns ${r.dnsMs} ms, tcp ${r.tcpMs} ms, tls ${r.tlsMs} ms`,
      ),
    ),
  );
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  const results = settled.map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof probe>>>).value);
  return Object.fromEntries(targets.map((t, i) => [t.label, { host: t.host, port: t.port, ...results[i] }]));
};
