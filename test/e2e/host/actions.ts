import { closeSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './testHost';

/**
 * Counts what a person does on a journey, two ways at once:
 * - DECISIONS (issue 10, `count`): a click that makes a choice, a field typed, a sign-in (once). A plain
 *   Next / Continue is listed but not a decision.
 * - EVERY ACTION (issue 19, `clicks`): every click, typed or pasted field, tick, confirmation and OS
 *   dialog, a plain Next included; a Microsoft sign-in counts as the steps Microsoft shows (SIGN_IN_STEPS);
 *   what the person does inside the target (making an API key, a Connected App, installing a module)
 *   counts as the steps that target's own documentation names (`inTarget`).
 * What only the test does (pointing the connection at the emulator, standing in for the Entra portal) is
 * listed as SETUP and counts nowhere. Multiplicity is respected: `n` on one line counts `n` times.
 */
export type ActionKind = 'counted' | 'plain' | 'setup' | 'target';

/** What Microsoft's sign-in showed in one window (read from the page by test/e2e/host/register.ts). */
export interface SignInShown {
  /** The account field was already filled (login_hint) or an account was offered to pick. */
  accountKnown: boolean;
  /** The browser already had a Microsoft session: the person picks the account, no password. */
  sessionInBrowser?: boolean;
  mfa: boolean;
  consent: boolean;
}

/**
 * The steps a person takes in a Microsoft sign-in, by what the sign-in asks for. Sources:
 * - The sign-in pages themselves (the emulator copies their ids: #i0116 account, #idSIButton9 Next /
 *   Sign in, #i0118 password, #idTxtBx_SAOTCC_OTC the Authenticator code, #idBtn_Accept consent) and
 *   https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow ("login_hint ...
 *   to pre-fill the username/email address field of the sign-in page"): a mailbox whose name the app
 *   passes starts on the password.
 * - MFA: https://learn.microsoft.com/en-us/entra/identity/authentication/concept-mfa-howitworks
 *   (approve in Microsoft Authenticator or enter its code): one step, as the walk of issue 19 counted it.
 * - Consent: https://learn.microsoft.com/en-us/entra/identity-platform/application-consent-experience
 *   (the permissions prompt, Accept): one step, only the first time.
 * - A browser already signed in: prompt=select_account shows the account picker
 *   (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow, "prompt"): one
 *   click on the account (+ consent the first time).
 * - A browser already signed in happens where the administrator signs in in the SYSTEM browser (RFC 8252
 *   loopback redirect, electron/engine/loopback.ts; the embedded window never has a session, it is a fresh
 *   in-memory one each time). In the e2e that browser is one Playwright context kept for the journey
 *   (test/e2e/host/systemBrowser.ts); its Microsoft session comes from an earlier full sign-in in that
 *   context to another app of the tenant (seedMicrosoftSession): TEST SETUP, listed as [setup], counted
 *   nowhere, as the administrator did it before the journey (e.g. in Outlook on the web). The emulator then
 *   shows "Pick an account" (test/emulator/entra.ts pickerPage, prompt=select_account).
 * Rows (issue 19): first-time administrator with MFA and consent = 6; a mailbox with its name prefilled = 3
 * (2 without MFA, as the demo's mailbox); a browser already signed in = 1 (2 with the first consent).
 */
export function signInSteps(shown: SignInShown): string[] {
  const steps: string[] = [];
  if (shown.sessionInBrowser) steps.push('pick the account');
  else {
    if (!shown.accountKnown) steps.push('type the account', 'Next');
    steps.push('type the password', 'Sign in');
    if (shown.mfa) steps.push('approve the sign-in (MFA)');
  }
  if (shown.consent) steps.push('Accept (consent)');
  return steps;
}

/** The named rows of the table above (for the report and the unit tests). */
export const SIGN_IN_TABLE = {
  'first-time administrator with MFA and consent': signInSteps({ accountKnown: false, mfa: true, consent: true }),
  'a mailbox with its name prefilled (MFA)': signInSteps({ accountKnown: true, mfa: true, consent: false }),
  'a browser already signed in': signInSteps({ accountKnown: true, sessionInBrowser: true, mfa: false, consent: false }),
  'a browser already signed in, first consent': signInSteps({ accountKnown: true, sessionInBrowser: true, mfa: false, consent: true }),
} as const;

interface Entry {
  kind: ActionKind;
  what: string;
  /** Decisions this line counts (issue 10). */
  n: number;
  /** Person actions this line counts (issue 19). */
  steps: number;
}

export class HumanActions {
  readonly log: Entry[] = [];
  private marks = new Map<string, number>();
  constructor(readonly journey: string) {}
  /** A decision: a choice clicked, a field typed. `n` > 1: several on one line (each also one action). */
  act(what: string, n = 1): void {
    if (!Number.isInteger(n) || n < 1) throw new Error(`act(${what}): n must be a positive whole number, not ${n}`);
    this.log.push({ kind: 'counted', what, n, steps: n });
  }
  /** A click that makes no choice (Next, Continue, Save, an OS dialog's Save): one action, no decision. */
  plain(what: string, steps = 1): void {
    if (!Number.isInteger(steps) || steps < 0) throw new Error(`plain(${what}): steps must be a whole number, not ${steps}`);
    this.log.push({ kind: 'plain', what, n: 0, steps });
  }
  /** A Microsoft sign-in: one decision; as many actions as the steps Microsoft showed (signInSteps). */
  signIn(what: string, shown: SignInShown): string[] {
    const steps = signInSteps(shown);
    this.log.push({ kind: 'counted', what: `${what}: ${steps.join(', ')}`, n: 1, steps: steps.length });
    return steps;
  }
  /** What the person does inside the target (its own pages): actions, not decisions of this app. */
  inTarget(what: string, steps: string[]): void {
    if (steps.length === 0) throw new Error(`inTarget(${what}): name the steps`);
    this.log.push({ kind: 'target', what: `${what}: ${steps.join(', ')}`, n: 0, steps: steps.length });
  }
  /**
   * Main's native questions the person answered since the last call (each one click on its button:
   * "Create", "Send", ...). `questions` is the host's list of questions main asked, in order.
   */
  answered(questions: readonly { title: string; confirmLabel: string }[]): void {
    for (const q of questions.slice(this.questionsSeen)) this.log.push({ kind: 'plain', what: `${q.confirmLabel} in main's question "${q.title}"`, n: 0, steps: 1 });
    this.questionsSeen = questions.length;
  }
  private questionsSeen = 0;
  setup(what: string): void {
    this.log.push({ kind: 'setup', what, n: 0, steps: 0 });
  }
  /** Decisions so far (issue 10's count). */
  get count(): number {
    return this.log.reduce((sum, a) => sum + a.n, 0);
  }
  /** Every action so far (issue 19's count). */
  get clicks(): number {
    return this.log.reduce((sum, a) => sum + a.steps, 0);
  }
  /** Remembers the action count now under `name` (e.g. "green": the checks are green and exported). */
  mark(name: string): number {
    this.marks.set(name, this.clicks);
    return this.clicks;
  }
  marked(name: string): number {
    const v = this.marks.get(name);
    if (v === undefined) throw new Error(`no mark "${name}"`);
    return v;
  }
  report(): string {
    const tag = (a: Entry) =>
      a.kind === 'setup' ? '[setup]      ' : a.kind === 'target' ? `[in target ${a.steps}]` : a.kind === 'plain' ? `[click ${a.steps}]    ` : `[decision ${a.n}, ${a.steps}]`;
    let running = 0;
    const lines = this.log.map((a, i) => {
      running += a.steps;
      return `  ${String(i + 1).padStart(2)}. ${tag(a).padEnd(16)} ${a.kind === 'setup' ? '   ' : String(running).padStart(3)} ${a.what}`;
    });
    const marks = [...this.marks].map(([k, v]) => `${k} at ${v}`).join(', ');
    return [
      `Human actions, ${this.journey}: ${this.clicks} actions (every click, field, sign-in step), ${this.count} decisions; ${this.log.filter((a) => a.kind === 'setup').length} test-setup steps${marks ? `; ${marks}` : ''}`,
      ...lines,
    ].join('\n');
  }
}

export const humanActionsFile = path.join(repoRoot, 'test/artifacts/human-actions.json');

/**
 * Merges counts into test/artifacts/human-actions.json ({ "<system>": n, "<system>/manual": m }).
 * Safe for parallel Playwright workers (issue 23): the read-merge-write holds an exclusive lock file
 * (`open(..., 'wx')`), and the new content is written to a temporary file then renamed over the old one,
 * so a reader never sees half a file and no worker's counts overwrite another's.
 */
export function recordHumanActions(counts: Record<string, number>, file = humanActionsFile): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const lock = `${file}.lock`;
  const deadline = Date.now() + 15_000;
  let fd: number | undefined;
  while (fd === undefined) {
    try {
      fd = openSync(lock, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      try {
        // A lock left by a worker killed mid-write (older than a write could take) is taken over.
        if (Date.now() - statSync(lock).mtimeMs > 10_000) unlinkSync(lock);
      } catch {
        /* released meanwhile */
      }
      if (Date.now() > deadline) throw new Error(`${lock} stayed locked for 15 s`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
  try {
    let current: Record<string, number> = {};
    try {
      current = JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>;
    } catch {
      current = {};
    }
    const merged = { ...current, ...counts };
    const sorted = Object.fromEntries(Object.keys(merged).sort().map((k) => [k, merged[k]!]));
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(sorted, null, 2)}\n`);
    renameSync(tmp, file);
  } finally {
    closeSync(fd);
    unlinkSync(lock);
  }
}
