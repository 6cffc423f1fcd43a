/**
 * The app on Neo4j against Neo4j itself, in the same run: each read operation is asked of the app over HTTP (the
 * real Express app on the Neo4j store), while the Cypher statements the store runs for it are recorded; then the
 * same statements, with the same parameters, run bare through neo4j-driver (one read transaction per request, all
 * records consumed). The ratio of the two p95s is the app's overhead over the database's own speed.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import neo4j, { ManagedTransaction, type Driver } from 'neo4j-driver';
import { createApp } from '../../server/app.ts';
import { DEFAULT_READ_LIMITS } from '../../server/config.ts';
import type { Neo4jStore } from '../../server/store/neo4j/neo4j.store.ts';
import { rng, type GeneratedGraph } from '../support/graph-generator.ts';

export interface AppVsCypher {
  op: string;
  runs: number;
  app: { p50: number; p95: number };
  cypher: { p50: number; p95: number };
  statements: number;
  /** Rows the statements of one request return, on average (the bare replay's). */
  rows: number;
  /** The store's own call without HTTP (search only): app − store is HTTP and Express, store − cypher the store's JavaScript. */
  store?: { p50: number; p95: number };
}

type Statement = { query: string; params: unknown };
let recording: Statement[] | undefined;
let patched = false;

/** Records every statement run in a managed transaction while `recording` is set. */
function patchRecorder(): void {
  if (patched) return;
  patched = true;
  const proto = ManagedTransaction.prototype as unknown as { run: (this: unknown, query: string, params?: unknown) => unknown };
  const original = proto.run;
  proto.run = function (query: string, params?: unknown) {
    recording?.push({ query, params });
    return original.call(this, query, params);
  };
}

/**
 * The bench's HTTP client: node:http over one kept-alive connection, asking for what a browser accepts (the app
 * answers brotli), the body read to its end. Not `fetch`: undici's fetch costs the client ~0.8 ms a request here
 * (measured against node:http on the same answers), time that is the client's, not the app's.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent, headers: { 'accept-encoding': 'gzip, deflate, br' } }, (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

const percentiles = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p95: at(0.95) };
};

/** The paths of the requests the bench makes, per operation (English and Khmer search apart). */
export function benchRequests(graph: GeneratedGraph, runs: number): Record<string, string[]> {
  const random = rng(7);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const ids = graph.nodes.map((n) => n.id);
  const programmes = graph.nodes.filter((n) => n.label === 'Programme').map((n) => n.id);
  const sample = Array.from({ length: runs }, () => pick(graph.nodes));
  const q = (text: string) => `/api/search?q=${encodeURIComponent(text)}&limit=10`;
  return {
    'search en': sample.map((n, i) => {
      const words = n.name_en.split(' ');
      return q(i % 2 === 0 ? words[0]!.slice(0, 6) : `${words[0]} ${words[1] ?? ''}`.trim());
    }),
    'search km': sample.map((n, i) => q(i % 2 === 0 ? n.name_km.slice(0, 8) : n.name_km.slice(2, 7))),
    node: Array.from({ length: runs }, (_, i) => `/api/nodes/${ids[(i * 7919) % ids.length]}`),
    neighbours: Array.from({ length: runs }, (_, i) => `/api/nodes/${ids[(i * 104729) % ids.length]}/neighbours?direction=both&limit=50`),
    lineage: Array.from({ length: runs }, (_, i) => `/api/lineage/${programmes[(i * 31) % programmes.length]}?direction=both&depth=10`),
    paths: Array.from({ length: runs }, () => `/api/paths?from=${pick(ids)}&to=${pick(ids)}&maxHops=6&limit=25`),
    subgraph: Array.from({ length: runs }, (_, i) => `/api/subgraph?around=${ids[(i * 15485863) % ids.length]}&depth=1&limit=500`),
  };
}

