/**
 * The W3C Reconciliation Service API 0.2 under /api/reconcile, for OpenRefine (server/services/reconcile.service.ts
 * does the work). Reads only: open to everyone like the other reads (signed-in editors only with
 * READS_REQUIRE_SIGN_IN), rate-limited as reads. Its answers carry `Access-Control-Allow-Origin: *` because
 * OpenRefine calls suggest and preview from the browser page it serves (CORS; JSONP, which would run our answer as
 * script in OpenRefine's page, is not offered). The preview may be framed by any site: it is a read-only page
 * of public data with no action to trick a user into.
 */
import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { NotFound } from '../domain/errors.ts';
import * as reconciliation from '../services/reconcile.service.ts';
import type { GraphStore } from '../store/graph-store.ts';
import { route, type ApiRoute } from './route-registry.ts';

export interface ReconcileOptions {
  /** PUBLIC_ORIGIN: the first one names the service in its manifest; else the request's own origin. */
  publicOrigins: readonly string[];
}

const JsonText = z.string().max(200_000);
const ServiceQuery = z.object({
  queries: JsonText.optional().describe('A reconciliation query batch (JSON); without it, the manifest.'),
  extend: JsonText.optional().describe('A data extension query (JSON).'),
});
const ServiceBody = z.object({ queries: z.union([JsonText, z.record(z.string(), z.unknown())]).optional(), extend: z.union([JsonText, z.record(z.string(), z.unknown())]).optional() });
const SuggestQuery = z.object({
  prefix: z.string().max(200).default(''),
  cursor: z.coerce.number().int().min(0).max(190).default(0),
  type: z.string().max(40).optional(),
});
const PreviewQuery = z.object({ id: z.string().min(1).max(200) });
const ProposeQuery = z.object({ type: z.string().max(40).optional(), limit: z.coerce.number().int().min(1).max(500).optional() });

const jsonAnswer = { description: 'As the Reconciliation API 0.2 specifies (checked against its JSON schemas in the tests).', schema: z.record(z.string(), z.unknown()) };
const badQuery = { description: 'A query that is not JSON or not a valid batch (`details.parameter` names where).' };

/** Lets OpenRefine's page call the service (suggest, preview, and its CORS probe of the manifest). */
export const reconcileCors: RequestHandler = (_req, res, next) => {
  res.setHeader('Access-Control-Allow-Origin', '*');
  next();
};

function originOf(req: Request, options: ReconcileOptions): string {
  return options.publicOrigins[0] ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

async function answer(store: GraphStore, req: Request, options: ReconcileOptions, input: { queries?: unknown; extend?: unknown }) {
  if (input.queries !== undefined) return reconciliation.reconcile(store, reconciliation.parseQueries(input.queries));
  if (input.extend !== undefined) return reconciliation.extend(store, reconciliation.parseExtend(input.extend));
  return reconciliation.manifest({ origin: originOf(req, options) });
}

export function reconcileRoutes(store: GraphStore, options: ReconcileOptions): ApiRoute[] {
  return [
    route({
      method: 'get',
      path: '/reconcile',
      tag: 'reconciliation',
      summary: 'Reconciliation service (W3C 0.2, for OpenRefine): the manifest, or the answers to `queries` or `extend`',
      description: `Without parameters: the service manifest. With \`queries\`: candidates for each query (at most ${reconciliation.RECONCILE_MAX_BATCH} in a batch), best first, in the query's language (Khmer or English). With \`extend\`: property values for ids (data extension).`,
      query: ServiceQuery,
      responses: { 200: jsonAnswer, 400: badQuery },
      handle: ({ query, req }) => answer(store, req, options, query),
    }),
    route({
      method: 'post',
      path: '/reconcile',
      tag: 'reconciliation',
      summary: 'Reconciliation service: `queries` or `extend` sent as a form (as OpenRefine does) or as JSON',
      access: 'read',
      body: ServiceBody,
      responses: { 200: jsonAnswer, 400: badQuery },
      handle: ({ body, req }) => answer(store, req, options, body ?? {}),
    }),
    route({
      method: 'get',
      path: '/reconcile/suggest/entity',
      tag: 'reconciliation',
      summary: 'Suggest entities by the start of a name (Khmer or English), 10 a page',
      query: SuggestQuery,
      responses: { 200: jsonAnswer, 400: badQuery },
      handle: ({ query }) => reconciliation.suggestEntities(store, query.prefix, query.cursor, query.type),
    }),
    ...(
      [
        ['type', 'Suggest types (the graph labels)', reconciliation.suggestTypes],
        ['property', 'Suggest properties (values and linked nodes) to compare or fetch', reconciliation.suggestProperties],
      ] as const
    ).map(([kind, summary, suggest]) =>
      route({
        method: 'get',
        path: `/reconcile/suggest/${kind}`,
        tag: 'reconciliation',
        summary,
        query: SuggestQuery,
        responses: { 200: jsonAnswer },
        handle: async ({ query }) => suggest(query.prefix),
      }),
    ),
    route({
      method: 'get',
      path: '/reconcile/properties',
      tag: 'reconciliation',
      summary: 'Data extension: the properties proposed for a type',
      query: ProposeQuery,
      responses: { 200: jsonAnswer, 400: badQuery },
      handle: async ({ query }) => reconciliation.proposeProperties(query.type, query.limit),
    }),
    route({
      method: 'get',
      path: '/reconcile/preview',
      tag: 'reconciliation',
      summary: "A node's preview as a small HTML page (OpenRefine shows it in a frame)",
      query: PreviewQuery,
      responses: { 200: { description: 'The preview.', contentType: 'text/html' }, 404: { description: 'No node with that id.' } },
      handle: async ({ query, req, res }) => {
        const node = await store.getNode(query.id);
        if (!node) throw new NotFound(`no node with id "${query.id}"`, { id: query.id });
        sendPreview(res, reconciliation.previewHtml(node, originOf(req, options)));
        return undefined;
      },
    }),
  ];
}

/** The preview page: no script, no style, framable by any site (see the header comment). */
function sendPreview(res: Response, html: string): void {
  res.removeHeader('X-Frame-Options');
  res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors *; base-uri 'none'; form-action 'none'");
  res.type('html').send(html);
}
