/**
 * What every Cypher statement of the Neo4j store is built from (neo4j.cypher.ts lists the statements): the store's
 * labels and index names, and the few helpers that make one statement per label or relationship type. Labels and
 * relationship types come only from the schema module's allow-lists (LABELS, LINK_TYPES).
 *
 * The graph in Neo4j: every node carries the common label `:Entity` plus its own label (`:Entity:Programme`), its
 * properties as stored by the API (without `label`, which is the Neo4j label) and `search`, the normalised search
 * key of server/search/search.ranking.ts. A link is a relationship of its type whose properties are the link's
 * (without `type`, `from`, `to`, which are the relationship's own).
 */
import { LABELS, LINK_TYPES, type Label, type LinkType } from '../../schema/graph.schema.ts';

/** The label every node carries besides its own, so that lookups by id need one index. */
export const ENTITY_LABEL = 'Entity';
/**
 * Nodes of the store's own, outside the domain (no :Entity, none of the schema's labels, so no read of the graph
 * sees them): one audit entry per write, and the one lock node every write transaction takes first.
 */
export const AUDIT_LABEL = 'AuditEntry';
/**
 * A large audit entry's changes in parts (a bulk load's: neo4j.bulk-load.ts), so that no transaction holds them all:
 * `entry` (the entry's id), `n` (0, 1, …) and `keys`, `before`, `after` as an entry holds them; the entry node
 * holds `parts` (how many) and empty lists. Outside the graph too, and read only through their entry.
 */
export const AUDIT_PART_LABEL = 'AuditPart';
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
export const AUDIT_PART_CONSTRAINT = 'audit_part_entry_n';
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

export const snake = (name: string) => name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
export const perLabel = (make: (label: Label) => string) =>
  Object.freeze(Object.fromEntries(LABELS.map((label) => [label, make(label)]))) as Readonly<Record<Label, string>>;
export const perType = (make: (type: LinkType) => string) =>
  Object.freeze(Object.fromEntries(LINK_TYPES.map((type) => [type, make(type)]))) as Readonly<Record<LinkType, string>>;

/**
 * The schema's relationship types as one type expression (`SUCCEEDS|PART_OF|…`): reads of a node's links use it, so
 * that relationships of other types (written by other tools into the same database) are ignored by neighbours,
 * counts and walks, as they are by the stats.
 */
export const ANY_LINK = LINK_TYPES.join('|');

/** A relationship as a link map: its properties plus type and the ids of its ends. */
export const link = (r: string) => `${r} {.*, type: type(${r}), from: startNode(${r}).id, to: endNode(${r}).id}`;