export async function timeAppVsCypher(store: Neo4jStore, driver: Driver, graph: GeneratedGraph, runs: number): Promise<AppVsCypher[]> {
  patchRecorder();
  const app = createApp({ store, config: { requestBodyLimit: '1mb', reads: { ...DEFAULT_READ_LIMITS, readsPerMinute: 1_000_000 } } });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const out: AppVsCypher[] = [];
  try {
    const session = driver.session({ database: 'neo4j', defaultAccessMode: neo4j.session.READ });
    try {
      for (const [op, paths] of Object.entries(benchRequests(graph, runs))) {
        const appMs: number[] = [];
        const cypherMs: number[] = [];
        const storeMs: number[] = [];
        const recorded: Statement[][] = [];
        let rows = 0;
        for (let i = 0; i < Math.min(10, paths.length); i++) await get(base + paths[i]); // warm-up
        // Interleaved, request by request, so that the app and the bare Cypher meet the same caches and load.
        for (const path of paths) {
          // BENCH_WARM=1: the request once untimed first, so that the app does not meet colder caches than the bare replay after it.
          if (process.env.BENCH_WARM === '1') await get(base + path);
          recording = [];
          let started = process.hrtime.bigint();
          const status = await get(base + path);
          appMs.push(Number(process.hrtime.bigint() - started) / 1e6);
          if (status !== 200) throw new Error(`${path}: HTTP ${status}`);
          const statements = recording;
          recorded.push(statements);
          recording = undefined;
          started = process.hrtime.bigint();
          await session.executeRead(async (tx) => {
            for (const { query, params } of statements) rows += (await tx.run(query, params as Record<string, unknown>)).records.length;
          });
          cypherMs.push(Number(process.hrtime.bigint() - started) / 1e6);
          if (op.startsWith('search')) {
            // Where the time goes: the store's own call (its JavaScript and Cypher), without HTTP.
            const url = new URL(base + path);
            started = process.hrtime.bigint();
            await store.search({ q: url.searchParams.get('q')!, limit: Number(url.searchParams.get('limit')) });
            storeMs.push(Number(process.hrtime.bigint() - started) / 1e6);
          }
        }
        const statements = recorded.reduce((n, s) => n + s.length, 0) / recorded.length;
        out.push({ op, runs: paths.length, app: percentiles(appMs), cypher: percentiles(cypherMs), statements, rows: rows / paths.length, ...(storeMs.length > 0 ? { store: percentiles(storeMs) } : {}) });
      }
    } finally {
      await session.close();
    }
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return out;
}

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));

export function printAppVsCypher(title: string, rows: AppVsCypher[], targets: { ratio: number; searchP95: number }): void {
  console.log(`\n${title}`);
  console.log('  operation     runs  stmts   app p50   app p95   Cypher p50  Cypher p95   p95 ratio   targets');
  for (const r of rows) {
    const ratio = r.app.p95 / r.cypher.p95;
    const verdicts = [`≤ ${targets.ratio}× ${ratio <= targets.ratio ? 'met' : 'MISSED'}`];
    if (r.op.startsWith('search')) verdicts.push(`p95 ≤ ${targets.searchP95} ms ${r.app.p95 <= targets.searchP95 ? 'met' : 'MISSED'}`);
    console.log(
      `  ${r.op.padEnd(12)} ${String(r.runs).padStart(5)} ${r.statements.toFixed(1).padStart(6)} ${fmt(r.app.p50).padStart(9)} ${fmt(r.app.p95).padStart(9)} ${fmt(r.cypher.p50).padStart(12)} ${fmt(r.cypher.p95).padStart(11)} ${ratio.toFixed(2).padStart(10)}×   ${verdicts.join(', ')}`,
    );
    if (r.store) console.log(`  ${''.padEnd(12)} the store's call alone (no HTTP): p50 ${fmt(r.store.p50)}, p95 ${fmt(r.store.p95)} ms; ${r.rows.toFixed(0)} rows read per search`);
  }
}
