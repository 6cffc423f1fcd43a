/**
 * API routes declared as data: method, path, zod schemas of their parameters and responses, and a handler.
 * The same declarations mount the Express routes and generate the OpenAPI document, so the docs cannot drift
 * from what the server checks.
 */
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { parseParams } from './validate.ts';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

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
  responses: Record<number, ApiResponseSpec>;
  /** Returns the JSON body, or undefined when it has written the response itself (files, streams). */
  handle(input: RouteInput<z.infer<P>, z.infer<Q>, z.infer<B>>): Promise<unknown>;
}

/** Keeps the parameter types of one route together (inference helper). */
export function route<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType = z.ZodType>(definition: ApiRoute<P, Q, B>): ApiRoute {
  return definition as unknown as ApiRoute;
}

export function mountRoutes(router: Router, routes: readonly ApiRoute[]): void {
  for (const r of routes) {
    router[r.method](r.path, async (req, res) => {
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
      parameters: [...parametersOf(r.params, 'path'), ...parametersOf(r.query, 'query')],
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/' }],
    paths,
    components: { schemas: { Error: jsonSchema(ERROR_SCHEMA, 'output') } },
  };
}
