/**
 * The baseline of the Neo4j load figure, measured in the same run: the same rows (the store's own node and link
 * rows: same properties, so the same indexes are maintained) written by bare neo4j-driver with parameterised
 * `UNWIND … CREATE` in transactions of `chunk` records, without the app's planning, checks and audit.
 */
import neo4j from 'neo4j-driver';
import {
  AWAIT_INDEXES,
  CREATE_NAME_KEYS_TEXT_INDEX,
  CREATE_NAMES_FULLTEXT_INDEX,
  CREATE_SEARCH_CELLS_INDEX,
  CREATE_SEARCH_TEXT_INDEX,
  NAME_KEYS_TEXT_INDEX,
  NAMES_FULLTEXT_INDEX,
  SEARCH_CELLS_INDEX,
  SEARCH_TEXT_INDEX,
} from '../../server/store/neo4j/neo4j.cypher.ts';
import { linkToRow, nodeToRow } from '../../server/store/neo4j/neo4j.values.ts';
import type { GraphLink, GraphNode } from '../../server/schema/graph.schema.ts';
import type { GeneratedGraph } from '../support/graph-generator.ts';

export async function bareLoad(uri: string, graph: GeneratedGraph, chunk: number): Promise<number> {
  const driver = neo4j.driver(uri);
  try {
    const started = performance.now();
    // Grouped by reference, converted to rows one transaction at a time: at 1M nodes / 3M links the graph is held once.
    const nodes = new Map<string, GraphNode[]>();
    for (const node of graph.nodes) (nodes.get(node.label) ?? nodes.set(node.label, []).get(node.label)!).push(node);
    for (const [label, list] of nodes) {
      for (let i = 0; i < list.length; i += chunk) {
        const rows = list.slice(i, i + chunk).map((node) => nodeToRow(node).props);
        await driver.executeQuery(`UNWIND $rows AS row CREATE (n:Entity:${label}) SET n = row`, { rows }, { database: 'neo4j' });
      }
    }
    nodes.clear();
    const links = new Map<string, GraphLink[]>();
    for (const link of graph.links) (links.get(link.type) ?? links.set(link.type, []).get(link.type)!).push(link);
    for (const [type, list] of links) {
      for (let i = 0; i < list.length; i += chunk) {
        await driver.executeQuery(
          `UNWIND $rows AS row MATCH (a:Entity {id: row.from}) MATCH (b:Entity {id: row.to}) CREATE (a)-[r:${type}]->(b) SET r = row.props`,
          { rows: list.slice(i, i + chunk).map(linkToRow) },
          { database: 'neo4j' },
        );
      }
    }
    return performance.now() - started;
  } finally {
    await driver.close();
  }
}

/**
 * What a load cannot go below on this machine, measured in the same run (issue 14's 50,000 records/s): the node
 * rows the loads write (1.1 kB each at the bench graph) sent in transactions of `chunk` and only counted by Neo4j
 * (`UNWIND … RETURN count`: Bolt, the driver's encoding, Neo4j's decoding, nothing written), then the nodes created
 * with an id and a name alone (the id constraints' indexes kept, no search index; ids `floor-…`, so the graph may
 * be there), then taken away again. Only the statements are timed (the rows are made outside the clock), after one
 * untimed transaction of each kind (so that neither side is measured cold).
 */
export async function bareLoadFloor(uri: string, graph: GeneratedGraph, chunk: number): Promise<{ sendMs: number; createMs: number }> {
  const driver = neo4j.driver(uri);
  const q = (cypher: string, params: Record<string, unknown>) => driver.executeQuery(cypher, params, { database: 'neo4j' });
  const nodes = new Map<string, GraphNode[]>();
  for (const node of graph.nodes) (nodes.get(node.label) ?? nodes.set(node.label, []).get(node.label)!).push(node);
  const each = async (row: (node: GraphNode) => Record<string, unknown>, cypher: (label: string) => string, warm: boolean) => {
    let ms = 0;
    for (const [label, list] of nodes) {
      for (let i = 0; i < list.length; i += chunk) {
        const rows = list.slice(i, i + chunk).map(row);
        const started = performance.now();
        await q(cypher(label), { rows });
        ms += performance.now() - started;
        if (warm) return 0;
      }
    }
    return ms;
  };
  const send = () => 'UNWIND $rows AS row RETURN count(row) AS n';
  const create = (label: string) => `UNWIND $rows AS row CREATE (n:Entity:${label}) SET n = row`;
  const sendRow = (node: GraphNode) => nodeToRow(node).props;
  let warmed = 0;
  const createRow = (node: GraphNode) => ({ id: `floor-${warmed}-${node.id}`, name_en: node.name_en });
  try {
    await each(sendRow, send, true);
    const sendMs = await each(sendRow, send, false);
    warmed = 1;
    await each(createRow, create, true);
    warmed = 2;
    const createMs = await each(createRow, create, false);
    return { sendMs, createMs };
  } finally {
    const session = driver.session({ database: 'neo4j' });
    try {
      await session.run("MATCH (n:Entity) WHERE n.id STARTS WITH 'floor-' CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS");
    } finally {
      await session.close();
      await driver.close();
    }
  }
}

/**
 * The lever for loads into an empty database, measured: the same bare load with the four search indexes (TEXT on
 * the search key and name keys, full-text on names and search cells, ~40 tokens a node) dropped first and created
 * again after, the time to populate them and wait until they are online included. The id constraints stay.
 */
export async function bareLoadRebuildingIndexes(uri: string, graph: GeneratedGraph, chunk: number): Promise<{ totalMs: number; rebuildMs: number }> {
  const driver = neo4j.driver(uri);
  try {
    const started = performance.now();
    for (const index of [SEARCH_CELLS_INDEX, NAMES_FULLTEXT_INDEX, SEARCH_TEXT_INDEX, NAME_KEYS_TEXT_INDEX]) {
      await driver.executeQuery(`DROP INDEX ${index} IF EXISTS`, {}, { database: 'neo4j' });
    }
    await bareLoad(uri, graph, chunk);
    const loaded = performance.now();
    for (const cypher of [CREATE_SEARCH_CELLS_INDEX, CREATE_NAMES_FULLTEXT_INDEX, CREATE_SEARCH_TEXT_INDEX, CREATE_NAME_KEYS_TEXT_INDEX]) {
      await driver.executeQuery(cypher, {}, { database: 'neo4j' });
    }
    await driver.executeQuery(AWAIT_INDEXES, { timeoutSeconds: neo4j.int(3600) }, { database: 'neo4j' });
    const done = performance.now();
    return { totalMs: done - started, rebuildMs: done - loaded };
  } finally {
    await driver.close();
  }
}

/** Removes the graph (the store's own lock and version nodes stay), in transactions of 1,000 nodes (10,000 overran the 512 MB heap's transaction memory pool at 100k/300k). */
export async function emptyDatabase(uri: string): Promise<void> {
  const driver = neo4j.driver(uri);
  const session = driver.session({ database: 'neo4j' });
  try {
    await session.run('MATCH (n:Entity) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS');
  } finally {
    await session.close();
    await driver.close();
  }
}

/** Removes the audit entries (after the bench's "before" load, so the app's load starts as a seed does). */
export async function clearAudit(uri: string): Promise<void> {
  const driver = neo4j.driver(uri);
  const session = driver.session({ database: 'neo4j' });
  try {
    await session.run('MATCH (e:AuditEntry) CALL (e) { DELETE e } IN TRANSACTIONS OF 100 ROWS');
  } finally {
    await session.close();
    await driver.close();
  }
}
