/**
 * Configuration, checked once at start: every variable parsed with zod into a frozen object; a bad start lists
 * every bad variable. Secrets have no defaults.
 */
import path from 'node:path';
import { z } from 'zod';
import { MIN_TOKEN_BITS, parseEditorTokens, tokenStrengthBits } from './auth/editors.ts';
import { MIN_SESSION_SECRET_LENGTH } from './auth/sessions.ts';
import { LOG_LEVELS, type LogLevel } from './http/logger.ts';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const flag = z.enum(['0', '1', 'true', 'false']);
const on = (value: string) => value === '1' || value === 'true';

/** Comma-separated origins, each scheme://host[:port] without a path: "https://dar.example.org". */
const origins = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'each origin must be scheme://host[:port], without a path or a trailing slash')));

/** Where the server listens when HOST is not set: this machine only. */
export const DEFAULT_HOST = '127.0.0.1';

/** The folder of the embedded store when DATA_DIR is not set (relative to the working directory). */
export const DEFAULT_DATA_DIR = './data';

/** The embedded store compacts its journal into a snapshot after this many writes when JOURNAL_COMPACT_ENTRIES is not set. */
export const DEFAULT_JOURNAL_COMPACT_ENTRIES = 2000;

/** Limits of the Cypher console when CYPHER_TIMEOUT_MS / CYPHER_MAX_ROWS are not set. */
export const DEFAULT_CYPHER_LIMITS = Object.freeze({ timeoutMs: 5000, maxRows: 1000 });

/**
 * Limits of reads when READ_RATE_LIMIT / HEAVY_READ_* are not set: reads per minute per client; heavy reads at
 * once (in all and per client), their deadline, the largest answer, and the cache of answers per graph version.
 */
export const DEFAULT_READ_LIMITS: ReadLimits = Object.freeze({
  readsPerMinute: 1200,
  concurrency: 2,
  perClient: 2,
  timeoutMs: 60_000,
  maxBytes: 100 * 1024 * 1024,
  cacheBytes: 128 * 1024 * 1024,
});

/** Auth settings when none are given (tests, tools): reads open, sign-ins and writes per minute per client as when SIGN_IN_RATE_LIMIT / WRITE_RATE_LIMIT are not set. */
export const DEFAULT_AUTH: AuthConfig = Object.freeze({ readsRequireSignIn: false, publicOrigins: [], signInsPerMinute: 10, writesPerMinute: 120 });

