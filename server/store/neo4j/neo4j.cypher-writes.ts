/**
 * The Neo4j store's writes (neo4j.writes.ts runs them): nodes and links per label and type, the write lock, what
 * the change planner reads inside the write, audit entries and stories.
 */
import { ENTITY_LABEL, AUDIT_LABEL, AUDIT_PART_LABEL, WRITE_LOCK_LABEL, WRITE_LOCK_ID, STORY_LABEL, STORY_ID_CONSTRAINT, perLabel, perType, link } from './neo4j.cypher-names.ts';

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
 * the database are applied one after another (their version, id and name checks see each other), the next
 * audit sequence number, and the mark of a bulk load under way (neo4j.cypher-bulk.ts), if any.
 */
export const TAKE_WRITE_LOCK = `MERGE (l:${WRITE_LOCK_LABEL} {id: '${WRITE_LOCK_ID}'})
SET l.seq = coalesce(l.seq, 0) + 1
RETURN l.seq AS seq, l.bulk_load AS bulkLoad`;

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

/**
 * One audit entry: `$props` = { id, seq, at, by, action, revert_of?, keys, before, after } (JSON strings), and
 * `parts` when its changes are in :AuditPart nodes (then its own lists are empty).
 */
export const CREATE_AUDIT_ENTRY = `CREATE (e:${AUDIT_LABEL})
SET e = $props
RETURN e.id AS id`;

/** One part of a large audit entry: `$props` = { entry, n, keys, before, after }. */
export const CREATE_AUDIT_PART = `CREATE (p:${AUDIT_PART_LABEL})
SET p = $props
RETURN count(p) AS written`;

/**
 * Every part of the entries `$entries` = [{ id, parts }], in one statement: each part found through the (entry, n)
 * constraint's index, one row per part with its entry and number (none for a missing part; the caller puts the rows
 * in order and finds the gaps). Not sorted here: a sort would hold every part's lists in the transaction's memory.
 */
export const GET_AUDIT_PARTS = `UNWIND $entries AS entry
UNWIND range(0, entry.parts - 1) AS n
MATCH (p:${AUDIT_PART_LABEL} {entry: entry.id, n: n})
RETURN p.entry AS entry, p.n AS n, p.keys AS keys, p.before AS before, p.after AS after`;

/** Parts `$ns` of the entry `$entry`, deleted (a failed bulk load's). */
export const DELETE_AUDIT_PARTS = `UNWIND $ns AS n
MATCH (p:${AUDIT_PART_LABEL} {entry: $entry, n: n})
DELETE p
RETURN count(*) AS deleted`;

/**
 * Audit entries, newest first, filtered (each filter null when not given); the record filter looks in an entry's
 * parts too.
 */
export const LIST_AUDIT = `MATCH (e:${AUDIT_LABEL})
WHERE ($editor IS NULL OR e.by = $editor)
  AND ($since IS NULL OR e.at >= $since)
  AND ($before IS NULL OR e.seq < $before)
  AND ($keys IS NULL OR any(k IN e.keys WHERE k IN $keys)
    OR EXISTS { MATCH (p:${AUDIT_PART_LABEL}) WHERE p.entry = e.id AND p.n < e.parts AND any(k IN p.keys WHERE k IN $keys) })
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
