/**
 * Configuration, checked once at start: every variable parsed with zod into a frozen object; a bad start lists
 * every bad variable. Secrets have no defaults.
 */
import path from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

/** Limits of the Cypher console when CYPHER_TIMEOUT_MS / CYPHER_MAX_ROWS are not set. */
export const DEFAULT_CYPHER_LIMITS = Object.freeze({ timeoutMs: 5000, maxRows: 1000 });

const EnvSchema = z.object({
  PORT: port.default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  SEED_DIR: z.string().min(1).default('./seed'),
  /** Seed an empty store at start (default on). */
  SEED_ON_EMPTY: z.enum(['0', '1', 'true', 'false']).default('1'),
  NEO4J_URI: z.string().regex(/^(neo4j|bolt)(\+s|\+ssc)?:\/\/.+/, 'must be a neo4j:// or bolt:// URI').optional(),
  NEO4J_USERNAME: z.string().min(1).default('neo4j'),
  NEO4J_PASSWORD: z.string().optional(),
  NEO4J_DATABASE: z.string().min(1).default('neo4j'),
  NEO4J_CONNECT_TIMEOUT_MS: positiveInt.default(30000),
  /** Build the explorer at start when web/dist is missing or stale (auto), or never (off). */
  WEB_BUILD: z.enum(['auto', 'off']).default('auto'),
  CYPHER_TIMEOUT_MS: positiveInt.max(600_000).default(DEFAULT_CYPHER_LIMITS.timeoutMs),
  CYPHER_MAX_ROWS: positiveInt.max(100_000).default(DEFAULT_CYPHER_LIMITS.maxRows),
  REQUEST_BODY_LIMIT: z.string().regex(/^\d+(kb|mb)$/).default('1mb'),
});

export type Config = Readonly<{
  port: number;
  host: string;
  dataDir: string;
  seedDir: string;
  seedOnEmpty: boolean;
  neo4j?: Readonly<{ uri: string; username: string; password?: string; database: string; connectTimeoutMs: number }>;
  requestBodyLimit: string;
  webBuild: 'auto' | 'off';
  cypher: Readonly<{ timeoutMs: number; maxRows: number }>;
}>;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`bad configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    seedDir: path.resolve(e.SEED_DIR),
    seedOnEmpty: e.SEED_ON_EMPTY === '1' || e.SEED_ON_EMPTY === 'true',
    neo4j: e.NEO4J_URI
      ? Object.freeze({
          uri: e.NEO4J_URI,
          username: e.NEO4J_USERNAME,
          password: e.NEO4J_PASSWORD,
          database: e.NEO4J_DATABASE,
          connectTimeoutMs: e.NEO4J_CONNECT_TIMEOUT_MS,
        })
      : undefined,
    requestBodyLimit: e.REQUEST_BODY_LIMIT,
    webBuild: e.WEB_BUILD,
    cypher: Object.freeze({ timeoutMs: e.CYPHER_TIMEOUT_MS, maxRows: e.CYPHER_MAX_ROWS }),
  });
}
