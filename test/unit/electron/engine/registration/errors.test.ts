import { describe, expect, it } from 'vitest';
import { diagnoseRegistrationError, graphErrorCode } from '../../../../../electron/engine/registration/errors';
import { BudgetExhausted, GraphError } from '../../../../../electron/engine/registration/graph';

const g = (status: number, code: string, message: string) => new GraphError({ status, code, message, requestId: 'r-1', method: 'POST', path: '/applications' });

// Texts as Graph answers them (REGISTRATION-FACTS.md 2.9; Microsoft 365 Agents Toolkit constants.ts).
describe('Graph errors of the registration engine → diagnosis codes', () => {
  it.each([
    [g(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'), 'registration-role-required'],
    [g(403, 'Authorization_RequestDenied', 'Insufficient privileges to perform this operation. Please ask your administrator to allow users to register applications.'), 'registration-users-cannot-register'],
    [g(400, 'CredentialTypeNotAllowedAsPerAppPolicy', 'Credential type not allowed as per assigned policy.'), 'registration-secret-not-allowed'],
    [g(400, 'CredentialInvalidLifetimeAsPerAppPolicy', 'Credential lifetime exceeds the max value allowed as per assigned policy 00000000-0000-0000-0000-000000000000.'), 'registration-secret-lifetime'],
    [g(400, 'SignInAudienceNotAllowedAsPerAppPolicy', 'The sign-in audience is not allowed as per assigned policy.'), 'registration-audience-not-allowed'],
    [g(400, 'InvalidAccessTokenVersion', 'Property api.requestedAccessTokenVersion is invalid.'), 'registration-token-version'],
    [g(429, 'TooManyRequests', 'Too many requests'), 'registration-throttled'],
    [new BudgetExhausted('replication', g(404, 'Request_ResourceNotFound', 'does not exist'), 30_000), 'registration-replication-timeout'],
    [g(400, 'Request_BadRequest', 'Claim is invalid: c97b873f does not exist on resource application 00000002-0000-0ff1-ce00-000000000000'), 'registration-graph-error'],
  ])('%s → %s', (e, code) => {
    expect(graphErrorCode(e)).toBe(code);
  });

  it('the role advice depends on what was refused: Graph application permissions need a Privileged Role Administrator', () => {
    const denied = g(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    const appRole = diagnoseRegistrationError(denied, { flow: 'app-only', api: 'graph' }, { message: `${denied.message} (while granting the Microsoft Graph application permission Mail.Send)` });
    expect(appRole.cause).toContain('Privileged Role Administrator or Global Administrator');
    expect(appRole.cause).toContain('while granting the Microsoft Graph application permission Mail.Send');
    const grant = diagnoseRegistrationError(denied, { flow: 'delegated', api: 'imap-smtp' }, { message: `${denied.message} (while granting admin consent for delegated Microsoft Graph permissions IMAP.AccessAsUser.All)` });
    expect(grant.cause).toContain('Application Administrator or Cloud Application Administrator');
    expect(grant.evidence.httpStatus).toBe(403);
    expect(grant.evidence.correlationId).toBe('r-1');
  });

  it('throttling keeps Retry-After and is transient', () => {
    const d = diagnoseRegistrationError(new GraphError({ status: 429, code: 'TooManyRequests', message: 'Too many requests', retryAfterSeconds: 30, method: 'GET', path: '/applications' }), {});
    expect(d.code).toBe('registration-throttled');
    expect(d.cause).toContain('Retry-After 30 s');
    expect(d.transient).toBe(true);
  });
});
