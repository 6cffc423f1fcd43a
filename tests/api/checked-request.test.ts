/**
 * The answer checker the API suites use (tests/support/checked-request.ts) can fail: an answer with a property its
 * route's schema does not declare, one of the wrong type, a JSON answer of a route that declares none, and an error
 * answer that is not the Error shape are each refused; a conforming answer passes.
 */
import type { Response } from 'supertest';
import { describe, expect, it } from 'vitest';
import { checkAnswer, declaredSchema } from '../support/checked-request.ts';

const answer = (status: number, body: unknown, type = 'application/json; charset=utf-8') => ({ status, body, headers: { 'content-type': type } }) as unknown as Response;
const session = { signedIn: true, editor: { name: 'alice', role: 'editor' }, via: 'bearer' };

describe('the answer checker of the API suites', () => {
  it('finds the declared schema by method, path and status', () => {
    expect(declaredSchema('get', '/api/nodes/mcs?x=1', 200)?.name).toBe('GET /api/nodes/:id 200');
    expect(declaredSchema('post', '/api/nodes', 201)?.name).toBe('POST /api/nodes 201');
    expect(declaredSchema('get', '/api/nodes/mcs', 404)?.name).toBe('Error (404)');
    expect(declaredSchema('get', '/api/health', 503)?.name).toBe('GET /api/health 503');
    expect(declaredSchema('get', '/api/export', 200)?.name).toBe('GET /api/export 200');
  });

  it('passes a conforming answer and refuses undeclared properties, wrong types and non-Error errors', () => {
    expect(() => checkAnswer('get', '/api/session', answer(200, session))).not.toThrow();
    expect(() => checkAnswer('get', '/api/session', answer(200, { ...session, token: 'leak' }))).toThrow(/does not have/);
    expect(() => checkAnswer('get', '/api/session', answer(200, { ...session, signedIn: 'yes' }))).toThrow(/does not declare/);
    expect(() => checkAnswer('get', '/api/nodes/x', answer(404, { error: { code: 'not_found', message: 'no' } }))).not.toThrow();
    expect(() => checkAnswer('get', '/api/nodes/x', answer(404, { message: 'no' }))).toThrow(/does not declare/);
    // Files and pages are not JSON: left to their own tests.
    expect(() => checkAnswer('get', '/api/export?format=csv', answer(200, Buffer.from('PK'), 'application/zip'))).not.toThrow();
  });

  it('refuses a JSON success answer of a route that declares no JSON for it', () => {
    expect(() => checkAnswer('get', '/api/areas/kh-02/shape', answer(200, { type: 'Feature' }))).toThrow(/declares no schema/);
  });
});
