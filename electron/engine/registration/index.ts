/**
 * The registration engine (issue 9): create, check and fix a target's Entra app registration through
 * Microsoft Graph with an administrator signed in once. Plain Node, no Electron. Stable API for the
 * wizard (electron/ipc), the CLI (`mail-oauth register` / `lint`), tests and bench/register.ts:
 *
 *   const session = await adminSignIn(profile, { purpose: 'read' | 'write', authWindow, signal,
 *                                                adminClientId?, method?: 'auth-code' | 'device-code' | 'loopback',
 *                                                onDeviceCode?, openBrowser?, lookupUser? });
 *     → AdminSession { account, tenantId, adminClientId, scopes, endpoints, graph }  (token in memory only)
 *   await lintRegistration(session, profile, { secretValue?, clientId?, signal? })
 *     → { desired, actual, findings }                       read-only
 *   await planFor(session, profile, { clientId?, desired?: { secretLifetimeMonths, ... } })
 *     → { desired, actual, findings, plan }                 what `register` would change (dry run)
 *   await registerRegistration(session, profile, { vault, vaultKey?, onProgress?, signal?, budgetMs?,
 *                                                  allowShorterLifetime?, plan? })
 *     → RegisterResult (RegistrationOutcome + plan, desired, actual): only what was read back is
 *       `applied`; the rest is in `notDone` with a diagnosis code. The new secret's text is stored in
 *       `vault` under `vaultKey` (`{appId}` and `{keyId}` are filled in; default
 *       `registration:{appId}:{keyId}`) and never returned, logged or put in a progress event.
 *   Lower level: readRegistration(graph, clientId, opts), applyPlan(graph, plan, opts), GraphClient,
 *   diagnoseRegistrationError(error, profile) → Diagnosis (Graph / apply failures),
 *   diagnoseAdminSignIn(error, profile) → Diagnosis (admin sign-in failures), adminScopes(purpose).
 *
 * The admin client defaults to Microsoft Graph Command Line Tools (DEFAULT_ADMIN_CLIENT_ID); the
 * sign-in host and Graph URL come from the profile's endpoints, like every other call.
 */
export { adminSignIn, adminScopes, adminTenant, needsUserLookup, sessionFromToken, DEFAULT_ADMIN_CLIENT_ID, DEFAULT_ADMIN_CLIENT_NAME, ADMIN_REDIRECT_URI, type AdminPurpose, type AdminSession, type AdminSignInOptions } from './admin-signin';
export { lintRegistration, planFor, registerRegistration, desiredFor, type LintOptions, type LintReport, type PlanReport, type RegisterOptions, type RegisterResult } from './operations';
export { readRegistration, readResources, readAppManagementPolicy, findApplication, findUserId, type ReadOptions } from './read';
export { applyPlan, parseIsoDuration, stepWords, type ApplyOptions, type ApplyResult, type ApplyState } from './apply';
export { GraphClient, GraphError, Budget, BudgetExhausted, retryReplication, isReplicationLag, isThrottled, parseGraphError, type GraphClientOptions, type GraphRequestRecord } from './graph';
export { graphErrorCode, diagnoseRegistrationError, diagnoseAdminSignIn } from './errors';
export { removeCreated, RemoveRefused, type RemoveCreatedResult } from './undo';
