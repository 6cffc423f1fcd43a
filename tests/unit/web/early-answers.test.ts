/**
 * The answers web/public/first-data.js asks for before the app has run (issue 18, slow devices): the app takes
 * each once, as first-data.js leaves it (its body already read as JSON), without a request of its own and without
 * waiting for another task — so that on a slow phone the scene is drawn in the same frame as the page around it.
 * A failure or a body that is not JSON is reported as any answer's would be. The script itself runs in
 * tests/e2e/payload.e2e.test.ts (each answer asked for once) and tests/e2e/first-screen.e2e.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError } from '../../../web/src/lib/api.ts';
import { ROOT } from '../../support/seed-fixture.ts';

const DAR = '/api/nodes/dar';
const global = globalThis as { __darFirst?: Record<string, unknown> };

/** Runs web/public/first-data.js as the page would at `url`, with `fetch` answering. */
function runFirstData(url: string, fetch: (path: string) => Promise<Response>): Record<string, Promise<unknown>> | undefined {
  const window: Record<string, unknown> = {};
  const context = {
    window,
    location: new URL(url),
    URLSearchParams,
    localStorage: { getItem: () => null },
    navigator: { languages: ['en-GB'] },
    document: { querySelector: () => null },
    fetch,
  };
  vm.runInNewContext(fs.readFileSync(path.join(ROOT, 'web', 'public', 'first-data.js'), 'utf8'), context);
  return window.__darFirst as Record<string, Promise<unknown>> | undefined;
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

afterEach(() => {
  vi.unstubAllGlobals();
  delete global.__darFirst;
});

describe("the default scene's first answers, asked for before the app runs", () => {
  it('are asked for on the default scene only, and read as JSON', async () => {
    const asked: string[] = [];
    const first = runFirstData('http://x/?lang=km', async (p) => (asked.push(p), json({ id: p })));
    expect(asked).toEqual([DAR, '/api/nodes/dar/neighbours?direction=both&limit=200']);
    const answer = (await first![DAR]) as { response: Response; body: unknown };
    expect(answer.body).toEqual({ id: DAR });
    expect(answer.response.status).toBe(200);
    expect(runFirstData('http://x/?v=lineage', async () => json({}))).toBeUndefined();
  });

  it('are taken once, with no request of their own and no further task; later requests go out', async () => {
    const fetch = vi.fn(async () => json({ id: 'dar', from: 'fetch' }));
    vi.stubGlobal('fetch', fetch);
    global.__darFirst = runFirstData('http://x/', async () => json({ id: 'dar', from: 'early' }));
    await global.__darFirst![DAR]; // as on a slow line: the answer is in before the app's code
    const order: string[] = [];
    setTimeout(() => order.push('next task'), 0);
    const taken = api.node('dar').then((body) => order.push(`taken ${(body as unknown as { from: string }).from}`));
    await taken;
    expect(order).toEqual(['taken early']);
    expect(fetch).not.toHaveBeenCalled();
    expect(await api.node('dar')).toMatchObject({ from: 'fetch' });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('report a refusal, a body that is not JSON and a failed request as any answer would', async () => {
    global.__darFirst = runFirstData('http://x/', async (p) =>
      p === DAR ? json({ error: { code: 'not_found', message: 'no such node', details: {} } }, 404) : new Response('<html>', { status: 502 }),
    );
    await expect(api.node('dar')).rejects.toMatchObject({ status: 404, code: 'not_found' });
    await expect(api.neighbours('dar', { direction: 'both', limit: 200 })).rejects.toMatchObject({ status: 502, code: 'bad_response' });
    global.__darFirst = runFirstData('http://x/', async () => Promise.reject(new TypeError('Failed to fetch')));
    const failed = await api.node('dar').catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ApiError);
    expect(failed).toMatchObject({ status: 0, code: 'network' });
  });
});
