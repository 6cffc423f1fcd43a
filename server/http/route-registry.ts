/**
 * API routes declared as data: method, path, zod schemas of their parameters and responses, and a handler.
 * The same declarations mount the Express routes and generate the OpenAPI document, so the docs cannot drift
 * from what the server checks.
 */
import type { Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import type { Role } from '../auth/editors.ts';
import { parseParams } from './validate.ts';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call a route: `open` (anyone, always), `read` (anyone, or signed-in editors when READS_REQUIRE_SIGN_IN
 * is set), `sign-in` (anyone, rate-limited as sign-in attempts), or the roles that may (signed in; state-changing
 * routes are also rate-limited as writes). Default: `read` for GET, every role for anything else, so that a
 * state-changing route is never open by omission.
 */
export type RouteAccess = 'open' | 'read' | 'sign-in' | readonly Role[];

export function accessOf(route: Pick<ApiRoute, 'method' | 'access'>): RouteAccess {
  return route.access ?? (route.method === 'get' ? 'read' : ['editor', 'admin']);
}

export interface RouteInput<P, Q, B = unknown> {
  params: P;
  query: Q;
  body: B;
  req: Request;
  res: Response;
}

export interface ApiResponseSpec {
  description: string;
  /** JSON body schema; for other content types give `contentType` and leave this out. */
  schema?: z.ZodType;
  contentType?: string;
}

export interface ApiRoute<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> {
  method: Method;
  /** Express-style path under /api, e.g. "/nodes/:id". */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  params?: P;
  query?: Q;
  /** JSON request body. */
  body?: B;
  access?: RouteAccess;
  /** Takes `If-Match: "<version>"` (optimistic concurrency); documented as a header parameter. */
  ifMatch?: boolean;
  responses: Record<number, ApiResponseSpec>;
  /** Returns the JSON body, or undefined when it has written the response itself (files, streams). */
  handle(input: RouteInput<z.infer<P>, z.infer<Q>, z.infer<B>>): Promise<unknown>;
}

/** Keeps the parameter types of one route together (inference helper). */
export function route<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType = z.ZodType>(definition: ApiRoute<P, Q, B>): ApiRoute {
  return definition as unknown as ApiRoute;
}

/** Mounts each route with the guards its access needs (authentication, roles, rate limits) before its handler. */
export function mountRoutes(router: Router, routes: readonly ApiRoute[], guardsFor: (route: ApiRoute) => RequestHandler[] = () => []): void {
  for (const r of routes) {
    router[r.method](r.path, ...guardsFor(r), async (req, res) => {
      const params = r.params ? parseParams(r.params, req.params, 'path') : {};
      const query = r.query ? parseParams(r.query, req.query, 'query') : {};
      const body = r.body ? parseParams(r.body, req.body ?? {}, 'body') : undefined;
      const out = await r.handle({ params, query, body, req, res });
      if (out !== undefined && !res.headersSent) res.json(out);
    });
  }
}

// ------------------------------------------------------------------------------------------ OpenAPI 3.1

const ERROR_SCHEMA = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
    /** The request's X-Request-Id, also in the server's log line of it. */
    requestId: z.string().optional(),
  }),
});

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}

function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query'): unknown[] {
  if (!schema) return [];
  const object = jsonSchema(schema, 'input') as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === 'path' || (object.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

export function openApiDocument(routes: readonly ApiRoute[], info: { title: string; version: string; description: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const openApiPath = `/api${r.path.replace(/:([A-Za-z_]+)/g, '{$1}')}`;
    const responses: Record<string, unknown> = {};
    for (const [status, spec] of Object.entries(r.responses)) {
      const content = spec.schema
        ? { 'application/json': { schema: jsonSchema(spec.schema, 'output') } }
        : spec.contentType
          ? { [spec.contentType]: { schema: { type: 'string' } } }
          : undefined;
      responses[status] = { description: spec.description, ...(content ? { content } : {}) };
    }
    const access = accessOf(r);
    const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };
    if (Array.isArray(access)) {
      responses['401'] ??= { description: 'Not signed in: no valid `Authorization: Bearer <token>` or session cookie.', content: errorContent };
      responses['403'] ??= { description: `Signed in with a role that may not (needs ${access.join(' or ')}), or a cookie request from another origin.`, content: errorContent };
      if (r.method !== 'get') responses['429'] ??= { description: 'Too many writes from this address; `Retry-After` says when to try again.', content: errorContent };
    }
    if (access === 'read') responses['429'] ??= { description: 'Too many reads from this address (READ_RATE_LIMIT); `Retry-After` says when to try again.', content: errorContent };
    if (access === 'sign-in') responses['429'] ??= { description: 'Too many sign-in attempts from this address; `Retry-After` says when to try again.', content: errorContent };
    const hasParams = Boolean(r.params || r.query || r.body);
    if (hasParams && !responses['400']) {
      responses['400'] = {
        description: 'A bad parameter; the message and `details.parameter` name it.',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    (paths[openApiPath] ??= {})[r.method] = {
      tags: [r.tag],
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      operationId: `${r.method}${openApiPath.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      parameters: [
        ...parametersOf(r.params, 'path'),
        ...parametersOf(r.query, 'query'),
        ...(r.ifMatch
          ? [{ name: 'If-Match', in: 'header', required: false, description: 'The ETag of the version you read, e.g. "3": the write is refused with 412 when the record has changed since.', schema: { type: 'string' } }]
          : []),
      ],
      ...(Array.isArray(access) ? { security: [{ bearerAuth: [] }, { sessionCookie: [] }] } : {}),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: { Error: jsonSchema(ERROR_SCHEMA, 'output') },
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'An editor token (see README, "Editing").' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'dar_session', description: 'Set by POST /api/session (the explorer).' },
      },
    },
  };
}
