// axe-core (WCAG 2.0 and 2.1, A and AA) on every page a respondent sees, as the script leaves
// it (hydrated) and as it is before or without the script (server-rendered only), plus unique
// ids and a visible focus.
import { test, expect, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import {
  OPEN_LINK,
  STEPS,
  answerAllSteps,
  expectAccessible,
  question,
  startResponse,
  tabTo,
  waitForHydration,
} from './helpers';

type Mode = 'mit Skript' | 'ohne Skript';
const MODES: Mode[] = ['mit Skript', 'ohne Skript'];

/**
 * Without script: the browser runs JavaScript (axe-core needs it) but the app's script is not
 * loaded, so the page stays as the server rendered it, which is what readers without
 * JavaScript get.
 */
async function useMode(page: Page, mode: Mode): Promise<void> {
  if (mode === 'ohne Skript') await page.route(/\/pkg\/.*\.(js|wasm)$/, (route) => route.abort());
}

/** Opens a page and waits until it is as the mode leaves it. */
async function open(page: Page, mode: Mode, url: string, hasForm = false): Promise<void> {
  await page.goto(url);
  if (mode === 'mit Skript' && hasForm) await waitForHydration(page);
  if (mode === 'mit Skript' && !hasForm) await page.waitForLoadState('networkidle');
}

test('Startseite, Datenschutz, Barrierefreiheit und Fehlerseiten', async ({ page }) => {
  for (const [url, title] of [
    ['/', 'Bedarfs- und Bestandsanalyse der Integrationsarbeit'],
    ['/datenschutz', 'Datenschutz'],
    ['/barrierefreiheit', 'Erklärung zur Barrierefreiheit'],
    [`/f/${randomBytes(32).toString('base64url')}`, 'Seite nicht gefunden'],
    ['/gibt-es-nicht', 'Seite nicht gefunden'],
  ]) {
    await open(page, 'mit Skript', url);
    await expect(page.locator('h1')).toHaveText(title);
    await expectAccessible(page, url);
  }
});

for (const mode of MODES) {
  test.describe(mode, () => {
    test.beforeEach(async ({ page }) => useMode(page, mode));

    test('offener Link mit und ohne Fehler, Startseite des persönlichen Links', async ({ page }) => {
      await open(page, mode, OPEN_LINK, true);
      await expectAccessible(page, 'offener Link');
      await open(page, mode, `${OPEN_LINK}?pruefen=1#fehler`, true);
      await expect(page.locator('.error-summary')).toBeVisible();
      await expectAccessible(page, 'offener Link mit Fehlern');

      const base = await startResponse(page);
      await open(page, mode, base);
      await expect(page.getByRole('link', { name: /^Fortsetzen bei Schritt \d+ von 12$/ })).toBeVisible();
      await expectAccessible(page, 'Startseite des persönlichen Links');
    });

    test(`Schritte 1 bis ${STEPS}, auch mit Fehlern`, async ({ page }) => {
      test.setTimeout(180_000);
      const base = await startResponse(page);
      // Right after the start, with the box showing the personal link.
      await open(page, mode, `${base}/s/2?neu=1`, true);
      await expect(page.locator('.link-box')).toBeVisible();
      await expectAccessible(page, 'Schritt 2 nach dem Start');
      // Without script only pages with conditional questions look different.
      const steps = mode === 'mit Skript' ? Array.from({ length: STEPS }, (_, i) => i + 1) : [1, 10, 12];
      for (const step of steps) {
        await open(page, mode, `${base}/s/${step}`, true);
        await expect(page.locator('h1')).toContainText(`Schritt ${step} von ${STEPS}`);
        await expectAccessible(page, `Schritt ${step}`);
      }
      // With errors: every kind of required question (matrix, rating, yes/no).
      for (const step of mode === 'mit Skript' ? [2, 10] : [10]) {
        await open(page, mode, `${base}/s/${step}?pruefen=1#fehler`, true);
        await expect(page.locator('.error-summary')).toBeVisible();
        await expect(page.locator('.field-error').first()).toBeVisible();
        await expectAccessible(page, `Schritt ${step} mit Fehlern`);
      }
      // Saved for later.
      await open(page, mode, `${base}/s/3?gespeichert=1`, true);
      await expectAccessible(page, 'Schritt 3 gespeichert');
      if (mode === 'mit Skript') {
        // Follow-up questions shown live, and the status line of the background save.
        await open(page, mode, `${base}/s/10`, true);
        await question(page, 'sm_bedarf').getByLabel('Ja').check();
        await expect(question(page, 'sm_sprachen')).toBeVisible();
        await expect(page.locator('.save-status')).toContainText('Automatisch gespeichert');
        await expectAccessible(page, 'Schritt 10 mit Folgefragen');
      }
    });

    test('Übersicht mit und ohne Fehler, Dank und Druckfassung', async ({ page }) => {
      test.setTimeout(180_000);
      const base = await startResponse(page);
      await open(page, mode, `${base}/uebersicht?pruefen=1#fehler`);
      await expect(page.locator('.error-summary')).toBeVisible();
      await expectAccessible(page, 'Übersicht mit Fehlern');
      await open(page, mode, `${base}/kopie`);
      await expectAccessible(page, 'Druckfassung eines Entwurfs');
      await open(page, mode, `${base}/danke`);
      await expect(page.locator('h1')).toHaveText('Noch nicht abgeschickt');
      await expectAccessible(page, 'Dank vor dem Abschicken');

      await page.goto(`${base}/s/2`);
      await answerAllSteps(page);
      await open(page, mode, `${base}/uebersicht`);
      await expect(page.locator('.error-summary')).toHaveCount(0);
      await expectAccessible(page, 'Übersicht');
      await Promise.all([page.waitForURL(/\/danke$/), page.getByRole('button', { name: 'Antworten verbindlich abschicken' }).click()]);
      await open(page, mode, `${base}/danke`);
      await expect(page.locator('h1')).toHaveText('Vielen Dank für Ihre Teilnahme!');
      await expectAccessible(page, 'Dank');
      await open(page, mode, `${base}/kopie`);
      await expectAccessible(page, 'Druckfassung');
      await open(page, mode, `${base}/s/4`);
      await expect(page.locator('.notice')).toContainText('abgeschickt');
      await expectAccessible(page, 'abgeschickter Schritt');
      await open(page, mode, base);
      await expectAccessible(page, 'Startseite nach dem Abschicken');
    });
  });
}

test.describe('schmaler Bildschirm (320 CSS-Pixel, WCAG 1.4.10)', () => {
  test.use({ viewport: { width: 320, height: 640 } });

  test('Schritte mit Tabellen, Übersicht', async ({ page }) => {
    const base = await startResponse(page);
    for (const url of [`${base}/s/2?pruefen=1#fehler`, `${base}/s/11`, OPEN_LINK, `${base}/uebersicht`]) {
      await page.goto(url);
      if (!url.includes('uebersicht')) await waitForHydration(page);
      await expectAccessible(page, `${url} bei 320 px`);
      // Only tables may scroll sideways (inside their own box), never the page.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `waagerechtes Scrollen auf ${url}`).toBeLessThanOrEqual(0);
    }
  });
});

test('der Fokus ist sichtbar', async ({ page }) => {
  const base = await startResponse(page);
  await page.goto(`${base}/s/2?pruefen=1#fehler`);
  await waitForHydration(page);
  const targets = [
    page.locator('.skip-link'),
    page.locator('.site-name'),
    page.locator('.error-summary a').first(),
    page.locator('#f-fbs_bestand-griffbereit'),
    page.locator('#f-fbs_gesamt'),
    page.locator('#f-fbs_huerden'),
    page.locator('#f-fbs_huerden-_sonstiges'),
    page.locator('#f-fbs_fehlt'),
    page.getByRole('button', { name: 'Weiter', exact: true }),
    page.getByRole('button', { name: 'Zurück' }),
    page.getByRole('button', { name: 'Speichern und später fortsetzen' }),
    page.getByRole('link', { name: 'Datenschutz', exact: true }),
  ];
  // From the top of the page, by keyboard, so that :focus-visible applies.
  await page.locator('body').evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.evaluate(() => window.scrollTo(0, 0));
  for (const target of targets) {
    await tabTo(page, target);
    const style = await target.evaluate((el) => {
      const s = getComputedStyle(el);
      return { outline: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow };
    });
    expect(style.outline, `Fokusrahmen von ${target}`).not.toBe('none');
    expect(style.width, `Breite des Fokusrahmens von ${target}`).toBeGreaterThanOrEqual(2);
  }
  // The skip link is off screen until it has the focus.
  await page.reload();
  await expect(page.locator('.skip-link')).not.toBeInViewport();
});

test('die Content-Security-Policy lässt die Seiten hydrieren und meldet keinen Verstoß', async ({ page }) => {
  await page.addInitScript(() => {
    (window as unknown as { cspViolations: string[] }).cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { cspViolations: string[] }).cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`),
    );
  });
  const base = await startResponse(page);
  for (const url of [`${base}/s/2`, `${base}/s/12`, OPEN_LINK]) {
    const response = await page.goto(url);
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=_-]+'/);
    await waitForHydration(page);
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations), url).toEqual([]);
  }
});
