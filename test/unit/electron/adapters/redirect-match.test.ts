import { describe, expect, it } from 'vitest';
import { isRedirectTarget } from '../../../../electron/adapters/redirect-match';

describe('isRedirectTarget', () => {
  const odoo = 'https://erp.fabrikam.com/microsoft_outlook/confirm';
  it.each([
    [`${odoo}?code=abc&state=xyz`, odoo, true],
    [`${odoo}/?code=abc`, odoo, true],
    ['https://ERP.fabrikam.com/microsoft_outlook/confirm?code=1', odoo, true],
    ['https://erp.fabrikam.com/Microsoft_Outlook/confirm?code=1', odoo, false],
    ['http://erp.fabrikam.com/microsoft_outlook/confirm?code=1', odoo, false],
    ['https://erp.fabrikam.com:8443/microsoft_outlook/confirm?code=1', odoo, false],
    ['https://login.microsoftonline.com/common/oauth2/v2.0/authorize?redirect_uri=' + encodeURIComponent(odoo), odoo, false],
    ['http://localhost:53123/?code=1', 'http://localhost', true],
    ['https://localhost/?code=1', 'http://localhost', false],
    ['not a url', odoo, false],
  ])('%s against %s -> %s', (candidate, redirect, expected) => {
    expect(isRedirectTarget(candidate, redirect)).toBe(expected);
  });
});
