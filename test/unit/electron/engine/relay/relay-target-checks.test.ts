/* The relay-device entry (issue 22): a send-only app-only registration on Exchange's RBAC route. Its
 * token carries no SMTP.SendAsApp role and its test runs network, token and SMTP only; the other
 * app-only IMAP/SMTP entry keeps needing both roles and all five checks. */
import { describe, expect, it } from 'vitest';
import { applicableChecks } from '../../../../../electron/engine/run';
import { judgeClaims, type TokenInfo } from '../../../../../electron/engine/token';
import { PROFILES } from '../../../shared/catalogue/fixtures';
import type { Profile } from '../../../../../shared/profile';
import { findTarget } from '../../../../../shared/catalogue';
import { desiredRegistration } from '../../../../../shared/registration/desired';

const info = (roles: string[]): TokenInfo => ({ audience: 'https://outlook.office365.com', roles, scopes: [], tenantId: PROFILES['relay-device']!.tenant!, kind: 'app' });

describe('checks and token roles follow the catalogue entry', () => {
  it('relay-device: network, token, smtp; a token without roles is right (Exchange RBAC authorises the mailbox)', () => {
    const p = { ...PROFILES['relay-device']!, api: 'imap-smtp' } as Profile;
    expect(applicableChecks(p)).toEqual(['network', 'token', 'smtp']);
    expect(judgeClaims(info([]), p)).toBeNull();
  });

  it('relay-device reading over POP: POP.AccessAsApp is part of the desired registration (with Full Access on the mailbox); send only: never', () => {
    const entry = findTarget('relay-device')!;
    const base = PROFILES['relay-device']!;
    const exo = (inputs: Record<string, string>) => {
      const d = desiredRegistration(entry, { ...base, targetInputs: { ...base.targetInputs, ...inputs } });
      return { roles: d.permissions.filter((p) => p.resource === 'Office 365 Exchange Online' && p.type === 'application').map((p) => p.name).sort(), steps: d.manualSteps.map((s) => s.id) };
    };
    const sendOnly = exo({});
    expect(sendOnly.roles).toEqual([]); // no Entra role at all: Exchange's scoped role assignment authorises sending
    expect(sendOnly.steps).toContain('exchange-smtp-role'); // RBAC for Applications, scoped to the mailbox
    expect(sendOnly.steps).not.toContain('exchange-mailbox-permission');
    expect(exo({ reading: 'none' })).toEqual(sendOnly);
    const pop = exo({ reading: 'pop' });
    expect(pop.roles).toEqual(['POP.AccessAsApp', 'SMTP.SendAsApp']);
    // app-only POP needs Full Access on this one mailbox, which also covers sending (no RBAC role then)
    expect(pop.steps).toContain('exchange-mailbox-permission');
    expect(pop.steps).not.toContain('exchange-smtp-role');
    // and the token must then carry the POP role
    const p = { ...base, targetInputs: { ...base.targetInputs, reading: 'pop' }, api: 'imap-smtp' } as Profile;
    expect(judgeClaims(info(['SMTP.SendAsApp']), p)?.code).toBe('token-missing-role');
    expect(judgeClaims(info(['POP.AccessAsApp', 'SMTP.SendAsApp']), p)).toBeNull();
  });

  it('app-only-imap-smtp: all five checks, and a token without IMAP.AccessAsApp is refused', () => {
    const p = { ...PROFILES['app-only-imap-smtp']!, api: 'imap-smtp' } as Profile;
    expect(applicableChecks(p)).toEqual(['network', 'token', 'imap', 'smtp', 'roundtrip']);
    expect(judgeClaims(info(['SMTP.SendAsApp']), p)?.code).toBe('token-missing-role');
    expect(judgeClaims(info(['IMAP.AccessAsApp', 'SMTP.SendAsApp']), p)).toBeNull();
  });

  it('a profile without a known target keeps the API defaults', () => {
    const p = { ...PROFILES['app-only-imap-smtp']!, target: 'not-in-the-catalogue', api: 'imap-smtp' } as Profile;
    expect(applicableChecks(p)).toEqual(['network', 'token', 'imap', 'smtp', 'roundtrip']);
    expect(judgeClaims(info([]), p)?.code).toBe('token-missing-role');
  });
});
