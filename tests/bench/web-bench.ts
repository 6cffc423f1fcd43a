/**
 * `npm run bench:web` (not part of `npm test`): how long a large scene takes to open in headless Chromium, the
 * explorer against a plain Cytoscape page — same graph, same run, same browser.
 *
 * - The graph: the seeded domain-shaped generator (tests/support/graph-generator.ts), served with the built
 *   explorer by a small fixture server (tests/e2e/large-scene.fixture.ts), not by the product API.
 * - The explorer: Explore's "whole graph" (`/?v=explore&all=1`), until the scene is drawn and laid out
 *   (data-ready). Its renderer is what `auto` picks for this browser (WebGL on a GPU, the 2D canvas when WebGL
 *   is a software rasteriser), and the layout runs in a Web Worker. Best of BENCH_WEB_RUNS runs.
 * - The baseline: Cytoscape out of the box — canvas renderer, `cose` layout, the same elements — until its
 *   layout stops, or BENCH_WEB_CAP_S seconds (cose is quadratic per iteration: on 10,000 nodes it does not finish
 *   in minutes); a capped time is a lower bound, and so is the ratio.
 *
 * Prints both times and the ratio per size, and exits non-zero when a target is missed: the explorer opens
 * 10,000 nodes in at most 5 s, at least 3× faster than the baseline.
 * BENCH_WEB_NODES (comma-separated sizes, default "10000"), BENCH_WEB_LINKS_PER_NODE (2.5), BENCH_WEB_RUNS (3),
 * BENCH_WEB_CAP_S (120), BENCH_WEB_WEBGL=1 (force the WebGL renderer in the explorer too).
 *
 * Then the Map view (tests/bench/map-bench.ts): the country with its districts drawn in ≤ 1 s, a province's
 * communes in ≤ 300 ms.
 *
 * Then slow devices (tests/bench/field-bench.ts, issue 18): the DAR scene's first screen on a phone with the CPU
 * throttled 4× and a slow-3G network, side by side with the unthrottled run (target ≤ 3 s after the HTML), a
 * 1,000-node scene's tap-to-select with the CPU throttled, and the first load in bytes.
 * BENCH_WEB_ONLY=graph, =map or =field runs one part.
 */
import type { Browser } from 'playwright-core';
import { ensureWebBuild, launchChromium } from '../e2e/e2e-support.ts';
import { startFixtureServer, type FixtureServer } from '../e2e/large-scene.fixture.ts';
import { fieldBench } from './field-bench.ts';
import { mapBench } from './map-bench.ts';

const SIZES = (process.env.BENCH_WEB_NODES ?? '10000').split(',').map((n) => Number(n.trim())).filter((n) => n > 0);
const LINKS_PER_NODE = Number(process.env.BENCH_WEB_LINKS_PER_NODE ?? 2.5);
const RUNS = Number(process.env.BENCH_WEB_RUNS ?? 3);
const CAP_MS = Number(process.env.BENCH_WEB_CAP_S ?? 120) * 1000;
const FORCE_WEBGL = process.env.BENCH_WEB_WEBGL === '1';
const TARGET_MS = 5_000;
const TARGET_RATIO = 3;
const ONLY = process.env.BENCH_WEB_ONLY;

interface ProductRun {
  ms: number;
  renderer: string;
  gl: string;
  workerMs: number;
  syncMs: number;
}

interface Row {
  nodes: number;
  links: number;
  product: ProductRun[];
  baselineMs: number;
  baselineCapped: boolean;
}

async function openProduct(browser: Browser, fixture: FixtureServer, nodes: number): Promise<ProductRun> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB' });
  try {
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(`${fixture.url}/?v=explore&all=1&x=&f=&lang=en${FORCE_WEBGL ? '&renderer=webgl' : ''}`);
    await page.waitForFunction(
      (n) => {
        const graph = (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(a: string): string | null } | null } }).document.querySelector('[data-testid="graph"]');
        return graph?.getAttribute('data-ready') === 'true' && Number(graph.getAttribute('data-nodes')) >= n;
      },
      nodes,
      { timeout: 300_000, polling: 50 },
    );
    const ms = Date.now() - started;
    const details = await page.evaluate(() => {
      const global = globalThis as unknown as {
        document: { querySelector(s: string): { getAttribute(a: string): string | null } | null };
        performance: { getEntriesByName(n: string): { duration: number; detail?: { workerMs?: number } }[] };
      };
      const graph = global.document.querySelector('[data-testid="graph"]');
      const worker = global.performance.getEntriesByName('dar-kg:worker-layout').at(-1);
      const sync = global.performance.getEntriesByName('dar-kg:sync').at(-1);
      return {
        renderer: graph?.getAttribute('data-renderer') ?? '?',
        gl: graph?.getAttribute('data-gl') ?? '',
        workerMs: worker?.detail?.workerMs ?? worker?.duration ?? 0,
        syncMs: sync?.duration ?? 0,
      };
    });
    return { ms, ...details };
  } finally {
    await context.close();
  }
}

