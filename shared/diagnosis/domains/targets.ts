/** The target systems (EmailEngine, Odoo/Flectra, Frappe) configured through their own APIs. */
import type { CatalogueContext, Entry } from '../entry';
import type { TargetsCode } from './targets.codes';

const NAMES: Record<string, string> = { emailengine: 'EmailEngine', odoo: 'Odoo', flectra: 'Flectra', frappe: 'Frappe' };
/** The target's name as people know it. */
const sys = (c: CatalogueContext) => NAMES[c.target] ?? 'The target system';
/** Where the target was reached (the API address), from the evidence. */
const at = (c: CatalogueContext) => (c.evidence.host ? ` at ${c.evidence.host}` : '');
/** The target's own words, quoted once (already redacted by diagnose()). */
const said = (c: CatalogueContext) => (c.evidence.text ? ` It answered: "${c.evidence.text.slice(0, 400)}"` : '');

const CREDENTIAL_HELP: Record<string, string> = {
  emailengine: 'In EmailEngine open **Access Tokens**, create a token (scope **api**, or at least the OAuth2 and account scopes) and paste it here.',
  odoo: 'In Odoo open your user: **Preferences > Account Security > New API Key**, copy the key (shown once) and paste it here with the login it belongs to.',
  flectra: 'In Flectra open your user: **Preferences > Account Security > New API Key**, copy the key (shown once) and paste it here with the login it belongs to.',
  frappe: 'In Frappe open **User > your user > Settings > API Access > Generate Keys**, copy the API Secret (shown once) and the API Key and paste both here.',
};

const RIGHTS_HELP: Record<string, string> = {
  emailengine: 'Use an access token with the **api** scope (Access Tokens page): a read-only or metrics token cannot create OAuth2 applications or accounts.',
  odoo: 'The API key must belong to a user in **Administration / Settings** (the settings group): only they may change system parameters and mail servers, and install the Microsoft Outlook module (or an administrator installs it first: **Apps** > **Microsoft Outlook** > **Activate**, **Install** on Odoo 15).',
  flectra: 'The API key must belong to a user in **Administration / Settings** (the settings group): only they may change system parameters and mail servers, and install the Microsoft Outlook module (or an administrator installs it first: **Apps** > **Microsoft Outlook** > **Install**).',
  frappe: 'The API key must belong to a user with the **System Manager** role: Connected App, Token Cache and Email Account are System Manager documents.',
};

