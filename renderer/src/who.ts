/**
 * "Who you'll need", worked out per system once it is chosen (issue 14 item 8): who registers, who
 * consents (a Privileged Role Administrator or Global Administrator for Microsoft Graph application
 * permissions), who signs in, and an Exchange administrator only where Exchange has to act.
 */
import { createContext, PERMISSIONS, type TargetEntry } from '../../shared/catalogue';
import type { ProfileInput } from '../../shared/profile';

export interface Need {
  who: string;
  why: string;
}

export function whoYoullNeed(target: TargetEntry, profile: ProfileInput): Need[] {
  const ctx = createContext(target, profile);
  const perms = ctx.permissions.map((k) => PERMISSIONS[k]);
  const graphApp = perms.filter((p) => p.type === 'application' && p.resource === 'Microsoft Graph');
  const exoApp = perms.filter((p) => p.type === 'application' && p.resource === 'Office 365 Exchange Online');
  const mailbox = profile.mailbox?.trim() || 'the mailbox';
  const needs: Need[] = [
    {
      who: 'Someone who may create app registrations in Microsoft Entra',
      why: 'In many organizations any user may; otherwise an administrator (Application Developer is the smallest role that can). The assistant can also do it for an administrator who signs in once.',
    },
  ];
  if (graphApp.length)
    needs.push({
      who: 'A Privileged Role Administrator or Global Administrator',
      why: `To approve ${graphApp.map((p) => p.name).join(' and ')} as application permissions for the whole organization: only these roles may grant Microsoft Graph application permissions.`,
    });
  else if (exoApp.length)
    needs.push({ who: 'A Cloud Application Administrator or Application Administrator', why: `To approve ${exoApp.map((p) => p.name).join(' and ')} for the organization.` });
  else needs.push({ who: 'An administrator, only if your organization requires admin approval for apps', why: 'Then a Cloud Application Administrator or Application Administrator approves the permissions once; otherwise the mailbox user accepts them when signing in.' });
  if (ctx.flow === 'app-only') {
    needs.push({ who: 'No one signs in as the mailbox', why: `${target.displayName} uses the app's own secret.` });
    if (exoApp.length) needs.push({ who: 'An Exchange administrator', why: `To let the app open ${mailbox} (Exchange Online PowerShell: New-ServicePrincipal and the mailbox permission).` });
    else if (graphApp.length) needs.push({ who: 'An Exchange administrator, if you limit the app to one mailbox', why: `Recommended: the application permissions reach every mailbox until Exchange limits the app to ${mailbox}.` });
  } else {
    needs.push({ who: `Whoever knows the password of ${mailbox}`, why: `To sign in once as ${mailbox} on the “Sign in” screen, because ${target.displayName} acts as that mailbox.` });
    if (ctx.api === 'imap-smtp') needs.push({ who: 'An Exchange administrator, only if Authenticated SMTP is off for the mailbox', why: 'New tenants and security defaults turn it off; the “Test” screen tells you, with the command to run.' });
  }
  return needs;
}
