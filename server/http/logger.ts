/**
 * One logger (pino) for the server: an access log line per request (pino-http), the server's own lines (startup,
 * audit, internal errors) and nothing else. Each line is one JSON object on stdout: `time` (ISO), `level`
 * ("info", "warn", "error"), `msg`, and for a request `reqId`, `method`, `path` (no query string), `status`,
 * `duration` (ms). Headers, cookies, bodies and query strings are never logged, so no token or session can reach a
 * log. `npm run dev` prints the same lines pretty (pino-pretty). LOG_LEVEL=warn leaves the access log out.
 *
 * Every request gets an id (a UUID), sent back as `X-Request-Id` and put in every error body (`error.requestId`),
 * so a user's report finds its line.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { pino, type DestinationStream, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** How the server's own lines are written: `log(line)`, or `log(line, 'error')`. */
export type LogLine = (line: string, level?: 'info' | 'warn' | 'error') => void;

export interface LoggerOptions {
  level?: LogLevel;
  /** Pretty, coloured lines for a developer's terminal (pino-pretty, in a worker thread). */
  pretty?: boolean;
  /** Where the JSON lines go (default stdout); tests capture them here. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  if (options.pretty) {
    return pino({
      level,
      base: undefined,
      transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true } },
    });
  }
  return pino(
    {
      level,
      base: undefined, // no pid and hostname on every line
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** A logger that writes nothing (apps built by tests without one). */
export const silentLogger = (): Logger => pino({ level: 'silent' });

/** The server's lines through the logger. */
export function lineLog(logger: Logger): LogLine {
  return (line, level = 'info') => logger[level](line);
}

/** The request's id (set by accessLog), or a new one when the request did not pass through it. */
export function requestIdOf(req: IncomingMessage): string {
  return typeof req.id === 'string' ? req.id : randomUUID();
}

export interface AccessLogOptions {
  /** Requests not logged (still given an id), e.g. Vite's module requests in development. */
  ignore?: (req: IncomingMessage) => boolean;
}

/**
 * Gives each request its id (X-Request-Id) and logs one line when its answer is finished (or the client went
 * away): 5xx at level error, 4xx warn, the rest info.
 */
export function accessLog(logger: Logger, options: AccessLogOptions = {}): RequestHandler {
  const entry = (req: IncomingMessage, res: ServerResponse, duration: number) => ({
    method: req.method,
    path: pathOf(req),
    status: res.statusCode,
    duration,
    ...(res.writableFinished ? {} : { aborted: true }),
  });
  const middleware = pinoHttp({
    logger,
    quietReqLogger: true,
    quietResLogger: true,
    genReqId: (_req, res) => {
      const id = randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    ...(options.ignore ? { autoLogging: { ignore: options.ignore } } : {}),
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    customSuccessMessage: () => 'request',
    customErrorMessage: () => 'request',
    customSuccessObject: (req, res, value: { responseTime: number }) => entry(req, res, value.responseTime),
    // The error itself is logged by the error middleware, with its request id; the access line stays one line.
    customErrorObject: (req, res, _error, value: { responseTime: number }) => entry(req, res, value.responseTime),
  });
  return middleware as unknown as RequestHandler;
}

/** The path without its query string (which may hold search text), with control characters escaped by JSON. */
function pathOf(req: IncomingMessage): string {
  const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '';
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}
