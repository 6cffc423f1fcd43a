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

/** Bad input: a parameter, a body field, a record in a file. */
export class Invalid extends DomainError {
  readonly code: string;
  constructor(message: string, details?: ErrorDetails & { parameter?: string }, code = 'invalid') {
    super(message, details);
    this.code = code;
  }
}

export class NotFound extends DomainError {
  readonly code = 'not_found';
}

export class Conflict extends DomainError {
  readonly code = 'conflict';
}

/** The store cannot be reached or used right now (Neo4j down, DATA_DIR locked). */
export class Unavailable extends DomainError {
  readonly code = 'store_unavailable';
}

/** A feature that this store does not offer (e.g. Cypher on the embedded store). */
export class NotSupported extends DomainError {
  readonly code = 'not_supported';
}

/** Stored data that cannot be read back as written: refused, never silently replaced. */
export class CorruptData extends DomainError {
  readonly code = 'corrupt_data';
}