async function openBaseline(browser: Browser, fixture: FixtureServer): Promise<{ ms: number; capped: boolean }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const started = Date.now();
  try {
    const page = await context.newPage();
    await page.goto(`${fixture.url}/baseline/`);
    // cose keeps the main thread busy between frames: poll from here, and stop at the cap.
    const done = page
      .waitForFunction(() => (globalThis as unknown as { __baseline?: { done?: number } }).__baseline?.done !== undefined, null, {
        timeout: CAP_MS,
        polling: 200,
      })
      .then(
        () => true,
        () => false,
      );
    const finished = await Promise.race([done, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), CAP_MS + 5_000))]);
    return { ms: finished ? Date.now() - started : CAP_MS, capped: !finished };
  } finally {
    await Promise.race([context.close(), new Promise((resolve) => setTimeout(resolve, 10_000))]);
  }
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  ensureWebBuild();
  const rows: Row[] = [];
  for (const nodes of ONLY === 'map' || ONLY === 'field' ? [] : SIZES) {
    const links = Math.round(nodes * LINKS_PER_NODE);
    const fixture = await startFixtureServer({ nodes, links });
    // A browser per size and side, so that neither inherits the other's state; both in this run, one after the other.
    let browser = await launchChromium();
    try {
      console.log(`\n${nodes.toLocaleString('en')} nodes, ${links.toLocaleString('en')} links`);
      const product: ProductRun[] = [];
      for (let run = 0; run < RUNS; run++) {
        const result = await openProduct(browser, fixture, nodes);
        product.push(result);
        console.log(
          `  explorer  run ${run + 1}: ${fmt(result.ms)}  (renderer ${result.renderer}; layout in worker ${Math.round(result.workerMs)} ms; adding elements ${Math.round(result.syncMs)} ms)`,
        );
      }
      await browser.close();
      browser = await launchChromium();
      console.log(`  baseline  (plain Cytoscape: canvas renderer, cose layout; cap ${CAP_MS / 1000} s) …`);
      const baseline = await openBaseline(browser, fixture);
      console.log(`  baseline: ${baseline.capped ? `> ${fmt(baseline.ms)} (stopped at the cap)` : fmt(baseline.ms)}`);
      rows.push({ nodes, links, product, baselineMs: baseline.ms, baselineCapped: baseline.capped });
    } finally {
      await browser.close();
      await fixture.close();
    }
  }

  if (rows.length > 0) console.log('\nnodes    links    explorer (best)   baseline            ratio      renderer  WebGL implementation');
  let failed = false;
  for (const row of rows) {
    const best = row.product.reduce((a, b) => (b.ms < a.ms ? b : a));
    const ratio = row.baselineMs / best.ms;
    const ratioText = `${row.baselineCapped ? '≥ ' : ''}${ratio.toFixed(1)}×`;
    console.log(
      `${String(row.nodes).padEnd(9)}${String(row.links).padEnd(9)}${fmt(best.ms).padEnd(18)}${(row.baselineCapped ? `> ${fmt(row.baselineMs)}` : fmt(row.baselineMs)).padEnd(20)}${ratioText.padEnd(11)}${best.renderer.padEnd(10)}${best.gl}`,
    );
    if (row.nodes >= 10_000 && best.ms > TARGET_MS) {
      console.log(`  ✗ ${row.nodes} nodes took ${fmt(best.ms)}: the target is ≤ ${fmt(TARGET_MS)}`);
      failed = true;
    }
    if (ratio < TARGET_RATIO) {
      console.log(`  ✗ ratio ${ratio.toFixed(1)}× is under the target of ${TARGET_RATIO}×`);
      failed = true;
    }
  }
  if ((ONLY === undefined || ONLY === 'map') && !(await mapBench(RUNS))) failed = true;
  if ((ONLY === undefined || ONLY === 'field') && !(await fieldBench(RUNS))) failed = true;
  console.log(failed ? '\nbench:web: a target was missed' : `\nbench:web: targets met`);
  process.exit(failed ? 1 : 0);
}

await main();
