/**
 * End to end, comparing two periods (issue 17): in Partnerships and Explore, in English and in Khmer, the drawing
 * colours every node and link as GET /api/compare says (only the first period, only the second, both; faded:
 * neither), the panel shows its counts and who entered and left, and the comparison lives in the URL (a fresh
 * page reopens it). Switched to Versions, an edit made through the API is listed as changed (with its properties),
 * in English and, on a phone, in Khmer, and marked on the drawing; the comparison lives in the URL (cmpv=). Screenshots go to tests/artifacts/.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifact, params, startExplorerSession, waitForGraph, type ExplorerSession, type TestGlobal } from './e2e-support.ts';

const TIMEOUT = 180_000;
const TOKEN = 'e2e-compare-token-0123456789abcdef';
const EDITED_NAME = 'DAR — edited for the versions comparison';

interface Answer {
  nodes: { id: string; in: 'a' | 'b' | 'both' }[];
  links: { id: string; in: 'a' | 'b' | 'both' }[];
  counts: { nodes: Record<'a' | 'b' | 'both', number> };
  entered: { id: string; name_en: string; name_km: string }[];
  left: { id: string; name_en: string; name_km: string }[];
}

let session: ExplorerSession | undefined;

beforeAll(async () => {
  session = await startExplorerSession({ name: 'e2e-compare', env: { EDITOR_TOKENS: `dara:${TOKEN}` } });
}, TIMEOUT);

afterAll(async () => {
  await session?.close();
}, TIMEOUT);

async function api(view: string, a: string, b: string): Promise<Answer> {
  const res = await fetch(`${session!.server.url}/api/compare?a=${a}&b=${b}&view=${view}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Answer;
}

/** The comparison class of every drawn graph node (by ref) and link (by link id). */
async function drawnClasses(page: Page): Promise<{ nodes: Record<string, string>; links: Record<string, string> }> {
  return page.evaluate(() => {
    const cy = (globalThis as unknown as TestGlobal).__cy!;
    const which = (e: { hasClass(name: string): boolean }) => ['cmp-a', 'cmp-b', 'cmp-both', 'cmp-none'].filter((c) => e.hasClass(c)).join(' ');
    const nodes: Record<string, string> = {};
    for (const [ref, cls] of cy.nodes().filter((n) => String(n.data('ref')) !== '').map((n) => [String(n.data('ref')), which(n)] as const)) nodes[ref] = cls;
    const links: Record<string, string> = {};
    for (const [id, cls] of cy.edges().map((e) => [String(e.data('linkId')), which(e)] as const)) links[id] = cls;
    return { nodes, links };
  });
}

async function waitForComparison(page: Page): Promise<void> {
  await page.locator('[data-testid="compare-panel"][data-state="done"]').waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => (globalThis as unknown as TestGlobal).document.querySelectorAll('[data-testid="compare-counts"] li').length === 3);
}

/** Every drawn node and link coloured as the answer says; what it does not hold faded. */
async function expectColoured(page: Page, answer: Answer): Promise<void> {
  const drawn = await drawnClasses(page);
  const members = new Map(answer.nodes.map((n) => [n.id, n.in]));
  const links = new Map(answer.links.map((l) => [l.id, l.in]));
  expect(Object.keys(drawn.nodes).length).toBeGreaterThan(5);
  for (const [ref, cls] of Object.entries(drawn.nodes)) expect(cls, ref).toBe(members.has(ref) ? `cmp-${members.get(ref)}` : 'cmp-none');
  for (const [id, cls] of Object.entries(drawn.links)) expect(cls, id).toBe(links.has(id) ? `cmp-${links.get(id)}` : 'cmp-none');
  // Every group is on the screen.
  for (const group of ['a', 'b', 'both']) expect(Object.values(drawn.nodes)).toContain(`cmp-${group}`);
}

async function expectPanel(page: Page, answer: Answer, lang: 'en' | 'km'): Promise<void> {
  for (const group of ['a', 'b', 'both'] as const) {
    const text = await page.getByTestId(`compare-count-${group}`).textContent();
    expect(text, group).toContain(String(answer.counts.nodes[group]));
  }
  const entered = await page.getByTestId('compare-entered').locator('button.name').allTextContents();
  expect(entered).toEqual(answer.entered.map((n) => (lang === 'km' ? n.name_km : n.name_en)));
  await page.getByTestId('compare-left').locator('summary').click();
  const left = await page.getByTestId('compare-left').locator('button.name').allTextContents();
  expect(left).toEqual(answer.left.map((n) => (lang === 'km' ? n.name_km : n.name_en)));
}

