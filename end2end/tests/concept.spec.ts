// The integration concept as a working group uses it: from a figure of the dashboards to a
// piece of evidence, a finding citing it, a goal and a measure with a note and an indicator;
// then the concept document. With script, and the same posts without it.
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './admin-account';
import { expectAccessible, expectErrorSummaryLinks } from './helpers';

const THEME = 'fruehe_bildung_schule';

/** Takes the first figure of the theme page as evidence; returns the evidence's id. */
async function takeEvidence(page: Page): Promise<string> {
  await page.goto(`/auswertung/${THEME}`);
  const form = page.locator('form.evidence-form').first();
  await expect(form.getByRole('combobox')).toBeVisible();
  await Promise.all([
    page.waitForURL(new RegExp(`/konzept/${THEME}#beleg-\\d+$`)),
    form.getByRole('button', { name: 'Als Beleg übernehmen' }).click(),
  ]);
  await expect(page.getByRole('status')).toContainText('als Beleg übernommen');
  return new URL(page.url()).hash.replace('#beleg-', '');
}

for (const script of [true, false]) {
  test.describe(script ? 'mit JavaScript' : 'ohne JavaScript', () => {
    test.use({ javaScriptEnabled: script });

    test('vom Wert der Auswertung zu Befund, Ziel und Maßnahme mit Indikator', async ({ page }) => {
      const tag = script ? 'mit Skript' : 'ohne Skript';
      await signIn(page, `/auswertung/${THEME}`);
      const evidence = await takeEvidence(page);
      await expect(page.locator(`#beleg-${evidence}`)).toContainText('Heutiger Wert in der Auswertung');
      if (script) await expectAccessible(page, 'Arbeitsbereich mit Beleg');

      // A finding without text is refused at its field; then saved, citing the evidence.
      await Promise.all([page.waitForURL(/#fehler$/), page.getByRole('button', { name: 'Befund hinzufügen' }).click()]);
      await expectErrorSummaryLinks(page, 1, /^#befund-neu-text$/);
      await expect(page.locator('#befund-neu-text-fehler')).toContainText('Bitte beschreiben Sie den Befund.');
      if (script) await expectAccessible(page, 'Arbeitsbereich mit Fehler');
      await page.locator('#befund-neu-text').fill(`Der Bedarf an früher Sprachförderung ist hoch (${tag}).`);
      await page.locator(`#befund-neu-beleg-${evidence}`).check();
      await Promise.all([page.waitForURL(/#befund-\d+$/), page.getByRole('button', { name: 'Befund hinzufügen' }).click()]);
      await expect(page.locator('.findings')).toContainText(`(${tag})`);

      // A goal, and a measure under it.
      const goal = `Sprachbildung in Kitas stärken (${tag})`;
      await page.locator('#ziel-neu-titel').fill(goal);
      await Promise.all([page.waitForURL(/#ziel-\d+$/), page.getByRole('button', { name: 'Ziel hinzufügen' }).click()]);
      const article = page.locator('article.goal').filter({ hasText: goal });
      await Promise.all([
        page.waitForURL(/\/massnahme\/neu\?ziel=\d+$/),
        article.getByRole('link', { name: /Neue Maßnahme zu diesem Ziel/ }).click(),
      ]);
      await Promise.all([page.waitForURL(/#fehler$/), page.getByRole('button', { name: 'Maßnahme speichern' }).click()]);
      await expectErrorSummaryLinks(page, 2, /^#(titel|kommunen-05154004)$/);
      if (script) await expectAccessible(page, 'Neue Maßnahme mit Fehlern');
      await page.getByLabel('Titel der Maßnahme (Pflichtfeld)').fill(`Rucksack KiTa in Goch (${tag})`);
      await page.getByLabel('Goch').check();
      await page.getByLabel('Beginn').fill('2027-01-01');
      await page.getByLabel('Budget in Euro (freiwillig)').fill('12.500');
      await page.getByLabel('Stand', { exact: true }).selectOption('in_umsetzung');
      await Promise.all([page.waitForURL(/\/massnahme\/\d+$/), page.getByRole('button', { name: 'Maßnahme speichern' }).click()]);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Maßnahme: Rucksack KiTa in Goch (${tag})`);

      // Its timeline and an indicator with a baseline citing the evidence, then a value.
      await page.locator('#datum').fill('2027-02-01');
      await page.getByLabel('Was ist geschehen? (Pflichtfeld)').fill('Erste Gruppe gestartet.');
      await Promise.all([page.waitForURL(/#verlauf$/), page.getByRole('button', { name: 'Fortschritt notieren' }).click()]);
      await expect(page.locator('.timeline')).toContainText('01.02.2027');
      await page.locator('#indikator-neu-name').fill('Teilnehmende Familien');
      await page.locator('#indikator-neu-einheit').fill('Familien');
      await page.locator('#indikator-neu-ausgangswert').fill('12');
      await page.locator('#indikator-neu-beleg').selectOption(evidence);
      await page.locator('#indikator-neu-zielwert').fill('40');
      await Promise.all([page.waitForURL(/#indikatoren$/), page.getByRole('button', { name: 'Indikator hinzufügen' }).click()]);
      const indicator = page.locator('article[id^="indikator-"]').filter({ hasText: 'Teilnehmende Familien' });
      await indicator.getByLabel('Datum (Pflichtfeld)').fill('2027-06-30');
      await indicator.getByLabel('Wert (Pflichtfeld)').fill('25');
      await Promise.all([page.waitForURL(/#indikator-\d+$/), indicator.getByRole('button', { name: 'Wert erfassen' }).click()]);
      await expect(indicator).toContainText('25 Familien (Stand 30.06.2027)');
      if (script) await expectAccessible(page, 'Maßnahme mit Verlauf und Indikator');

      // The document shows it, theme by theme.
      await page.goto('/konzept');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Integrationskonzept Kreis Kleve');
      const chapter = page.locator(`#kapitel-${THEME}`);
      await expect(chapter).toContainText(goal);
      await expect(chapter).toContainText(`Rucksack KiTa in Goch (${tag})`);
      if (script) await expectAccessible(page, 'Integrationskonzept');

      // The council's progress report: the measure is counted; a wrong date is named at its
      // field; the catalogue downloads as CSV.
      await page.getByRole('link', { name: 'Sachstandsbericht für den Ausschuss' }).click();
      await expect(page).toHaveURL(/\/konzept\/sachstand$/);
      await expect(page.locator('main, body').first()).toContainText(`Rucksack KiTa in Goch (${tag})`);
      if (script) await expectAccessible(page, 'Sachstandsbericht');
      await page.goto('/konzept/sachstand?seit=32.13.2026');
      await expectErrorSummaryLinks(page, 1, /^#seit$/);
      if (script) await expectAccessible(page, 'Sachstandsbericht mit falschem Datum');
      if (script) {
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('link', { name: /Excel \(Deutsch\)/ }).click(),
        ]);
        expect(download.suggestedFilename()).toBe('massnahmenkatalog_excel.csv');
      }
    });
  });
}
