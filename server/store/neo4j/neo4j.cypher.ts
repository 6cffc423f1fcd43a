/**
 * Every Cypher statement of the Neo4j store, as named constants: nothing else in the code base writes Cypher.
 * Labels and relationship types come only from the schema module's allow-lists (LABELS, LINK_TYPES); values are
 * always parameters. `CYPHER_STATEMENTS` lists them all by name so that a test can EXPLAIN each one against a
 * real server (Neo4j's own parser and planner).
 *
 * The graph in Neo4j: every node carries the common label `:Entity` plus its own label (`:Entity:Programme`), its
 * properties as stored by the API (without `label`, which is the Neo4j label) and `search`, the normalised search
 * key of server/search/search.ranking.ts. A link is a relationship of its type whose properties are the link's
 * (without `type`, `from`, `to`, which are the relationship's own).
 */
import { LABELS, LINK_TYPES, type Label, type LinkType } from '../../schema/graph.schema.ts';
import { MAX_PARENTS } from '../../search/search.ranking.ts';

/** The label every node carries besides its own, so that lookups by id need one index. */
export const ENTITY_LABEL = 'Entity';
/**
 * Nodes of the store's own, outside the domain (no :Entity, none of the schema's labels, so no read of the graph
 * sees them): one audit entry per write, and the one lock node every write transaction takes first.
 */
export const AUDIT_LABEL = 'AuditEntry';
export const WRITE_LOCK_LABEL = 'WriteLock';
export const WRITE_LOCK_ID = 'graph';
/** Stories (server/schema/story.schema.ts): the store's own nodes too, outside the graph, one per story, as JSON. */
export const STORY_LABEL = 'Story';
/** One node of the store's own that records the version of the model the database holds (SCHEMA_VERSION). */
export const SCHEMA_VERSION_LABEL = 'SchemaVersion';
export const SCHEMA_VERSION_ID = 'graph';
/** Index names (constants, never user input). */
export const ENTITY_ID_CONSTRAINT = 'entity_id';
export const AUDIT_ID_CONSTRAINT = 'audit_entry_id';
export const STORY_ID_CONSTRAINT = 'story_id';
export const AUDIT_SEQ_INDEX = 'audit_entry_seq';
export const WRITE_LOCK_CONSTRAINT = 'write_lock_id';
export const SCHEMA_VERSION_CONSTRAINT = 'schema_version_id';
export const SEARCH_TEXT_INDEX = 'entity_search_text';
export const NAMES_FULLTEXT_INDEX = 'entity_names_fulltext';
/** Search cells (server/search/search-cells.ts): `search_cells` holds a node's cell tokens, separated by spaces. */
export const SEARCH_CELLS_INDEX = 'entity_search_cells';
/** The duplicate check's index: `name_keys` holds the name keys (server/schema/name-key.ts) of a node's names. */
export const NAME_KEYS_TEXT_INDEX = 'entity_name_keys_text';
/** The English-alphabet fields in the full-text index; Khmer is served by the TEXT index on `search`. */
export const FULLTEXT_PROPERTIES = ['name_en', 'acronym', 'name_latin'] as const;
/** The label a lineage walks through (programmes, along SUCCEEDS and PART_OF). */
const LINEAGE_LABEL: Label = 'Programme';
/** Shortest-path statements are generated for 1..MAX_PATH_HOPS (a variable-length bound cannot be a parameter). */
export const MAX_PATH_HOPS = 10;
/** Lineage statements are generated for 0..MAX_LINEAGE_DEPTH hops (one breadth-first step per hop, unrolled). */
export const MAX_LINEAGE_DEPTH = 10;

const snake = (name: string) => name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
const perLabel = (make: (label: Label) => string) =>
  Object.freeze(Object.fromEntries(LABELS.map((label) => [label, make(label)]))) as Readonly<Record<Label, string>>;
const perType = (make: (type: LinkType) => string) =>
  Object.freeze(Object.fromEntries(LINK_TYPES.map((type) => [type, make(type)]))) as Readonly<Record<LinkType, string>>;

/**
 * The schema's relationship types as one type expression (`SUCCEEDS|PART_OF|…`): reads of a node's links use it, so
 * that relationships of other types (written by other tools into the same database) are ignored by neighbours,
 * counts and walks, as they are by the stats.
 */
const ANY_LINK = LINK_TYPES.join('|');

