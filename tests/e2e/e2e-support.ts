/**
 * What the end-to-end files share: the built explorer (built once even when files run in parallel), Debian's
 * Chromium with the agreed flags, and small readers of what the page shows (the graph view's data- attributes
 * and its read-only Cytoscape handle). This file is compiled without the DOM library: page functions reach the
 * browser's globals through the small interfaces below.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { webBuildIsCurrent } from '../../server/web-build.ts';
import { findChromium } from '../support/chromium.ts';
import { ROOT } from '../support/seed-fixture.ts';
import { startServer, type ServerProcess } from '../support/server-process.ts';
import { tempDir } from '../support/temp-dir.ts';

/** The Chromium the e2e half drives (CHROMIUM_PATH, the usual places, Playwright's cache): tests/support/chromium.ts. */
export const CHROMIUM = findChromium().path ?? '/usr/bin/chromium';
export const ARTIFACTS = path.join(ROOT, 'tests', 'artifacts');
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The little of Cytoscape the page functions read. */
export interface TestCy {
  nodes(): TestCollection;
  edges(): TestCollection;
  getElementById(id: string): TestElement;
  container(): { getBoundingClientRect(): { left: number; top: number; width: number; height: number } } | null;
  zoom(): number;
}
export interface TestCollection {
  length: number;
  map<T>(fn: (element: TestElement) => T): T[];
  filter(fn: (element: TestElement) => boolean): TestCollection;
}
export interface TestElement {
  id(): string;
  empty(): boolean;
  data(key: string): unknown;
  hasClass(name: string): boolean;
  position(): { x: number; y: number };
  renderedPosition(): { x: number; y: number };
  selected(): boolean;
}
export interface TestDomElement {
  getAttribute(name: string): string | null;
  contains(other: TestDomElement): boolean;
  tagName: string;
  textContent: string | null;
  closest(selector: string): TestDomElement | null;
}
export interface TestGlobal {
  __cy?: TestCy;
  document: {
    documentElement: { lang: string };
    activeElement: TestDomElement | null;
    querySelector(selector: string): TestDomElement | null;
    querySelectorAll(selector: string): { length: number };
    elementFromPoint(x: number, y: number): TestDomElement | null;
  };
  localStorage: { getItem(key: string): string | null };
  location: { href: string };
  performance: { getEntriesByName(name: string): { startTime: number; duration: number }[] };
}

export const g = () => globalThis as unknown as TestGlobal;

