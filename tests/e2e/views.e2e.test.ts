/**
 * End to end, the views: Lineage (years on an axis, succession), Partnerships (role columns), Map (shapes; more in map.e2e.test.ts),
 * Documents (the library) and Explore — each opens, switches, and reopens the same scene from its link in a
 * fresh page; back and forward move between them; both languages; the path finder; filters and the time
 * slider; exports (PNG, SVG, JSON, CSV) are non-empty and valid. Screenshots go to tests/artifacts/.
 */
import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerProcess } from '../support/server-process.ts';
import {
  type ExplorerSession,
  type TestGlobal,
  artifact,
  drawnRefs,
  graphState,
  params,
  mapAreas,
  startExplorerSession,
  waitForGraph,
  waitForMap,
} from './e2e-support.ts';

const TIMEOUT = 180_000;

let server: ServerProcess | undefined;
let browser: Browser | undefined;
let context: BrowserContext;
let page: Page;
let pageErrors: string[] = [];

/** What a view shows: the graph nodes drawn, the map's areas with their colours, or the documents listed. */
async function shown(target: Page, view: string): Promise<string[]> {
  if (view === 'map') return mapAreas(target);
  if (view !== 'documents') return drawnRefs(target);
  return target.locator('[data-testid="documents"] li[data-id]').evaluateAll((items) =>
    [...new Set(items.map((item) => (item as unknown as { getAttribute(name: string): string | null }).getAttribute('data-id') ?? ''))].sort(),
  );
}

async function waitForView(target: Page, view: string): Promise<void> {
  if (view === 'map') {
    await waitForMap(target);
  } else if (view === 'documents') {
    await target.locator('[data-testid="documents"] li[data-id]').first().waitFor({ timeout: 30_000 });
  } else {
    await waitForGraph(target, { view, moreThan: 1 });
  }
}

/** The model position of a drawn node. */
async function at(target: Page, id: string): Promise<{ x: number; y: number }> {
  return target.evaluate((nodeId) => (globalThis as unknown as TestGlobal).__cy!.getElementById(nodeId).position(), id);
}

async function save(target: Page, format: string): Promise<{ name: string; bytes: Buffer }> {
  await target.getByTestId('export-button').click();
  const [download] = await Promise.all([target.waitForEvent('download'), target.getByTestId('export-menu').locator(`[data-format="${format}"]`).click()]);
  const name = download.suggestedFilename();
  const file = artifact(`export-${name}`);
  await download.saveAs(file);
  return { name, bytes: fs.readFileSync(file) };
}

let session: ExplorerSession | undefined;

beforeAll(async () => {
  session = await startExplorerSession({ name: 'e2e-views', context: { acceptDownloads: true } });
  ({ server, browser, page } = session);
  context = session.context;
  pageErrors = session.errors;
}, TIMEOUT);

afterAll(async () => {
  await session?.close();
}, TIMEOUT);

