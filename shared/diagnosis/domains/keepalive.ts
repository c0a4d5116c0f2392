/**
 * Keeping a connection working: certificates, rotation, expiry, the end of Basic auth.
 * Sources: REGISTRATION-FACTS.md 4.5 (Basic auth timeline), test/emulator/README.md "Client assertions"
 * (AADSTS700027 / 700024 texts and their sources), [Issue] rpremraj/mailR#107 and nodemailer#1714
 * ("535 5.7.139 Authentication unsuccessful, basic authentication is disabled.").
 */
import { credentials, type CatalogueContext, type Entry } from '../entry';
import type { KeepaliveCode } from './keepalive.codes';

/** Microsoft's words, quoted once (already redacted by diagnose()). */
const said = (c: CatalogueContext) => (c.evidence.text ? ` Microsoft answered: "${c.evidence.text.slice(0, 300)}"` : '');
const uploadAgain = (c: CatalogueContext) => ({ text: 'Upload the certificate this system signs with (the .cer or .pem file the assistant wrote): **Certificates & secrets > Certificates > Upload certificate**, or let the assistant upload it with an administrator signed in.', link: { label: 'Open Certificates & secrets', url: credentials(c).link!.url } });

export const KEEPALIVE_ENTRIES: Record<KeepaliveCode, Entry> = {
  'smtp-basic-auth-disabled': {
    title: () => 'The mail server no longer accepts a password for this account',
    cause: (c) => `Basic authentication (user name and password) is turned off for SMTP for this account or tenant, so the password login was refused before any message was sent. Microsoft turns it off by default for existing tenants at the end of December 2026 and will announce the final removal in the second half of 2027; app passwords use the same path and are refused too.${said(c)}`,
    fix: () => [
      { text: 'Move the system to OAuth: on the Start screen choose **My system still sends with a password**, pick the system and follow the steps; the Test step sends one message with OAuth to prove it.' },
      // MICROSOFT-FACTS December 2026: how Basic is re-enabled after the default-off is not published yet; an
      // authentication policy that disables Basic for SMTP wins over the SMTP AUTH switches (Microsoft,
      // "Enable or disable authenticated client SMTP submission"); Set-CASMailbox turns the protocol on, not Basic.
      { text: 'Only as a stopgap while you move: administrators can turn Basic authentication for SMTP AUTH back on until the final removal, but Microsoft has not yet said how after the default-off. `Set-CASMailbox -SmtpClientAuthenticationDisabled $false` turns SMTP AUTH on for a mailbox and is not confirmed to bring Basic back; an authentication policy that blocks Basic for SMTP overrides it (check with `Get-AuthenticationPolicy | Format-List Name,AllowBasicAuthSmtp`).' },
    ],
  },
  'aadsts-700027-certificate-unknown': {
    title: () => 'Microsoft does not know the certificate the system signed in with',
    cause: (c) => `The client assertion is signed by a certificate whose thumbprint is not among the app registration's certificates: it was never uploaded, was uploaded to another app, or was removed (a rotation finished too early).${said(c)}`,
    fix: (c) => [uploadAgain(c), { text: 'Compare the thumbprint the assistant shows with the **Thumbprint** column under Certificates.' }],
  },
  'aadsts-700027-signature-invalid': {
    title: () => 'The sign-in was signed with a key that does not match the certificate',
    cause: (c) => `The assertion names a registered certificate, but its signature does not verify with that certificate's public key: the private key in use belongs to another certificate (a PEM or PFX mixed up during a renewal).${said(c)}`,
    fix: (c) => [{ text: 'Export the certificate and its private key again from the assistant (PEM or PFX) and give the system both files from the same export.' }, uploadAgain(c)],
  },
  'aadsts-700027-certificate-expired': {
    title: () => 'The certificate the system signs in with has expired',
    cause: (c) => `The certificate is registered, but its end date has passed, so Microsoft refuses every sign-in signed with it.${said(c)}`,
    fix: (c) => [{ text: 'Renew it: `mail-oauth rotate <profile>` or **Renew** in the app adds a new certificate, proves it, and removes the old one only after you confirm the system has the new one.' }, credentials(c)],
  },
  'aadsts-700024-assertion-time': {
    title: () => 'The sign-in was signed at a time Microsoft does not accept',
    cause: (c) => `The client assertion is not within its valid time range: the computer's clock is off by more than a few minutes, or an old assertion was reused.${said(c)}`,
    fix: () => [{ text: 'Set the computer\'s clock to synchronise automatically (NTP) and run the check again.' }],
    transient: true,
  },
  // Renew secret (electron/engine/keepalive/renew.ts, rotate.ts): the two-step rotation's stops.
  'rotation-not-proved': {
    title: () => 'The new secret was added, but the checks did not pass with it',
    cause: (c) => `A second client secret is on the app registration and waits in this app's protected store; the checks run with it failed, so the old secret stays current and both are valid.${said(c)}`,
    fix: () => [
      { text: 'Fix what the failed check says (its card is shown below the renewal), then press **Prove the new secret again**: the same new secret is reused, no third one is added.' },
      { text: 'A connection that signs in as a user proves a secret through its saved sign-in: if the check asks for a sign-in, sign in again on the Sign in screen first.' },
    ],
  },
  'rotation-new-missing': {
    title: () => 'The new secret of the renewal is gone',
    cause: (c) => `The renewal recorded a new secret, but it is no longer on the app registration or no longer in this app's protected store (removed in the portal, or the store was reset). Nothing was removed.${said(c)}`,
    fix: (c) => [{ text: 'Remove the half-made secret from the app registration if it is still listed (its Secret ID is shown with the renewal), then start **Renew secret** again.', link: credentials(c).link! }],
  },
  'rotation-old-still-there': {
    title: () => 'The old secret is still on the registration',
    cause: (c) => `Microsoft Graph accepted the removal, but reading the registration back still lists the old secret: Entra has not replicated the change yet, or the removal was refused. The new secret is current either way.${said(c)}`,
    fix: (c) => [{ text: 'Wait a minute and press **Remove the old secret** again; if it stays, delete it by hand under **Certificates & secrets > Client secrets** (its Secret ID is shown).', link: credentials(c).link! }],
    transient: true,
  },
  'rotation-not-confirmed': {
    title: () => 'The old secret is removed only once the system has the new one',
    cause: () => 'Removing the old secret stops every system that still uses it, so the assistant waits for you to confirm the system was given the new Value.',
    fix: () => [{ text: 'Give the system the new Value (**Copy the new secret**, or push it), tick **The system now uses the new secret**, then remove the old one.' }],
  },
  'rotation-none-open': {
    title: () => 'No renewal is open for this connection',
    cause: (c) => `There is no new secret waiting to be made current: the renewal was finished already (perhaps in another window) or never started. Nothing was changed.${said(c)}`,
    fix: () => [{ text: 'Open the connection again to see its current secret; to renew it, press **Renew secret**.' }],
  },
};
