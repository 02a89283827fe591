// Conditional questions: with JavaScript they appear and disappear as the respondent answers;
// without, they are always shown with their condition in words.
import { test, expect } from '@playwright/test';
import { OPEN_LINK, question, startResponse, trackAutosaves, waitForHydration } from './helpers';

test.describe('mit JavaScript', () => {
  test('die Frage nach der Zahl der Ehrenamtlichen erscheint erst nach „Ja“', async ({ page }) => {
    await page.goto(OPEN_LINK);
    await waitForHydration(page);
    const volunteers = question(page, 'profil_ehrenamtliche');
    await expect(volunteers).toBeHidden();
    await expect(volunteers.locator('.condition-hint')).toBeHidden();
    await question(page, 'profil_ehrenamt').getByLabel('Nein').check();
    await expect(volunteers).toBeHidden();
    await question(page, 'profil_ehrenamt').getByLabel('Ja').check();
    await expect(volunteers).toBeVisible();
    // The hint is for readers without script; with script the question simply appears.
    await expect(volunteers.locator('.condition-hint')).toBeHidden();
    await expect(page.getByLabel(/Wie viele Ehrenamtliche/)).toBeEditable();
    await question(page, 'profil_ehrenamt').getByLabel('Nein').check();
    await expect(volunteers).toBeHidden();
  });

  test('Folgefragen zur Sprachmittlung, Hintergrund-Speichern und Verwerfen verborgener Antworten', async ({ page }) => {
    const autosaves = trackAutosaves(page);
    const base = await startResponse(page);
    await page.goto(`${base}/s/10`);
    await waitForHydration(page);
    const followUps = ['sm_sprachen', 'sm_haeufigkeit', 'sm_anlaesse'];
    for (const code of followUps) await expect(question(page, code)).toBeHidden();
    await question(page, 'sm_bedarf').getByLabel('Ja').check();
    for (const code of followUps) await expect(question(page, code)).toBeVisible();
    await page.getByLabel('Polnisch').check();
    const status = page.locator('.save-status[role=status]');
    await expect(status).toHaveText(/^Automatisch gespeichert um \d\d:\d\d Uhr\.$/);
    await autosaves.settle();

    // Saved in the background: a reload shows the answers and the follow-ups.
    await page.reload();
    await waitForHydration(page);
    await expect(question(page, 'sm_bedarf').getByLabel('Ja')).toBeChecked();
    await expect(page.getByLabel('Polnisch')).toBeChecked();
    await expect(question(page, 'sm_sprachen')).toBeVisible();

    // "Nein" hides them again, and their answers are not kept.
    await question(page, 'sm_bedarf').getByLabel('Nein').check();
    for (const code of followUps) await expect(question(page, code)).toBeHidden();
    await autosaves.settle();
    await Promise.all([page.waitForURL(new RegExp(`${base}/s/11$`)), page.getByRole('button', { name: 'Weiter', exact: true }).click()]);
    await page.goto(`${base}/uebersicht`);
    await expect(page.locator('main')).not.toContainText('Polnisch');
  });
});

test.describe('ohne JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('die bedingte Frage ist sichtbar und sagt, wann sie zu beantworten ist', async ({ page }) => {
    await page.goto(OPEN_LINK);
    const volunteers = question(page, 'profil_ehrenamtliche');
    await expect(volunteers).toBeVisible();
    const hint = volunteers.locator('.condition-hint');
    await expect(hint).toBeVisible();
    await expect(hint).toHaveText(
      'Nur zu beantworten, wenn Sie bei „Arbeiten in Ihrer Organisation Ehrenamtliche in der Integrationsarbeit mit“ „Ja“ gewählt haben.',
    );
    // The hint is part of the field's description.
    const hintId = await hint.getAttribute('id');
    await expect(page.getByLabel(/Wie viele Ehrenamtliche/)).toHaveAttribute('aria-describedby', new RegExp(`(^| )${hintId}( |$)`));
    await expect(page.locator('form')).not.toHaveAttribute('data-hydrated', /.*/);
  });

  test('eine Antwort auf eine verborgene Frage wird nicht gespeichert', async ({ page }) => {
    await page.goto(OPEN_LINK);
    await page.getByLabel('Kommune (Verwaltung)').check();
    await page.getByLabel('Kevelaer').check();
    await question(page, 'profil_ehrenamt').getByLabel('Nein').check();
    await page.getByLabel(/Wie viele Ehrenamtliche/).fill('40');
    await Promise.all([page.waitForURL(/\/s\/2\?neu=1$/), page.getByRole('button', { name: 'Speichern und weiter' }).click()]);
    await Promise.all([page.waitForURL(/\/f\/[^/]+\/s\/1$/), page.getByRole('button', { name: 'Zurück' }).click()]);
    await expect(question(page, 'profil_ehrenamt').getByLabel('Nein')).toBeChecked();
    await expect(page.getByLabel(/Wie viele Ehrenamtliche/)).toHaveValue('');
  });
});
