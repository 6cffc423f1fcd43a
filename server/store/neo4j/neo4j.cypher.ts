/**
 * Every Cypher statement of the Neo4j store, as named constants: nothing else in the code base writes Cypher. They
 * are written in four files by area (neo4j.cypher-schema.ts: constraints, indexes, schema and search-key versions;
 * neo4j.cypher-reads.ts: graph reads; neo4j.cypher-search.ts: search; neo4j.cypher-writes.ts: writes, the write
 * lock, audit entries and stories; neo4j.cypher-bulk.ts: bulk loads), from the labels and index names of neo4j.cypher-names.ts; this module exports
 * them all, and `CYPHER_STATEMENTS` lists them by name so that a test can EXPLAIN each one against a real server
 * (Neo4j's own parser and planner). Labels and relationship types come only from the schema module's allow-lists
 * (LABELS, LINK_TYPES); values are always parameters.
 */
import * as schema from './neo4j.cypher-schema.ts';
import * as reads from './neo4j.cypher-reads.ts';
import * as search from './neo4j.cypher-search.ts';
import * as writes from './neo4j.cypher-writes.ts';
import * as bulk from './neo4j.cypher-bulk.ts';

export * from './neo4j.cypher-names.ts';
export * from './neo4j.cypher-schema.ts';
export * from './neo4j.cypher-reads.ts';
export * from './neo4j.cypher-search.ts';
export * from './neo4j.cypher-writes.ts';
export * from './neo4j.cypher-bulk.ts';

export interface NamedStatement {
  name: string;
  cypher: string;
}

const statements: Readonly<Record<string, unknown>> = { ...schema, ...reads, ...search, ...writes, ...bulk };

/** A statement by name; a record of them (one per label or type) or a list (one per hop count) is each of its own. */
const named = (name: string): NamedStatement[] => {
  const value = statements[name];
  if (typeof value === 'string') return value === '' ? [] : [{ name, cypher: value }];
  return Object.entries(value as Readonly<Record<string, string>>).flatMap(([key, cypher]) => (cypher === '' ? [] : [{ name: `${name}.${key}`, cypher }]));
};

/** Every statement, by name. */
export const CYPHER_STATEMENTS: readonly NamedStatement[] = Object.freeze(
  [
    'CREATE_ENTITY_ID_CONSTRAINT',
    'CREATE_LABEL_ID_CONSTRAINT',
    'CREATE_LINK_ID_CONSTRAINT',
    'CREATE_SEARCH_TEXT_INDEX',
    'CREATE_NAMES_FULLTEXT_INDEX',
    'CREATE_NAME_KEYS_TEXT_INDEX',
    'CREATE_SEARCH_CELLS_INDEX',
    'AWAIT_INDEXES',
    'NODES_WITHOUT_SEARCH_KEY',
    'SET_SEARCH_KEYS',
    'NODES_WITHOUT_NAME_KEYS',
    'SET_NAME_KEYS',
    'GET_SEARCH_KEY_VERSION',
    'SET_SEARCH_KEY_VERSION',
    'NODES_AFTER',
    'SHOW_CONSTRAINTS',
    'SHOW_INDEXES',
    'COUNT_NODES',
    'GET_NODES',
    'GET_NODE_LABELS',
    'GET_LINKS',
    'LINK_COUNTS',
    'NODE_DETAILS',
    'NEIGHBOURS',
    'SEARCH_CANDIDATES_TEXT',
    'SEARCH_CANDIDATES_FULLTEXT',
    'SEARCH_BY_CELLS',
    'SEARCH_BY_CELLS_TOP',
    'SEARCH_TYPO_CANDIDATES',
    'SEARCH_PARENTS',
    'STATS_NODES',
    'STATS_LINKS',
    'EXPAND',
    'LINKS_AMONG',
    'NODES_BY_ID',
    'SHORTEST_PATHS',
    'LINEAGE_RECORDS',
    'EXPORT_NODES',
    'EXPORT_LINKS',
    'NODES_BY_ELEMENT_ID',
    'PING',
    'UPSERT_NODES',
    'CREATE_NODES',
    'CREATE_LINKS',
    'DELETE_LINKS',
    'UPSERT_LINKS',
    'DELETE_NODES',
    'CREATE_AUDIT_ID_CONSTRAINT',
    'CREATE_AUDIT_SEQ_INDEX',
    'CREATE_AUDIT_PART_CONSTRAINT',
    'CREATE_WRITE_LOCK_CONSTRAINT',
    'CREATE_SCHEMA_VERSION_CONSTRAINT',
    'GET_SCHEMA_VERSION',
    'SET_SCHEMA_VERSION',
    'TAKE_WRITE_LOCK',
    'BULK_LOAD_BEGIN',
    'BULK_LOAD_END',
    'BULK_LOAD_MARK',
    'BULK_LOAD_UNDO',
    'DROP_SEARCH_INDEX',
    'GRAPH_VERSION',
    'LINKS_TOUCHING',
    'NAME_CANDIDATES',
    'CREATE_AUDIT_ENTRY',
    'CREATE_AUDIT_PART',
    'GET_AUDIT_PARTS',
    'DELETE_AUDIT_PARTS',
    'LIST_AUDIT',
    'GET_AUDIT',
    'CREATE_STORY_ID_CONSTRAINT',
    'GET_STORIES',
    'LIST_STORIES',
    'PUT_STORIES',
    'DELETE_STORIES',
  ].flatMap(named),
);
