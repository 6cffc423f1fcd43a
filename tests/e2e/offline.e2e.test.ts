/**
 * In the field with no connection (issue 18, offline): the explorer installs a service worker, keeps the app and
 * the scenes a user opened, and opens them again with the network off, saying "offline — shown as of …"; an edit
 * without a connection says it needs one and nothing is queued.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerProcess } from '../support/server-process.ts';
import { type ExplorerSession, type TestGlobal, artifact, graphState, signIn, startExplorerSession, waitForGraph } from './e2e-support.ts';

const TIMEOUT = 240_000;
const TOKEN = 'e2e-offline-token-0123456789abcdef';

let server: ServerProcess | undefined;
let page: Page;
let session: ExplorerSession | undefined;

beforeAll(async () => {
  session = await startExplorerSession({ name: 'offline', env: { EDITOR_TOKENS: `dara:${TOKEN}` } });
  ({ server, page } = session);
}, TIMEOUT);

afterAll(async () => {
  await session?.close();
}, TIMEOUT);

/** The drawn graph's height on screen (0 when the layout gives it no room). */
async function graphHeight(target: Page): Promise<number> {
  return target.locator('[data-testid="graph"]').evaluate((el) => el.getBoundingClientRect().height);
}

/** Waits until a service worker controls the page (it claims open pages once activated). */
async function controlled(): Promise<boolean> {
  return page.evaluate(async () => {
    const nav = (globalThis as unknown as TestGlobal & { navigator: { serviceWorker: { ready: Promise<unknown>; controller: object | null } } }).navigator;
    await nav.serviceWorker.ready;
    return nav.serviceWorker.controller !== null;
  });
}

