import { describe, expect, it } from 'vitest';
import { catalogueEntry, DIAGNOSIS_CODES } from '../../../../shared/diagnosis';
import type { CatalogueContext } from '../../../../shared/diagnosis/catalogue';

// Finding 7 (issue 13), PowerShell side: a fix's command is pasted into Exchange Online PowerShell.
// A mailbox may legally hold $, backticks, braces, | and ' (RFC 5322 atext); none of it may become code.
const hostile: CatalogueContext = {
  mailbox: "o'brien$env:USERNAME`{x}|y@fabrikam.com",
  clientId: '11111111-2222-4333-8444-000000000001',
  tenant: '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01',
  signInHost: 'login.microsoftonline.com',
  flow: 'delegated',
  api: 'imap-smtp',
  target: 'odoo',
  evidence: { source: 'internal', text: '' },
  signedInAs: "sales$(Get-Date)@fabrikam.com",
};

describe('PowerShell commands in fixes quote every value from the profile', () => {
  it.each([...DIAGNOSIS_CODES])('%s', (code) => {
    for (const step of catalogueEntry(code).fix(hostile)) {
      if (!step.command) continue;
      // What PowerShell would still interpret once every single-quoted literal is taken out:
      const outsideQuotes = step.command.replace(/'(?:[^']|'')*'/g, "''");
      expect(outsideQuotes, `${code}: ${step.command}`).not.toMatch(/brien|\$env|\$\(Get-Date|`\{x\}|\|y@/);
    }
  });
});
