import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './admin-account';
import { expectAccessible, expectErrorSummaryLinks } from './helpers';

// The test server starts with demo responses (see playwright.config.ts), so the dashboards
// have figures to show.

async function signIn(page: Page, to: string): Promise<void> {
  await page.goto(to);
  await expect(page).toHaveURL(/\/anmelden\?weiter=/);
  await page.getByLabel('E-Mail-Adresse').fill(ADMIN_EMAIL);
  await page.getByLabel('Passwort').fill(ADMIN_PASSWORD);
  await Promise.all([page.waitForURL((url) => url.pathname === to), page.getByRole('button', { name: 'Anmelden' }).click()]);
}

test('Auswertung: Übersicht, Filter, Themenseite mit Tabellen und CSV, Bericht', async ({ page }) => {
  await signIn(page, '/auswertung');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bestand und Bedarf nach Thema und Kommune');
  await expect(page.locator('table.heat-map')).toBeVisible();
  await expect(page.locator('td.heat').first()).toContainText(/Bestand|zu wenige Antworten|keine Antworten/);
  await expectAccessible(page, 'Übersicht');

  // A filter is part of the URL.
  await page.locator('.filter-box summary').click();
  await page.getByRole('checkbox', { name: 'Kindertageseinrichtung' }).check();
  await Promise.all([page.waitForURL(/art=kita/), page.getByRole('button', { name: 'Filter anwenden' }).click()]);
  await expect(page.locator('.lead')).toContainText('Kindertageseinrichtung');
  await expectAccessible(page, 'Übersicht gefiltert');

  // The theme page keeps the filter; every chart has a table and its numbers as CSV.
  await page.getByRole('row').nth(1).getByRole('rowheader').getByRole('link').click();
  await expect(page).toHaveURL(/\/auswertung\/[a-z_]+\?.*art=kita/);
  await expect(page.locator('.theme-nav [aria-current="page"]')).toBeVisible();
  const figure = page.locator('section.figure').filter({ has: page.locator('svg.chart') }).first();
  await expect(figure.locator('svg[role="img"] title')).toContainText('n =');
  await figure.getByText('Als Tabelle anzeigen').click();
  await expect(figure.locator('table.data')).toBeVisible();
  await expectAccessible(page, 'Themenseite');
  const [download] = await Promise.all([page.waitForEvent('download'), figure.getByRole('link', { name: /Daten als CSV/ }).click()]);
  const csv = readFileSync(await download.path()).toString('utf8');
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  expect(csv.slice(1).split('\r\n')[0]).toBe('thema;frage;fragetext;fragetyp;zeile;zeile_text;kennzahl;code;beschriftung;anzahl;wert;n');

  // Free texts can be searched.
  await page.getByLabel('Freitexte durchsuchen').fill('Sprachkurse');
  await Promise.all([page.waitForURL(/suche=Sprachkurse/), page.getByRole('button', { name: 'Suchen' }).click()]);
  await expect(page).toHaveURL(/art=kita/);
  await expectAccessible(page, 'Themenseite mit Suche');
  for (const texts of await page.locator('ul.texts').all()) {
    for (const text of await texts.locator('li').allTextContents()) expect(text.toLowerCase()).toContain('sprachkurse');
  }
  // Too short a term is named at its field; the figures stay.
  await page.getByLabel('Freitexte durchsuchen').fill('ku');
  await Promise.all([page.waitForURL(/suche=ku(&|$)/), page.getByRole('button', { name: 'Suchen' }).click()]);
  await expectErrorSummaryLinks(page, 1, /^#suche$/);
  await expect(page.getByLabel('Freitexte durchsuchen')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#suche-fehler')).toContainText('mindestens 3 Zeichen');
  await expect(page.locator('section.figure').first()).toBeVisible();
  await expectAccessible(page, 'Themenseite mit zu kurzem Suchbegriff');

  // The printable report of all themes.
  await page.getByRole('link', { name: 'Bericht aller Themen zum Drucken' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bericht: Bedarfs- und Bestandsanalyse');
  expect(await page.locator('section.report-theme').count()).toBeGreaterThan(5);
  await expectAccessible(page, 'Bericht');
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.admin-nav')).toBeHidden();
  await expect(page.locator('svg.chart').first()).toBeVisible();
});

test('Export: Formular, Fehler je Feld, Download', async ({ page }) => {
  await signIn(page, '/verwaltung/export');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Daten exportieren');
  await expectAccessible(page, 'Export');

  // A wrong period comes back with the field named.
  await page.goto('/verwaltung/export/datei?fragebogen=1&datei=wide&von=2026-02-30&bis=2026-01-01');
  await expect(page).toHaveURL(/\/verwaltung\/export$/);
  await expectErrorSummaryLinks(page, 1, /^#f-von$/);
  await expectAccessible(page, 'Export mit Fehler');

  await page.getByRole('radio', { name: /Codebuch/ }).check();
  await page.getByRole('radio', { name: /Standard \(RFC 4180\)/ }).check();
  await page.getByLabel('Von (einschließlich)').fill('');
  await page.getByLabel('Bis (einschließlich)').fill('');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Herunterladen' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^codebuch_.*_standard\.csv$/);
  const csv = readFileSync(await download.path()).toString('utf8');
  expect(csv.startsWith('spalte,thema,thema_titel,frage,fragetext,fragetyp,bezug,werte\n')).toBe(true);
});

test.describe('ohne JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('Auswertung filtern und Themen wechseln', async ({ page }) => {
    await signIn(page, '/auswertung');
    await page.locator('.filter-box summary').click();
    await page.getByRole('checkbox', { name: 'Kleve' }).check();
    await Promise.all([page.waitForURL(/gemeinde=05154036/), page.getByRole('button', { name: 'Filter anwenden' }).click()]);
    await expect(page.locator('.lead')).toContainText('Kleve');
    await expect(page.locator('table.heat-map thead th')).toHaveCount(3);
    await page.getByRole('row').nth(1).getByRole('rowheader').getByRole('link').click();
    await expect(page).toHaveURL(/gemeinde=05154036/);
    await expect(page.locator('section.figure').first()).toBeVisible();
  });
});
