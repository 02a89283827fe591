// Wrong or missing input: the error summary lists every problem with a link to its field, the
// fields say what is wrong, and what was typed is still there. With and without JavaScript.
import { test, expect, type Page } from '@playwright/test';
import { OPEN_LINK, expectErrorSummaryLinks, focused, personalBase, question, startResponse, waitForHydration } from './helpers';

for (const js of [true, false]) {
  test.describe(js ? 'mit JavaScript' : 'ohne JavaScript', () => {
    test.use({ javaScriptEnabled: js });
    const ready = async (page: Page) => {
      if (js) await waitForHydration(page);
    };

    test('leerer Start: Fehlerübersicht mit Links zu den Pflichtfeldern', async ({ page }) => {
      await page.goto(OPEN_LINK);
      await ready(page);
      await Promise.all([
        page.waitForURL(/\/o\/bedarfsanalyse-2026\?pruefen=1#fehler$/),
        page.getByRole('button', { name: 'Speichern und weiter' }).click(),
      ]);
      await ready(page);
      await expect(page).toHaveTitle(/^Fehler: /);
      // The fragment puts the focus on the summary, which is announced (role=alert).
      await expect(page.locator('#fehler')).toBeFocused();
      await expect(page.locator('.error-summary h2')).toHaveText('Bitte korrigieren Sie 2 Angaben');
      const links = await expectErrorSummaryLinks(page, 2);
      await expect(links.nth(0)).toHaveAttribute('href', '#f-profil_art');
      await expect(links.nth(1)).toHaveAttribute('href', '#f-profil_kommunen');
      // Messages at the fields, tied to them.
      await expect(page.locator('.field-error')).toHaveCount(2);
      await expect(page.locator('#f-profil_art-fehler')).toContainText('Bitte wählen Sie bei „Zu welcher Art von Organisation');
      await expect(question(page, 'profil_art').locator('fieldset')).toHaveAttribute('aria-describedby', /f-profil_art-fehler/);
      await expect(page.locator('#f-profil_art')).toHaveAttribute('aria-invalid', 'true');
      await expect(question(page, 'profil_kommunen')).toHaveClass(/has-error/);

      // Following a link with the keyboard puts the focus on the field.
      await links.nth(1).focus();
      await page.keyboard.press('Enter');
      await expect(page.locator('#f-profil_kommunen')).toBeFocused();
      await expect(page).toHaveURL(/#f-profil_kommunen$/);
      await links.nth(0).focus();
      await page.keyboard.press('Enter');
      await expect(page.locator('#f-profil_art')).toBeFocused();
      // From there the respondent answers and goes on.
      await page.keyboard.press('Space');
      await expect(page.locator('#f-profil_art')).toBeChecked();
      await page.locator('#f-profil_kommunen--05154016').check();
      await Promise.all([page.waitForURL(/\/f\/[^/]+\/s\/2\?neu=1$/), page.getByRole('button', { name: 'Speichern und weiter' }).click()]);
    });

    test('falsche Zahlen im Profil bleiben stehen und werden erklärt', async ({ page }) => {
      await page.goto(OPEN_LINK);
      await ready(page);
      await page.locator('#f-profil_art--verein').check();
      await page.locator('#f-profil_mitarbeitende').fill('abc');
      await page.locator('#f-profil_ehrenamt').check();
      await page.locator('#f-profil_ehrenamtliche').fill('12,5');
      await Promise.all([
        page.waitForURL(/\/f\/[^/]+\/s\/1\?neu=1&pruefen=1#fehler$/),
        page.getByRole('button', { name: 'Speichern und weiter' }).click(),
      ]);
      await ready(page);
      await expect(page.locator('#fehler')).toBeFocused();
      await expect(page.locator('.error-summary h2')).toHaveText('Bitte korrigieren Sie 3 Angaben');
      const links = await expectErrorSummaryLinks(page, 3);
      await expect(links.nth(0)).toHaveAttribute('href', '#f-profil_kommunen');
      await expect(links.nth(1)).toHaveAttribute('href', '#f-profil_mitarbeitende');
      await expect(links.nth(1)).toContainText('„abc“ ist keine gültige Angabe');
      await expect(links.nth(2)).toHaveAttribute('href', '#f-profil_ehrenamtliche');

      // Typed values are kept, marked invalid and explained at the field.
      const staff = page.locator('#f-profil_mitarbeitende');
      await expect(staff).toHaveValue('abc');
      await expect(staff).toHaveAttribute('aria-invalid', 'true');
      // Hint, unit and error describe the field.
      await expect(staff).toHaveAttribute('aria-describedby', 'f-profil_mitarbeitende-hinweis f-profil_mitarbeitende-einheit f-profil_mitarbeitende-fehler');
      await expect(page.locator('#f-profil_mitarbeitende-einheit')).toHaveText('Personen');
      await expect(page.locator('#f-profil_mitarbeitende-fehler')).toContainText('Bitte geben Sie eine ganze Zahl, z. B. 12 ein.');
      await expect(page.locator('#f-profil_ehrenamtliche')).toHaveValue('12,5');
      await expect(page.locator('#f-profil_ehrenamtliche-fehler')).toContainText('ganze Zahl ohne Nachkommastellen');
      await expect(question(page, 'profil_ehrenamtliche')).toBeVisible();
      await expect(page.locator('#f-profil_art--verein')).toBeChecked();
      await expect(page.locator('#f-profil_ehrenamt')).toBeChecked();

      await links.nth(1).focus();
      await page.keyboard.press('Enter');
      expect(await focused(page)).toBe('input#f-profil_mitarbeitende');
      await staff.fill('7');
      await page.locator('#f-profil_ehrenamtliche').fill('1.200');
      await page.locator('#f-profil_kommunen--05154064').check();
      const base = personalBase(page);
      await Promise.all([page.waitForURL(new RegExp(`${base}/s/2$`)), page.getByRole('button', { name: 'Weiter', exact: true }).click()]);
      await page.goto(`${base}/s/1`);
      await expect(page.locator('#f-profil_mitarbeitende')).toHaveValue('7');
      // Stored in one notation: the thousands point is read, the number written plainly.
      await expect(page.locator('#f-profil_ehrenamtliche')).toHaveValue('1200');
      await expect(page.locator('.error-summary')).toHaveCount(0);
    });

    test('unvollständige Matrix und fehlende Bewertung auf Schritt 2', async ({ page }) => {
      await startResponse(page);
      const base = personalBase(page);
      await ready(page);
      const rows = question(page, 'fbs_bestand').locator('tbody tr');
      const n = await rows.count();
      for (let i = 0; i < n - 1; i++) await rows.nth(i).locator('input[value="vorhanden"]').check();
      await page.locator('#f-fbs_fehlt').fill('Text bleibt erhalten');
      await Promise.all([page.waitForURL(new RegExp(`${base}/s/2\\?pruefen=1#fehler$`)), page.getByRole('button', { name: 'Weiter', exact: true }).click()]);
      await ready(page);
      await expect(page).toHaveTitle(/^Fehler: Schritt 2 von 12/);
      await expect(page.locator('#fehler')).toBeFocused();
      const links = await expectErrorSummaryLinks(page, 2);
      await expect(links.nth(0)).toHaveAttribute('href', '#f-fbs_bestand-seiteneinsteiger');
      await expect(links.nth(0)).toContainText('es fehlt „Beratung von Seiteneinsteigerinnen');
      await expect(links.nth(1)).toHaveAttribute('href', '#f-fbs_gesamt');
      await expect(page.locator('#f-fbs_bestand-fehler')).toBeVisible();
      await expect(page.locator('#f-fbs_gesamt-fehler')).toBeVisible();
      for (let i = 0; i < n - 1; i++) await expect(rows.nth(i).locator('input[value="vorhanden"]')).toBeChecked();
      await expect(page.locator('#f-fbs_fehlt')).toHaveValue('Text bleibt erhalten');

      await links.nth(0).focus();
      await page.keyboard.press('Enter');
      await expect(page.locator('#f-fbs_bestand-seiteneinsteiger')).toBeFocused();
      await page.keyboard.press('Space');
      await links.nth(1).focus();
      await page.keyboard.press('Enter');
      await expect(page.locator('#f-fbs_gesamt')).toBeFocused();
      await page.keyboard.press('Space');
      await Promise.all([page.waitForURL(new RegExp(`${base}/s/3$`)), page.getByRole('button', { name: 'Weiter', exact: true }).click()]);
    });

    test('Fehler in der Übersicht führen zur Frage', async ({ page }) => {
      const base = await startResponse(page);
      await page.goto(`${base}/uebersicht`);
      await expect(page.getByText('Einige Pflichtangaben fehlen noch.')).toBeVisible();
      await Promise.all([
        page.waitForURL(new RegExp(`${base}/uebersicht\\?pruefen=1#fehler$`)),
        page.getByRole('button', { name: 'Antworten verbindlich abschicken' }).click(),
      ]);
      await expect(page).toHaveTitle(/^Fehler: /);
      await expect(page.locator('#fehler')).toBeFocused();
      const links = page.locator('.error-summary a');
      // Steps 2 to 9 each lack the stock and the overall need; step 10 "Sprachmittlung".
      await expect(links).toHaveCount(17);
      await expect(page.locator('.review-item.has-error')).toHaveCount(17);
      const link = links.filter({ hasText: 'Sprach- und Kulturmittlung' });
      await expect(link).toHaveAttribute('href', `${base}/s/10?pruefen=1#f-sm_bedarf`);
      await link.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(new RegExp(`${base}/s/10\\?pruefen=1#f-sm_bedarf$`));
      await expect(page.locator('h1')).toContainText('Schritt 10 von 12');
      await expect(page.locator('#f-sm_bedarf')).toBeFocused();
      await expect(page.locator('#f-sm_bedarf-fehler')).toContainText('Bitte wählen Sie bei „Benötigt Ihre Organisation');
    });
  });
}
