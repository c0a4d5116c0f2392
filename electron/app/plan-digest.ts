import { createHash } from 'node:crypto';
import type { DesiredRegistration } from '../../shared/registration/types';

/**
 * What the person agreed to when they saw a registration plan (issue 18, "what is shown is what is
 * done"): the app's name, audience, every permission and its type, the consent, the redirect URIs, the
 * assignment, the credential and how far application access reaches. Tenant ids and what already exists
 * are left out (the preview before the administrator signs in cannot know them); a change in anything
 * listed here changes the digest, and apply refuses a plan whose digest is not the one shown.
 */
export function planFacts(mode: 'create' | 'fix', d: DesiredRegistration, o: { requireAssignment?: boolean } = {}) {
  const uris = Object.fromEntries(Object.entries(d.redirectUris).map(([k, v]) => [k, [...v].sort()]));
  return {
    mode,
    displayName: d.displayName,
    signInAudience: d.signInAudience,
    redirectUris: uris,
    publicClient: d.isFallbackPublicClient,
    implicitGrant: d.implicitGrant,
    permissions: d.permissions.map((p) => `${p.resourceAppId}/${p.type}/${p.name}`).sort(),
    consent: d.consent,
    assignment: d.assignment,
    mailbox: d.mailbox.toLowerCase(),
    credential: d.credential.kind,
    mailboxScope: d.mailboxScope ?? 'tenant',
    // The "Require assignment" opt-in (issue 19): who loses access is part of what the person agreed to.
    ...(o.requireAssignment ? { requireAssignment: true } : {}),
  };
}

export function planDigest(mode: 'create' | 'fix', desired: DesiredRegistration, o: { requireAssignment?: boolean } = {}): string {
  return createHash('sha256').update(JSON.stringify(planFacts(mode, desired, o))).digest('hex');
}
