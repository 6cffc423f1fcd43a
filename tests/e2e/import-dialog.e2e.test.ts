/**
 * End to end, in Debian's Chromium: an editor signs in from the header with a token, opens Import, chooses an IATI
 * file, sees the dry run (54 activities, no conflicts), applies it, finds an imported programme by search, then
 * undoes the import and no longer finds it. Also checks the dialogs in Khmer. Saves tests/artifacts/import-dialog.png
 * and tests/artifacts/import-dialog-km.png.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/seed-fixture.ts';
import type { ServerProcess } from '../support/server-process.ts';
import {
  type ExplorerSession,
  type TestGlobal,
  artifact,
  startExplorerSession,
  waitForGraph,
} from './e2e-support.ts';

const TIMEOUT = 180_000;
const TOKEN = 'ui-editor-token-0123456789abcdef';
const FILE = path.join(ROOT, 'tests', 'fixtures', 'iati', 'BD-IATI_donor-data_germany_bmz-20160121.xml');
const PROGRAMME = "Addressing Bangladesh's Demographic Challenges ABDC";

let server: ServerProcess | undefined;
let browser: Browser | undefined;
let page: Page;
let errors: string[] = [];

let session: ExplorerSession | undefined;

beforeAll(async () => {
  session = await startExplorerSession({ name: 'import-ui', env: { EDITOR_TOKENS: `ui:${TOKEN}` } });
  ({ server, browser, page } = session);
  errors = session.errors;
}, TIMEOUT);

afterAll(async () => {
  await session?.close();
}, TIMEOUT);

/** The names the search box suggests for `q`, once it has answered. */
async function suggestions(q: string): Promise<string[]> {
  const input = page.getByTestId('search-input');
  await input.fill('');
  await input.fill(q);
  const list = page.getByTestId('search-suggestions');
  // Wait for the answer to this query: either options or the "nothing found" line.
  await page.waitForTimeout(600);
  await page.waitForFunction(() => !(globalThis as unknown as TestGlobal).document.querySelector('.spinner'), null, { timeout: 15_000 });
  const names = await list.locator('[role="option"] .name').allTextContents();
  await input.press('Escape');
  return names;
}

describe('import dialog', () => {
  it(
    'signs in, dry-runs and applies an IATI file, finds the new programme, and undoes the import',
    async () => {
      await page.goto(server!.url);
      await waitForGraph(page);

      // Sign in: a wrong token is refused with the API's message, the right one shows the editor's name.
      await page.getByTestId('sign-in-open').click();
      const token = page.getByTestId('sign-in-token');
      await expect.poll(() => token.evaluate((el) => el === (globalThis as unknown as TestGlobal).document.activeElement)).toBe(true);
      expect(await token.getAttribute('type')).toBe('password');
      await token.fill('not-a-real-token-0123456789');
      await page.getByTestId('sign-in-submit').click();
      await expect.poll(() => page.getByTestId('sign-in-error').textContent(), { timeout: 10_000 }).toContain('not an editor token');
      // The refused token's field is framed in red (#b42318, the edit forms' error colour).
      expect(await token.evaluate((el) => (globalThis as unknown as { getComputedStyle(el: unknown): { borderTopColor: string } }).getComputedStyle(el).borderTopColor)).toBe('rgb(180, 35, 24)');
      await token.fill(TOKEN);
      await page.getByTestId('sign-in-submit').click();
      await expect.poll(() => page.getByTestId('session-name').textContent(), { timeout: 10_000 }).toContain('ui');
      expect(await page.getByTestId('sign-in-dialog').evaluate((el) => (el as unknown as { open: boolean }).open)).toBe(false);

      // Before the import the programme is not in the graph.
      expect(await suggestions('Demographic')).not.toContain(PROGRAMME);

      // Import: focus on the file field, Escape closes the dialog; then the dry run.
      const dialog = page.getByTestId('import-dialog');
      const isOpen = () => dialog.evaluate((el) => (el as unknown as { open: boolean }).open).catch(() => false);
      await page.getByTestId('import-open').click();
      await expect.poll(isOpen, { timeout: 10_000 }).toBe(true);
      await expect.poll(() => page.getByTestId('import-file').evaluate((el) => el === (globalThis as unknown as TestGlobal).document.activeElement)).toBe(true);
      await page.keyboard.press('Escape');
      await expect.poll(isOpen).toBe(false);
      await page.getByTestId('import-open').click();
      await expect.poll(isOpen).toBe(true);
      await page.getByTestId('import-file').setInputFiles(FILE);
      const plan = page.getByTestId('import-plan');
      await expect.poll(() => plan.count(), { timeout: 30_000 }).toBe(1);
      expect(await plan.getAttribute('data-activities')).toBe('54');
      expect(await plan.getAttribute('data-conflicts')).toBe('0');
      expect(await page.getByTestId('import-activities').textContent()).toContain('54 activities');
      expect(Number(await page.getByTestId('plan-created').textContent())).toBeGreaterThan(54);
      expect(await page.getByTestId('plan-khmer').textContent()).toMatch(/\d+ imported records have no Khmer name/);
      expect(await plan.textContent()).toContain('Skipped');
      const apply = page.getByTestId('import-apply');
      expect(await apply.isEnabled()).toBe(true);
      await page.screenshot({ path: artifact('import-dialog-plan.png') });

      // Apply: the result, and the graph reloaded.
      await apply.click();
      const result = page.getByTestId('import-result');
      await expect.poll(() => result.count(), { timeout: 60_000 }).toBe(1);
      expect(await page.getByTestId('import-done').textContent()).toMatch(/Imported: [1-9]\d* created, \d+ updated, \d+ unchanged\./);
      expect(await result.textContent()).toContain('The graph was reloaded');
      await page.screenshot({ path: artifact('import-dialog.png') });

      // Found by search once the dialog is closed.
      await page.keyboard.press('Escape');
      await expect.poll(isOpen).toBe(false);
      await waitForGraph(page);
      expect(await suggestions('Demographic')).toContain(PROGRAMME);

      // Reopened, the dialog still offers to undo the import; undone, the programme is gone from search.
      await page.getByTestId('import-open').click();
      await expect.poll(isOpen).toBe(true);
      await page.getByTestId('import-undo').click();
      await expect.poll(() => page.getByTestId('import-undone').count(), { timeout: 30_000 }).toBe(1);
      await page.keyboard.press('Escape');
      await expect.poll(isOpen).toBe(false);
      await waitForGraph(page);
      expect(await suggestions('Demographic')).not.toContain(PROGRAMME);

      // In Khmer: the header control and the dialog in Khmer script.
      await page.locator('[data-lang="km"]').click();
      await expect.poll(() => page.evaluate(() => (globalThis as unknown as TestGlobal).document.documentElement.lang)).toBe('km');
      expect(await page.getByTestId('import-open').textContent()).toContain('នាំចូល');
      await page.getByTestId('import-open').click();
      await expect.poll(isOpen).toBe(true);
      expect(await dialog.textContent()).toContain('នាំចូលឯកសារ');
      await page.screenshot({ path: artifact('import-dialog-km.png') });
      await page.keyboard.press('Escape');

      // Sign out: the sign-in button is back.
      await page.getByTestId('sign-out').click();
      await expect.poll(() => page.getByTestId('sign-in-open').count(), { timeout: 10_000 }).toBe(1);
      expect(errors.filter((e) => !/401|Unauthorized/.test(e))).toEqual([]);
    },
    TIMEOUT,
  );
});
