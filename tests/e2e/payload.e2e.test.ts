/**
 * End to end, small payloads (issue 18, item 5): the first load of the DAR scene — HTML, JavaScript, CSS, fonts
 * and API answers, counted as sent (brotli/gzip) by a fresh Chromium context on a phone — stays under
 * FIRST_LOAD_BUDGET (tests/support/first-load.ts) in English and in Khmer. Bytes, not time: the same build and seed
 * send the same bytes, so this is no wall-clock limit. The table is printed.
 * And the code of the first screen (index.html's script and the chunks it preloads) leaves out what that screen
 * does not need — each language's messages (the visit's are preloaded by first-data.js), the side panel's
 * contents, the drawn graph's machinery (its stylesheet too), the models of Lineage and Partnerships (the DAR scene
 * opens in Explore), the node's menu, the filter panel, the path finder, "Cite this", the exports — each a chunk of
 * its own (issue 18); the e2e files that use them (explorer, mobile, cite, views…) show they still load when needed.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIRST_LOAD_BUDGET, formatFirstLoad, measureFirstLoad } from '../support/first-load.ts';
import { startServer, type ServerProcess } from '../support/server-process.ts';
import { tempDir } from '../support/temp-dir.ts';
import { ROOT } from '../support/seed-fixture.ts';
import { ensureWebBuild, launchChromium } from './e2e-support.ts';

const TIMEOUT = 180_000;

/** Chunks (by the name of the module they are made from) that the first screen's code must not contain. */
const LAZY = ['i18n-en', 'i18n-km', 'PanelStack', 'engine', 'drawn-views', 'ContextMenu', 'FilterPanel', 'PathFinder', 'CiteDialog', 'scene-export'];
/**
 * Of those, the ones a first load asks for anyway: the messages of its language (preloaded by first-data.js: the
 * page waits for them), and after the first screen the side panel's contents and the drawn graph's machinery (with
 * Cytoscape). A Khmer visit downloads no English messages, an English one no Khmer ones.
 */
const AFTER_FIRST_SCREEN: Record<'en' | 'km', string[]> = { en: ['PanelStack', 'engine', 'i18n-en'], km: ['PanelStack', 'engine', 'i18n-km'] };
const chunkOf = (name: string) => new RegExp(`^/assets/${name}-[A-Za-z0-9_-]{8}\\.js$`);

describe('the first load of the DAR scene in bytes', () => {
  let server: ServerProcess;
  let browser: Browser;
  let dataDir: string;

  beforeAll(async () => {
    ensureWebBuild();
    dataDir = tempDir('dar-kg-e2e-payload-');
    server = await startServer({ DATA_DIR: dataDir }, 90_000);
    browser = await launchChromium();
  }, TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.kill();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }, TIMEOUT);

  it('leaves out of the first screen\'s code what that screen does not need', () => {
    const dist = path.join(ROOT, 'web', 'dist');
    const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
    const initial = [...html.matchAll(/<(?:script type="module"[^>]*src|link rel="modulepreload"[^>]*href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(initial.length, html).toBeGreaterThan(1);
    const assets = fs.readdirSync(path.join(dist, 'assets')).map((file) => `/assets/${file}`);
    for (const name of LAZY) {
      expect(assets.filter((file) => chunkOf(name).test(file)), `a chunk of ${name}`).toHaveLength(1);
      expect(initial.filter((file) => chunkOf(name).test(file)), `${name} in the first screen's code`).toEqual([]);
    }
    // Each language's chunk is named for web/public/first-data.js, which preloads the one of the visit's language.
    for (const lang of ['en', 'km']) {
      const messages = new RegExp(`<meta name="dar-kg-${lang}-messages" content="([^"]+)">`).exec(html)?.[1];
      expect(messages && chunkOf(`i18n-${lang}`).test(messages), html).toBe(true);
    }
  });

  for (const lang of ['en', 'km'] as const) {
    it(
      `in ${lang === 'en' ? 'English' : 'Khmer'} stays under its budget as sent`,
      async () => {
        const load = await measureFirstLoad(browser, server.url, lang);
        console.log(formatFirstLoad(load));
        // What a first load is made of: the page, its code and style, the scene's answers (and Khmer letters).
        for (const kind of ['html', 'js', 'css', 'api'] as const) expect(load.byKind[kind].files, kind).toBeGreaterThan(0);
        if (lang === 'km') expect(load.byKind.font.files).toBeGreaterThan(0);
        // The code is sent compressed (the build's precompressed copies): at most a third of its raw size.
        expect(load.byKind.js.sent).toBeLessThan(load.byKind.js.raw / 3);
        // (Files under the build's PRECOMPRESS_MIN_BYTES, 1 kB — the 0.6 kB rolldown runtime — go as they are.)
        for (const file of load.files.filter((f) => (f.kind === 'js' || f.kind === 'css') && f.raw >= 1024)) expect(file.encoding, file.url).toMatch(/^(br|gzip)$/);
        // No answer is asked for twice: DAR's details once, one page of its neighbours (the panel's, which Explore's
        // first page is cut from) — issue 18.
        const api = load.files.filter((f) => f.kind === 'api').map((f) => f.url);
        expect(api.filter((url) => /^\/api\/nodes\/dar(\?|$)/.test(url)), 'DAR details').toHaveLength(1);
        expect(api.filter((url) => url.startsWith('/api/nodes/dar/neighbours')), 'DAR neighbours').toHaveLength(1);
        expect(new Set(api).size, api.join(', ')).toBe(api.length);
        // Lazy chunks: only those asked for after the first screen in this language.
        const lazyLoaded = LAZY.filter((name) => load.files.some((file) => chunkOf(name).test(file.url)));
        expect(lazyLoaded.sort()).toEqual([...AFTER_FIRST_SCREEN[lang]].sort());
        expect(load.total.sent, `first load (${lang}) as sent, over the budget of FIRST_LOAD_BUDGET.${lang}`).toBeLessThanOrEqual(FIRST_LOAD_BUDGET[lang]);
      },
      TIMEOUT,
    );
  }
});