/** A relationship as a link map: its properties plus type and the ids of its ends. */
const link = (r: string) => `${r} {.*, type: type(${r}), from: startNode(${r}).id, to: endNode(${r}).id}`;

// ------------------------------------------------------------------------------------------------ migrations

export const CREATE_ENTITY_ID_CONSTRAINT = `CREATE CONSTRAINT ${ENTITY_ID_CONSTRAINT} IF NOT EXISTS FOR (n:${ENTITY_LABEL}) REQUIRE n.id IS UNIQUE`;

/** Constraint names per label and per relationship type. */
export const LABEL_ID_CONSTRAINT = perLabel((label) => `${snake(label)}_id`);
export const LINK_ID_CONSTRAINT = perType((type) => `link_${type.toLowerCase()}_id`);

/** Per label: `id` unique (also within each label, so a MERGE on one label is index-backed). */
export const CREATE_LABEL_ID_CONSTRAINT = perLabel(
  (label) => `CREATE CONSTRAINT ${LABEL_ID_CONSTRAINT[label]} IF NOT EXISTS FOR (n:${label}) REQUIRE n.id IS UNIQUE`,
);

/** Per relationship type: `id` unique (relationship uniqueness constraints exist in Community since 5.7). */
export const CREATE_LINK_ID_CONSTRAINT = perType(
  (type) => `CREATE CONSTRAINT ${LINK_ID_CONSTRAINT[type]} IF NOT EXISTS FOR ()-[r:${type}]-() REQUIRE r.id IS UNIQUE`,
);

/** Audit entries by id (GET /api/audit/:id, revert). */
export const CREATE_AUDIT_ID_CONSTRAINT = `CREATE CONSTRAINT ${AUDIT_ID_CONSTRAINT} IF NOT EXISTS FOR (e:${AUDIT_LABEL}) REQUIRE e.id IS UNIQUE`;

/** Audit entries newest first. */
export const CREATE_AUDIT_SEQ_INDEX = `CREATE INDEX ${AUDIT_SEQ_INDEX} IF NOT EXISTS FOR (e:${AUDIT_LABEL}) ON (e.seq)`;

/** One lock node: the constraint makes concurrent MERGEs of it safe. */
export const CREATE_WRITE_LOCK_CONSTRAINT = `CREATE CONSTRAINT ${WRITE_LOCK_CONSTRAINT} IF NOT EXISTS FOR (l:${WRITE_LOCK_LABEL}) REQUIRE l.id IS UNIQUE`;

/** One schema-version node: the constraint makes concurrent MERGEs of it safe. */
export const CREATE_SCHEMA_VERSION_CONSTRAINT = `CREATE CONSTRAINT ${SCHEMA_VERSION_CONSTRAINT} IF NOT EXISTS FOR (v:${SCHEMA_VERSION_LABEL}) REQUIRE v.id IS UNIQUE`;

/**
 * The recorded schema version (null when none is), and whether the database holds data or audit entries (a
 * database with data and no version was written before versions were recorded: version 1).
 */
export const GET_SCHEMA_VERSION = `OPTIONAL MATCH (v:${SCHEMA_VERSION_LABEL} {id: '${SCHEMA_VERSION_ID}'})
RETURN v.version AS version,
  EXISTS { MATCH (:${ENTITY_LABEL}) } OR EXISTS { MATCH (:${AUDIT_LABEL}) } AS hasData`;

/** Records the schema version the database now holds. */
export const SET_SCHEMA_VERSION = `MERGE (v:${SCHEMA_VERSION_LABEL} {id: '${SCHEMA_VERSION_ID}'})
SET v.version = $version
RETURN v.version AS version`;

/** Trigram-backed `CONTAINS` on the normalised search key: Khmer words inside names, substrings. */
export const CREATE_SEARCH_TEXT_INDEX = `CREATE TEXT INDEX ${SEARCH_TEXT_INDEX} IF NOT EXISTS FOR (n:${ENTITY_LABEL}) ON (n.search)`;

/** Trigram-backed `CONTAINS` on the name keys ("\u0001key\u0001key\u0001"): nodes with a name of a given key. */
export const CREATE_NAME_KEYS_TEXT_INDEX = `CREATE TEXT INDEX ${NAME_KEYS_TEXT_INDEX} IF NOT EXISTS FOR (n:${ENTITY_LABEL}) ON (n.name_keys)`;

