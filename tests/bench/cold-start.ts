/**
 * Child process of the benchmark: opens the embedded store in DATA_DIR and reports times and RSS as JSON. With
 * `--snapshot-only` it only reads and decodes the snapshot file (the store's own reader): the baseline of a cold start.
 */
import { getHeapStatistics } from 'node:v8';
import { readSnapshot } from '../../server/store/embedded/data-dir.ts';
import { EmbeddedStore } from '../../server/store/embedded/embedded.store.ts';

const dataDir = process.argv[2]!;
if (process.argv.includes('--snapshot-only')) {
  const started = performance.now();
  const snapshot = await readSnapshot(dataDir);
  const ms = performance.now() - started;
  global.gc?.();
  const m = process.memoryUsage();
  console.log(JSON.stringify({ ms, firstReadMs: ms, searchReadyMs: ms, rss: m.rss, heapUsed: m.heapUsed, heapLimit: getHeapStatistics().heap_size_limit, nodes: snapshot?.nodes.length ?? 0 }));
  process.exit(0);
}
const started = performance.now();
const store = await EmbeddedStore.open({ dataDir });
const ms = performance.now() - started;
// The first read a request makes (the store's count, as GET /api/stats does): served before search is ready.
const nodes = await store.countNodes();
const firstReadMs = performance.now() - started;
await store.whenSearchReady();
const searchReadyMs = performance.now() - started;
global.gc?.();
const m = process.memoryUsage();
console.log(JSON.stringify({ ms, firstReadMs, searchReadyMs, rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers, heapLimit: getHeapStatistics().heap_size_limit, nodes }));
process.exit(0); // no compaction on the way out: the snapshot is already current
