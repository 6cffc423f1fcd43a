/**
 * /api/openapi.json (generated from the route declarations) and /api/docs, a page that renders it: Swagger UI
 * (swagger-ui-dist, served from node_modules: no CDN, works offline) with every operation's parameters, request
 * body and response schemas, and the named schemas (Programme, Lineage, Error …) below. It runs under the site's
 * strict CSP as it is: its scripts are files of this origin (the bundle and docs-init.js, no inline script), its
 * styles are the ones the CSP already allows; so no exception is needed (tests/api/api-docs.test.ts, and in
 * Chromium tests/e2e/api-docs.e2e.test.ts, check both). Without JavaScript the page lists the operations itself.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import express, { Router } from 'express';
import { openApiDocument, type ApiRoute } from './route-registry.ts';

/** The files of swagger-ui-dist the page loads; nothing else of the package is served. */
const SWAGGER_UI_FILES = ['swagger-ui-bundle.js', 'swagger-ui.css', 'favicon-32x32.png'];

function swaggerUiDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
}

/** Starts Swagger UI on the document (a file, since the CSP allows no inline script). */
const INIT_SCRIPT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/api/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    defaultModelsExpandDepth: 0,
    defaultModelRendering: 'model',
    validatorUrl: null,
    tryItOutEnabled: false,
    withCredentials: true,
  });
});
`;

export function docsRoutes(routes: readonly ApiRoute[]): Router {
  const document = openApiDocument(routes, {
    title: 'DAR Knowledge Graph API',
    version: '1',
    description:
      "Cambodia's Decentralisation and Administrative Reform programme (DAR), its lineage and partnerships, as a graph. Every link cites its sources; names are in English and Khmer.",
  });
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.get('/docs', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(docsPage(document));
  });
  router.get('/docs/docs-init.js', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.type('text/javascript').send(INIT_SCRIPT);
  });
  const assets = express.static(swaggerUiDir(), { index: false, maxAge: '1d', fallthrough: true });
  router.get('/docs/assets/:file', (req, res, next) => {
    if (!SWAGGER_UI_FILES.includes(req.params.file)) return next();
    req.url = `/${req.params.file}`;
    return assets(req, res, next);
  });
  return router;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

type Doc = ReturnType<typeof openApiDocument>;
type Operation = { summary: string; description?: string; parameters: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[]; responses: Record<string, { description: string }> };

function schemaText(schema: Record<string, unknown>): string {
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).join(' | ');
  const parts = [String(schema.type ?? (schema.anyOf ? 'list' : 'value'))];
  if (schema.minimum !== undefined) parts.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined) parts.push(`≤ ${schema.maximum}`);
  if (schema.maxLength !== undefined) parts.push(`≤ ${schema.maxLength} chars`);
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  return parts.join(', ');
}

/**
 * Swagger UI's page (its bundle and our init script, both files of this origin), with a static list of every
 * operation and its parameters for readers without JavaScript.
 */
function docsPage(document: Doc): string {
  const sections: string[] = [];
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(operations as Record<string, Operation>)) {
      const params = op.parameters
        .map((p) => `<tr><td><code>${escape(p.name)}</code></td><td>${p.in}${p.required ? ', required' : ''}</td><td>${escape(schemaText(p.schema))}</td></tr>`)
        .join('');
      const responses = Object.entries(op.responses)
        .map(([status, r]) => `<li><b>${status}</b> ${escape(r.description)}</li>`)
        .join('');
      sections.push(`<section><h2><span class="m">${method.toUpperCase()}</span> <code>${escape(path)}</code></h2>
<p>${escape(op.summary)}</p>${op.description ? `<p class="d">${escape(op.description)}</p>` : ''}
${params ? `<table><thead><tr><th>parameter</th><th>in</th><th>type</th></tr></thead><tbody>${params}</tbody></table>` : ''}
<ul>${responses}</ul></section>`);
    }
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(document.info.title)}</title>
<link rel="icon" type="image/png" href="/api/docs/assets/favicon-32x32.png">
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
<style>body{margin:0;background:#fafafa}.plain{font:15px/1.5 system-ui,"Khmer OS",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d2733}
.plain section{border-top:1px solid #dde3ea;padding:.5rem 0}.plain code{background:#f2f5f8;padding:0 .25rem;border-radius:3px}
.plain .m{display:inline-block;min-width:4rem;color:#fff;background:#2f6f9f;border-radius:3px;padding:0 .4rem;font-size:.8em}
.plain table{border-collapse:collapse}.plain td,.plain th{border:1px solid #dde3ea;padding:.2rem .5rem;text-align:left}.plain .d{color:#52606d}</style></head>
<body><div id="swagger-ui"></div>
<noscript><div class="plain"><h1>${escape(document.info.title)}</h1><p>${escape(document.info.description)}</p>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI ${document.openapi}). Errors are
<code>{ "error": { "code", "message", "details" } }</code>.</p>${sections.join('\n')}</div></noscript>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/docs-init.js"></script>
</body></html>`;
}
