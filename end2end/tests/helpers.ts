import { expect, type Locator, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** The open link of the default questionnaire (created on the server's first start). */
export const OPEN_LINK = '/o/bedarfsanalyse-2026';
export const STEPS = 12;

/** The eight Handlungsfelder, steps 2 to 9, by the prefix of their question codes. */
export const FIELD_PREFIXES = ['fbs', 'aus', 'spr', 'arb', 'ges', 'woh', 'tei', 'iko'];

/** `/f/<token>` of the page's URL. */
export function personalBase(page: Page): string {
  const match = new URL(page.url()).pathname.match(/^\/f\/([A-Za-z0-9_-]{43})(\/|$)/);
  if (!match) throw new Error(`keine persönliche Adresse: ${page.url()}`);
  return `/f/${match[1]}`;
}

export function question(page: Page, code: string): Locator {
  return page.locator(`.question[data-code="${code}"]`);
}

/**
 * Waits until the script has taken over the page's form (hydration done): from then on,
 * conditions are live and the page saves itself in the background.
 */
export async function waitForHydration(page: Page): Promise<void> {
  await expect(page.locator('form[data-hydrated="true"]'), 'das Skript hat die Seite nicht übernommen').toHaveCount(1, {
    timeout: 20_000,
  });
}

/** Waits until the script runs on a page without a questionnaire form (links go through the router then). */
export async function waitForPageHydration(page: Page): Promise<void> {
  await expect(page.locator('main[data-hydrated="true"]'), 'das Skript hat die Seite nicht übernommen').toHaveCount(1, {
    timeout: 20_000,
  });
}

/**
 * Counts the background saves ("autosave" posts) in flight, so that a test can wait for them
 * before it posts the page itself.
 */
export function trackAutosaves(page: Page): { settle: () => Promise<void> } {
  const pending = new Set<unknown>();
  const isSave = (r: { method(): string; resourceType(): string }) => r.method() === 'POST' && r.resourceType() === 'fetch';
  page.on('request', (r) => isSave(r) && pending.add(r));
  page.on('requestfinished', (r) => pending.delete(r));
  page.on('requestfailed', (r) => pending.delete(r));
  return {
    // The script waits 800 ms after the last change before it saves.
    settle: async () => {
      await page.waitForTimeout(1_000);
      await expect.poll(() => pending.size, { message: 'Hintergrund-Speichern hängt' }).toBe(0);
    },
  };
}

/** Presses Tab until `target` has the focus; fails if it is not reachable within `max` presses. */
export async function tabTo(page: Page, target: Locator, max = 250): Promise<void> {
  for (let i = 0; i <= max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${target} ist mit der Tabulatortaste nicht erreichbar`);
}

/** The element with the focus, described by tag and id. */
export async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    return el ? `${el.tagName.toLowerCase()}#${el.id}` : 'none';
  });
}

/**
 * Starts a response through the open link with a valid profile (with mouse and form
 * helpers) and returns the personal base path `/f/<token>`. Ends on step 2.
 */
export async function startResponse(page: Page): Promise<string> {
  await page.goto(OPEN_LINK);
  await page.locator('#f-profil_art--beratung').check();
  await page.locator('#f-profil_kommunen--05154036').check();
  await Promise.all([page.waitForURL(/\/f\/[^/]+\/s\/2\?neu=1$/), page.getByRole('button', { name: 'Speichern und weiter' }).click()]);
  return personalBase(page);
}

/**
 * Answers every required question shown on the current step with its first option (every
 * row of a required matrix). Required questions are marked "(Pflichtangabe)".
 */
export async function answerRequired(page: Page): Promise<void> {
  const required = page.locator('.question:not([hidden])').filter({
    has: page.locator('legend, .field > label').filter({ hasText: '(Pflichtangabe)' }),
  });
  for (const q of await required.all()) {
    const rows = q.locator('tbody tr');
    if ((await rows.count()) > 0) {
      for (const row of await rows.all()) await row.locator('input[type=radio]').first().check();
    } else {
      const choice = q.locator('input[type=radio], input[type=checkbox]').first();
      if ((await choice.count()) > 0) await choice.check();
      else await q.locator('input[type=text], textarea').first().fill('Test');
    }
  }
}

/** Posts the current step with "Weiter" and waits for the next address. */
export async function next(page: Page, to: RegExp): Promise<void> {
  await Promise.all([page.waitForURL(to), page.getByRole('button', { name: /^Weiter/ }).click()]);
}

/**
 * Answers all required questions of steps `from`..12 by mouse and ends on the review page.
 * The page must show step `from`.
 */
export async function answerAllSteps(page: Page, from = 2): Promise<void> {
  for (let step = from; step <= STEPS; step++) {
    await expect(page.locator('h1')).toContainText(`Schritt ${step} von ${STEPS}`);
    await answerRequired(page);
    await next(page, step === STEPS ? /\/uebersicht$/ : new RegExp(`/s/${step + 1}$`));
  }
}

/** Runs axe-core with the WCAG 2.0/2.1 A and AA rules and expects no violation. */
export async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const summary = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `   ${n.target.join(' ')}: ${n.failureSummary}`).join('\n')}`,
  );
  expect(summary, `axe-core auf ${label} (${page.url()})`).toEqual([]);
}

/**
 * Checks what axe-core no longer checks under WCAG 2.1 tags: ids are unique, and every id
 * named by aria-describedby, aria-labelledby or a label's for exists.
 */
export async function expectValidIdReferences(page: Page, label: string): Promise<void> {
  const problems = await page.evaluate(() => {
    const out: string[] = [];
    const seen = new Map<string, number>();
    for (const el of Array.from(document.querySelectorAll('[id]'))) seen.set(el.id, (seen.get(el.id) ?? 0) + 1);
    for (const [id, n] of seen) if (n > 1) out.push(`id „${id}“ ${n}-mal`);
    for (const el of Array.from(document.querySelectorAll('[aria-describedby], [aria-labelledby]'))) {
      for (const attr of ['aria-describedby', 'aria-labelledby']) {
        for (const id of (el.getAttribute(attr) ?? '').split(/\s+/).filter(Boolean)) {
          if (!document.getElementById(id)) out.push(`${attr}="${id}" fehlt`);
        }
      }
    }
    for (const l of Array.from(document.querySelectorAll('label[for]'))) {
      if (!document.getElementById(l.getAttribute('for')!)) out.push(`label for="${l.getAttribute('for')}" fehlt`);
    }
    return out;
  });
  expect(problems, `Ids auf ${label}`).toEqual([]);
}

export async function expectAccessible(page: Page, label: string): Promise<void> {
  await expectNoAxeViolations(page, label);
  await expectValidIdReferences(page, label);
}

/** Each link of the error summary leads to an element that exists in the page. */
export async function expectErrorSummaryLinks(page: Page, count?: number, idPattern = /#f-/): Promise<Locator> {
  const summary = page.locator('.error-summary');
  await expect(summary).toBeVisible();
  await expect(summary).toHaveAttribute('role', 'alert');
  const links = summary.locator('a');
  if (count !== undefined) await expect(links).toHaveCount(count);
  else expect(await links.count()).toBeGreaterThan(0);
  for (const link of await links.all()) {
    const href = (await link.getAttribute('href'))!;
    expect(href).toMatch(idPattern);
    const id = href.slice(href.indexOf('#') + 1);
    if (href.startsWith('#')) {
      await expect(page.locator(`[id="${id}"]`), `Ziel von ${href}`).toHaveCount(1);
    }
  }
  return links;
}
