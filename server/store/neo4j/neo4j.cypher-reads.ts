/**
 * The Neo4j store's graph reads (neo4j.graph-reads.ts runs them): nodes and links by id, a node's link counts and
 * neighbours, the stats, breadth-first steps, shortest paths, lineage walks, the whole graph, and the console's
 * helpers.
 */
import { LINK_TYPES, type Label } from '../../schema/graph.schema.ts';
import { ENTITY_LABEL, ANY_LINK, link } from './neo4j.cypher-names.ts';

/** The label a lineage walks through (programmes, along SUCCEEDS and PART_OF). */
const LINEAGE_LABEL: Label = 'Programme';
/** Shortest-path statements are generated for 1..MAX_PATH_HOPS (a variable-length bound cannot be a parameter). */
export const MAX_PATH_HOPS = 10;
/** Lineage statements are generated for 0..MAX_LINEAGE_DEPTH hops (one breadth-first step per hop, unrolled). */
export const MAX_LINEAGE_DEPTH = 10;

export const COUNT_NODES = `MATCH (n:${ENTITY_LABEL}) RETURN count(n) AS count`;

/** The nodes among `$ids` (by the unique index on :Entity(id)). */
export const GET_NODES = `MATCH (n:${ENTITY_LABEL}) WHERE n.id IN $ids RETURN n`;

/** Ids and labels only, for checking link endpoints before a write. */
export const GET_NODE_LABELS = `MATCH (n:${ENTITY_LABEL}) WHERE n.id IN $ids RETURN n.id AS id, labels(n) AS labels`;

/** The links among `$ids`, of any type: one index seek per type (a type-less match would scan). */
export const GET_LINKS = LINK_TYPES.map(
  (type) => `MATCH ()-[r:${type}]->() WHERE r.id IN $ids RETURN ${link('r')} AS link`,
).join('\nUNION ALL\n');

/** Types of the links leaving and entering a node; no row when the node does not exist. */
export const LINK_COUNTS = `MATCH (n:${ENTITY_LABEL} {id: $id})
RETURN [(n)-[r:${ANY_LINK}]->() | type(r)] AS out, [(n)<-[r:${ANY_LINK}]-() | type(r)] AS in`;

/** A node with the types of the links leaving and entering it (GET /api/nodes/:id in one statement); no row when it does not exist. */
export const NODE_DETAILS = `MATCH (n:${ENTITY_LABEL} {id: $id})
RETURN n, [(n)-[r:${ANY_LINK}]->() | type(r)] AS out, [(n)<-[r:${ANY_LINK}]-() | type(r)] AS in`;

const neighbours = (pattern: string) => `MATCH (n:${ENTITY_LABEL} {id: $id})
OPTIONAL MATCH ${pattern}
WHERE $type IS NULL OR type(r) = $type
WITH n, r, m ORDER BY r.id
WITH n, collect(${link('r')}) AS links, collect(m) AS others
RETURN size(links) AS total, links[$offset..$offset + $limit] AS links, others[$offset..$offset + $limit] AS nodes`;

/** One page of a node's links (ordered by link id) with the node at the other end, and the total. */
export const NEIGHBOURS = Object.freeze({
  out: neighbours(`(n)-[r:${ANY_LINK}]->(m:${ENTITY_LABEL})`),
  in: neighbours(`(n)<-[r:${ANY_LINK}]-(m:${ENTITY_LABEL})`),
  both: neighbours(`(n)-[r:${ANY_LINK}]-(m:${ENTITY_LABEL})`),
});


/** Nodes per label with the quality counts of GraphStats. `$labels` is the schema's LABELS. */
export const STATS_NODES = `MATCH (n:${ENTITY_LABEL})
WITH n, [l IN labels(n) WHERE l IN $labels][0] AS label
RETURN label, count(n) AS count,
  count(CASE WHEN n.name_km IS NULL OR NOT toString(n.name_km) =~ '(?s).*[\u1780-\u17FF\u19E0-\u19FF].*' THEN 1 END) AS missingKhmer,
  count(CASE WHEN n.name_en IS NULL OR trim(toString(n.name_en)) = '' THEN 1 END) AS missingEnglish`;