describe('views', () => {
  it(
    'each view opens, switches, and reopens the same scene from its link in a fresh page',
    async () => {
      await page.goto(`${server!.url}/?lang=en`);
      await waitForView(page, 'explore');
      for (const view of ['lineage', 'partnerships', 'map', 'documents', 'explore']) {
        await page.locator(`[role="tab"][data-view="${view}"]`).click();
        await expect.poll(() => params(page).get('v')).toBe(view);
        await waitForView(page, view);
        expect(await page.locator(`[role="tab"][data-view="${view}"]`).getAttribute('aria-selected')).toBe('true');
        const here = await shown(page, view);
        expect(here.length).toBeGreaterThan(view === 'documents' ? 10 : 5);
        await page.waitForTimeout(400);
        await page.screenshot({ path: artifact(`view-${view}-en.png`) });

        // The link reopens the same scene: same view, same nodes, same language.
        const link = (await page.getByTestId('share').getAttribute('data-href'))!;
        expect(link).toBe(page.url());
        const fresh = await browser!.newContext({ viewport: { width: 1280, height: 800 }, locale: 'km-KH' });
        const other = await fresh.newPage();
        await other.goto(link);
        await waitForView(other, view);
        expect(await shown(other, view)).toEqual(here);
        expect(new URL(other.url()).searchParams.get('v')).toBe(view);
        expect(await other.evaluate(() => (globalThis as unknown as TestGlobal).document.documentElement.lang)).toBe('en');
        await fresh.close();
      }

      // What each view is made for.
      await page.locator('[role="tab"][data-view="lineage"]').click();
      await waitForView(page, 'lineage');
      // Programmes left to right by start; a year ruler above them.
      expect((await at(page, 'eu-space')).x).toBeLessThan((await at(page, 'dar-1')).x);
      expect((await at(page, 'dar-1')).x).toBeLessThan((await at(page, 'dar-2')).x);
      expect((await at(page, 'dar-2')).x).toBeLessThan((await at(page, 'isd')).x);
      expect(await page.evaluate(() => (globalThis as unknown as TestGlobal).__cy!.nodes().filter((n) => n.hasClass('tick')).length)).toBeGreaterThan(10);
      // Each phase's funders and implementers beside it.
      const dar1Chips = await page.evaluate(() =>
        (globalThis as unknown as TestGlobal).__cy!.nodes().filter((n) => n.hasClass('chip') && n.id().includes('@dar-1:')).map((n) => String(n.data('ref'))),
      );
      expect(dar1Chips).toEqual(expect.arrayContaining(['bmz', 'eu', 'giz', 'mcs']));
      // By succession: layered (dagre), earliest on the left.
      await page.getByRole('button', { name: 'In layers of succession' }).click();
      await expect.poll(() => params(page).get('axis')).toBe('succession');
      await waitForGraph(page, { view: 'lineage', moreThan: 1 });
      expect((await at(page, 'eu-space')).x).toBeLessThan((await at(page, 'isd')).x);
      await page.screenshot({ path: artifact('view-lineage-succession.png') });
      await page.getByRole('button', { name: 'On a year axis' }).click();
      await waitForGraph(page, { view: 'lineage', moreThan: 1 });

      await page.locator('[role="tab"][data-view="partnerships"]').click();
      await waitForView(page, 'partnerships');
      expect((await at(page, 'bmz')).x).toBeLessThan((await at(page, 'dar')).x);
      expect((await at(page, 'dar')).x).toBeLessThan((await at(page, 'giz')).x);

      await page.locator('[role="tab"][data-view="map"]').click();
      await waitForView(page, 'map');
      // Cambodia's 25 provinces, Battambang coloured (programmes work there), Mondulkiri not.
      const areas = await mapAreas(page);
      expect(areas).toHaveLength(25);
      expect(areas.find((a) => a.startsWith('kh-02='))).not.toBe('kh-02=#eceff2');
      expect(areas).toContain('kh-11=#eceff2');

      // Back and forward move between the scenes visited.
      await page.goBack();
      await expect.poll(() => params(page).get('v')).toBe('partnerships');
      await waitForView(page, 'partnerships');
      await page.goForward();
      await expect.poll(() => params(page).get('v')).toBe('map');
      await waitForView(page, 'map');

      // Khmer: every view in Khmer script.
      await page.locator('button[data-lang="km"]').click();
      for (const view of ['lineage', 'partnerships', 'map', 'documents']) {
        await page.locator(`[role="tab"][data-view="${view}"]`).click();
        await waitForView(page, view);
        await expect.poll(() => page.locator(`[role="tab"][data-view="${view}"]`).textContent()).toMatch(/[\u1780-\u17FF]/);
        await page.waitForTimeout(500);
        await page.screenshot({ path: artifact(`view-${view}-km.png`) });
      }
      const km = await page.evaluate(() => (globalThis as unknown as TestGlobal).document.querySelector('[data-testid="documents"] h2')?.textContent ?? '');
      expect(km).toMatch(/[\u1780-\u17FF]/);
      await page.locator('button[data-lang="en"]').click();
      expect(pageErrors).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'finds every shortest path between two picked nodes, highlights it, and lists each hop with its sources',
    async () => {
      await page.goto(`${server!.url}/?v=explore&lang=en`);
      await waitForGraph(page, { moreThan: 1 });
      await page.getByTestId('path-button').click();
      const from = page.getByTestId('path-from');
      await from.click();
      await from.pressSequentially('Civil Service', { delay: 15 });
      await page.getByTestId('path-from-suggestions').locator('[data-id="mcs"]').waitFor();
      await from.press('Enter');
      await expect.poll(() => page.getByTestId('path-from-picked').getAttribute('data-id')).toBe('mcs');
      const to = page.getByTestId('path-to');
      await to.click();
      await to.pressSequentially('EU SPACE', { delay: 15 });
      await page.getByTestId('path-to-suggestions').locator('[data-id="eu-space"]').waitFor();
      await to.press('Enter');
      await page.getByTestId('path-find').click();

      await expect.poll(() => params(page).get('path')).toBe('mcs,eu-space');
      const summary = page.getByTestId('path-summary');
      await expect.poll(() => summary.getAttribute('data-length'), { timeout: 30_000 }).toBe('2');
      const api = (await (await fetch(`${server!.url}/api/paths?from=mcs&to=eu-space`)).json()) as { paths: { hops: { link: { id: string; sources: string[] } }[] }[] };
      expect(Number(await summary.getAttribute('data-paths'))).toBe(api.paths.length);
      await waitForGraph(page, { moreThan: 1 });
      // Every hop of every path is drawn on the path; the rest fades.
      const onPath = await page.evaluate(() => {
        const cy = (globalThis as unknown as TestGlobal).__cy!;
        return { edges: cy.edges().filter((e) => e.hasClass('on-path')).map((e) => String(e.data('linkId'))), faded: cy.nodes().filter((n) => n.hasClass('off-path')).length };
      });
      const hopLinks = [...new Set(api.paths.flatMap((p) => p.hops.map((h) => h.link.id)))].sort();
      expect(onPath.edges.sort()).toEqual(hopLinks);
      expect(onPath.faded).toBeGreaterThan(0);
      // The side panel: each path's hops with their sources.
      const firstHop = api.paths[0]!.hops[0]!;
      const hop = page.getByTestId('path-panel').locator(`[data-link="${firstHop.link.id}"]`).first();
      expect(await hop.locator('a').count()).toBeGreaterThanOrEqual(firstHop.link.sources.filter((s) => s.startsWith('http')).length);
      await page.screenshot({ path: artifact('path-finder.png') });

      // The path survives a reload from its link, and clears.
      await page.reload();
      await expect.poll(() => page.getByTestId('path-summary').getAttribute('data-paths'), { timeout: 30_000 }).toBe(String(api.paths.length));
      await page.getByTestId('path-clear').click();
      await expect.poll(() => params(page).get('path')).toBeNull();
      expect(pageErrors).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'filters by label and relationship, styles by rule, and shows what was active in a year range',
    async () => {
      await page.goto(`${server!.url}/?v=explore&lang=en`);
      await waitForGraph(page, { moreThan: 1 });
      const labels = async () => page.evaluate(() => (globalThis as unknown as TestGlobal).__cy!.nodes().map((n) => String(n.data('label'))));

      await page.getByTestId('filters-button').click();
      await page.getByTestId('filter-panel').locator('[data-label="Document"]').uncheck();
      await expect.poll(() => params(page).get('l')).toBe('Programme,Organisation,AdminArea,Topic,Law,Event');
      await expect.poll(async () => (await labels()).includes('Document')).toBe(false);
      await page.getByTestId('filter-panel').locator('[data-type="ABOUT"]').uncheck();
      await expect.poll(() => params(page).get('t') ?? '').not.toContain('ABOUT');
      expect(await page.evaluate(() => (globalThis as unknown as TestGlobal).__cy!.edges().filter((e) => e.data('type') === 'ABOUT').length)).toBe(0);
      await page.getByTestId('filter-panel').locator('[data-rule="size"]').check();
      await expect.poll(() => params(page).get('size')).toBe('degree');
      await expect.poll(() => page.evaluate(() => (globalThis as unknown as TestGlobal).__cy!.getElementById('dar').hasClass('sized'))).toBe(true);
      await page.getByTestId('filter-panel').locator('[data-rule="colour"]').check();
      await expect.poll(() => page.evaluate(() => (globalThis as unknown as TestGlobal).__cy!.getElementById('mcs').hasClass('d-ministry'))).toBe(true);
      await expect.poll(() => page.getByTestId('legend').textContent()).toContain('ministry');
      await page.screenshot({ path: artifact('filters.png') });
      await page.keyboard.press('Escape');
      // Undo takes the rules and filters back one at a time.
      await page.getByTestId('undo').click();
      await expect.poll(() => params(page).get('colour')).toBeNull();

      // Time slider in Lineage: from 2012 to 2014 only EU SPACE (and the undated ARDP) were active.
      await page.goto(`${server!.url}/?v=lineage&lang=en`);
      await waitForGraph(page, { view: 'lineage', moreThan: 1 });
      await page.getByTestId('time-set').click();
      await expect.poll(() => params(page).get('y')).toMatch(/^\d{4}:\d{4}$/);
      await page.getByTestId('time-from').fill('2012');
      await page.getByTestId('time-to').fill('2014');
      await expect.poll(() => params(page).get('y')).toBe('2012:2014');
      await waitForGraph(page, { view: 'lineage', moreThan: 1 });
      const programmes = async () => (await drawnRefs(page)).filter((id) => ['ardp', 'eu-space', 'eu-dar', 'dar', 'dar-1', 'dar-2', 'isd'].includes(id));
      await expect.poll(programmes).toEqual(['ardp', 'eu-space']);
      expect(await page.getByTestId('time-value').textContent()).toBe('2012–2014');
      expect(await page.evaluate(() => (globalThis as unknown as TestGlobal).__cy!.getElementById('year-band').empty())).toBe(false);
      await page.getByTestId('time-from').fill('2019');
      await page.getByTestId('time-to').fill('2023');
      // ARDP has no dates of its own, and its only phase (EU SPACE) was over by then: it goes too.
      await expect.poll(programmes).toEqual(['dar', 'dar-2', 'isd']);
      await waitForGraph(page, { view: 'lineage', moreThan: 1 });
      await page.screenshot({ path: artifact('time-slider.png') });
      // The time range carries to the other views, and is in the link.
      await page.locator('[role="tab"][data-view="partnerships"]').click();
      await waitForGraph(page, { view: 'partnerships', moreThan: 1 });
      expect(await drawnRefs(page)).not.toContain('eu-space');
      expect(params(page).get('y')).toBe('2019:2023');
      expect(pageErrors).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'exports the scene as PNG, SVG and JSON, and the list as CSV, all non-empty and valid',
    async () => {
      await page.goto(`${server!.url}/?v=lineage&lang=km`);
      await waitForGraph(page, { view: 'lineage', moreThan: 1 });
      const { nodes, links } = await graphState(page);

      const png = await save(page, 'png');
      expect(png.name).toMatch(/^dar-kg-lineage-.*\.png$/);
      expect(png.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      expect(png.bytes.length).toBeGreaterThan(10_000);

      const svg = await save(page, 'svg');
      const svgText = svg.bytes.toString('utf8');
      expect(svgText).toMatch(/<svg[\s>]/);
      expect(svgText).toContain('</svg>');
      expect(svgText).toMatch(/[\u1780-\u17FF]/); // Khmer captions as text
      expect(svgText.length).toBeGreaterThan(5_000);

      const json = JSON.parse((await save(page, 'json')).bytes.toString('utf8')) as { scene: string; view: string; nodes: { id: string }[]; links: { id: string }[] };
      expect(json.view).toBe('lineage');
      expect(json.scene).toContain('v=lineage');
      expect(json.nodes).toHaveLength(nodes);
      expect(json.links).toHaveLength(links);

      const nodesCsv = (await save(page, 'nodes')).bytes.toString('utf8');
      expect(nodesCsv.charCodeAt(0)).toBe(0xfeff);
      const nodeRows = nodesCsv.slice(1).trimEnd().split('\r\n');
      expect(nodeRows[0]).toBe('id,label,kind,name,name_en,name_km,acronym,detail,start,end,links_in_scene,sources');
      expect(nodeRows).toHaveLength(nodes + 1);
      expect(nodesCsv).toContain('កម្មវិធី'); // kinds and names in Khmer
      const linksCsv = (await save(page, 'links')).bytes.toString('utf8');
      expect(linksCsv.slice(1).trimEnd().split('\r\n')).toHaveLength(links + 1);

      await page.locator('[role="tab"][data-view="documents"]').click();
      await waitForView(page, 'documents');
      const docs = (await save(page, 'nodes')).bytes.toString('utf8');
      expect(docs.slice(1).split('\r\n')[0]).toContain('producer,producer_name,category');
      expect(pageErrors).toEqual([]);
    },
    TIMEOUT,
  );
});

export type { Page };
