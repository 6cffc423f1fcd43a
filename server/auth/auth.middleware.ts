/**
 * Who is asking: an editor signed in with `Authorization: Bearer <token>` (API clients) or with the HttpOnly
 * session cookie the explorer gets from POST /api/session (the cookie holds the token itself, so no session state
 * is kept and several app processes can share the work). Each route then adds its guard (see app.ts):
 * state-changing routes need an editor with a role (`requireRole`: 401 without, 403 for a role that may not);
 * those that come with the cookie must also come from our own origin (the cookie is SameSite=Strict too). Reads
 * are open unless READS_REQUIRE_SIGN_IN is set (`requireSignIn`).
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Forbidden, TooManyRequests, Unauthenticated } from '../domain/errors.ts';
import type { Editor, EditorDirectory, Role } from './editors.ts';
import type { RateLimiter } from './rate-limit.ts';

export { Forbidden, TooManyRequests, Unauthenticated };

export const SESSION_COOKIE = 'dar_session';
/** How long the explorer's sign-in lasts (the token itself does not expire; revoke it in the users file). */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by authenticate() when the request carries a valid token. */
    editor?: Editor;
    /** How the editor signed in. */
    authVia?: 'bearer' | 'cookie';
  }
}

export const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

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

/** The origins the browser may be on: PUBLIC_ORIGIN when configured, else this request's own host. */
function expectedOrigins(req: Request, publicOrigins: readonly string[]): string[] {
  if (publicOrigins.length > 0) return [...publicOrigins];
  const host = req.headers.host;
  return host ? [`http://${host}`, `https://${host}`] : [];
}

/** True when the request's Origin header is one of ours. */
export function originAllowed(req: Request, publicOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  return origin !== undefined && expectedOrigins(req, publicOrigins).includes(origin);
}

export interface AuthOptions {
  editors: EditorDirectory;
  publicOrigins: readonly string[];
  /** Counts refused Bearer tokens like failed sign-ins (429 when over), so the header is no way around the limit. */
  failedAttempts?: RateLimiter;
}

/** Resolves req.editor; refuses a bad Bearer token (a bad cookie just means "not signed in"). */
export function authenticate(options: AuthOptions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      const editor = match ? options.editors.authenticate(match[1]!) : undefined;
      if (!editor) {
        const wait = options.failedAttempts?.hit(clientKey(req)) ?? 0;
        if (wait > 0) {
          res.setHeader('Retry-After', String(wait));
          return next(new TooManyRequests(`too many failed sign-ins; try again in ${wait} s`, wait));
        }
        return next(new Unauthenticated('the Authorization header does not hold a valid editor token ("Bearer <token>")'));
      }
      req.editor = editor;
      req.authVia = 'bearer';
      return next();
    }
    const cookie = readCookie(req, SESSION_COOKIE);
    if (cookie) {
      const editor = options.editors.authenticate(cookie);
      if (editor) {
        if (STATE_CHANGING.has(req.method) && !originAllowed(req, options.publicOrigins)) {
          return next(new Forbidden('a signed-in browser request that changes data must come from this site (Origin check)'));
        }
        req.editor = editor;
        req.authVia = 'cookie';
      }
    }
    next();
  };
}

/** Refuses the request unless an editor with one of the roles made it. Put on every state-changing route. */
export function requireRole(...roles: Role[]): RequestHandler {
  const handler: RequestHandler = (req, _res, next) => {
    if (!req.editor) return next(new Unauthenticated('sign in as an editor to do this (Authorization: Bearer <token>, or POST /api/session)'));
    if (!roles.includes(req.editor.role)) return next(new Forbidden(`this needs the role ${roles.join(' or ')}; ${req.editor.name} is ${req.editor.role}`));
    next();
  };
  Object.defineProperty(handler, 'name', { value: 'requireRole' });
  return handler;
}

/** For reads when READS_REQUIRE_SIGN_IN is set: any signed-in editor may read. */
export function requireSignIn(): RequestHandler {
  const handler: RequestHandler = (req, _res, next) => {
    if (!req.editor) return next(new Unauthenticated('sign in to read: this server requires it (READS_REQUIRE_SIGN_IN)'));
    next();
  };
  Object.defineProperty(handler, 'name', { value: 'requireSignIn' });
  return handler;
}

/** 429 with Retry-After when the client (by address) goes over the limit. */
export function rateLimit(limiter: RateLimiter, what: string): RequestHandler {
  const handler: RequestHandler = (req, res, next) => {
    const wait = limiter.hit(clientKey(req));
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      return next(new TooManyRequests(`too many ${what}; try again in ${wait} s`, wait));
    }
    next();
  };
  Object.defineProperty(handler, 'name', { value: 'rateLimit' });
  return handler;
}

function clientKey(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/** The Set-Cookie value that signs the explorer in (HttpOnly, SameSite=Strict, Secure over https). */
export function sessionCookie(token: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(token)}; Path=/api; Max-Age=${SESSION_MAX_AGE_SECONDS}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** The Set-Cookie value that signs it out. */
export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/api; Max-Age=0; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}
