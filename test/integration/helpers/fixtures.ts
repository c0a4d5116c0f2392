import { demoScenario, type Emulator, type ScenarioInput } from '../../emulator/index';
import { ProfileSchema, type Profile, type ProfileInput } from '../../../shared/profile';

export const TENANT = '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01';
export const WEB = '11111111-2222-4333-8444-000000000001';
export const WEB_SECRET = 'Erp~Secret.Value_0123456789abcdefGHIJ';
export const WEB_SECRET_ID = '5a6b7c8d-0001-4e2f-9a3b-000000000051';
export const WEB_EXPIRED = 'Old~Expired.Value_9876543210zyxwvuTSRQ';
export const PUBLIC = '11111111-2222-4333-8444-000000000002';
export const DAEMON = '11111111-2222-4333-8444-000000000003';
export const DAEMON_SECRET = 'Daemon~Secret.Value_abcdefghijKLMNOP01';
export const NOCONSENT = '11111111-2222-4333-8444-000000000004';
export const NOCONSENT_SECRET = 'NoConsent~Secret.Value_qrstuvwx2345';
export const NOREPLY = '11111111-2222-4333-8444-000000000006';
export const REDIRECT = 'https://erp.fabrikam.com/microsoft_outlook/confirm';

/**
 * The demo scenario with a 1 s device-code polling interval (Entra ID's is 5 s): msal-node polls at
 * the interval the device-code answer names, so a sign-in a person completes in a page is seen within a
 * second instead of up to five, with the same requests (pending, then the tokens; polling faster than
 * the interval is still refused with slow_down).
 */
export const DEMO_QUICK_DEVICE_CODE: ScenarioInput = { ...structuredClone(demoScenario), settings: { ...structuredClone(demoScenario.settings), deviceCodeIntervalSeconds: 1 } };

/** A profile pointed at the emulator: its sign-in host, IMAP/SMTP ports, Graph URL and CA. */
export function emuProfile(emu: Emulator, patch: Partial<ProfileInput> = {}): Profile {
  return ProfileSchema.parse({
    name: 'emulator',
    target: 'generic',
    tenant: TENANT,
    clientId: DAEMON,
    clientSecret: { source: 'env', name: 'MAIL_OAUTH_TEST_SECRET' },
    mailbox: 'info@fabrikam.com',
    flow: 'app-only',
    api: 'imap-smtp',
    endpoints: { signInHost: emu.loginHost, imap: `${emu.imap.host}:${emu.imap.port}`, smtp: `${emu.smtp.host}:${emu.smtp.port}`, graphUrl: emu.graphUrl },
    caCerts: [emu.caPem],
    ...patch,
  });
}
