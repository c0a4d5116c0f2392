/**
 * The relay's own refusals to a device (issue 22). The device signs in to the relay with its local
 * credential (never a Microsoft password); these codes are what the relay's IMAP proxy answers and logs.
 */
import type { Entry } from '../entry';
import type { RelayCode } from './relay.codes';

export const RELAY_ENTRIES: Record<RelayCode, Entry> = {
  'relay-device-login-refused': {
    title: () => 'The relay refused the device\'s user name or password',
    cause: () => 'The device signed in to the relay with a user name the relay does not know or a password that does not match the device\'s local credential (the relay keeps only its scrypt hash). This is the relay\'s own password, not a Microsoft one; nothing was sent to Microsoft.',
    fix: () => [
      { text: 'Type the user name and password from the device\'s settings card again (they are case-sensitive).' },
      { text: 'If the card is lost, the password cannot be shown again: add the device again (`mail-oauth relay device add`, or **Create it for me** in the app) and type the new password into the device.' },
    ],
  },
  'relay-device-imap-not-allowed': {
    title: () => 'This device may send through the relay but not read mail',
    cause: () => 'The device\'s credential is valid, but the relay\'s configuration does not let it read a mailbox over IMAP. A scanner that only sends should never be able to read the mailbox, so reading is off unless it is turned on per device.',
    fix: () => [{ text: 'If this device must read mail, add it with reading turned on (`mail-oauth relay device add ... --imap --mailbox <address>`), and give the app the IMAP.AccessAsApp role for that mailbox.' }],
  },
  'relay-device-pop-not-allowed': {
    title: () => 'This device may send through the relay but not read mail over POP',
    cause: () => 'The device\'s credential is valid, but the relay\'s configuration does not let it read a mailbox over POP. A scanner that only sends should never be able to read the mailbox, so reading is off unless it is turned on per device.',
    fix: () => [{ text: 'If this device must read mail, add it with POP reading turned on (`mail-oauth relay device add ... --pop --mailbox <address>`), turn the relay\'s POP proxy on ("pop": {"port": 1110} in relay.json), and give the app the POP.AccessAsApp role for that mailbox.' }],
  },
  'relay-device-tls-required': {
    title: () => 'The relay needs an encrypted connection before the device signs in',
    cause: () => 'The device tried to sign in over a connection that is not encrypted. The relay refuses passwords in clear when it is reachable from other machines or when its configuration requires TLS.',
    fix: () => [{ text: 'In the device\'s mail settings choose **STARTTLS** (or **SSL/TLS** with the relay\'s implicit-TLS port), as shown on the device\'s settings card.' }],
  },
};
