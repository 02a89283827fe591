// Survey waves in the browser: the default questionnaire (with the demo responses) is copied as
// the next wave, a question is mapped (first with an error), and the theme page and the heat
// map compare the two waves. With script, and the same GET forms and posts without it. Runs in
// the project after the default questionnaire's tests, since it adds questionnaires.
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './admin-account';
import { expectAccessible, expectErrorSummaryLinks } from './helpers';

const THEME = 'fruehe_bildung_schule';

/** The id of the default questionnaire, from its card on the list. */
async function defaultId(page: Page): Promise<string> {
  await page.goto('/verwaltung/fragebogen');
  const card = page.locator('section.card').filter({ has: page.locator('a[href="/o/bedarfsanalyse-2026"]') });
  const href = await card.getByRole('link', { name: /bearbeiten/ }).getAttribute('href');
  return href!.match(/\/(\d+)$/)![1];
}

// One after the other: each run copies the default questionnaire, so the second run's wave
// comes after the first run's, and each compares with the wave right before it.
test.describe.configure({ mode: 'serial' });

for (const script of [true, false]) {
  test.describe(script ? 'mit JavaScript' : 'ohne JavaScript', () => {
    test.use({ javaScriptEnabled: script });

    test('nächste Welle kopieren, Frage zuordnen, Wellen vergleichen', async ({ page }) => {
      const label = script ? 'Welle mit Skript' : 'Welle ohne Skript';
      await signIn(page, '/verwaltung/fragebogen');
      await expect(page.getByRole('heading', { name: 'Reihen und Wellen' })).toBeVisible();
      if (script) await expectAccessible(page, 'Fragebögen mit Reihen');
      const first = await defaultId(page);

      // A label too long is refused at its field; then the copy is the next wave.
      await page.goto(`/verwaltung/fragebogen/${first}`);
      const field = page.locator(`#kopie-${first}-welle`);
      await field.fill('x'.repeat(41));
      await Promise.all([page.waitForURL(/#fehler$/), page.getByRole('button', { name: 'Als neue Version kopieren' }).click()]);
      await expectErrorSummaryLinks(page, 1, new RegExp(`^#kopie-${first}-welle$`));
      await expect(page.locator(`#kopie-${first}-welle-fehler`)).toContainText('höchstens 40 Zeichen');
      if (script) await expectAccessible(page, 'Kopie mit Fehler');
      await page.locator(`#kopie-${first}-welle`).fill(label);
      await Promise.all([
        page.waitForURL((url) => /^\/verwaltung\/fragebogen\/\d+$/.test(url.pathname) && url.pathname !== `/verwaltung/fragebogen/${first}`),
        page.getByRole('button', { name: 'Als neue Version kopieren' }).click(),
      ]);
      const later = page.url().match(/\/(\d+)$/)![1];
      await expect(page.getByRole('heading', { name: /Abgleich mit der früheren Welle/ })).toBeVisible();
      await expect(page.locator('#welle')).toContainText('fbs_gesamt (gleicher Code)');

      // A mapping with a wrong line, then "not compared".
      const mapping = page.locator('#abgleich-fbs_huerden');
      if (!(await mapping.getAttribute('open'))) await mapping.locator('summary').click();
      await mapping.getByLabel(/Frühere Frage/).selectOption('fbs_huerden');
      await mapping.getByLabel('Optionen oder Zeilen zuordnen').fill('sprachbarrieren_eltern = gibtsnicht');
      await Promise.all([page.waitForURL(/#fehler$/), mapping.getByRole('button', { name: /Zuordnung von „fbs_huerden“ speichern/ }).click()]);
      await expectErrorSummaryLinks(page, 1, /^#abgleich-fbs_huerden-werte$/);
      await expect(page.locator('#abgleich-fbs_huerden-werte-fehler')).toContainText('„gibtsnicht“ ist keine Option der früheren Frage');
      if (script) await expectAccessible(page, 'Zuordnung mit Fehler');
      const again = page.locator('#abgleich-fbs_huerden');
      await again.getByLabel(/Frühere Frage/).selectOption('-keine');
      await again.getByLabel('Optionen oder Zeilen zuordnen').fill('');
      await Promise.all([page.waitForURL(/#abgleich-fbs_huerden$/), again.getByRole('button', { name: /Zuordnung von „fbs_huerden“ speichern/ }).click()]);
      await expect(page.getByRole('status')).toContainText('Zuordnung zur früheren Welle wurde gespeichert');
      await expect(page.locator('#welle table')).toContainText('nicht verglichen: Im Fragebogen ist festgelegt');
      if (script) await expectAccessible(page, 'Fragebogen mit Abgleich');

      // From the later wave's theme page to the comparison (GET form).
      // The wave right before is chosen (the mapping above was made against it).
      await page.goto(`/auswertung/${THEME}?fragebogen=${later}`);
      await expect(page.getByLabel(/vergleichen mit/)).toBeVisible();
      await Promise.all([page.waitForURL(new RegExp(`/auswertung/${THEME}/vergleich\\?`)), page.getByRole('button', { name: 'Wellen vergleichen' }).click()]);
      await expect(page.getByRole('heading', { level: 1 })).toContainText('Vergleich der Wellen');
      await expect(page.locator('.lead')).toContainText(label);
      await expect(page.locator('.method')).toContainText('keine Zufallsstichprobe');
      await expect(page.locator('.method')).toContainText('Zwei-Stichproben-z-Test');
      // The new wave has no responses yet: its figures are withheld, so no difference is shown.
      await expect(page.locator('.method')).toContainText('Welch-Test');
      await expect(page.getByText('zu wenige Antworten').first()).toBeVisible();
      await expect(page.getByText('Nicht verglichen: Im Fragebogen ist festgelegt')).toBeVisible();
      await expect(page.locator('[role="img"]').first()).toHaveAttribute('aria-labelledby', /.+/);
      if (script) await expectAccessible(page, 'Vergleich eines Themas');
      const csv = await page.getByRole('link', { name: 'Alle Zahlen des Vergleichs als CSV' }).getAttribute('href');
      const response = await page.request.get(csv!);
      expect(response.status()).toBe(200);
      expect(response.headers()['content-type']).toContain('text/csv');
      expect(await response.text()).toContain('zu wenige Antworten');

      // The view is kept in the URL; the waves in the wrong order are refused at their field.
      await page.getByLabel('Kommune', { exact: true }).selectOption({ label: 'Kleve' });
      await Promise.all([page.waitForURL(/gemeinde=05154036/), page.getByRole('button', { name: 'Vergleich zeigen' }).click()]);
      await expect(page.locator('.lead')).toContainText('Kleve');
      await page.getByLabel('Welle A (die frühere)').selectOption(later);
      await page.getByLabel('Welle B (die spätere)').selectOption(first);
      await Promise.all([page.waitForURL(/welle_a=/), page.getByRole('button', { name: 'Vergleich zeigen' }).click()]);
      await expectErrorSummaryLinks(page, 1, /^#w-welle_a$/);
      await expect(page.locator('#w-welle_a-fehler')).toContainText('Welle A muss vor Welle B liegen');
      if (script) await expectAccessible(page, 'Vergleich mit Fehler');

      // The heat map of both waves.
      await page.goto(`/auswertung?fragebogen=${later}`);
      await Promise.all([page.waitForURL(/\/auswertung\/vergleich\?/), page.getByRole('button', { name: 'Wellen vergleichen' }).click()]);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bestand und Bedarf im Vergleich der Wellen');
      await expect(page.locator('table.heat-compare caption')).toContainText(label);
      await expect(page.locator('table.heat-compare')).toContainText('zu wenige Antworten');
      if (script) await expectAccessible(page, 'Übersicht im Vergleich');
    });
  });
}
