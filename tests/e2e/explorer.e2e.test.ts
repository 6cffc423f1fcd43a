/**
 * End to end: the real server (seeded embedded store in a fresh DATA_DIR) and the built explorer in Debian's
 * Chromium. Opens on DAR, searches in Khmer, expands a node by double-click, switches language, and saves
 * screenshots to tests/artifacts/ for a person to look at.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webBuildIsCurrent } from '../../server/web-build.ts';
import { ROOT } from '../support/seed-fixture.ts';
import { startServer, type ServerProcess } from '../support/server-process.ts';
import { tempDir } from '../support/temp-dir.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(ROOT, 'tests', 'artifacts');
const TIMEOUT = 120_000;

/** What the page exposes for tests: read-only views of the drawn graph. */
interface TestWindow {
  __cy?: {
    nodes(): { map<T>(fn: (node: { id(): string }) => T): T[] };
    getElementById(id: string): {
      empty(): boolean;
      data(key: string): unknown;
      renderedPosition(): { x: number; y: number };
    };
    container(): { getBoundingClientRect(): { left: number; top: number } } | null;
  };
}

/** The little of the browser's DOM the page functions below use (this file is compiled without the DOM lib). */
interface TestElement {
  getAttribute(name: string): string | null;
  contains(other: TestElement): boolean;
}
interface TestGlobal {
  document: {
    documentElement: { lang: string };
    querySelector(selector: string): TestElement | null;
    elementFromPoint(x: number, y: number): TestElement | null;
  };
  localStorage: { getItem(key: string): string | null };
}

interface NeighbourPage {
  total: number;
  nodes: { id: string }[];
}

let server: ServerProcess | undefined;
let dataDir: string | undefined;
let browser: Browser | undefined;
let page: Page;
const pageErrors: string[] = [];

async function waitForChromium(): Promise<void> {
  const deadline = Date.now() + 10 * 60_000;
  while (!fs.existsSync(CHROMIUM)) {
    if (Date.now() > deadline) throw new Error(`${CHROMIUM} is missing (apt-get install chromium fonts-khmeros)`);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
  }
}

/** Node and link counts as the page shows them (data- attributes of the graph view). */
async function drawnCounts(): Promise<{ nodes: number; links: number }> {
  const graph = page.getByTestId('graph');
  return {
    nodes: Number(await graph.getAttribute('data-nodes')),
    links: Number(await graph.getAttribute('data-links')),
  };
}

/** Waits until the graph is drawn, laid out, nothing is loading, and more than `moreThan` nodes are drawn. */
async function waitForGraph(moreThan = 1): Promise<void> {
  await page.waitForFunction(
    (min) => {
      const graph = (globalThis as unknown as TestGlobal).document.querySelector('[data-testid="graph"]');
      return graph?.getAttribute('data-ready') === 'true' && Number(graph.getAttribute('data-nodes')) > min;
    },
    moreThan,
    { timeout: 60_000 },
  );
}

async function drawnIds(): Promise<string[]> {
  return page.evaluate(() => (globalThis as unknown as TestWindow).__cy?.nodes().map((node) => node.id()) ?? []);
}

/** The page point of a node, when nothing (legend, buttons, banners) covers it. */
async function clickablePoint(id: string): Promise<{ x: number; y: number } | null> {
  return page.evaluate((nodeId) => {
    const cy = (globalThis as unknown as TestWindow).__cy;
    const node = cy?.getElementById(nodeId);
    const box = cy?.container()?.getBoundingClientRect();
    if (!cy || !node || node.empty() || !box) return null;
    const p = node.renderedPosition();
    const point = { x: box.left + p.x, y: box.top + p.y };
    const doc = (globalThis as unknown as TestGlobal).document;
    const hit = doc.elementFromPoint(point.x, point.y);
    const container = doc.querySelector('[data-testid="graph"]');
    return hit && container?.contains(hit) ? point : null;
  }, id);
}

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  if (!fs.existsSync(path.join(ROOT, 'web', 'dist', 'index.html')) || !webBuildIsCurrent()) {
    execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts'], { cwd: ROOT, stdio: 'inherit' });
  }
  dataDir = tempDir('dar-kg-e2e-');
  server = await startServer({ DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0' }, 90_000);
  await waitForChromium();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB' });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
}, TIMEOUT);

afterAll(async () => {
  await browser?.close();
  await server?.kill();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}, TIMEOUT);