const EnvSchema = z.object({
  PORT: port.default(8080),
  HOST: z.string().min(1).default(DEFAULT_HOST),
  DATA_DIR: z.string().min(1).default(DEFAULT_DATA_DIR),
  SEED_DIR: z.string().min(1).default('./seed'),
  /** Seed an empty store at start (default on). */
  SEED_ON_EMPTY: flag.default('1'),
  NEO4J_URI: z.string().regex(/^(neo4j|bolt)(\+s|\+ssc)?:\/\/.+/, 'must be a neo4j:// or bolt:// URI').optional(),
  NEO4J_USERNAME: z.string().min(1).default('neo4j'),
  NEO4J_PASSWORD: z.string().optional(),
  NEO4J_DATABASE: z.string().min(1).default('neo4j'),
  NEO4J_CONNECT_TIMEOUT_MS: positiveInt.default(30000),
  /** Build the explorer at start when web/dist is missing or stale (auto), or never (off). */
  WEB_BUILD: z.enum(['auto', 'off']).default('auto'),
  CYPHER_TIMEOUT_MS: positiveInt.max(600_000).default(DEFAULT_CYPHER_LIMITS.timeoutMs),
  CYPHER_MAX_ROWS: positiveInt.max(100_000).default(DEFAULT_CYPHER_LIMITS.maxRows),
  IMPORT_MAX_BYTES: positiveInt.max(1024 * 1024 * 1024).default(50 * 1024 * 1024),
  REQUEST_BODY_LIMIT: z.string().regex(/^\d+(kb|mb)$/).default('1mb'),
  /** Editors: "name:token,name:token:admin". Unset: DATA_DIR/users.json (made with one admin on first start). */
  EDITOR_TOKENS: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      if (value === undefined || !value.trim()) return;
      try {
        parseEditorTokens(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
  /**
   * Signs the explorer's session cookies; every app process that serves the same users needs the same one. Unset:
   * DATA_DIR/session.secret (made on the first start, 0600).
   */
  SESSION_SECRET: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      if (value === undefined || value === '') return;
      if (value.length < MIN_SESSION_SECRET_LENGTH || tokenStrengthBits(value) < MIN_TOKEN_BITS * 2) {
        ctx.addIssue({ code: 'custom', message: `must be at least ${MIN_SESSION_SECRET_LENGTH} random characters (e.g. \`openssl rand -base64 48\`)` });
      }
    }),
  /** The embedded store compacts its journal into a snapshot after this many writes. */
  JOURNAL_COMPACT_ENTRIES: positiveInt.max(1_000_000).default(DEFAULT_JOURNAL_COMPACT_ENTRIES),
  /** Reads need a signed-in editor too (default: reads are open). */
  READS_REQUIRE_SIGN_IN: flag.default('0'),
  /** Where the explorer is served from, for the Origin check of signed-in browser writes (default: the request's host). */
  PUBLIC_ORIGIN: origins.optional(),
  /** Sites that may frame a story (/embed/stories/:id): CSP frame-ancestors; every other site is refused. */
  EMBED_ALLOWED_ORIGINS: z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/, 'each origin must be scheme://host[:port], e.g. https://partner.example.org')))
    .optional(),
  /** The server's log (JSON lines on stdout): "info" has a line per request; "warn" leaves those of good answers out. */
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  SIGN_IN_RATE_LIMIT: positiveInt.max(100_000).default(DEFAULT_AUTH.signInsPerMinute),
  WRITE_RATE_LIMIT: positiveInt.max(1_000_000).default(DEFAULT_AUTH.writesPerMinute),
  /** Reads (every API read but health) per minute per client address. */
  READ_RATE_LIMIT: positiveInt.max(1_000_000).default(DEFAULT_READ_LIMITS.readsPerMinute),
  /** Heavy reads (centrality, exports, subgraphs, paths, the console): at once in all, at once per client, deadline, bytes, cache. */
  HEAVY_READ_CONCURRENCY: positiveInt.max(64).default(DEFAULT_READ_LIMITS.concurrency),
  HEAVY_READ_CONCURRENCY_PER_CLIENT: positiveInt.max(64).default(DEFAULT_READ_LIMITS.perClient),
  HEAVY_READ_TIMEOUT_MS: positiveInt.max(3_600_000).default(DEFAULT_READ_LIMITS.timeoutMs),
  HEAVY_READ_MAX_BYTES: positiveInt.max(4 * 1024 * 1024 * 1024).default(DEFAULT_READ_LIMITS.maxBytes),
  HEAVY_READ_CACHE_BYTES: z.coerce.number().int().min(0).max(16 * 1024 * 1024 * 1024).default(DEFAULT_READ_LIMITS.cacheBytes),
  /**
   * Express "trust proxy": unset/0 none, 1 (or a number) hops, or addresses/subnets ("loopback, 10.0.0.0/8").
   * "true" (trust every hop: any client could claim any address and https) is refused.
   */
  TRUST_PROXY: z
    .string()
    .regex(/^[\w.:/, -]+$/, 'a number of hops, or addresses and subnets separated by commas')
    .refine((value) => value.trim().toLowerCase() !== 'true', {
      message: '"true" would trust every hop, so any client could set its own address and scheme; give the number of proxies in front (e.g. 1) or their addresses ("loopback, 10.0.0.0/8")',
    })
    .optional(),
});

/** 127.0.0.0/8, ::1 or localhost: only this machine can connect. */
export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || /^::ffff:127(\.\d{1,3}){3}$/.test(h);
}

