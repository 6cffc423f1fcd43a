/**
 * Causal consistency for clients of several app processes (or a Neo4j cluster): a response to a request that
 * wrote carries the write's bookmark in `Neo4j-Bookmark`; a later request that sends it back in the same header
 * is served only once the database member answering has applied that write, whichever app process or member it
 * lands on. Without the header a request reads what its member has (on one server: everything committed).
 * Bookmarks are opaque strings from Neo4j; a malformed one is a 400, and a well-formed one Neo4j does not know is
 * a 400 too (the store translates Neo4j's InvalidBookmark).
 */
import type { RequestHandler } from 'express';
import { Invalid } from '../domain/errors.ts';
import { withCausalContext, type CausalContext } from '../store/causal-context.ts';

/** Request and response header (no `X-` prefix, RFC 6648). Several bookmarks are separated by commas. */
export const BOOKMARK_HEADER = 'Neo4j-Bookmark';
const MAX_BOOKMARKS = 16;
const MAX_BOOKMARK_LENGTH = 512;
/** Neo4j's bookmarks are printable tokens (e.g. `FB:kcwQ…`); nothing else is passed on. */
const BOOKMARK = /^[A-Za-z0-9:_+/=.-]+$/;

export function parseBookmarks(header: string | string[] | undefined): string[] {
  if (header === undefined) return [];
  const values = (Array.isArray(header) ? header.join(',') : header).split(',').map((v) => v.trim()).filter((v) => v.length > 0);
  const bad = values.find((v) => v.length > MAX_BOOKMARK_LENGTH || !BOOKMARK.test(v));
  if (values.length > MAX_BOOKMARKS || bad !== undefined) {
    throw new Invalid(
      `the ${BOOKMARK_HEADER} header must be up to ${MAX_BOOKMARKS} bookmarks, separated by commas, as a response's ${BOOKMARK_HEADER} header gave them`,
      { parameter: BOOKMARK_HEADER },
    );
  }
  return [...new Set(values)];
}

export function bookmarks(): RequestHandler {
  return (req, res, next) => {
    let context: CausalContext;
    try {
      context = { after: parseBookmarks(req.headers[BOOKMARK_HEADER.toLowerCase()]), written: [] };
    } catch (error) {
      next(error);
      return;
    }
    // The header is added when the response's headers go out, after the handler's writes.
    const writeHead = res.writeHead;
    res.writeHead = function (this: typeof res, ...args: unknown[]) {
      if (context.written.length > 0 && !this.headersSent) this.setHeader(BOOKMARK_HEADER, context.written.join(', '));
      return (writeHead as (...a: unknown[]) => typeof res).apply(this, args);
    } as typeof res.writeHead;
    withCausalContext(context, next);
  };
}
