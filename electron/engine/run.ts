import { randomBytes } from 'node:crypto';
import { CHECK_IDS, DEFAULT_TIMEOUTS, type CheckId, type CheckResult, type CheckRun, type ProgressEvent, type Step } from '../../shared/checks';
import { diagnose, redact, redactDeep, toEvidence, type Diagnosis, type DiagnosisCode, type EvidenceSource } from '../../shared/diagnosis';
import type { ResolvedEndpoints } from '../../shared/endpoints';
import type { Profile } from '../../shared/profile';
import { acquireToken, EngineError, type TokenResult } from './auth';
import { checksFor, findTarget } from '../../shared/catalogue';
import { graphCheck } from './checks/graph';
import { imapCheck } from './checks/imap';
import { networkCheck } from './checks/network';
import { roundtripCheck } from './checks/roundtrip';
import { smtpCheck } from './checks/smtp';
import { tokenCheck } from './checks/token';
import { PrerequisiteFailed, type CheckFn, type RunContext, type SentMessage } from './checks/context';
import { NetError } from './net';
import { netOptions, resolveNet } from './resolve-net';
import type { EngineDeps, ResolvedNet } from './ports';
import { judgeClaims } from './token';

export interface RunOptions {
  only?: CheckId[];
  /** Per-check time bound in ms; a number applies to every check. */
  timeouts?: Partial<Record<CheckId, number>> | number;
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
  /** Look without sending (the watch for the Exchange step, issue 19): the Graph check reads the inbox and sends no test message. */
  readOnly?: boolean;
}

const CHECKS: Record<CheckId, CheckFn> = { network: networkCheck, token: tokenCheck, imap: imapCheck, smtp: smtpCheck, roundtrip: roundtripCheck, graph: graphCheck };

/**
 * Which checks apply to a profile: its API's, narrowed to the catalogue entry's own list when the entry
 * asks for fewer (a send-only relay proves SMTP, not IMAP or the round trip, issue 22).
 */
export function applicableChecks(profile: Pick<Profile, 'api'> & Partial<Profile>): CheckId[] {
  const byApi: CheckId[] = profile.api === 'graph' ? ['network', 'token', 'graph'] : ['network', 'token', 'imap', 'smtp', 'roundtrip'];
  const t = profile.target ? findTarget(profile.target) : undefined;
  if (!t) return byApi;
  try {
    const wanted = checksFor(t, profile as Profile);
    // The catalogue narrows the API's checks (a send-only relay device runs no IMAP check); a profile whose
    // API differs from the entry's (a CLI file stating api: graph for Odoo) keeps its API's own checks.
    if (!byApi.some((c) => c !== 'network' && c !== 'token' && wanted.includes(c))) return byApi;
    return byApi.filter((c) => wanted.includes(c));
  } catch {
    return byApi;
  }
}

function hintOf(e: unknown): DiagnosisCode | undefined {
  if (e instanceof EngineError) return e.hint;
  if (e instanceof NetError && e.connected && e.code === 'ETIMEDOUT') return 'network-black-hole';
  const h = (e as { hint?: unknown } | null)?.hint;
  return typeof h === 'string' ? (h as DiagnosisCode) : undefined;
}

const SOURCE: Record<CheckId, EvidenceSource> = { network: 'network', token: 'sign-in', imap: 'imap', smtp: 'smtp', roundtrip: 'roundtrip', graph: 'graph' };

/**
 * Runs the profile's checks in parallel, each with its own time bound, streaming progress. Checks that
 * need a token wait for the shared one; the round trip waits for the SMTP check's message. A check
 * whose prerequisite failed in the same run is skipped, pointing at that check's diagnosis.
 */
