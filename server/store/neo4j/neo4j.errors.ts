/**
 * Driver errors as domain errors, decided by the error's `code` (never its message text): connectivity and
 * transient failures are `Unavailable` (HTTP 503), a uniqueness clash from a concurrent writer is `Conflict`.
 */
import net from 'node:net';
import { Conflict, DomainError, Invalid, Unavailable } from '../../domain/errors.ts';

/** Codes that mean "Neo4j cannot be used right now"; everything Neo.TransientError.* too. */
const UNAVAILABLE_CODES = new Set([
  'ServiceUnavailable',
  'SessionExpired',
  'Neo.ClientError.Security.Unauthorized',
  'Neo.ClientError.Security.AuthenticationRateLimit',
  'Neo.ClientError.Security.TokenExpired',
  'Neo.ClientError.Security.CredentialsExpired',
  'Neo.ClientError.Database.DatabaseNotFound',
  'Neo.ClientError.General.ForbiddenOnReadOnlyDatabase',
  'Neo.ClientError.Cluster.NotALeader',
  // Over db.memory.transaction.max: Neo4j cannot do this much in one transaction (describeCode says so).
  'Neo.ClientError.General.TransactionOutOfMemoryError',
]);

/** Codes worth waiting for at start: the server is coming up, or refuses credentials (it may be being set up). */
const STARTUP_RETRY_CODES = new Set([
  'ServiceUnavailable',
  'SessionExpired',
  'Neo.ClientError.Security.Unauthorized',
  'Neo.ClientError.Security.AuthenticationRateLimit',
]);

export const CONSTRAINT_VIOLATION = 'Neo.ClientError.Schema.ConstraintValidationFailed';
export const INVALID_BOOKMARK = 'Neo.ClientError.Transaction.InvalidBookmark';
export const INVALID_BOOKMARK_MIXTURE = 'Neo.ClientError.Transaction.InvalidBookmarkMixture';
export const EQUIVALENT_SCHEMA_RULE = 'Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists';

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isUnavailableError(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && (UNAVAILABLE_CODES.has(code) || code.startsWith('Neo.TransientError.'));
}

export function isStartupRetryable(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && (STARTUP_RETRY_CODES.has(code) || code.startsWith('Neo.TransientError.'));
}

/** A short cause for people, from the code (and the database name where it matters). */
export function describeCode(code: string | undefined, database: string): string {
  switch (code) {
    case 'ServiceUnavailable':
      return 'the server is not reachable';
    case 'SessionExpired':
      return 'the connection was lost';
    case 'Neo.ClientError.Security.Unauthorized':
      return 'the credentials were refused (check NEO4J_USERNAME and NEO4J_PASSWORD)';
    case 'Neo.ClientError.Security.AuthenticationRateLimit':
      return 'too many failed logins, the server is refusing logins for a while (check NEO4J_PASSWORD)';
    case 'Neo.ClientError.Security.TokenExpired':
    case 'Neo.ClientError.Security.CredentialsExpired':
      return 'the credentials have expired';
    case 'Neo.ClientError.Database.DatabaseNotFound':
      return `the database "${database}" does not exist (check NEO4J_DATABASE)`;
    case 'Neo.ClientError.General.ForbiddenOnReadOnlyDatabase':
      return `the database "${database}" is read-only`;
    case 'Neo.TransientError.General.MemoryPoolOutOfMemoryError':
    case 'Neo.ClientError.General.TransactionOutOfMemoryError':
      return `the work needs more memory than Neo4j lets one transaction use (db.memory.transaction.max, or its heap); nothing was changed: give Neo4j more memory, or change less at once (${code})`;
    case undefined:
      return 'unknown error';
    default:
      return code.startsWith('Neo.TransientError.') ? `a transient server error (${code})` : code;
  }
}

/**
 * Why a TCP connection to the URI's host and port fails, by the socket's errno code; undefined when it connects
 * (then the cause is above TCP: Bolt, TLS or the credentials).
 */
export function probeTcp(uri: string, timeoutMs = 2000): Promise<string | undefined> {
  let host: string;
  let port: number;
  try {
    const url = new URL(uri);
    host = url.hostname.replace(/^\[|\]$/g, '');
    port = url.port ? Number(url.port) : 7687;
  } catch {
    return Promise.resolve('the URI cannot be parsed');
  }
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (cause: string | undefined) => {
      socket.destroy();
      resolve(cause);
    };
    socket.setTimeout(timeoutMs, () => done('connection timed out'));
    socket.once('connect', () => done(undefined));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      switch (error.code) {
        case 'ECONNREFUSED':
          return done('connection refused');
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
          return done(`host "${host}" not found`);
        case 'ETIMEDOUT':
          return done('connection timed out');
        case 'EHOSTUNREACH':
        case 'ENETUNREACH':
          return done('host unreachable');
        default:
          return done(error.code ?? 'connection failed');
      }
    });
  });
}

/** Translates an error thrown while using the driver; DomainErrors (ours) pass through unchanged. */
export function translateError(error: unknown, uri: string, database: string): unknown {
  if (error instanceof DomainError) return error;
  const code = errorCode(error);
  if (isUnavailableError(error)) {
    return new Unavailable(`Neo4j at ${uri} is unavailable: ${describeCode(code, database)}`, { code });
  }
  if (code === INVALID_BOOKMARK || code === INVALID_BOOKMARK_MIXTURE) {
    // A Neo4j-Bookmark request header that is not one of this database's bookmarks.
    return new Invalid('the Neo4j-Bookmark header is not a bookmark of this database; send one that a response gave', { parameter: 'Neo4j-Bookmark', code });
  }
  if (code === CONSTRAINT_VIOLATION) {
    return new Conflict('another write created a record with the same id at the same time; try again', { code });
  }
  return error;
}
