/** Every API route, declared once: mounted by createApp and documented by /api/openapi.json. */
import { NotFound, NotSupported } from '../domain/errors.ts';
import { DEFAULT_IMPORT_MAX_BYTES } from '../import/import.service.ts';
import { guardReadOnlyCypher } from '../services/cypher-guard.ts';
import { centrality } from '../services/centrality.service.ts';
import { documentLibrary } from '../services/documents.service.ts';
import { exportGraph } from '../services/export.service.ts';
import { lineage } from '../services/lineage.service.ts';
import type { EditorDirectory } from '../auth/editors.ts';
import type { Sessions } from '../auth/sessions.ts';
import type { GraphStore } from '../store/graph-store.ts';
import { recordVersion } from '../store/record-compare.ts';
import * as Q from './api.schemas.ts';
import * as R from './api.responses.ts';
import { editingRoutes } from './editing.routes.ts';
import { importRoutes } from './import.routes.ts';
import { route, type ApiRoute } from './route-registry.ts';
import { sessionRoutes } from './session.routes.ts';

const notFound = { description: 'No node with that id.' };

export interface ApiOptions {
  cypher: { timeoutMs: number; maxRows: number };
  editors: EditorDirectory;
  /** Signs and checks the explorer's session cookies. */
  sessions: Sessions;
  publicOrigins: readonly string[];
  log: (line: string) => void;
  /** IMPORT_MAX_BYTES. */
  importMaxBytes?: number;
}

export function apiRoutes(store: GraphStore, options: ApiOptions): ApiRoute[] {
  return [
    ...sessionRoutes(options.editors, options.publicOrigins, options.sessions),
    ...readRoutes(store, options),
    ...editingRoutes(store, options.log),
    ...importRoutes(store, options.importMaxBytes ?? DEFAULT_IMPORT_MAX_BYTES),
  ];
}

