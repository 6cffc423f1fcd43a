/**
 * End to end, Lineage at the size of the whole field: the landscape seed (Cambodia's D&D reform 1992–2030 in
 * national, fund and donor lanes, laws and elections, SUPPORTS), in Khmer and in English. It opens
 * at a readable zoom; no bar, chip or marker caption overlaps another (measured on the drawn labels, in both
 * languages); the chain picker and lane folding live in the URL and reopen from a link. Screenshots at the
 * opening zoom and fitted to the screen go to tests/artifacts/ (lineage-landscape-*.png).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifact, params, startExplorerSession, waitForGraph, type ExplorerSession } from './e2e-support.ts';

const TIMEOUT = 180_000;

let session: ExplorerSession | undefined;

interface Box {
  id: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** The drawn boxes (node and label, model coordinates) of bars, chips and captioned markers. */
async function drawnBoxes(page: Page): Promise<Box[]> {
  return page.evaluate(() => {
    type Cy = {
      nodes(selector: string): { map<T>(fn: (n: { id(): string; data(k: string): unknown; boundingBox(o: object): { x1: number; y1: number; x2: number; y2: number } }) => T): T[] };
    };
    const cy = (globalThis as unknown as { __cy: Cy }).__cy;
    return cy
      .nodes('node.bar, node.chip, node.marker')
      .map((n) => ({ id: n.id(), caption: String(n.data('caption') ?? ''), box: n.boundingBox({ includeLabels: true, includeOverlays: false }) }))
      .map(({ id, box }) => ({ id, x1: box.x1, y1: box.y1, x2: box.x2, y2: box.y2 }));
  });
}

function overlaps(boxes: Box[], slack = 1): string[] {
  const out: string[] = [];
  for (const [i, a] of boxes.entries()) {
    for (const b of boxes.slice(i + 1)) {
      if (a.x1 + slack < b.x2 && b.x1 + slack < a.x2 && a.y1 + slack < b.y2 && b.y1 + slack < a.y2) out.push(`${a.id} × ${b.id}`);
    }
  }
  return out;
}

const zoom = (page: Page) => page.evaluate(() => (globalThis as unknown as { __cy: { zoom(): number } }).__cy.zoom());
const hasClass = (page: Page, id: string, name: string) =>
  page.evaluate(([nodeId, cls]) => (globalThis as unknown as { __cy: { getElementById(id: string): { hasClass(c: string): boolean } } }).__cy.getElementById(nodeId!).hasClass(cls!), [id, name]);
const drawn = (page: Page, id: string) =>
  page.evaluate((nodeId) => !(globalThis as unknown as { __cy: { getElementById(id: string): { empty(): boolean } } }).__cy.getElementById(nodeId).empty(), id);

beforeAll(async () => {
  session = await startExplorerSession({ name: 'e2e-landscape' });
}, TIMEOUT);

afterAll(async () => {
  await session?.close();
}, TIMEOUT);

describe('Lineage of the whole field', () => {
  for (const lang of ['km', 'en'] as const) {
    it(
      `opens readable, with nothing overlapping, following NP-2's chain (${lang})`,
      async () => {
        const { page, server } = session!;
        await page.goto(`${server.url}/?v=lineage&a=np-2&f=np-2&lang=${lang}`);
        await waitForGraph(page, { view: 'lineage', moreThan: 30 });
        await page.waitForTimeout(500);
        // Readable: not fitted down to 40 years.
        expect(await zoom(page)).toBeGreaterThanOrEqual(0.85);
        await page.screenshot({ path: artifact(`lineage-landscape-${lang}.png`) });
        expect(await hasClass(page, 'np-2', 'followed')).toBe(true);
        expect(await hasClass(page, 'seila', 'followed')).toBe(true);
        expect(await hasClass(page, 'rilgp', 'followed')).toBe(false);
        expect(await hasClass(page, 'organic-law-2008', 'marker')).toBe(true);
        expect(await hasClass(page, 'commune-election-2017', 'marker-event')).toBe(true);
        // Nothing overlaps: bars with their names, chips, markers with their captions, as the browser drew them.
        const boxes = await drawnBoxes(page);
        expect(boxes.length).toBeGreaterThan(40);
        expect(overlaps(boxes)).toEqual([]);
        // The whole field fitted to the screen.
        await page.getByRole('button', { name: lang === 'km' ? 'បង្ហាញពេញអេក្រង់' : 'Fit to screen' }).click();
        await page.waitForTimeout(800);
        await page.screenshot({ path: artifact(`lineage-landscape-${lang}-fit.png`) });
        expect(session!.errors).toEqual([]);
      },
      TIMEOUT,
    );
  }

  it(
    'follows another chain from the picker and folds a lane, both in the URL, and a link reopens them',
    async () => {
      const { page, server, browser } = session!;
      await page.goto(`${server.url}/?v=lineage&lang=en`);
      await waitForGraph(page, { view: 'lineage', moreThan: 10 });
      // DAR's chain by default (the anchor), ISD II its head.
      expect(await hasClass(page, 'dar', 'followed')).toBe(true);
      await page.getByTestId('lineage-follow').selectOption('np-2');
      await expect.poll(() => params(page).get('a')).toBe('np-2');
      await waitForGraph(page, { view: 'lineage', moreThan: 30 });
      await expect.poll(() => hasClass(page, 'np-sndd', 'followed')).toBe(true);
      expect(await hasClass(page, 'dar', 'followed')).toBe(false);

      await page.locator('[data-testid="lineage-controls"] button[data-lane="donor"]').click();
      await expect.poll(() => params(page).get('fold')).toBe('donor');
      await expect.poll(() => drawn(page, 'rilgp')).toBe(false);
      expect(await drawn(page, 'np-2')).toBe(true);
      expect(await page.locator('[data-testid="lineage-controls"] button[data-lane="donor"]').getAttribute('aria-pressed')).toBe('false');

      const fresh = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const other = await fresh.newPage();
      await other.goto(page.url());
      await waitForGraph(other, { view: 'lineage', moreThan: 10 });
      expect(await drawn(other, 'rilgp')).toBe(false);
      expect(await hasClass(other, 'np-sndd', 'followed')).toBe(true);
      await fresh.close();

      await page.locator('[data-testid="lineage-controls"] button[data-lane="donor"]').click();
      await expect.poll(() => params(page).get('fold')).toBe(null);
      await expect.poll(() => drawn(page, 'rilgp')).toBe(true);
    },
    TIMEOUT,
  );

  it(
    'lists the laws in Documents with their dates and references',
    async () => {
      const { page, server } = session!;
      await page.goto(`${server.url}/?v=documents&lang=km`);
      const laws = page.getByTestId('laws');
      await laws.waitFor({ timeout: 30_000 });
      await expect.poll(() => laws.locator('li[data-law]').count()).toBeGreaterThanOrEqual(6);
      const organic = laws.locator('li[data-id="organic-law-2008"]');
      expect(await organic.textContent()).toContain('NS/RKM/0508/017');
      expect(await organic.textContent()).toContain('2008');
      expect(await organic.textContent()).toContain('ព្រះរាជក្រម');
      await page.screenshot({ path: artifact('documents-laws-km.png') });
    },
    TIMEOUT,
  );
});