/** Lucene over English names and acronyms: word and prefix matches that rank well among many candidates. */
export const CREATE_NAMES_FULLTEXT_INDEX = `CREATE FULLTEXT INDEX ${NAMES_FULLTEXT_INDEX} IF NOT EXISTS FOR (n:${ENTITY_LABEL}) ON EACH [${FULLTEXT_PROPERTIES.map((p) => `n.${p}`).join(', ')}]`;

/**
 * Lucene over the cell tokens, split on spaces only and kept as written (the `whitespace` analyzer: no lower
 * case, no stemming, no stop words), so that a prefix query on a token finds the nodes whose phrase occurs in one
 * search cell.
 */
export const CREATE_SEARCH_CELLS_INDEX = `CREATE FULLTEXT INDEX ${SEARCH_CELLS_INDEX} IF NOT EXISTS FOR (n:${ENTITY_LABEL}) ON EACH [n.search_cells]
OPTIONS {indexConfig: {\`fulltext.analyzer\`: 'whitespace'}}`;

/** Waits until every index is online (a new index is populated in the background). */
export const AWAIT_INDEXES = `CALL db.awaitIndexes($timeoutSeconds)`;

/** Nodes without the search key (loaded by other tools, e.g. the Cypher export run in cypher-shell). */
export const NODES_WITHOUT_SEARCH_KEY = `MATCH (n:${ENTITY_LABEL}) WHERE n.search IS NULL RETURN n LIMIT $limit`;

/** Sets search keys and cells computed by the app: `$rows` = [{ elementId, search, search_cells }] (read in the same transaction). */
export const SET_SEARCH_KEYS = `UNWIND $rows AS row
MATCH (n:${ENTITY_LABEL}) WHERE elementId(n) = row.elementId
SET n.search = row.search, n.search_cells = row.search_cells
RETURN count(n) AS written`;

/** Nodes without name keys (written before the duplicate check used them, or loaded by other tools). */
export const NODES_WITHOUT_NAME_KEYS = `MATCH (n:${ENTITY_LABEL}) WHERE n.name_keys IS NULL RETURN n LIMIT $limit`;

/** Sets name keys computed by the app: `$rows` = [{ elementId, name_keys }] (read in the same transaction). */
export const SET_NAME_KEYS = `UNWIND $rows AS row
MATCH (n:${ENTITY_LABEL}) WHERE elementId(n) = row.elementId
SET n.name_keys = row.name_keys
RETURN count(n) AS written`;

/** The version of the rules the stored search keys were computed by (kept on the write-lock node); null if none. */
export const GET_SEARCH_KEY_VERSION = `OPTIONAL MATCH (l:${WRITE_LOCK_LABEL} {id: '${WRITE_LOCK_ID}'}) RETURN l.search_key_version AS version`;

/** Records that every search key now follows `$version`. */
export const SET_SEARCH_KEY_VERSION = `MERGE (l:${WRITE_LOCK_LABEL} {id: '${WRITE_LOCK_ID}'})
SET l.search_key_version = $version
RETURN l.search_key_version AS version`;

/** One page of nodes in id order after `$after` (for computing every search key again). */
export const NODES_AFTER = `MATCH (n:${ENTITY_LABEL}) WHERE n.id > $after RETURN n ORDER BY n.id LIMIT $limit`;

export const SHOW_CONSTRAINTS = `SHOW CONSTRAINTS YIELD name, type, entityType, labelsOrTypes, properties RETURN name, type, entityType, labelsOrTypes, properties ORDER BY name`;

export const SHOW_INDEXES = `SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties, state RETURN name, type, entityType, labelsOrTypes, properties, state ORDER BY name`;

// ------------------------------------------------------------------------------------------------ reads

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

/** Search candidates from the TEXT index: the key contains the longest term (index seek) and every other. */
export const SEARCH_CANDIDATES_TEXT = `MATCH (n:${ENTITY_LABEL})
WHERE n.search CONTAINS $term
  AND all(t IN $terms WHERE n.search CONTAINS t)
  AND ($labels IS NULL OR any(l IN labels(n) WHERE l IN $labels))
RETURN n {.id, .name_en, .name_km, .acronym, .level, .search} AS n, labels(n) AS labels LIMIT $max`;

/**
 * Search candidates from the cells index, band after band: `$queries` holds one Lucene query per band of cells
 * (boosted prefix queries joined by OR), best band first (search-cells.ts); each row has the index of its band,
 * its index score and what ranking reads of the node. Rows stream in band order, best score first within a band,
 * and LIMIT stops the reading. `$labels` keeps the nodes of those labels (null: every node).
 */
