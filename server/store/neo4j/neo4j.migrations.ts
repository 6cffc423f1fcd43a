/**
 * The schema in Neo4j, derived from the schema module and applied at every start: idempotent (`IF NOT EXISTS`),
 * safe when several app processes start at once, and it waits until the indexes are online.
 */
import type { Driver, Node } from 'neo4j-driver';
import { CorruptData } from '../../domain/errors.ts';
import { LABELS, LINK_TYPES, SCHEMA_VERSION, type GraphNode } from '../../schema/graph.schema.ts';
import { FIRST_SCHEMA_VERSION, upgradesFrom, type SchemaUpgrade } from '../schema-upgrades.ts';
import { cellsProperty } from '../../search/search-cells.ts';
import { SEARCH_KEY_VERSION, searchKey } from '../../search/search.ranking.ts';
import {
  AWAIT_INDEXES,
  CREATE_AUDIT_ID_CONSTRAINT,
  CREATE_STORY_ID_CONSTRAINT,
  CREATE_AUDIT_SEQ_INDEX,
  CREATE_AUDIT_PART_CONSTRAINT,
  CREATE_ENTITY_ID_CONSTRAINT,
  CREATE_WRITE_LOCK_CONSTRAINT,
  GET_SEARCH_KEY_VERSION,
  NODES_AFTER,
  SET_SEARCH_KEY_VERSION,
  CREATE_SCHEMA_VERSION_CONSTRAINT,
  CREATE_LABEL_ID_CONSTRAINT,
  GET_SCHEMA_VERSION,
  SET_SCHEMA_VERSION,
  CREATE_LINK_ID_CONSTRAINT,
  CREATE_NAMES_FULLTEXT_INDEX,
  CREATE_NAME_KEYS_TEXT_INDEX,
  CREATE_SEARCH_TEXT_INDEX,
  CREATE_SEARCH_CELLS_INDEX,
  SEARCH_CELLS_INDEX,
  NAMES_FULLTEXT_INDEX,
  NAME_KEYS_TEXT_INDEX,
  NODES_WITHOUT_NAME_KEYS,
  NODES_WITHOUT_SEARCH_KEY,
  SEARCH_TEXT_INDEX,
  SET_SEARCH_KEYS,
  SET_NAME_KEYS,
  SHOW_CONSTRAINTS,
  SHOW_INDEXES,
} from './neo4j.cypher.ts';
import { EQUIVALENT_SCHEMA_RULE, errorCode } from './neo4j.errors.ts';
import { int, nameKeysProperty, toPlain } from './neo4j.values.ts';

/**
 * The schema commands, in order: constraints (each brings its own index) first, then the search indexes, then the
 * store's own (audit entries, the write lock).
 */
export const MIGRATIONS: readonly { name: string; cypher: string }[] = Object.freeze([
  { name: 'CREATE_ENTITY_ID_CONSTRAINT', cypher: CREATE_ENTITY_ID_CONSTRAINT },
  ...LABELS.map((label) => ({ name: `CREATE_LABEL_ID_CONSTRAINT.${label}`, cypher: CREATE_LABEL_ID_CONSTRAINT[label] })),
  ...LINK_TYPES.map((type) => ({ name: `CREATE_LINK_ID_CONSTRAINT.${type}`, cypher: CREATE_LINK_ID_CONSTRAINT[type] })),
  { name: 'CREATE_SEARCH_TEXT_INDEX', cypher: CREATE_SEARCH_TEXT_INDEX },
  { name: 'CREATE_NAMES_FULLTEXT_INDEX', cypher: CREATE_NAMES_FULLTEXT_INDEX },
  { name: 'CREATE_NAME_KEYS_TEXT_INDEX', cypher: CREATE_NAME_KEYS_TEXT_INDEX },
  { name: 'CREATE_SEARCH_CELLS_INDEX', cypher: CREATE_SEARCH_CELLS_INDEX },
  { name: 'CREATE_AUDIT_ID_CONSTRAINT', cypher: CREATE_AUDIT_ID_CONSTRAINT },
  { name: 'CREATE_AUDIT_SEQ_INDEX', cypher: CREATE_AUDIT_SEQ_INDEX },
  { name: 'CREATE_AUDIT_PART_CONSTRAINT', cypher: CREATE_AUDIT_PART_CONSTRAINT },
  { name: 'CREATE_WRITE_LOCK_CONSTRAINT', cypher: CREATE_WRITE_LOCK_CONSTRAINT },
  { name: 'CREATE_SCHEMA_VERSION_CONSTRAINT', cypher: CREATE_SCHEMA_VERSION_CONSTRAINT },
  { name: 'CREATE_STORY_ID_CONSTRAINT', cypher: CREATE_STORY_ID_CONSTRAINT },
]);

