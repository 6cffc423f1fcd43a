/**
 * `npm run bench` (not part of `npm test`): a domain-shaped graph of 100k nodes / 300k links, loaded into the
 * embedded store; p50/p95 of search, node, neighbours, lineage, paths and subgraph; cold start and RSS; HTTP
 * load on GET /api/nodes/:id against a bare Express JSON route. Prints figures and the targets they meet or miss.
 * BENCH_NODES (or --nodes) / BENCH_LINKS (or --links; default 3× the nodes) / BENCH_RUNS / BENCH_HTTP_SECONDS change
 * the size. `--store embedded` runs only the embedded store's ceiling (embedded-ceiling.ts), e.g. `--nodes 1000000`
 * (`--fill snapshot` writes its folder directly instead of through the store's writes: minutes instead of an hour). Then the real national seed (seed/):
 * counts as GET /api/stats gives them, cold start and RSS, and the village import. BENCH_ONLY=seed runs only that.
 * On Neo4j (when Java and Maven are here): every read through the app over HTTP against the same Cypher run bare
 * (app-vs-cypher.ts); BENCH_ONLY=neo4j runs only that.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import neo4j from 'neo4j-driver';
import { parse } from 'csv-parse/sync';
import { applyImport, planImport } from '../../server/import/import.service.ts';
import { VILLAGES_FILE } from '../../server/seed/gazetteer.ts';
import { seedStore } from '../../server/seed/seed.service.ts';
import { EmbeddedStore } from '../../server/store/embedded/embedded.store.ts';
import { Neo4jStore } from '../../server/store/neo4j/neo4j.store.ts';
import { neo4jAvailability, startNeo4j } from '../neo4j-server/neo4j-server.ts';
import type { GraphStore } from '../../server/store/graph-store.ts';
import { ROOT, SEED_DIR } from '../support/seed-fixture.ts';
import { tempDir } from '../support/temp-dir.ts';
import { benchEmbeddedCeiling } from './embedded-ceiling.ts';
import { printAppVsCypher, timeAppVsCypher } from './app-vs-cypher.ts';
import { timeOperations, type Timing } from './bench-ops.ts';
import { generateDomainGraph, type GeneratedGraph } from '../support/graph-generator.ts';
import { bareLoad, bareLoadFloor, bareLoadRebuildingIndexes, clearAudit, emptyDatabase } from './neo4j-load.ts';
import { BULK_LOAD_DEFAULTS } from '../../server/store/neo4j/neo4j.bulk-load.ts';

/** `--name value` of the command line (`npm run bench -- --nodes 1000000 [--links 3000000] [--neo4j-only]`, `--store embedded`), else undefined. */
function argument(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
}
const NODES = Number(argument('nodes') ?? process.env.BENCH_NODES ?? 100_000);
const LINKS = Number(argument('links') ?? process.env.BENCH_LINKS ?? 3 * NODES);
/**
 * Beyond 300k nodes the bench is the Neo4j one only (the embedded store's part holds the graph several times),
 * unless `--store embedded` asks for the embedded store's ceiling.
 */
if ((process.argv.includes('--neo4j-only') || NODES > 300_000) && argument('store') === undefined) process.env.BENCH_ONLY ??= 'neo4j';
/**
 * The Maven-launched Neo4j's memory (tests/neo4j-server: NEO4J_PAGECACHE, default 128m; heap -Xmx512m unless
 * NEO4J_JAVA_OPTS says otherwise): beyond 300k nodes the bench gives it 2 GB of each unless told otherwise.
 */
if (NODES > 300_000) {
  process.env.NEO4J_PAGECACHE ??= '2g';
  process.env.NEO4J_JAVA_OPTS ??= '-Xms2g -Xmx2g';
}
const heapOf = () => /-Xmx(\S+)/.exec(process.env.NEO4J_JAVA_OPTS ?? '')?.[1] ?? '512m';
/** Records per transaction tried by the bare load with the search indexes rebuilt (BENCH_BATCHES=1000,5000). */
const BATCHES = (process.env.BENCH_BATCHES ?? (NODES > 300_000 ? '10000' : '1000,5000,10000,20000')).split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 500);
const HTTP_SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const MB = 1024 * 1024;

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(3) : ms.toFixed(1));

