/**
 * Security headers on every response (helmet, configured to this policy): a strict CSP (no unsafe-eval, no inline
 * scripts), nosniff, no framing, no referrer, Cross-Origin-Opener/Resource-Policy same-origin; and, which helmet
 * does not do, a Permissions-Policy denying the powerful browser features, HSTS only over https (directly, or as a
 * proxy trusted by TRUST_PROXY says: req.secure; helmet would send it over plain http too), and the audit trail never
 * cached (signed-in answers are `no-store` too: auth.middleware.ts). helmet's other defaults (Origin-Agent-Cluster,
 * X-DNS-Prefetch-Control, X-Download-Options, X-Permitted-Cross-Domain-Policies, X-XSS-Protection: 0) are left off so
 * the headers are exactly the policy written here.
 *
 * A route that needs another CSP (e.g. a docs page with its own script) mounts `contentSecurityPolicy({ … })` with
 * the directives it changes; the rest stay as here.
 */
import type { RequestHandler } from 'express';
import helmet, { contentSecurityPolicy as helmetCsp, strictTransportSecurity } from 'helmet';

/** The CSP of every answer, by directive. */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  // Svelte and Cytoscape set style attributes; no inline scripts are allowed.
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'worker-src': ["'self'", 'blob:'],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
});

/** The explorer uses none of these (it copies links with the Clipboard API, which stays same-origin by default). */
const PERMISSIONS_POLICY = [
  'accelerometer',
  'autoplay',
  'browsing-topics',
  'camera',
  'display-capture',
  'encrypted-media',
  'fullscreen',
  'geolocation',
  'gyroscope',
  'hid',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'publickey-credentials-get',
  'screen-wake-lock',
  'serial',
  'usb',
  'xr-spatial-tracking',
]
  .map((feature) => `${feature}=()`)
  .join(', ');

/**
 * The CSP with some directives replaced (for one route: mount it after securityHeaders, before the handler).
 * Directives not named keep the policy above.
 */
export function contentSecurityPolicy(overrides: Readonly<Record<string, readonly string[]>> = {}): RequestHandler {
  const directives = Object.fromEntries(Object.entries({ ...CSP_DIRECTIVES, ...overrides }).map(([name, values]) => [name, [...values]]));
  return helmetCsp({ useDefaults: false, directives }) as RequestHandler;
}

/**
 * A story's embed page (/embed/stories/:id: read-only, no editing) may be framed by this site and by the origins of
 * EMBED_ALLOWED_ORIGINS, and by no one else (CSP frame-ancestors; X-Frame-Options, which cannot name origins, is
 * dropped there so that it does not refuse what the CSP allows). Mount after securityHeaders.
 */
export function embedFraming(allowedOrigins: readonly string[]): RequestHandler {
  const csp = contentSecurityPolicy({ 'frame-ancestors': ["'self'", ...allowedOrigins] });
  return (req, res, next) => {
    if (!/^\/embed\/stories\/[^/]+\/?$/.test(req.path)) return next();
    res.removeHeader('X-Frame-Options');
    csp(req, res, next);
  };
}

/** A year; without includeSubDomains, since other hosts of the same domain are not ours to vouch for. */
const hsts = strictTransportSecurity({ maxAge: 31_536_000, includeSubDomains: false });

export function securityHeaders(): RequestHandler {
  const headers = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: Object.fromEntries(Object.entries(CSP_DIRECTIVES).map(([n, v]) => [n, [...v]])) },
    xContentTypeOptions: true,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    xPoweredBy: true,
    crossOriginEmbedderPolicy: false,
    originAgentCluster: false,
    strictTransportSecurity: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  }) as RequestHandler;
  return (req, res, next) => {
    res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
    if (/^\/api\/audit(\/|$)/.test(req.path)) res.setHeader('Cache-Control', 'no-store');
    headers(req, res, (error?: unknown) => {
      if (error) return next(error);
      if (req.secure) return hsts(req, res, next);
      next();
    });
  };
}
