/**
 * The read-only Cypher console of the Neo4j store (POST /api/cypher): the gate on Neo4j's own plan, the read with
 * its timeout and row cap, the rows as plain JSON with the nodes and links they hold, and the console's errors.
 */
import type { Session } from 'neo4j-driver';
import { Invalid } from '../../domain/errors.ts';
import type { CypherOptions, CypherResult } from '../graph-store.ts';
import { checkConsolePlan, type PlanNode } from './neo4j.console-plan.ts';
import { EXPLAIN_PREFIX, NODES_BY_ELEMENT_ID } from './neo4j.cypher.ts';
import { errorCode } from './neo4j.errors.ts';
import { consoleEndpoints, consoleParams, consoleRows } from './neo4j.values.ts';

/** Records fetched per batch: one more than the rows kept, so that reading stops right after the cap. */
export function consoleFetchSize(options: CypherOptions): number {
  return Math.min(options.maxRows + 1, 1000);
}

/**
 * A query run in `session` (its text already through server/services/cypher-guard.ts, a friendly first check only):
 * Neo4j's EXPLAIN must call it a read ('r') and its plan must pass checkConsolePlan (neo4j.console-plan.ts), the
 * real gate; then the same text runs in a read transaction (READ access mode: Neo4j refuses writes there too)
 * with the timeout, and reading stops after maxRows.
 */
export async function consoleQuery(session: Session, query: string, params: Record<string, unknown>, options: CypherOptions, database: string): Promise<CypherResult> {
  const parameters = consoleParams(params) as Record<string, unknown>;
  const txConfig = { timeout: options.timeoutMs };
  const plan = await session.executeRead((tx) => tx.run(EXPLAIN_PREFIX + query, parameters), txConfig);
  // The gate: what Neo4j planned (no LOAD CSV, allowed procedures and functions, read operators on this
  // database only), whatever the spelling of the text.
  checkConsolePlan(plan.summary.plan as unknown as PlanNode | false, database);
  const queryType = plan.summary.queryType;
  if (queryType !== 'r') {
    throw new Invalid(
      `refused: Neo4j's planner says this query ${QUERY_TYPES[queryType] ?? `is of type "${queryType}"`}; the console only reads`,
      { parameter: 'query' },
      'cypher_refused',
    );
  }
  return session.executeRead(async (tx) => {
    const result = tx.run(query, parameters);
    const columns = (await result.keys()) as string[];
    const raw: unknown[][] = [];
    let truncated = false;
    for await (const record of result) {
      if (raw.length >= options.maxRows) {
        truncated = true;
        break; // the rest is discarded, not fetched
      }
      raw.push(columns.map((column) => record.get(column)));
    }
    const { nodes, missing } = consoleEndpoints(raw);
    if (missing.size > 0) {
      const ends = await tx.run(NODES_BY_ELEMENT_ID, { elementIds: [...missing] });
      for (const record of ends.records) {
        const node = record.get('n');
        nodes.set(node.elementId, node);
      }
    }
    const { rows, elements } = consoleRows(raw, nodes);
    return { columns, rows, elements, truncated };
  }, txConfig);
}

const QUERY_TYPES: Record<string, string> = { w: 'writes', rw: 'reads and writes', s: 'changes the schema' };

/** A console query's failure, by code: its own mistakes are 400s that say what Neo4j said; outages stay 503. */
export function consoleError(error: unknown, timeoutMs: number): unknown {
  const code = errorCode(error);
  if (code === undefined || error instanceof Invalid) return error;
  const said = ((error as Error).message ?? '').split('\n')[0]!.trim();
  if (code.startsWith('Neo.ClientError.Transaction.TransactionTimedOut')) {
    return new Invalid(`the query ran longer than ${timeoutMs / 1000} s (CYPHER_TIMEOUT_MS)`, { parameter: 'query', code }, 'cypher_timeout');
  }
  if (code === 'Neo.ClientError.Statement.AccessMode' || code.startsWith('Neo.ClientError.Security.Forbidden')) {
    return new Invalid(`refused: the console only reads (${said})`, { parameter: 'query', code }, 'cypher_refused');
  }
  if (code.startsWith('Neo.ClientError.Statement.') || code.startsWith('Neo.ClientError.Procedure.')) {
    return new Invalid(`Neo4j cannot run this query: ${said}`, { parameter: 'query', code }, 'cypher_invalid');
  }
  return error;
}
