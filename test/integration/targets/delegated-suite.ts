/**
 * The same proof for every delegated (IMAP/SMTP or Graph) seed system: the guide's registration
 * passes every check (engine sign-in through the AuthWindow, then runChecks; and the real CLI on the
 * profile file as far as a confidential Web app allows), and each deviation from the guide fails with
 * its own diagnosis.
 */
import { expect, it } from 'vitest';
import type { App, Emulator } from '../../emulator/index';
import { runChecks } from '../../../electron/engine';
import type { Person } from '../helpers/authWindow';
import { codes, deps, profileFile, registration, runCli, secretOf, SECRET_ENV, signInAndRun, signInCode, withRegistration, wizardProfile, type WizardInput } from './helpers';

export interface DelegatedTarget {
  target: string;
  person: Person;
  wizard: (clientId: string) => WizardInput;
  /** The redirect URI the guide registers for these inputs. */
  expectedRedirect: string;
  /** A plausible wrong registration of the redirect (another path). */
  wrongRedirect: string;
  /** Scenario app to use (default: the first). */
  clientId?: string;
  /** Also prove that the CLI's device-code sign-in is refused for this confidential Web app. */
  cliDeviceCode?: boolean;
}

/** The consent advice: the API permissions page of this app and the admin consent address with tenant and client id filled in. */
function expectAdminConsentAdvice(advice: string, clientId: string, tenant: string): void {
  expect(advice).toMatch(/administrator/);
  expect(advice).toContain('Grant admin consent for');
  expect(advice).toContain(`/${tenant}/adminconsent?client_id=${clientId}`);
}

const ALL_IMAP_SMTP = { network: 'passed', token: 'passed', imap: 'passed', smtp: 'passed', roundtrip: 'passed' };
const ALL_GRAPH = { network: 'passed', token: 'passed', graph: 'passed' };

