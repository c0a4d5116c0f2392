import type { CheckRun } from '../../../../../shared/checks';

/** A run as the engine reports it (shared/checks.ts): one failure with its diagnosis, one skip. */
export const CHECK_RUN: CheckRun = {
  profile: 'fixture',
  startedAt: '2026-05-01T08:58:00.000Z',
  durationMs: 9400,
  passed: false,
  results: [
    { id: 'network', status: 'passed', durationMs: 412, steps: [], details: {} },
    { id: 'token', status: 'passed', durationMs: 2310, steps: [], details: {} },
    { id: 'imap', status: 'passed', durationMs: 1180, steps: [], details: {} },
    {
      id: 'smtp',
      status: 'failed',
      durationMs: 950,
      steps: [],
      details: {},
      diagnosis: {
        code: 'smtp-auth-disabled' as never,
        title: 'Microsoft 365 refused to let this mailbox send mail over SMTP',
        cause: 'Authenticated SMTP is turned off.',
        fix: [],
        evidence: { source: 'smtp', text: '535 5.7.139 Authentication unsuccessful' },
        transient: false,
      },
    },
    { id: 'roundtrip', status: 'skipped', durationMs: 0, steps: [], details: {}, skippedReason: 'SMTP failed' },
  ],
};
