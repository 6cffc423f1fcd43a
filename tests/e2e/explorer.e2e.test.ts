/**
 * End to end, Explore: the real server (seeded embedded store in a fresh DATA_DIR) and the built explorer in
 * Debian's Chromium. Opens on DAR; searches in Khmer; expands by double-click and by relationship type with a
 * cap and "show more" (context menu); collapses, hides and pins; undo, redo, back and forward; switches
 * language (remembered, in the URL); keyboard (Tab order, arrows, Enter, the menu key) and the list; an API
 * error and retry. Screenshots go to tests/artifacts/ for a person to look at.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerProcess } from '../support/server-process.ts';
import {
  type ExplorerSession,
  type TestGlobal,
  artifact,
  gate,
  clickablePoint,
  selectNode,
  stablePoint,
  drawnRefs,
  graphState,
  params,
  startExplorerSession,
  waitForGraph,
} from './e2e-support.ts';

const TIMEOUT = 150_000;

interface NeighbourPage {
  total: number;
  nodes: { id: string }[];
}

let server: ServerProcess | undefined;
let browser: Browser | undefined;
let page: Page;
let pageErrors: string[] = [];

async function neighbours(id: string): Promise<NeighbourPage> {
  return (await (await fetch(`${server!.url}/api/nodes/${encodeURIComponent(id)}/neighbours?limit=500`)).json()) as NeighbourPage;
}

/** The selected node, as the side panel shows it (the URL leaves out the default, DAR). */
async function selected(): Promise<string | null> {
  return page.getByTestId('panel').getAttribute('data-node-id', { timeout: 1000 }).catch(() => null);
}

/** Opens the context menu of a drawn node with a right click. */
async function openMenu(id: string): Promise<void> {
  // Bring the node into the middle of the view, where nothing covers it, and right-click it once it stands still;
  // again if the graph moved under the click (a busy machine), at most three times.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    await page.evaluate((nodeId) => {
      const cy = (globalThis as unknown as TestGlobal).__cy as unknown as { center(e: unknown): void; getElementById(id: string): unknown };
      cy.center(cy.getElementById(nodeId));
    }, id);
    const point = await stablePoint(page, id);
    expect(point, `node ${id} is on screen`).not.toBeNull();
    await page.mouse.click(point!.x, point!.y, { button: 'right' });
    const opened = await page
      .getByTestId('context-menu')
      .waitFor({ timeout: 5_000 })
      .then(() => true)
      .catch(() => false);
    if (opened) return;
  }
  throw new Error(`right-clicking node ${id} three times did not open its menu`);
}

let session: ExplorerSession | undefined;

beforeAll(async () => {
  session = await startExplorerSession({ name: 'e2e' });
  ({ server, browser, page } = session);
  pageErrors = session.errors;
}, TIMEOUT);

afterAll(async () => {
  await session?.close();
}, TIMEOUT);

