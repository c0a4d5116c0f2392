/**
 * A device or program that cannot use OAuth (issue 22, item 5): scanners, printers, older software.
 * They keep sending with a user name and password, but to the assistant's relay (`mail-oauth relay`),
 * which sends on to Microsoft 365 with XOAUTH2, app-only. The app registration is the send-only,
 * mailbox-scoped one: SMTP through Exchange's RBAC for Applications (no tenant-wide SMTP.SendAsApp).
 * A device that also reads the mailbox over POP (input "reading") adds POP.AccessAsApp; app-only POP needs
 * Full Access on the mailbox, which then also covers sending (shared/registration/derive.ts smtpSendRoute).
 * The device's settings card is built here once (`relayDeviceCard`): the paste card, the checklist,
 * the exports and the app's "settings to type into the device" after the relay is written all use it.
 */
import { COMMON_FORMATS } from '../formats';
import { servicePrincipalInput } from '../inputs';
import { exchangeAppScopes } from '../scopes';
import { adminConsentStep, exchangeServicePrincipalStep, overviewStep, permissionsStep, proveStep, registerStep, secretStep, smtpAuthStep } from '../steps';
import type { PasteCard, PasteField, TargetContext, TargetEntry } from '../types';

export const RELAY_DEVICE_TARGET = 'relay-device';

/** The relay's listening ports (relay.json "listen"): submission with STARTTLS, and implicit TLS; its POP proxy's ("pop"). */
export const RELAY_PORTS = { submission: 2525, implicitTls: 2465, pop: 1110, popImplicitTls: 1995 } as const;

export const RELAY_REACH = ['network', 'this-computer'] as const;
export type RelayReach = (typeof RELAY_REACH)[number];

/** Where the device's password goes before the relay's settings are written (it exists only then, shown once). */
export const RELAY_PASSWORD_PLACEHOLDER = '(made when the relay settings are written; shown once)';
export const RELAY_SERVER_UNKNOWN = "(the name or address of the computer that runs the relay)";

export interface RelayCardInput {
  device: string;
  mailbox: string;
  reach: RelayReach;
  /** The relay computer's name or address, when known (main knows it). */
  server?: string;
  /** The device's generated password: only in the answer main gives once. */
  password?: string;
  /** The relay's POP proxy when the device may read mail over POP (relay.json "pop" and the device's "pop"). */
  pop?: { port: number; implicitTlsPort?: number; mailbox: string };
}

/** The settings to type into the device, as devices label them (Scan to e-mail / SMTP settings). */
export function relayDeviceFields(c: RelayCardInput): PasteField[] {
  const server = c.reach === 'this-computer' ? '127.0.0.1' : c.server || RELAY_SERVER_UNKNOWN;
  return [
    { label: 'SMTP server', value: server, ...(c.reach === 'network' ? { note: 'the computer that runs the relay' } : { note: 'the program runs on the same computer as the relay' }) },
    { label: 'Port', value: String(RELAY_PORTS.submission), note: `or ${RELAY_PORTS.implicitTls} if the device only offers SSL/TLS` },
    { label: 'Encryption', value: c.reach === 'network' ? 'STARTTLS (required)' : 'STARTTLS (or none: same computer only)', note: `SSL/TLS on port ${RELAY_PORTS.implicitTls}` },
    { label: 'Authentication', value: 'On (LOGIN or PLAIN)' },
    { label: 'User name', value: c.device },
    // Not `secret`: that marks the client secret (the Done screen's Copy secret); this is the relay's own password.
    { label: 'Password', value: c.password ?? RELAY_PASSWORD_PLACEHOLDER, note: 'the relay\'s own password for this device, never a Microsoft password' },
    { label: 'Sender (From) address', value: c.mailbox, note: 'the only sender the relay lets this device use' },
    ...(c.pop
      ? [
          { label: 'POP server', value: server, note: `reads ${c.pop.mailbox} with the same user name and password` },
          { label: 'POP port', value: String(c.pop.port), ...(c.pop.implicitTlsPort !== undefined ? { note: `or ${c.pop.implicitTlsPort} if the device only offers SSL/TLS` } : {}) },
          { label: 'POP encryption', value: c.reach === 'network' ? 'STARTTLS / STLS (required)' : 'STARTTLS / STLS (or none: same computer only)', ...(c.pop.implicitTlsPort !== undefined ? { note: `SSL/TLS on port ${c.pop.implicitTlsPort}` } : {}) },
        ]
      : []),
  ];
}

export const RELAY_CARD_NOTES = [
  'The device signs in to the relay, not to Microsoft: its password works only there and can be replaced at any time by adding the device again.',
  'The relay keeps each message on disk before it answers the device, and sends it on to Microsoft 365 with OAuth, paced to Exchange Online\'s limits; a message Microsoft refuses comes back as a report with the reason and the fix.',
  'The relay certificate is self-signed: if the device checks certificates, turn the check off for this server or give the relay a certificate your devices trust (relay.json "tls").',
];

/** Whether the device also reads its mailbox over POP through the relay (input "reading"; default: send only). */
export function relayReadsPop(inputs: Record<string, string | undefined>): boolean {
  return inputs.reading === 'pop';
}

function reachOf(ctx: { inputs: Record<string, string> }): RelayReach {
  return ctx.inputs.reach === 'this-computer' ? 'this-computer' : 'network';
}

function deviceOf(ctx: { inputs: Record<string, string> }): string {
  return ctx.inputs.deviceName || 'scanner';
}