/** Links per type with the quality counts of GraphStats. `$types` is the schema's LINK_TYPES. */
export const STATS_LINKS = `MATCH ()-[r]->()
WHERE type(r) IN $types
RETURN type(r) AS type, count(r) AS count,
  count(CASE WHEN r.sources IS NULL OR size(r.sources) = 0 THEN 1 END) AS withoutSource,
  count(CASE WHEN r.draft = true THEN 1 END) AS drafts`;

const expand = (pattern: string) => `UNWIND $ids AS at
MATCH ${pattern}
WHERE $types IS NULL OR type(r) IN $types
RETURN at, r.id AS link, m.id AS other, labels(m) AS labels`;

/** One breadth-first step: every link of the allowed types at each frontier node, and the node at its other end. */
export const EXPAND = Object.freeze({
  out: expand(`(n:${ENTITY_LABEL} {id: at})-[r:${ANY_LINK}]->(m:${ENTITY_LABEL})`),
  in: expand(`(n:${ENTITY_LABEL} {id: at})<-[r:${ANY_LINK}]-(m:${ENTITY_LABEL})`),
  both: expand(`(n:${ENTITY_LABEL} {id: at})-[r:${ANY_LINK}]-(m:${ENTITY_LABEL})`),
});

/** Every link of the allowed types between two nodes of `$ids`, by link id. */
export const LINKS_AMONG = `MATCH (a:${ENTITY_LABEL})-[r:${ANY_LINK}]->(b:${ENTITY_LABEL})
WHERE a.id IN $ids AND b.id IN $ids AND ($types IS NULL OR type(r) IN $types)
RETURN ${link('r')} AS link ORDER BY r.id`;

/** The first `$limit` nodes (by id) of the given labels, for a whole-graph view. */
export const NODES_BY_ID = `MATCH (n:${ENTITY_LABEL})
WHERE $labels IS NULL OR any(l IN labels(n) WHERE l IN $labels)
RETURN n ORDER BY n.id LIMIT $limit`;

const shortestPaths = (hops: number) => `MATCH (a:${ENTITY_LABEL} {id: $from})
MATCH (b:${ENTITY_LABEL} {id: $to})
MATCH p = allShortestPaths((a)-[*..${hops}]-(b))
WHERE all(r IN relationships(p) WHERE type(r) IN $types)
RETURN [x IN nodes(p) | x.id] AS nodes, [r IN relationships(p) | ${link('r')}] AS links
LIMIT $max`;

/** All shortest paths of at most N hops (index N, 1..MAX_PATH_HOPS), links followed in either direction. */
export const SHORTEST_PATHS: readonly string[] = Object.freeze(
  Array.from({ length: MAX_PATH_HOPS + 1 }, (_, hops) => (hops === 0 ? '' : shortestPaths(hops))),
);

/**
 * The four pages one step of a lineage reads at a programme `f`, as in the walk through NEIGHBOURS: SUCCEEDS out
 * (when `$back`), SUCCEEDS in (when `$forward`), PART_OF and SUPPORTS either way; each its first `$linksPerPage`
 * links by link id.
 */
const LINEAGE_PAGES = {
  succeedsOut: { pattern: `(f)-[r:SUCCEEDS]->(m:${ENTITY_LABEL})`, when: '$back' },
  succeedsIn: { pattern: `(f)<-[r:SUCCEEDS]-(m:${ENTITY_LABEL})`, when: '$forward' },
  partOf: { pattern: `(f)-[r:PART_OF]-(m:${ENTITY_LABEL})`, when: undefined },
  supports: { pattern: `(f)-[r:SUPPORTS]-(m:${ENTITY_LABEL})`, when: undefined },
} as const;
const where = (when: string | undefined) => (when ? ` WHERE ${when}` : '');

/**
 * One breadth-first step of a lineage: the programmes that the frontier's pages reach and that are new. Only nodes
 * are carried from step to step; the links are read once, at the end (Neo4j counts every value in scope of a row
 * it sorts or deduplicates, and with link maps carried through the steps a lineage of 500 programmes needed
 * hundreds of MB). Once `$maxProgrammes` are known no new ones are taken, so the next frontier is empty: the
 * service replays the walk and keeps the first `$maxProgrammes` in its own order, all among those known by then.
 */
