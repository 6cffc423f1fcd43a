/**
 * Maps domain errors to HTTP status + `{ error: { code, message, details, requestId } }`; a 500 hides its details
 * (they go to the log, on one line under the request id). `requestId` is the request's `X-Request-Id` (logger.ts).
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { requestIdOf, type LogLine } from './logger.ts';
import {
  Conflict,
  CorruptData,
  DeadlineExceeded,
  DomainError,
  Forbidden,
  Invalid,
  NotFound,
  NotSupported,
  PreconditionFailed,
  TooManyRequests,
  Unauthenticated,
  Unavailable,
} from '../domain/errors.ts';

function statusOf(error: DomainError): number {
  if (error instanceof Invalid) return 400;
  if (error instanceof Unauthenticated) return 401;
  if (error instanceof Forbidden) return 403;
  if (error instanceof NotFound) return 404;
  if (error instanceof Conflict) return 409;
  if (error instanceof PreconditionFailed) return 412;
  if (error instanceof TooManyRequests) return 429;
  if (error instanceof NotSupported) return 501;
  if (error instanceof Unavailable) return 503;
  if (error instanceof DeadlineExceeded) return 503;
  if (error instanceof CorruptData) return 500;
  return 500;
}

export function apiNotFound(): RequestHandler {
  return (req, res) => {
    res.status(404).json({
      error: { code: 'not_found', message: `no API route ${req.method} ${req.path.replace(/[\r\n]/g, '')}`, requestId: requestIdOf(req) },
    });
  };
}

export function errorMiddleware(log: LogLine): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const requestId = requestIdOf(req);
    if (error instanceof DomainError && !(error instanceof CorruptData)) {
      const status = statusOf(error);
      if (error instanceof TooManyRequests) res.setHeader('Retry-After', String(error.retryAfterSeconds));
      if (error instanceof Unauthenticated) res.setHeader('WWW-Authenticate', 'Bearer realm="dar-kg"');
      res.status(status).json({ error: { code: error.code, message: error.message, details: error.details, requestId } });
      return;
    }
    // body-parser and other http-errors carry a 4xx status of their own.
    const httpError = error as { status?: number; statusCode?: number; type?: string; message?: string };
    const status = httpError.status ?? httpError.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const code =
        httpError.type === 'entity.parse.failed'
          ? 'invalid_json'
          : httpError.type === 'entity.too.large'
            ? 'body_too_large'
            : 'bad_request';
      const message =
        code === 'invalid_json'
          ? 'the request body is not valid JSON'
          : code === 'body_too_large'
            ? 'the request body is too large'
            : (httpError.message ?? 'bad request');
      res.status(status).json({ error: { code, message, requestId } });
      return;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`error ${requestId}: ${detail.replace(/\r?\n/g, ' | ')}`, 'error');
    res.status(500).json({ error: { code: 'internal', message: `internal error (request id ${requestId})`, requestId } });
  };
}
