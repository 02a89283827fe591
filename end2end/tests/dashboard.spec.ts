import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { signIn } from './admin-account';
import { expectAccessible, expectErrorSummaryLinks, tabTo } from './helpers';

// The test server starts with demo responses (see playwright.config.ts), so the dashboards
// have figures to show.

test('Auswertung: Übersicht, Filter, Themenseite mit Tabellen und CSV, Bericht', async ({ page }) => {
  await signIn(page, '/auswertung');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bestand und Bedarf nach Thema und Kommune');
  await expect(page.locator('table.heat-map')).toBeVisible();
  await expect(page.locator('td.heat').first()).toContainText(/Bestand|zu wenige Antworten/);
  await expect(page.getByRole('link', { name: /Zum Schutz kleiner Gruppen/ })).toHaveAttribute('href', '/datenschutz#kleine-gruppen');
  await expectAccessible(page, 'Übersicht');

  // The county map beside it: 16 municipalities, each a link to its theme page, reachable by
  // keyboard; the attribution of the map data under it; another theme chosen by the form.
  const map = page.locator('.county-map svg.county-map-svg');
  await expect(map).toBeVisible();
  await expect(map.locator('a')).toHaveCount(16);
  await expect(page.locator('.county-map .attribution')).toHaveText('Kartengrundlage: © GeoBasis-DE / BKG 2013 (Daten verändert)');
  await expect(page.locator('table.map-table tbody tr')).toHaveCount(16);
  const first = map.locator('a').first();
  await expect(first).toHaveAttribute('href', /\/auswertung\/[a-z_]+\?fragebogen=\d+&gemeinde=05154004$/);
  await expect(first).toHaveAccessibleName(/^Bedburg-Hau: /);
  await tabTo(page, first, 400);
  await expect(first).toBeFocused();
  const chooser = page.getByLabel('Thema der Karte');
  const second = await chooser.locator('option').nth(1).getAttribute('value');
  await chooser.selectOption(second!);
  await Promise.all([page.waitForURL(new RegExp(`karte=${second}`)), page.getByRole('button', { name: 'Karte zeigen' }).click()]);
  await expect(map.locator('a').first()).toHaveAttribute('href', new RegExp(`/auswertung/${second}\\?`));
  await expectAccessible(page, 'Übersicht mit Karte eines anderen Themas');
  await page.goto('/auswertung');

  // The theme page of the county; then one kind of organisation, as part of the URL.
  await page.getByRole('row').nth(1).getByRole('rowheader').getByRole('link').click();
  await expect(page).toHaveURL(/\/auswertung\/[a-z_]+\?fragebogen=\d+$/);
  await page.locator('.filter-box summary').click();
  await page.getByLabel('Art der Organisation', { exact: true }).selectOption('kita');
  await Promise.all([page.waitForURL(/art=kita/), page.getByRole('button', { name: 'Ansicht zeigen' }).click()]);
  await expect(page.locator('.lead')).toContainText('Kindertageseinrichtung');
  await expect(page.locator('.theme-nav [aria-current="page"]')).toBeVisible();
  await expect(page.getByText('Freitexte werden nur für den ganzen Kreis gezeigt')).toBeVisible();
  await expectAccessible(page, 'Themenseite einer Art');

  // A finer view is refused at the form, with the reason and a link to the explanation.
  const refusedUrl = page.url().replace(/art=kita/, 'art=kita&gemeinde=05154036');
  await page.goto(refusedUrl);
  await expectErrorSummaryLinks(page, 1, /^#f-gemeinde$/);
  await expect(page.locator('#f-gemeinde-fehler')).toContainText('Diese Auswahl ist zu klein');
  await expect(page.locator('#f-gemeinde')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('section.figure')).toHaveCount(0);
  await expectAccessible(page, 'Themenseite mit zu feiner Auswahl');
  await page.getByRole('link', { name: /Warum\? Zum Schutz kleiner Gruppen/ }).click();
  await expect(page.locator('#kleine-gruppen')).toHaveText('Schutz kleiner Gruppen in der Auswertung');
  await expectAccessible(page, 'Datenschutz mit Erklärung');
  await page.goBack();

  // Back to the county: every chart has a table and its numbers as CSV.
  await page.getByRole('link', { name: 'Ganzer Kreis' }).click();
  const figure = page.locator('section.figure').filter({ has: page.locator('.chart') }).first();
  await expect(figure.locator('.chart[role="img"] > .visually-hidden')).toContainText('n =');
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
  await expect(page.locator('.chart').first()).toBeVisible();
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
  expect(csv.startsWith('spalte,thema,thema_titel,frage,fragetext,fragetyp,bezug,werte,fehlend\n')).toBe(true);

  // The syntax files read the wide file of the same dialect by its download name.
  await page.getByRole('radio', { name: /SPSS-Syntax/ }).check();
  const [sps] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Herunterladen' }).click()]);
  expect(sps.suggestedFilename()).toMatch(/^antworten_breit_.*_standard\.sps$/);
  const syntax = readFileSync(await sps.path()).toString('utf8');
  expect(syntax.startsWith('* Encoding: UTF-8.\n')).toBe(true);
  expect(syntax).toContain(`/FILE='${sps.suggestedFilename().replace(/\.sps$/, '.csv')}'`);
  await page.getByRole('radio', { name: /R-Skript/ }).check();
  const [r] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Herunterladen' }).click()]);
  expect(r.suggestedFilename()).toMatch(/^antworten_breit_.*_standard\.R$/);
  expect(readFileSync(await r.path()).toString('utf8')).toContain('daten <- read.csv(datei, encoding = "UTF-8"');
});

test.describe('ohne JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  // axe-core needs script, so the page's accessibility is checked in the test above.
  test('Export: SPSS-Syntax und R-Skript herunterladen', async ({ page }) => {
    await signIn(page, '/verwaltung/export');
    await page.getByRole('radio', { name: /SPSS-Syntax/ }).check();
    const [sps] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Herunterladen' }).click()]);
    expect(sps.suggestedFilename()).toMatch(/^antworten_breit_.*_excel\.sps$/);
    expect(readFileSync(await sps.path()).toString('utf8')).toContain('SET DECIMAL=COMMA.');
    await page.getByRole('radio', { name: /R-Skript/ }).check();
    const [r] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Herunterladen' }).click()]);
    expect(r.suggestedFilename()).toMatch(/^antworten_breit_.*_excel\.R$/);
    expect(readFileSync(await r.path()).toString('utf8')).toContain('fileEncoding = "UTF-8-BOM"');
  });

  test('Auswertung: Kommune wählen und Themen wechseln', async ({ page }) => {
    await signIn(page, '/auswertung');
    await expect(page.locator('table.heat-map thead th')).toHaveCount(18);
    // The map's theme is chosen by a plain GET form.
    const chooser = page.getByLabel('Thema der Karte');
    const second = await chooser.locator('option').nth(1).getAttribute('value');
    await chooser.selectOption(second!);
    await Promise.all([page.waitForURL(new RegExp(`karte=${second}`)), page.getByRole('button', { name: 'Karte zeigen' }).click()]);
    await expect(page.locator('.county-map svg a')).toHaveCount(16);
    await expect(page.locator('#karte-thema')).toHaveValue(second!);
    await page.getByRole('row').nth(1).getByRole('rowheader').getByRole('link').click();
    await page.locator('.filter-box summary').click();
    await page.getByLabel('Kommune', { exact: true }).selectOption('05154036');
    await Promise.all([page.waitForURL(/gemeinde=05154036/), page.getByRole('button', { name: 'Ansicht zeigen' }).click()]);
    await expect(page.locator('.lead')).toContainText('Kleve');
    await page.locator('.theme-nav').getByRole('link').nth(2).click();
    await expect(page).toHaveURL(/gemeinde=05154036/);
    await expect(page.locator('section.figure, p.suppressed').first()).toBeVisible();
  });
});