export const TARGET_ENTRIES: Record<TargetsCode, Entry> = {
  'target-address-invalid': {
    title: (c) => `The address of ${sys(c)} is not usable`,
    cause: (c) => `The address must be a full web address starting with https:// (http:// only for this computer, localhost or 127.0.0.1), without spaces, user names or passwords in it.${said(c)}`,
    fix: (c) => [{ text: `Copy the address from the browser's address bar while ${sys(c)} is open, for example https://erp.fabrikam.com, and paste it here.` }],
  },
  'target-tls-untrusted': {
    title: (c) => `${sys(c)} answered${at(c)}, but its certificate is not trusted: nothing was sent`,
    cause: (c) => `${sys(c)}'s HTTPS certificate is signed by an authority this computer does not trust (a company CA, a self-signed certificate, or TLS inspection), so the assistant stopped before sending any key or value.${said(c)}`,
    fix: (c) => [{ text: `Add the CA certificate (PEM) that signed ${sys(c)}'s certificate under Settings > extra CA certificates (or the connection's own CA certificates), or give ${sys(c)} a publicly trusted certificate; then test again.` }],
  },
  'target-unreachable': {
    title: (c) => `${sys(c)} could not be reached${at(c)}`,
    cause: (c) => `Nothing answered at this address: a typo in the address or port, ${sys(c)} is not running, or a firewall blocks this computer.${said(c)}`,
    fix: (c) => [{ text: `Open the same address in a browser on this computer; if ${sys(c)} does not load there either, check the address and that it runs, then test again.` }],
    transient: true,
  },
  'target-not-recognised': {
    title: (c) => `The address does not lead to ${sys(c)}'s API`,
    cause: (c) => `Something answered${at(c)}, but not as ${sys(c)}'s API does: the address points at another site, a proxy or login page, or a path was added to it.${said(c)}`,
    fix: (c) => [{ text: `Use the address ${sys(c)} itself runs at (the part before the first single slash, e.g. https://erp.fabrikam.com), not a page inside it.` }],
  },
  'target-wrong-database': {
    title: (c) => `${sys(c)} has no database by this name`,
    cause: (c) => `${sys(c)} answered, but the database named in the connection does not exist on that server (database names are case-sensitive).${said(c)}`,
    fix: (c) => [{ text: `Open ${sys(c)}'s database selector (/web/database/selector), or ask its administrator, and type the database name exactly as listed.` }],
  },
  'target-bad-credentials': {
    title: (c) => `${sys(c)} refused the API credentials`,
    cause: (c) => `The login, API key, token or secret is wrong, was revoked, or belongs to another ${sys(c)}.${said(c)}`,
    fix: (c) => [{ text: CREDENTIAL_HELP[c.target] ?? 'Create a new API credential in the target and paste it here.' }, { text: 'Then test the connection again.' }],
  },
  'target-insufficient-rights': {
    title: (c) => `The ${sys(c)} user may not change these settings`,
    cause: (c) => `The credentials work, but the user they belong to lacks the rights to change mail settings.${said(c)}`,
    fix: (c) => [{ text: RIGHTS_HELP[c.target] ?? 'Use credentials of an administrator.' }],
  },
  'target-module-missing': {
    title: (c) => `${sys(c)}'s Microsoft Outlook module is not installed`,
    cause: (c) => `${sys(c)} does not know the Outlook fields yet (the module "Microsoft Outlook"${c.target === 'flectra' || c.target === 'odoo' ? ', and for incoming mail on Odoo 15 and Flectra also "Fetchmail Outlook"' : ''} adds them).${said(c)}`,
    fix: (c) => [{ text: `In ${sys(c)} open **Apps**, remove the **Apps** filter, search for **Outlook** and install (**Activate**) **Microsoft Outlook**${c.target === 'flectra' || c.target === 'odoo' ? ' (and **Fetchmail Outlook** where it is listed)' : ''}. When the module is on the server but not installed, the push offers to install it itself; this message means ${sys(c)} does not have it, or could not install it.` }, { text: 'Then run the push again: nothing else was changed.' }],
  },
  'target-version-unsupported': {
    title: (c) => `This ${sys(c)} version cannot take the configuration through its API`,
    cause: (c) => `${sys(c)} answered with a version the assistant cannot configure this way.${said(c)}`,
    fix: (c) => [{ text: `Use the paste card instead (the values are the same), or update ${sys(c)} to a supported version.` }],
  },
  'target-validation': {
    title: (c) => `${sys(c)} refused a value`,
    cause: (c) => `${sys(c)} checked the values and refused them with its own message.${said(c)}`,
    fix: (c) => [{ text: `Read ${sys(c)}'s message above: it names the field. Correct that value in the assistant (or in ${sys(c)}) and push again; the push updates what already exists.` }],
  },
  'target-test-failed': {
    title: (c) => `${sys(c)} is configured, but its own connection test failed`,
    cause: (c) => `The values are in ${sys(c)}, but when ${sys(c)} itself signed in to Microsoft with them it failed.${said(c)}`,
    fix: (c) => [
      { text: `Read ${sys(c)}'s message above. A token error ("AADSTS…") means the refresh token or the client secret in ${sys(c)} does not match this registration: sign in again in the assistant and push again.` },
      { text: 'An IMAP or SMTP refusal is the same failure the assistant\'s own Test screen explains: run the checks there for the fix.' },
    ],
  },
  'target-token-not-available': {
    title: (c) => `${sys(c)} is configured, but it still needs you to connect the mailbox once`,
    cause: (c) => `The assistant holds no refresh token for ${c.mailbox || 'the mailbox'} it could hand over (no sign-in was saved, or handing it over was declined), so ${sys(c)} has to sign in itself.${said(c)}`,
    fix: (c) => [{ text: c.evidence.text ? `In ${sys(c)}, press the one button named above and sign in as ${c.mailbox || 'the mailbox user'}.` : `In ${sys(c)}, press its connect button and sign in as ${c.mailbox || 'the mailbox user'}.` }],
  },
  'target-plan-changed': {
    title: (c) => `${sys(c)} changed after you confirmed the plan: nothing was written`,
    cause: (c) => `Just before writing, the assistant reads ${sys(c)} again. What it would write now is not what the plan you confirmed said (another person or program changed ${sys(c)} in between, or the plan was read for other settings), so it wrote nothing rather than something you did not see.${said(c)}`,
    fix: () => [{ text: 'Read the plan again ("Test and show the plan"), check it, and confirm the new one.' }],
  },
  'target-profile-unsupported': {
    title: (c) => `${sys(c)} cannot take this kind of connection`,
    cause: (c) => `The connection's settings (flow, mail API or account types) are not something ${sys(c)} can be configured with.${said(c)}`,
    fix: (c) => [{ text: `Change the connection's settings on the Details screen to one ${sys(c)} supports, or use the paste card.` }],
  },
};
