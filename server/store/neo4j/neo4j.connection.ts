/**
 * Connecting the Neo4j store: the driver (its connection and retry times), waiting for a reachable server that
 * accepts the credentials, the schema migrations, and one line naming the URI and the cause when any of it fails.
 */
import neo4j, { type Driver, type ServerInfo } from 'neo4j-driver';
import { DomainError, Unavailable } from '../../domain/errors.ts';
import { describeCode, errorCode, isStartupRetryable, probeTcp, translateError } from './neo4j.errors.ts';
import { migrate } from './neo4j.migrations.ts';
import { BULK_LOAD_MARK } from './neo4j.cypher.ts';
import type { BulkLoadOptions } from './neo4j.bulk-load.ts';

export interface Neo4jStoreConfig {
  uri: string;
  username: string;
  password?: string;
  database: string;
  /** How long `connect` waits for a reachable server that accepts the credentials. */
  connectTimeoutMs: number;
  /**
   * Neo4j ends a read transaction running longer than this (HEAVY_READ_TIMEOUT_MS), so a heavy read stopped at its
   * deadline does not run on in the database; answered 503 deadline_exceeded. None when absent.
   */
  readTimeoutMs?: number;
  /** Bulk loads into the empty database (neo4j.bulk-load.ts): from how many changes, how many per transaction. */
  bulkLoad?: BulkLoadOptions;
}

/**
 * Managed transactions retry transient failures (deadlocks, a stale pooled connection after a restart) while
 * less than this has passed. The driver waits ~1 s, then ~2 s between attempts, so 2 s means three attempts
 * and an outage answers 503 within about 3 s (the driver's default, 30 s, would hold every request that long).
 */
const TX_RETRY_MS = 2000;
/** A single connection attempt gives up after this long (bounded by the connect timeout). */
const CONNECTION_TIMEOUT_MS = 5000;

type Log = (line: string) => void;

/**
 * A driver connected to `config` (waiting up to `connectTimeoutMs` for Neo4j to be reachable and accept the
 * credentials) whose database has every migration applied. Throws `Unavailable` with one line naming the URI and
 * the cause.
 */
export async function connectDriver(config: Neo4jStoreConfig, log: Log): Promise<Driver> {
  const auth = config.password === undefined ? undefined : neo4j.auth.basic(config.username, config.password);
  const driver = neo4j.driver(config.uri, auth, {
    connectionTimeout: Math.min(CONNECTION_TIMEOUT_MS, config.connectTimeoutMs),
    maxTransactionRetryTime: TX_RETRY_MS,
    userAgent: 'dar-knowledge-graph',
  });
  try {
    const info = await waitForServer(driver, config, log);
    await migrate(driver, config.database);
    const mark = await driver.executeQuery(BULK_LOAD_MARK, {}, { database: config.database, routing: 'READ' });
    if (mark.records[0]?.get('load')) {
      log(`neo4j store: a bulk load (${String(mark.records[0].get('load'))}) is marked on the write lock: another process is loading, or one died mid-load (then see README, "Bulk loads"); writes answer 503 until the mark is gone`);
    }
    log(`neo4j store: Neo4j ${versionOf(info)} at ${config.uri}, database "${config.database}"`);
    return driver;
  } catch (error) {
    await driver.close().catch(() => undefined);
    if (error instanceof DomainError) throw error; // ours, already one line naming the URI
    const code = errorCode(error);
    if (translateError(error, config.uri, config.database) instanceof Unavailable) {
      throw new Unavailable(`cannot connect to Neo4j at ${config.uri}: ${describeCode(code, config.database)}`, { code });
    }
    // E.g. a constraint that existing data violates: one line for the operator, not a stack trace.
    const said = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw new Unavailable(`cannot prepare the Neo4j database "${config.database}" at ${config.uri}: ${code ? `${code}: ` : ''}${said}`, { code });
  }
}

/** getServerInfo until it answers or the connect timeout passes; then one line naming the URI and the cause. */
async function waitForServer(driver: Driver, config: Neo4jStoreConfig, log: Log): Promise<ServerInfo> {
  const started = Date.now();
  const deadline = started + config.connectTimeoutMs;
  let delay = 250;
  let told = false;
  let credentialsRefused = false;
  for (;;) {
    try {
      return await driver.getServerInfo({ database: config.database });
    } catch (error) {
      if (!isStartupRetryable(error)) throw error;
      const code = errorCode(error);
      if (code === 'Neo.ClientError.Security.Unauthorized') credentialsRefused = true;
      const remaining = deadline - Date.now();
      if (remaining <= 0 || !told) {
        const cause =
          credentialsRefused && code === 'Neo.ClientError.Security.AuthenticationRateLimit'
            ? describeCode('Neo.ClientError.Security.Unauthorized', config.database)
            : await causeOf(error, config);
        const seconds = `${Number((config.connectTimeoutMs / 1000).toFixed(1))} s`;
        if (remaining <= 0) {
          throw new Unavailable(`cannot connect to Neo4j at ${config.uri} after ${seconds}: ${cause}`, { code });
        }
        log(`neo4j store: cannot connect to Neo4j at ${config.uri} yet (${cause}); retrying for up to ${seconds}`);
        told = true;
      }
      await sleep(Math.min(delay, Math.max(0, deadline - Date.now())));
      delay = Math.min(delay * 2, 2000);
    }
  }
}

/** The cause of a failed connection: for "unreachable", the socket's own errno (refused, not found, timed out). */
async function causeOf(error: unknown, config: Neo4jStoreConfig): Promise<string> {
  const code = errorCode(error);
  if (code === 'ServiceUnavailable' || code === 'SessionExpired') {
    const tcp = await probeTcp(config.uri);
    return tcp ?? 'the server accepts TCP connections but no Bolt session (check the URI scheme and encryption)';
  }
  return describeCode(code, config.database);
}

/** The Neo4j version a server reports (its agent without "Neo4j/"). */
export function versionOf(info: ServerInfo): string {
  const agent = info.agent ?? '';
  return agent.startsWith('Neo4j/') ? agent.slice('Neo4j/'.length) : agent;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
