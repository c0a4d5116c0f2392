import { describe, expect, it } from 'vitest';
import { HARDENED_WEB_PREFERENCES, isAllowedExternalUrl, isAppUrl } from '../../../electron/security';

describe('isAllowedExternalUrl', () => {
  it.each([
    'https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/CreateApplicationBlade',
    'https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission',
    'https://aka.ms/smtp_auth_disabled',
    'https://go.microsoft.com/fwlink/?linkid=2083908',
    'https://admin.microsoft.com/#/users',
    'https://learn.emailengine.app/docs/accounts/outlook',
  ])('allows %s', (url) => expect(isAllowedExternalUrl(url)).toBe(true));

  it.each([
    'http://entra.microsoft.com/',
    'https://entra.microsoft.com.evil.example/',
    'https://evilmicrosoft.com/',
    'https://user:pass@aka.ms/x',
    'https://aka.ms:8443/x',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'not a url',
    'https://login.microsoftonline.com.attacker.net/common',
  ])('refuses %s', (url) => expect(isAllowedExternalUrl(url)).toBe(false));
});

describe('isAppUrl', () => {
  it('accepts only the app origin', () => {
    expect(isAppUrl('app://mail-oauth/index.html', 'app://mail-oauth')).toBe(true);
    expect(isAppUrl('app://mail-oauth/assets/index.js?x=1', 'app://mail-oauth')).toBe(true);
    expect(isAppUrl('app://other/index.html', 'app://mail-oauth')).toBe(false);
    expect(isAppUrl('https://login.microsoftonline.com/', 'app://mail-oauth')).toBe(false);
    expect(isAppUrl('http://localhost:5173/x', 'http://localhost:5173')).toBe(true);
    expect(isAppUrl('http://localhost:5174/x', 'http://localhost:5173')).toBe(false);
  });
  it('a file: page is never the app, whatever origin is asked for (finding 4)', () => {
    for (const origin of ['file://', 'app://mail-oauth', 'null']) {
      expect(isAppUrl('file:///tmp/evil.html', origin), origin).toBe(false);
      expect(isAppUrl('file:///opt/app/resources/app.asar/dist/renderer/index.html', origin), origin).toBe(false);
    }
  });
});

describe('window hardening', () => {
  it('states the three settings explicitly', () => {
    expect(HARDENED_WEB_PREFERENCES).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
  });
});
