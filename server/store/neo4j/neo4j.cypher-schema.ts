/**
 * The Neo4j store's schema statements (neo4j.migrations.ts runs them): constraints and indexes, the recorded schema
 * version, and the search keys and name keys computed again when their rules change.
 */
import { ENTITY_LABEL, AUDIT_LABEL, AUDIT_PART_LABEL, AUDIT_PART_CONSTRAINT, WRITE_LOCK_LABEL, WRITE_LOCK_ID, SCHEMA_VERSION_LABEL, SCHEMA_VERSION_ID, ENTITY_ID_CONSTRAINT, AUDIT_ID_CONSTRAINT, AUDIT_SEQ_INDEX, WRITE_LOCK_CONSTRAINT, SCHEMA_VERSION_CONSTRAINT, SEARCH_TEXT_INDEX, NAMES_FULLTEXT_INDEX, SEARCH_CELLS_INDEX, NAME_KEYS_TEXT_INDEX, FULLTEXT_PROPERTIES, perLabel, perType, snake } from './neo4j.cypher-names.ts';

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

/** The parts of a large audit entry, by entry and number (read one by one, in order). */
export const CREATE_AUDIT_PART_CONSTRAINT = `CREATE CONSTRAINT ${AUDIT_PART_CONSTRAINT} IF NOT EXISTS FOR (p:${AUDIT_PART_LABEL}) REQUIRE (p.entry, p.n) IS UNIQUE`;

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
