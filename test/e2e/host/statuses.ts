/**
 * The Test screen of a journey that ends green, written out (issue 24: "skipped" is not green). An
 * IMAP/SMTP connection runs five checks (README, "Test": network, token, IMAP, SMTP and the round trip)
 * and every one must pass; a Graph connection (CXT: docs/TARGETS.md, Microsoft Graph app-only) runs
 * network, token and Graph. A check the run skipped, or a row that is missing or extra, fails the journey.
 */
export const ALL_PASSED = {
  'imap-smtp': { network: 'passed', token: 'passed', imap: 'passed', smtp: 'passed', roundtrip: 'passed' },
  graph: { network: 'passed', token: 'passed', graph: 'passed' },
} as const;

/** The green Test screen for a journey's target: only CXT talks Graph among the journeys' targets. */
export function allPassedFor(target: string): Record<string, string> {
  return { ...ALL_PASSED[target === 'cxt' ? 'graph' : 'imap-smtp'] };
}
