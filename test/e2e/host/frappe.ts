import { expect, type Page } from '@playwright/test';
import { FRAPPE_CALLBACK_PATH } from '../../../shared/catalogue/targets/frappe';
import type { FrappeStandIn } from '../../standins/frappe';
import type { HumanActions } from './actions';
import type { RegisterHost } from './registerJourney';

/** The Frappe site of the journeys (the stand-in's get_url(): the start of every Redirect URI it shows). */
export const FRAPPE_SITE = 'https://erp.fabrikam.com';

/**
 * Making the Connected App by hand, as Frappe's guide has it (../shared/docs/TARGETS.md, Frappe: "Connected App
 * (create first, copy its Redirect URI)"; Provider Name is its one required field): still the way with two-factor
 * sign-in on, where the assistant cannot sign in with the password. Its Redirect URI is then pasted on Details.
 */
export const CONNECTED_APP_BY_HAND = ['open Connected App', 'Add Connected App', 'type the Provider Name', 'Save', 'copy the Redirect URI'];

/**
 * Details for Frappe (issue 19): the assistant makes the Connected App through Frappe's REST API instead of the
 * person making it by hand and pasting its Redirect URI (5 steps in Frappe and a paste before). The person types
 * the Administrator password and clicks "Create the Connected App in Frappe"; main asks its native question (the
 * one write, and what the site will receive) before anything reaches Frappe. The Frappe address starts as the
 * site typed above; the stand-in listens on 127.0.0.1, so the test re-points it: SETUP, as on the push card.
 * Returns the name Frappe gave the Connected App, read back from the stand-in.
 */
export async function assistantMakesConnectedApp(page: Page, a: HumanActions, h: RegisterHost, frappe: FrappeStandIn, password: string): Promise<string> {
  const address = page.locator('[data-input="frappeApiUrl"]');
  await expect(address, 'the Frappe address starts as the site address').toHaveValue(FRAPPE_SITE);
  a.plain(`Frappe address: prefilled with ${FRAPPE_SITE} (the site address; nothing to do)`, 0);
  await address.fill(frappe.url);
  a.setup('point the Frappe address at the stand-in on 127.0.0.1 (a real user keeps the prefilled address)');
  await page.locator('[data-input="frappePassword"]').fill(password);
  a.act('type the Frappe Administrator password');
  const had = new Set(frappe.docs['Connected App']!.keys());
  const asked = h.deps.confirmations.length;
  await page.getByTestId('frappe-create-app').click();
  a.plain('Create the Connected App in Frappe');
  await expect(page.getByTestId('frappe-app-created')).toBeVisible({ timeout: 30_000 });
  // Main asked once, natively, naming the one write and what the site will receive; nothing else was asked.
  expect(h.deps.confirmations.slice(asked).map((q) => q.title)).toEqual([`Create a Connected App in Frappe at ${new URL(frappe.url).origin}?`]);
  expect(h.deps.confirmations[asked]!.detail).toMatch(/Provider Name “Microsoft 365”/);
  a.answered(h.deps.confirmations);
  const made = [...frappe.docs['Connected App']!.keys()].filter((n) => !had.has(n));
  expect(made, 'one Connected App was created in Frappe').toHaveLength(1);
  const name = made[0]!;
  expect(frappe.docs['Connected App']!.get(name)).toMatchObject({ provider_name: 'Microsoft 365' });
  await expect(page.locator('[data-input="connectedAppName"]'), "Frappe's own name for it").toHaveValue(name);
  await expect(page.getByTestId('redirect-preview')).toHaveText(`${FRAPPE_SITE}${FRAPPE_CALLBACK_PATH}${name}`);
  return name;
}
