/**
 * End to end, the first screen before the graph engine (issue 18, item 3): on a phone (390×844, touch), in English
 * and Khmer, with the Cytoscape chunk held back (as on a slow network), the DAR scene is listed as plain HTML — DAR
 * and the nodes linked to it, as buttons — a tap on one opens its panel in the bottom sheet, and the search box
 * answers; once the chunk arrives the graph is drawn and the list goes away. The first load asks for DAR's API
 * answers once each (web/public/first-data.js asks for them while the code downloads; the app takes its answers). Screenshots go to
 * tests/artifacts/first-screen-<lang>.png.
 */
import type { Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ExplorerSession, artifact, panelNodeId, startExplorerSession, waitForGraph } from './e2e-support.ts';

const TIMEOUT = 240_000;

describe('the first screen on a phone, before the graph engine arrives', () => {
  let session: ExplorerSession | undefined;

  beforeAll(async () => {
    session = await startExplorerSession({
      name: 'e2e-first-screen',
      context: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, serviceWorkers: 'block' },
    });
  }, TIMEOUT);

  afterAll(async () => {
    await session?.close();
  }, TIMEOUT);

  for (const lang of ['en', 'km'] as const) {
    it(
      `in ${lang === 'en' ? 'English' : 'Khmer'}, lists DAR and its links as buttons that open the panel, then gives way to the graph`,
      async () => {
        const { page, server } = session!;
        const held: Route[] = [];
        let release = false;
        await page.route(/\/assets\/cytoscape\.esm-[^/]*\.js$/, (route) => {
          if (release) void route.continue();
          else held.push(route);
        });
        const api: string[] = [];
        const onRequest = (request: { url(): string }) => {
          if (request.url().includes('/api/nodes/dar')) api.push(request.url().replace(server.url, ''));
        };
        page.on('request', onRequest);
        try {
          await page.goto(`${server.url}/?lang=${lang}`);
          const preview = page.getByTestId('graph-preview');
          await preview.locator('li button').first().waitFor({ timeout: 60_000 });
          expect(await preview.getAttribute('data-focus')).toBe('dar');
          expect(Number(await preview.getAttribute('data-rows'))).toBeGreaterThan(3);
          if (lang === 'en') expect(await preview.locator('button.head').textContent()).toContain('Decentralisation and Administrative Reform');
          if (lang === 'km') expect(await preview.textContent()).toMatch(/[\u1780-\u17FF]/);
          // The graph engine is asked for once the first data is in (a moment after the preview may show, on a fast
          // start) and is still held back: the preview stays and nothing is drawn yet.
          await vi.waitFor(() => expect(held.length).toBe(1), { timeout: 30_000, interval: 50 });
          expect(Number(await preview.getAttribute('data-rows'))).toBeGreaterThan(3);
          expect(await page.evaluate(() => '__cy' in globalThis)).toBe(false);
          await page.screenshot({ path: artifact(`first-screen-${lang}.png`) });

          // A tap on a linked node opens its panel in the sheet.
          const row = preview.locator('li button').nth(1);
          const id = await row.getAttribute('data-id');
          await row.tap();
          await page.waitForFunction(
            (want) => (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(a: string): string | null } | null } }).document.querySelector('[data-testid="panel"]')?.getAttribute('data-node-id') === want,
            id,
            { timeout: 30_000 },
          );
          expect(await panelNodeId(page)).toBe(id);
          expect(await page.getByTestId('side-panel').getAttribute('data-sheet')).toBe('open');
          await page.getByTestId('sheet-handle').tap();

          // The search box answers.
          const search = page.getByTestId('search-input');
          await search.tap();
          await search.fill('decentral');
          await page.locator('[data-testid="search-suggestions"] [role="option"]').first().waitFor({ timeout: 30_000 });

          // DAR's details and links were asked for once each: the early answers were used.
          expect(api.filter((url) => url === '/api/nodes/dar')).toHaveLength(1);
          expect(api.filter((url) => url.startsWith('/api/nodes/dar/neighbours'))).toHaveLength(1);

          // The engine arrives: the graph is drawn and the list goes away.
          release = true;
          for (const route of held.splice(0)) await route.continue();
          await waitForGraph(page, { view: 'explore', moreThan: 1 });
          await preview.waitFor({ state: 'detached', timeout: 30_000 });
        } finally {
          page.off('request', onRequest);
          await page.unroute(/\/assets\/cytoscape\.esm-[^/]*\.js$/);
        }
        expect(session!.errors).toEqual([]);
      },
      TIMEOUT,
    );
  }
});
