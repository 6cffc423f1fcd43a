/**
 * A tiny HTTP server for large-scene tests and `npm run bench:web`: it serves the built explorer (web/dist) and
 * answers the few API calls a scene makes (subgraph, node, neighbours, search) from a seeded domain-shaped
 * graph, not from the product API; and it serves a plain Cytoscape page (canvas renderer, cose layout) on the
 * same graph, as the baseline to compare with.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { GraphLink, GraphNode } from '../../server/schema/graph.schema.ts';
import { generateDomainGraph } from '../support/graph-generator.ts';
import { ROOT } from '../support/seed-fixture.ts';

export interface FixtureServer {
  url: string;
  graph: { nodes: GraphNode[]; links: GraphLink[] };
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The baseline: Cytoscape as a page would use it out of the box, on the same graph. */
const BASELINE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Plain Cytoscape baseline</title>
<style>html,body,#cy{margin:0;width:100%;height:100%}</style></head>
<body><div id="cy"></div>
<script src="/baseline/cytoscape.min.js"></script>
<script>
  window.__baseline = { started: performance.now() };
  fetch('/baseline/graph.json').then((r) => r.json()).then((elements) => {
    const cy = cytoscape({
      container: document.getElementById('cy'),
      elements,
      style: [
        { selector: 'node', style: { label: 'data(name)', width: 20, height: 20, 'font-size': 8 } },
        { selector: 'edge', style: { width: 1 } },
      ],
      layout: { name: 'cose' },
    });
    window.__baselineCy = cy;
    cy.one('layoutstop', () => { window.__baseline.done = performance.now(); });
  });
</script></body></html>`;

function json(res: http.ServerResponse, status: number, body: unknown | string): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

export async function startFixtureServer(options: { nodes: number; links: number; seed?: number }): Promise<FixtureServer> {
  const graph = generateDomainGraph({ nodes: options.nodes, links: options.links, seed: options.seed ?? 42 });
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const incident = new Map<string, GraphLink[]>();
  for (const link of graph.links) {
    for (const end of [link.from, link.to]) {
      const list = incident.get(end) ?? [];
      list.push(link);
      incident.set(end, list);
    }
  }
  const subgraph = JSON.stringify({ nodes: graph.nodes, links: graph.links, truncated: false });
  const baselineElements = JSON.stringify([
    ...graph.nodes.map((n) => ({ group: 'nodes', data: { id: n.id, name: n.name_en } })),
    ...graph.links.map((l) => ({ group: 'edges', data: { id: `e-${l.id}`, source: l.from, target: l.to } })),
  ]);
  const dist = path.join(ROOT, 'web', 'dist');
  const cytoscapeFile = path.join(ROOT, 'node_modules', 'cytoscape', 'dist', 'cytoscape.min.js');

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = url.pathname;
    if (route === '/api/subgraph') return json(res, 200, subgraph);
    const node = /^\/api\/nodes\/([^/]+)(\/neighbours)?$/.exec(route);
    if (node) {
      const id = decodeURIComponent(node[1]!);
      const record = byId.get(id);
      if (!record) return json(res, 404, { error: { code: 'not_found', message: `no node with id "${id}"` } });
      const links = incident.get(id) ?? [];
      if (!node[2]) {
        const linkCounts: Record<string, { in: number; out: number }> = {};
        for (const link of links) {
          const counts = (linkCounts[link.type] ??= { in: 0, out: 0 });
          if (link.from === id) counts.out += 1;
          if (link.to === id) counts.in += 1;
        }
        return json(res, 200, { node: record, linkCounts });
      }
      const type = url.searchParams.get('type');
      const direction = url.searchParams.get('direction') ?? 'both';
      const limit = Number(url.searchParams.get('limit') ?? 50);
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const matching = links.filter(
        (l) => (!type || l.type === type) && ((direction !== 'in' && l.from === id) || (direction !== 'out' && l.to === id)),
      );
      const page = matching.slice(offset, offset + limit);
      const others = [...new Set(page.map((l) => (l.from === id ? l.to : l.from)))].map((o) => byId.get(o)!);
      return json(res, 200, { id, total: matching.length, links: page, nodes: others });
    }
    if (route === '/api/search') {
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      const results = graph.nodes
        .filter((n) => n.name_en.toLowerCase().includes(q))
        .slice(0, 8)
        .map((n) => ({ id: n.id, label: n.label, name_en: n.name_en, name_km: n.name_km, score: 1, matched: 'name_en' }));
      return json(res, 200, { query: q, results });
    }
    // The explorer asks who is signed in when it opens: nobody, here.
    if (route === '/api/session') return json(res, 200, { signedIn: false });
    if (route.startsWith('/api/')) return json(res, 404, { error: { code: 'not_found', message: `not in the fixture: ${route}` } });
    if (route === '/baseline/' || route === '/baseline') {
      res.writeHead(200, { 'content-type': TYPES['.html']! });
      return res.end(BASELINE_HTML);
    }
    if (route === '/baseline/cytoscape.min.js') {
      res.writeHead(200, { 'content-type': TYPES['.js']! });
      return fs.createReadStream(cytoscapeFile).pipe(res);
    }
    if (route === '/baseline/graph.json') return json(res, 200, baselineElements);
    // The explorer: files of web/dist, index.html for anything else.
    const file = path.join(dist, path.normalize(route).replace(/^(\.\.[/\\])+/, ''));
    const target = file.startsWith(dist) && fs.existsSync(file) && fs.statSync(file).isFile() ? file : path.join(dist, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[path.extname(target)] ?? 'application/octet-stream' });
    fs.createReadStream(target).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    graph,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
