import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { ADMIN_EMAIL, ADMIN_PASSWORD, signIn } from './admin-account';
import { answerAllSteps, expectAccessible, expectErrorSummaryLinks } from './helpers';

/** A CSV file as municipal staff export it from Excel: Windows-1252, semicolons, CRLF. */
function organisationsCsv(suffix: string, extraLine = ''): Buffer {
  const text =
    'Name;Art der Organisation;Kommunen;E-Mail\r\n' +
    `Grundschule am Markt ${suffix};Schule;Goch;schule-${suffix}@example.org\r\n` +
    `Familienzentrum Regenbogen ${suffix};Kita;Weeze, Kevelaer;\r\n` +
    extraLine;
  return Buffer.from(text, 'latin1');
}

test('Verwaltung: anmelden, Organisationen importieren, Links exportieren, Rücklauf verfolgen', async ({ page, browser }) => {
  const suffix = `${Date.now() % 100000}`;
  const school = `Grundschule am Markt ${suffix}`;

  // The sign-in: a wrong password gets the same message as an unknown address.
  await page.goto('/verwaltung');
  await expect(page).toHaveURL(/\/anmelden\?weiter=/);
  await expectAccessible(page, 'Anmeldung');
  await page.getByLabel('E-Mail-Adresse').fill(ADMIN_EMAIL);
  await page.getByLabel('Passwort').fill('falsches Passwort');
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await expect(page.locator('.error-summary')).toContainText('E-Mail-Adresse oder Passwort sind nicht richtig.');
  await expectAccessible(page, 'Anmeldung mit Fehler');
  await page.getByLabel('Passwort').fill(ADMIN_PASSWORD);
  await Promise.all([page.waitForURL(/\/verwaltung$/), page.getByRole('button', { name: 'Anmelden' }).click()]);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rücklauf');
  await expectAccessible(page, 'Rücklauf');

  // A broken file imports nothing and names the line.
  await page.getByRole('link', { name: 'Organisationen und Einladungen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Organisationen und Einladungen');
  await expectAccessible(page, 'Organisationen');
  await page.locator('#datei').setInputFiles({ name: 'kaputt.csv', mimeType: 'text/csv', buffer: organisationsCsv(suffix, 'Verein X;Verein;Düsseldorf;\r\n') });
  await page.getByRole('button', { name: 'Importieren' }).click();
  await expect(page.locator('.error-summary')).toContainText('Zeile 4');
  await expect(page.getByText('Es wurde nichts importiert.')).toBeVisible();
  await expectErrorSummaryLinks(page, 1, /^#datei$/);
  await expectAccessible(page, 'Organisationen mit Importfehler');
  await expect(page.getByRole('rowheader', { name: school })).toHaveCount(0);

  await page.locator('#datei').setInputFiles({ name: 'organisationen.csv', mimeType: 'text/csv', buffer: organisationsCsv(suffix) });
  await page.getByRole('button', { name: 'Importieren' }).click();
  await expect(page.getByRole('status')).toContainText('2 Organisationen wurden importiert.');
  await expect(page.getByRole('rowheader', { name: school })).toBeVisible();

  // Links for the chosen organisation, as a mail-merge file.
  await page.getByRole('checkbox', { name: `${school} auswählen` }).check();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: /^Ausgewählten einen neuen Link ausstellen/ }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('einladungslinks.csv');
  const csv = readFileSync(await download.path()).toString('utf8');
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  const line = csv.split('\r\n').find((l) => l.startsWith(school));
  expect(line, csv).toBeTruthy();
  const link = line!.split(';')[4];
  expect(link).toMatch(/\/f\/[A-Za-z0-9_-]{43}$/);

  // The school answers through its link, in a browser of its own.
  const respondent = await browser.newContext();
  const answering = await respondent.newPage();
  await answering.goto(new URL(link).pathname);
  await answering.getByRole('link', { name: 'Fragebogen beginnen' }).click();
  await expect(answering.locator('#f-profil_art--schule')).toBeChecked();
  await answerAllSteps(answering, 1);
  await Promise.all([answering.waitForURL(/\/danke$/), answering.getByRole('button', { name: 'Antworten verbindlich abschicken' }).click()]);
  await respondent.close();

  // The progress shows it.
  await page.goto('/verwaltung?status=submitted');
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: school }) });
  await expect(row).toContainText('abgeschickt');
  await expect(row).toContainText('Goch');

  for (const [path, label] of [
    ['/verwaltung/fragebogen', 'Fragebögen'],
    ['/verwaltung/konten', 'Konten'],
    ['/verwaltung/protokoll', 'Protokoll'],
    ['/konto/passwort', 'Passwort ändern'],
  ]) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(label === 'Protokoll' ? 'Protokoll' : label);
    await expectAccessible(page, label);
  }
  await expect(page.locator('body')).not.toContainText(ADMIN_PASSWORD);
  await page.goto('/verwaltung/protokoll');
  await expect(page.getByRole('rowheader', { name: 'Einladungslinks erzeugt' }).first()).toBeVisible();
  await expect(page.getByRole('rowheader', { name: 'Organisationen importiert' }).first()).toBeVisible();
});

test.describe('ohne JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('Konto anlegen: Fehler je Feld, dann gespeichert; Abmelden', async ({ page }) => {
    await signIn(page, '/verwaltung/konten');
    await page.getByLabel('Name (Pflichtfeld)').fill('Mitglied AG Sprache');
    await page.getByLabel('E-Mail-Adresse (Anmeldename) (Pflichtfeld)').fill('kein-at');
    await page.locator('#rolle-member').check();
    await page.getByLabel('Erstes Passwort (Pflichtfeld)').fill('kurz');
    await page.getByLabel('Erstes Passwort wiederholen (Pflichtfeld)').fill('kurz');
    // The browser's own checks would stop the post; the server's are tested here.
    await page.locator('form[action="/verwaltung/konten"]').evaluate((f) => f.setAttribute('novalidate', ''));
    await page.getByRole('button', { name: 'Konto anlegen' }).click();
    await expect(page).toHaveURL(/\/verwaltung\/konten#fehler$/);
    await expectErrorSummaryLinks(page, 3, /^#/);
    const summary = page.locator('.error-summary');
    await expect(summary).toContainText('gültige E-Mail-Adresse');
    await expect(summary).toContainText('mindestens ein Handlungsfeld');
    await expect(page.locator('#email-fehler')).toContainText('gültige E-Mail-Adresse');
    await expect(page.getByLabel('E-Mail-Adresse (Anmeldename) (Pflichtfeld)')).toHaveValue('kein-at');

    const email = `ag-${Date.now() % 100000}@kreis-kleve.de`;
    await page.getByLabel('E-Mail-Adresse (Anmeldename) (Pflichtfeld)').fill(email);
    await page.locator('fieldset').filter({ hasText: 'für Mitglieder mindestens eines' }).getByLabel('Sprache und Verständigung', { exact: false }).first().check();
    await page.getByLabel('Erstes Passwort (Pflichtfeld)').fill('ein langes Passwort 1');
    await page.getByLabel('Erstes Passwort wiederholen (Pflichtfeld)').fill('ein langes Passwort 1');
    await page.getByRole('button', { name: 'Konto anlegen' }).click();
    await expect(page.getByRole('status')).toContainText(`Das Konto für ${email} wurde angelegt.`);

    await page.getByRole('button', { name: 'Abmelden' }).click();
    await expect(page).toHaveURL(/\/anmelden\?abgemeldet=1$/);
    await page.goto('/verwaltung/konten');
    await expect(page).toHaveURL(/\/anmelden\?weiter=/);
  });
});
