/**
 * The embedded store's ceiling (`npm run bench -- --store embedded --nodes 300000`, or 1000000): a generated graph
 * of N nodes and 3N links (`--links` to change) loaded through the store's own writes, then, each against its
 * baseline in the same run:
 * - cold start: a fresh process opens the folder and answers its first read (and later has search ready), against
 *   a fresh process that only reads and decodes the snapshot file with the store's own reader;
 * - RSS of both, and the snapshot's size on disk;
 * - every read's p50/p95 in process, search against a linear scan of the same search keys (keyMatches on every
 *   node: what search would cost without its index).
 * Not part of `npm test` (a 1M run takes many minutes and several GB).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { keyMatches, parseQuery, searchKey } from '../../server/search/search.ranking.ts';
import { SCHEMA_VERSION, type GraphLink, type GraphNode } from '../../server/schema/graph.schema.ts';
import { SNAPSHOT_FILE, writeSchemaVersion, writeSnapshot } from '../../server/store/embedded/data-dir.ts';
import { EmbeddedStore } from '../../server/store/embedded/embedded.store.ts';
import { generateDomainGraph, rng, type GeneratedGraph } from '../support/graph-generator.ts';
import { ROOT } from '../support/seed-fixture.ts';
import { tempDir } from '../support/temp-dir.ts';
import { benchQueries, time, timeOperations, type Timing } from './bench-ops.ts';

const MB = 1024 * 1024;
const fmt = (ms: number) => (ms < 10 ? ms.toFixed(3) : ms.toFixed(1));
const s = (ms: number) => (ms / 1000).toFixed(2);

interface ColdStart {
  ms: number;
  firstReadMs: number;
  searchReadyMs: number;
  rss: number;
  heapUsed: number;
  /** The child's own heap limit (bytes). */
  heapLimit: number;
  nodes: number;
}

/**
 * A fresh Node process on `args`, with Node's default heap limit (the bench's own NODE_OPTIONS, which a 1M run
 * needs for the generated graph, are not passed on) unless `heapMb` is given.
 */
function runChild(args: string[], heapMb?: number): Promise<string> {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const heap = heapMb === undefined ? [] : [`--max-old-space-size=${heapMb}`];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', ...heap, '--import', 'tsx', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    child.on('exit', (code, signal) => (code === 0 ? resolve(out) : reject(new Error(`${args.join(' ')} exited ${code ?? signal}: ${err.trim().split('\n').slice(-3).join(' / ')}`))));
  });
}

/**
 * Median (by first read) of `runs` fresh processes running cold-start.ts on `dir`: with Node's default heap, or,
 * when that runs out, with BENCH_CHILD_HEAP_MB (default 8192) — which the output says.
 */
async function coldStartMedian(dir: string, runs: number, ...extra: string[]): Promise<ColdStart> {
  const all: ColdStart[] = [];
  let heapMb: number | undefined;
  for (let i = 0; i < runs; i++) {
    const args = [path.join(ROOT, 'tests/bench/cold-start.ts'), dir, ...extra];
    try {
      all.push(JSON.parse(await runChild(args, heapMb)) as ColdStart);
    } catch (error) {
      if (heapMb !== undefined) throw error;
      heapMb = Number(process.env.BENCH_CHILD_HEAP_MB ?? 8192);
      console.log(`  ${extra.length > 0 ? 'the snapshot read' : 'cold start'} FAILED with Node's default heap limit: ${(error as Error).message.slice(0, 300)}`);
      console.log(`  again with --max-old-space-size=${heapMb}`);
      i -= 1;
    }
  }
  all.sort((a, b) => a.firstReadMs - b.firstReadMs);
  return all[Math.floor(all.length / 2)]!;
}

async function load(store: EmbeddedStore, graph: GeneratedGraph, chunk = 10_000): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < graph.nodes.length; i += chunk) await store.upsert({ nodes: graph.nodes.slice(i, i + chunk) }, { name: 'bench' });
  for (let i = 0; i < graph.links.length; i += chunk) await store.upsert({ links: graph.links.slice(i, i + chunk) }, { name: 'bench' });
  return performance.now() - started;
}

/**
 * The folder a load through the store's writes leaves after compaction, written directly (`--fill snapshot`): every
 * record stamped as a write stamps it (created/updated at and by, version 1; one time per chunk of 10,000, as each
 * write of the load shares one), written by the store's own writeSnapshot, and the schema version. The audit trail
 * such a load leaves is not written: it is never read at start. Minutes instead of an hour at 1M nodes.
 */
