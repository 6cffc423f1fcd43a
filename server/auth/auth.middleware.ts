/**
 * Who is asking: an editor signed in with `Authorization: Bearer <token>` (API clients) or with the HttpOnly
 * session cookie the explorer gets from POST /api/session (a signed session, not the token: sessions.ts; no session
 * state is kept, so several app processes can share the work). A refused Bearer token, and a cookie that is not
 * one of our sessions, count as failed sign-ins (429 when over the limit); an expired or ended session just reads
 * as "not signed in" and the browser is told to drop it. Answers to a signed-in request are `Cache-Control:
 * no-store`. Each route then adds its guard (see app.ts):
 * state-changing routes need an editor with a role (`requireRole`: 401 without, 403 for a role that may not);
 * those that come with the cookie must also come from our own origin (the cookie is SameSite=Strict too). Reads
 * are open unless READS_REQUIRE_SIGN_IN is set (`requireSignIn`).
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Forbidden, TooManyRequests, Unauthenticated } from '../domain/errors.ts';
import type { Editor, EditorDirectory, Role } from './editors.ts';
import { countAttempt, type RateLimiter } from './rate-limit.ts';
import { SESSION_MAX_AGE_SECONDS, type Sessions } from './sessions.ts';

export { Forbidden, TooManyRequests, Unauthenticated, SESSION_MAX_AGE_SECONDS };

export const SESSION_COOKIE = 'dar_session';

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
  /** Checks the session cookie. */
  sessions: Sessions;
  publicOrigins: readonly string[];
  /** Counts refused Bearer tokens like failed sign-ins (429 when over), so the header is no way around the limit. */
  failedAttempts?: RateLimiter;
}

/**
 * Resolves req.editor; refuses a bad Bearer token. A cookie that is not one of our sessions counts as a failed
 * sign-in and reads as "not signed in" (so does an expired or ended one, uncounted); either way the browser is told
 * to drop it.
 */
export function authenticate(options: AuthOptions): RequestHandler {
  const failedAttempt = (req: Request, res: Response, then: (refused?: unknown) => void): void => {
    if (options.failedAttempts) countAttempt(options.failedAttempts, req, res, then);
    else then();
  };
  const signedIn = (req: Request, res: Response, editor: Editor, via: 'bearer' | 'cookie') => {
    req.editor = editor;
    req.authVia = via;
    // What a signed-in editor reads (the audit trail among it) stays out of every cache.
    res.setHeader('Cache-Control', 'no-store');
  };
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      const editor = match ? options.editors.authenticate(match[1]!) : undefined;
      if (!editor) {
        return failedAttempt(req, res, (refused) =>
          next(refused ?? new Unauthenticated('the Authorization header does not hold a valid editor token ("Bearer <token>")')),
        );
      }
      signedIn(req, res, editor, 'bearer');
      return next();
    }
    const cookie = readCookie(req, SESSION_COOKIE);
    if (cookie) {
      let check: ReturnType<Sessions['check']>;
      try {
        check = options.sessions.check(cookie);
      } catch (error) {
        return next(error);
      }
      if (check.ok) {
        if (STATE_CHANGING.has(req.method) && !originAllowed(req, options.publicOrigins)) {
          return next(new Forbidden('a signed-in browser request that changes data must come from this site (Origin check)'));
        }
        signedIn(req, res, check.editor, 'cookie');
      } else {
        res.setHeader('Set-Cookie', clearedSessionCookie(req.secure));
        if (check.reason === 'forged') return failedAttempt(req, res, (refused) => next(refused));
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

/** The Set-Cookie value that signs the explorer in (HttpOnly, SameSite=Strict, Secure over https): a signed session. */
export function sessionCookie(session: string, secure: boolean, maxAgeSeconds = SESSION_MAX_AGE_SECONDS): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(session)}; Path=/api; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** The Set-Cookie value that signs it out. */
export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/api; Max-Age=0; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}