export async function loadInChunks(store: GraphStore, graph: GeneratedGraph, chunk = 10_000): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < graph.nodes.length; i += chunk) await store.upsert({ nodes: graph.nodes.slice(i, i + chunk) }, { name: 'bench' });
  for (let i = 0; i < graph.links.length; i += chunk) await store.upsert({ links: graph.links.slice(i, i + chunk) }, { name: 'bench' });
  return performance.now() - started;
}

function runChild(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args.join(' ')} exited ${code}`))));
  });
}

async function startServer(mode: 'app' | 'bare', dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tests/bench/bench-server.ts'), mode, dataDir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`bench server ${mode} exited ${code}`)));
  });
  return { port, stop: () => new Promise<void>((r) => { child.once('exit', () => r()); child.kill('SIGTERM'); }) };
}

async function load(port: number, ids: string[]): Promise<{ rps: number; p50: number; p99: number; errors: number }> {
  let i = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: 20,
    duration: HTTP_SECONDS,
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/nodes/${ids[i++ % ids.length]}` }) }],
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.timeouts + result.non2xx };
}

function printSideBySide(embedded: Timing[], neo: Timing[]) {
  console.log('\nboth stores, same graph, same operations (p50 / p95 ms):');
  console.log('  operation      embedded p50   p95      Neo4j p50    p95');
  for (const e of embedded) {
    const n = neo.find((t) => t.op === e.op)!;
    console.log(`  ${e.op.padEnd(11)} ${fmt(e.p50).padStart(12)} ${fmt(e.p95).padStart(7)} ${fmt(n.p50).padStart(12)} ${fmt(n.p95).padStart(7)}`);
  }
}

/**
 * IATI import speed: the real Canada file (IATI 2.01, 85 activities) repeated with fresh identifiers into one
 * file of ~5,000 activities, read, mapped, compared and applied into an empty embedded store.
 */
