/** Every API route, declared once: mounted by createApp and documented by /api/openapi.json. */
import { Invalid, NotFound, NotSupported } from '../domain/errors.ts';
import { DEFAULT_IMPORT_MAX_BYTES } from '../import/import.service.ts';
import { guardReadOnlyCypher } from '../services/cypher-guard.ts';
import { centrality } from '../services/centrality.service.ts';
import { comparePeriods, compareVersions } from '../services/compare.service.ts';
import { fractionalYear } from '../domain/period-compare.ts';
import { documentLibrary } from '../services/documents.service.ts';
import { SHAPE_ATTRIBUTION, SHAPE_LICENCE, SHAPE_SOURCE, shapeOf } from '../geo/area-shapes.ts';
import { lineage } from '../services/lineage.service.ts';
import { GraphVersions } from '../services/versions.service.ts';
import type { EditorDirectory } from '../auth/editors.ts';
import type { Sessions } from '../auth/sessions.ts';
import { DEFAULT_READ_LIMITS } from '../config.ts';
import { HeavyReads } from '../services/heavy-reads/heavy-reads.ts';
import type { GraphStore, PathQuery } from '../store/graph-store.ts';
import { recordVersion } from '../store/record-compare.ts';
import type { GraphReader } from '../store/version-view.ts';
import * as Q from './api.schemas.ts';
import * as R from './api.responses.ts';
import { editingRoutes } from './editing.routes.ts';
import { importRoutes } from './import.routes.ts';
import { reconcileRoutes } from './reconcile.routes.ts';
import { storyRoutes } from './stories.routes.ts';
import { route, type ApiRoute } from './route-registry.ts';
import { sessionRoutes } from './session.routes.ts';

const notFound = { description: 'No node with that id.' };

/** GET /api/export's files, by format: JSON (described), a zip of nodes.csv and links.csv, GraphML, a Cypher script. */
const EXPORT_TYPES = ['application/zip', 'application/graphml+xml', 'text/plain'] as const;

export interface ApiOptions {
  cypher: { timeoutMs: number; maxRows: number };
  editors: EditorDirectory;
  /** Signs and checks the explorer's session cookies. */
  sessions: Sessions;
  publicOrigins: readonly string[];
  log: (line: string) => void;
  /** IMPORT_MAX_BYTES. */
  importMaxBytes?: number;
  /** Centrality, exports, subgraphs, paths and the console go through it (limits, deadline, cache, workers); default limits when absent. */
  heavy?: HeavyReads;
}

/** What heavy reads may also answer (documented on each). */
const heavyResponses = {
  400: { description: 'A bad parameter (named in `details.parameter`), or error.code result_too_large: the answer would be larger than HEAVY_READ_MAX_BYTES (`details.limitBytes`).' },
  429: { description: 'Too many reads from this address (READ_RATE_LIMIT), or too many heavy reads at once (HEAVY_READ_CONCURRENCY, HEAVY_READ_CONCURRENCY_PER_CLIENT); `Retry-After` says when to try again.' },
  503: { description: 'error.code deadline_exceeded: it ran longer than HEAVY_READ_TIMEOUT_MS and was stopped; or the store is not usable now.' },
};

export function apiRoutes(store: GraphStore, options: ApiOptions): ApiRoute[] {
  return [
    ...sessionRoutes(options.editors, options.publicOrigins, options.sessions),
    ...readRoutes(store, options),
    ...editingRoutes(store, options.log),
    ...importRoutes(store, options.importMaxBytes ?? DEFAULT_IMPORT_MAX_BYTES),
    ...reconcileRoutes(store, { publicOrigins: options.publicOrigins }),
    ...storyRoutes(store, options.log),
  ];
}

