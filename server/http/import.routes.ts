/**
 * POST /api/import: an editor sends a file (IATI XML, our JSON export, or a seed CSV) as the raw request body;
 * the answer is the dry run, or with ?apply=true the dry run and what was applied (one audited change).
 * The body is read only after the route's guards let the request through, and never beyond IMPORT_MAX_BYTES.
 */
import type { Request } from 'express';
import { Invalid, Unauthenticated } from '../domain/errors.ts';
import { applyImport, planImport, planSummary } from '../import/import.service.ts';
import type { GraphStore } from '../store/graph-store.ts';
import * as Q from './api.schemas.ts';
import * as R from './api.responses.ts';
import { route, type ApiRoute } from './route-registry.ts';

export function readBody(req: Request, maxBytes: number): Promise<Buffer> {
  if (Buffer.isBuffer(req.body)) return Promise.resolve(req.body);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.removeAllListeners('data');
        req.resume();
        reject(Object.assign(new Error(`the file is over the import limit of ${Math.round(maxBytes / 1048576)} MB (IMPORT_MAX_BYTES)`), { status: 413, type: 'entity.too.large' }));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function importRoutes(store: GraphStore, maxBytes: number): ApiRoute[] {
  return [
    route({
      method: 'post',
      path: '/import',
      tag: 'editing',
      summary: 'Import a file: a dry run, or with apply=true all or nothing as one audited change',
      description:
        'The file is the raw request body (any Content-Type); `filename` gives its name, whose extension says the format: .xml (IATI activity XML 1.0x/2.0x), .json (a DAR Knowledge Graph export) or .csv (a seed file such as programmes.csv or links.csv, or a gazetteer file with the Pumi columns, e.g. seed/gazetteer/cambodia_villages_pumi.csv). The answer lists what would be created, updated and left unchanged, the conflicts (same name under another id, links the schema forbids, missing ends) and what was skipped. Applying a plan with conflicts is refused (409) and writes nothing; applying the same file twice changes nothing. The import is one audit entry, which the editor who applied it (their own import) or an admin can revert. 413 over IMPORT_MAX_BYTES.',
      query: Q.ImportQuerySchema,
      rawBody: {
        description: 'The file itself, as bytes (any Content-Type; the extension of `filename` says the format).',
        contentTypes: ['application/octet-stream', 'application/xml', 'application/json', 'text/csv'],
      },
      responses: {
        200: { description: 'The dry run (and, when applied, the result and its audit entry).', schema: R.ImportResponse },
        409: { description: 'The file has conflicts; nothing was imported (details.conflicts lists the first ones).' },
        413: { description: 'The file is over IMPORT_MAX_BYTES.' },
      },
      handle: async ({ query, req }) => {
        if (!req.editor) throw new Unauthenticated('sign in as an editor to import');
        const bytes = await readBody(req, maxBytes);
        if (bytes.length === 0) throw new Invalid('the request body is empty: send the file as the body', { parameter: 'body' });
        const plan = await planImport(store, { file: query.filename, bytes }, maxBytes);
        if (!query.apply) return { dryRun: true, plan: planSummary(plan) };
        const result = await applyImport(store, plan, { name: req.editor.name });
        return { dryRun: false, plan: planSummary(plan), result };
      },
    }),
  ];
}
