import { describe, expect, it } from 'vitest';
import { createContext, getTarget } from '../../../shared/catalogue';
import { extraCopies } from '../../../renderer/src/components/Checklist';
import { PROFILES } from '../shared/registration/fixtures';

// The checklist shows each Exchange command once: the body's command lines (each with Copy) are not repeated
// as a block of copy boxes below them (register-portal-cxt-exchange-step.png showed both).
describe('extraCopies', () => {
  it('drops a command block the body already shows line by line, keeps values the body does not show', () => {
    const step = { body: 'Run:\n    Connect-ExchangeOnline\n    New-ServicePrincipal -AppId x', copy: [{ label: 'PowerShell', value: 'Connect-ExchangeOnline' }, { label: 'PowerShell', value: 'New-ServicePrincipal -AppId x' }, { label: 'Mailbox', value: 'reception@fabrikam.com' }] };
    expect(extraCopies(step).map((c) => c.label)).toEqual(['Mailbox']);
    expect(extraCopies({ ...step, body: 'Run it.' })).toHaveLength(3);
  });
  it('the Exchange steps of CXT, app-only Graph and app-only IMAP/SMTP show no command twice', () => {
    for (const id of ['cxt', 'generic-graph', 'app-only-imap-smtp']) {
      const profile = PROFILES[id]!;
      const t = getTarget(id);
      const steps = t.steps(createContext(t, { ...profile, targetInputs: { ...profile.targetInputs, servicePrincipalObjectId: 'e5f6a7b8-0003-4e9f-8a1b-000000000043' } }));
      const exchange = steps.filter((s) => s.where === 'exchange-powershell');
      expect(exchange.length, id).toBeGreaterThan(0);
      for (const s of exchange) {
        const bodyCommands = s.body.split('\n').filter((l) => /^ {4}\S/.test(l)).map((l) => l.trim());
        for (const c of extraCopies(s)) for (const line of c.value.split('\n')) expect(bodyCommands, `${id} ${s.id}`).not.toContain(line.trim());
      }
    }
  });
});
