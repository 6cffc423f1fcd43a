/**
 * Who is asking: an editor signed in with `Authorization: Bearer <token>` (API clients) or with the HttpOnly
 * session cookie the explorer gets from POST /api/session. State-changing requests need an editor (401 without,
 * 403 for a role that may not); those that come with the cookie must also come from our own origin (the cookie is
 * SameSite=Strict too). Reads are open unless READS_REQUIRE_SIGN_IN is set.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { DomainError } from '../domain/errors.ts';
import type { Editor, EditorDirectory, Role } from './editors.ts';
import type { RateLimiter } from './rate-limit.ts';

export const SESSION_COOKIE = 'dar_session';

export class Unauthenticated extends DomainError {
  readonly code = 'unauthenticated';
}
export class Forbidden extends DomainError {
  readonly code = 'forbidden';
}
export class TooManyRequests extends DomainError {
  readonly code = 'rate_limited';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, { retryAfterSeconds });
  }
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by authenticate() when the request carries a valid token. */
    editor?: Editor;
    /** How the editor signed in. */
    authVia?: 'bearer' | 'cookie';
  }
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The origin the browser should be on: PUBLIC_ORIGIN when configured, else this request's own host. */
function expectedOrigins(req: Request, publicOrigins: readonly string[]): string[] {
  if (publicOrigins.length > 0) return [...publicOrigins];
  const host = req.headers.host;
  return host ? [`http://${host}`, `https://${host}`] : [];
}

export interface AuthOptions {
  editors: EditorDirectory;
  readsRequireSignIn: boolean;
  publicOrigins: readonly string[];
}

/** Resolves req.editor; refuses a bad Bearer token (a bad cookie just means "not signed in"). */
export function authenticate(options: AuthOptions): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      const editor = match ? options.editors.authenticate(match[1]!) : undefined;
      if (!editor) return next(new Unauthenticated('the Authorization header does not hold a valid editor token ("Bearer <token>")'));
      req.editor = editor;
      req.authVia = 'bearer';
      return next();
    }
    const cookie = readCookie(req, SESSION_COOKIE);
    if (cookie) {
      const editor = options.editors.authenticate(cookie);
      if (editor) {
        if (STATE_CHANGING.has(req.method)) {
          const origin = req.headers.origin;
          if (!origin || !expectedOrigins(req, options.publicOrigins).includes(origin)) {
            return next(new Forbidden('a signed-in browser request that changes data must come from this site (Origin check)'));
          }
        }
        req.editor = editor;
        req.authVia = 'cookie';
      }
    }
    if (options.readsRequireSignIn && !req.editor && !STATE_CHANGING.has(req.method) && !isOpenPath(req.path)) {
      return next(new Unauthenticated('sign in to read: this server requires it (READS_REQUIRE_SIGN_IN)'));
    }
    next();
  };
}

/** Reachable without signing in even when reads require it: health, the API docs and signing in itself. */
function isOpenPath(path: string): boolean {
  return path === '/health' || path === '/session' || path === '/openapi.json' || path === '/docs';
}

/** Refuses the request unless an editor with one of the roles made it. Put on every state-changing route. */
export function requireRole(...roles: Role[]): RequestHandler {
  const handler: RequestHandler = (req, _res, next) => {
    if (!req.editor) return next(new Unauthenticated('sign in as an editor to change data (Authorization: Bearer <token>)'));
    if (!roles.includes(req.editor.role)) return next(new Forbidden(`this needs the role ${roles.join(' or ')}; ${req.editor.name} is ${req.editor.role}`));
    next();
  };
  Object.defineProperty(handler, 'name', { value: 'requireRole' });
  return handler;
}

/** 429 with Retry-After when the client (by address) goes over the limit. */
export function rateLimit(limiter: RateLimiter, what: string): RequestHandler {
  const handler: RequestHandler = (req, res, next) => {
    const wait = limiter.hit(req.ip ?? req.socket.remoteAddress ?? 'unknown');
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      return next(new TooManyRequests(`too many ${what}; try again in ${wait} s`, wait));
    }
    next();
  };
  Object.defineProperty(handler, 'name', { value: 'rateLimit' });
  return handler;
}