export type Config = Readonly<{
  port: number;
  host: string;
  dataDir: string;
  /** Embedded store: compact after this many journal entries. */
  journalCompactEntries: number;
  seedDir: string;
  seedOnEmpty: boolean;
  /** Origins that may frame /embed/stories/:id (EMBED_ALLOWED_ORIGINS); none when absent (only this site). */
  embedAllowedOrigins?: readonly string[];
  neo4j?: Readonly<{ uri: string; username: string; password?: string; database: string; connectTimeoutMs: number }>;
  requestBodyLimit: string;
  webBuild: 'auto' | 'off';
  cypher: Readonly<{ timeoutMs: number; maxRows: number }>;
  auth: AuthConfig;
  /** Express's "trust proxy" setting (false: none). */
  trustProxy: boolean | number | string;
  importMaxBytes: number;
  logLevel: LogLevel;
  reads: ReadLimits;
}>;

export type ReadLimits = Readonly<{
  /** Per client address and minute. */
  readsPerMinute: number;
  /** Heavy reads running at once, in all and per client address. */
  concurrency: number;
  perClient: number;
  /** A heavy read still running after this is stopped (503 deadline_exceeded). */
  timeoutMs: number;
  /** The largest answer a heavy read gives (400 result_too_large). */
  maxBytes: number;
  /** Answers kept per graph version (centrality, exports), at most this many bytes in all; 0: none. */
  cacheBytes: number;
}>;

export type AuthConfig = Readonly<{
  /** A secret: never logged. */
  editorTokens?: string;
  /** SESSION_SECRET, a secret: never logged. */
  sessionSecret?: string;
  readsRequireSignIn: boolean;
  publicOrigins: readonly string[];
  /** Per client address and minute. */
  signInsPerMinute: number;
  writesPerMinute: number;
}>;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  const lines = parsed.success ? [] : parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  // Without PUBLIC_ORIGIN the Origin check of signed-in browser writes trusts the request's Host header: fine on
  // loopback only. (Checked here, not in the schema, so that it is listed with any other bad variable.)
  const host = env.HOST?.trim() || DEFAULT_HOST;
  const hasOrigin = parsed.success ? (parsed.data.PUBLIC_ORIGIN ?? []).length > 0 : Boolean(env.PUBLIC_ORIGIN?.replace(/[\s,]/g, ''));
  if (!isLoopback(host) && !hasOrigin) {
    lines.push(
      `  PUBLIC_ORIGIN: required when HOST (${host}) is not a loopback address: the origin(s) browsers use to reach the explorer, e.g. PUBLIC_ORIGIN=https://dar.example.org`,
    );
  }
  if (!parsed.success || lines.length > 0) throw new ConfigError(`bad configuration:\n${lines.join('\n')}`);
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    journalCompactEntries: e.JOURNAL_COMPACT_ENTRIES,
    seedDir: path.resolve(e.SEED_DIR),
    seedOnEmpty: on(e.SEED_ON_EMPTY),
    embedAllowedOrigins: Object.freeze(e.EMBED_ALLOWED_ORIGINS ?? []),
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
    auth: Object.freeze({
      ...(e.EDITOR_TOKENS?.trim() ? { editorTokens: e.EDITOR_TOKENS } : {}),
      ...(e.SESSION_SECRET ? { sessionSecret: e.SESSION_SECRET } : {}),
      readsRequireSignIn: on(e.READS_REQUIRE_SIGN_IN),
      publicOrigins: Object.freeze(e.PUBLIC_ORIGIN ?? []),
      signInsPerMinute: e.SIGN_IN_RATE_LIMIT,
      writesPerMinute: e.WRITE_RATE_LIMIT,
    }),
    trustProxy: trustProxy(e.TRUST_PROXY),
    importMaxBytes: e.IMPORT_MAX_BYTES,
    logLevel: e.LOG_LEVEL,
    reads: Object.freeze({
      readsPerMinute: e.READ_RATE_LIMIT,
      concurrency: e.HEAVY_READ_CONCURRENCY,
      perClient: e.HEAVY_READ_CONCURRENCY_PER_CLIENT,
      timeoutMs: e.HEAVY_READ_TIMEOUT_MS,
      maxBytes: e.HEAVY_READ_MAX_BYTES,
      cacheBytes: e.HEAVY_READ_CACHE_BYTES,
    }),
  });
}

function trustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === '' || value === '0' || value === 'false') return false;
  return /^\d+$/.test(value) ? Number(value) : value;
}