describe('comparing two periods', () => {
  it(
    'Partnerships in English: the Compare button colours both periods, counts and lists them, and keeps them in the URL',
    async () => {
      const { page, server } = session!;
      await page.goto(`${server.url}/?v=partnerships&lang=en`);
      await waitForGraph(page, { view: 'partnerships', moreThan: 5 });
      await page.getByTestId('compare-button').click();
      await expect.poll(() => params(page).get('cmp')).toBe('2008:2012,2018:2022');
      await waitForComparison(page);
      const answer = await api('partnerships', '2008-2012', '2018-2022');
      await expectColoured(page, answer);
      await expectPanel(page, answer, 'en');
      expect(await page.getByTestId('compare-panel').locator('h2').textContent()).toBe('Compare two periods');
      // On a desktop the panel stands beside the graph, not over its left column (the donors).
      const panelBox = await page.getByTestId('compare-panel').boundingBox();
      const graphBox = await page.getByTestId('graph').boundingBox();
      expect(panelBox!.x + panelBox!.width).toBeLessThanOrEqual(graphBox!.x);
      expect(graphBox!.width).toBeGreaterThan(500);
      await page.waitForTimeout(400);
      await page.screenshot({ path: artifact('compare-partnerships-en.png') });

      // Another first period: typed in, applied, in the URL, drawn again.
      await page.getByTestId('compare-a-from').fill('2002');
      await page.getByTestId('compare-a-to').fill('2006');
      await page.getByTestId('compare-apply').click();
      await expect.poll(() => params(page).get('cmp')).toBe('2002:2006,2018:2022');
      const other = await api('partnerships', '2002-2006', '2018-2022');
      await expect.poll(async () => page.getByTestId('compare-count-a').textContent(), { timeout: 30_000 }).toContain(String(other.counts.nodes.a));
      await waitForComparison(page);
      await expectColoured(page, other);
      expect(session!.errors).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'in Khmer, from the address alone: Partnerships and Explore coloured, the panel in Khmer with Khmer names',
    async () => {
      const { page, server, browser } = session!;
      const fresh = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'km-KH' });
      const km = await fresh.newPage();
      const errors: string[] = [];
      km.on('pageerror', (error) => errors.push(error.message));
      try {
        await km.goto(`${server.url}/?v=partnerships&cmp=2008:2012,2018:2022&lang=km`);
        await waitForGraph(km, { view: 'partnerships', moreThan: 5 });
        await waitForComparison(km);
        const answer = await api('partnerships', '2008-2012', '2018-2022');
        await expectColoured(km, answer);
        await expectPanel(km, answer, 'km');
        expect(await km.getByTestId('compare-panel').locator('h2').textContent()).toBe('ប្រៀបធៀបរយៈពេលពីរ');
        expect(await km.getByTestId('compare-button').textContent()).toContain('ប្រៀបធៀប');
        await km.waitForTimeout(400);
        await km.screenshot({ path: artifact('compare-partnerships-km.png') });

        // Explore draws what either period holds, coloured the same way.
        await km.locator('[role="tab"][data-view="explore"]').click();
        await expect.poll(() => new URL(km.url()).searchParams.get('v')).toBe('explore');
        await waitForGraph(km, { view: 'explore', moreThan: 20 });
        await waitForComparison(km);
        const explore = await api('explore', '2008-2012', '2018-2022');
        const drawn = await drawnClasses(km);
        for (const n of explore.nodes) expect(Object.keys(drawn.nodes), n.id).toContain(n.id);
        await expectColoured(km, explore);
        await km.waitForTimeout(1500);
        await km.screenshot({ path: artifact('compare-explore-km.png') });

        // Stop comparing: the colours go, and so does cmp from the URL.
        await km.getByTestId('compare-close').click();
        await expect.poll(() => new URL(km.url()).searchParams.get('cmp')).toBe(null);
        expect(await km.getByTestId('compare-panel').count()).toBe(0);
        const after = await drawnClasses(km);
        expect(Object.values(after.nodes).every((cls) => cls === '')).toBe(true);
        expect(errors).toEqual([]);
      } finally {
        await fresh.close();
      }
      void page;
    },
    TIMEOUT,
  );

  it(
    'on a phone (390 × 844, touch), in Khmer: the comparison shows, nothing runs off the side',
    async () => {
      const { server, browser } = session!;
      const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, locale: 'km-KH' });
      const page = await phone.newPage();
      try {
        await page.goto(`${server.url}/?v=partnerships&cmp=2008:2012,2018:2022&lang=km`);
        await waitForGraph(page, { view: 'partnerships', moreThan: 5 });
        await waitForComparison(page);
        const answer = await api('partnerships', '2008-2012', '2018-2022');
        await expectColoured(page, answer);
        const overflow = await page.evaluate(() => {
          const doc = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
          return doc.scrollWidth - doc.clientWidth;
        });
        expect(overflow).toBeLessThanOrEqual(0);
        const box = (await page.getByTestId('compare-panel').boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(390);
        expect((await page.getByTestId('compare-close').boundingBox())!.height).toBeGreaterThanOrEqual(44);
        await page.screenshot({ path: artifact('compare-partnerships-phone-km.png') });
      } finally {
        await phone.close();
      }
    },
    TIMEOUT,
  );

  it(
    'Versions: an edit made through the API is listed as changed, by name and property, in English and (on a phone) in Khmer',
    async () => {
      const { page, server, browser } = session!;
      const call = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
        const res = await fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } });
        expect(res.ok, `${path}: ${res.status}`).toBe(true);
        return (await res.json()) as T;
      };
      const before = (await call<{ latest: { seq: number } }>('/api/version')).latest.seq;
      const dar = (await call<{ node: { name_en: string; name_km: string } }>('/api/nodes/dar')).node;
      await call('/api/nodes/dar', { method: 'PATCH', body: JSON.stringify({ name_en: EDITED_NAME }) });
      const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
      const today = day(0);

      await page.goto(`${server.url}/?v=explore&lang=en`);
      await waitForGraph(page, { view: 'explore', moreThan: 5 });
      await page.getByTestId('compare-button').click();
      await page.getByTestId('compare-mode-versions').click();
      // The default: the last 30 days, to today.
      await expect.poll(() => params(page).get('cmpv')).toBe(`${day(30)},${today}`);
      expect(params(page).get('cmp')).toBe(null);
      await page.getByTestId('compare-version-from').fill(String(before));
      await page.getByTestId('compare-apply').click();
      await expect.poll(() => params(page).get('cmpv')).toBe(`${before},${today}`);
      const answer = (await (await fetch(`${server.url}/api/compare?from=${before}&to=${today}`)).json()) as { counts: unknown };
      expect(answer.counts).toEqual({ added: 0, changed: 1, removed: 0 });
      const done = page.locator('[data-testid="compare-panel"][data-mode="versions"][data-state="done"]');
      await done.waitFor({ timeout: 60_000 });
      await expect.poll(() => page.getByTestId('compare-changed').locator('summary').textContent().then((text) => text?.trim()), { timeout: 30_000 }).toBe('Changed (1)');
      expect(await page.getByTestId('compare-panel').locator('h2').textContent()).toBe('What the team changed');
      const changed = page.getByTestId('compare-changed').locator('li[data-id="dar"]');
      expect(await changed.locator('button.name').textContent()).toBe(EDITED_NAME);
      expect(await changed.getByTestId('compare-properties').textContent()).toContain('name_en');
      expect((await page.getByTestId('compare-added').locator('summary').textContent())?.trim()).toBe('Added (0)');
      expect((await page.getByTestId('compare-removed').locator('summary').textContent())?.trim()).toBe('Removed (0)');
      // The changed node is marked on the drawing (purple, double); the others are left as they are.
      await expect.poll(async () => (await drawnClasses(page)).nodes['dar'], { timeout: 30_000 }).toBe('cmp-both');
      expect(Object.entries((await drawnClasses(page)).nodes).filter(([, cls]) => cls !== '')).toEqual([['dar', 'cmp-both']]);
      await page.waitForTimeout(400);
      await page.screenshot({ path: artifact('compare-versions-en.png') });
      // The name selects the node.
      await changed.locator('button.name').click();
      await page.getByTestId('panel-title').filter({ hasText: EDITED_NAME }).waitFor({ timeout: 30_000 });
      // Back to periods: cmpv goes, cmp comes.
      await page.getByTestId('compare-mode-periods').click();
      await expect.poll(() => params(page).get('cmp')).toBe('2008:2012,2018:2022');
      expect(params(page).get('cmpv')).toBe(null);
      expect(session!.errors).toEqual([]);

      // Khmer, on a phone, from the address alone.
      const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, locale: 'km-KH' });
      const km = await phone.newPage();
      const errors: string[] = [];
      km.on('pageerror', (error) => errors.push(error.message));
      try {
        await km.goto(`${server.url}/?v=explore&cmpv=${before},${today}&lang=km`);
        await waitForGraph(km, { view: 'explore', moreThan: 5 });
        await km.locator('[data-testid="compare-panel"][data-mode="versions"][data-state="done"]').waitFor({ timeout: 60_000 });
        expect(await km.getByTestId('compare-panel').locator('h2').textContent()).toBe('អ្វីដែលក្រុមការងារបានផ្លាស់ប្តូរ');
        expect((await km.getByTestId('compare-changed').locator('summary').textContent())?.trim()).toBe('បានកែប្រែ (1)');
        expect(await km.getByTestId('compare-changed').locator('li[data-id="dar"] button.name').textContent()).toBe(dar.name_km);
        expect(await km.getByTestId('compare-mode-versions').getAttribute('aria-pressed')).toBe('true');
        const overflow = await km.evaluate(() => {
          const doc = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
          return doc.scrollWidth - doc.clientWidth;
        });
        expect(overflow).toBeLessThanOrEqual(0);
        const box = (await km.getByTestId('compare-panel').boundingBox())!;
        expect(box.x + box.width).toBeLessThanOrEqual(390);
        expect((await km.getByTestId('compare-mode-versions').boundingBox())!.height).toBeGreaterThanOrEqual(44);
        await km.waitForTimeout(400);
        await km.screenshot({ path: artifact('compare-versions-phone-km.png') });
        expect(errors).toEqual([]);
      } finally {
        await phone.close();
      }
    },
    TIMEOUT,
  );
});