async function fill(dir: string, graph: GeneratedGraph, chunk = 10_000): Promise<number> {
  const started = performance.now();
  const base = Date.now();
  let seq = 0;
  const stamp = <T extends GraphNode | GraphLink>(records: readonly T[]): T[] =>
    records.map((record, i) => {
      if (i % chunk === 0) seq += 1;
      const at = new Date(base + seq).toISOString();
      return { ...record, created_at: at, created_by: 'bench', updated_at: at, updated_by: 'bench', version: 1 };
    });
  await writeSnapshot(dir, { seq: 0, nodes: stamp(graph.nodes), links: stamp(graph.links) });
  await writeSchemaVersion(dir, SCHEMA_VERSION);
  return performance.now() - started;
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(full) : fs.statSync(full).size;
  }
  return total;
}

export async function benchEmbeddedCeiling(nodes: number, links: number, runs: number, filling: 'writes' | 'snapshot' = 'writes'): Promise<void> {
  console.log(`DAR Knowledge Graph benchmark — the embedded store's ceiling: ${nodes.toLocaleString('en')} nodes, ${links.toLocaleString('en')} links, ${runs} runs per read, filled by ${filling === 'writes' ? "the store's writes" : 'writing its snapshot directly (--fill snapshot)'}`);
  let t = performance.now();
  const graph = generateDomainGraph({ nodes, links });
  console.log(`generated ${graph.nodes.length.toLocaleString('en')} nodes / ${graph.links.length.toLocaleString('en')} links in ${s(performance.now() - t)} s`);
  const dir = tempDir('dar-kg-bench-ceiling-');
  try {
    const records = graph.nodes.length + graph.links.length;
    let store: EmbeddedStore;
    if (filling === 'writes') {
      store = await EmbeddedStore.open({ dataDir: dir });
      const loadMs = await load(store, graph);
      console.log(`loaded through the store's writes (chunks of 10,000, each journalled and audited) in ${s(loadMs)} s (${Math.round(records / (loadMs / 1000)).toLocaleString('en')} records/s)`);
      t = performance.now();
      await store.close();
      console.log(`compacted on close in ${s(performance.now() - t)} s`);
    } else {
      const fillMs = await fill(dir, graph);
      console.log(`snapshot of the stamped records written by the store's writeSnapshot in ${s(fillMs)} s (no audit trail: it is not read at start)`);
    }
    const snapshotBytes = fs.statSync(path.join(dir, SNAPSHOT_FILE)).size;
    console.log(`snapshot ${(snapshotBytes / MB).toFixed(0)} MB on disk, the whole DATA_DIR ${(folderBytes(dir) / MB).toFixed(0)} MB`);

    const coldRuns = Number(process.env.BENCH_COLD_RUNS ?? 3);
    const cold = await coldStartMedian(dir, coldRuns);
    const base = await coldStartMedian(dir, coldRuns, '--snapshot-only');
    console.log(`\ncold start, fresh process, median of ${coldRuns} (baseline: a fresh process that only reads and decodes the snapshot, same run):`);
    console.log(`  open the DATA_DIR and answer the first read: ${s(cold.firstReadMs)} s — ${(cold.firstReadMs / base.ms).toFixed(1)}× the baseline (${s(base.ms)} s)`);
    console.log(`  search ready (index built in the background): ${s(cold.searchReadyMs)} s — ${(cold.searchReadyMs / base.ms).toFixed(1)}× the baseline`);
    console.log(`  RSS ${(cold.rss / MB).toFixed(0)} MB, JS heap ${(cold.heapUsed / MB).toFixed(0)} MB of a ${(cold.heapLimit / MB).toFixed(0)} MB limit (baseline: RSS ${(base.rss / MB).toFixed(0)} MB, heap ${(base.heapUsed / MB).toFixed(0)} MB)`);

    store = await EmbeddedStore.open({ dataDir: dir });
    try {
      await store.whenSearchReady();
      const timings = await timeOperations(store, graph, runs);
      // Baseline: the same queries answered by testing every node's search key (no index), same process, same run.
      const queries = benchQueries(graph, rng(7)).map(parseQuery);
      const keys = graph.nodes.map(searchKey);
      const scan = await time('linear scan', Math.min(runs, 50), async (i) => {
        const q = queries[i % queries.length]!;
        let found = 0;
        for (const key of keys) if (keyMatches(key, q)) found += 1;
        return found;
      });
      print(timings, scan);
    } finally {
      await store.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function print(timings: Timing[], scan: Timing): void {
  console.log('\nreads in process (ms):');
  console.log('  operation      runs    p50 ms    p95 ms    max ms');
  for (const t of [...timings, scan]) {
    console.log(`  ${t.op.padEnd(12)} ${String(t.runs).padStart(6)} ${fmt(t.p50).padStart(9)} ${fmt(t.p95).padStart(9)} ${fmt(t.max).padStart(9)}`);
  }
  const search = timings.find((t) => t.op === 'search')!;
  console.log(`  search p95 is ${(search.p95 / scan.p95).toFixed(3)}× a linear scan of the same keys (p95 ${fmt(scan.p95)} ms)`);
}
