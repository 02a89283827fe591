// Reflow (WCAG 1.4.10): at 320 CSS pixels no page scrolls sideways; only data tables may
// scroll inside their own box. At 1280 pixels no table or matrix hides columns in a scroll box
// at all, and chart texts keep a readable size on every width.
import { expect, test, type Page } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './admin-account';
import { OPEN_LINK, startResponse } from './helpers';

async function signIn(page: Page): Promise<void> {
  await page.goto('/anmelden');
  await page.getByLabel('E-Mail-Adresse').fill(ADMIN_EMAIL);
  await page.getByLabel('Passwort').fill(ADMIN_PASSWORD);
  await Promise.all([page.waitForURL(/\/verwaltung$/), page.getByRole('button', { name: 'Anmelden' }).click()]);
}

/** The pages of the signed-in area, with filters and errors where a page has them. */
async function staffPages(page: Page): Promise<string[]> {
  await page.goto('/auswertung');
  const theme = await page.locator('table.heat-map tbody th a').first().getAttribute('href');
  expect(theme).toBeTruthy();
  return [
    '/verwaltung',
    '/verwaltung?status=pending',
    '/verwaltung/fragebogen',
    '/verwaltung/fragebogen/1',
    '/verwaltung/fragebogen/1/frage/fbs_bestand',
    '/verwaltung/fragebogen/1/frage/profil_mitarbeitende',
    '/verwaltung/fragebogen/1/neue-frage',
    '/verwaltung/fragebogen/1/vorschau',
    '/verwaltung/organisationen',
    '/verwaltung/konten',
    '/verwaltung/export',
    '/verwaltung/protokoll',
    '/verwaltung/antworten/1',
    '/konto/passwort',
    '/auswertung',
    '/auswertung?art=schule',
    '/auswertung/bericht',
    theme!,
    `${theme}&art=schule`,
    `${theme}&gemeinde=05154036`,
    `${theme}&art=kita&gemeinde=05154036`,
    '/barrierefreiheit',
    '/datenschutz',
  ];
}

/** The page's sideways overflow in pixels, with the outermost elements that stick out. */
async function sidewaysOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    const out = [...document.body.querySelectorAll('*')].filter(
      (e) => e.getBoundingClientRect().right > width + 1 && !e.parentElement?.closest('.table-scroll, .matrix-scroll'),
    );
    const outermost = out.filter((e) => !out.includes(e.parentElement!));
    return [`${document.documentElement.scrollWidth - width} px`, ...outermost.slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${e.className}#${e.id}`)];
  });
}

/** Scroll boxes (tables, matrices) whose content is wider than the box. */
async function clippedBoxes(page: Page): Promise<string[]> {
  return page
    .locator('.table-scroll, .matrix-scroll')
    .evaluateAll((boxes) =>
      boxes
        // The heat map (themes × 16 municipalities) is a two-dimensional table: it may scroll.
        .filter((b) => !b.querySelector('table.heat-map'))
        .filter((b) => (b as HTMLElement).offsetParent !== null && b.scrollWidth > b.clientWidth + 1)
        .map((b) => `${b.querySelector('caption, legend')?.textContent?.trim() ?? b.className}: ${b.scrollWidth} > ${b.clientWidth}`),
    );
}

/** Chart texts smaller than 12 px or outside the chart. */
async function badChartTexts(page: Page): Promise<string[]> {
  return page.locator('.chart .chart-label, .chart .chart-value').evaluateAll((texts) =>
    texts.flatMap((t) => {
      const size = parseFloat(getComputedStyle(t).fontSize);
      const box = t.getBoundingClientRect();
      const chart = t.closest('.chart')!.getBoundingClientRect();
      const problems = [];
      // The box's height catches texts scaled down with a drawing, whose font size stays.
      if (Math.min(size, box.height) < 12) problems.push(`${t.textContent}: ${Math.min(size, box.height)} px`);
      if (box.left < chart.left - 1 || box.right > chart.right + 1) problems.push(`${t.textContent}: outside the chart`);
      return problems;
    }),
  );
}

test.describe('320 CSS-Pixel', () => {
  test.use({ viewport: { width: 320, height: 640 } });

  test('Verwaltung und Auswertung ohne waagerechtes Scrollen', async ({ page }) => {
    test.setTimeout(240_000);
    await signIn(page);
    for (const url of await staffPages(page)) {
      await page.goto(url);
      await page.waitForLoadState('networkidle');
      expect(await sidewaysOverflow(page), `waagerechtes Scrollen auf ${url}`).toEqual([]);
      expect(await badChartTexts(page), `Diagrammtexte auf ${url}`).toEqual([]);
    }
    // A form with its errors shown.
    await page.goto('/verwaltung/export/datei?fragebogen=1&datei=wide&von=2026-02-30&bis=2026-01-01');
    await expect(page.locator('.error-summary')).toBeVisible();
    expect(await sidewaysOverflow(page), 'waagerechtes Scrollen beim Export mit Fehlern').toEqual([]);
  });

  test('öffentliche Seiten ohne waagerechtes Scrollen', async ({ page }) => {
    const base = await startResponse(page);
    for (const url of ['/', '/datenschutz', '/barrierefreiheit', '/anmelden', OPEN_LINK, base, `${base}/s/7`, `${base}/s/9`, `${base}/kopie`]) {
      await page.goto(url);
      await page.waitForLoadState('networkidle');
      expect(await sidewaysOverflow(page), `waagerechtes Scrollen auf ${url}`).toEqual([]);
    }
  });
});

test.describe('1280 CSS-Pixel', () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test('Matrizen zeigen alle Spalten', async ({ page }) => {
    const base = await startResponse(page);
    for (const step of [2, 7, 9]) {
      // The layout is the server's; hydration changes nothing here, so it is not waited for.
      await page.goto(`${base}/s/${step}`);
      await page.waitForLoadState('networkidle');
      await expect(page.locator('.matrix-scroll').first()).toBeVisible();
      expect(await clippedBoxes(page), `Schritt ${step}`).toEqual([]);
    }
  });

  test('Tabellen der Verwaltung zeigen alle Spalten', async ({ page }) => {
    test.setTimeout(240_000);
    await signIn(page);
    for (const url of await staffPages(page)) {
      await page.goto(url);
      await page.waitForLoadState('networkidle');
      // Folded table views of charts are opened, as a reader would.
      for (const details of await page.locator('details.table-view').all()) await details.locator('summary').click();
      expect(await clippedBoxes(page), url).toEqual([]);
      expect(await badChartTexts(page), `Diagrammtexte auf ${url}`).toEqual([]);
    }
  });
});
