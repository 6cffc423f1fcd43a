/**
 * What the Neo4j test files share: whether a real Neo4j can run here (and what happens when it cannot), starting
 * one with the launcher of tests/neo4j-server, and a test-side driver to clear the database.
 */
import neo4j, { ManagedTransaction, type Driver } from 'neo4j-driver';
import { describe, it } from 'vitest';
import { Neo4jStore, type Neo4jStoreConfig } from '../../server/store/neo4j/neo4j.store.ts';
import { neo4jAvailability, startNeo4j, type RunningNeo4j, type StartNeo4jOptions } from '../neo4j-server/neo4j-server.ts';

export const availability = neo4jAvailability();
/** CI sets REQUIRE_NEO4J=1: there a Neo4j half that cannot run is a failure, never a silent pass. */
export const required = process.env.REQUIRE_NEO4J === '1';
export const skipNeo4j = !availability.ok;

/** Test-only statement: empties the database between suites (Community has one user database). */
export const CLEAR_DATABASE = 'MATCH (n) DETACH DELETE n';

/**
 * Says loudly when the Neo4j half cannot run, and with REQUIRE_NEO4J=1 adds a failing test carrying the reason.
 * Call at the top of every Neo4j test file.
 */
export function neo4jRequirement(what: string): void {
  if (!skipNeo4j) return;
  const reason = availability.reason ?? 'unknown reason';
  if (required) {
    describe(`${what} (REQUIRE_NEO4J=1)`, () => {
      it('needs a real Neo4j, which cannot run here', () => {
        throw new Error(`REQUIRE_NEO4J=1 but Neo4j cannot run here: ${reason}`);
      });
    });
    return;
  }
  const banner = `!!! Neo4j half SKIPPED: ${reason} !!!`;
  console.warn(`\n${'!'.repeat(banner.length)}\n${banner}\n${'!'.repeat(banner.length)}\n`);
}

/** Starts a throwaway Neo4j; its log lines are kept and shown only when it fails to start. */
export async function startTestNeo4j(options: Omit<StartNeo4jOptions, 'log'> = {}): Promise<RunningNeo4j> {
  const lines: string[] = [];
  try {
    return await startNeo4j({ ...options, log: (line) => lines.push(line) });
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- launcher output ---\n${lines.slice(-40).join('\n')}`);
  }
}

export function storeConfig(server: RunningNeo4j, overrides: Partial<Neo4jStoreConfig> = {}): Neo4jStoreConfig {
  return {
    uri: server.uri,
    username: 'neo4j',
    ...(server.password !== undefined ? { password: server.password } : {}),
    database: 'neo4j',
    connectTimeoutMs: 30_000,
    ...overrides,
  };
}

export function adminDriver(server: RunningNeo4j): Driver {
  return neo4j.driver(server.uri, server.password !== undefined ? neo4j.auth.basic('neo4j', server.password) : undefined);
}

export async function clearDatabase(driver: Driver): Promise<void> {
  await driver.executeQuery(CLEAR_DATABASE, {}, { database: 'neo4j' });
}

/** A Neo4jStore on an emptied database; dispose closes it and empties the database again; reopen reconnects. */
export async function openEmptyNeo4jStore(
  server: RunningNeo4j,
  driver: Driver,
): Promise<{ store: Neo4jStore; dispose(): Promise<void>; reopen(): Promise<void> }> {
  await clearDatabase(driver);
  const handle = {
    store: await Neo4jStore.connect(storeConfig(server)),
    dispose: async () => {
      await handle.store.close();
      await clearDatabase(driver);
    },
    reopen: async () => {
      await handle.store.close();
      handle.store = await Neo4jStore.connect(storeConfig(server));
    },
  };
  return handle;
}

export interface RunStatement {
  query: string;
  params: Record<string, unknown>;
}

/** Records every statement run in a managed transaction (`seen`, emptied by `clear`) until `restore`. */
export function recordStatements(): { seen: RunStatement[]; clear: () => void; restore: () => void } {
  const proto = ManagedTransaction.prototype as unknown as { run: (this: unknown, query: string, params?: unknown) => unknown };
  const original = proto.run;
  const seen: RunStatement[] = [];
  proto.run = function (query: string, params?: unknown) {
    seen.push({ query, params: params as Record<string, unknown> });
    return original.call(this, query, params);
  };
  return { seen, clear: () => void seen.splice(0), restore: () => void (proto.run = original) };
}

/** The operators of a statement's PROFILE plan (runtime suffixes cut), depth first. */
export async function profileOperators(driver: Driver, statement: RunStatement): Promise<string[]> {
  const result = await driver.executeQuery(`PROFILE ${statement.query}`, statement.params, { database: 'neo4j' });
  const operators: string[] = [];
  const walk = (plan: { operatorType: string; children: unknown[] }) => {
    operators.push(plan.operatorType.replace(/@.*$/, ''));
    for (const child of plan.children) walk(child as typeof plan);
  };
  walk(result.summary.profile as unknown as { operatorType: string; children: unknown[] });
  return operators;
}
