import type { DesiredRegistration, PlanStep } from '../../shared/registration/types';
import type { TargetPlanView } from '../../shared/ipc/target';
import type { SavedProfile, TargetConnection } from '../../shared/saved-profile';

/**
 * The native questions main asks before it acts for the person (issue 18), worded by main from its own
 * data. Text that came from the page (a connection's name, a mailbox, a URL) is never put in unescaped:
 * {@link quote} turns control characters and line breaks into spaces, caps the length and quotes it, so a
 * name cannot rewrite the question.
 */
export interface ConfirmQuestion {
  title: string;
  message: string;
  detail: string;
  confirmLabel: string;
}
export type Confirm = (question: ConfirmQuestion) => Promise<boolean>;

// Control characters, line/paragraph separators and bidirectional overrides.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

/** Page-supplied text as one plain line: no control characters, at most `max` characters. */
export function plain(text: string, max = 80): string {
  const one = text.replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** Page-supplied text quoted for a question: “name”. */
export function quote(text: string, max = 80): string {
  return `“${plain(text, max).replace(/[“”"]/g, "'")}”`;
}

const MAIL_APP_PERMISSION = /^(Mail\.|MailboxSettings\.|full_access_as_app$|EWS\.AccessAsApp$)/;
/** Exchange's own app-only protocols: they reach only the mailboxes Exchange grants the app (Full Access or a scoped role). */
const EXCHANGE_GRANTED = /^(IMAP\.AccessAsApp|POP\.AccessAsApp|SMTP\.SendAsApp)$/;

/** Whom one permission reaches, in plain words. */
export function reachOf(p: DesiredRegistration['permissions'][number], desired: Pick<DesiredRegistration, 'mailboxScope' | 'mailbox'>): string {
  if (p.type === 'delegated') return `delegated: only the mailbox that signs in${desired.mailbox ? ` (${quote(desired.mailbox, 120)})` : ''}`;
  if (p.resource === 'Office 365 Exchange Online' && EXCHANGE_GRANTED.test(p.name))
    return `application: only the mailboxes an Exchange administrator grants it (here ${desired.mailbox ? quote(desired.mailbox, 120) : 'the mailbox'}; none until then)`;
  if (!MAIL_APP_PERMISSION.test(p.name)) return 'application: the app itself, without a signed-in user';
  if (desired.mailboxScope === 'exchange-rbac') return `application, not consented in Entra: scoped by Exchange to ${desired.mailbox ? quote(desired.mailbox, 120) : 'the mailbox'} only`;
  return 'application: reaches EVERY MAILBOX IN YOUR ORGANISATION, without anyone signing in';
}

/** The question before the first Graph write of Create it for me / Fix. */
export function registrationQuestion(input: { mode: 'create' | 'fix'; desired: DesiredRegistration; steps: readonly PlanStep[]; tenant: string; admin: string }): ConfirmQuestion {
  const { desired, steps } = input;
  const name = quote(desired.displayName);
  const lines: string[] = [];
  lines.push(`Tenant: ${quote(input.tenant, 120)}, as administrator ${quote(input.admin, 120)}.`, '');
  lines.push('Permissions the app will have:');
  for (const p of desired.permissions) lines.push(`• ${p.name} (${p.resource}), ${reachOf(p, desired)}`);
  if (desired.mailboxScope === 'exchange-rbac')
    lines.push(
      `• mail access: not granted in Entra; scoped by Exchange to ${desired.mailbox ? quote(desired.mailbox, 120) : 'the mailbox'} only (Exchange RBAC for Applications). An Exchange administrator runs that step afterwards (Microsoft Graph cannot); until then the app reaches no mailbox.`,
    );
  else if (!desired.permissions.length) lines.push('• none');
  const grants = steps.filter((s) => s.kind === 'grant-delegated' || s.kind === 'assign-app-role');
  if (grants.length) {
    lines.push('', 'Admin consent, granted now for the whole organisation:');
    for (const s of grants) lines.push(s.kind === 'grant-delegated' ? `• delegated ${s.scopes.join(', ')}: for every user who signs in to this app` : `• application ${s.role}: for the app itself`);
  }
  const uris = Object.entries(desired.redirectUris).flatMap(([platform, list]) => list.map((u) => `• ${quote(u, 200)} (${platform})`));
  if (uris.length) lines.push('', 'Redirect URIs (where Microsoft sends sign-ins):', ...uris);
  const assign = steps.filter((s) => s.kind === 'patch-service-principal' || s.kind === 'assign-user');
  if (assign.length || desired.assignment.required) {
    lines.push('', 'Who may use the app:');
    for (const s of assign) {
      if (s.kind === 'assign-user') lines.push(`• assign ${quote(s.userPrincipalName, 120)}`);
      else if (s.patch.appRoleAssignmentRequired) lines.push('• assignment required: every user not assigned LOSES ACCESS to this app');
      else lines.push('• assignment no longer required: every user of the organisation may sign in to it');
    }
    if (!assign.length && desired.assignment.required) lines.push('• assignment stays required (no change)');
  }
  const secrets = steps.filter((s) => s.kind === 'add-password' || s.kind === 'remove-password');
  if (secrets.length) {
    lines.push('', 'Secrets:');
    for (const s of secrets) lines.push(s.kind === 'add-password' ? `• a new client secret valid ${s.lifetimeMonths} months, kept encrypted on this computer` : `• remove the secret ${quote(s.keyId, 40)}: whatever still uses it stops signing in`);
  }
  const create = steps.some((s) => s.kind === 'create-application');
  return {
    title: create ? 'Create the app registration?' : 'Change the app registration?',
    message: `${create ? 'Create' : 'Change'} the app registration ${name} in your organisation's Microsoft Entra (${steps.length} change${steps.length === 1 ? '' : 's'})?`,
    detail: lines.join('\n'),
    confirmLabel: create ? 'Create it' : 'Make these changes',
  };
}

/** Before "Remove what was created" deletes the app registration the assistant made (issue 19 undo). */
export function removeCreatedQuestion(input: { appId: string; displayName: string; tenant: string; admin: string }): ConfirmQuestion {
  const name = quote(input.displayName);
  return {
    title: 'Remove the app registration?',
    message: `Delete the app registration ${name} (client ID ${quote(input.appId, 40)}) and its enterprise application from your organisation's Microsoft Entra?`,
    detail: [
      `Tenant: ${quote(input.tenant, 120)}, as administrator ${quote(input.admin, 120)}.`,
      '',
      'The assistant created it for this connection. Its client secrets, admin consent and user assignments go with it: anything still signing in with it stops at once.',
      'The app registration stays restorable for 30 days in the Entra admin center under App registrations > Deleted applications.',
    ].join('\n'),
    confirmLabel: 'Remove it',
  };
}

/** Before renew:start adds a secret. */
export function renewStartQuestion(saved: SavedProfile, months: number): ConfirmQuestion {
  const app = saved.registration?.displayName ?? saved.profile.name ?? saved.id;
  const id = saved.profile.clientId ?? '';
  return {
    title: 'Add a new client secret?',
    message: `Add a new client secret to the app registration ${quote(app)}${id ? ` (${quote(id, 40)})` : ''}?`,
    detail: `It is valid for ${months} months and kept encrypted on this computer. The current secret keeps working until you finish the renewal; this connection's checks prove the new one first.`,
    confirmLabel: 'Add a new secret',
  };
}

/** Before renew:finish removes the old secret: the page's `confirmed: true` is not taken as the answer. */
export function renewFinishQuestion(saved: SavedProfile): ConfirmQuestion {
  const app = saved.registration?.displayName ?? saved.profile.name ?? saved.id;
  const old = saved.profile.rotation?.old?.keyId;
  return {
    title: 'Remove the old client secret?',
    message: `Make the new secret current and remove the old one${old ? ` (Secret ID ${quote(old, 40)})` : ''} from ${quote(app)}?`,
    detail: 'Anything still using the old secret (the system, a script, another computer) stops signing in at once. Continue only when the system has the new Value.',
    confirmLabel: 'Remove the old secret',
  };
}

/** The origin a target is reached at (scheme, host, port); null when the address is not a URL. */
export function originOf(url: string): string | null {
  try {
    return new URL(url.trim()).origin;
  } catch {
    return null;
  }
}

const TARGET_NAMES: Record<TargetConnection['kind'], string> = { emailengine: 'EmailEngine', odoo: 'Odoo', frappe: 'Frappe' };

/** Before the first push (or a stored key's first use) to a target host. */
export function targetOriginQuestion(saved: SavedProfile, connection: TargetConnection, sends: { clientSecret: boolean; signIn: boolean; storedKey: boolean; keyIsPassword?: boolean }): ConfirmQuestion {
  const origin = originOf(connection.url) ?? connection.url;
  const host = quote(origin, 200);
  const what: string[] = [];
  if (sends.storedKey) what.push(`• the ${TARGET_NAMES[connection.kind]} ${sends.keyIsPassword ? `password of ${plain(connection.login || 'Administrator', 80)}` : connection.kind === 'emailengine' ? 'access token' : 'API key'} you entered for it`);
  if (sends.clientSecret) what.push(`• the client secret of the app registration${saved.profile.clientId ? ` ${quote(saved.profile.clientId, 40)}` : ''}`);
  if (sends.signIn) what.push(`• the sign-in of ${saved.profile.mailbox ? quote(saved.profile.mailbox, 120) : 'the mailbox'} (its refresh token: it reads and sends that mail)`);
  return {
    title: `Send this connection to ${plain(origin, 100)}?`,
    message: `Send this connection's credentials to ${host}?`,
    detail: [`${host} will receive:`, ...what, '', 'Only this address is sent them. If the target address changes, the stored key is forgotten and you are asked again.'].join('\n'),
    confirmLabel: 'Send them',
  };
}

/**
 * The push's own question when the page opens it by itself after a pasted key's plan (issue 19): the changes main read
 * (target-supplied text, each on one plain line and quoted) and, before the host's first use of the stored key, the values it
 * receives, as {@link targetOriginQuestion} names them. One answer: confirmed, main writes exactly this plan's kind of changes.
 */
export function pushPlanQuestion(saved: SavedProfile, connection: TargetConnection, plan: TargetPlanView, sends: Parameters<typeof targetOriginQuestion>[2] | null): ConfirmQuestion {
  const origin = originOf(connection.url) ?? connection.url;
  const name = TARGET_NAMES[connection.kind];
  const changes = plan.items.filter((i) => i.action === 'create' || i.action === 'update');
  const installs = changes.filter((i) => i.verb === 'install');
  const count = `${changes.length} change${changes.length === 1 ? '' : 's'}`;
  // Each name comes from the target: quoted, so text it holds ("press Send them.") reads as its text, never as the question's.
  const lines = [`What changes in ${quote(plan.version, 80)}:`, ...changes.slice(0, 12).map((i) => `• ${i.verb ?? i.action} ${quote(i.what, 100)} in ${quote(i.where, 100)}`), ...(changes.length > 12 ? [`• and ${changes.length - 12} more, as the assistant shows them`] : [])];
  const host = sends && targetOriginQuestion(saved, connection, sends);
  return {
    title: host ? host.title : `Put it into ${name} at ${plain(origin, 100)}?`,
    message: host ? `Make ${count} in ${name} at ${quote(origin, 200)} and send it this connection's credentials?` : `Make ${count} in ${name} at ${quote(origin, 200)}?`,
    detail: [...lines, ...(installs.length ? ['', `${installs.length === 1 ? 'The module is' : 'The modules are'} installed first (${name} reloads its modules for everyone using it) and stay${installs.length === 1 ? 's' : ''} installed: a restore does not uninstall ${installs.length === 1 ? 'it' : 'them'}.`] : []), '', ...(host ? [host.detail, ''] : []), `Then ${name}'s own test runs. Running it twice changes nothing the second time.`].join('\n'),
    confirmLabel: host ? host.confirmLabel : `Put it into ${name}`,
  };
}

/**
 * Before the assistant makes Frappe's Connected App (issue 19): the one write it makes now (a Connected App with
 * its Provider Name only) or, when this connection made one there before, that it is only read back; then what
 * the host will receive, as the push's own question says it, so the push that follows asks nothing again.
 */
export function connectedAppQuestion(saved: SavedProfile, connection: TargetConnection, provider: string, existing?: string): ConfirmQuestion {
  const origin = originOf(connection.url) ?? connection.url;
  const who = plain(connection.login || 'Administrator', 80);
  const sends = targetOriginQuestion(saved, connection, { storedKey: true, clientSecret: true, signIn: true, keyIsPassword: true });
  return {
    title: existing ? `Read the Connected App back from ${plain(origin, 100)}?` : `Create a Connected App in Frappe at ${plain(origin, 100)}?`,
    message: existing ? `Sign in to Frappe at ${quote(origin, 200)} and read the Connected App ${quote(existing, 80)} back?` : `Create one Connected App in Frappe at ${quote(origin, 200)}?`,
    detail: [
      existing
        ? `The assistant signs in as ${who} and reads the Connected App ${quote(existing, 80)} back; nothing is written.`
        : `The assistant signs in as ${who} and creates one Connected App with Provider Name ${quote(provider, 80)}. Frappe names it; its Redirect URI goes into the app registration. Nothing else is written now: "Put it into Frappe" shows its plan (client ID and secret, Token Cache, Email Account) before writing them.`,
      '',
      sends.detail,
    ].join('\n'),
    confirmLabel: existing ? 'Sign in and read it' : 'Create it',
  };
}

/** What a deleted connection leaves behind in Entra and in the target, and how to remove it. */
export function leftoversOf(saved: SavedProfile): string[] {
  const out: string[] = [];
  const appId = saved.registration?.appId ?? (saved.profile.clientId || undefined);
  if (appId) {
    const made = saved.registration?.method === 'created';
    out.push(
      `The app registration ${saved.registration?.displayName ? `${quote(saved.registration.displayName)} ` : ''}(${plain(appId, 40)}) ${made ? 'the assistant created ' : ''}stays in Microsoft Entra with its secrets and consent. To remove it: Entra admin center > App registrations > All applications > ${plain(appId, 40)} > Delete (or: az ad app delete --id ${plain(appId, 40)}).`,
    );
  }
  const t = saved.targetConnection;
  if (t) {
    const host = originOf(t.url) ?? plain(t.url, 200);
    out.push(
      t.lastPush
        ? `${TARGET_NAMES[t.kind]} at ${host} keeps what was put in it (the mailbox's settings${t.kind === 'odoo' ? ', the mail servers' : t.kind === 'frappe' ? ', the Email Account, Connected App and Token Cache' : ' and the OAuth2 application'}). Remove them there, and revoke the key you gave the assistant.`
        : `${TARGET_NAMES[t.kind]} at ${host}: revoke the key you gave the assistant there if you no longer need it.`,
    );
  }
  return out;
}
