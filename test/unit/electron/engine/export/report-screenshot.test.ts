import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { exportProfile } from '../../../../../electron/engine/export';
import { NOW, PROFILES } from '../../../shared/catalogue/fixtures';
import { CHECK_RUN } from './check-run.fixture';

const root = path.resolve(import.meta.dirname, '../../../../..');
const out = path.join(root, 'test/artifacts/screenshots');

describe.runIf(existsSync('/usr/bin/chromium'))('hand-over report in Chromium', () => {
  it('renders (screen and print) and is saved as report.png; portal illustrations render too', async () => {
    mkdirSync(out, { recursive: true });
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
      const html = exportProfile(PROFILES.odoo!, 'report-html', {
        includeSecret: false,
        now: NOW,
        checkRun: CHECK_RUN,
        locale: 'en-GB',
        registration: { method: 'created', state: 'complete', displayName: 'Fabrikam Odoo mail', servicePrincipalId: '0c5b7a1e-3f42-4d8e-9b1a-6e2f4c8d1a09', by: 'admin@fabrikam.com' },
      }).content;
      await page.setContent(html);
      expect(await page.locator('h1').textContent()).toBe('Fabrikam Odoo reception');
      await expect(page.locator('.verdict').textContent()).resolves.toMatch(/^Not working yet\./);
      await page.screenshot({ path: path.join(out, 'report.png'), fullPage: true });
      const pdf = await page.pdf({ format: 'A4' });
      expect(pdf.byteLength).toBeGreaterThan(10_000);
      const svg = readFileSync(path.join(root, 'assets/portal/certificates-secrets.svg'), 'utf8');
      await page.setContent(`<body style="margin:0">${svg}</body>`);
      await page.locator('svg').screenshot({ path: path.join(out, 'portal-certificates-secrets.png') });
    } finally {
      await browser.close();
    }
  });
});