function readRoutes(store: GraphStore, options: ApiOptions): ApiRoute[] {
  const heavy = options.heavy ?? new HeavyReads(store, DEFAULT_READ_LIMITS);
  const versions = new GraphVersions(store);
  /** The store, or the graph as it was at `at` with the version to name in the answer (`version`, when pinned). */
  const readAt = versions.reader.bind(versions);
  return [
    route({
      method: 'get',
      path: '/version',
      tag: 'core',
      summary: 'The version of the graph `at` names (the latest without it): what a citation pins',
      description:
        'Every write adds one to the audit seq. A citation pins `at=<seq>`; GET /api/nodes/{id}, neighbours, lineage, paths, subgraph, documents, search, stats and export then read the graph as it was at that version. A date (2026-12-02, the end of that day UTC) or time names the last version at or before it. 400 for a malformed `at` or one beyond the latest; 404 before the first write.',
      query: Q.AtQuerySchema,
      responses: { 200: { description: 'The version named and the latest.', schema: R.VersionResponse }, 404: { description: 'Before the first write: the graph had no recorded state.' } },
      handle: async ({ query }) => {
        const latest = await versions.latest();
        return { version: query.at ? await versions.resolve(query.at) : latest, latest };
      },
    }),
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
      query: Q.AtQuerySchema,
      responses: { 200: { description: 'Counts (at a version when `at` is given).', schema: R.StatsResponse } },
      handle: async ({ query }) => {
        const { reader, version } = await readAt(query.at);
        return { ...(await reader.stats()), ...(version ? { version } : {}) };
      },
    }),
    route({
      method: 'get',
      path: '/search',
      tag: 'core',
      summary: 'Search names and acronyms in English and Khmer, best first',
      description:
        'Case-insensitive; words in any order; Khmer matches inside longer names; zero-width characters ignored; NFC-normalised. With `at`, the names the graph had at that version (GET /api/version).',
      query: Q.SearchQuerySchema,
      responses: { 200: { description: 'Results, best first.', schema: R.SearchResponse } },
      handle: async ({ query }) => {
        const { at, ...search } = query;
        const { reader, version } = await readAt(at);
        return { query: query.q, results: await reader.search(search), ...(version ? { version } : {}) };
      },
    }),
    route({
      method: 'get',
      path: '/nodes/:id',
      tag: 'core',
      summary: 'One node with its properties, sources and link counts per type',
      params: Q.NodeIdPath,
      query: Q.AtQuerySchema,
      responses: { 200: { description: 'The node.', schema: R.NodeResponse }, 404: notFound },
      handle: async ({ params, query, res }) => {
        const { reader, version } = await readAt(query.at);
        // The node and its counts in one read (one transaction, on Neo4j one statement).
        const details = await reader.nodeDetails(params.id);
        if (!details) throw new NotFound(`no node with id "${params.id}"${version ? ` in version ${version.seq}` : ''}`, { id: params.id });
        // An ETag is for editing: a pinned answer is history, not something to write over.
        if (!version) res.setHeader('ETag', `"${recordVersion(details.node)}"`);
        return { node: details.node, linkCounts: details.linkCounts, ...(version ? { version } : {}) };
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
      handle: async ({ params, query: { at, ...query } }) => {
        const { reader, version } = await readAt(at);
        return { id: params.id, ...query, ...(await reader.neighbours(params.id, query)), ...(version ? { version } : {}) };
      },
    }),
    route({
      method: 'get',
      path: '/areas/:id/shape',
      tag: 'research',
      summary: "An administrative area's boundary as a GeoJSON Feature (for QGIS and other GIS tools)",
      description:
        'The area `kh-<gazetteer code>` (a province, district or commune; the node need not be in the graph yet): its 2014 boundary, simplified, in WGS84, with its code, names, level, attribution and licence (CC BY 4.0) in the properties. 404 for an area without a shape (e.g. a district created after 2014) and for a node that is not an area.',
      params: Q.NodeIdPath,
      responses: {
        200: { description: 'A GeoJSON Feature (RFC 7946).', contentType: 'application/geo+json' },
        404: { description: 'No such area, or no shape for it.' },
      },
      handle: async ({ params, res }) => {
        const node = await store.getNode(params.id);
        if (node && node.label !== 'AdminArea') throw new NotFound(`"${params.id}" is a ${node.label}, not an administrative area`, { id: params.id });
        const code = (node?.label === 'AdminArea' ? node.code : undefined) ?? /^kh-(\d{2,8})$/.exec(params.id)?.[1];
        const shape = code ? shapeOf(code) : undefined;
        if (!code || !shape) {
          throw new NotFound(code ? `no shape for area "${params.id}" (gazetteer code ${code}): the 2014 boundaries have none` : `no area with id "${params.id}"`, { id: params.id });
        }
        const properties = {
          id: params.id,
          code,
          level: shape.level,
          name_en: node?.name_en ?? shape.name_en,
          name_km: node?.name_km ?? shape.name_km,
          in_graph: node !== undefined,
          attribution: SHAPE_ATTRIBUTION,
          licence: SHAPE_LICENCE.name,
          licence_url: SHAPE_LICENCE.url,
          source: SHAPE_SOURCE,
        };
        res.type('application/geo+json').send(JSON.stringify({ type: 'Feature', id: params.id, properties, geometry: shape.geometry }));
        return undefined;
      },
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
      handle: async ({ params, query }) => {
        const { reader, version } = await readAt(query.at);
        return { ...(await lineage(reader, params.id, query.direction, query.depth)), ...(version ? { version } : {}) };
      },
    }),
    route({
      method: 'get',
      path: '/paths',
      tag: 'research',
      summary: 'All shortest paths between two nodes (links followed either way), each hop with its sources',
      query: Q.PathsQuerySchema,
      responses: { 200: { description: 'The paths; empty when none within maxHops.', schema: R.PathsResponse }, 404: notFound, ...heavyResponses },
      handle: ({ query: { at, ...query }, req, res }) =>
        heavy.answer(req, res, {
          kind: 'paths',
          compute: async () => {
            const { reader, version } = await readAt(at);
            return { json: { ...(await pathsAnswer(reader, query)), ...(version ? { version } : {}) } };
          },
        }),
    }),
    route({
      method: 'get',
      path: '/subgraph',
      tag: 'research',
      summary: 'The elements of a view: a neighbourhood (around, depth) or the whole graph, filtered by labels and types',
      query: Q.SubgraphQuerySchema,
      responses: { 200: { description: 'Nodes and links; truncated when the limit cut it.', schema: R.SubgraphResponse }, 404: notFound, ...heavyResponses },
      handle: ({ query: { at, ...query }, req, res }) =>
        heavy.answer(req, res, {
          kind: 'subgraph',
          compute: async () => {
            const { reader, version } = await readAt(at);
            return { json: { ...(await reader.subgraph(query)), ...(version ? { version } : {}) } };
          },
        }),
    }),
    route({
      method: 'get',
      path: '/compare',
      tag: 'research',
      summary: 'Compare two periods (programmes active, who was with them, their links) or two versions of the graph',
      description:
        'Periods: `a` and `b` are year ranges (2008-2012, or one year); `view` explore (every link of a programme) or partnerships (funding, implementing and partnering links from programmes to organisations). A programme is in a period when its start..end meets it (without an end an active or planned one runs to now, a completed one lasts its start year; without a start it is in none); a link when its programme ends are and its own dates, if any, meet it; a node when one of its links is. Each node and link is `a` (only the first), `b` (only the second) or `both`; `entered` lists who is only in the second, `left` who is only in the first. Versions: `from` and `to` are audit seqs (0: before any change) or ISO dates (a date alone: the end of that day, UTC) or date-times; the answer nets the audit entries between them per record: added, changed (with the properties that differ) and removed.',
      query: Q.CompareQuerySchema,
      responses: { 200: { description: 'The comparison: kind periods or versions.', schema: R.CompareResponse }, ...heavyResponses },
      handle: ({ query, req, res }) => {
        if (query.a && query.b) {
          const { a, b, view } = query;
          const now = fractionalYear();
          return heavy.answer(req, res, { kind: 'compare', cacheKey: JSON.stringify({ a, b, view, now }), compute: async () => ({ json: await comparePeriods(store, view, a, b, now) }) });
        }
        const { from, to } = query;
        return heavy.answer(req, res, { kind: 'compare', cacheKey: JSON.stringify({ from, to }), compute: async () => ({ json: await compareVersions(store, from!, to!) }) });
      },
    }),
    route({
      method: 'get',
      path: '/documents',
      tag: 'research',
      summary: 'The document library: per programme, per category, titles in both languages',
      query: Q.DocumentsQuerySchema,
      responses: { 200: { description: 'The library.', schema: R.DocumentsResponse }, 404: notFound },
      handle: async ({ query: { at, ...query } }) => {
        const { reader, version } = await readAt(at);
        return { ...(await documentLibrary(reader, query)), ...(version ? { version } : {}) };
      },
    }),
    route({
      method: 'get',
      path: '/analytics/centrality',
      tag: 'research',
      summary: 'Which nodes bridge the graph: degree or betweenness centrality',
      query: Q.CentralityQuerySchema,
      responses: { 200: { description: 'Nodes by score, highest first.', schema: R.CentralityResponse }, ...heavyResponses },
      // Computed in a worker thread and cached per graph version (server/services/heavy-reads/).
      handle: ({ query, req, res }) =>
        heavy.answer(req, res, {
          kind: 'centrality',
          cacheKey: JSON.stringify(query),
          compute: async (signal) => ({ json: await centrality(store, query, heavy.scoreCentrality(signal)) }),
        }),
    }),
    route({
      method: 'get',
      path: '/export',
      tag: 'research',
      summary: 'The whole graph or a view as JSON, CSV (zip of nodes.csv and links.csv), GraphML or a Cypher script',
      description: 'Without labels, types or around: the whole graph. With them: the same view as /api/subgraph. With `at`: the graph as it was at that version; the header `X-Graph-Version` then gives its seq and the file name ends in `-v<seq>`.',
      query: Q.ExportQuerySchema,
      responses: {
        200: {
          description: 'A file to save (Content-Disposition: attachment): format=json is application/json (the Export schema), csv a zip of nodes.csv and links.csv (application/zip), graphml application/graphml+xml, cypher a script (text/plain).',
          schema: R.ExportDocument,
          contentType: EXPORT_TYPES,
        },
        404: notFound,
        ...heavyResponses,
      },
      // Formatted in a worker thread and cached per graph version (server/services/heavy-reads/).
      handle: ({ query, req, res }) =>
        heavy.answer(req, res, {
          kind: 'export',
          cacheKey: JSON.stringify(query),
          compute: async (signal) => {
            const { reader, version } = await readAt(query.at);
            const filtered = query.labels || query.types || query.around;
            const data = filtered ? await reader.subgraph(query) : await reader.exportAll();
            const file = await heavy.exportFile({ nodes: data.nodes, links: data.links }, query.format, signal);
            const filename = version ? file.filename.replace(/(\.[a-z]+)$/, `-v${version.seq}$1`) : file.filename;
            return {
              bytes: file.body,
              contentType: file.contentType,
              headers: { 'Content-Disposition': `attachment; filename="${filename}"`, ...(version ? { 'X-Graph-Version': String(version.seq) } : {}) },
            };
          },
        }),
    }),
    route({
      method: 'post',
      path: '/cypher',
      tag: 'research',
      summary: 'Read-only Cypher console for signed-in editors (Neo4j store only)',
      // Signed-in editors only: a query can read every node in the database, the audit trail (who changed what,
      // before and after) and the write lock included, which GET /api/audit keeps for editors. Rate-limited as a
      // write (it is a POST).
      access: ['editor', 'admin'],
      description:
        "For signed-in editors (401 otherwise). One read-only statement, checked on what Neo4j plans for it (EXPLAIN), not on its text: it must be a read, and its plan may hold only read operators on the configured database (no LOAD CSV, SHOW, TERMINATE, USE of another database, administration or writes), only the procedures db.labels, db.relationshipTypes, db.propertyKeys, db.schema.*, db.index.fulltext.queryNodes/queryRelationships and only Neo4j's built-in functions (not file, linenumber, graph.*). A refusal is a 400 saying why. Runs in a read transaction with a timeout (CYPHER_TIMEOUT_MS) and a row cap (CYPHER_MAX_ROWS; `truncated` says when it cut). Rows come back as plain JSON, and the nodes and links they contain as graph elements. On the embedded store: 501.",
      body: Q.CypherBodySchema,
      responses: {
        200: { description: 'Rows and the graph elements they contain.', schema: R.CypherResponse },
        400: {
          description:
            'error.code cypher_refused (not a single read-only statement; the message says why), cypher_invalid (Neo4j could not parse or plan it; its message) or cypher_timeout (ran longer than CYPHER_TIMEOUT_MS); invalid_parameter for a bad body, or for `at` (the console reads today\'s graph only).',
        },
        429: { description: 'Too many writes from this address (WRITE_RATE_LIMIT: the console is a POST), or too many heavy reads at once (HEAVY_READ_CONCURRENCY, HEAVY_READ_CONCURRENCY_PER_CLIENT); `Retry-After` says when to try again.' },
        501: { description: 'The store has no Cypher (the embedded store).' },
        503: { description: 'Neo4j is not reachable now, or error.code deadline_exceeded (longer than HEAVY_READ_TIMEOUT_MS).' },
      },
      handle: async ({ body, req, res }) => {
        if (req.query.at !== undefined) {
          // A version lives in the app's memory (rebuilt from the audit trail), not in Neo4j: say so, not today's answer.
          throw new Invalid(`query parameter "at": the console reads today's graph; a version cannot be read through it (GET /api/export?at= gives that version whole)`, { parameter: 'at' }, 'invalid_parameter');
        }
        if (!store.cypher) {
          throw new NotSupported('the Cypher console needs the Neo4j store: set NEO4J_URI (see README, "Run on Neo4j")');
        }
        const query = guardReadOnlyCypher(body.query);
        const cypher = store.cypher.bind(store);
        return heavy.answer(req, res, { kind: 'Cypher query', compute: async () => ({ json: await cypher(query, body.params ?? {}, options.cypher) }) });
      },
    }),
  ];
}

/** GET /api/paths's answer: every shortest path, each hop with its link and direction. */
async function pathsAnswer(store: GraphReader, query: PathQuery) {
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
}
