import { expect, type Page } from '@playwright/test';

/** The administrator the test server is started with (`server admin create`). */
export const ADMIN_EMAIL = 'ki-test@kreis-kleve.de';
export const ADMIN_PASSWORD = 'Integrationskonzept Kreis Kleve 2026';

/**
 * Opens `to` (a path of the signed-in area), signs in as the administrator on the sign-in page
 * it leads to, and waits until the browser is back at `to`.
 */
export async function signIn(page: Page, to = '/verwaltung'): Promise<void> {
  await page.goto(to);
  await expect(page).toHaveURL(/\/anmelden\?weiter=/);
  await page.getByLabel('E-Mail-Adresse').fill(ADMIN_EMAIL);
  await page.getByLabel('Passwort').fill(ADMIN_PASSWORD);
  await Promise.all([page.waitForURL((url) => url.pathname === to), page.getByRole('button', { name: 'Anmelden' }).click()]);
}
