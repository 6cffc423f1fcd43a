/**
 * GET /api/docs: Swagger UI on /api/openapi.json, self-hosted. The page's scripts and styles are files of this
 * origin (served from swagger-ui-dist in node_modules; no CDN, no inline script), they are served, only they are
 * (not the rest of the package), the page keeps the site's strict CSP (the same header as every other route), and
 * without JavaScript it still lists every operation. Rendering in a browser: tests/e2e/api-docs.e2e.test.ts.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededApp, type AppFixture } from '../support/app-fixture.ts';

let fx: AppFixture;
beforeAll(async () => {
  fx = await seededApp();
});
afterAll(async () => fx?.dispose());

describe('the API docs page', () => {
  it('is served, with only local scripts and styles, each of which is served', async () => {
    const page = await request(fx.app).get('/api/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const scripts = [...page.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBe(2);
    for (const [, attributes, body] of scripts) {
      expect(body!.trim(), 'no inline script').toBe('');
      expect(attributes).toMatch(/src="\/api\/docs\//);
    }
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).filter((url) => !url.startsWith('#'));
    expect(assets).toEqual(expect.arrayContaining(['/api/docs/assets/swagger-ui-bundle.js', '/api/docs/docs-init.js', '/api/docs/assets/swagger-ui.css']));
    for (const url of assets) {
      expect(url, 'same origin, no CDN').toMatch(/^\/api\//);
      const res = await request(fx.app).get(url);
      expect(res.status, url).toBe(200);
      if (url.endsWith('.js')) expect(res.headers['content-type'], url).toMatch(/javascript/);
      if (url.endsWith('.css')) expect(res.headers['content-type'], url).toMatch(/text\/css/);
    }
    const init = await request(fx.app).get('/api/docs/docs-init.js');
    expect(init.text).toContain("url: '/api/openapi.json'");
    expect(init.text).not.toMatch(/https?:/);
  });

  it('serves only the renderer files of the package, nothing else of node_modules', async () => {
    for (const url of ['/api/docs/assets/package.json', '/api/docs/assets/index.html', '/api/docs/assets/..%2F..%2Fpackage.json', '/api/docs/assets/swagger-ui-bundle.js.map']) {
      const res = await request(fx.app).get(url);
      expect(res.status, url).toBe(404);
      expect(res.body.error.code, url).toBe('not_found');
    }
  });

  it('keeps the strict CSP: the same policy as every other route, scripts from this origin only', async () => {
    const policies = new Map<string, string>();
    for (const url of ['/api/docs', '/api/docs/docs-init.js', '/api/docs/assets/swagger-ui-bundle.js', '/api/openapi.json', '/api/stats', '/api/health', '/api/nodes/nope']) {
      policies.set(url, String((await request(fx.app).get(url)).headers['content-security-policy']));
    }
    const strict = policies.get('/api/stats')!;
    expect(strict).toMatch(/script-src 'self'(;|$)/);
    expect(strict).not.toMatch(/unsafe-eval|https?:/);
    for (const [url, policy] of policies) expect(policy, url).toBe(strict);
  });

  it('lists every operation without JavaScript', async () => {
    const page = await request(fx.app).get('/api/docs');
    const noscript = /<noscript>([\s\S]*)<\/noscript>/.exec(page.text)?.[1] ?? '';
    const doc = (await request(fx.app).get('/api/openapi.json')).body as { paths: Record<string, object> };
    for (const path of Object.keys(doc.paths)) expect(noscript).toContain(path);
  });
});
