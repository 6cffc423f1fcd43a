/**
 * The first load of the DAR scene in bytes (issue 18, item 5): a fresh browser context (empty cache, no service
 * worker) opens the explorer's start page, the DAR scene, and waits until the graph is drawn and the network is
 * quiet. Every response the page received is counted by kind — HTML, JS, CSS, fonts, API, other (icons,
 * manifest) — raw (the body as decoded) and as sent (the body on the wire: precompressed .gz/.br from
 * server/http/precompressed.ts, or compressed on the fly by the compression middleware).
 *
 * Used by `npm run bench:web` (prints it) and by tests/e2e/payload.e2e.test.ts (checks FIRST_LOAD_BUDGET).
 * The service worker's precache (every file of the build, fetched after the first screen, in the background) is
 * left out: the build prints its size ("service worker: dist/sw.js precaches …").
 */
import type { Browser, Request } from 'playwright-core';

export const KINDS = ['html', 'js', 'css', 'font', 'api', 'other'] as const;
export type Kind = (typeof KINDS)[number];

/**
 * The budget, in bytes as sent (compressed), for the first load of the DAR scene in each language, checked by
 * tests/e2e/payload.e2e.test.ts. Set from the measurement of 2 December 2026 (en 255.8 kB, km 280.3 kB with both
 * Khmer font files; Cytoscape alone is 114 kB of it) with ~10% room. To change it: run the payload test (it prints
 * the table) or `BENCH_WEB_ONLY=field npm run bench:web`, and edit these numbers in the commit that needs it,
 * saying why (README, "Phones, tablets and slow connections").
 */
export const FIRST_LOAD_BUDGET: Record<'en' | 'km', number> = { en: 280 * 1024, km: 305 * 1024 };

export interface LoadedFile {
  url: string;
  kind: Kind;
  raw: number;
  sent: number;
  encoding: string;
}

export interface FirstLoad {
  lang: 'en' | 'km';
  files: LoadedFile[];
  byKind: Record<Kind, { files: number; raw: number; sent: number }>;
  total: { files: number; raw: number; sent: number };
}

function kindOf(request: Request): Kind {
  const url = new URL(request.url());
  if (url.pathname.startsWith('/api/')) return 'api';
  const type = request.resourceType();
  if (type === 'document') return 'html';
  if (type === 'script' || /\.m?js$/.test(url.pathname)) return 'js';
  if (type === 'stylesheet' || url.pathname.endsWith('.css')) return 'css';
  if (type === 'font' || /\.(woff2?|ttf|otf)$/.test(url.pathname)) return 'font';
  return 'other';
}

/** Opens `${base}/?lang=…` in a fresh context and returns what it downloaded until the DAR scene is drawn. */
export async function measureFirstLoad(browser: Browser, base: string, lang: 'en' | 'km'): Promise<FirstLoad> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: lang === 'km' ? 'km-KH' : 'en-GB', serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    const pending: Promise<LoadedFile | null>[] = [];
    page.on('requestfinished', (request) => {
      pending.push(
        (async () => {
          const response = await request.response();
          if (!response || response.status() === 304) return null;
          const sizes = await request.sizes();
          const body = await response.body().catch(() => Buffer.alloc(0));
          const headers = await response.allHeaders();
          return { url: new URL(request.url()).pathname + new URL(request.url()).search, kind: kindOf(request), raw: body.length, sent: sizes.responseBodySize, encoding: headers['content-encoding'] ?? '' };
        })().catch(() => null), // a request that finishes as the context closes (after the count) is not counted
      );
    });
    await page.goto(`${base}/?lang=${lang}`);
    await page.waitForFunction(() => (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(a: string): string | null } | null } }).document.querySelector('[data-testid="graph"]')?.getAttribute('data-ready') === 'true', null, { timeout: 120_000 });
    await page.waitForLoadState('networkidle');
    const files = (await Promise.all(pending)).filter((file): file is LoadedFile => file !== null);
    const byKind = Object.fromEntries(KINDS.map((kind) => [kind, { files: 0, raw: 0, sent: 0 }])) as FirstLoad['byKind'];
    const total = { files: 0, raw: 0, sent: 0 };
    for (const file of files) {
      for (const sum of [byKind[file.kind], total]) {
        sum.files += 1;
        sum.raw += file.raw;
        sum.sent += file.sent;
      }
    }
    return { lang, files, byKind, total };
  } finally {
    await context.close();
  }
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

/** The table printed by the bench and the payload test. */
export function formatFirstLoad(load: FirstLoad): string {
  const lines = [`First load of the DAR scene (${load.lang}): bytes raw → as sent`];
  for (const kind of KINDS) {
    const sum = load.byKind[kind];
    if (sum.files === 0) continue;
    lines.push(`  ${kind.padEnd(6)} ${String(sum.files).padStart(2)} files  ${kB(sum.raw).padStart(10)} → ${kB(sum.sent).padStart(9)}`);
  }
  lines.push(`  total  ${String(load.total.files).padStart(2)} files  ${kB(load.total.raw).padStart(10)} → ${kB(load.total.sent).padStart(9)}  (budget ${kB(FIRST_LOAD_BUDGET[load.lang])} as sent)`);
  for (const file of [...load.files].sort((a, b) => b.sent - a.sent)) {
    lines.push(`    ${kB(file.sent).padStart(9)} ${(file.encoding || 'identity').padEnd(8)} ${kB(file.raw).padStart(9)} raw  ${file.url.length > 70 ? `${file.url.slice(0, 67)}…` : file.url}`);
  }
  return lines.join('\n');
}
