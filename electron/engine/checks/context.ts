import type { ResolvedEndpoints } from '../../../shared/endpoints';
import type { Profile } from '../../../shared/profile';
import type { EngineDeps } from '../ports';
import type { TokenResult } from '../auth';

/** What one check run shares between its checks. */
export interface RunContext {
  profile: Profile;
  deps: EngineDeps;
  endpoints: ResolvedEndpoints;
  ca?: string[];
  /** The run's extra CAs and proxy, as resolved once for it: every request of every check uses these. */
  net: { ca?: string[]; proxy?: string };
  /** The token for the profile's API, acquired once per run (memoised). */
  token(): Promise<TokenResult>;
  /** The token, after its claims were judged fit (rejects with the claims diagnosis otherwise). */
  usableToken(): Promise<TokenResult>;
  /** Set by the SMTP check when it sent the test message: the round trip looks for it. */
  sentMessage?: Promise<SentMessage>;
  /** Every token seen in this run: redacted from any text that leaves the engine. */
  secrets: string[];
  /** Unique id of this run, put into the test message. */
  runId: string;
  /** Read only: nothing is sent (RunOptions.readOnly). */
  readOnly?: boolean;
}

export interface SentMessage {
  messageId: string;
  subject: string;
  sentAt: number;
}

/** Records one timed step of a check and reports it as progress. */
export type StepFn = <T>(name: string, fn: () => Promise<T>, detail?: (v: T) => string | undefined) => Promise<T>;

export interface CheckEnv {
  ctx: RunContext;
  step: StepFn;
  signal: AbortSignal;
  timeoutMs: number;
}

export type CheckFn = (env: CheckEnv) => Promise<Record<string, unknown>>;

/** A failure that belongs to a prerequisite (the token, the SMTP send), not to the check itself. */
export class PrerequisiteFailed extends Error {
  constructor(
    readonly prerequisite: 'token' | 'smtp',
    readonly original: unknown,
  ) {
    super(`${prerequisite} failed`);
    this.name = 'PrerequisiteFailed';
  }
}
