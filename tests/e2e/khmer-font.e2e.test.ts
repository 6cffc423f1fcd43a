/**
 * End to end: the Khmer font is served by the app itself (Noto Sans Khmer, Khmer letters only), so Khmer renders
 * on a machine without a Khmer font and offline; the browser fetches it only to draw Khmer text (unicode-range),
 * each weight only when text of that weight is drawn, and nothing is fetched from another host.
 */
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExplorerSession, waitForGraph, type ExplorerSession } from './e2e-support.ts';

const TIMEOUT = 120_000;
const FONT_FILE = /\/assets\/noto-sans-khmer-khmer-(400|700)-normal-[\w-]+\.woff2$/;

/** The little of the browser the page functions use (this file is compiled without the DOM lib). */
interface FontGlobal {
  document: {
    fonts: { check(font: string, text: string): boolean; forEach(fn: (face: { family: string; weight: string; status: string }) => void): void };
    body: { innerText: string };
  };
}

let session: ExplorerSession | undefined;

beforeAll(async () => {
  session = await startExplorerSession({ name: 'khmer-font' });
}, TIMEOUT);

afterAll(async () => {
  await session?.close();
}, TIMEOUT);

/** Opens the explorer in `lang` in a fresh page; returns the page, its font requests and its requests elsewhere. */
async function open(lang: 'en' | 'km'): Promise<{ page: Page; fonts: Request[]; foreign: string[] }> {
  const page = await session!.context.newPage();
  const fonts: Request[] = [];
  const foreign: string[] = [];
  const origin = new URL(session!.server.url).origin;
  page.on('request', (request) => {
    if (FONT_FILE.test(request.url())) fonts.push(request);
    if (!request.url().startsWith(origin) && !request.url().startsWith('data:') && !request.url().startsWith('blob:')) foreign.push(request.url());
  });
  await page.goto(`${session!.server.url}/?lang=${lang}`);
  await waitForGraph(page, { moreThan: 1 });
  await page.evaluate(() => (globalThis as unknown as { document: { fonts: { ready: Promise<unknown> } } }).document.fonts.ready);
  return { page, fonts, foreign };
}

/** The app's Khmer faces, by weight: their loading status. */
async function faces(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const out: Record<string, string> = {};
    (globalThis as unknown as FontGlobal).document.fonts.forEach((face) => {
      if (face.family.replace(/"/g, '') === 'Noto Sans Khmer') out[face.weight] = face.status;
    });
    return out;
  });
}

describe('the self-hosted Khmer font', () => {
  it(
    'in Khmer: served from this origin as a woff2 and used to draw (canvas labels too)',
    async () => {
      const { page, fonts, foreign } = await open('km');
      try {
        expect(fonts.length).toBeGreaterThan(0);
        for (const request of fonts) {
          const response = await request.response();
          expect(response?.status(), request.url()).toBe(200);
          expect(response?.headers()['content-type']).toBe('font/woff2');
        }
        expect((await faces(page))['400']).toBe('loaded');
        expect(await page.evaluate(() => (globalThis as unknown as FontGlobal).document.fonts.check('16px "Noto Sans Khmer"', 'ក្រសួង'))).toBe(true);
        expect(foreign).toEqual([]);
      } finally {
        await page.close();
      }
    },
    TIMEOUT,
  );

  it(
    'in English: fetched only for the Khmer text on screen (a weight with no Khmer text drawn stays unloaded)',
    async () => {
      const { page, fonts, foreign } = await open('en');
      try {
        // In English the font is registered once the first screen is drawn (the graph's first layout), not before:
        // it does not compete with the first screen's script and data on a slow line (issue 18).
        await page.waitForFunction(() => {
          let n = 0;
          (globalThis as unknown as FontGlobal).document.fonts.forEach((face) => {
            if (face.family.replace(/"/g, '') === 'Noto Sans Khmer') n += 1;
          });
          return n === 2;
        });
        const firstScreen = await page.evaluate(() => {
          const perf = (globalThis as unknown as { performance: { timeOrigin: number; getEntriesByName(n: string): { startTime: number }[] } }).performance;
          const mark = perf.getEntriesByName('dar-kg:layout-done')[0];
          return mark ? perf.timeOrigin + mark.startTime : null;
        });
        expect(firstScreen, 'the graph marked its first layout').not.toBeNull();
        for (const request of fonts) expect(request.timing().startTime, request.url()).toBeGreaterThanOrEqual(firstScreen!);
        await page.evaluate(() => (globalThis as unknown as { document: { fonts: { ready: Promise<unknown> } } }).document.fonts.ready);
        const status = await faces(page);
        // Both weights are registered; each is fetched exactly when Khmer text of that weight was drawn.
        expect(Object.keys(status).sort()).toEqual(['400', '700']);
        const fetched = new Set(fonts.map((request) => FONT_FILE.exec(request.url())![1]));
        for (const weight of ['400', '700']) expect(fetched.has(weight), `weight ${weight}: ${status[weight]}`).toBe(status[weight] !== 'unloaded');
        const shownKhmer = await page.evaluate(() => /[\u1780-\u17FF]/.test((globalThis as unknown as FontGlobal).document.body.innerText));
        if (!shownKhmer) expect(fonts).toEqual([]);
        // Khmer text shown in English (DAR's Khmer name in the panel) is drawn with the font once registered.
        else expect(status['400']).toBe('loaded');
        expect(Object.values(status)).toContain('unloaded'); // at least one weight was never needed
        expect(foreign).toEqual([]);
      } finally {
        await page.close();
      }
    },
    TIMEOUT,
  );
});