const lineageStep = `CALL (frontier, seen) {
  UNWIND frontier AS f
  CALL (f) {
${Object.values(LINEAGE_PAGES)
  .map(({ pattern, when }) => `    MATCH ${pattern}${where(when)}\n    WITH r, m ORDER BY r.id LIMIT $linksPerPage\n    RETURN m`)
  .join('\n    UNION ALL\n')}
  }
  WITH m WHERE m:${LINEAGE_LABEL} AND NOT m IN seen
  RETURN collect(DISTINCT m) AS reached
}
WITH s, seen, expanded + frontier AS expanded, CASE WHEN size(seen) >= $maxProgrammes THEN [] ELSE reached END AS frontier
WITH s, seen + frontier AS seen, expanded, frontier`;

/** A page as a list of {link, node}: the link as a link map, the node at its other end. */
const lineagePage = (pattern: string, when: string | undefined) =>
  `COLLECT { MATCH ${pattern}${where(when)} RETURN {link: ${link('r')}, node: m} ORDER BY r.id LIMIT $linksPerPage }`;

const lineageRecords = (depth: number) => `MATCH (s:${ENTITY_LABEL} {id: $id})
WITH s, [s] AS seen, CASE WHEN s:${LINEAGE_LABEL} THEN [s] ELSE [] END AS frontier, [] AS expanded
${Array.from({ length: depth }, () => lineageStep).join('\n')}
UNWIND seen AS f
WITH s, f, f IN expanded AS expand, count(*) AS once
RETURN s AS start, f.id AS at, expand,
${Object.entries(LINEAGE_PAGES)
  .map(([name, { pattern, when }]) => `  CASE WHEN expand THEN ${lineagePage(pattern, when)} ELSE [] END AS ${name},`)
  .join('\n')}
  CASE WHEN f:${LINEAGE_LABEL} THEN COLLECT {
    MATCH (f)-[r:${ANY_LINK}]->(m:${ENTITY_LABEL})
    WITH r, m ORDER BY r.id LIMIT $linksPerPage
    WITH r, m WHERE type(r) IN $participantTypes
    RETURN {link: ${link('r')}, node: m} ORDER BY r.id
  } ELSE [] END AS participants`;

/**
 * A programme's lineage in one read (index N, 0..MAX_LINEAGE_DEPTH, takes N breadth-first steps): a row per
 * programme reached with the start node; for the programmes the walk expands, their pages; for each, its
 * participant links (`$participantTypes` among its first `$linksPerPage` outgoing links, by link id). Every link
 * comes with the node at its other end. The aggregation before the pages starts the rows afresh: Neo4j counts
 * every value of a row it sorts, so sorting pages next to the walk's lists (hundreds of nodes) would cost
 * megabytes per page.
 */
export const LINEAGE_RECORDS: readonly string[] = Object.freeze(
  Array.from({ length: MAX_LINEAGE_DEPTH + 1 }, (_, depth) => lineageRecords(depth)),
);

export const EXPORT_NODES = `MATCH (n:${ENTITY_LABEL}) RETURN n ORDER BY n.id`;

export const EXPORT_LINKS = `MATCH (:${ENTITY_LABEL})-[r:${ANY_LINK}]->(:${ENTITY_LABEL}) RETURN ${link('r')} AS link ORDER BY r.id`;

/** Nodes by Neo4j element id: the ends of relationships that a console query returned without them. */
export const NODES_BY_ELEMENT_ID = `MATCH (n) WHERE elementId(n) IN $elementIds RETURN n`;

/**
 * Put before an editor's query (the read-only Cypher console) to learn from Neo4j's planner what it would run
 * (`summary.plan`, checked by neo4j.console-plan.ts, and `summary.queryType === 'r'`) before running it. Not a
 * statement by itself.
 */
export const EXPLAIN_PREFIX = 'EXPLAIN ';

/** Liveness and the server's identity (health reports use getServerInfo; this checks the database answers). */
export const PING = `RETURN 1 AS ok`;