/** Builds web/dist when it is missing or older than its sources; one file builds, others wait for it. */
export function ensureWebBuild(): void {
  const lock = path.join(ROOT, 'web', '.e2e-build.lock');
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    if (fs.existsSync(path.join(ROOT, 'web', 'dist', 'index.html')) && webBuildIsCurrent()) return;
    try {
      fs.mkdirSync(lock);
    } catch {
      if (Date.now() > deadline) throw new Error(`another build holds ${lock} for too long`);
      execFileSync('sleep', ['1']);
      continue;
    }
    try {
      if (!(fs.existsSync(path.join(ROOT, 'web', 'dist', 'index.html')) && webBuildIsCurrent())) {
        // NODE_ENV: vitest sets it to `test`, with which Vite builds import.meta.env.PROD as false (no service worker).
        execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
      }
      return;
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
}

export async function launchChromium(): Promise<Browser> {
  // vitest.config.ts leaves the e2e files out when there is no Chromium; a file run by hand says why at once.
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${findChromium().reason ?? `${CHROMIUM} is missing`} (on Debian: apt-get install chromium fonts-khmeros)`);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Collects page errors and console errors (warnings are Cytoscape's advice, not failures). */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
}

export interface GraphState {
  view: string;
  renderer: string;
  nodes: number;
  links: number;
  ready: boolean;
}

export async function graphState(page: Page): Promise<GraphState> {
  return page.evaluate(() => {
    const graph = (globalThis as unknown as TestGlobal).document.querySelector('[data-testid="graph"]');
    return {
      view: graph?.getAttribute('data-view') ?? '',
      renderer: graph?.getAttribute('data-renderer') ?? '',
      nodes: Number(graph?.getAttribute('data-nodes') ?? 0),
      links: Number(graph?.getAttribute('data-links') ?? 0),
      ready: graph?.getAttribute('data-ready') === 'true',
    };
  });
}

/** Waits until the graph of `view` is drawn and laid out, nothing loads, and more than `moreThan` nodes are drawn. */
export async function waitForGraph(page: Page, options: { view?: string; moreThan?: number; timeout?: number } = {}): Promise<GraphState> {
  await page.waitForFunction(
    ({ view, min }) => {
      const graph = (globalThis as unknown as TestGlobal).document.querySelector('[data-testid="graph"]');
      return (
        graph?.getAttribute('data-ready') === 'true' &&
        Number(graph.getAttribute('data-nodes')) > min &&
        (view === undefined || graph.getAttribute('data-view') === view)
      );
    },
    { view: options.view, min: options.moreThan ?? 0 },
    { timeout: options.timeout ?? 60_000 },
  );
  return graphState(page);
}

/** Waits until the Map view has drawn its shapes (and, when given, at this level / area) and nothing loads. */
export async function waitForMap(page: Page, options: { level?: string; area?: string; timeout?: number } = {}): Promise<void> {
  await page.waitForFunction(
    ({ level, area }) => {
      const map = (globalThis as unknown as TestGlobal).document.querySelector('[data-testid="map"]');
      return (
        map?.getAttribute('data-ready') === 'true' &&
        Number(map.getAttribute('data-shapes')) > 0 &&
        (level === undefined || map.getAttribute('data-level') === level) &&
        (area === undefined || map.getAttribute('data-area') === area)
      );
    },
    { level: options.level, area: options.area },
    { timeout: options.timeout ?? 60_000 },
  );
}

/** The areas the map colours, as `key=fill`, sorted. */
export async function mapAreas(page: Page): Promise<string[]> {
  return page
    .locator('[data-testid="map-shapes"] [data-key]')
    .evaluateAll((els) => els.map((el) => `${el.getAttribute('data-key')}=${el.getAttribute('data-fill')}`).sort());
}

/** The graph nodes drawn (copies and decorations stand for their node once), sorted. */
export async function drawnRefs(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const cy = (globalThis as unknown as TestGlobal).__cy;
    if (!cy) return [];
    const refs = new Set(cy.nodes().map((n) => String(n.data('ref') ?? '')).filter(Boolean));
    return [...refs].sort();
  });
}

/** The page point of a node, when nothing (legend, buttons, banners) covers it. */
/** clickablePoint once the node has stopped moving (a layout may still be animating): two equal reads 150 ms apart. */
export async function stablePoint(page: Page, id: string, timeoutMs = 10_000): Promise<{ x: number; y: number } | null> {
  const deadline = Date.now() + timeoutMs;
  let last = await clickablePoint(page, id);
  while (Date.now() < deadline) {
    await page.waitForTimeout(150);
    const now = await clickablePoint(page, id);
    if (!now || (last && Math.abs(now.x - last.x) < 0.5 && Math.abs(now.y - last.y) < 0.5)) return now;
    last = now;
  }
  return last;
}

/** The id of the node the side panel shows now (null while none is shown), read without waiting. */
export async function panelNodeId(page: Page): Promise<string | null> {
  return page.evaluate(() => (globalThis as unknown as TestGlobal).document.querySelector('[data-testid="panel"]')?.getAttribute('data-node-id') ?? null);
}

/**
 * Clicks a drawn node as a user does and waits until the panel shows it. On a busy machine the graph can still move
 * between reading a node's place and the click landing (a click on the background clears the selection): then it
 * brings the node to the middle, waits until it stands still and clicks again, at most `attempts` times.
 */
export async function selectNode(page: Page, id: string, options: { attempts?: number; waitMs?: number } = {}): Promise<void> {
  const attempts = options.attempts ?? 4;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    let point = await stablePoint(page, id);
    if (!point || attempt > 0) {
      await page.evaluate((nodeId) => {
        const cy = (globalThis as unknown as TestGlobal & { __cy?: { center(e: unknown): void; getElementById(id: string): unknown } }).__cy;
        cy?.center(cy.getElementById(nodeId));
      }, id);
      point = await stablePoint(page, id);
    }
    if (!point) continue;
    await page.mouse.click(point.x, point.y);
    const deadline = Date.now() + (options.waitMs ?? 5_000);
    while (Date.now() < deadline) {
      if ((await panelNodeId(page)) === id) return;
      await page.waitForTimeout(100);
    }
  }
  throw new Error(`clicking node ${id} ${attempts} times did not select it (the panel shows ${String(await panelNodeId(page))})`);
}

export async function clickablePoint(page: Page, id: string): Promise<{ x: number; y: number } | null> {
  return page.evaluate((nodeId) => {
    const global = globalThis as unknown as TestGlobal;
    const cy = global.__cy;
    const node = cy?.getElementById(nodeId);
    const box = cy?.container()?.getBoundingClientRect();
    if (!cy || !node || node.empty() || !box) return null;
    const p = node.renderedPosition();
    if (p.x < 4 || p.y < 4 || p.x > box.width - 4 || p.y > box.height - 4) return null;
    const point = { x: box.left + p.x, y: box.top + p.y };
    const hit = global.document.elementFromPoint(point.x, point.y);
    const container = global.document.querySelector('[data-testid="graph"]');
    return hit && container?.contains(hit) ? point : null;
  }, id);
}

export function params(page: Page): URLSearchParams {
  return new URL(page.url()).searchParams;
}

export function artifact(name: string): string {
  return path.join(ARTIFACTS, name);
}

/** The real server on a fresh DATA_DIR and one Chromium page on it: what every explorer e2e file starts with. */
export interface ExplorerSession {
  server: ServerProcess;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Page and console errors of `page` (watchErrors). */
  errors: string[];
  close(): Promise<void>;
}

/**
 * A gate that requests (or answers) wait at until it is opened, to hold them back as a busy server would; once open,
 * whatever comes later passes at once.
 */
export function gate(): { opened: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/**
 * E2E_API_JITTER_MS=300 holds every API answer of a session's page back by 0–300 ms at random, as a busy server
 * does, to shake out races between answers (a retry once got the failed half of a shared fetch that way on a busy CI
 * machine). Off unless set; the suite should pass with it (`E2E_API_JITTER_MS=300 npx vitest run tests/e2e`).
 */
const API_JITTER_MS = Number(process.env.E2E_API_JITTER_MS ?? 0);

export async function startExplorerSession(options: {
  /** Prefix of the temporary DATA_DIR. */
  name: string;
  env?: Record<string, string>;
  context?: BrowserContextOptions;
  /** Runs after the server is up and before the browser starts (e.g. to add data over the API). */
  beforeBrowser?: (server: ServerProcess) => Promise<void>;
  /** Runs on the context before the page opens (e.g. addInitScript). */
  beforePage?: (context: BrowserContext) => Promise<void>;
}): Promise<ExplorerSession> {
  ensureWebBuild();
  const dataDir = tempDir(`dar-kg-${options.name}-`);
  const server = await startServer({ DATA_DIR: dataDir, ...options.env }, 90_000);
  let browser: Browser | undefined;
  try {
    await options.beforeBrowser?.(server);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB', ...options.context });
    if (API_JITTER_MS > 0) {
      await context.route('**/api/**', async (route) => {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * API_JITTER_MS));
        await route.fallback();
      });
    }
    await options.beforePage?.(context);
    const page = await context.newPage();
    const errors = watchErrors(page);
    const opened = browser;
    return {
      server,
      browser: opened,
      context,
      page,
      errors,
      close: async () => {
        await opened.close();
        await server.kill();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await browser?.close();
    await server.kill();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** Signs in from the header with an editor token and waits for the editor's name to show. */
export async function signIn(page: Page, token: string, name: string): Promise<void> {
  await page.getByTestId('sign-in-open').click();
  await page.getByTestId('sign-in-token').fill(token);
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('session-name').filter({ hasText: name }).waitFor({ timeout: 10_000 });
}