export const SEARCH_BY_CELLS = `UNWIND range(0, size($queries) - 1) AS band
CALL db.index.fulltext.queryNodes('${SEARCH_CELLS_INDEX}', $queries[band]) YIELD node, score
WHERE $labels IS NULL OR any(l IN labels(node) WHERE l IN $labels)
RETURN band, score, node {.id, .name_en, .name_km, .acronym, .level, .search} AS n, labels(node) AS labels
LIMIT $maxRows`;

/**
 * SEARCH_BY_CELLS for every label: the index itself keeps only the best `$maxRows` of a band (Lucene's top-n
 * collector) instead of scoring and sorting every match, which a label filter after it would not allow.
 */
export const SEARCH_BY_CELLS_TOP = `UNWIND range(0, size($queries) - 1) AS band
CALL db.index.fulltext.queryNodes('${SEARCH_CELLS_INDEX}', $queries[band], {limit: $maxRows}) YIELD node, score
RETURN band, score, node {.id, .name_en, .name_km, .acronym, .level, .search} AS n, labels(node) AS labels
LIMIT $maxRows`;

/**
 * Typo candidates from the cells index: `$query` is fuzzy queries (`_word~1`) on the word tokens of search-cells.ts,
 * joined by OR; each row has what ranking reads of the node.
 */
export const SEARCH_TYPO_CANDIDATES = `CALL db.index.fulltext.queryNodes('${SEARCH_CELLS_INDEX}', $query, {limit: $max}) YIELD node
WHERE $labels IS NULL OR any(l IN labels(node) WHERE l IN $labels)
RETURN node {.id, .name_en, .name_km, .acronym, .level, .search} AS n, labels(node) AS labels`;

/** Search candidates from the full-text index (English words and prefixes; `$query` is escaped Lucene syntax). */
export const SEARCH_CANDIDATES_FULLTEXT = `CALL db.index.fulltext.queryNodes('${NAMES_FULLTEXT_INDEX}', $query, {limit: $max}) YIELD node
WHERE $labels IS NULL OR any(l IN labels(node) WHERE l IN $labels)
RETURN node {.id, .name_en, .name_km, .acronym, .level, .search} AS n, labels(node) AS labels`;

/**
 * For search hits' containing areas (addParents in search.ranking.ts), in one statement: the PART_OF links to an
 * area from each of `$ids` and from every area up to MAX_PARENTS - 1 PART_OF steps above it, with the area at the
 * other end (what a hit shows of it).
 */
export const SEARCH_PARENTS = `UNWIND $ids AS id
MATCH (:${ENTITY_LABEL} {id: id})-[:PART_OF*0..${MAX_PARENTS - 1}]->(a:${ENTITY_LABEL})-[r:PART_OF]->(p:${ENTITY_LABEL}:AdminArea)
RETURN DISTINCT a.id AS id, r.id AS linkId, p {.id, .name_en, .name_km} AS p`;

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

// ------------------------------------------------------------------------------------------------ writes

/**
 * Creates or replaces nodes of one label: `$rows` = [{ id, props }], props being every stored property. A node
 * with this id but another label makes MERGE create a second one, which the :Entity(id) constraint refuses.
 */
export const UPSERT_NODES = perLabel(
  (label) => `UNWIND $rows AS row
MERGE (n:${ENTITY_LABEL}:${label} {id: row.id})
SET n = row.props
RETURN count(n) AS written`,
);

/**
 * Creates nodes of one label that the write's plan found absent (read under the write lock in the same
 * transaction, so no other writer can have made them since): CREATE, without MERGE's lookup, for bulk loads.
 * The id constraints still guard against any other writer.
 */
export const CREATE_NODES = perLabel(
  (label) => `UNWIND $rows AS row
CREATE (n:${ENTITY_LABEL}:${label})
SET n = row.props
RETURN count(n) AS written`,
);

/** Creates links of one type that the plan found absent: `$rows` = [{ id, from, to, props }]. */
export const CREATE_LINKS = perType(
  (type) => `UNWIND $rows AS row
MATCH (a:${ENTITY_LABEL} {id: row.from})
MATCH (b:${ENTITY_LABEL} {id: row.to})
CREATE (a)-[r:${type}]->(b)
SET r = row.props
RETURN count(r) AS written`,
);

