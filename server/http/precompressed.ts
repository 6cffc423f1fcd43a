/**
 * Sends the explorer's assets precompressed at build time (web/vite.config.ts writes `x.js.br` and `x.js.gz`
 * next to `x.js`): brotli when the client accepts it, else gzip, the file as it is otherwise (or when
 * no copy was built). Answers with a Content-Encoding are left alone by the compression middleware.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RequestHandler } from 'express';

const ENCODINGS = [
  ['br', '.br'],
  ['gzip', '.gz'],
] as const;

export function precompressedAssets(webDir: string, options: { maxAge: string }): RequestHandler {
  const root = path.resolve(webDir);
  return (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !req.path.startsWith('/assets/')) return next();
    let file: string;
    try {
      file = path.resolve(root, `.${decodeURIComponent(req.path)}`);
    } catch {
      return next();
    }
    if (!file.startsWith(`${root}${path.sep}`)) return next();
    const available = ENCODINGS.filter(([, ext]) => fs.existsSync(file + ext));
    if (available.length === 0) return next();
    res.vary('Accept-Encoding');
    // brotli first when the client takes both (as the compression middleware does).
    const match = available.find(([encoding]) => req.acceptsEncodings(encoding) === encoding);
    if (!match) return next();
    res.type(path.extname(file));
    res.setHeader('Content-Encoding', match[0]);
    res.sendFile(file + match[1], { maxAge: options.maxAge }, (error) => {
      if (error && !res.headersSent) {
        res.removeHeader('Content-Encoding');
        next();
      }
    });
  };
}
