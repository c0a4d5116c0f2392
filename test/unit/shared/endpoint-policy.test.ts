import { describe, expect, it } from 'vitest';
import { nonMicrosoftEndpoints } from '../../../shared/endpoint-policy';

// Issue 24: every field that decides where the secret and tokens go is checked, not only the sign-in
// host. The Microsoft hosts below are written out from docs/MICROSOFT-FACTS.md ("Endpoints per cloud"
// table) and Microsoft's endpoint lists, not read from the product's own table, so a wrong entry there
// fails here. GCC High SMTP: Microsoft's "Office 365 U.S. Government GCC High endpoints" page lists
// outlook.office365.us for TCP 587 (smtp.office365.us, in the facts table and some guides, is not on it).
const DOCS = {
  global: { signIn: 'login.microsoftonline.com', imap: 'outlook.office365.com:993', smtp: 'smtp.office365.com:587', graph: 'https://graph.microsoft.com/v1.0' },
  outlookCom: { smtp: 'smtp-mail.outlook.com:587' },
  gccHigh: { signIn: 'login.microsoftonline.us', imap: 'outlook.office365.us:993', smtp: 'outlook.office365.us:587', graph: 'https://graph.microsoft.us/v1.0' },
  dod: { imap: 'outlook-dod.office365.us:993', smtp: 'outlook-dod.office365.us:587', graph: 'https://dod-graph.microsoft.us/v1.0' },
} as const;
const OTHER = { signIn: 'login.fabrikam-test.net', imap: 'imap.fabrikam-test.net:993', smtp: 'smtp.fabrikam-test.net:587', graph: 'https://graph.fabrikam-test.net/v1.0' };
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2E=\n-----END CERTIFICATE-----\n';

describe('nonMicrosoftEndpoints: each field on its own', () => {
  it("Microsoft's documented hosts for the global cloud are all allowed", () => {
    expect(nonMicrosoftEndpoints({ cloud: 'global', endpoints: { signInHost: DOCS.global.signIn, imap: DOCS.global.imap, smtp: DOCS.global.smtp, graphUrl: DOCS.global.graph } })).toEqual([]);
    // Outlook.com's SMTP host is Microsoft's too (personal accounts, same cloud).
    expect(nonMicrosoftEndpoints({ cloud: 'global', endpoints: { smtp: DOCS.outlookCom.smtp } })).toEqual([]);
    expect(nonMicrosoftEndpoints({ cloud: 'global' })).toEqual([]);
  });

  it('another IMAP host, alone, is named', () => {
    expect(nonMicrosoftEndpoints({ cloud: 'global', endpoints: { imap: OTHER.imap } })).toEqual([`IMAP server ${OTHER.imap}`]);
  });
  it('another SMTP host, alone, is named', () => {
    expect(nonMicrosoftEndpoints({ cloud: 'global', endpoints: { smtp: OTHER.smtp } })).toEqual([`SMTP server ${OTHER.smtp}`]);
  });
  it('another Graph address, alone, is named', () => {
    expect(nonMicrosoftEndpoints({ cloud: 'global', endpoints: { graphUrl: OTHER.graph } })).toEqual([`Graph address ${OTHER.graph}`]);
  });
  it('another sign-in host, alone, is named', () => {
    expect(nonMicrosoftEndpoints({ cloud: 'global', endpoints: { signInHost: OTHER.signIn } })).toEqual([`sign-in host ${OTHER.signIn}`]);
  });
  it('a proxy, alone, is named (every byte goes through it)', () => {
    expect(nonMicrosoftEndpoints({ cloud: 'global', proxy: 'http://proxy.fabrikam.com:3128' })).toEqual(['proxy http://proxy.fabrikam.com:3128']);
  });
  it('extra CA certificates, alone, are named (they let another server pose as Microsoft)', () => {
    expect(nonMicrosoftEndpoints({ cloud: 'global', caCerts: [PEM] })).toEqual(['extra CA certificates']);
    expect(nonMicrosoftEndpoints({ cloud: 'global', caCerts: [] })).toEqual([]);
  });
  it('all of them at once, in a stable order', () => {
    expect(nonMicrosoftEndpoints({ cloud: 'global', endpoints: { signInHost: OTHER.signIn, imap: OTHER.imap, smtp: OTHER.smtp, graphUrl: OTHER.graph }, proxy: 'http://proxy.fabrikam.com:3128', caCerts: [PEM] })).toEqual([
      `sign-in host ${OTHER.signIn}`,
      `IMAP server ${OTHER.imap}`,
      `SMTP server ${OTHER.smtp}`,
      `Graph address ${OTHER.graph}`,
      'proxy http://proxy.fabrikam.com:3128',
      'extra CA certificates',
    ]);
  });
});

describe("nonMicrosoftEndpoints: a host is Microsoft's only for its own cloud", () => {
  it("GCC High's documented hosts are allowed for GCC High and refused for the global cloud", () => {
    const gcc = { signInHost: DOCS.gccHigh.signIn, imap: DOCS.gccHigh.imap, smtp: DOCS.gccHigh.smtp, graphUrl: DOCS.gccHigh.graph };
    expect(nonMicrosoftEndpoints({ cloud: 'gcc-high', endpoints: gcc })).toEqual([]);
    expect(nonMicrosoftEndpoints({ cloud: 'global', endpoints: { imap: gcc.imap } })).toEqual([`IMAP server ${gcc.imap}`]);
    expect(nonMicrosoftEndpoints({ cloud: 'global', endpoints: { smtp: gcc.smtp } })).toEqual([`SMTP server ${gcc.smtp}`]);
    expect(nonMicrosoftEndpoints({ cloud: 'global', endpoints: { graphUrl: gcc.graphUrl } })).toEqual([`Graph address ${gcc.graphUrl}`]);
  });
  it("DoD's documented hosts are allowed for DoD; the global cloud's are not", () => {
    expect(nonMicrosoftEndpoints({ cloud: 'dod', endpoints: { imap: DOCS.dod.imap, smtp: DOCS.dod.smtp, graphUrl: DOCS.dod.graph } })).toEqual([]);
    expect(nonMicrosoftEndpoints({ cloud: 'dod', endpoints: { imap: DOCS.global.imap } })).toEqual([`IMAP server ${DOCS.global.imap}`]);
  });
  it('a look-alike host is not Microsoft (suffix, prefix, userinfo)', () => {
    for (const imap of ['outlook.office365.com.fabrikam-test.net:993', 'evil-outlook.office365.com:993']) expect(nonMicrosoftEndpoints({ cloud: 'global', endpoints: { imap } })).toEqual([`IMAP server ${imap}`]);
    for (const graphUrl of ['https://graph.microsoft.com.fabrikam-test.net/v1.0', 'https://graph.microsoft.com@fabrikam-test.net/v1.0']) expect(nonMicrosoftEndpoints({ cloud: 'global', endpoints: { graphUrl } })).toEqual([`Graph address ${graphUrl}`]);
  });
});
