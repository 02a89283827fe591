// Importing an earlier LimeSurvey survey: the structure file becomes a draft with its report
// of what could not be carried over; then its responses, first a file with problems (listed by
// line, nothing written), then the good file, checked and imported. With script and without.
// The fixtures are the ones of the Rust tests (written for them, no third party's survey).
import { expect, test, type Page } from '@playwright/test';
import path from 'node:path';
import { signIn } from './admin-account';
import { expectAccessible, expectErrorSummaryLinks } from './helpers';

const FIXTURES = path.resolve(__dirname, '../../backend/tests/fixtures/limesurvey');

async function fillMapping(page: Page): Promise<void> {
  await page.getByLabel('Spalte mit der Art der Organisation (optional)').fill('ART');
  await page.getByLabel('Spalte mit der Kommune (optional)').fill('KOMMUNE');
  await page.getByLabel('Zuordnung weiterer Werte (optional)').fill('A3 = verein\nAndere Art = Sonstige');
}

for (const script of [true, false]) {
  test.describe(script ? 'mit JavaScript' : 'ohne JavaScript', () => {
    test.use({ javaScriptEnabled: script });

    test('LimeSurvey-Struktur und Antworten importieren', async ({ page }) => {
      await signIn(page, '/verwaltung/import');
      await expect(page.getByRole('heading', { level: 1, name: 'Fragebogen importieren' })).toBeVisible();
      if (script) await expectAccessible(page, 'Import-Seite');

      // A file that is no survey structure: a message at the field, nothing imported.
      await page.getByLabel('Strukturdatei (höchstens 10 MB)').setInputFiles({
        name: 'kaputt.lss',
        mimeType: 'application/xml',
        buffer: Buffer.from('<document><questions>'),
      });
      await Promise.all([page.waitForURL(/\/verwaltung\/import$/), page.getByRole('button', { name: 'Importieren' }).click()]);
      await expectErrorSummaryLinks(page, 1, /^#datei$/);
      await expect(page.locator('#datei-fehler')).toContainText('kein gültiges XML');
      if (script) await expectAccessible(page, 'Import-Seite mit Fehler');

      // The structure: a draft and the report.
      await page.getByLabel('Strukturdatei (höchstens 10 MB)').setInputFiles(path.join(FIXTURES, 'integration-neu.lss'));
      await Promise.all([page.waitForURL(/\/verwaltung\/import\/\d+$/), page.getByRole('button', { name: 'Importieren' }).click()]);
      await expect(page.getByRole('heading', { level: 1 })).toContainText('integration-neu.lss');
      await expect(page.getByRole('status')).toContainText('als Entwurf angelegt');
      const losses = page.getByRole('table');
      await expect(losses).toContainText('RANG');
      await expect(losses).toContainText('Rangfolge');
      await expect(page.getByText('Sprache „de“')).toBeVisible();
      if (script) await expectAccessible(page, 'Bericht zum Import');

      // The draft is there to edit.
      const draft = page.getByRole('link', { name: 'Integrationsangebote 2023' });
      await expect(draft).toHaveAttribute('href', /\/verwaltung\/fragebogen\/\d+$/);

      // Responses: a file with problems first.
      await Promise.all([
        page.waitForURL(/\/antworten-import$/),
        page.getByRole('link', { name: 'Antworten dieser Befragung importieren' }).click(),
      ]);
      if (script) await expectAccessible(page, 'Antworten importieren');
      await page.getByLabel('Antwortdatei (CSV, höchstens 20 MB)').setInputFiles(path.join(FIXTURES, 'antworten-fehlerhaft.csv'));
      await fillMapping(page);
      await Promise.all([page.waitForURL(/#fehler$/), page.getByRole('button', { name: 'Importieren' }).click()]);
      await expectErrorSummaryLinks(page, undefined, /^#datei$/);
      const summary = page.locator('.error-summary');
      await expect(summary).toContainText('Zeile 3: Spalte „ART“');
      await expect(summary).toContainText('Zeile 5: Spalte „BEDARF“');
      await expect(page.getByRole('status')).toContainText('Es wurde nichts importiert');
      // What was typed is kept.
      await expect(page.getByLabel('Spalte mit der Kommune (optional)')).toHaveValue('KOMMUNE');
      if (script) await expectAccessible(page, 'Antworten importieren mit Fehlern');

      // The good file: checked, then imported.
      await page.getByLabel('Antwortdatei (CSV, höchstens 20 MB)').setInputFiles(path.join(FIXTURES, 'antworten.csv'));
      await fillMapping(page);
      await Promise.all([page.waitForURL(/\/antworten-import$/), page.getByRole('button', { name: 'Prüfen' }).click()]);
      await expect(page.getByRole('status')).toContainText('4 abgeschlossene Antworten können importiert werden');
      await page.getByLabel('Antwortdatei (CSV, höchstens 20 MB)').setInputFiles(path.join(FIXTURES, 'antworten.csv'));
      await fillMapping(page);
      await Promise.all([page.waitForURL(/\/antworten-import$/), page.getByRole('button', { name: 'Importieren' }).click()]);
      await expect(page.getByRole('status')).toContainText('4 abgeschlossene Antworten wurden importiert');
      await expect(page.locator('section[aria-labelledby="bisher-titel"]')).toContainText('antworten.csv');
      if (script) await expectAccessible(page, 'Antworten importiert');
    });
  });
}
