/**
 * End to end, the Map view: Cambodia's provinces from their shapes in English and Khmer (labels and the tooltip as
 * text the browser shapes); click Battambang, then Banan: the panel shows the district and the map its communes;
 * the time slider changes the colours; the colouring by one programme; a copied link reopens the same map; PNG and
 * SVG exports with the attribution. Screenshots go to tests/artifacts/ (map-*.png).
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExplorerSession, artifact, mapAreas, params, startExplorerSession, waitForMap } from './e2e-support.ts';

const TIMEOUT = 180_000;
const ATTRIBUTION = 'Boundaries: geoBoundaries (Runfola et al. 2020, PLOS ONE 15(4): e0231866) / Open Development Cambodia, CC BY 4.0';

let session: ExplorerSession | undefined;
let page: Page;

beforeAll(async () => {
  session = await startExplorerSession({ name: 'e2e-map', context: { acceptDownloads: true } });
  page = session.page;
}, TIMEOUT);

afterAll(async () => {
  await session?.close();
}, TIMEOUT);

const fillOf = async (key: string) => page.locator(`[data-testid="map-shapes"] [data-key="${key}"]`).getAttribute('data-fill');
const shape = (key: string) => page.locator(`[data-testid="map-shapes"] [data-key="${key}"]`);

async function save(format: 'png' | 'svg'): Promise<{ name: string; bytes: Buffer }> {
  await page.getByTestId('export-button').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-menu').locator(`[data-format="${format}"]`).click()]);
  const name = download.suggestedFilename();
  const file = artifact(`map-export-${name}`);
  await download.saveAs(file);
  return { name, bytes: fs.readFileSync(file) };
}

describe('the map', () => {
  it(
    'draws Cambodia, and a click on Battambang then Banan shows the district in the panel and its communes',
    async () => {
      await page.goto(`${session!.server.url}/?v=map&lang=en&f=`);
      await waitForMap(page, { level: 'province' });
      expect(await mapAreas(page)).toHaveLength(25);
      expect(await page.getByTestId('map-attribution').textContent()).toBe(ATTRIBUTION);
      await expect.poll(() => page.locator('svg .labels text').allTextContents()).toContain('Battambang');

      // Hover: the name in English, Khmer below.
      await shape('kh-02').hover();
      await expect.poll(() => page.getByTestId('map-tip').textContent()).toContain('Battambang');
      expect(await page.getByTestId('map-tip').textContent()).toContain('បាត់ដំបង');
      await page.screenshot({ path: artifact('map-country-en.png') });

      await shape('kh-02').click();
      await expect.poll(() => params(page).get('area')).toBe('kh-02');
      await waitForMap(page, { level: 'district', area: 'kh-02' });
      expect(await page.getByTestId('panel').getAttribute('data-node-id')).toBe('kh-02');
      // Battambang's 14 districts, coloured by how many programmes work there.
      expect((await mapAreas(page)).length).toBe(14);
      await page.waitForTimeout(300);
      await page.screenshot({ path: artifact('map-battambang-en.png') });

      await shape('kh-0201').click();
      await expect.poll(() => params(page).get('area')).toBe('kh-0201');
      expect(params(page).get('f')).toBe('kh-0201');
      await expect.poll(() => page.getByTestId('panel-title').textContent()).toBe('Banan');
      await waitForMap(page, { level: 'commune', area: 'kh-0201' });
      const communes = await mapAreas(page);
      expect(communes.length).toBeGreaterThanOrEqual(8);
      expect(communes.every((c) => c.startsWith('kh-0201'))).toBe(true);
      await page.waitForTimeout(300);
      await page.screenshot({ path: artifact('map-banan-en.png') });
      // The breadcrumb goes back up.
      await page.locator('[data-testid="map-crumb"][data-area="kh-02"]').click();
      await waitForMap(page, { level: 'district', area: 'kh-02' });
      expect(session!.errors).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'the time slider changes the colours, a programme colours where it works, and a copied link reopens the same map',
    async () => {
      await page.goto(`${session!.server.url}/?v=map&lang=en&area=kh-02`);
      await waitForMap(page, { level: 'district', area: 'kh-02' });
      const always = await fillOf('kh-0201'); // EU DAR and DAR phase 2: two programmes
      // The user's own zoom stays while the years change (only a change of area zooms the map).
      await page.getByRole('button', { name: 'Zoom in' }).click();
      const zoomed = await page.locator('[data-testid="map"] svg > g').first().getAttribute('transform');
      await page.getByTestId('time-set').click();
      await page.getByTestId('time-from').fill('2017');
      await page.getByTestId('time-to').fill('2017');
      await expect.poll(() => params(page).get('y')).toBe('2017:2017');
      await expect.poll(() => fillOf('kh-0201')).not.toBe(always); // EU DAR alone
      const in2017 = await fillOf('kh-0201');
      expect(await page.locator('[data-testid="map"] svg > g').first().getAttribute('transform')).toBe(zoomed);
      await page.getByTestId('time-from').fill('2024');
      await page.getByTestId('time-to').fill('2025');
      await expect.poll(() => fillOf('kh-0201')).toBe('#eceff2'); // both over: nobody
      expect(in2017).not.toBe('#eceff2');
      await page.screenshot({ path: artifact('map-time-2024-en.png') });
      await page.locator('[data-testid="time-slider"] button.clear').click();
      await expect.poll(() => params(page).get('y')).toBeNull();

      // Where DAR phase 2 works: its districts, and Battambang in part.
      await page.getByTestId('map-by').selectOption('dar-2');
      await expect.poll(() => params(page).get('by')).toBe('dar-2');
      await expect.poll(() => fillOf('kh-0201')).toBe('#d55e00');
      await page.getByRole('button', { name: 'Districts', exact: true }).click();
      await expect.poll(() => params(page).get('level')).toBe('district');
      await page.locator('[data-testid="map-crumb"][data-area=""]').click();
      await expect.poll(() => params(page).get('area')).toBeNull();
      await waitForMap(page, { level: 'district', area: '' });
      expect((await mapAreas(page)).length).toBe(197);
      await expect.poll(() => fillOf('kh-0801')).toBe('#eceff2'); // Kandal's districts: not DAR 2
      await page.screenshot({ path: artifact('map-by-dar-2-en.png') });

      const link = (await page.getByTestId('share').getAttribute('data-href'))!;
      expect(link).toBe(page.url());
      const here = await mapAreas(page);
      const fresh = await session!.browser.newContext({ viewport: { width: 1280, height: 800 } });
      const other = await fresh.newPage();
      await other.goto(link);
      await waitForMap(other, { level: 'district', area: '' });
      expect(await other.getByTestId('map').getAttribute('data-by')).toBe('dar-2');
      expect(await mapAreas(other)).toEqual(here);
      await fresh.close();
      expect(session!.errors).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'in Khmer: labels, tooltip, legend and breadcrumb in Khmer script; exports PNG and SVG with the attribution',
    async () => {
      await page.goto(`${session!.server.url}/?v=map&lang=km`);
      await waitForMap(page, { level: 'province' });
      await expect.poll(() => page.locator('svg .labels text').allTextContents()).toContain('បាត់ដំបង');
      expect(await page.getByTestId('map-legend').textContent()).toMatch(/[\u1780-\u17FF]/);
      await shape('kh-08').hover();
      await expect.poll(() => page.getByTestId('map-tip').textContent()).toContain('កណ្តាល');
      await page.screenshot({ path: artifact('map-country-km.png') });
      await shape('kh-02').click();
      await waitForMap(page, { level: 'district', area: 'kh-02' });
      expect(await page.locator('[data-testid="map-crumb"][data-area="kh-02"]').textContent()).toContain('បាត់ដំបង');
      await page.waitForTimeout(300);
      await page.screenshot({ path: artifact('map-battambang-km.png') });

      const png = await save('png');
      expect(png.name).toMatch(/^dar-kg-map-.*\.png$/);
      expect(png.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      expect(png.bytes.length).toBeGreaterThan(10_000);
      const svg = (await save('svg')).bytes.toString('utf8');
      expect(svg).toMatch(/<svg[\s>]/);
      expect(svg).toContain(ATTRIBUTION);
      expect(svg).toMatch(/[\u1780-\u17FF]/);
      expect(svg).toContain('data-key="kh-0201"');
      expect(session!.errors).toEqual([]);
    },
    TIMEOUT,
  );
});
