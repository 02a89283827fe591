// The whole questionnaire with the keyboard only (Tab, Space, arrow keys, Enter, typing),
// with JavaScript: live conditions and background saving are on.
import { test, expect, type Page } from '@playwright/test';
import { FIELD_PREFIXES, STEPS, focused, question, tabTo, waitForHydration, waitForPageHydration } from './helpers';

/** Answers a matrix row by row: Space takes the first column, ArrowRight the second. */
async function matrixByKeyboard(page: Page, code: string, rows?: number): Promise<void> {
  const q = question(page, code);
  const all = q.locator('tbody tr');
  const n = rows ?? (await all.count());
  await tabTo(page, all.first().locator('input[type=radio]').first());
  for (let i = 0; i < n; i++) {
    await page.keyboard.press(i % 2 === 0 ? 'Space' : 'ArrowRight');
    if (i < n - 1) await page.keyboard.press('Tab');
  }
  for (let i = 0; i < n; i++) {
    await expect(all.nth(i).locator('input[type=radio]').nth(i % 2)).toBeChecked();
  }
}

test('den ganzen Fragebogen nur mit der Tastatur ausfüllen und abschicken', async ({ page }) => {
  test.setTimeout(240_000);

  // Home: the skip link is the first stop and moves the focus to the content.
  await page.goto('/');
  await waitForPageHydration(page);
  await page.keyboard.press('Tab');
  const skip = page.locator('.skip-link');
  await expect(skip).toBeFocused();
  expect((await skip.boundingBox())!.y).toBeGreaterThanOrEqual(0);
  await page.keyboard.press('Enter');
  await expect(page.locator('main#inhalt')).toBeFocused();
  const open = page.getByRole('link', { name: 'Bedarfs- und Bestandsanalyse der Integrationsarbeit im Kreis Kleve' });
  await tabTo(page, open);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/o\/bedarfsanalyse-2026$/);

  // Step 1 under the open link: the profile. The router changed the page without loading
  // it; as after a page load, the next Tab leads into the content (not into the footer).
  await waitForHydration(page);
  await expect(page.locator('main#inhalt')).toBeFocused();
  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe('input#f-profil_art');
  await page.keyboard.press('ArrowDown'); // second kind: Kindertageseinrichtung
  await expect(page.locator('#f-profil_art--kita')).toBeChecked();
  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe('input#f-profil_kommunen');
  await page.keyboard.press('Space'); // Bedburg-Hau
  await tabTo(page, page.locator('#f-profil_kommunen--05154036'));
  await page.keyboard.press('Space'); // Kleve
  await tabTo(page, page.locator('#f-profil_zielgruppen--familien'));
  await page.keyboard.press('Space');
  await tabTo(page, page.locator('#f-profil_zielgruppen-_sonstiges'));
  await page.keyboard.type('Menschen in Wohnungsnot');
  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe('input#f-profil_mitarbeitende');
  await page.keyboard.type('12');
  // The number of volunteers is asked only after "Ja", live.
  await expect(question(page, 'profil_ehrenamtliche')).toBeHidden();
  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe('input#f-profil_ehrenamt');
  await page.keyboard.press('Space');
  await expect(page.locator('#f-profil_ehrenamt')).toBeChecked();
  await expect(question(page, 'profil_ehrenamtliche')).toBeVisible();
  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe('input#f-profil_ehrenamtliche');
  await page.keyboard.type('8');
  await tabTo(page, page.getByRole('button', { name: 'Speichern und weiter' }));
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/f\/[A-Za-z0-9_-]{43}\/s\/2\?neu=1$/);
  const token = page.url().match(/\/f\/([^/]+)\//)![1];
  await expect(page.locator('.link-box code.link')).toContainText(`/f/${token}`);

  // Steps 2 to 9: one Handlungsfeld each. A background save may still be under way when
  // Enter posts the page; it stores the same answers, so nothing waits for it.
  for (const [i, prefix] of FIELD_PREFIXES.entries()) {
    const step = i + 2;
    await expect(page.locator('h1')).toContainText(`Schritt ${step} von ${STEPS}`);
    await waitForHydration(page);
    await matrixByKeyboard(page, `${prefix}_bestand`);
    // Need: only the first offer, "3 – mittlerer Bedarf" by two steps to the right.
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(question(page, `${prefix}_bedarf`).locator('tbody tr').first().locator('input[value="3"]')).toBeChecked();
    await tabTo(page, page.locator(`#f-${prefix}_gesamt`));
    for (let k = 0; k < 3; k++) await page.keyboard.press('ArrowRight');
    await expect(page.locator(`#f-${prefix}_gesamt--4`)).toBeChecked();
    await tabTo(page, page.locator(`#f-${prefix}_huerden`));
    await page.keyboard.press('Space');
    if (prefix === 'fbs') {
      await tabTo(page, page.locator('#f-fbs_huerden-_sonstiges'));
      await page.keyboard.type('Fehlende Dolmetscher bei Elternabenden');
    }
    if (prefix === 'aus') {
      await tabTo(page, page.locator('#f-aus_berufe'));
      await page.keyboard.type('Pflege, Handwerk');
    }
    if (prefix === 'spr') {
      await tabTo(page, page.locator('#f-spr_wartezeit'));
      await page.keyboard.type('6');
    }
    if (prefix === 'tei') {
      await tabTo(page, page.locator('#f-tei_beispiel'));
      await page.keyboard.type('Sprachcafé in Goch');
    }
    await tabTo(page, page.locator(`#f-${prefix}_fehlt`));
    await page.keyboard.type(`Mehr Angebote im Feld ${prefix}.`);
    await tabTo(page, page.getByRole('button', { name: 'Weiter', exact: true }));
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/f/${token}/s/${step + 1}$`));
  }

  // Step 10: language mediation; the follow-up questions appear after "Ja".
  await expect(page.locator('h1')).toContainText(`Schritt 10 von ${STEPS}`);
  await waitForHydration(page);
  await expect(question(page, 'sm_sprachen')).toBeHidden();
  await tabTo(page, page.locator('#f-sm_bedarf'));
  await page.keyboard.press('Space');
  await expect(question(page, 'sm_sprachen')).toBeVisible();
  await tabTo(page, page.locator('#f-sm_sprachen--tuerkisch'));
  await page.keyboard.press('Space');
  await tabTo(page, page.locator('#f-sm_haeufigkeit'));
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('#f-sm_haeufigkeit--monatlich')).toBeChecked();
  await tabTo(page, page.locator('#f-sm_anlaesse--behoerden'));
  await page.keyboard.press('Space');
  await tabTo(page, page.getByRole('button', { name: 'Weiter', exact: true }));
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(`/f/${token}/s/11$`));

  // Step 11: cooperation, nothing required.
  await waitForHydration(page);
  await matrixByKeyboard(page, 'koop_partner', 2);
  await tabTo(page, page.locator('#f-koop_vernetzung'));
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('#f-koop_vernetzung--2')).toBeChecked();
  await tabTo(page, page.locator('#f-koop_vorschlaege'));
  await page.keyboard.type('Ein jährliches Treffen aller Akteure.');
  await tabTo(page, page.getByRole('button', { name: 'Weiter', exact: true }));
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(`/f/${token}/s/12$`));

  // Step 12: the contact is asked once a working group is chosen.
  await waitForHydration(page);
  await expect(question(page, 'mit_kontakt')).toBeHidden();
  await tabTo(page, page.locator('#f-mit_arbeitsgruppen--wohnen'));
  await page.keyboard.press('Space');
  await expect(question(page, 'mit_kontakt')).toBeVisible();
  // The condition in words is hidden with script, so the field no longer names it as its
  // description (screen readers read described elements even when hidden).
  await expect(page.locator('#f-mit_kontakt')).not.toHaveAttribute('aria-describedby', /bedingung/);
  await tabTo(page, page.locator('#f-mit_kontakt'));
  await page.keyboard.type('Erika Mustermann, erika@example.org');
  await tabTo(page, page.locator('#f-mit_anmerkungen'));
  await page.keyboard.type('Danke für die Befragung.');
  await tabTo(page, page.getByRole('button', { name: 'Weiter zur Übersicht' }));
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(`/f/${token}/uebersicht$`));

  // Review: every answer is there; submit.
  await expect(page.locator('h1')).toHaveText('Übersicht Ihrer Antworten');
  await expect(page.locator('.error-summary')).toHaveCount(0);
  await expect(page.getByText('Alle Pflichtangaben sind vollständig.', { exact: false })).toBeVisible();
  const review = page.locator('main');
  for (const text of ['Kindertageseinrichtung', 'Bedburg-Hau', 'Kleve', 'Menschen in Wohnungsnot', 'Pflege, Handwerk', 'Türkisch', 'Erika Mustermann, erika@example.org', 'Ein jährliches Treffen aller Akteure.']) {
    await expect(review).toContainText(text);
  }
  await tabTo(page, page.getByRole('button', { name: 'Antworten verbindlich abschicken' }));
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(`/f/${token}/danke$`));
  await expect(page.locator('h1')).toHaveText('Vielen Dank für Ihre Teilnahme!');

  // The printable copy.
  await tabTo(page, page.getByRole('link', { name: 'Druckfassung Ihrer Antworten' }));
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(`/f/${token}/kopie$`));
  await expect(page.locator('h1')).toHaveText('Ihre Antworten');
  await expect(page).toHaveTitle(/^Ihre Antworten – /);
  await expect(page.locator('main#inhalt')).toBeFocused();
  await expect(page.locator('main')).toContainText('Abgeschickt am');
  await expect(page.locator('main')).toContainText('Erika Mustermann, erika@example.org');
  await expect(page.getByRole('link', { name: /Ändern/ })).toHaveCount(0);
});
