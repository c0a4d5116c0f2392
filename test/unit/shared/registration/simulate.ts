/**
 * simulateApply(actual, plan): what the tenant looks like after a plan, as Microsoft Graph would
 * store it (REGISTRATION-FACTS.md 2.1-2.7): POST /applications, POST /servicePrincipals,
 * addPassword (hint = first three characters, keyId a GUID), POST /oauth2PermissionGrants (one per
 * client/resource/consent type; an existing one is PATCHed), POST appRoleAssignedTo, PATCH. Pure,
 * for tests: it proves the plan closes the findings without a Graph server (the emulator's Graph
 * directory does the same for the engine's tests).
 */
import type { ActualRegistration, GraphApplication, RegistrationPlan } from '../../../../shared/registration/types';
import { stableGuid } from '../../../emulator/resources';

export function simulateApply(before: ActualRegistration, plan: RegistrationPlan, now: Date): ActualRegistration {
  const a = structuredClone(before);
  let n = 0;
  const id = (what: string) => stableGuid(`sim-${what}-${++n}-${JSON.stringify(plan.steps.length)}`);
  const sp = () => {
    if (!a.servicePrincipal) throw new Error('no service principal yet');
    return a.servicePrincipal;
  };
  for (const step of plan.steps) {
    switch (step.kind) {
      case 'create-application': {
        if (a.application) throw new Error('create-application on an existing app');
        const b = step.body as Partial<GraphApplication> & { displayName: string };
        a.application = {
          id: id('app'),
          appId: id('appid'),
          displayName: b.displayName,
          signInAudience: b.signInAudience!,
          isFallbackPublicClient: b.isFallbackPublicClient ?? null,
          web: b.web ? { redirectUris: [...b.web.redirectUris], implicitGrantSettings: { ...b.web.implicitGrantSettings } } : { redirectUris: [], implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false } },
          publicClient: { redirectUris: [...(b.publicClient?.redirectUris ?? [])] },
          spa: { redirectUris: [...(b.spa?.redirectUris ?? [])] },
          api: { requestedAccessTokenVersion: b.api?.requestedAccessTokenVersion ?? null },
          requiredResourceAccess: structuredClone(b.requiredResourceAccess ?? []),
          passwordCredentials: [],
          keyCredentials: [],
        };
        break;
      }
      case 'patch-application': {
        const app = a.application!;
        const p = step.patch as Partial<GraphApplication>;
        if (p.signInAudience && ['AzureADandPersonalMicrosoftAccount', 'PersonalMicrosoftAccount'].includes(p.signInAudience) && (p.api?.requestedAccessTokenVersion ?? app.api?.requestedAccessTokenVersion) !== 2)
          throw new Error('InvalidAccessTokenVersion: Property api.requestedAccessTokenVersion is invalid.');
        Object.assign(app, structuredClone(p));
        break;
      }
      case 'create-service-principal':
        if (a.servicePrincipal) throw new Error('create-service-principal twice');
        a.servicePrincipal = { id: id('sp'), appId: a.application!.appId, displayName: a.application!.displayName, accountEnabled: true, appRoleAssignmentRequired: false };
        break;
      case 'patch-service-principal':
        Object.assign(sp(), step.patch);
        break;
      case 'add-password': {
        const end = new Date(now);
        end.setUTCMonth(end.getUTCMonth() + step.lifetimeMonths);
        a.application!.passwordCredentials.push({ keyId: id('key'), displayName: step.displayName, hint: 'Sim', startDateTime: now.toISOString(), endDateTime: end.toISOString() });
        break;
      }
      case 'remove-password':
        a.application!.passwordCredentials = a.application!.passwordCredentials.filter((p) => p.keyId !== step.keyId);
        break;
      case 'grant-delegated': {
        const res = a.resources[step.resourceAppId]!;
        const existing = a.delegatedGrants.find((g) => g.clientId === sp().id && g.resourceId === res.id && g.consentType === 'AllPrincipals');
        if (existing) existing.scope = step.scopes.join(' ');
        else a.delegatedGrants.push({ id: id('grant'), clientId: sp().id, consentType: 'AllPrincipals', principalId: null, resourceId: res.id, scope: step.scopes.join(' ') });
        break;
      }
      case 'assign-app-role': {
        const res = a.resources[step.resourceAppId]!;
        const roleId = step.appRoleId ?? res.appRoles.find((r) => r.value === step.role)!.id;
        if (a.appRoleAssignments.some((x) => x.principalId === sp().id && x.resourceId === res.id && x.appRoleId === roleId)) throw new Error('Permission being assigned already exists on the object');
        a.appRoleAssignments.push({ id: id('ara'), appRoleId: roleId, principalId: sp().id, principalType: 'ServicePrincipal', resourceId: res.id });
        break;
      }
      case 'assign-user': {
        const principalId = step.principalId ?? a.mailboxUserId;
        if (!principalId) throw new Error(`No user ${step.userPrincipalName}`);
        a.assignedTo.push({ id: id('assign'), appRoleId: '00000000-0000-0000-0000-000000000000', principalId, principalType: 'User', resourceId: sp().id });
        break;
      }
    }
  }
  return a;
}
