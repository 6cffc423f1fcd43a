/** /api/openapi.json (generated from the route declarations) and /api/docs, a readable page of it. */
import { Router } from 'express';
import { openApiDocument, type ApiRoute } from './route-registry.ts';

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
    res.type('html').send(docsPage(document));
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

/** A static page (no scripts, so the CSP holds) listing every operation with its parameters. */
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
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(document.info.title)}</title>
<style>body{font:15px/1.5 system-ui,"Khmer OS",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d2733}
section{border-top:1px solid #dde3ea;padding:.5rem 0}code{background:#f2f5f8;padding:0 .25rem;border-radius:3px}
.m{display:inline-block;min-width:4rem;color:#fff;background:#2f6f9f;border-radius:3px;padding:0 .4rem;font-size:.8em}
table{border-collapse:collapse}td,th{border:1px solid #dde3ea;padding:.2rem .5rem;text-align:left}.d{color:#52606d}</style></head>
<body><h1>${escape(document.info.title)}</h1><p>${escape(document.info.description)}</p>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI ${document.openapi}). Errors are
<code>{ "error": { "code", "message", "details" } }</code>.</p>${sections.join('\n')}</body></html>`;
}
