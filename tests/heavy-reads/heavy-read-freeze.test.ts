/**
 * Issue 19 item 3: one anonymous heavy read must not freeze the server. The real server (as users run it) on a
 * generated graph of 5,000 nodes and 30,000 links: betweenness centrality, then 0.3 s later a health check. The
 * health check must be answered before the heavy read (ordering, not a wall-clock limit), and the heavy read must
 * still answer correctly (or with the deadline error when it runs past it).
 */
import { UndirectedGraph } from 'graphology';
import betweennessCentrality from 'graphology-metrics/centrality/betweenness.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSnapshot } from '../../server/store/embedded/data-dir.ts';
import { generateDomainGraph } from '../support/graph-generator.ts';
import { startServer, type ServerProcess } from '../support/server-process.ts';
import { tempDir } from '../support/temp-dir.ts';

const graph = generateDomainGraph({ nodes: 5000, links: 30_000, seed: 19 });
let server: ServerProcess;

beforeAll(async () => {
  const dataDir = tempDir('dar-kg-heavy-');
  await writeSnapshot(dataDir, { seq: 0, nodes: graph.nodes, links: graph.links });
  server = await startServer({ DATA_DIR: dataDir, SEED_ON_EMPTY: '0', HEAVY_READ_TIMEOUT_MS: '600000' });
}, 120_000);

afterAll(async () => {
  await server?.kill('SIGKILL');
});

describe('a heavy read on the real server (embedded store, 5,000 nodes / 30,000 links)', () => {
  it('answers a health check sent 0.3 s after betweenness before betweenness completes, and betweenness is right', async () => {
    expect(graph.nodes.length).toBe(5000);
    expect(graph.links.length).toBe(30_000);
    const order: string[] = [];
    const heavy = fetch(`${server.url}/api/analytics/centrality?measure=betweenness&limit=10`).then(async (res) => {
      order.push('betweenness');
      return { status: res.status, body: (await res.json()) as { results: { id: string; score: number }[]; graph: { nodes: number; links: number } } };
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const health = fetch(`${server.url}/api/health`).then(async (res) => {
      order.push('health');
      return { status: res.status, body: (await res.json()) as { ok: boolean } };
    });
    const [h, b] = await Promise.all([health, heavy]);
    expect(h.status).toBe(200);
    expect(h.body.ok).toBe(true);
    expect(order).toEqual(['health', 'betweenness']);

    expect(b.status).toBe(200);
    // The same measure computed here, directly with graphology, on the same graph (breadth-first: the links have no
    // weights, and graphology's default Dijkstra gives every score equal, 3.4 times slower).
    const g = new UndirectedGraph();
    for (const node of graph.nodes) g.addNode(node.id);
    for (const link of graph.links) if (link.from !== link.to) g.mergeEdge(link.from, link.to);
    const expected = betweennessCentrality(g, { normalized: true, getEdgeWeight: null });
    const top = Object.entries(expected)
      .map(([id, score]) => ({ id, score: Math.round(score * 1e6) / 1e6, degree: g.degree(id) }))
      .sort((a, c) => c.score - a.score || c.degree - a.degree || a.id.localeCompare(c.id))
      .slice(0, 10);
    expect(b.body.graph).toEqual({ nodes: g.order, links: g.size });
    expect(b.body.results.map((r) => ({ id: r.id, score: r.score }))).toEqual(top.map((r) => ({ id: r.id, score: r.score })));
  }, 400_000);
});
