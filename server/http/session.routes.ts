/**
 * Signing in from the explorer: POST /api/session with an editor token sets an HttpOnly, SameSite=Strict cookie
 * holding a signed session (Secure over https; server/auth/sessions.ts), DELETE signs out (ends every session of
 * that editor), GET says who is signed in. API clients send the token as `Authorization: Bearer <token>` instead
 * and need none of this.
 */
import { originAllowed, sessionCookie, clearedSessionCookie } from '../auth/auth.middleware.ts';
import type { EditorDirectory } from '../auth/editors.ts';
import type { Sessions } from '../auth/sessions.ts';
import { Forbidden, Unauthenticated } from '../domain/errors.ts';
import * as Q from './api.schemas.ts';
import * as R from './api.responses.ts';
import { route, type ApiRoute } from './route-registry.ts';

/** Where all three live. */
const SESSION = { path: '/session', tag: 'session' } as const;

export function sessionRoutes(editors: EditorDirectory, publicOrigins: readonly string[], sessions: Sessions): ApiRoute[] {
  return [
    route({
      method: 'get',
      ...SESSION,
      summary: 'Who is signed in (by cookie or Bearer token), if anyone',
      access: 'open',
      responses: { 200: { description: 'signedIn, and the editor when signed in.', schema: R.SessionResponse } },
      handle: async ({ req, res }) => {
        res.setHeader('Cache-Control', 'no-store');
        return req.editor ? { signedIn: true, editor: req.editor, via: req.authVia } : { signedIn: false };
      },
    }),
    route({
      method: 'post',
      ...SESSION,
      summary: 'Sign in with an editor token: sets the session cookie (HttpOnly, SameSite=Strict)',
      description:
        'The cookie holds a signed session (editor, issued, expiry), not the token; it ends after 12 hours, on sign-out, or when the token is changed. Rate-limited per address (SIGN_IN_RATE_LIMIT a minute, shared with refused Bearer tokens and forged cookies; 429 with Retry-After). A browser request from another site is refused (Origin check).',
      access: 'sign-in',
      body: Q.SessionBodySchema,
      responses: {
        200: { description: 'Signed in; Set-Cookie.', schema: R.SessionResponse },
        401: { description: 'Not an editor token.' },
        403: { description: 'A browser request from another site.' },
      },
      handle: async ({ body, req, res }) => {
        if (req.headers.origin !== undefined && !originAllowed(req, publicOrigins)) {
          throw new Forbidden('signing in from another site is refused (Origin check)');
        }
        const editor = editors.authenticate(body.token);
        if (!editor) throw new Unauthenticated('that is not an editor token');
        res.setHeader('Set-Cookie', sessionCookie(sessions.issue(editor), req.secure, sessions.maxAgeSeconds));
        res.setHeader('Cache-Control', 'no-store');
        return { signedIn: true, editor, via: 'cookie' as const };
      },
    }),
    route({
      method: 'delete',
      ...SESSION,
      summary: 'Sign out: ends every session of this editor (in every browser) and clears the cookie',
      responses: { 200: { description: 'Signed out.', schema: R.SessionResponse } },
      handle: async ({ req, res }) => {
        if (req.editor) sessions.revoke(req.editor.name);
        res.setHeader('Set-Cookie', clearedSessionCookie(req.secure));
        res.setHeader('Cache-Control', 'no-store');
        return { signedIn: false };
      },
    }),
  ];
}
