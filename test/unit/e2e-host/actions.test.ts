import { describe, expect, it } from 'vitest';
import { HumanActions, SIGN_IN_TABLE, signInSteps } from '../../e2e/host/actions';

// The e2e action counter (issue 19): every click, field, tick, confirmation and OS dialog; a Microsoft
// sign-in as the steps Microsoft shows; decisions (issue 10) kept beside it.
describe('signInSteps: the table of what a person does in a Microsoft sign-in', () => {
  it('a first-time administrator with MFA and consent takes 6 steps, in the order Microsoft shows them', () => {
    expect(SIGN_IN_TABLE['first-time administrator with MFA and consent']).toEqual(['type the account', 'Next', 'type the password', 'Sign in', 'approve the sign-in (MFA)', 'Accept (consent)']);
  });
  it('a mailbox with its name prefilled takes 3 (password, Sign in, MFA); without MFA 2', () => {
    expect(SIGN_IN_TABLE['a mailbox with its name prefilled (MFA)']).toEqual(['type the password', 'Sign in', 'approve the sign-in (MFA)']);
    expect(signInSteps({ accountKnown: true, mfa: false, consent: false })).toHaveLength(2);
  });
  it('a browser already signed in: pick the account, plus the consent the first time', () => {
    expect(SIGN_IN_TABLE['a browser already signed in']).toEqual(['pick the account']);
    expect(SIGN_IN_TABLE['a browser already signed in, first consent']).toEqual(['pick the account', 'Accept (consent)']);
  });
  it('an unknown account without MFA: account, Next, password, Sign in', () => {
    expect(signInSteps({ accountKnown: false, mfa: false, consent: false })).toHaveLength(4);
  });
});

describe('HumanActions', () => {
  it('counts every action and keeps the decision count beside it', () => {
    const a = new HumanActions('t');
    a.plain('New connection');
    a.act('choose the system');
    a.plain('Next');
    a.act('type the address');
    a.setup('point at the emulator');
    expect(a.clicks).toBe(4);
    expect(a.count).toBe(2);
  });
  it('respects multiplicity: act(x, 3) is three decisions and three actions; plain(x, 2) two actions', () => {
    const a = new HumanActions('t');
    a.act('tick three boxes', 3);
    a.plain('Save, then Save in the OS dialog', 2);
    expect(a.count).toBe(3);
    expect(a.clicks).toBe(5);
  });
  it('a sign-in is one decision and as many actions as the table says', () => {
    const a = new HumanActions('t');
    const steps = a.signIn('the administrator', { accountKnown: false, mfa: true, consent: true });
    expect(steps).toHaveLength(6);
    a.signIn('the mailbox', { accountKnown: true, mfa: true, consent: false });
    expect(a.count).toBe(2);
    expect(a.clicks).toBe(9);
  });
  it('steps inside the target are actions, not decisions; setup counts nowhere', () => {
    const a = new HumanActions('t');
    a.inTarget('make an API key', ['Preferences', 'Account Security', 'New API Key']);
    a.setup('x');
    expect(a.clicks).toBe(3);
    expect(a.count).toBe(0);
    expect(() => a.inTarget('nothing', [])).toThrow();
  });
  it('refuses a count that is not a positive whole number', () => {
    const a = new HumanActions('t');
    expect(() => a.act('x', 0)).toThrow();
    expect(() => a.act('x', 1.5)).toThrow();
    expect(() => a.plain('x', -1)).toThrow();
  });
  it('marks remember the action count at a point of the journey; the report lists each line with its running total', () => {
    const a = new HumanActions('odoo');
    a.plain('New connection');
    a.act('type', 2);
    expect(a.mark('green')).toBe(3);
    a.plain('Put it into Odoo');
    expect(a.marked('green')).toBe(3);
    expect(a.clicks).toBe(4);
    expect(() => a.marked('nope')).toThrow();
    const r = a.report();
    expect(r).toContain('odoo: 4 actions');
    expect(r).toContain('2 decisions');
    expect(r).toContain('green at 3');
    expect(r.split('\n')).toHaveLength(4);
  });
});
