// A draft is kept under the personal link: another browser (a new context, without the first
// one's cookies or storage) continues where the respondent stopped.
import { test, expect } from '@playwright/test';
import { answerRequired, next, question, startResponse, trackAutosaves, waitForHydration } from './helpers';

test('Entwurf in einem neuen Browser fortsetzen', async ({ page, browser }) => {
  const autosaves = trackAutosaves(page);
  const base = await startResponse(page);

  // Step 2: answered and continued.
  await waitForHydration(page);
  await answerRequired(page);
  await page.locator('#f-fbs_fehlt').fill('Mehr Rucksack-Gruppen');
  await autosaves.settle();
  await next(page, new RegExp(`${base}/s/3$`));

  // Step 3: saved with "Speichern und später fortsetzen".
  await waitForHydration(page);
  await question(page, 'aus_gesamt').getByLabel('2', { exact: true }).check();
  await page.locator('#f-aus_berufe').fill('Mechatronik');
  await autosaves.settle();
  await Promise.all([
    page.waitForURL(new RegExp(`${base}/s/3\\?gespeichert=1$`)),
    page.getByRole('button', { name: 'Speichern und später fortsetzen' }).click(),
  ]);
  await expect(page.locator('.notice[role=status]')).toContainText('Ihre Angaben sind gespeichert.');
  await expect(page.locator('.notice code.link')).toContainText(base);

  // A change that is only saved in the background.
  await waitForHydration(page);
  await page.locator('#f-aus_fehlt').fill('Ausbildungsbegleitung auf dem Land');
  await expect(page.locator('.save-status')).toHaveText(/^Automatisch gespeichert um \d\d:\d\d Uhr\.$/);
  await autosaves.settle();

  const other = await browser.newContext();
  try {
    const again = await other.newPage();
    const response = await again.goto(base);
    expect(response!.status()).toBe(200);
    await expect(again.locator('h1')).toHaveText('Bedarfs- und Bestandsanalyse der Integrationsarbeit im Kreis Kleve');
    await expect(again.locator('.link-box code.link')).toContainText(base);
    const resume = again.getByRole('link', { name: 'Fortsetzen bei Schritt 3 von 12' });
    await expect(resume).toBeVisible();
    await resume.click();
    await expect(again).toHaveURL(new RegExp(`${base}/s/3$`));
    await expect(again.locator('h1')).toContainText('Schritt 3 von 12');
    await expect(question(again, 'aus_gesamt').getByLabel('2', { exact: true })).toBeChecked();
    await expect(again.locator('#f-aus_berufe')).toHaveValue('Mechatronik');
    await expect(again.locator('#f-aus_fehlt')).toHaveValue('Ausbildungsbegleitung auf dem Land');

    // The previous step keeps its answers too.
    await again.goto(`${base}/s/2`);
    for (const row of await question(again, 'fbs_bestand').locator('tbody tr').all()) {
      await expect(row.locator('input[type=radio]').first()).toBeChecked();
    }
    await expect(again.locator('#f-fbs_fehlt')).toHaveValue('Mehr Rucksack-Gruppen');
    await again.goto(`${base}/s/1`);
    await expect(again.locator('#f-profil_art--beratung')).toBeChecked();
    await expect(again.locator('#f-profil_kommunen--05154036')).toBeChecked();
    // Overview of the draft.
    await again.goto(`${base}/uebersicht`);
    await expect(again.locator('main')).toContainText('Mechatronik');
    await expect(again.getByText('Einige Pflichtangaben fehlen noch.')).toBeVisible();
  } finally {
    await other.close();
  }
});
