/**
 * Domain errors: thrown by services and stores, mapped to HTTP in one place (server/http/errors.middleware.ts).
 * They know nothing of HTTP.
 */
export type ErrorDetails = Record<string, unknown>;

export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The base of an error whose code is always the same: `class NotFound extends withCode('not_found') {}`. */
function withCode<C extends string>(code: C) {
  return class extends DomainError {
    readonly code: C = code;
  };
}

/** Bad input: a parameter, a body field, a record in a file. */
export class Invalid extends DomainError {
  readonly code: string;
  constructor(message: string, details?: ErrorDetails & { parameter?: string }, code = 'invalid') {
    super(message, details);
    this.code = code;
  }
}

export class NotFound extends withCode('not_found') {}

/** The request clashes with what is stored: an id or name taken, a node that still has links, a later change. */
export class Conflict extends DomainError {
  readonly code: string;
  constructor(message: string, details?: ErrorDetails, code = 'conflict') {
    super(message, details);
    this.code = code;
  }
}

/** A write based on a version of a record that is no longer the current one (optimistic concurrency). */
export class PreconditionFailed extends withCode('version_mismatch') {}

/** No valid credentials where they are needed. */
export class Unauthenticated extends withCode('unauthenticated') {}

/** Credentials that are valid, but for someone who may not do this. */
export class Forbidden extends withCode('forbidden') {}

/** Too many requests from one client; try again after `retryAfterSeconds`. */
export class TooManyRequests extends DomainError {
  readonly code = 'rate_limited';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, { retryAfterSeconds });
  }
}

/** The store cannot be reached or used right now (Neo4j down, DATA_DIR locked). */
export class Unavailable extends withCode('store_unavailable') {}

/**
 * A read ran past its deadline (HEAVY_READ_TIMEOUT_MS) and was stopped. A 503, not a 400: whether a read finishes
 * in time depends on the server's load and the graph's size as much as on the request.
 */
export class DeadlineExceeded extends withCode('deadline_exceeded') {}

/** A feature that this store does not offer (e.g. Cypher on the embedded store). */
export class NotSupported extends withCode('not_supported') {}

/** Stored data that cannot be read back as written: refused, never silently replaced. */
export class CorruptData extends withCode('corrupt_data') {}
