// The questionnaire builder: an administrator builds a small questionnaire with a condition,
// previews it, publishes it, and a respondent answers it through the open link.
import { expect, test } from '@playwright/test';
import { signIn } from './admin-account';
import { expectAccessible, expectErrorSummaryLinks } from './helpers';

test('Fragebogen bauen, mit Bedingung veröffentlichen und beantworten', async ({ page, browser }) => {
  const suffix = `${Date.now() % 100000}`;
  const title = `Kurzbefragung Sprachmittlung ${suffix}`;
  const slug = `kurz-${suffix}`;

  await signIn(page, '/verwaltung/fragebogen');
  await page.locator('#neu-titel').fill(title);
  await page.locator('#neu-slug').fill(slug);
  await Promise.all([page.waitForURL(/\/verwaltung\/fragebogen\/\d+/), page.getByRole('button', { name: 'Fragebogen anlegen' }).click()]);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Fragebogen bearbeiten: ${title}`);
  const editor = new URL(page.url()).pathname;
  const id = editor.split('/').pop();
  await expectAccessible(page, 'Editor, leer');

  for (const theme of ['Ihre Organisation', 'Sprachmittlung im Alltag']) {
    await page.locator('#thema-neu-titel').fill(theme);
    await page.getByRole('button', { name: 'Thema anlegen' }).click();
    await expect(page.getByRole('link', { name: `Neue Frage im Thema „${theme}“` })).toBeVisible();
  }

  // A required single choice in the first theme.
  await page.getByRole('link', { name: 'Neue Frage im Thema „Ihre Organisation“' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expectAccessible(page, 'Neue Frage');
  await page.locator('#text').fill('Können Sie bei Bedarf Sprachmittlung einsetzen?');
  await page.locator('#code').fill('sprachmittlung_da');
  await page.locator('#pflicht').check();
  await page.locator('#art').selectOption('single_choice');
  await page.locator('#optionen').fill('ja = Ja\nnein = Nein');
  await Promise.all([page.waitForURL(new RegExp(`${editor}`)), page.getByRole('button', { name: 'Frage speichern' }).click()]);
  await expect(page.getByText('Können Sie bei Bedarf Sprachmittlung einsetzen?')).toBeVisible();

  // A follow-up in the second theme, shown only after "Nein"; first without its text.
  await page.getByRole('link', { name: 'Neue Frage im Thema „Sprachmittlung im Alltag“' }).click();
  await page.locator('#art').selectOption('short_text');
  await page.locator('#bedingung_frage').selectOption('sprachmittlung_da');
  await page.locator('#bedingung_werte').fill('nein');
  await page.getByRole('button', { name: 'Frage speichern' }).click();
  await expect(page.locator('.error-summary')).toBeVisible();
  await expectErrorSummaryLinks(page, undefined, /^#(text|code)$/);
  await expectAccessible(page, 'Frage mit Fehler');
  await page.locator('#text').fill('Für welche Sprachen fehlt Ihnen Sprachmittlung?');
  await page.locator('#code').fill('sprachen_fehlen');
  await Promise.all([page.waitForURL(new RegExp(`${editor}`)), page.getByRole('button', { name: 'Frage speichern' }).click()]);
  await expect(page.getByText('Für welche Sprachen fehlt Ihnen Sprachmittlung?')).toBeVisible();
  await expectAccessible(page, 'Editor mit Fragen');

  // The preview shows the respondents' form and saves nothing.
  await page.getByRole('link', { name: 'Vorschau ansehen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Ihre Organisation');
  await expect(page.getByRole('radio', { name: 'Nein' })).toBeVisible();
  await expectAccessible(page, 'Vorschau');

  // Publishing.
  await page.goto('/verwaltung/fragebogen');
  const card = page.getByRole('region', { name: title });
  await card.getByRole('button', { name: 'Befragung öffnen' }).click();
  await expect(page.getByRole('region', { name: title })).toContainText('geöffnet');

  // A respondent answers "Nein", gets the follow-up on the next page and submits.
  const respondent = await browser.newContext();
  const answering = await respondent.newPage();
  await answering.goto(`/o/${slug}`);
  await answering.getByRole('radio', { name: 'Nein' }).check();
  await Promise.all([answering.waitForURL(/\/f\/[^/]+\/s\/2\?neu=1$/), answering.getByRole('button', { name: 'Speichern und weiter' }).click()]);
  await answering.getByLabel(/Für welche Sprachen fehlt Ihnen Sprachmittlung/).fill('Tigrinya, Dari');
  await Promise.all([answering.waitForURL(/\/uebersicht$/), answering.getByRole('button', { name: /^Weiter/ }).click()]);
  await expect(answering.locator('body')).toContainText('Tigrinya, Dari');
  await Promise.all([answering.waitForURL(/\/danke$/), answering.getByRole('button', { name: 'Antworten verbindlich abschicken' }).click()]);
  await respondent.close();

  // Published, the structure is frozen: deleting the answered question is refused.
  await page.goto(editor);
  await page.getByRole('button', { name: /^Frage „Für welche Sprachen.*löschen$/ }).click();
  await expect(page.locator('.error-summary')).toContainText('neue Version');
  await expect(page.getByText('Für welche Sprachen fehlt Ihnen Sprachmittlung?', { exact: true })).toBeVisible();
  await expectAccessible(page, 'Editor mit Ablehnung');

  // The progress counts the submission.
  await page.goto(`/verwaltung?fragebogen=${id}`);
  await expect(page.locator('main')).toContainText('abgeschickt');
  await expectAccessible(page, 'Rücklauf des neuen Fragebogens');
});
