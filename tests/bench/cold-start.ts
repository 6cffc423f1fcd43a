/** Child process of the benchmark: opens the embedded store in DATA_DIR and reports times and RSS as JSON. */
import { EmbeddedStore } from '../../server/store/embedded/embedded.store.ts';

const started = performance.now();
const store = await EmbeddedStore.open({ dataDir: process.argv[2]! });
const ms = performance.now() - started;
await store.whenSearchReady();
const searchReadyMs = performance.now() - started;
const nodes = await store.countNodes();
global.gc?.();
const m = process.memoryUsage();
console.log(JSON.stringify({ ms, searchReadyMs, rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers, nodes }));
process.exit(0); // no compaction on the way out: the snapshot is already current