/** Removes links of one type by id (a link that changes type or ends is deleted, then created anew). */
export const DELETE_LINKS = perType(
  (type) => `UNWIND $ids AS id
MATCH ()-[r:${type} {id: id}]->()
DELETE r
RETURN count(r) AS deleted`,
);

/** Creates or replaces links of one type: `$rows` = [{ id, from, to, props }]. */
export const UPSERT_LINKS = perType(
  (type) => `UNWIND $rows AS row
MATCH (a:${ENTITY_LABEL} {id: row.from})
MATCH (b:${ENTITY_LABEL} {id: row.to})
MERGE (a)-[r:${type} {id: row.id}]->(b)
SET r = row.props
RETURN count(r) AS written`,
);

/** Deletes nodes by id; plain DELETE, so a node that still has a link makes the transaction fail. */
export const DELETE_NODES = `UNWIND $ids AS id
MATCH (n:${ENTITY_LABEL} {id: id})
DELETE n
RETURN count(n) AS deleted`;

// ------------------------------------------------------------------------------------------------ editing and audit

/**
 * Taken first by every write transaction: a write lock on one node, so that writes from every app process sharing
 * the database are applied one after another (their version, id and name checks see each other), and the next
 * audit sequence number.
 */
export const TAKE_WRITE_LOCK = `MERGE (l:${WRITE_LOCK_LABEL} {id: '${WRITE_LOCK_ID}'})
SET l.seq = coalesce(l.seq, 0) + 1
RETURN l.seq AS seq, l.bulk_load AS bulkLoad`;

// ------------------------------------------------------------------------------------------------ bulk loads

/**
 * Starts a bulk load into the empty database (neo4j.bulk-load.ts), after TAKE_WRITE_LOCK in the same transaction:
 * marks the lock node with the load's id when the database holds no graph node and no other bulk load is under
 * way; no row otherwise (then the write takes the ordinary path). While the mark is there, other writes are refused.
 */
export const BULK_LOAD_BEGIN = `MATCH (l:${WRITE_LOCK_LABEL} {id: '${WRITE_LOCK_ID}'})
WHERE l.bulk_load IS NULL AND NOT EXISTS { MATCH (:${ENTITY_LABEL}) }
SET l.bulk_load = $load
RETURN l.seq AS seq`;

/** Ends the bulk load `$load` (its mark removed); `ended` is 0 when the mark is not that load's. */
export const BULK_LOAD_END = `OPTIONAL MATCH (l:${WRITE_LOCK_LABEL} {id: '${WRITE_LOCK_ID}'})
WHERE l.bulk_load = $load
REMOVE l.bulk_load
RETURN count(l) AS ended`;

/** Whether a bulk load's mark is on the lock node (its id, or null). */
export const BULK_LOAD_MARK = `OPTIONAL MATCH (l:${WRITE_LOCK_LABEL} {id: '${WRITE_LOCK_ID}'})
RETURN l.bulk_load AS load`;

/** Takes back a failed bulk load's nodes (and their links) by id: `$ids`. */
export const BULK_LOAD_UNDO = `UNWIND $ids AS id
MATCH (n:${ENTITY_LABEL} {id: id})
DETACH DELETE n`;

/** The four search indexes, dropped for a bulk load into the empty database and created again after it. */
export const SEARCH_INDEXES: readonly { name: string; create: string }[] = Object.freeze([
  { name: SEARCH_CELLS_INDEX, create: CREATE_SEARCH_CELLS_INDEX },
  { name: NAMES_FULLTEXT_INDEX, create: CREATE_NAMES_FULLTEXT_INDEX },
  { name: SEARCH_TEXT_INDEX, create: CREATE_SEARCH_TEXT_INDEX },
  { name: NAME_KEYS_TEXT_INDEX, create: CREATE_NAME_KEYS_TEXT_INDEX },
]);

export const DROP_SEARCH_INDEX = Object.fromEntries(SEARCH_INDEXES.map(({ name }) => [name, `DROP INDEX ${name} IF EXISTS`])) as Readonly<Record<string, string>>;

/**
 * The graph's version: the write lock's sequence, which every write transaction increments (cached answers are
 * kept per version). 0 before the first write.
 */
export const GRAPH_VERSION = `OPTIONAL MATCH (l:${WRITE_LOCK_LABEL} {id: '${WRITE_LOCK_ID}'})
RETURN coalesce(l.seq, 0) AS version`;