export async function runChecks(profile: Profile, deps: EngineDeps, opts: RunOptions = {}): Promise<CheckRun> {
  const started = Date.now();
  const applicable = applicableChecks(profile);
  const selected = (opts.only?.length ? CHECK_IDS.filter((c) => opts.only!.includes(c)) : applicable) as CheckId[];
  const timeoutFor = (id: CheckId) => (typeof opts.timeouts === 'number' ? opts.timeouts : (opts.timeouts?.[id] ?? DEFAULT_TIMEOUTS[id]));
  const secrets: string[] = [deps.clientSecret, deps.clientCertificate?.privateKey].filter((s): s is string => !!s);
  // Endpoints, CAs and proxy once for the whole run (the host's, when it resolved them), handed to every check and the token.
  let net: ResolvedNet;
  try {
    net = deps.net ?? resolveNet(profile);
  } catch (e) {
    const d = diagnose(e, { profile, secrets });
    return { profile: profile.name, startedAt: new Date(started).toISOString(), durationMs: Date.now() - started, passed: false, results: selected.map((id) => ({ id, status: 'failed', durationMs: 0, steps: [], diagnosis: { ...d, checkId: id }, details: {} })) };
  }
  const endpoints = net.endpoints;
  deps = { ...deps, net };
  const emit = (e: Omit<ProgressEvent, 'at'>) => opts.onProgress?.({ ...e, message: redact(e.message, secrets), at: new Date().toISOString() });

  let tokenP: Promise<TokenResult> | undefined;
  let usableP: Promise<TokenResult> | undefined;
  const ctx: RunContext = {
    profile,
    deps,
    endpoints,
    net: netOptions(net),
    secrets,
    ...(opts.readOnly ? { readOnly: true } : {}),
    runId: `${new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomBytes(3).toString('hex')}`,
    token: () =>
      (tokenP ??= acquireToken(profile, deps, { timeoutMs: timeoutFor('token'), ...(opts.signal ? { signal: opts.signal } : {}) }).then((t) => {
        secrets.push(t.accessToken);
        return t;
      })),
    usableToken: () =>
      (usableP ??= ctx.token().then((t) => {
        const problem = judgeClaims(t.info, profile, endpoints);
        if (problem) throw new EngineError(problem.code, problem.text, { signedInAs: t.info.account });
        return t;
      })),
  };
  if (net.ca) ctx.ca = net.ca;

  // Prerequisites: the usable token for mailbox checks; the SMTP check's message for the round trip.
  let resolveSent: ((m: SentMessage) => void) | undefined;
  let rejectSent: ((e: unknown) => void) | undefined;
  if (selected.includes('smtp') && selected.includes('roundtrip')) {
    ctx.sentMessage = new Promise<SentMessage>((res, rej) => ((resolveSent = res), (rejectSent = rej)));
    ctx.sentMessage.catch(() => {});
  }
  const prerequisites = async (id: CheckId) => {
    if (id === 'network' || id === 'token') return;
    try {
      await ctx.usableToken();
    } catch (e) {
      throw new PrerequisiteFailed('token', e);
    }
    // The round trip does not wait for the SMTP check here: it opens its IMAP session meanwhile.
  };

  const runOne = async (id: CheckId): Promise<CheckResult> => {
    const steps: Step[] = [];
    if (!applicable.includes(id)) {
      const reason = id === 'graph' ? 'the profile uses IMAP and SMTP, not Graph' : 'the profile uses Microsoft Graph, not IMAP/SMTP';
      emit({ checkId: id, phase: 'skipped', message: `Skipped: ${reason}` });
      return { id, status: 'skipped', durationMs: 0, steps, details: {}, skippedReason: reason };
    }
    const prerequisiteFailed = (pre: PrerequisiteFailed, durationMs: number): CheckResult => {
      if (id === 'smtp') rejectSent?.(pre.original);
      if (selected.includes(pre.prerequisite)) {
        const reason = `needs the ${pre.prerequisite} check to pass first`;
        emit({ checkId: id, phase: 'skipped', message: `Skipped: ${reason}` });
        return { id, status: 'skipped', durationMs, steps, details: {}, skippedReason: reason };
      }
      return { id, status: 'failed', durationMs, steps, details: {}, diagnosis: makeDiagnosis(pre.original, id) };
    };
    try {
      await prerequisites(id);
    } catch (e) {
      return prerequisiteFailed(e as PrerequisiteFailed, 0);
    }
    const timeoutMs = timeoutFor(id);
    const t0 = Date.now();
    emit({ checkId: id, phase: 'started', message: startMessage(id, profile, endpoints) });
    const ac = new AbortController();
    const onOuterAbort = () => ac.abort(new Error('cancelled'));
    opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
    let current = '';
    const step = async <T>(name: string, fn: () => Promise<T>, detail?: (v: T) => string | undefined): Promise<T> => {
      const s0 = Date.now();
      current = name;
      try {
        const v = await fn();
        const d = detail?.(v);
        steps.push({ name, ok: true, durationMs: Date.now() - s0, ...(d ? { detail: redact(d, secrets) } : {}) });
        emit({ checkId: id, phase: 'step', message: d ? `${name}: ${d}` : name, durationMs: Date.now() - s0 });
        return v;
      } catch (e) {
        steps.push({ name: redact(name, secrets), ok: false, durationMs: Date.now() - s0 });
        throw e;
      }
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const host = id === 'imap' || id === 'roundtrip' ? endpoints.imap : id === 'smtp' ? endpoints.smtp : undefined;
        const err =
          id === 'roundtrip' && /arrived/.test(current)
            ? new EngineError('roundtrip-not-arrived', `test message not seen in INBOX within ${timeoutMs} ms`)
            : Object.assign(new Error(`${id} check did not finish within ${timeoutMs} ms${current ? ` (at: ${current})` : ''}`), { code: 'ETIMEDOUT', ...(host ? { host: host.host, port: host.port } : {}) });
        ac.abort(err);
        reject(err);
      }, timeoutMs);
    });
    try {
      const work = CHECKS[id]({ ctx, step, signal: ac.signal, timeoutMs: Math.max(50, Math.floor(timeoutMs * 0.9)) });
      if (id === 'smtp' && resolveSent) work.then((d) => resolveSent!({ messageId: String(d.messageId), subject: String(d.subject), sentAt: t0 }), (e) => rejectSent!(e));
      work.catch(() => {});
      const details = await Promise.race([work, timeout]);
      const durationMs = Date.now() - t0;
      emit({ checkId: id, phase: 'passed', message: `${label(id)} passed`, durationMs });
      return { id, status: 'passed', durationMs, steps, details: redactDeep(details, secrets) };
    } catch (e) {
      const durationMs = Date.now() - t0;
      if (e instanceof PrerequisiteFailed) return prerequisiteFailed(e, durationMs);
      const diagnosis = makeDiagnosis(e, id);
      emit({ checkId: id, phase: 'failed', message: `${label(id)} failed: ${diagnosis.title}`, durationMs });
      return { id, status: 'failed', durationMs, steps, diagnosis, details: {} };
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onOuterAbort);
    }
  };

  const makeDiagnosis = (e: unknown, id: CheckId): Diagnosis => {
    const ev = toEvidence(e, SOURCE[id]);
    const hint = hintOf(e);
    if (hint) ev.hint = hint;
    const signedInAs = (e instanceof EngineError ? (e.extra.signedInAs as string | undefined) : undefined) ?? undefined;
    return diagnose(ev, { profile, check: id, secrets, ...(deps.clientSecret ? { secretValue: deps.clientSecret } : {}), ...(signedInAs ? { signedInAs } : {}), signInHost: endpoints.signInHost });
  };

  const results = await Promise.all(selected.map(runOne));
  return { profile: profile.name, startedAt: new Date(started).toISOString(), durationMs: Date.now() - started, passed: results.every((r) => r.status !== 'failed') && results.some((r) => r.status === 'passed'), results };
}

function label(id: CheckId): string {
  return { network: 'Network', token: 'Token', imap: 'IMAP', smtp: 'SMTP', roundtrip: 'Round trip', graph: 'Graph' }[id];
}

function startMessage(id: CheckId, p: Profile, ep: ResolvedEndpoints): string {
  switch (id) {
    case 'network':
      return `Reaching ${ep.signInHost}${p.api === 'graph' ? ` and ${new URL(ep.graphUrl).host}` : `, ${ep.imap.host}:${ep.imap.port} and ${ep.smtp.host}:${ep.smtp.port}`}…`;
    case 'token':
      return `Getting a token from ${ep.signInHost}…`;
    case 'imap':
      return `Signing in to ${ep.imap.host}:${ep.imap.port} as ${p.mailbox}…`;
    case 'smtp':
      return `Sending a test message through ${ep.smtp.host}:${ep.smtp.port}…`;
    case 'roundtrip':
      return `Waiting for the test message to arrive in ${p.mailbox}…`;
    case 'graph':
      return `Calling Microsoft Graph for ${p.mailbox}…`;
  }
}