export function delegatedTargetSuite(emuOf: () => Emulator, t: DelegatedTarget): void {
  const app = (): App => registration(emuOf(), t.clientId);
  const setup = () => {
    const a = app();
    const secret = secretOf(a);
    return { a, secret, ...wizardProfile(emuOf(), t.wizard(a.clientId), secret) };
  };
  const allPassed = () => (setup().profile.api === 'graph' ? ALL_GRAPH : ALL_IMAP_SMTP);

  it('the wizard profile validates and derives exactly the redirect URI the guide registers', () => {
    const { profile, redirectUri, findings, a } = setup();
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(redirectUri).toBe(t.expectedRedirect);
    expect(profile.targetInputs.redirectUri).toBe(t.expectedRedirect);
    expect(a.webRedirectUris).toContain(t.expectedRedirect);
    expect(profile.flow).toBe('delegated');
  });

  it('passes: sign-in as the mailbox user through the AuthWindow, then every check passes', async () => {
    const { profile, redirectUri, secret } = setup();
    const d = deps(t.person, secret);
    const run = await signInAndRun(profile, d, redirectUri);
    expect(codes(run)).toEqual(allPassed());
    expect(run.passed).toBe(true);
    const opened = new URL(d.authWindow.opened[0]!);
    expect(opened.searchParams.get('redirect_uri')).toBe(t.expectedRedirect);
    expect(opened.searchParams.get('scope')).toContain('offline_access');
    const token = run.results.find((r) => r.id === 'token')!;
    expect(token.details.account).toBe(t.person.upn);
    expect(token.details.via).toBe('refresh');
  });

  it('CLI: `validate` and `check --only network` pass on the profile file; a full `check` says a sign-in is needed (a Web app cannot sign in from the CLI)', async () => {
    const { raw, secret } = setup();
    const f = profileFile(raw);
    try {
      const env = { [SECRET_ENV]: secret };
      const v = await runCli(['validate', f.file, '--json'], env);
      expect(v.exit, v.stderr).toBe(0);
      const net = await runCli(['check', f.file, '--only', 'network', '--json'], env);
      expect(net.exit, net.stderr).toBe(0);
      expect(codes(net.json?.run)).toEqual({ network: 'passed' });
      const full = await runCli(['check', f.file, '--json'], env);
      expect(full.exit).toBe(1);
      expect(codes(full.json?.run).token).toBe('sign-in-required');
      if (t.cliDeviceCode) {
        const dc = await runCli(['check', f.file, '--device-code', '--json'], env);
        expect(dc.exit).toBe(1);
        expect(dc.json?.signIn?.diagnosis.code).toBe('aadsts-7000218-secret-required');
      }
      expect(`${v.stdout}${net.stdout}${full.stdout}${full.stderr}`).not.toContain(secret);
    } finally {
      f.cleanup();
    }
  });

  it('CLI: `validate` derives the same redirect URI as the catalogue (the one its diagnoses name)', async () => {
    const { raw, secret } = setup();
    const f = profileFile(raw);
    try {
      const v = await runCli(['validate', f.file, '--json'], { [SECRET_ENV]: secret });
      expect(v.json?.cleaned?.targetInputs?.redirectUri).toBe(t.expectedRedirect);
    } finally {
      f.cleanup();
    }
  });

  it('deviation: another redirect path registered → AADSTS50011 at authorize, and the advice names the redirect to add', async () => {
    const { profile, redirectUri, secret, a } = setup();
    await withRegistration(emuOf(), a.clientId, { webRedirectUris: [t.wrongRedirect] }, async () => {
      const r = await signInCode(profile, deps(t.person, secret), redirectUri);
      expect(r.code).toBe('aadsts-50011-redirect-mismatch');
      expect(r.aadsts).toBe('50011');
      expect(r.advice).toContain(t.expectedRedirect);
    });
  });

  /** Application permissions where the guide asks for delegated ones (the portal's other tab). */
  const applicationInstead = (graph: boolean): Partial<App> => ({
    delegatedPermissions: [{ resource: 'graph', name: 'User.Read' }],
    applicationPermissions: graph
      ? [{ resource: 'graph', name: 'Mail.ReadWrite' }, { resource: 'graph', name: 'Mail.Send' }]
      : [{ resource: 'outlook', name: 'IMAP.AccessAsApp' }, { resource: 'outlook', name: 'SMTP.SendAsApp' }],
    applicationAdminConsent: true,
  });

  it('deviation: application permissions instead of delegated → the mailbox user is refused the delegated scopes at sign-in (AADSTS90094)', async () => {
    const { profile, redirectUri, secret, a } = setup();
    await withRegistration(emuOf(), a.clientId, applicationInstead(profile.api === 'graph'), async () => {
      const r = await signInCode(profile, deps(t.person, secret), redirectUri);
      // Entra: the delegated scopes are not consented and users may not consent → AADSTS90094,
      // diagnosed as consent required: an administrator grants it (portal page + admin consent URL).
      expect(r.aadsts).toBe('90094');
      expect(r.code).toBe('aadsts-65001-consent-required');
      expect(r.text).toMatch(/only an admin can grant/);
      expectAdminConsentAdvice(r.advice, a.clientId, profile.tenant);
    });
  });

  it('deviation: admin consent not granted → the mailbox user cannot sign in (AADSTS90094)', async () => {
    const { profile, redirectUri, secret, a } = setup();
    await withRegistration(emuOf(), a.clientId, { delegatedAdminConsent: false }, async () => {
      const r = await signInCode(profile, deps(t.person, secret), redirectUri);
      expect(r.aadsts).toBe('90094');
      expect(r.code).toBe('aadsts-65001-consent-required');
      expect(r.text).toMatch(/only an admin can grant/);
      expectAdminConsentAdvice(r.advice, a.clientId, profile.tenant);
    });
  });

  it('deviation: admin consent revoked after the sign-in → token check: AADSTS65001 consent required', async () => {
    const { profile, redirectUri, secret, a } = setup();
    const d = deps(t.person, secret);
    expect((await signInCode(profile, d, redirectUri)).code).toBe('signed-in');
    await withRegistration(emuOf(), a.clientId, { delegatedAdminConsent: false }, async () => {
      const run = await runChecks(profile, d, { only: ['token', profile.api === 'graph' ? 'graph' : 'imap'] });
      expect(Object.values(codes(run))).toEqual(['aadsts-65001-consent-required', 'skipped']);
      expect(run.results[0]!.diagnosis!.evidence.aadsts).toBe('65001');
    });
  });

  // offline_access is a Microsoft Graph permission like the others: admin consent covers only what the
  // registration lists, and users of this tenant may not consent, so the sign-in asking for it (every
  // delegated sign-in does, for the refresh token the target keeps) needs an admin → AADSTS90094.
  it('deviation: offline_access missing from the registration → the sign-in needs an admin\'s consent for it (AADSTS90094)', async () => {
    const { profile, redirectUri, secret, a } = setup();
    await withRegistration(emuOf(), a.clientId, { delegatedPermissions: a.delegatedPermissions.filter((p) => p.name !== 'offline_access') }, async () => {
      const r = await signInCode(profile, deps(t.person, secret), redirectUri);
      expect(r.aadsts).toBe('90094');
      expect(r.code).toBe('aadsts-65001-consent-required');
      expect(r.advice).toContain('offline_access');
      expectAdminConsentAdvice(r.advice, a.clientId, profile.tenant);
    });
  });
}