/** Every link that starts or ends at one of `$ids` (for deleting nodes). */
export const LINKS_TOUCHING = `MATCH (n:${ENTITY_LABEL})-[r]-(:${ENTITY_LABEL})
WHERE n.id IN $ids
WITH DISTINCT r
RETURN ${link('r')} AS link`;

/** Nodes of `$label` with a name of the key in `$needle` ("\u0001<key>\u0001"): candidates for a name clash. */
export const NAME_CANDIDATES = `MATCH (n:${ENTITY_LABEL})
WHERE n.name_keys CONTAINS $needle AND $label IN labels(n)
RETURN n`;

/** One audit entry: `$props` = { id, seq, at, by, action, revert_of?, keys, before, after } (JSON strings). */
export const CREATE_AUDIT_ENTRY = `CREATE (e:${AUDIT_LABEL})
SET e = $props
RETURN e.id AS id`;

/** Audit entries, newest first, filtered (each filter null when not given). */
export const LIST_AUDIT = `MATCH (e:${AUDIT_LABEL})
WHERE ($editor IS NULL OR e.by = $editor)
  AND ($since IS NULL OR e.at >= $since)
  AND ($before IS NULL OR e.seq < $before)
  AND ($keys IS NULL OR any(k IN e.keys WHERE k IN $keys))
RETURN e ORDER BY e.seq DESC LIMIT $limit`;

export const GET_AUDIT = `MATCH (e:${AUDIT_LABEL} {id: $id}) RETURN e`;

// ------------------------------------------------------------------------------------------------ stories

export const CREATE_STORY_ID_CONSTRAINT = `CREATE CONSTRAINT ${STORY_ID_CONSTRAINT} IF NOT EXISTS FOR (s:${STORY_LABEL}) REQUIRE s.id IS UNIQUE`;

/** The stories among `$ids`, each as its JSON. */
export const GET_STORIES = `MATCH (s:${STORY_LABEL}) WHERE s.id IN $ids RETURN s.json AS json`;

/** Every story, by id. */
export const LIST_STORIES = `MATCH (s:${STORY_LABEL}) RETURN s.json AS json ORDER BY s.id`;

/** `$rows` = [{ id, version, json }]: each story created or replaced. */
export const PUT_STORIES = `UNWIND $rows AS row
MERGE (s:${STORY_LABEL} {id: row.id})
SET s.json = row.json, s.version = row.version
RETURN count(s) AS written`;

export const DELETE_STORIES = `UNWIND $ids AS id
MATCH (s:${STORY_LABEL} {id: id})
DELETE s
RETURN count(*) AS deleted`;

// ------------------------------------------------------------------------------------------------ the list

export interface NamedStatement {
  name: string;
  cypher: string;
}

const q = (name: string, cypher: string): NamedStatement => ({ name, cypher });
const each = (name: string, record: Readonly<Record<string, string>>): NamedStatement[] =>
  Object.entries(record).map(([key, cypher]) => q(`${name}.${key}`, cypher));

