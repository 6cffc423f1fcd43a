/**
 * Rate limits per client address (express-rate-limit): a fixed window of a minute, counted in this process's
 * memory (several app processes behind one balancer each count their own: README, "Operating"). IPv6 clients are
 * counted per /56 prefix (what one household or server is usually given), so rotating addresses inside one's own
 * prefix does not get past a limit; IPv4 addresses (and IPv4-mapped IPv6) count one by one. The client address is
 * Express's `req.ip`, which follows X-Forwarded-For only through the proxies TRUST_PROXY names.
 *
 * Answers carry the standard `RateLimit-Policy` and `RateLimit` headers (IETF draft 8); over the limit the request
 * goes on as a TooManyRequests error (429 with `Retry-After` and the usual error body: errors.middleware.ts).
 */
import type { RequestHandler } from 'express';
import { rateLimit, type AugmentedRequest, type RateLimitRequestHandler } from 'express-rate-limit';
import { TooManyRequests } from '../domain/errors.ts';

/** IPv6 addresses sharing this many leading bits are one client. */
export const IPV6_PREFIX_BITS = 56;

export interface RateLimitOptions {
  /** Requests per window per client. */
  limit: number;
  windowMs?: number;
  /** Names the limit in the RateLimit headers (e.g. "sign-in"). */
  identifier: string;
  /** What is counted, for the 429's message ("too many <what>; try again in N s"). */
  what: string;
}

export type RateLimiter = RateLimitRequestHandler;

export function rateLimiter(options: RateLimitOptions): RateLimiter {
  const windowMs = options.windowMs ?? 60_000;
  const limiter = rateLimit({
    windowMs,
    limit: options.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: options.identifier,
    ipv6Subnet: IPV6_PREFIX_BITS,
    handler: (req, _res, next) => {
      const resetAt = (req as AugmentedRequest).rateLimit?.resetTime?.getTime() ?? Date.now() + windowMs;
      const wait = Math.max(1, Math.ceil((resetAt - Date.now()) / 1000));
      next(new TooManyRequests(`too many ${options.what}; try again in ${wait} s`, wait));
    },
    validate: {
      // TRUST_PROXY is checked by config.ts (which refuses "true"); without a trusted proxy X-Forwarded-For is
      // ignored on purpose, so neither needs a warning at run time.
      trustProxy: false,
      xForwardedForHeader: false,
      // A forged session cookie on a sign-in is two failed attempts (the cookie, then the sign-in): counted twice.
      singleCount: false,
    },
  });
  Object.defineProperty(limiter, 'name', { value: 'rateLimit' });
  return limiter;
}

/**
 * Counts one attempt with `limiter` outside a route's guards (a refused Bearer token or a forged session cookie
 * counts as a failed sign-in); calls `then` with the TooManyRequests error when over the limit, else with nothing.
 */
export function countAttempt(limiter: RequestHandler, req: Parameters<RequestHandler>[0], res: Parameters<RequestHandler>[1], then: (refused?: unknown) => void): void {
  void limiter(req, res, (refused?: unknown) => then(refused));
}
