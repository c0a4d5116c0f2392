/**
 * Graph errors of the registration engine → diagnosis codes (shared/diagnosis/domains/registration.ts).
 * Texts from REGISTRATION-FACTS.md 2.9 (error table) and Microsoft 365 Agents Toolkit's constants.
 */
import { diagnose, type Diagnosis, type DiagnosisCode } from '../../../shared/diagnosis';
import type { Profile } from '../../../shared/profile';
import type { PlanStep } from '../../../shared/registration/types';
import { BudgetExhausted, GraphError } from './graph';

export function graphErrorCode(e: unknown, _step?: PlanStep): DiagnosisCode {
  if (e instanceof BudgetExhausted) return e.reason === 'replication' ? 'registration-replication-timeout' : 'registration-throttled';
  if (!(e instanceof GraphError)) {
    const hint = (e as { hint?: unknown } | null)?.hint;
    return typeof hint === 'string' ? (hint as DiagnosisCode) : 'registration-graph-error';
  }
  const text = `${e.code} ${e.graphMessage}`;
  if (/CredentialTypeNotAllowedAsPerAppPolicy/i.test(text)) return 'registration-secret-not-allowed';
  if (/CredentialInvalidLifetimeAsPerAppPolicy|lifetime exceeds the max value/i.test(text)) return 'registration-secret-lifetime';
  if (/SignInAudienceNotAllowedAsPerAppPolicy/i.test(text)) return 'registration-audience-not-allowed';
  if (/InvalidAccessTokenVersion|requestedAccessTokenVersion is invalid/i.test(text)) return 'registration-token-version';
  if (/allow users to register applications/i.test(text)) return 'registration-users-cannot-register';
  if (e.status === 429 || e.status === 503) return 'registration-throttled';
  if (e.status === 403 || /Authorization_RequestDenied/i.test(e.code)) return 'registration-role-required';
  return 'registration-graph-error';
}

/** A full diagnosis for a Graph / apply failure, with the profile's context (role advice reads the step words in the text). */
export function diagnoseRegistrationError(e: unknown, profile: Partial<Profile>, opts: { message?: string; secrets?: string[]; signInHost?: string } = {}): Diagnosis {
  const code = graphErrorCode(e);
  const g = e instanceof BudgetExhausted ? e.last : e instanceof GraphError ? e : undefined;
  const text = opts.message ?? (e instanceof Error ? e.message : String(e));
  return diagnose(
    { source: 'graph', text, hint: code, ...(g ? { httpStatus: g.status } : {}), ...(g?.retryAfterSeconds !== undefined ? { retryAfterSeconds: g.retryAfterSeconds } : {}), ...(g?.requestId ? { correlationId: g.requestId } : {}) },
    { profile, ...(opts.secrets ? { secrets: opts.secrets } : {}), ...(opts.signInHost ? { signInHost: opts.signInHost } : {}) },
  );
}

/**
 * A failed administrator sign-in: diagnosed like every sign-in (AADSTS codes), except that missing
 * consent for the admin client's registration permissions gets its own advice (who can consent, or
 * use the organisation's own admin client id).
 */
export function diagnoseAdminSignIn(e: unknown, profile: Partial<Profile>, opts: { signInHost?: string } = {}): Diagnosis {
  const d = diagnose(e, { profile, check: 'token', ...(opts.signInHost ? { signInHost: opts.signInHost } : {}) });
  if (d.code !== 'aadsts-65001-consent-required') return d;
  return diagnose({ ...d.evidence, hint: 'registration-admin-consent-needed' }, { profile, check: 'token', ...(opts.signInHost ? { signInHost: opts.signInHost } : {}) });
}
