/**
 * supertest, with every answer of the API checked against what its route declares (server/http/api.responses.ts,
 * the schemas the OpenAPI document is generated from): a JSON answer is parsed with the declared schema of its
 * status (the success schema for 200/201, the Error schema for 4xx and 5xx unless the route declares another),
 * and must come out of the parse unchanged, so a property the schema does not declare fails the test too. So the
 * document cannot drift from what the server sends. Use it as supertest: `request(app).get('/api/stats')`.
 */
import type { Express } from 'express';
import supertest from 'supertest';
import type { Response as SupertestResponse, Test } from 'supertest';
import { expect } from 'vitest';
import type { z } from 'zod';
import { EditorDirectory } from '../../server/auth/editors.ts';
import { Sessions } from '../../server/auth/sessions.ts';
import { ErrorResponse } from '../../server/http/api.responses.ts';
import { apiRoutes } from '../../server/http/api.routes.ts';
import { routeFor, type ApiResponseSpec, type ApiRoute } from '../../server/http/route-registry.ts';
import type { GraphStore } from '../../server/store/graph-store.ts';

/** The declarations only (their handlers are never called here). */
const ROUTES: readonly ApiRoute[] = apiRoutes({} as GraphStore, {
  cypher: { timeoutMs: 1000, maxRows: 10 },
  editors: EditorDirectory.none(),
  sessions: Sessions.inMemory(EditorDirectory.none()),
  publicOrigins: [],
  log: () => undefined,
});

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);

/** Answers checked so far, by whether a schema was applied (the suites' own sanity check). */
export const checkedCounts = { parsed: 0, unchecked: 0 };

/** The schema an answer of this method, path and status must match, when it is JSON; undefined when none applies. */
export function declaredSchema(method: string, url: string, status: number): { name: string; schema: z.ZodType } | undefined {
  const path = new URL(url, 'http://x').pathname;
  if (!path.startsWith('/api/')) return undefined;
  const route = routeFor(ROUTES, method, path.slice('/api'.length));
  const spec = route ? (route.responses as Record<number, ApiResponseSpec>)[status] : undefined;
  if (spec?.schema) return { name: `${route!.method.toUpperCase()} /api${route!.path} ${status}`, schema: spec.schema };
  if (status >= 400) return { name: `Error (${status})`, schema: ErrorResponse };
  return undefined;
}

/** Throws when a JSON answer does not match its declared schema, or holds what the schema does not declare. */
export function checkAnswer(method: string, url: string, res: SupertestResponse): void {
  if (method.toLowerCase() === 'head' || !/^application\/json\b/.test(String(res.headers['content-type'] ?? ''))) {
    checkedCounts.unchecked += 1;
    return;
  }
  const declared = declaredSchema(method, url, res.status);
  if (!declared) {
    // A JSON success answer of a route that declares no schema for it: the document would say nothing of it.
    if (new URL(url, 'http://x').pathname.startsWith('/api/') && res.status < 300 && !/\/api\/(openapi\.json|docs)$/.test(new URL(url, 'http://x').pathname)) {
      throw new Error(`${method.toUpperCase()} ${url} answered ${res.status} JSON, but its route declares no schema for it`);
    }
    checkedCounts.unchecked += 1;
    return;
  }
  const parsed = declared.schema.safeParse(res.body);
  if (!parsed.success) {
    throw new Error(`${method.toUpperCase()} ${url} answered what ${declared.name} does not declare: ${JSON.stringify(parsed.error.issues.slice(0, 5))}`);
  }
  // Parsing drops properties a schema does not know: the answer must have had none.
  expect(parsed.data, `${method.toUpperCase()} ${url}: properties the declared schema (${declared.name}) does not have`).toEqual(res.body);
  checkedCounts.parsed += 1;
}

type Agent = ReturnType<typeof supertest>;

function request(app: Express): Agent {
  const agent = supertest(app);
  return new Proxy(agent, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof property !== 'string' || !METHODS.has(property) || typeof value !== 'function') return value;
      return (url: string, ...rest: unknown[]): Test => {
        const test = (value as (url: string, ...rest: unknown[]) => Test).call(target, url, ...rest);
        return test.expect((res: SupertestResponse) => checkAnswer(property, url, res));
      };
    },
  });
}

// eslint-disable-next-line @typescript-eslint/no-namespace
declare namespace request {
  export type Response = SupertestResponse;
}

export default request;
