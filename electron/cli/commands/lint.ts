/**
 * `mail-oauth lint <profile> [--json] [--device-code] [--admin-client-id ID]`: reads the profile's
 * app registration through Graph (read-only permissions) and says what is wrong with it for the
 * profile's target. When the profile's secret is in its environment variable, it is compared with the
 * secrets' hints (a Secret ID or another app's secret is caught without any sign-in with it).
 */
import { redact } from '../../../shared/diagnosis';
import { getTarget } from '../../../shared/catalogue';
import { loadProfileFile } from '../../engine/profileFile';
import { DEFAULT_ADMIN_CLIENT_ID, DEFAULT_ADMIN_CLIENT_NAME, diagnoseRegistrationError, lintRegistration } from '../../engine/registration';
import { formatDiagnosis } from '../output';
import { envNameAllowed, UsageError } from '../secret';
import type { CliIo } from '../main';
import { adminSessionOrExit, formatManualSteps, formatRegistrationFindings, parseOptions, profileArg } from './register';

export const LINT_HELP = `mail-oauth lint <profile.json> [options]

Reads the profile's app registration in Microsoft Entra (read-only) and lists what is wrong with it
for the profile's target system: redirect URIs, account types, permissions and consent, enterprise
application, assignment, secrets (expired, expiring, or not the secret the profile uses).
  --device-code             sign the administrator in with a device code (Conditional Access may block it)
  --admin-client-id <id>    the client the administrator signs in to (default ${DEFAULT_ADMIN_CLIENT_ID},
                            ${DEFAULT_ADMIN_CLIENT_NAME}; or MAIL_OAUTH_ADMIN_CLIENT_ID)
  --custom-endpoints        allow a sign-in host / Graph URL other than Microsoft's; or MAIL_OAUTH_ALLOW_CUSTOM_ENDPOINTS=1
  --secret-env <NAME>       compare the secret in NAME although it does not start with MAIL_OAUTH_
  --json                    one JSON document on stdout: {"findings": [...], "manualSteps": [...]}
The secret, when the profile's environment variable holds it, is only compared with the secrets' hints.
Exit 0 no error finding, 1 an error finding (or the lint failed), 2 usage.
`;

export async function lintCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, { 'device-code': { type: 'boolean' }, 'admin-client-id': { type: 'string' }, 'custom-endpoints': { type: 'boolean' }, 'secret-env': { type: 'string' } });
  const file = profileArg(positionals);
  const json = !!values.json;
  const { profile } = loadProfileFile(file);
  getTarget(profile.target);
  if (!profile.clientId) throw new UsageError('the profile has no clientId to lint; `mail-oauth register` creates the registration');
  // Only compared with the hints, never sent anywhere; still only from the variables a profile may name.
  const allowEnv = typeof values['secret-env'] === 'string' ? values['secret-env'] : undefined;
  const secret = profile.clientSecret.source === 'env' && envNameAllowed(profile.clientSecret.name, allowEnv) ? io.env[profile.clientSecret.name]?.trim() || undefined : undefined;
  const secrets = secret ? [secret] : [];
  const session = await adminSessionOrExit(profile, values, io, 'read');
  if (typeof session === 'number') return session;
  try {
    const r = await lintRegistration(session, profile, secret ? { secretValue: secret } : {});
    const errors = r.findings.filter((f) => f.severity === 'error');
    if (json) io.stdout.write(`${redact(JSON.stringify({ clientId: profile.clientId, tenantId: session.tenantId, found: !!r.actual.application, findings: r.findings, manualSteps: r.desired.manualSteps }, null, 2), secrets)}\n`);
    else io.stdout.write(redact(`${formatRegistrationFindings(r.findings)}${formatManualSteps(r.desired.manualSteps)}`, secrets));
    return errors.length ? 1 : 0;
  } catch (e) {
    const d = diagnoseRegistrationError(e, profile, { secrets });
    if (json) io.stdout.write(`${JSON.stringify({ error: { diagnosis: d } }, null, 2)}\n`);
    else io.stdout.write(`Lint failed.\n${formatDiagnosis(d, '  ')}`);
    return 1;
  }
}
