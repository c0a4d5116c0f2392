/* `npm run emulator -- --scenario <file>`: start the Microsoft 365 emulator for a person. Ctrl-C stops everything. */
import { startEmulator, demoScenarioPath, GRAPH_CLI_APP_ID } from './index.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  if (i >= 0) return process.argv[i + 1];
  const eq = process.argv.find((a) => a.startsWith(`${name}=`));
  return eq?.slice(name.length + 1);
}

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log('Usage: npm run emulator -- [--scenario <file.json>]   (default: test/emulator/scenarios/demo.json)');
  process.exit(0);
}

const file = arg('--scenario') ?? demoScenarioPath;
const t0 = Date.now();
const emu = await startEmulator(file);
const s = emu.scenario;
const lines: string[] = [];
const p = (l = '') => lines.push(l);
p(`Microsoft 365 emulator "${s.name}" ready in ${Date.now() - t0} ms (loopback only). Ctrl-C stops everything.`);
p();
p('Endpoints');
p(`  Sign-in (Entra ID)   ${emu.loginUrl}/<tenant>/oauth2/v2.0/{authorize,token,devicecode}   (msal knownAuthorities: ['${emu.loginHost}'])`);
p(`  Discovery            ${emu.loginUrl}/<tenant>/v2.0/.well-known/openid-configuration`);
p(`  Device login page    ${emu.loginUrl}/devicelogin`);
p(`  Graph                ${emu.graphUrl}/v1.0/me`);
p(`  Graph directory      ${emu.graphUrl}/v1.0/{applications,servicePrincipals,oauth2PermissionGrants,policies/defaultAppManagementPolicy,organization}`);
p(`  Admin sign-in client ${GRAPH_CLI_APP_ID} (Microsoft Graph Command Line Tools; public client, http://localhost any port, device code)`);
p(`  IMAP (TLS)           ${emu.imap.host}:${emu.imap.port}     IMAP (STARTTLS) ${emu.imap.host}:${emu.imap.starttlsPort}`);
p(`  SMTP (STARTTLS)      ${emu.smtp.host}:${emu.smtp.port}`);
p(`  CA certificate       ${emu.caPath}     (e.g. NODE_EXTRA_CA_CERTS=${emu.caPath})`);
p(`  Fault ports          closed ${emu.admin.closedPort()}   black hole ${emu.admin.blackholePort()}   untrusted TLS ${emu.admin.untrustedTlsPort()}`);
p();
p('Tenants');
for (const t of s.tenants) p(`  ${t.displayName.padEnd(12)} ${t.id}   ${t.domains.join(', ')}${t.smtpAuthDisabled ? '   (SMTP AUTH disabled)' : ''}`);
p();
p(`Users (MFA code on the MFA page: ${s.settings.mfaCode})`);
for (const u of s.users) {
  const notes = [u.kind !== 'member' ? u.kind : '', u.mfa ? 'MFA' : '', u.mailbox.smtpAuthDisabled ? 'SMTP AUTH disabled' : '', u.mailbox.imapEnabled ? '' : 'IMAP disabled', u.fullAccess.length ? `FullAccess: ${u.fullAccess.join(',')}` : '', u.guestOf.length ? 'guest elsewhere' : ''].filter(Boolean).join('; ');
  const roles = u.roles.length ? u.roles.join(', ') : u.isAdmin ? 'Global Administrator' : '';
  p(`  ${u.upn.padEnd(26)} password ${u.password.padEnd(18)} ${[notes, roles].filter(Boolean).join('; ')}`);
}
for (const m of s.sharedMailboxes) p(`  ${m.address.padEnd(26)} shared mailbox`);
p();
p('App registrations');
for (const a of s.apps) {
  p(`  ${a.displayName}`);
  p(`    client id ${a.clientId}   tenant ${a.tenantId}   audience ${a.signInAudience}`);
  if (a.webRedirectUris.length) p(`    web redirect URIs: ${a.webRedirectUris.join('  ')}`);
  if (a.publicClientRedirectUris.length) p(`    public client redirect URIs: ${a.publicClientRedirectUris.join('  ')}${a.allowPublicClientFlows ? '   (public client flows allowed)' : ''}`);
  for (const sec of a.secrets) p(`    secret VALUE ${sec.value}   (Secret ID ${sec.id}, expires ${sec.expires.slice(0, 10)}${Date.parse(sec.expires) < Date.now() ? ', EXPIRED' : ''})`);
  if (a.applicationPermissions.length) p(`    application permissions: ${a.applicationPermissions.map((x) => `${x.resource}:${x.name}`).join(', ')} ${a.applicationAdminConsent ? '(admin-consented)' : '(NOT consented)'}${a.exchangeServicePrincipal ? `; Exchange SP, FullAccess ${a.mailboxFullAccess.join(',')}` : ''}`);
}
console.log(lines.join('\n'));

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping...');
  await emu.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
setInterval(() => undefined, 1 << 30);