describe('offline', () => {
  it(
    'installs as a web app, reopens a visited scene with no network under a dated banner, and refuses an offline edit',
    async () => {
      const scene = `${server!.url}/?v=explore&f=mcs&lang=en`;
      // The app manifest and its icons are served.
      const manifest = (await (await fetch(`${server!.url}/manifest.webmanifest`)).json()) as { name: string; start_url: string; icons: { src: string; sizes: string }[] };
      expect(manifest.name).toBe('DAR Knowledge Graph');
      expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
      for (const icon of manifest.icons) expect((await fetch(`${server!.url}${icon.src}`)).status, icon.src).toBe(200);
      const sw = await fetch(`${server!.url}/sw.js`);
      expect(sw.status).toBe(200);
      expect(sw.headers.get('cache-control')).toBe('no-cache');

      await page.goto(scene);
      await waitForGraph(page, { moreThan: 1 });
      await expect.poll(controlled, { timeout: 60_000 }).toBe(true);
      // Visit it again under the worker, so its answers are kept.
      await page.reload();
      const online = await waitForGraph(page, { moreThan: 1 });
      await expect.poll(() => page.getByTestId('panel').getAttribute('data-node-id')).toBe('mcs');
      expect(await page.getByTestId('offline-banner').count()).toBe(0);

      // Signed in and with the new-node form open, the connection drops: saving says it needs one.
      await signIn(page, TOKEN, 'dara');
      await page.getByTestId('edit-mode').click();
      await page.getByTestId('edit-new-node').click();
      await page.locator('#node-form-name_en').fill('Offline Programme');
      await page.locator('#node-form-name_km').fill('កម្មវិធីក្រៅបណ្តាញ');
      await page.locator('#node-form-sources').fill('https://example.org/offline');
      await session!.context.setOffline(true);
      await expect.poll(() => page.getByTestId('offline-banner').textContent()).toContain('Offline');
      await page.getByTestId('node-form-submit').click();
      await expect.poll(() => page.getByTestId('node-form-error').textContent()).toContain('You are offline: this needs a connection. Nothing was saved or sent.');
      await page.screenshot({ path: artifact('offline-edit-refused.png') });

      // Reopened with no network: the same scene, from the kept copy, with the date it was received.
      await page.goto(scene);
      const offline = await waitForGraph(page, { moreThan: 1 });
      expect(offline.nodes).toBe(online.nodes);
      // Under the banner, the graph keeps the room it had (the banner took the graph's row of the page's grid once).
      expect(await graphHeight(page)).toBeGreaterThan(400);
      await expect.poll(() => page.getByTestId('panel').getAttribute('data-node-id')).toBe('mcs');
      await expect.poll(() => page.getByTestId('panel-title').textContent()).toContain('Ministry of Civil Service');
      const banner = page.getByTestId('offline-banner');
      await expect.poll(() => banner.textContent()).toMatch(/^\s*Offline — shown as of \d{1,2} \w{3} \d{4}, \d{2}:\d{2}\. Edits need a connection\.\s*$/);
      const asOf = Date.parse((await banner.getAttribute('data-as-of')) ?? '');
      expect(Date.now() - asOf).toBeGreaterThanOrEqual(0);
      expect(Date.now() - asOf).toBeLessThan(60 * 60 * 1000);
      await page.screenshot({ path: artifact('offline-en.png') });

      // In Khmer too.
      await page.locator('[data-lang="km"]').click();
      await expect.poll(() => banner.textContent()).toContain('គ្មានអ៊ីនធឺណិត');
      await page.screenshot({ path: artifact('offline-km.png') });

      // Back online: the next answer is live and the banner goes.
      await session!.context.setOffline(false);
      await page.goto(scene);
      await waitForGraph(page, { moreThan: 1 });
      await expect.poll(() => page.getByTestId('offline-banner').count()).toBe(0);
      expect((await graphState(page)).nodes).toBe(online.nodes);
    },
    TIMEOUT,
  );

  it(
    "the issue's done-when: on a phone, DAR's lineage opened from a link and read in Khmer, opened again with no connection",
    async () => {
      // A phone of its own (390 × 844, touch), as a staff member's would be: a new browser context, no state shared.
      const phone = await startExplorerSession({
        name: 'offline-phone',
        context: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'km-KH' },
      });
      try {
        const link = `${phone.server.url}/?v=lineage&f=dar&lang=km`;
        const p = phone.page;
        const read = async () => {
          const state = await waitForGraph(p, { view: 'lineage', moreThan: 1 });
          await expect.poll(() => p.evaluate(() => (globalThis as unknown as TestGlobal).document.documentElement.lang)).toBe('km');
          await expect.poll(() => p.getByTestId('panel').getAttribute('data-node-id')).toBe('dar');
          await expect.poll(() => p.getByTestId('panel-title').textContent()).toMatch(/[\u1780-\u17FF]/);
          return state;
        };
        await p.goto(link);
        await read();
        await expect.poll(() => p.evaluate(async () => {
          const nav = (globalThis as unknown as { navigator: { serviceWorker: { ready: Promise<unknown>; controller: object | null } } }).navigator;
          await nav.serviceWorker.ready;
          return nav.serviceWorker.controller !== null;
        }), { timeout: 60_000 }).toBe(true);
        await p.reload(); // read once more under the worker, which keeps its answers
        const online = await read();

        // The next day: no connection, the same link.
        await phone.context.setOffline(true);
        await p.goto(link);
        const offline = await read();
        expect(offline.nodes).toBe(online.nodes);
        expect(await graphHeight(p)).toBeGreaterThan(300); // drawn where it can be seen, under the banner
        await expect.poll(() => p.getByTestId('offline-banner').textContent()).toContain('គ្មានអ៊ីនធឺណិត');
        // The date as Khmer writes it: a Khmer month name, not the "2026 M12 3" of a browser without Khmer dates.
        const banner = (await p.getByTestId('offline-banner').textContent()) ?? '';
        expect(banner).toMatch(/\d{1,2} (មករា|កុម្ភៈ|មីនា|មេសា|ឧសភា|មិថុនា|កក្កដា|សីហា|កញ្ញា|តុលា|វិច្ឆិកា|ធ្នូ) \d{4}, \d{2}:\d{2}/);
        const width = await p.evaluate(() => {
          const g = globalThis as unknown as { document: { documentElement: { scrollWidth: number } }; innerWidth: number };
          return { scroll: g.document.documentElement.scrollWidth, inner: g.innerWidth };
        });
        expect(width.scroll).toBe(width.inner);
        await p.screenshot({ path: artifact('offline-lineage-phone-km.png') });
      } finally {
        await phone.close();
      }
    },
    TIMEOUT,
  );
});
