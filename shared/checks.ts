import { z } from 'zod';
import { DIAGNOSIS_CODES } from './diagnosis/types';

/** The checks a profile can run, in display order. */
export const CHECK_IDS = ['network', 'token', 'imap', 'smtp', 'roundtrip', 'graph'] as const;
export type CheckId = (typeof CHECK_IDS)[number];
export const CheckIdSchema = z.enum(CHECK_IDS);

/** How a check is named to people: on the Test screen, in the hand-over report, in the CLI. */
export const CHECK_LABELS: Record<CheckId, { title: string; what: string }> = {
  network: { title: 'Reach Microsoft', what: 'Name lookup, connection and TLS to the sign-in, IMAP, SMTP and Graph hosts' },
  token: { title: 'Get a token', what: 'The app gets a token and it carries the right account, audience and permissions' },
  imap: { title: 'Read mail (IMAP)', what: 'Sign in to IMAP with OAuth and open the inbox' },
  smtp: { title: 'Send mail (SMTP)', what: 'Sign in to SMTP with OAuth and send a test message to the mailbox itself' },
  roundtrip: { title: 'Mail arrives', what: 'The test message is seen arriving in the inbox' },
  graph: { title: 'Microsoft Graph', what: 'Read and send mail through Microsoft Graph' },
};

export const CHECK_STATUSES = ['passed', 'failed', 'skipped'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export const StepSchema = z.object({
  /** What was done, e.g. "TLS handshake with outlook.office365.com:993". */
  name: z.string(),
  ok: z.boolean(),
  durationMs: z.number().nonnegative(),
  detail: z.string().optional(),
});
export type Step = z.infer<typeof StepSchema>;

/** The services the network check probes, in the order the Test screen lists them. */
export const NETWORK_SERVICES = ['sign-in', 'IMAP', 'SMTP', 'Graph'] as const;
export type NetworkService = (typeof NETWORK_SERVICES)[number];
const PROBE = /^(sign-in|IMAP|SMTP|Graph): DNS, TCP and TLS to (.+)$/;

/** The network check's step name for one service (the engine writes it, the Test screen reads it back). */
export function networkProbeName(service: NetworkService, host: string, port: number): string {
  return `${service}: DNS, TCP and TLS to ${host}:${port}`;
}

/** The service and host:port of a network step, or undefined for any other step. */
export function parseNetworkProbe(name: string): { service: NetworkService; target: string } | undefined {
  const m = PROBE.exec(name);
  return m ? { service: m[1] as NetworkService, target: m[2]! } : undefined;
}

export const EvidenceSchema = z.object({
  source: z.enum(['sign-in', 'token', 'network', 'imap', 'pop', 'smtp', 'roundtrip', 'graph', 'internal']),
  text: z.string(),
  aadsts: z.string().optional(),
  traceId: z.string().optional(),
  correlationId: z.string().optional(),
  httpStatus: z.number().int().optional(),
  retryAfterSeconds: z.number().optional(),
  errno: z.string().optional(),
  responseCode: z.string().optional(),
  host: z.string().optional(),
  port: z.number().int().optional(),
  hint: z.enum(DIAGNOSIS_CODES).optional(),
});

export const DiagnosisSchema = z.object({
  code: z.enum(DIAGNOSIS_CODES),
  checkId: CheckIdSchema.optional(),
  title: z.string(),
  cause: z.string(),
  fix: z.array(z.object({ text: z.string(), link: z.object({ label: z.string(), url: z.string() }).optional(), command: z.string().optional() })),
  evidence: EvidenceSchema,
  transient: z.boolean(),
});

export const CheckResultSchema = z.object({
  id: CheckIdSchema,
  status: z.enum(CHECK_STATUSES),
  durationMs: z.number().nonnegative(),
  steps: z.array(StepSchema),
  /** Present when status is failed (and for skipped checks, the reason they were skipped). */
  diagnosis: DiagnosisSchema.optional(),
  /** Check-specific facts: message count, token claims summary, message id... Never a secret. */
  details: z.record(z.string(), z.unknown()).default({}),
  skippedReason: z.string().optional(),
});
export type CheckResult = z.infer<typeof CheckResultSchema>;

export const CheckRunSchema = z.object({
  profile: z.string(),
  startedAt: z.string(),
  durationMs: z.number().nonnegative(),
  passed: z.boolean(),
  results: z.array(CheckResultSchema),
});
export type CheckRun = z.infer<typeof CheckRunSchema>;

export const ProgressEventSchema = z.object({
  checkId: CheckIdSchema,
  phase: z.enum(['started', 'step', 'passed', 'failed', 'skipped']),
  message: z.string(),
  /** ISO timestamp. */
  at: z.string(),
  durationMs: z.number().nonnegative().optional(),
});
export type ProgressEvent = z.infer<typeof ProgressEventSchema>;

/** Default per-check timeouts in milliseconds: a few seconds, not the operating system's two minutes. */
export const DEFAULT_TIMEOUTS: Record<CheckId, number> = {
  network: 5000,
  token: 8000,
  imap: 8000,
  smtp: 8000,
  roundtrip: 15000,
  graph: 8000,
};