const AWAIT_INDEXES_SECONDS = 300;

/**
 * Applies every migration; each schema command runs in its own transaction, as Neo4j requires. Then upgrades the
 * data of a database written by an older version of the model (schema-upgrades.ts) and records SCHEMA_VERSION; a
 * database written by a newer version is refused, unchanged.
 */
export async function migrate(driver: Driver, database: string): Promise<void> {
  // First, before any schema command: a database of a newer version is refused unchanged.
  const steps = await pendingUpgrades(driver, database);
  const session = driver.session({ database, defaultAccessMode: 'WRITE' });
  try {
    for (const { cypher } of MIGRATIONS) {
      try {
        await session.executeWrite((tx) => tx.run(cypher));
      } catch (error) {
        // Another process created the same rule between our IF NOT EXISTS check and our commit: done.
        if (errorCode(error) !== EQUIVALENT_SCHEMA_RULE) throw error;
      }
    }
    await session.executeRead((tx) => tx.run(AWAIT_INDEXES, { timeoutSeconds: int(AWAIT_INDEXES_SECONDS) }));
  } finally {
    await session.close();
  }
  if (steps) await upgradeData(driver, database, steps);
  await backfillSearchKeys(driver, database);
  await backfillNameKeys(driver, database);
  await rekeySearchKeys(driver, database);
  // `IF NOT EXISTS` is also satisfied by an equivalent index under another name; search needs ours by name.
  const { indexes } = await listSchema(driver, database);
  for (const name of [SEARCH_TEXT_INDEX, NAMES_FULLTEXT_INDEX, NAME_KEYS_TEXT_INDEX, SEARCH_CELLS_INDEX]) {
    const index = indexes.find((i) => i.name === name);
    if (!index) {
      throw new CorruptData(
        `the Neo4j database "${database}" has no index named ${name} (an equivalent index under another name may exist; drop it and restart)`,
      );
    }
    if (index.state !== 'ONLINE') throw new CorruptData(`the Neo4j index ${name} is ${index.state}, not ONLINE`);
  }
}

/**
 * The upgrade steps the database needs (from the recorded version, or 1 when none is recorded and it has data or
 * audit entries), or undefined when it records the current version. Throws CorruptData for a newer version.
 */
async function pendingUpgrades(driver: Driver, database: string): Promise<SchemaUpgrade[] | undefined> {
  const session = driver.session({ database, defaultAccessMode: 'READ' });
  try {
    const found = await session.executeRead((tx) => tx.run(GET_SCHEMA_VERSION));
    const recorded = toPlain(found.records[0]?.get('version')) as number | null | undefined;
    const hasData = found.records[0]?.get('hasData') === true;
    const stored = recorded ?? (hasData ? FIRST_SCHEMA_VERSION : SCHEMA_VERSION);
    const steps = upgradesFrom(stored, `the Neo4j database "${database}"`);
    return recorded === SCHEMA_VERSION ? undefined : steps;
  } finally {
    await session.close();
  }
}

/** Runs the upgrade steps' statements, then records SCHEMA_VERSION. */
async function upgradeData(driver: Driver, database: string, steps: readonly SchemaUpgrade[]): Promise<void> {
  const session = driver.session({ database, defaultAccessMode: 'WRITE' });
  try {
    for (const step of steps) {
      for (const cypher of step.cypher ?? []) await session.executeWrite((tx) => tx.run(cypher));
    }
    await session.executeWrite((tx) => tx.run(SET_SCHEMA_VERSION, { version: int(SCHEMA_VERSION) }));
  } finally {
    await session.close();
  }
}

/** The schema version the database records (undefined when none is). */
export async function readSchemaVersion(driver: Driver, database: string): Promise<number | undefined> {
  const session = driver.session({ database, defaultAccessMode: 'READ' });
  try {
    const found = await session.executeRead((tx) => tx.run(GET_SCHEMA_VERSION));
    return (toPlain(found.records[0]?.get('version')) as number | null | undefined) ?? undefined;
  } finally {
    await session.close();
  }
}

const BACKFILL_BATCH = 1000;

