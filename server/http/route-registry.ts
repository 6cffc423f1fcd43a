/**
 * API routes declared as data: method, path, zod schemas of their parameters and responses, and a handler.
 * The same declarations mount the Express routes and generate the OpenAPI document, so the docs cannot drift
 * from what the server checks.
 */
import type { Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import type { Role } from '../auth/editors.ts';
import { ErrorResponse } from './api.responses.ts';
import { BOOKMARK_HEADER } from './bookmark.middleware.ts';
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

export interface ApiResponseSpec<S extends z.ZodType = z.ZodType> {
  description: string;
  /** JSON body schema (application/json). Error answers (4xx, 5xx) without one or a contentType have the Error schema. */
  schema?: S;
  /** A file or other non-JSON body, documented as binary (`format: binary`) of each type (besides the JSON one, if any). */
  contentType?: string | readonly string[];
}

/**
 * The success answer (200 or 201) types the handler: it returns what the schema's output describes, or undefined
 * when it has written the response itself (files, streams, heavy reads).
 */
export type ApiResponses<S extends z.ZodType> = ({ 200: ApiResponseSpec<S> } | { 201: ApiResponseSpec<S> }) & Record<number, ApiResponseSpec>;

/** A request body that is not JSON (an uploaded file): documented as binary of these types, read by the handler. */
export interface RawBodySpec {
  contentTypes: readonly string[];
  description: string;
}

export interface ApiRoute<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType, S extends z.ZodType = z.ZodType> {
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
  /** A raw request body (a file), when the route takes one instead of JSON. */
  rawBody?: RawBodySpec;
  access?: RouteAccess;
  /** Takes `If-Match: "<version>"` (optimistic concurrency); documented as a header parameter. */
  ifMatch?: boolean;
  responses: ApiResponses<S>;
  /** Returns the JSON body (typed by the success schema), or undefined when it has written the response itself. */
  handle(input: RouteInput<z.infer<P>, z.infer<Q>, z.infer<B>>): Promise<z.output<S> | undefined>;
}

/** Keeps the types of one route together (inference helper): parameters and body parsed, answer typed by its schema. */
export function route<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType = z.ZodType, S extends z.ZodType = z.ZodType>(
  definition: ApiRoute<P, Q, B, S>,
): ApiRoute {
  return definition as unknown as ApiRoute;
}

/** The schema of a route's success answer (200, or 201 for a creation), when it answers JSON. */
export function successSchema(r: Pick<ApiRoute, 'responses'>): z.ZodType | undefined {
  const responses = r.responses as Record<number, ApiResponseSpec>;
  return responses[200]?.schema ?? responses[201]?.schema;
}

/** The route of a method and a concrete path under /api ("/nodes/mcs"), when there is one. */
export function routeFor(routes: readonly ApiRoute[], method: string, apiPath: string): ApiRoute | undefined {
  const m = method.toLowerCase();
  return routes.find((r) => r.method === m && pathPattern(r.path).test(apiPath));
}

function pathPattern(path: string): RegExp {
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:([A-Za-z_]+)/g, '[^/]+');
  return new RegExp(`^${escaped}/?$`);
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

type JsonSchema = Record<string, unknown>;

/**
 * JSON Schemas of one document: a schema named with `.meta({ id })` (api.responses.ts) is written once under
 * components.schemas and referenced ($ref) wherever it is used, so clients generated from the document get named
 * types (Programme, Lineage, Error …) rather than one anonymous type per use.
 */
class SchemaComponents {
  readonly schemas: Record<string, JsonSchema> = {};

  of(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
    delete out.$schema;
    const defs = (out.$defs ?? {}) as Record<string, JsonSchema>;
    delete out.$defs;
    for (const [id, definition] of Object.entries(defs)) {
      if (id.startsWith('__schema')) throw new Error(`an unnamed shared schema (${id}) in the OpenAPI document: name it with .meta({ id })`);
      const component = toComponentRefs(definition) as JsonSchema;
      const known = this.schemas[id];
      if (known && JSON.stringify(known) !== JSON.stringify(component)) {
        throw new Error(`two schemas named "${id}" differ (a named schema used as ${io} and otherwise?)`);
      }
      this.schemas[id] = component;
    }
    return toComponentRefs(out) as JsonSchema;
  }
}

/** `#/$defs/X` (zod's) → `#/components/schemas/X` (OpenAPI's). */
function toComponentRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toComponentRefs);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = key === '$ref' && typeof v === 'string' ? v.replace(/^#\/\$defs\//, '#/components/schemas/') : toComponentRefs(v);
  }
  return out;
}