function readRoutes(store: GraphStore, options: ApiOptions): ApiRoute[] {
  return [
    route({
      method: 'get',
      path: '/health',
      tag: 'core',
      summary: 'Whether the store is usable, and which kind it is',
      access: 'open',
      responses: { 200: { description: 'Usable.', schema: R.HealthResponse }, 503: { description: 'Not usable now.', schema: R.HealthResponse } },
      handle: async ({ res }) => {
        const report = await store.health();
        res.status(report.ok ? 200 : 503);
        return report;
      },
    }),
    route({
      method: 'get',
      path: '/stats',
      tag: 'core',
      summary: 'Nodes per label, links per type, and data quality counts',
      responses: { 200: { description: 'Counts.', schema: R.StatsResponse } },
      handle: () => store.stats(),
    }),
    route({
      method: 'get',
      path: '/search',
      tag: 'core',
      summary: 'Search names and acronyms in English and Khmer, best first',
      description:
        'Case-insensitive; words in any order; Khmer matches inside longer names; zero-width characters ignored; NFC-normalised.',
      query: Q.SearchQuerySchema,
      responses: { 200: { description: 'Results, best first.', schema: R.SearchResponse } },
      handle: async ({ query }) => ({ query: query.q, results: await store.search(query) }),
    }),
    route({
      method: 'get',
      path: '/nodes/:id',
      tag: 'core',
      summary: 'One node with its properties, sources and link counts per type',
      params: Q.NodeIdPath,
      responses: { 200: { description: 'The node.', schema: R.NodeResponse }, 404: notFound },
      handle: async ({ params, res }) => {
        const node = await store.getNode(params.id);
        if (!node) throw new NotFound(`no node with id "${params.id}"`, { id: params.id });
        res.setHeader('ETag', `"${recordVersion(node)}"`);
        return { node, linkCounts: await store.linkCounts(params.id) };
      },
    }),
    route({
      method: 'get',
      path: '/nodes/:id/neighbours',
      tag: 'core',
      summary: 'Links of a node and the nodes at their other ends, filtered, paged, with the total',
      params: Q.NodeIdPath,
      query: Q.NeighboursQuerySchema,
      responses: { 200: { description: 'A page of links.', schema: R.NeighboursResponse }, 404: notFound },
      handle: async ({ params, query }) => ({ id: params.id, ...query, ...(await store.neighbours(params.id, query)) }),
    }),
    route({
      method: 'get',
      path: '/lineage/:id',
      tag: 'research',
      summary: "A programme's predecessors and successors, with each one's period, funders, implementers and partners",
      description:
        'Along SUCCEEDS (back = predecessors, forward = successors), PART_OF (phases and containers) and SUPPORTS (donor projects and the national programmes they support, either way). An ordered list for a table and graph elements for a view, with the laws and events (elections) dated within the years of its programmes as markers for a year axis, each with its sources.',
      params: Q.NodeIdPath,
      query: Q.LineageQuerySchema,
      responses: { 200: { description: 'The lineage.', schema: R.LineageResponse }, 404: notFound },
      handle: ({ params, query }) => lineage(store, params.id, query.direction, query.depth),
    }),
    route({
      method: 'get',
      path: '/paths',
      tag: 'research',
      summary: 'All shortest paths between two nodes (links followed either way), each hop with its sources',
      query: Q.PathsQuerySchema,
      responses: { 200: { description: 'The paths; empty when none within maxHops.', schema: R.PathsResponse }, 404: notFound },
      handle: async ({ query }) => {
        const result = await store.shortestPaths(query);
        return {
          from: query.from,
          to: query.to,
          length: result.paths[0] ? result.paths[0].hops.length : null,
          truncated: result.truncated,
          paths: result.paths.map((path) => ({
            nodes: path.nodes,
            hops: path.hops.map((hop, i) => ({
              from: path.nodes[i]!,
              to: path.nodes[i + 1]!,
              type: hop.link.type,
              direction: hop.forward ? ('forward' as const) : ('backward' as const),
              link: hop.link,
            })),
          })),
          nodes: result.nodes,
        };
      },
    }),
    route({
      method: 'get',
      path: '/subgraph',
      tag: 'research',
      summary: 'The elements of a view: a neighbourhood (around, depth) or the whole graph, filtered by labels and types',
      query: Q.SubgraphQuerySchema,
      responses: { 200: { description: 'Nodes and links; truncated when the limit cut it.', schema: R.SubgraphResponse }, 404: notFound },
      handle: ({ query }) => store.subgraph(query),
    }),
    route({
      method: 'get',
      path: '/documents',
      tag: 'research',
      summary: 'The document library: per programme, per category, titles in both languages',
      query: Q.DocumentsQuerySchema,
      responses: { 200: { description: 'The library.', schema: R.DocumentsResponse }, 404: notFound },
      handle: ({ query }) => documentLibrary(store, query),
    }),
    route({
      method: 'get',
      path: '/analytics/centrality',
      tag: 'research',
      summary: 'Which nodes bridge the graph: degree or betweenness centrality',
      query: Q.CentralityQuerySchema,
      responses: { 200: { description: 'Nodes by score, highest first.', schema: R.CentralityResponse } },
      handle: ({ query }) => centrality(store, query),
    }),
    route({
      method: 'get',
      path: '/export',
      tag: 'research',
      summary: 'The whole graph or a view as JSON, CSV (zip of nodes.csv and links.csv), GraphML or a Cypher script',
      description: 'Without labels, types or around: the whole graph. With them: the same view as /api/subgraph.',
      query: Q.ExportQuerySchema,
      responses: {
        200: { description: 'A file to save.', contentType: 'application/octet-stream' },
        404: notFound,
      },
      handle: async ({ query, res }) => {
        const filtered = query.labels || query.types || query.around;
        const data = filtered ? await store.subgraph(query) : await store.exportAll();
        const file = exportGraph({ nodes: data.nodes, links: data.links }, query.format);
        res.setHeader('Content-Type', file.contentType);
        res.setHeader('Content-Disposition', `attachment; filename="${file.filename}"`);
        res.send(typeof file.body === 'string' ? file.body : Buffer.from(file.body));
        return undefined;
      },
    }),
    route({
      method: 'post',
      path: '/cypher',
      tag: 'research',
      summary: 'Read-only Cypher console (Neo4j store only)',
      // A POST only because a query does not fit in a URL: it reads, so it is open like every read (and needs
      // sign-in when READS_REQUIRE_SIGN_IN is set). Neo4j's planner and a read transaction keep it from writing.
      access: 'read',
      description:
        'One read-only statement: Neo4j\'s EXPLAIN must call it a read, and LOAD CSV, USE, admin commands, APOC, dbms.* and db.* procedures that write or reveal the system are refused with a 400 saying why. Runs in a read transaction with a timeout (CYPHER_TIMEOUT_MS) and a row cap (CYPHER_MAX_ROWS; `truncated` says when it cut). Rows come back as plain JSON, and the nodes and links they contain as graph elements. On the embedded store: 501.',
      body: Q.CypherBodySchema,
      responses: {
        200: { description: 'Rows and the graph elements they contain.', schema: R.CypherResponse },
        400: {
          description:
            'error.code cypher_refused (not a single read-only statement; the message says why), cypher_invalid (Neo4j could not parse or plan it; its message) or cypher_timeout (ran longer than CYPHER_TIMEOUT_MS); invalid_parameter for a bad body.',
        },
        501: { description: 'The store has no Cypher (the embedded store).' },
        503: { description: 'Neo4j is not reachable now.' },
      },
      handle: async ({ body }) => {
        if (!store.cypher) {
          throw new NotSupported('the Cypher console needs the Neo4j store: set NEO4J_URI (see README, "Run on Neo4j")');
        }
        const query = guardReadOnlyCypher(body.query);
        return store.cypher(query, body.params ?? {}, options.cypher);
      },
    }),
  ];
}
