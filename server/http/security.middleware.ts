/**
 * Security headers on every response: a strict CSP (no unsafe-eval), nosniff, no framing, no powerful browser
 * features (Permissions-Policy), no embedding by other sites (Cross-Origin-Resource-Policy), HSTS over https
 * (directly, or as a proxy trusted by TRUST_PROXY says: req.secure), and the audit trail never cached (signed-in
 * answers are `no-store` too: auth.middleware.ts). Written by hand rather than with helmet: helmet sets neither
 * Permissions-Policy nor a Cache-Control, and sends HSTS over plain http too; the CSP here is our own either way.
 */
import type { RequestHandler } from 'express';

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // Svelte and Cytoscape set style attributes; no inline scripts are allowed.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

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

/** A year; without includeSubDomains, since other hosts of the same domain are not ours to vouch for. */
const HSTS = 'max-age=31536000';

export function securityHeaders(): RequestHandler {
  return (req, res, next) => {
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
    if (req.secure) res.setHeader('Strict-Transport-Security', HSTS);
    if (/^\/api\/audit(\/|$)/.test(req.path)) res.setHeader('Cache-Control', 'no-store');
    next();
  };
}