function pasteCard(ctx: TargetContext): PasteCard {
  return {
    title: `Settings to type into ${deviceOf(ctx)}`,
    sections: [
      {
        title: 'The device\'s mail settings',
        where: "The device's e-mail settings (often **Scan to e-mail > SMTP server**, or the program's **Outgoing mail (SMTP)**)",
        fields: relayDeviceFields({ device: deviceOf(ctx), mailbox: ctx.mailbox, reach: reachOf(ctx) }),
      },
      {
        title: 'The relay (on a computer that stays on)',
        where: 'The assistant writes these when you press **Write the relay settings** on the last screen',
        fields: [
          { label: 'Client ID', value: ctx.clientId },
          { label: 'Client secret', value: ctx.secret, secret: true, note: 'given to the relay service in an environment variable, never in its files' },
          { label: 'Tenant', value: ctx.tenant },
          { label: 'Sends as', value: ctx.mailbox, note: 'XOAUTH2 user, app-only' },
          { label: 'SMTP server (upstream)', value: `${ctx.hosts.smtp.host}:${ctx.hosts.smtp.port} (STARTTLS)` },
        ],
      },
    ],
    notes: RELAY_CARD_NOTES,
  };
}

export const relayDevice: TargetEntry = {
  id: RELAY_DEVICE_TARGET,
  displayName: 'A device or program that cannot use OAuth (scanner, printer, older software)',
  description: 'It keeps its user name and password, for a relay on your network that sends its mail on to Microsoft 365 with OAuth.',
  inputs: [
    {
      id: 'deviceName',
      label: 'A name for the device',
      help: 'Letters, digits, dot, dash or underscore; it becomes the user name the device signs in to the relay with.',
      placeholder: 'scanner-2nd-floor',
      kind: 'text',
      required: true,
      default: 'scanner',
      validation: { pattern: '^[A-Za-z0-9._-]{1,64}$', message: 'Up to 64 letters, digits, dots, dashes or underscores.' },
    },
    {
      id: 'reach',
      label: 'Where is the device?',
      help: 'A scanner or printer is elsewhere on the network: the relay then requires encryption and a password. A program on the computer that runs the relay can reach it on 127.0.0.1 only.',
      placeholder: '',
      kind: 'choice',
      options: [
        { value: 'network', label: 'Elsewhere on the network (scanner, printer, another server)' },
        { value: 'this-computer', label: 'On the computer that runs the relay' },
      ],
      required: true,
      default: 'network',
    },
    {
      id: 'reading',
      label: 'Does it also read mail?',
      help: 'Most scanners and printers only send. A program that collects mail over POP can read this mailbox through the relay: the app then also gets POP.AccessAsApp and Full Access to this one mailbox.',
      placeholder: '',
      kind: 'choice',
      options: [
        { value: 'none', label: 'No, it only sends' },
        { value: 'pop', label: 'Yes, it also reads this mailbox over POP' },
      ],
      required: true,
      default: 'none',
    },
    servicePrincipalInput,
  ],
  platform: 'none',
  needsBaseUrl: false,
  requiresHttps: false,
  flow: 'app-only',
  api: 'imap-smtp',
  audience: { recommended: 'single', allowed: ['single'], why: 'The relay sends only for mailboxes of your own tenant.' },
  resolve: (ctx) => ({
    flow: 'app-only',
    api: 'imap-smtp',
    redirectUris: [],
    // Send only: the registration derives Exchange's RBAC for Applications route (shared/registration/derive.ts
    // smtpSendRoute), scoped to this one mailbox, instead of a tenant-wide SMTP.SendAsApp consent. Reading
    // over POP adds POP.AccessAsApp (and with it Full Access on the mailbox); never granted otherwise.
    permissions: ['exchange.application.SMTP.SendAsApp', ...(relayReadsPop(ctx.inputs) ? (['exchange.application.POP.AccessAsApp'] as const) : [])],
    scopes: [exchangeAppScopes(ctx)],
    checks: ['network', 'token', 'smtp'],
  }),
  steps: (ctx) => [
    registerStep(ctx, { system: 'the relay', why: 'The relay sends only for mailboxes of your own tenant.' }),
    overviewStep(ctx, { system: 'the relay', calledThere: 'its client ID' }),
    permissionsStep(ctx, { system: 'the relay', note: relayReadsPop(ctx.inputs) ? 'Sends, and reads this mailbox over POP: Exchange Online gives the app Full Access to this one mailbox in the next steps.' : 'Send only: Exchange Online scopes it to this one mailbox in the next steps.' }),
    adminConsentStep(ctx),
    secretStep(ctx, { system: 'the relay', fieldThere: 'its client secret' }),
    exchangeServicePrincipalStep(ctx),
    smtpAuthStep(ctx, { imap: false }),
    proveStep(ctx, { system: 'the relay' }),
    {
      id: 'relay-device',
      title: `Write the relay settings and set up ${deviceOf(ctx)}`,
      body: [
        'On the last screen, **Write the relay settings** makes the relay\'s configuration (with the device\'s password stored only as a hash) and shows the settings to type into the device, once, as a card to print or hand over.',
        'Run the relay on a computer that stays on: `mail-oauth relay <profile.json> --config <relay.json>` (or `--install` for a service), with the client secret in the environment variable the profile names.',
      ].join('\n'),
      where: 'target',
      copy: relayDeviceFields({ device: deviceOf(ctx), mailbox: ctx.mailbox, reach: reachOf(ctx) }).map((f) => ({ label: f.label, value: f.value })),
    },
  ],
  pasteCard,
  exports: [...COMMON_FORMATS],
  registration: { secretDescription: 'mail relay' },
};
