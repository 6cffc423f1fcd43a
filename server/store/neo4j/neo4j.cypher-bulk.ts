/**
 * The Cypher of bulk loads into the empty database (neo4j.bulk-load.ts): the load's mark on the write-lock node,
 * taking a failed load back, and the four search indexes dropped before the load and created again after it.
 */
import { ENTITY_LABEL, NAME_KEYS_TEXT_INDEX, NAMES_FULLTEXT_INDEX, SEARCH_CELLS_INDEX, SEARCH_TEXT_INDEX, WRITE_LOCK_ID, WRITE_LOCK_LABEL } from './neo4j.cypher-names.ts';
import { CREATE_NAME_KEYS_TEXT_INDEX, CREATE_NAMES_FULLTEXT_INDEX, CREATE_SEARCH_CELLS_INDEX, CREATE_SEARCH_TEXT_INDEX } from './neo4j.cypher-schema.ts';

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
