// The whole questionnaire without JavaScript: every page is a plain form post and redirect.
import { test, expect } from '@playwright/test';
import { FIELD_PREFIXES, OPEN_LINK, STEPS, answerRequired, next, personalBase, question } from './helpers';

test.describe('ohne JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('den ganzen Fragebogen ausfüllen, abschicken und die Druckfassung öffnen', async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto('/');
    await page.getByRole('link', { name: 'Bedarfs- und Bestandsanalyse der Integrationsarbeit im Kreis Kleve' }).click();
    await expect(page).toHaveURL(new RegExp(`${OPEN_LINK}$`));
    await expect(page.locator('.privacy h2')).toHaveText('Datenschutzhinweise');

    // Step 1: without script the conditional question is shown, with its condition in words.
    const volunteers = question(page, 'profil_ehrenamtliche');
    await expect(volunteers).toBeVisible();
    await expect(volunteers.locator('.condition-hint')).toContainText('Nur zu beantworten, wenn Sie bei „Arbeiten in Ihrer Organisation');
    await page.getByLabel('Integrationsagentur').check();
    await page.getByLabel('Goch').check();
    await page.getByLabel('Kreisweit (alle Kommunen)').check();
    await page.getByLabel('Geflüchtete').check();
    await page.getByLabel(/hauptamtliche Mitarbeitende/).fill('3');
    await question(page, 'profil_ehrenamt').getByLabel('Ja').check();
    await page.getByLabel(/Wie viele Ehrenamtliche/).fill('25');
    await Promise.all([page.waitForURL(/\/s\/2\?neu=1$/), page.getByRole('button', { name: 'Speichern und weiter' }).click()]);
    const base = personalBase(page);
    await expect(page.locator('.link-box code.link')).toContainText(base);
    // The script's status line stays empty: nothing is saved in the background.
    await expect(page.locator('.save-status')).toHaveText(/^\s*$/);

    // Steps 2 to 9.
    for (const [i, prefix] of FIELD_PREFIXES.entries()) {
      const step = i + 2;
      await expect(page.locator('h1')).toContainText(`Schritt ${step} von ${STEPS}`);
      for (const row of await question(page, `${prefix}_bestand`).locator('tbody tr').all()) {
        await row.locator('input[value="geplant"]').check();
      }
      await question(page, `${prefix}_gesamt`).getByLabel('5 – sehr hoher Bedarf').check();
      await question(page, `${prefix}_fehlt`).locator('textarea').fill(`Vorschlag ${prefix}`);
      if (prefix === 'spr') await page.locator('#f-spr_wartezeit').fill('10');
      await next(page, new RegExp(`${base}/s/${step + 1}$`));
    }

    // Step 10: all follow-up questions are shown with their condition.
    await expect(page.locator('.condition-hint')).toHaveCount(3);
    // Said once, not twice ("Mehrfachnennungen sind möglich. Mehrere Antworten möglich.").
    await expect(question(page, 'sm_sprachen').locator('.hint')).toHaveText('Mehrfachnennungen sind möglich.');
    await question(page, 'sm_bedarf').getByLabel('Ja').check();
    await page.getByLabel('Arabisch').check();
    await page.getByLabel('Weitere Sprache, nämlich').fill('Tigrinya');
    await page.getByLabel('wöchentlich oder häufiger').check();
    await next(page, new RegExp(`${base}/s/11$`));

    // Step 11: nothing required; "Zurück" keeps what was typed.
    await page.getByLabel(/Was würde die Zusammenarbeit/).fill('Regelmäßige Netzwerktreffen');
    await Promise.all([page.waitForURL(new RegExp(`${base}/s/10$`)), page.getByRole('button', { name: 'Zurück' }).click()]);
    await expect(page.getByLabel('Arabisch')).toBeChecked();
    await next(page, new RegExp(`${base}/s/11$`));
    await expect(page.getByLabel(/Was würde die Zusammenarbeit/)).toHaveValue('Regelmäßige Netzwerktreffen');
    await next(page, new RegExp(`${base}/s/12$`));

    // Step 12.
    await expect(question(page, 'mit_kontakt').locator('.condition-hint')).toBeVisible();
    await expect(page.locator('#f-mit_kontakt')).toHaveAttribute('aria-describedby', /f-mit_kontakt-bedingung/);
    await page.getByLabel('Gesundheit', { exact: true }).check();
    await page.getByLabel(/An wen dürfen wir/).fill('Max Muster, max@example.org');
    await next(page, new RegExp(`${base}/uebersicht$`));

    // Review and submit.
    await expect(page.locator('h1')).toHaveText('Übersicht Ihrer Antworten');
    await expect(page.locator('main')).toContainText('Integrationsagentur');
    await expect(page.locator('main')).toContainText('Tigrinya');
    await expect(page.locator('main')).toContainText('Max Muster, max@example.org');
    await expect(page.locator('.review-page')).toHaveCount(STEPS);
    await Promise.all([page.waitForURL(new RegExp(`${base}/danke$`)), page.getByRole('button', { name: 'Antworten verbindlich abschicken' }).click()]);
    await expect(page.locator('h1')).toHaveText('Vielen Dank für Ihre Teilnahme!');
    await expect(page.locator('.confirmation')).toContainText(/Ihre Antworten sind am \d\d\.\d\d\.\d{4}, \d\d:\d\d Uhr eingegangen\./);

    await page.getByRole('link', { name: 'Druckfassung Ihrer Antworten' }).click();
    await expect(page).toHaveURL(new RegExp(`${base}/kopie$`));
    await expect(page.locator('h1')).toHaveText('Ihre Antworten');
    await expect(page.locator('main')).toContainText('Abgeschickt am');
    await expect(page.locator('main')).toContainText('Tigrinya');

    // Submitted means read-only: pages say so, posts change nothing.
    await page.goto(`${base}/s/3`);
    await expect(page.locator('.notice')).toContainText('kann nicht mehr geändert werden');
    await expect(page.locator('form')).toHaveCount(0);
    await page.goto(base);
    await expect(page.locator('.notice')).toContainText('bereits abgeschickt');
    await page.goto(`${base}/uebersicht`);
    await expect(page.getByRole('button', { name: 'Antworten verbindlich abschicken' })).toHaveCount(0);
    await expect(page.getByRole('link', { name: /Ändern/ })).toHaveCount(0);
  });
});
