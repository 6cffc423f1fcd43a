/**
 * End to end, in Debian's Chromium, on the real server: a story told over the API is played in the reader with the
 * keyboard and by swiping, in Khmer; it is embedded in a page served from another origin, which shows it when that origin is in
 * EMBED_ALLOWED_ORIGINS and is refused (CSP frame-ancestors) from an origin that is not; and it is downloaded as one
 * HTML file that opens with the network off and shows its captions, pictures and sources.
 * Screenshots: tests/artifacts/story-reader-km.png, story-embed-allowed.png, story-embed-refused.png,
 * story-offline-file.png.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.ts';
import { type ExplorerSession, type TestGlobal, artifact, signIn, startExplorerSession } from './e2e-support.ts';

const TIMEOUT = 240_000;
const TOKEN = 'e2e-story-editor-token-0123456789';
const STORY = {
  id: 'dar-lineage',
  title_en: 'How DAR came to be',
  title_km: 'របៀបដែល DAR បានកើតឡើង',
  steps: [
    {
      scene: '?v=explore&f=dar',
      caption_en: 'DAR, with the partners around it.',
      caption_km: 'DAR ជាមួយដៃគូនៅជុំវិញវា។',
      sources: ['https://example.org/dar-programme-page', 'doc-dar-i'],
    },
    {
      scene: '?v=lineage&f=dar',
      caption_en: 'The programmes before DAR, one after another.',
      caption_km: 'កម្មវិធីមុន DAR ម្តងមួយៗ។',
      sources: ['https://example.org/lineage-source'],
    },
  ],
};

/** A page on another origin that frames the story (the app's address is known only once it started). */
function hostServer(app: () => string): Promise<{ server: http.Server; origin: string }> {
  const server = http.createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><title>Partner site</title><h1>A partner's page</h1>
<iframe id="story" src="${app()}/embed/stories/${STORY.id}?lang=km" width="1000" height="640" style="border:1px solid #888"></iframe>`);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

let session: ExplorerSession | undefined;
let allowed: { server: http.Server; origin: string };
let refused: { server: http.Server; origin: string };
let appUrl = '';

beforeAll(async () => {
  // The hosts first: their origins go into the app's setting.
  allowed = await hostServer(() => appUrl);
  refused = await hostServer(() => appUrl);
  session = await startExplorerSession({
    name: 'stories',
    env: { EDITOR_TOKENS: `dara:${TOKEN}`, EMBED_ALLOWED_ORIGINS: allowed.origin },
    context: { acceptDownloads: true },
    beforeBrowser: async (server) => {
      const created = await fetch(`${server.url}/api/stories`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(STORY),
      });
      if (created.status !== 201) throw new Error(`story not created: ${created.status} ${await created.text()}`);
    },
  });
  appUrl = session.server.url;
}, TIMEOUT);

afterAll(async () => {
  await session?.close();
  allowed?.server.close();
  refused?.server.close();
}, TIMEOUT);

async function waitForStep(page: Page, n: number): Promise<void> {
  await page.locator(`[data-testid="story-reader"][data-step="${n}"]`).waitFor({ timeout: 30_000 });
}

async function waitForDrawnGraph(page: Page, view: string): Promise<void> {
  await page.locator(`[data-testid="graph"][data-view="${view}"][data-ready="true"]`).waitFor({ timeout: 60_000 });
}

/** A one-finger horizontal swipe that starts on `selector`, as touch events (Chromium's Touch and TouchEvent). */
async function swipe(page: Page, selector: string, dx: number): Promise<void> {
  await page.evaluate(
    ({ selector, dx }) => {
      const w = globalThis as unknown as {
        document: { querySelector(s: string): { getBoundingClientRect(): { left: number; top: number; width: number; height: number }; dispatchEvent(e: unknown): void } | null };
        Touch: new (init: Record<string, unknown>) => unknown;
        TouchEvent: new (type: string, init: Record<string, unknown>) => unknown;
      };
      const target = w.document.querySelector(selector)!;
      const box = target.getBoundingClientRect();
      const x = box.left + box.width / 2;
      const y = box.top + Math.min(box.height / 2, 20);
      const touch = (at: number) => new w.Touch({ identifier: 1, target, clientX: at, clientY: y });
      target.dispatchEvent(new w.TouchEvent('touchstart', { touches: [touch(x)], changedTouches: [touch(x)], bubbles: true }));
      target.dispatchEvent(new w.TouchEvent('touchend', { touches: [], changedTouches: [touch(x + dx)], bubbles: true }));
    },
    { selector, dx },
  );
}

describe('stories', () => {
  it(
    'plays a story with the keyboard and by swiping, in Khmer: captions, sources and each step its scene',
    async () => {
      const page = session!.page;
      await page.goto(`${appUrl}/stories/${STORY.id}?lang=km`);
      await waitForStep(page, 1);
      await expect.poll(() => page.getByTestId('story-title').textContent(), { timeout: 30_000 }).toBe(STORY.title_km);
      expect(await page.getByTestId('story-caption').textContent()).toBe(STORY.steps[0]!.caption_km);
      await waitForDrawnGraph(page, 'explore');
      const sources = await page.getByTestId('story-sources').textContent();
      expect(sources).toContain('https://example.org/dar-programme-page');
      // The Document is shown by its Khmer name.
      expect(sources).toContain('របាយការណ៍');

      await page.keyboard.press('ArrowRight');
      await waitForStep(page, 2);
      expect(await page.getByTestId('story-caption').textContent()).toBe(STORY.steps[1]!.caption_km);
      await waitForDrawnGraph(page, 'lineage');
      expect(new URL(page.url()).hash).toBe('#2');
      expect(await page.evaluate(() => (globalThis as unknown as TestGlobal).document.documentElement.lang)).toBe('km');
      await page.screenshot({ path: artifact('story-reader-km.png') });
      // No step after the last; back with the left arrow.
      await page.keyboard.press('ArrowRight');
      await waitForStep(page, 2);
      await page.keyboard.press('ArrowLeft');
      await waitForStep(page, 1);
      expect(await page.getByTestId('story-caption').textContent()).toBe(STORY.steps[0]!.caption_km);
      await waitForDrawnGraph(page, 'explore');
      // A swipe to the left across the caption: the next step (on the graph, a swipe pans it instead).
      await swipe(page, '[data-testid="story-caption"]', -160);
      await waitForStep(page, 2);
      await swipe(page, '[data-testid="graph"]', 160);
      expect(await page.getByTestId('story-reader').getAttribute('data-step')).toBe('2');
      await swipe(page, '[data-testid="story-caption"]', 160);
      await waitForStep(page, 1);
      expect(session!.errors).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'is told by an editor in the page of stories, each scene pinned to the current version',
    async () => {
      const page = session!.page;
      await page.goto(`${appUrl}/stories`);
      await page.getByTestId('story-list').waitFor();
      await page.locator('button[data-lang="en"]').click();
      await signIn(page, TOKEN, 'dara');
      await page.getByRole('button', { name: 'New story' }).click();
      await page.getByLabel('Title (English)').fill('Partners of DAR');
      await page.getByLabel('Title (Khmer)').fill('ដៃគូរបស់ DAR');
      await page.getByLabel('Scene address (copy it from the explorer)').fill(`${appUrl}/?v=partnerships&f=dar`);
      await page.getByLabel('Caption (English)').fill('Who funds and who implements.');
      await page.getByLabel('Caption (Khmer)').fill('អ្នកផ្តល់មូលនិធិ និងអ្នកអនុវត្ត។');
      await page.getByLabel('Sources (one URL or Document id a line)').fill('https://example.org/partners\ndoc-dar-i');
      await page.screenshot({ path: artifact('story-editor.png') });
      await page.getByRole('button', { name: 'Save' }).click();
      await page.waitForURL(/\/stories\/partners-of-dar/, { timeout: 30_000 });
      await waitForStep(page, 1);
      await expect.poll(() => page.getByTestId('story-caption').textContent(), { timeout: 30_000 }).toBe('Who funds and who implements.');
      const stored = (await (await fetch(`${appUrl}/api/stories/partners-of-dar`)).json()) as { story: { steps: { scene: string; sources: string[] }[]; created_by: string } };
      const audit = (await (await fetch(`${appUrl}/api/audit?limit=1`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { entries: { seq: number; action: string }[] };
      expect(audit.entries[0]!.action).toBe('create_story');
      // Pinned to the graph's version before the story was saved.
      expect(stored.story.steps[0]!.scene).toBe(`?v=partnerships&f=dar&at=${audit.entries[0]!.seq - 1}`);
      expect(stored.story.steps[0]!.sources).toEqual(['https://example.org/partners', 'doc-dar-i']);
      expect(stored.story.created_by).toBe('dara');
    },
    TIMEOUT,
  );

  it(
    'is embedded by an allowed origin and refused (frame-ancestors) by any other',
    async () => {
      const embed = await fetch(`${appUrl}/embed/stories/${STORY.id}`);
      expect(embed.headers.get('content-security-policy')).toContain(`frame-ancestors 'self' ${allowed.origin}`);
      expect(embed.headers.get('x-frame-options')).toBeNull();
      const reader = await fetch(`${appUrl}/stories/${STORY.id}`);
      expect(reader.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");

      const context = await session!.browser.newContext({ viewport: { width: 1100, height: 760 } });
      try {
        const page = await context.newPage();
        const consoleLines: string[] = [];
        page.on('console', (message) => consoleLines.push(message.text()));
        await page.goto(`${allowed.origin}/`);
        const frame = page.frameLocator('#story');
        await frame.locator('[data-testid="story-reader"][data-step="1"]').waitFor({ timeout: 60_000 });
        await expect.poll(() => frame.getByTestId('story-caption').textContent(), { timeout: 30_000 }).toBe(STORY.steps[0]!.caption_km);
        // Read-only: no download, share or edit in an embed.
        expect(await frame.getByTestId('story-download').count()).toBe(0);
        await frame.locator('[data-testid="graph"][data-ready="true"]').waitFor({ timeout: 60_000 });
        await page.screenshot({ path: artifact('story-embed-allowed.png') });

        await page.goto(`${refused.origin}/`);
        await page.locator('#story').waitFor();
        await expect
          .poll(() => consoleLines.some((line) => /frame-ancestors/.test(line)), { timeout: 30_000 })
          .toBe(true);
        const child = page.frames().find((f) => f !== page.mainFrame());
        expect(child).toBeDefined();
        expect(await child!.locator('[data-testid="story-reader"]').count()).toBe(0);
        await page.screenshot({ path: artifact('story-embed-refused.png') });
      } finally {
        await context.close();
      }
    },
    TIMEOUT,
  );

  it(
    'downloads one HTML file that opens with the network off, with its captions, pictures and sources',
    async () => {
      const page = session!.page;
      await page.goto(`${appUrl}/stories/${STORY.id}?lang=en`);
      await waitForStep(page, 1);
      await waitForDrawnGraph(page, 'explore');
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 180_000 }), page.getByTestId('story-download').click()]);
      expect(download.suggestedFilename()).toBe(`${STORY.id}.html`);
      const dir = tempDir('dar-kg-story-file-');
      const file = path.join(dir, download.suggestedFilename());
      await download.saveAs(file);
      const html = fs.readFileSync(file, 'utf8');
      // Self-contained: no address the file would load from (links to open online are fine).
      expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)="(https?:|\/)/);
      expect(html.match(/<img src="data:image\/png;base64,/g)?.length).toBe(2);

      const offline = await session!.browser.newContext({ offline: true, viewport: { width: 1100, height: 900 } });
      try {
        const reader = await offline.newPage();
        const failed: string[] = [];
        reader.on('requestfailed', (request) => failed.push(request.url()));
        await reader.goto(`file://${file}`);
        await expect.poll(() => reader.locator('.step:not([hidden]) .caption [lang="en"]').textContent()).toBe(STORY.steps[0]!.caption_en);
        const picture = reader.locator('.step:not([hidden]) img');
        await expect.poll(() => picture.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(100);
        const sources = await reader.locator('.step:not([hidden]) ol.sources').textContent();
        expect(sources).toContain('https://example.org/dar-programme-page');
        expect(sources).toContain('DAR: reports and studies');
        await reader.screenshot({ path: artifact('story-offline-file.png'), fullPage: true });
        await reader.keyboard.press('ArrowRight');
        await expect.poll(() => reader.locator('.step:not([hidden]) .caption [lang="en"]').textContent()).toBe(STORY.steps[1]!.caption_en);
        await reader.locator('.langs button[data-lang="km"]').click();
        expect(await reader.locator('.step:not([hidden]) .caption [lang="km"]').isVisible()).toBe(true);
        expect(await reader.locator('.step:not([hidden]) .caption [lang="en"]').isVisible()).toBe(false);
        await reader.screenshot({ path: artifact('story-offline-file-km.png'), fullPage: true });
        expect(failed).toEqual([]);
      } finally {
        await offline.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    TIMEOUT,
  );
});