function parametersOf(components: SchemaComponents, schema: z.ZodType | undefined, where: 'path' | 'query'): unknown[] {
  if (!schema) return [];
  const object = components.of(schema, 'input') as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
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

const BINARY = { type: 'string', format: 'binary' };

function contentOf(components: SchemaComponents, spec: ApiResponseSpec, status: number): Record<string, unknown> | undefined {
  const content: Record<string, unknown> = {};
  if (spec.schema) content['application/json'] = { schema: components.of(spec.schema, 'output') };
  const types = spec.contentType === undefined ? [] : typeof spec.contentType === 'string' ? [spec.contentType] : spec.contentType;
  for (const type of types) content[type] ??= { schema: /[+/]json$/.test(type) ? { type: 'object' } : BINARY };
  if (Object.keys(content).length > 0) return content;
  return status >= 400 ? { 'application/json': { schema: components.of(ErrorResponse, 'output') } } : undefined;
}

/**
 * Read-your-writes (bookmark.middleware.ts): every request may send the bookmarks a write's answer gave, and is
 * served once the database has applied them; an answer to a write on Neo4j carries its bookmark.
 */
const BOOKMARK_PARAMETER = {
  name: BOOKMARK_HEADER,
  in: 'header',
  required: false,
  description:
    'Read your own writes across app processes and cluster members: the Neo4j-Bookmark header of an earlier write\'s answer (several separated by commas, up to 16). The request is served once the database has applied those writes. Malformed or unknown to the database: 400. Ignored by the embedded store.',
  schema: { type: 'string' },
};
const BOOKMARK_RESPONSE_HEADER = {
  [BOOKMARK_HEADER]: {
    description: 'On Neo4j, when the request wrote: the bookmark of the write. Send it back in the Neo4j-Bookmark request header of later requests to read this write even on another app process or cluster member. Absent on the embedded store.',
    schema: { type: 'string' },
  },
};

export function openApiDocument(routes: readonly ApiRoute[], info: { title: string; version: string; description: string }) {
  const components = new SchemaComponents();
  const errorContent = { 'application/json': { schema: components.of(ErrorResponse, 'output') } };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const openApiPath = `/api${r.path.replace(/:([A-Za-z_]+)/g, '{$1}')}`;
    const responses: Record<string, unknown> = {};
    for (const [status, spec] of Object.entries(r.responses as Record<number, ApiResponseSpec>)) {
      const content = contentOf(components, spec, Number(status));
      const code = Number(status);
      const wrote = r.method !== 'get' && Array.isArray(accessOf(r)) && code >= 200 && code < 300;
      responses[status] = { description: spec.description, ...(wrote ? { headers: BOOKMARK_RESPONSE_HEADER } : {}), ...(content ? { content } : {}) };
    }
    const access = accessOf(r);
    if (Array.isArray(access)) {
      responses['401'] ??= { description: 'Not signed in: no valid `Authorization: Bearer <token>` or session cookie.', content: errorContent };
      responses['403'] ??= { description: `Signed in with a role that may not (needs ${access.join(' or ')}), or a cookie request from another origin.`, content: errorContent };
      if (r.method !== 'get') responses['429'] ??= { description: 'Too many writes from this address; `Retry-After` says when to try again.', content: errorContent };
    }
    if (access === 'read') responses['429'] ??= { description: 'Too many reads from this address (READ_RATE_LIMIT); `Retry-After` says when to try again.', content: errorContent };
    if (access === 'sign-in') responses['429'] ??= { description: 'Too many sign-in attempts from this address; `Retry-After` says when to try again.', content: errorContent };
    // Every request may carry a Neo4j-Bookmark header, which can be malformed: a 400 is always possible.
    if (!responses['400']) {
      responses['400'] = { description: 'A bad parameter; the message and `details.parameter` name it.', content: errorContent };
    }
    const requestBody = r.body
      ? { required: true, content: { 'application/json': { schema: components.of(r.body, 'input') } } }
      : r.rawBody
        ? { required: true, description: r.rawBody.description, content: Object.fromEntries(r.rawBody.contentTypes.map((type) => [type, { schema: BINARY }])) }
        : undefined;
    (paths[openApiPath] ??= {})[r.method] = {
      tags: [r.tag],
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      operationId: `${r.method}${openApiPath.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      parameters: [
        ...parametersOf(components, r.params, 'path'),
        ...parametersOf(components, r.query, 'query'),
        ...(r.ifMatch
          ? [{ name: 'If-Match', in: 'header', required: false, description: 'The ETag of the version you read, e.g. "3": the write is refused with 412 when the record has changed since.', schema: { type: 'string' } }]
          : []),
        BOOKMARK_PARAMETER,
      ],
      ...(Array.isArray(access) ? { security: [{ bearerAuth: [] }, { sessionCookie: [] }] } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(components.schemas).sort(([a], [b]) => a.localeCompare(b))),
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'An editor token (see README, "Editing").' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'dar_session', description: 'Set by POST /api/session (the explorer).' },
      },
    },
  };
}
