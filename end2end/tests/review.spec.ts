import { expect, test } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './admin-account';
import { answerAllSteps, expectAccessible, startResponse } from './helpers';

// Open-link responses count in the dashboards only once the KI accepts them: the respondent is
// told, the progress page lists them, the review page shows the answers and takes the decision.
test('Freigabe: eine Antwort über den offenen Link prüfen und in die Auswertung aufnehmen', async ({ page, browser }) => {
  const respondent = await browser.newContext();
  const answering = await respondent.newPage();
  await startResponse(answering);
  await answerAllSteps(answering);
  await Promise.all([answering.waitForURL(/\/danke$/), answering.getByRole('button', { name: 'Antworten verbindlich abschicken' }).click()]);
  await expect(answering.locator('main')).toContainText('nach einer kurzen Prüfung in die Auswertung auf');
  await respondent.close();

  await page.goto('/verwaltung');
  await page.getByLabel('E-Mail-Adresse').fill(ADMIN_EMAIL);
  await page.getByLabel('Passwort').fill(ADMIN_PASSWORD);
  await Promise.all([page.waitForURL(/\/verwaltung$/), page.getByRole('button', { name: 'Anmelden' }).click()]);
  await page.goto('/verwaltung?status=pending');
  await expect(page.locator('.notice')).toContainText('auf Ihre Prüfung');
  await expectAccessible(page, 'Rücklauf mit zu prüfenden Antworten');

  // The newest pending response is ours (the list shows the most recently active first).
  const review = page.getByRole('link', { name: /ansehen und prüfen/ }).first();
  await Promise.all([page.waitForURL(/\/verwaltung\/antworten\/\d+$/), review.click()]);
  await expect(page.getByRole('heading', { level: 2, name: 'Freigabe für die Auswertung' })).toBeVisible();
  await expect(page.locator('dl.facts-list')).toContainText('wartet auf Freigabe');
  await expectAccessible(page, 'Antwort prüfen');
  await page.getByRole('button', { name: 'In die Auswertung aufnehmen', exact: true }).click();
  await expect(page.locator('dl.facts-list')).toContainText('in der Auswertung');
  await expect(page.locator('main')).toContainText('ist freigegeben und zählt in den Auswertungen');
  await expect(page.getByRole('button', { name: 'Aus der Auswertung herausnehmen' })).toBeVisible();
});