/**
 * Gives every node `find` returns (those without some stored key) the keys `keysOf` computes from its properties
 * (computed here, as Cypher cannot normalise the same way), written by `set`, in batches. Nothing to do, and one
 * quick statement, when the app wrote the data.
 */
async function backfill(driver: Driver, database: string, find: string, set: string, keysOf: (node: GraphNode) => Record<string, string | string[]>): Promise<void> {
  const session = driver.session({ database, defaultAccessMode: 'WRITE' });
  try {
    for (;;) {
      const done = await session.executeWrite(async (tx) => {
        const result = await tx.run(find, { limit: int(BACKFILL_BATCH) });
        if (result.records.length === 0) return true;
        const rows = result.records.map((record) => {
          const node = record.get('n') as Node;
          return { elementId: node.elementId, ...keysOf(toPlain(node.properties) as GraphNode) };
        });
        await tx.run(set, { rows });
        return result.records.length < BACKFILL_BATCH;
      });
      if (done) return;
    }
  } finally {
    await session.close();
  }
}

/** Search keys (NFC, invisibles removed, lower case) and search cells for nodes without them. */
function backfillSearchKeys(driver: Driver, database: string): Promise<void> {
  return backfill(driver, database, NODES_WITHOUT_SEARCH_KEY, SET_SEARCH_KEYS, (node) => {
    const search = searchKey(node);
    return { search, search_cells: cellsProperty(search) };
  });
}

/** Name keys (for the duplicate check) for nodes without them. */
function backfillNameKeys(driver: Driver, database: string): Promise<void> {
  return backfill(driver, database, NODES_WITHOUT_NAME_KEYS, SET_NAME_KEYS, (node) => ({ name_keys: nameKeysProperty(node) }));
}

/**
 * Computes every node's search key and cells again when the stored ones follow older rules than SEARCH_KEY_VERSION
 * (e.g. before Khmer variants were folded, or before search cells), in pages by id, writing only keys that differ, then records the version.
 * Idempotent: interrupted, it starts again at the next start; run twice, the second run only reads the version.
 */
export async function rekeySearchKeys(driver: Driver, database: string): Promise<number> {
  const session = driver.session({ database, defaultAccessMode: 'WRITE' });
  let rewritten = 0;
  try {
    const current = await session.executeRead(async (tx) => toPlain((await tx.run(GET_SEARCH_KEY_VERSION)).records[0]?.get('version')));
    if (current === SEARCH_KEY_VERSION) return 0;
    let after = '';
    for (;;) {
      const page = await session.executeWrite(async (tx) => {
        const result = await tx.run(NODES_AFTER, { after, limit: int(BACKFILL_BATCH) });
        const rows: { elementId: string; search: string; search_cells: string }[] = [];
        let last = after;
        for (const record of result.records) {
          const node = record.get('n') as Node;
          const props = toPlain(node.properties) as GraphNode & { search?: string; search_cells?: string };
          last = props.id;
          const search = searchKey(props);
          const cells = cellsProperty(search);
          if (props.search !== search || props.search_cells !== cells) rows.push({ elementId: node.elementId, search, search_cells: cells });
        }
        if (rows.length > 0) await tx.run(SET_SEARCH_KEYS, { rows });
        return { count: result.records.length, rewritten: rows.length, last };
      });
      rewritten += page.rewritten;
      after = page.last;
      if (page.count < BACKFILL_BATCH) break;
    }
    await session.executeWrite((tx) => tx.run(SET_SEARCH_KEY_VERSION, { version: int(SEARCH_KEY_VERSION) }));
    return rewritten;
  } finally {
    await session.close();
  }
}

export interface SchemaListing {
  constraints: { name: string; type: string; entityType: string; labelsOrTypes: string[]; properties: string[] }[];
  indexes: { name: string; type: string; entityType: string; labelsOrTypes: string[] | null; properties: string[] | null; state: string }[];
}

/** The constraints and indexes the database has (for tests and diagnostics). */
export async function listSchema(driver: Driver, database: string): Promise<SchemaListing> {
  const session = driver.session({ database, defaultAccessMode: 'READ' });
  try {
    const constraints = await session.executeRead((tx) => tx.run(SHOW_CONSTRAINTS));
    const indexes = await session.executeRead((tx) => tx.run(SHOW_INDEXES));
    return {
      constraints: constraints.records.map((r) => toPlain(r.toObject())) as SchemaListing['constraints'],
      indexes: indexes.records.map((r) => toPlain(r.toObject())) as SchemaListing['indexes'],
    };
  } finally {
    await session.close();
  }
}
