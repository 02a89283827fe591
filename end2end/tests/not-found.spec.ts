// Unknown and malformed links answer 404 with a clear page, without telling which part is wrong.
import { test, expect } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { startResponse } from './helpers';

const unknownToken = () => randomBytes(32).toString('base64url');

for (const js of [true, false]) {
  test.describe(js ? 'mit JavaScript' : 'ohne JavaScript', () => {
    test.use({ javaScriptEnabled: js });

    test('unbekannte und fehlerhafte Links ergeben die Seite 404', async ({ page }) => {
      const token = unknownToken();
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      for (const path of [`/f/${token}`, `/f/${token}/s/2`, `/f/${token}/uebersicht`, '/f/xyz', '/f/xyz/s/1', '/o/gibt-es-nicht', '/gibt-es-nicht']) {
        const response = await page.goto(path);
        expect(response!.status(), path).toBe(404);
        await expect(page.locator('h1'), path).toHaveText('Seite nicht gefunden');
        await expect(page, path).toHaveTitle(/^Seite nicht gefunden – /);
        await expect(page.getByRole('link', { name: 'Zur Startseite' })).toBeVisible();
      }
    });
  });
}

test('ein Schritt außerhalb des Fragebogens ergibt 404, ebenso ein Post an einen unbekannten Link', async ({ page }) => {
  const base = await startResponse(page);
  for (const step of ['0', '13', 'abc']) {
    const response = await page.goto(`${base}/s/${step}`);
    expect(response!.status(), `Schritt ${step}`).toBe(404);
    await expect(page.locator('h1')).toHaveText('Seite nicht gefunden');
  }
  const post = await page.request.post(`/f/${unknownToken()}/s/2`, { form: { aktion: 'weiter' }, maxRedirects: 0 });
  expect(post.status()).toBe(404);
  expect(await post.text()).toContain('Seite nicht gefunden');
});
