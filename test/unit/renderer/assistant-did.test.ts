import { describe, expect, it } from 'vitest';
import { assistantDid } from '../../../renderer/src/assistant-did';
import type { SavedProfile } from '../../../shared/saved-profile';

// Issue 19: what the Done card shows as done by the assistant comes from what main saved and the plan read since.
const record = (over: Partial<Pick<SavedProfile, 'targetConnection'>> = {}, connectedAppName?: string): Pick<SavedProfile, 'profile' | 'targetConnection'> => ({
  profile: { name: 'Fabrikam Frappe', target: 'frappe', targetInputs: { baseUrl: 'https://erp.fabrikam.com', ...(connectedAppName ? { connectedAppName } : {}) } },
  ...over,
});
const frappe = { kind: 'frappe' as const, url: 'https://erp.fabrikam.com' };
const configured = { at: '2026-12-06T10:00:00Z', status: 'configured' as const };

describe('assistantDid', () => {
  it("Frappe's Connected App made on Details: that step is the assistant's before any push, while it is still the connection's app", () => {
    const made = { ...frappe, connectedApp: { name: '3f2a1b0c9d', at: '2026-12-06T09:00:00Z' } };
    expect(assistantDid(record({ targetConnection: made }, '3f2a1b0c9d'), null)).toEqual({ all: false, steps: ['connected-app-create'] });
    // Typed by the person (no record of the assistant making it), or another app named since: the person's step.
    expect(assistantDid(record({ targetConnection: frappe }, '3f2a1b0c9d'), null).steps).toEqual([]);
    expect(assistantDid(record({ targetConnection: made }, '9e8d7c6b5a'), null).steps).toEqual([]);
  });

  it('a configured push folds every step, until a plan read since shows changes still to make (after "Not now" nothing was written)', () => {
    const pushed = record({ targetConnection: { ...frappe, lastPush: configured } });
    expect(assistantDid(pushed, null).all).toBe(true);
    expect(assistantDid(pushed, { upToDate: true }).all).toBe(true);
    expect(assistantDid(pushed, { upToDate: false }).all).toBe(false);
    expect(assistantDid(record({ targetConnection: { ...frappe, lastPush: { ...configured, status: 'partial' } } }), null).all).toBe(false);
    expect(assistantDid(record(), null)).toEqual({ all: false, steps: [] });
  });
});