describe('Explore', () => {
  it(
    'opens on DAR, searches in Khmer, expands by double-click and by relationship with a cap, and switches language',
    async () => {
      const base = server!.url;
      await page.goto(base);
      const opened = await waitForGraph(page, { view: 'explore', moreThan: 1 });
      const dar = await neighbours('dar');
      expect(opened.nodes).toBe(Math.min(dar.total, 40) + 1);
      expect(opened.links).toBeGreaterThanOrEqual(opened.nodes - 1);
      expect(await drawnRefs(page)).toContain('dar');
      await expect.poll(() => page.getByTestId('panel').getAttribute('data-node-id')).toBe('dar');
      expect(params(page).get('v')).toBe('explore');
      expect(params(page).get('lang')).toBe('en');
      await expect.poll(() => page.getByTestId('graph-status').textContent()).toContain(`${opened.nodes} nodes`);
      expect(await page.getByTestId('list-nodes').locator('tbody tr').count()).toBe(opened.nodes);

      // Search in Khmer: the Ministry of Civil Service comes first; Enter picks it.
      const input = page.getByTestId('search-input');
      await input.click();
      await input.pressSequentially('មុខងារសាធារណៈ', { delay: 20 });
      const first = page.getByTestId('search-suggestions').getByRole('option').first();
      await expect.poll(() => first.getAttribute('data-id'), { timeout: 15_000 }).toBe('mcs');
      await input.press('Enter');
      await expect.poll(() => page.getByTestId('panel').getAttribute('data-node-id')).toBe('mcs');
      await expect.poll(() => page.getByTestId('panel-title').textContent()).toContain('Ministry of Civil Service');
      expect(params(page).get('f')).toBe('mcs');
      const afterSearch = await waitForGraph(page, { moreThan: 1 });
      expect(afterSearch.nodes).toBeGreaterThanOrEqual(opened.nodes);

      // Double-click a drawn node that has neighbours not drawn yet: the graph grows.
      const drawn = new Set(await drawnRefs(page));
      // A double-click on a node not expanded yet shows its first 40 links (by link id): pick one where those bring
      // a node not drawn yet. (Expanded nodes — DAR, the searched node, those in `x` — only grow by more pages.)
      const expanded = new Set(['dar', params(page).get('f') ?? '', ...(params(page).get('x') ?? '').split(',').map((e) => e.replace(/^!/, '').split(':')[0]!)]);
      let target: { id: string; point: { x: number; y: number } } | undefined;
      for (const id of drawn) {
        if (expanded.has(id)) continue;
        const firstPage = (await (await fetch(`${server!.url}/api/nodes/${encodeURIComponent(id)}/neighbours?limit=40`)).json()) as NeighbourPage;
        if (!firstPage.nodes.some((node) => !drawn.has(node.id))) continue;
        const point = await clickablePoint(page, id);
        if (point) {
          target = { id, point };
          break;
        }
      }
      expect(target, 'a visible node with neighbours not drawn yet').toBeDefined();
      // Select it first and let the panel and the graph settle, so nothing moves between the two clicks.
      await selectNode(page, target!.id);
      // A busy machine can stretch the two clicks past Cytoscape's double-tap window (CI failed once with nothing
      // wrong): as a user would, double-click again while the graph has not grown, at most four times.
      let grown = false;
      for (let attempt = 0; attempt < 4 && !grown; attempt += 1) {
        let still = await stablePoint(page, target!.id);
        if (!still) {
          // Something drawn over the graph (a panel, the tools) covers it now: bring it to the middle, as a user pans.
          await page.evaluate((id) => {
            const cy = (globalThis as unknown as TestGlobal & { __cy?: { center(e: unknown): void; getElementById(id: string): unknown } }).__cy;
            cy?.center(cy.getElementById(id));
          }, target!.id);
          still = (await stablePoint(page, target!.id)) ?? target!.point;
        }
        await page.mouse.dblclick(still.x, still.y);
        const deadline = Date.now() + 10_000;
        while (Date.now() < deadline && !grown) {
          grown = (await graphState(page)).nodes > afterSearch.nodes;
          if (!grown) await page.waitForTimeout(200);
        }
      }
      expect(grown, `double-clicking ${target!.id} draws more than ${afterSearch.nodes} nodes`).toBe(true);
      await waitForGraph(page, { moreThan: afterSearch.nodes });
      await expect.poll(() => page.getByTestId('panel').getAttribute('data-node-id')).toBe(target!.id);

      // Context menu on Battambang Province: its 14 districts by "← part of", 10 at first, then 4 more.
      await page.goto(`${base}/?v=explore&lang=en`);
      await waitForGraph(page, { moreThan: 1 });
      await openMenu('kh-02');
      const partOf = page.getByTestId('context-menu').locator('[data-type="PART_OF"][data-direction="in"]');
      await expect.poll(() => partOf.textContent()).toContain('(14)');
      await page.screenshot({ path: artifact('explore-context-menu.png') });
      await partOf.click();
      const districts = async () => (await drawnRefs(page)).filter((id) => /^kh-02\d\d$/.test(id)).length;
      await expect.poll(districts, { timeout: 30_000 }).toBe(10);
      expect(params(page).get('x')).toContain('kh-02:PART_OF:in:10');
      await waitForGraph(page);
      await openMenu('kh-02');
      await expect.poll(() => partOf.textContent()).toContain('10 of 14');
      await partOf.click();
      await expect.poll(districts, { timeout: 30_000 }).toBe(14);
      await waitForGraph(page);

      // Pin, hide, collapse; undo and redo; back and forward.
      await openMenu('kh-02');
      await page.getByTestId('context-menu').locator('[data-action="pin"]').click();
      await expect.poll(() => params(page).get('p') ?? '').toMatch(/^kh-02:-?\d+:-?\d+$/);
      await openMenu('kh-0201');
      await page.getByTestId('context-menu').locator('[data-action="hide"]').click();
      await expect.poll(() => params(page).get('h')).toBe('kh-0201');
      expect(await drawnRefs(page)).not.toContain('kh-0201');
      await openMenu('kh-02');
      await page.getByTestId('context-menu').locator('[data-action="collapse"]').click();
      await expect.poll(districts).toBe(0);
      await page.getByTestId('undo').click();
      await expect.poll(districts).toBe(13); // 14, one of them hidden
      await page.getByTestId('undo').click();
      await expect.poll(() => params(page).get('h')).toBeNull();
      await page.getByTestId('redo').click();
      await expect.poll(() => params(page).get('h')).toBe('kh-0201');
      await page.goBack();
      await expect.poll(() => params(page).get('h')).toBeNull();
      await page.goForward();
      await expect.poll(() => params(page).get('h')).toBe('kh-0201');
      await waitForGraph(page);
      await page.screenshot({ path: artifact('explore-en.png') });

      // Khmer: UI strings, panel, legend and captions change at once; remembered, and in the URL.
      await page.locator('button[data-lang="km"]').click();
      await expect.poll(() => page.evaluate(() => (globalThis as unknown as TestGlobal).document.documentElement.lang)).toBe('km');
      await expect.poll(() => params(page).get('lang')).toBe('km');
      await expect.poll(() => page.getByTestId('graph-status').textContent()).toContain('ថ្នាំង');
      await expect.poll(() => page.getByTestId('legend').textContent()).toContain('កម្មវិធី');
      await expect.poll(() => page.getByTestId('view-tabs').textContent()).toContain('ខ្សែស្រឡាយ');
      await expect.poll(() => page.getByTestId('list-nodes').locator('caption').textContent()).toContain('ថ្នាំង');
      const darCaption = await page.evaluate(() => String((globalThis as unknown as TestGlobal).__cy?.getElementById('dar').data('caption') ?? ''));
      expect(darCaption.replaceAll('\u200B', '')).toContain('កម្មវិធីកំណែទម្រង់');
      expect(await page.evaluate(() => (globalThis as unknown as TestGlobal).localStorage.getItem('dar-kg.lang'))).toBe('km');
      await page.waitForTimeout(600); // let the canvas redraw with the Khmer captions
      await page.screenshot({ path: artifact('explore-km.png') });

      await page.reload();
      await waitForGraph(page, { moreThan: 1 });
      await expect.poll(() => page.evaluate(() => (globalThis as unknown as TestGlobal).document.documentElement.lang)).toBe('km');
      await page.locator('button[data-lang="en"]').click();
      await expect.poll(() => params(page).get('lang')).toBe('en');
      expect(pageErrors).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'works from the keyboard: Tab reaches search, views, graph, list and panel; arrows move the selection; Enter expands',
    async () => {
      await page.goto(`${server!.url}/?v=explore&lang=en`);
      await waitForGraph(page, { moreThan: 1 });
      await page.locator('body').click({ position: { x: 5, y: 5 } });

      // Tab order: every region is reachable.
      const reached = new Set<string>();
      for (let i = 0; i < 80 && reached.size < 5; i++) {
        await page.keyboard.press('Tab');
        const where = await page.evaluate(() => {
          const active = (globalThis as unknown as TestGlobal).document.activeElement;
          if (!active) return '';
          if (active.getAttribute('data-testid') === 'search-input') return 'search';
          if (active.getAttribute('role') === 'tab') return 'views';
          if (active.getAttribute('data-testid') === 'graph') return 'graph';
          if (active.closest('[data-testid="scene-list"]')) return 'list';
          if (active.closest('aside')) return 'panel';
          return '';
        });
        if (where) reached.add(where);
      }
      expect([...reached].sort()).toEqual(['graph', 'list', 'panel', 'search', 'views']);

      // The graph: an application with a label that tells the counts and the keys.
      const graph = page.getByTestId('graph');
      expect(await graph.getAttribute('role')).toBe('application');
      expect(await graph.getAttribute('aria-label')).toMatch(/Graph of \d+ nodes and \d+ links/);
      await graph.focus();
      const before = await selected();
      for (const key of ['ArrowRight', 'ArrowDown', 'ArrowLeft', 'ArrowUp']) {
        await page.keyboard.press(key);
        await page.waitForTimeout(150);
        if ((await selected()) !== before) break;
      }
      await expect.poll(selected).not.toBe(before);
      const moved = (await selected())!;
      await expect.poll(() => page.getByTestId('panel').getAttribute('data-node-id')).toBe(moved);
      await expect.poll(() => page.locator(`[data-testid="list-nodes"] tr[data-id="${moved}"]`).getAttribute('aria-selected')).toBe('true');
      const count = (await graphState(page)).nodes;
      await page.keyboard.press('Enter');
      await expect.poll(() => params(page).get('x') ?? '').toContain(moved);
      await waitForGraph(page);
      expect((await graphState(page)).nodes).toBeGreaterThanOrEqual(count);

      // The menu key opens the context menu with its first item focused; Escape closes it and focus returns.
      await graph.focus();
      await page.keyboard.press('Shift+F10');
      await page.getByTestId('context-menu').waitFor();
      expect(await page.evaluate(() => (globalThis as unknown as TestGlobal).document.activeElement?.getAttribute('data-action'))).toBe('expand');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Escape');
      await expect.poll(() => page.getByTestId('context-menu').count()).toBe(0);
      expect(await page.evaluate(() => (globalThis as unknown as TestGlobal).document.activeElement?.getAttribute('data-testid'))).toBe('graph');

      // The list: a grid with a caption; arrows move the selection row by row; Enter expands.
      const rows = page.getByTestId('list-nodes').locator('tbody tr');
      expect(await page.getByTestId('list-nodes').getAttribute('role')).toBe('grid');
      await rows.first().focus();
      await page.keyboard.press('Home');
      const firstId = await rows.first().getAttribute('data-id');
      await expect.poll(selected).toBe(firstId);
      await page.keyboard.press('ArrowDown');
      const secondId = await rows.nth(1).getAttribute('data-id');
      await expect.poll(selected).toBe(secondId);
      expect(await page.evaluate(() => (globalThis as unknown as TestGlobal).document.activeElement?.getAttribute('data-id'))).toBe(secondId);
      await page.keyboard.press('Enter');
      await expect.poll(() => params(page).get('x') ?? '').toContain(secondId!);
      await waitForGraph(page);

      // "/" from anywhere but a field goes to the search (as on GitHub or Gmail); typed in a field it is a "/".
      const search = page.getByTestId('search-input');
      expect(await search.getAttribute('aria-keyshortcuts')).toBe('/');
      await graph.focus();
      await page.keyboard.press('/');
      await expect.poll(() => page.evaluate(() => (globalThis as unknown as TestGlobal).document.activeElement?.getAttribute('data-testid'))).toBe('search-input');
      expect(await search.inputValue()).toBe('');
      await page.keyboard.type('NCDD/S');
      expect(await search.inputValue()).toBe('NCDD/S');
      await search.fill('');
      await page.keyboard.press('Escape');
      await page.screenshot({ path: artifact('explore-keyboard.png') });
      expect(pageErrors).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'offers a district before its namesake communes, each with the areas it lies in, in English and Khmer',
    async () => {
      const context = await browser!.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
      const searchPage = await context.newPage();
      for (const [lang, query, province] of [
        ['en', 'Baray', 'Kampong Thom Province'],
        ['km', 'បារាយណ៍', 'ខេត្តកំពង់ធំ'],
      ] as const) {
        await searchPage.goto(`${server!.url}/?v=explore&lang=${lang}`);
        await waitForGraph(searchPage, { moreThan: 1 });
        const input = searchPage.getByTestId('search-input');
        await input.click();
        await input.pressSequentially(query, { delay: 20 });
        const options = searchPage.getByTestId('search-suggestions').getByRole('option');
        await expect.poll(() => options.first().getAttribute('data-id'), { timeout: 15_000 }).toBe('kh-0601');
        expect(await options.first().getByTestId('search-parents').textContent()).toContain(province);
        expect(await options.nth(1).getAttribute('data-id')).toBe('kh-031301');
        expect(await options.nth(1).getByTestId('search-parents').textContent()).toContain(lang === 'en' ? 'Kampong Cham Province' : 'ខេត្តកំពង់ចាម');
        await searchPage.screenshot({ path: artifact(`search-areas-${lang}.png`) });
      }
      await context.close();
    },
    TIMEOUT,
  );

  it(
    'shows the message of an API error, and recovers on retry',
    async () => {
      const context = await browser!.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
      const errorPage = await context.newPage();
      let failing = true;
      await errorPage.route('**/api/nodes/dar/neighbours*', (route) =>
        failing
          ? route.fulfill({
              status: 503,
              contentType: 'application/json',
              body: JSON.stringify({ error: { code: 'store_unavailable', message: 'The graph store is not reachable' } }),
            })
          : route.continue(),
      );
      // DAR's details answer late, after the click (as on a busy server): a retry must not reuse the failed answers
      // of the request the panel and the graph shared while its other half is still out (CI failed on this).
      const nodeAnswer = gate();
      await errorPage.route(/\/api\/nodes\/dar(\?.*)?$/, async (route) => {
        if (failing) await nodeAnswer.opened;
        await route.continue();
      });
      await errorPage.goto(`${server!.url}/?v=explore&lang=en`);
      const banner = errorPage.getByTestId('graph-error');
      await expect.poll(() => banner.textContent(), { timeout: 30_000 }).toContain('The graph store is not reachable');
      await errorPage.screenshot({ path: artifact('explorer-error.png') });

      failing = false;
      await banner.getByRole('button', { name: 'Try again' }).click();
      nodeAnswer.open();
      await waitForGraph(errorPage, { moreThan: 1 });
      expect(await banner.count()).toBe(0);
      await context.close();
    },
    TIMEOUT,
  );
});
