/**
 * End to end, in Debian's Chromium, on the real server (issue 17.1, versioned citations): a reader cites the scene
 * ("Cite this": the pinned address, APA text and BibTeX), an editor renames DAR through the API, and the cited
 * address still opens DAR under its old name with the banner "as recorded on …" and a link to today's version, where
 * the new name shows; editing is off while pinned; the same in Khmer.
 * Screenshots: tests/artifacts/cite-dialog.png, cite-pinned.png, cite-pinned-km.png, cite-dialog-km.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerProcess } from '../support/server-process.ts';
import { type ExplorerSession, artifact, signIn, startExplorerSession, waitForGraph } from './e2e-support.ts';

const TIMEOUT = 240_000;
const TOKEN = 'e2e-cite-token-0123456789abcdef';
const NEW_NAME = 'DAR — renamed after it was cited';

let server: ServerProcess | undefined;
let browser: Browser | undefined;
let page: Page;
let errors: string[] = [];
let session: ExplorerSession | undefined;

beforeAll(async () => {
  session = await startExplorerSession({ name: 'cite-ui', env: { EDITOR_TOKENS: `dara:${TOKEN}` } });
  ({ server, browser, page } = session);
  errors = session.errors;
}, TIMEOUT);

afterAll(async () => {
  await session?.close();
}, TIMEOUT);

async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${server!.url}${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...init.headers } });
  expect(response.ok, `${path}: ${response.status}`).toBe(true);
  return (await response.json()) as T;
}

const panelTitle = () => page.getByTestId('panel-title').textContent();

describe('citing a scene and reopening it after an edit', () => {
  let citedUrl = '';
  let citedSeq = 0;
  let old: { name_en: string; name_km: string };

  it('"Cite this" gives the pinned address, APA text and BibTeX naming the graph, version and date', async () => {
    old = (await api<{ node: { name_en: string; name_km: string } }>('/api/nodes/dar')).node;
    await page.goto(`${server!.url}/?v=explore&lang=en`);
    await waitForGraph(page);
    await page.getByTestId('panel-title').filter({ hasText: old.name_en }).waitFor({ timeout: 30_000 });

    await page.getByTestId('cite-open').click();
    const url = page.getByTestId('cite-url');
    await url.waitFor({ timeout: 10_000 });
    citedUrl = await url.inputValue();
    citedSeq = Number(await url.getAttribute('data-seq'));
    const latest = (await api<{ latest: { seq: number; at: string } }>('/api/version')).latest;
    expect(citedSeq).toBe(latest.seq);
    expect(new URL(citedUrl).searchParams.get('at')).toBe(String(citedSeq));
    expect(new URL(citedUrl).searchParams.get('v')).toBe('explore');
    const apa = await page.getByTestId('cite-apa').inputValue();
    expect(apa).toMatch(/^DAR Knowledge Graph\. \(\d{4}, [A-Z][a-z]+ \d{1,2}\)\. Explore: /);
    expect(apa).toContain(`(Version ${citedSeq}) [Data set]`);
    expect(apa).toContain(citedUrl);
    const bibtex = await page.getByTestId('cite-bibtex').inputValue();
    expect(bibtex).toContain(`@misc{dar-kg-v${citedSeq},`);
    expect(bibtex).toContain(`url     = {${citedUrl}}`);
    expect(bibtex).toContain(`date    = {${latest.at.slice(0, 10)}}`);
    await page.screenshot({ path: artifact('cite-dialog.png') });
    await page.getByTestId('cite-close').click();
  }, TIMEOUT);

  it('after an edit, the cited address shows the old name with the banner; today’s version the new one', async () => {
    await api('/api/nodes/dar', { method: 'PATCH', body: JSON.stringify({ name_en: NEW_NAME }) });
    expect((await api<{ node: { name_en: string } }>('/api/nodes/dar')).node.name_en).toBe(NEW_NAME);

    await page.goto(citedUrl);
    const banner = page.getByTestId('version-banner');
    // data-seq is set once the server has named the version.
    await page.locator(`[data-testid="version-banner"][data-seq="${citedSeq}"]`).waitFor({ timeout: 30_000 });
    expect(await banner.textContent()).toMatch(/As recorded on \d{1,2} [A-Z][a-z]+ \d{4}/);
    await waitForGraph(page);
    await page.getByTestId('panel-title').filter({ hasText: old.name_en }).waitFor({ timeout: 30_000 });
    expect(await panelTitle()).not.toContain(NEW_NAME);
    // The drawn node carries the old name too.
    const drawnName = await page.evaluate(() => {
      const cy = (globalThis as unknown as { __cy?: { getElementById(id: string): { data(key: string): unknown } } }).__cy;
      return String(cy?.getElementById('dar').data('name') ?? '');
    });
    expect(drawnName).toContain(old.name_en);
    expect(drawnName).not.toContain('renamed after it was cited');
    expect(new URL(page.url()).searchParams.get('at')).toBe(String(citedSeq));

    // The search box finds DAR under the name it had then (today it would suggest the new name).
    const input = page.getByTestId('search-input');
    await input.click();
    const options = page.getByTestId('search-suggestions').getByRole('option');
    const darOption = page.getByTestId('search-suggestions').locator('[role="option"][data-id="dar"]');
    await input.pressSequentially('Administrative Reform', { delay: 10 });
    await darOption.waitFor({ timeout: 15_000 });
    expect(await darOption.textContent()).toContain(old.name_en);
    expect(await darOption.textContent()).not.toContain('renamed after it was cited');
    expect(await options.count()).toBeGreaterThan(0);
    await input.fill('');

    // Editing is off while pinned, and the banner says why.
    // Signed in, the top bar on a laptop screen has the user's controls besides; the search keeps room to type a name.
    const searchBefore = await page.getByTestId('search-input').boundingBox();
    const tabs = await page.getByRole('tablist').first().boundingBox();
    expect(Math.abs(searchBefore!.y - tabs!.y)).toBeLessThan(tabs!.height); // one row while it fits
    await signIn(page, TOKEN, 'dara');
    await expect.poll(async () => (await page.getByTestId('search-input').boundingBox())!.width, { timeout: 10_000 }).toBeGreaterThanOrEqual(220);
    expect(await page.getByTestId('edit-mode').isDisabled()).toBe(true);
    expect(await banner.textContent()).toContain('Editing is off');
    await page.screenshot({ path: artifact('cite-pinned.png') });

    await page.getByTestId('version-today').click();
    await page.getByTestId('panel-title').filter({ hasText: NEW_NAME }).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('version-banner').count()).toBe(0);
    expect(new URL(page.url()).searchParams.get('at')).toBeNull();
    expect(await page.getByTestId('edit-mode').isDisabled()).toBe(false);
  }, TIMEOUT);

  it('in Khmer: the banner, the old Khmer name and the citation in Khmer', async () => {
    const khmer = new URL(citedUrl);
    khmer.searchParams.set('lang', 'km');
    await page.goto(khmer.toString());
    const banner = page.getByTestId('version-banner');
    await page.locator(`[data-testid="version-banner"][data-seq="${citedSeq}"]`).waitFor({ timeout: 30_000 });
    expect(await banner.textContent()).toContain('ដូចដែលបានកត់ត្រានៅ');
    expect(await banner.textContent()).toContain('មើលកំណែថ្ងៃនេះ');
    await waitForGraph(page);
    await page.getByTestId('panel-title').filter({ hasText: old.name_km }).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: artifact('cite-pinned-km.png') });

    await page.getByTestId('cite-open').click();
    await page.getByTestId('cite-url').waitFor({ timeout: 10_000 });
    // A pinned scene cites its own version, not today's.
    expect(await page.getByTestId('cite-url').getAttribute('data-seq')).toBe(String(citedSeq));
    const apa = await page.getByTestId('cite-apa').inputValue();
    expect(apa).toContain('កំណែ');
    expect(apa).toContain('[សំណុំទិន្នន័យ]');
    expect(apa).toContain(old.name_km);
    await page.screenshot({ path: artifact('cite-dialog-km.png') });
    await page.getByTestId('cite-close').click();
    expect(errors).toEqual([]);
  }, TIMEOUT);
});