/** Every statement above, by name. */
export const CYPHER_STATEMENTS: readonly NamedStatement[] = Object.freeze([
  q('CREATE_ENTITY_ID_CONSTRAINT', CREATE_ENTITY_ID_CONSTRAINT),
  ...each('CREATE_LABEL_ID_CONSTRAINT', CREATE_LABEL_ID_CONSTRAINT),
  ...each('CREATE_LINK_ID_CONSTRAINT', CREATE_LINK_ID_CONSTRAINT),
  q('CREATE_SEARCH_TEXT_INDEX', CREATE_SEARCH_TEXT_INDEX),
  q('CREATE_NAMES_FULLTEXT_INDEX', CREATE_NAMES_FULLTEXT_INDEX),
  q('CREATE_NAME_KEYS_TEXT_INDEX', CREATE_NAME_KEYS_TEXT_INDEX),
  q('CREATE_SEARCH_CELLS_INDEX', CREATE_SEARCH_CELLS_INDEX),
  q('AWAIT_INDEXES', AWAIT_INDEXES),
  q('NODES_WITHOUT_SEARCH_KEY', NODES_WITHOUT_SEARCH_KEY),
  q('SET_SEARCH_KEYS', SET_SEARCH_KEYS),
  q('NODES_WITHOUT_NAME_KEYS', NODES_WITHOUT_NAME_KEYS),
  q('SET_NAME_KEYS', SET_NAME_KEYS),
  q('GET_SEARCH_KEY_VERSION', GET_SEARCH_KEY_VERSION),
  q('SET_SEARCH_KEY_VERSION', SET_SEARCH_KEY_VERSION),
  q('NODES_AFTER', NODES_AFTER),
  q('SHOW_CONSTRAINTS', SHOW_CONSTRAINTS),
  q('SHOW_INDEXES', SHOW_INDEXES),
  q('COUNT_NODES', COUNT_NODES),
  q('GET_NODES', GET_NODES),
  q('GET_NODE_LABELS', GET_NODE_LABELS),
  q('GET_LINKS', GET_LINKS),
  q('LINK_COUNTS', LINK_COUNTS),
  ...each('NEIGHBOURS', NEIGHBOURS),
  q('SEARCH_CANDIDATES_TEXT', SEARCH_CANDIDATES_TEXT),
  q('SEARCH_CANDIDATES_FULLTEXT', SEARCH_CANDIDATES_FULLTEXT),
  q('SEARCH_BY_CELLS', SEARCH_BY_CELLS),
  q('SEARCH_BY_CELLS_TOP', SEARCH_BY_CELLS_TOP),
  q('SEARCH_TYPO_CANDIDATES', SEARCH_TYPO_CANDIDATES),
  q('SEARCH_PARENTS', SEARCH_PARENTS),
  q('STATS_NODES', STATS_NODES),
  q('STATS_LINKS', STATS_LINKS),
  ...each('EXPAND', EXPAND),
  q('LINKS_AMONG', LINKS_AMONG),
  q('NODES_BY_ID', NODES_BY_ID),
  ...SHORTEST_PATHS.flatMap((cypher, hops) => (hops === 0 ? [] : [q(`SHORTEST_PATHS.${hops}`, cypher)])),
  ...LINEAGE_RECORDS.map((cypher, depth) => q(`LINEAGE_RECORDS.${depth}`, cypher)),
  q('EXPORT_NODES', EXPORT_NODES),
  q('EXPORT_LINKS', EXPORT_LINKS),
  q('NODES_BY_ELEMENT_ID', NODES_BY_ELEMENT_ID),
  q('PING', PING),
  ...each('UPSERT_NODES', UPSERT_NODES),
  ...each('CREATE_NODES', CREATE_NODES),
  ...each('CREATE_LINKS', CREATE_LINKS),
  ...each('DELETE_LINKS', DELETE_LINKS),
  ...each('UPSERT_LINKS', UPSERT_LINKS),
  q('DELETE_NODES', DELETE_NODES),
  q('CREATE_AUDIT_ID_CONSTRAINT', CREATE_AUDIT_ID_CONSTRAINT),
  q('CREATE_AUDIT_SEQ_INDEX', CREATE_AUDIT_SEQ_INDEX),
  q('CREATE_WRITE_LOCK_CONSTRAINT', CREATE_WRITE_LOCK_CONSTRAINT),
  q('CREATE_SCHEMA_VERSION_CONSTRAINT', CREATE_SCHEMA_VERSION_CONSTRAINT),
  q('GET_SCHEMA_VERSION', GET_SCHEMA_VERSION),
  q('SET_SCHEMA_VERSION', SET_SCHEMA_VERSION),
  q('TAKE_WRITE_LOCK', TAKE_WRITE_LOCK),
  q('BULK_LOAD_BEGIN', BULK_LOAD_BEGIN),
  q('BULK_LOAD_END', BULK_LOAD_END),
  q('BULK_LOAD_MARK', BULK_LOAD_MARK),
  q('BULK_LOAD_UNDO', BULK_LOAD_UNDO),
  ...each('DROP_SEARCH_INDEX', DROP_SEARCH_INDEX),
  q('GRAPH_VERSION', GRAPH_VERSION),
  q('LINKS_TOUCHING', LINKS_TOUCHING),
  q('NAME_CANDIDATES', NAME_CANDIDATES),
  q('CREATE_AUDIT_ENTRY', CREATE_AUDIT_ENTRY),
  q('LIST_AUDIT', LIST_AUDIT),
  q('GET_AUDIT', GET_AUDIT),
  q('CREATE_STORY_ID_CONSTRAINT', CREATE_STORY_ID_CONSTRAINT),
  q('GET_STORIES', GET_STORIES),
  q('LIST_STORIES', LIST_STORIES),
  q('PUT_STORIES', PUT_STORIES),
  q('DELETE_STORIES', DELETE_STORIES),
]);