describe('explorer', () => {
  it(
    'opens on DAR, searches in Khmer, expands a node and switches language',
    async () => {
      const base = server!.url;

      // Opens on DAR and its neighbourhood.
      await page.goto(base);
      await waitForGraph(1);
      const dar = (await (await fetch(`${base}/api/nodes/dar/neighbours?limit=500`)).json()) as NeighbourPage;
      const opened = await drawnCounts();
      expect(opened.nodes).toBe(Math.min(dar.total, 40) + 1);
      expect(opened.links).toBeGreaterThanOrEqual(opened.nodes - 1);
      expect(await drawnIds()).toContain('dar');
      await expect.poll(() => page.getByTestId('panel').getAttribute('data-node-id')).toBe('dar');
      await expect.poll(() => page.getByTestId('graph-status').textContent()).toContain(`${opened.nodes} nodes`);

      // Search in Khmer: the Ministry of Civil Service comes first; Enter picks it.
      const input = page.getByTestId('search-input');
      await input.click();
      await input.pressSequentially('មុខងារសាធារណៈ', { delay: 20 });
      const first = page.getByTestId('search-suggestions').getByRole('option').first();
      await expect.poll(() => first.getAttribute('data-id'), { timeout: 15_000 }).toBe('mcs');
      await expect.poll(() => first.getAttribute('aria-selected')).toBe('true');
      await input.press('Enter');
      await expect.poll(() => page.getByTestId('panel').getAttribute('data-node-id')).toBe('mcs');
      await expect.poll(() => page.getByTestId('panel-title').textContent()).toContain('Ministry of Civil Service');
      await waitForGraph(1);
      const afterSearch = await drawnCounts();
      expect(afterSearch.nodes).toBeGreaterThanOrEqual(opened.nodes);
      expect(await page.getByTestId('search-suggestions').isVisible()).toBe(false);

      // Double-click a drawn node that has neighbours not drawn yet: the graph grows.
      const drawn = new Set(await drawnIds());
      let target: { id: string; point: { x: number; y: number } } | undefined;
      for (const id of drawn) {
        const neighbours = (await (
          await fetch(`${base}/api/nodes/${encodeURIComponent(id)}/neighbours?limit=500`)
        ).json()) as NeighbourPage;
        if (!neighbours.nodes.some((node) => !drawn.has(node.id))) continue;
        const point = await clickablePoint(id);
        if (point) {
          target = { id, point };
          break;
        }
      }
      expect(target, 'a visible node with neighbours not drawn yet').toBeDefined();
      await page.mouse.dblclick(target!.point.x, target!.point.y);
      await expect.poll(async () => (await drawnCounts()).nodes, { timeout: 30_000 }).toBeGreaterThan(afterSearch.nodes);
      await waitForGraph(afterSearch.nodes);
      await expect.poll(() => page.getByTestId('panel').getAttribute('data-node-id')).toBe(target!.id);
      await page.screenshot({ path: path.join(ARTIFACTS, 'explorer-en.png') });

      // Khmer: UI strings, panel, legend and node captions change at once, and the choice is remembered.
      await page.locator('button[data-lang="km"]').click();
      await expect.poll(() => page.evaluate(() => (globalThis as unknown as TestGlobal).document.documentElement.lang)).toBe('km');
      await expect.poll(() => page.getByTestId('graph-status').textContent()).toContain('ថ្នាំង');
      await expect.poll(() => page.getByTestId('legend').textContent()).toContain('កម្មវិធី');
      const darCaption = await page.evaluate(() =>
        String((globalThis as unknown as TestWindow).__cy?.getElementById('dar').data('caption') ?? ''),
      );
      expect(darCaption.replaceAll('\u200B', '')).toContain('កម្មវិធីកំណែទម្រង់');
      expect(await page.evaluate(() => (globalThis as unknown as TestGlobal).localStorage.getItem('dar-kg.lang'))).toBe('km');
      await page.waitForTimeout(600); // let the canvas redraw with the Khmer captions
      await page.screenshot({ path: path.join(ARTIFACTS, 'explorer.png') });

      await page.reload();
      await waitForGraph(1);
      await expect.poll(() => page.evaluate(() => (globalThis as unknown as TestGlobal).document.documentElement.lang)).toBe('km');
      await expect.poll(() => page.getByTestId('panel-title').textContent()).toContain('កម្មវិធីកំណែទម្រង់');

      expect(pageErrors).toEqual([]);
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
      await errorPage.goto(server!.url);
      const banner = errorPage.getByTestId('graph-error');
      await expect.poll(() => banner.textContent(), { timeout: 30_000 }).toContain('The graph store is not reachable');
      await errorPage.screenshot({ path: path.join(ARTIFACTS, 'explorer-error.png') });

      failing = false;
      await banner.getByRole('button', { name: 'Try again' }).click();
      await errorPage.waitForFunction(
        () => {
          const graph = (globalThis as unknown as TestGlobal).document.querySelector('[data-testid="graph"]');
          return graph?.getAttribute('data-ready') === 'true' && Number(graph.getAttribute('data-nodes')) > 1;
        },
        null,
        { timeout: 60_000 },
      );
      expect(await banner.count()).toBe(0);
      await context.close();
    },
    TIMEOUT,
  );
});