async function benchImport(): Promise<void> {
  const source = fs.readFileSync(path.join(ROOT, 'tests', 'fixtures', 'iati', 'BD-IATI_donor-data_canada_canada-bd.xml'), 'utf8');
  const start = source.indexOf('<iati-activity ');
  const end = source.lastIndexOf('</iati-activity>') + '</iati-activity>'.length;
  const activities = source.slice(start, end);
  const copies = Number(process.env.BENCH_IATI_COPIES ?? 60);
  const body = Array.from({ length: copies }, (_, i) => activities.replace(/CA-3-([A-Z0-9]+)/g, `CA-3-$1-${i}`)).join('\n');
  const xml = `<iati-activities version="2.01">${body}</iati-activities>`;
  const dir = tempDir('dar-kg-bench-import-');
  const store = await EmbeddedStore.open({ dataDir: dir });
  try {
    const started = performance.now();
    const plan = await planImport(store, { file: 'bench-canada-x60.xml', bytes: Buffer.from(xml) }, 512 * MB);
    const planned = performance.now();
    await applyImport(store, plan, { name: 'bench' });
    const seconds = (performance.now() - started) / 1000;
    console.log(`\nIATI import into the embedded store: ${plan.activities} activities (${(xml.length / MB).toFixed(1)} MB, ${plan.nodes.length} nodes, ${plan.links.length} links) in ${seconds.toFixed(2)} s (dry run ${((planned - started) / 1000).toFixed(2)} s) = ${Math.round(plan.activities! / seconds)} activities/s — target 1,000/s ${plan.activities! / seconds >= 1000 ? 'met' : 'MISSED'}`);
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

type ColdStart = { ms: number; searchReadyMs: number; rss: number; nodes: number };

/** Median of three fresh processes running cold-start.ts on `dir` (with `extra` arguments). */
async function coldStartMedian(dir: string, ...extra: string[]): Promise<ColdStart> {
  const runs: ColdStart[] = [];
  for (let i = 0; i < 3; i++) runs.push(JSON.parse(await runChild([path.join(ROOT, 'tests/bench/cold-start.ts'), dir, ...extra])));
  runs.sort((a, b) => a.ms - b.ms);
  return runs[1]!;
}

/**
 * The real national seed (seed/: the curated D&D landscape and the gazetteer, as `npm run seed` loads it) in the
 * embedded store: counts as GET /api/stats reports them (the store's stats()), cold start and RSS against reading
 * and decoding the snapshot file alone, and the 14,578 villages through the import pipeline (planImport + apply,
 * as `npm run import -- … --apply`) against parsing the CSV file alone.
 */
async function benchSeed(): Promise<void> {
  const dir = tempDir('dar-kg-bench-seed-');
  try {
    let store = await EmbeddedStore.open({ dataDir: dir });
    let started = performance.now();
    const seeded = await seedStore(store, SEED_DIR);
    console.log(`
national seed (seed/): ${seeded.nodes} nodes, ${seeded.links} links read, validated and written in ${((performance.now() - started) / 1000).toFixed(2)} s`);
    const stats = await store.stats();
    const line = (counts: Record<string, number | undefined>) =>
      Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} ${n}`).join(', ');
    const total = (counts: Record<string, number | undefined>) => Object.values(counts).reduce<number>((a, n) => a + (n ?? 0), 0);
    console.log(`  nodes (${total(stats.nodes)}): ${line(stats.nodes)}`);
    console.log(`  links (${total(stats.links)}): ${line(stats.links)}`);
    const q = stats.quality;
    console.log(`  quality (GET /api/stats): ${q.nodesMissingKhmer} nodes missing Khmer, ${q.nodesMissingEnglish} missing English, ${q.linksWithoutSource} links without a source, ${q.draftLinks} draft links`);
    await store.close();
    console.log(`  snapshot: ${(fs.statSync(path.join(dir, 'graph.snapshot.json')).size / MB).toFixed(1)} MB`);

    const cold = await coldStartMedian(dir);
    const base = await coldStartMedian(dir, '--snapshot-only');
    console.log(`  cold start (fresh process: open the seeded DATA_DIR, build the graph) median of 3: ${fmt(cold.ms)} ms; search ready at ${fmt(cold.searchReadyMs)} ms`);
    console.log(`  baseline, reading and decoding the snapshot file alone: ${fmt(base.ms)} ms — cold start ${(cold.ms / base.ms).toFixed(1)}×, search ready ${(cold.searchReadyMs / base.ms).toFixed(1)}× the baseline`);
    console.log(`  RSS after cold start: ${(cold.rss / MB).toFixed(0)} MB (the snapshot read alone: ${(base.rss / MB).toFixed(0)} MB)`);

    const file = path.join(SEED_DIR, VILLAGES_FILE);
    const bytes = fs.readFileSync(file);
    started = performance.now();
    const rows = (parse(bytes.toString('utf8'), { bom: true, columns: true, skip_empty_lines: true }) as unknown[]).length;
    const parseMs = performance.now() - started;
    store = await EmbeddedStore.open({ dataDir: dir });
    try {
      started = performance.now();
      const plan = await planImport(store, { file: path.basename(file), bytes }, 512 * MB);
      const planned = performance.now();
      const result = await applyImport(store, plan, { name: 'bench' });
      const importMs = performance.now() - started;
      console.log(`  villages: ${rows} rows (${(bytes.length / MB).toFixed(1)} MB) imported (planImport + applyImport) in ${(importMs / 1000).toFixed(2)} s (plan ${((planned - started) / 1000).toFixed(2)} s): ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged; ${plan.nodes.length} nodes, ${plan.links.length} links`);
      console.log(`  baseline, parsing the CSV file alone (csv-parse): ${fmt(parseMs)} ms — import ${(importMs / parseMs).toFixed(1)}× the baseline`);
      const after = await store.stats();
      console.log(`  after the villages: ${total(after.nodes)} nodes, ${total(after.links)} links; AdminArea ${after.nodes.AdminArea ?? 0}, PART_OF ${after.links.PART_OF ?? 0}`);
    } finally {
      await store.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The same graph and operations on a real Neo4j (the Maven launcher), when Java and Maven are here. */
async function benchNeo4j(graph: GeneratedGraph): Promise<Timing[] | undefined> {
  const available = neo4jAvailability();
  if (!available.ok) {
    console.log(`\nNeo4j: skipped (${available.reason})`);
    return undefined;
  }
  const server = await startNeo4j({ log: () => {} });
  try {
    const store = await Neo4jStore.connect(
      { uri: server.uri, username: 'neo4j', password: undefined, database: 'neo4j', connectTimeoutMs: 60_000 },
      () => {},
    );
    try {
      // Baselines first (the constraints and indexes are in place: the store created them), then the app, each
      // into the emptied database.
      const records = graph.nodes.length + graph.links.length;
      const rate = (ms: number) => Math.round(records / (ms / 1000)).toLocaleString('en');
      const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
      console.log(`\nNeo4j ${server.version} (Maven launcher: heap ${heapOf()}, page cache ${process.env.NEO4J_PAGECACHE ?? '128m'}), loading ${graph.nodes.length.toLocaleString('en')} nodes + ${graph.links.length.toLocaleString('en')} links = ${records.toLocaleString('en')} records:`);
      const big = NODES > 300_000;
      // The app's load writes one audit entry holding every record (as a seed does), in parts of 10,000 changes (no
      // longer one node of ~2 GB of JSON at 1M nodes / 3M links), but the app still holds the whole plan and entry in
      // Node.js memory; not measured at that size yet, so there the reads run on the last bare load's data unless
      // BENCH_APP_LOAD=1.
      const appLoadSkipped = big && process.env.BENCH_APP_LOAD !== '1';
      // BENCH_LOAD_QUICK=1: only the bare load with the indexes rebuilt as the baseline (the two slowest loads left out).
      const fewBaselines = big || process.env.BENCH_LOAD_QUICK === '1';
      let bareMs: number | undefined;
      if (!fewBaselines) {
        bareMs = await bareLoad(server.uri, graph, 5_000);
        await emptyDatabase(server.uri);
        console.log(`  baseline, bare neo4j-driver with the search indexes in place (UNWIND CREATE, 5,000 per transaction, no checks or audit): ${s(bareMs)} (${rate(bareMs)} records/s)`);
      }
      let bestBare = Number.POSITIVE_INFINITY;
      for (const batch of BATCHES) {
        const rebuilt = await bareLoadRebuildingIndexes(server.uri, graph, batch);
        if (!(appLoadSkipped && batch === BATCHES.at(-1))) await emptyDatabase(server.uri);
        bestBare = Math.min(bestBare, rebuilt.totalMs);
        console.log(`  baseline, bare with the 4 search indexes dropped and rebuilt after, ${batch.toLocaleString('en')} per transaction: ${s(rebuilt.totalMs)}, of which ${s(rebuilt.rebuildMs)} rebuilding (${rate(rebuilt.totalMs)} records/s)${bareMs ? ` — ${(bareMs / rebuilt.totalMs).toFixed(2)}× the bare load with the indexes in place` : ''}`);
      }
      // The floor: what no load here can beat (neo4j-load.ts, bareLoadFloor), against the 50,000 records/s target;
      // after the bare loads, so that Neo4j and Node.js are warm.
      const floor = await bareLoadFloor(server.uri, graph, BATCHES.at(-1)!);
      const perS = (count: number, ms: number) => Math.round(count / (ms / 1000)).toLocaleString('en');
      console.log(`  floor, the ${graph.nodes.length.toLocaleString('en')} node rows only sent to Neo4j and counted (nothing written; ${BATCHES.at(-1)!.toLocaleString('en')} per transaction, only the statements timed): ${s(floor.sendMs)} (${perS(graph.nodes.length, floor.sendMs)} rows/s); the nodes created with their id and name alone: ${s(floor.createMs)} (${perS(graph.nodes.length, floor.createMs)} nodes/s)`);
      if (!fewBaselines) {
        // Before: the ordinary path (what a load into an empty database did before bulk loads), upserts of 5,000.
        const ordinary = await Neo4jStore.connect(
          { uri: server.uri, username: 'neo4j', password: undefined, database: 'neo4j', connectTimeoutMs: 60_000, bulkLoad: { minChanges: Number.POSITIVE_INFINITY, batch: 1 } },
          () => {},
        );
        const beforeMs = await loadInChunks(ordinary, graph, 5_000).finally(() => ordinary.close());
        await emptyDatabase(server.uri);
        await clearAudit(server.uri);
        console.log(`  app before (the ordinary write: upserts of 5,000, one transaction and one audit entry each): ${s(beforeMs)} (${rate(beforeMs)} records/s)`);
      }
      if (appLoadSkipped) {
        console.log(`  app bulk load: not run at this size (one audit entry of ${records.toLocaleString('en')} changes; BENCH_APP_LOAD=1 runs it); the reads below run on the last bare load's data`);
      } else {
        try {
          await appLoad();
        } catch (error) {
          // Said, and the reads still measured: on the bare load's data, loaded again.
          console.log(`  app bulk load FAILED: ${error instanceof Error ? error.message : String(error)}; the reads below run on a bare load's data`);
          await emptyDatabase(server.uri);
          await bareLoadRebuildingIndexes(server.uri, graph, BATCHES.at(-1)!);
        }
      }
      async function appLoad() {
        // After: one upsert of the whole graph (as `npm run seed` and an import write), a bulk load: one audit entry.
        let progressAt = 0;
        const loadStarted = performance.now();
        await store.upsert({ nodes: graph.nodes, links: graph.links }, { name: 'bench' }, {
          onProgress: (written, total) => {
            if (performance.now() - progressAt < 10_000) return;
            progressAt = performance.now();
            console.log(`    … ${written.toLocaleString('en')} of ${total.toLocaleString('en')} records at ${s(progressAt - loadStarted)}`);
          },
        });
        const loadMs = performance.now() - loadStarted;
        const loadRate = Math.round(records / (loadMs / 1000));
        console.log(`  app (one upsert of the graph into the empty database: a bulk load, ${BULK_LOAD_DEFAULTS.batch.toLocaleString('en')} per transaction, indexes rebuilt, one audit entry written in parts): ${s(loadMs)} (${loadRate.toLocaleString('en')} records/s) — ${(loadMs / bestBare).toFixed(2)}× the best bare load with the indexes rebuilt${bareMs ? `, ${(bareMs / loadMs).toFixed(2)}× faster than the bare load with the indexes in place` : ''} — target 50,000 records/s ${loadRate >= 50_000 ? 'met' : 'MISSED'}`);
      }
      const bare = neo4j.driver(server.uri);
      try {
        const side = await timeAppVsCypher(store, bare, graph, Math.min(RUNS, 200));
        printAppVsCypher(
          `Neo4j ${server.version}: the app over HTTP against the same Cypher run bare (neo4j-driver), same database, same run (ms):`,
          side,
          { ratio: 1.5, searchP95: 20 },
        );
      } finally {
        await bare.close();
      }
      if (process.env.BENCH_ONLY === 'neo4j') return undefined;
      const timings = await timeOperations(store, graph, Math.min(RUNS, 200));
      printTimings(`Neo4j ${server.version} (Bolt on loopback, heap ${heapOf()}, page cache ${process.env.NEO4J_PAGECACHE ?? '128m'}):`, timings);
      return timings;
    } finally {
      await store.close();
    }
  } finally {
    await server.stop();
  }
}

