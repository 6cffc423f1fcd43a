/**
 * Where a Neo4j search statement's time goes (issue 14): the bench's 200 English and 200 Khmer searches are run
 * through the store once, their Cypher recorded, then replayed bare (one read transaction each) in variants,
 * interleaved request by request, three rounds (the first untimed): `asis`; `idonly` (the rows carry the node's id
 * alone, not what ranking reads); `merged` (the one-cell bands as one index query, boosted 2^k so that a sum of
 * boosts orders as its best cell: timing only, its rows are not what the store would rank); `firstband` (the first
 * cell alone, which mostly finds nothing: what any such statement costs on this machine).
 * `npx tsx tests/bench/search-replay.ts` (BENCH_NODES, default 100,000, links 3×; VARIANTS=asis,merged picks).
 */
import neo4j from 'neo4j-driver';
import { Neo4jStore } from '../../server/store/neo4j/neo4j.store.ts';
import { startNeo4j } from '../neo4j-server/neo4j-server.ts';
import { benchRequests } from './app-vs-cypher.ts';
import { generateDomainGraph } from '../support/graph-generator.ts';
import { recordStatements } from '../neo4j/neo4j-fixture.ts';

const NODES = Number(process.env.BENCH_NODES ?? 100_000);
const graph = generateDomainGraph({ nodes: NODES, links: 3 * NODES });
const server = await startNeo4j({ log: () => {} });
const pct = (xs: number[], q: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]!; };
try {
  const store = await Neo4jStore.connect({ uri: server.uri, username: 'neo4j', password: undefined, database: 'neo4j', connectTimeoutMs: 60_000 }, () => {});
  const t = performance.now();
  await store.upsert({ nodes: graph.nodes, links: graph.links }, { name: 'bench' });
  console.log(`loaded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const requests = benchRequests(graph, 200);
  const rec = recordStatements();
  const perOp: Record<string, { query: string; params: Record<string, unknown> }[][]> = {};
  for (const op of ['search en', 'search km']) {
    perOp[op] = [];
    for (const path of requests[op]!) {
      rec.clear();
      await store.search({ q: new URL(`http://x${path}`).searchParams.get('q')!, limit: 10 });
      perOp[op]!.push([...rec.seen]);
    }
  }
  rec.restore();
  await store.close();
  const driver = neo4j.driver(server.uri);
  type P = Record<string, unknown>;
  // The first SINGLE one-cell bands as one query, boosts 2^(23-k) (a sum of distinct powers of two orders as its largest).
  const merged = (p: P): P => {
    const qs = p.queries as string[] | undefined;
    if (!qs) return p;
    const single = qs.slice(0, 24).filter((q) => !q.includes(' OR '));
    const one = single.map((q, k) => q.replace(/\^[0-9.]+$/, `^${2 ** (23 - k)}`)).join(' OR ');
    return { ...p, queries: [one, ...qs.slice(single.length)] };
  };
  const variants: Record<string, [(q: string) => string, (p: P) => P]> = {
    asis: [(q) => q, (p) => p],
    idonly: [(q) => q.replace(/RETURN band, score, floor, .*$/s, 'RETURN band, score, floor, node.id AS id'), (p) => p],
    merged: [(q) => q, merged],
    firstband: [(q) => q, (p) => (p.queries ? { ...p, queries: (p.queries as string[]).slice(0, 1) } : p)],
  };
  const only = process.env.VARIANTS?.split(',');
  for (const op of Object.keys(perOp)) {
    const times: Record<string, number[]> = {};
    const rows: Record<string, number> = {};
    for (let round = 0; round < 3; round++) {
      for (const statements of perOp[op]!) {
        for (const [name, [v, vp]] of Object.entries(variants)) {
          if (only && !only.includes(name)) continue;
          const session = driver.session({ database: 'neo4j', defaultAccessMode: neo4j.session.READ });
          const started = performance.now();
          await session.executeRead(async (tx) => { for (const s of statements) { const r = await tx.run(v(s.query), vp(s.params)); rows[name] = (rows[name] ?? 0) + r.records.length; } });
          const ms = performance.now() - started;
          await session.close();
          if (round > 0) (times[name] ??= []).push(ms);
        }
      }
    }
    const stmts = perOp[op]!.reduce((s, x) => s + x.length, 0) / perOp[op]!.length;
    console.log(`${op} (${stmts.toFixed(2)} statements/search):`);
    for (const [name, xs] of Object.entries(times)) console.log(`  ${name.padEnd(12)} p50 ${pct(xs, 0.5).toFixed(2)} p95 ${pct(xs, 0.95).toFixed(2)} mean ${(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(2)} ms, rows ${(rows[name]! / perOp[op]!.length / 3).toFixed(0)}`);
  }
  await driver.close();
} finally {
  await server.stop();
}
