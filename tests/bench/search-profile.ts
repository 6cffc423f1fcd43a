/**
 * Where a Neo4j search's time goes (issue 14): the bench's search requests run through the store, each Cypher
 * statement timed by kind, the rest being the store's JavaScript. `npx tsx tests/bench/search-profile.ts`
 * (BENCH_NODES, default 10,000; nodes only, no links).
 */
import { ManagedTransaction } from 'neo4j-driver';
import { Neo4jStore } from '../../server/store/neo4j/neo4j.store.ts';
import { startNeo4j } from '../neo4j-server/neo4j-server.ts';
import { benchRequests } from './app-vs-cypher.ts';
import { generateDomainGraph } from '../support/graph-generator.ts';

const NODES = Number(process.env.BENCH_NODES ?? 10_000);
const graph = generateDomainGraph({ nodes: NODES, links: 1 });
const server = await startNeo4j({ log: () => {} });
const times = new Map<string, { n: number; ms: number; rows: number }>();
const proto = ManagedTransaction.prototype as unknown as { run: (this: unknown, query: string, params?: unknown) => Promise<{ records: unknown[] }> };
const original = proto.run;
proto.run = function (query: string, params?: unknown) {
  const name = query.split('\n')[0]!.slice(0, 60);
  const started = performance.now();
  const result = original.call(this, query, params);
  // Timed when its records are in; the result itself goes back as it is (it is more than a promise: keys(), summary()).
  void Promise.resolve(result).then((r) => {
    const t = times.get(name) ?? { n: 0, ms: 0, rows: 0 };
    t.n++;
    t.ms += performance.now() - started;
    t.rows += r.records.length;
    times.set(name, t);
  }, () => {});
  return result;
};
try {
  const store = await Neo4jStore.connect({ uri: server.uri, username: 'neo4j', password: undefined, database: 'neo4j', connectTimeoutMs: 60_000 }, () => {});
  for (let i = 0; i < graph.nodes.length; i += 5000) await store.upsert({ nodes: graph.nodes.slice(i, i + 5000) }, { name: 'bench' });
  const requests = benchRequests(graph, 200);
  for (const op of ['search en', 'search km']) {
    const queries = requests[op]!.map((path) => new URL(`http://x${path}`).searchParams.get('q')!);
    for (const q of queries.slice(0, 10)) await store.search({ q, limit: 10 }); // warm-up
    times.clear();
    const each: { q: string; ms: number }[] = [];
    const started = performance.now();
    for (const q of queries) {
      const t = performance.now();
      await store.search({ q, limit: 10 });
      each.push({ q, ms: performance.now() - t });
    }
    const total = performance.now() - started;
    const inCypher = [...times.values()].reduce((s, t) => s + t.ms, 0);
    console.log(`\n${op}: ${queries.length} searches, ${total.toFixed(0)} ms in all, ${inCypher.toFixed(0)} ms waiting for Cypher, ${(total - inCypher).toFixed(0)} ms elsewhere`);
    for (const [name, t] of times) console.log(`  ${String(t.n).padStart(4)} × ${(t.ms / t.n).toFixed(2).padStart(8)} ms, ${(t.rows / t.n).toFixed(1).padStart(7)} rows  ${name}`);
    console.log('  slowest:', each.sort((a, b) => b.ms - a.ms).slice(0, 8).map((e) => `${e.q} ${e.ms.toFixed(0)}ms`).join(', '));
  }
  await store.close();
} finally {
  await server.stop();
}
