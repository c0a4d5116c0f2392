/**
 * "Who you'll need" (issue 14 item 8), computed from the desired registration: who registers the
 * app, who consents, who runs the Exchange steps. Entra's rules: REGISTRATION-FACTS.md 2.9 and
 * PORTAL-STEPS.md (Application Developer may register; Cloud Application Administrator or Application
 * Administrator may consent to anything except Microsoft Graph application permissions, which need a
 * Privileged Role Administrator or Global Administrator).
 */
import type { DesiredRegistration } from './types';

export interface RoleNeed {
  /** What the person does, in plain words. */
  task: string;
  /** The Entra / Exchange role(s), as the admin centers name them. */
  role: string;
  why: string;
  /** Only needed in some setups (said in `why`). */
  optional?: boolean;
}

export function rolesNeeded(d: DesiredRegistration): RoleNeed[] {
  const out: RoleNeed[] = [
    {
      task: 'Create the app registration',
      role: 'Application Developer (or any user, where the organisation lets users register applications)',
      why: 'Creating an app registration needs no administrator; approving its permissions does.',
    },
  ];
  const graphApp = d.permissions.filter((p) => p.type === 'application' && p.resource === 'Microsoft Graph').map((p) => p.name);
  const otherApp = d.permissions.filter((p) => p.type === 'application' && p.resource !== 'Microsoft Graph').map((p) => p.name);
  if (graphApp.length > 0)
    out.push({
      task: `Grant admin consent for ${graphApp.join(', ')}`,
      role: 'Privileged Role Administrator or Global Administrator',
      why: 'Microsoft Graph application permissions can only be approved by these roles; they let the app act without anyone signing in.',
    });
  else if (otherApp.length > 0 || d.assignment.required)
    out.push({
      task: `Grant admin consent for ${d.permissions.map((p) => p.name).join(', ')}`,
      role: 'Cloud Application Administrator or Application Administrator',
      why: otherApp.length > 0 ? 'Application permissions do nothing until an administrator approves them.' : 'With "Assignment required" users cannot approve the app themselves.',
    });
  else if (d.consent.delegated)
    out.push({
      task: `Grant admin consent for ${d.permissions.map((p) => p.name).join(', ')}`,
      role: 'Cloud Application Administrator or Application Administrator',
      why: 'Only if your organisation does not let users approve apps themselves ("Need admin approval").',
      optional: true,
    });
  if (d.assignment.required)
    out.push({
      task: `Require assignment and assign ${d.mailbox || 'the mailbox user'} (Users and groups)`,
      role: 'Cloud Application Administrator or Application Administrator (or an owner of the enterprise application)',
      why: "The system's guide restricts the app to the people assigned to it.",
    });
  const exchange = d.manualSteps.filter((s) => s.where === 'exchange-powershell' && !s.optional && s.id !== 'exchange-connect');
  if (exchange.length > 0)
    out.push({ task: exchange.map((s) => s.title).join('; '), role: 'Exchange Administrator (Exchange Online PowerShell)', why: 'Graph cannot do these: Exchange Online must know the app and which mailbox it may open.' });
  const smtp = d.manualSteps.find((s) => s.id === 'smtp-auth-mailbox');
  if (smtp)
    out.push({ task: smtp.title, role: 'Exchange Administrator or Microsoft 365 administrator (Users > Active users)', why: 'Only if Authenticated SMTP is off for the mailbox (new tenants and security defaults turn it off).', optional: true });
  const limit = d.manualSteps.find((s) => s.id === 'limit-mailbox-scope');
  if (limit)
    out.push({ task: limit.title, role: 'Exchange Administrator (Organization Management)', why: limit.optional ? 'Optional: to limit the app to the one mailbox instead of every mailbox of the tenant.' : 'The app reaches the mailbox only through this Exchange role assignment.', optional: !!limit.optional });
  return out;
}