function printTimings(title: string, timings: Timing[]) {
  console.log(`\n${title}`);
  console.log('  operation    runs    p50 ms    p95 ms    max ms   target p95');
  for (const t of timings) {
    const verdict = t.target === undefined ? '' : `${t.target} ms ${t.p95 <= t.target ? 'met' : `MISSED by ${fmt(t.p95 - t.target)} ms`}`;
    console.log(`  ${t.op.padEnd(11)} ${String(t.runs).padStart(5)} ${fmt(t.p50).padStart(9)} ${fmt(t.p95).padStart(9)} ${fmt(t.max).padStart(9)}   ${verdict}`);
  }
}

async function main() {
  const storeArgument = argument('store');
  if (storeArgument !== undefined && storeArgument !== 'embedded') throw new Error(`--store: embedded is the only one (Neo4j: BENCH_ONLY=neo4j), not ${storeArgument}`);
  if (storeArgument === 'embedded') {
    const filling = argument('fill') ?? 'writes';
    if (filling !== 'writes' && filling !== 'snapshot') throw new Error(`--fill: writes or snapshot, not ${filling}`);
    await benchEmbeddedCeiling(NODES, LINKS, Math.min(RUNS, 300), filling);
    return;
  }
  if (process.env.BENCH_ONLY === 'neo4j') {
    console.log(`DAR Knowledge Graph benchmark — Neo4j only (BENCH_ONLY=neo4j), ${NODES.toLocaleString('en')} nodes, ${LINKS.toLocaleString('en')} links`);
    await benchNeo4j(generateDomainGraph({ nodes: NODES, links: LINKS }));
    return;
  }
  if (process.env.BENCH_ONLY === 'seed') {
    console.log('DAR Knowledge Graph benchmark — the national seed only (BENCH_ONLY=seed)');
    await benchSeed();
    return;
  }
  console.log(`DAR Knowledge Graph benchmark — ${NODES.toLocaleString('en')} nodes, ${LINKS.toLocaleString('en')} links, ${RUNS} runs per operation`);
  let t = performance.now();
  const graph = generateDomainGraph({ nodes: NODES, links: LINKS });
  console.log(`generated ${graph.nodes.length} nodes / ${graph.links.length} links in ${fmt(performance.now() - t)} ms`);

  const dir = tempDir('dar-kg-bench-');
  const store = await EmbeddedStore.open({ dataDir: dir });
  const loadMs = await loadInChunks(store, graph);
  console.log(`embedded: loaded in ${(loadMs / 1000).toFixed(2)} s (${Math.round((graph.nodes.length + graph.links.length) / (loadMs / 1000)).toLocaleString('en')} records/s, journal fsync'd per chunk)`);
  t = performance.now();
  await store.close();
  console.log(`embedded: compacted to a snapshot of ${(fs.statSync(path.join(dir, 'graph.snapshot.json')).size / MB).toFixed(1)} MB in ${fmt(performance.now() - t)} ms`);

  const colds: { ms: number; searchReadyMs: number; rss: number }[] = [];
  for (let i = 0; i < 3; i++) colds.push(JSON.parse(await runChild([path.join(ROOT, 'tests/bench/cold-start.ts'), dir])));
  colds.sort((a, b) => a.ms - b.ms);
  const cold = colds[1]!;
  console.log(`embedded: cold start to serving (read snapshot + journal, build the graph) median of 3: ${(cold.ms / 1000).toFixed(2)} s — target 2 s ${cold.ms <= 2000 ? 'met' : `MISSED by ${((cold.ms - 2000) / 1000).toFixed(2)} s`}`);
  console.log(`embedded: search index ready (built in the background after start) at ${(cold.searchReadyMs / 1000).toFixed(2)} s`);
  console.log(`embedded: RSS after cold start: ${(cold.rss / MB).toFixed(0)} MB — target 500 MB ${cold.rss <= 500 * MB ? 'met' : `MISSED by ${((cold.rss - 500 * MB) / MB).toFixed(0)} MB`}`);

  const reopened = await EmbeddedStore.open({ dataDir: dir });
  const timings = await timeOperations(reopened, graph, RUNS);
  printTimings('embedded store, in process:', timings);
  await reopened.close();

  const ids = Array.from({ length: 5000 }, (_, i) => graph.nodes[(i * 7919) % graph.nodes.length]!.id);
  const app = await startServer('app', dir);
  const appLoad = await load(app.port, ids);
  await app.stop();
  const bare = await startServer('bare', dir);
  const bareLoad = await load(bare.port, ids);
  await bare.stop();
  const ratio = appLoad.rps / bareLoad.rps;
  console.log(`\nHTTP GET /api/nodes/:id, 20 connections, ${HTTP_SECONDS} s each (autocannon):`);
  console.log(`  app:          ${Math.round(appLoad.rps)} req/s, p50 ${appLoad.p50} ms, p99 ${appLoad.p99} ms, errors ${appLoad.errors}`);
  console.log(`  bare Express: ${Math.round(bareLoad.rps)} req/s, p50 ${bareLoad.p50} ms, p99 ${bareLoad.p99} ms, errors ${bareLoad.errors}`);
  console.log(`  ratio app / bare: ${ratio.toFixed(2)} — target 0.5 ${ratio >= 0.5 ? 'met' : 'MISSED'}`);

  fs.rmSync(dir, { recursive: true, force: true });

  await benchImport();
  await benchSeed();

  if (process.env.BENCH_NEO4J !== '0') {
    const neo = await benchNeo4j(graph);
    if (neo) printSideBySide(timings, neo);
  }
}

if (process.argv[1]?.endsWith("bench.ts")) await main();
