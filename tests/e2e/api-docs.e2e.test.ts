/**
 * End to end, in Chromium: /api/docs renders the OpenAPI document offline (every request that leaves the test
 * server is refused and recorded) under the site's strict CSP (no violation reported): the operations, a request
 * body's schema (POST /api/nodes: NodeInput, one of ProgrammeInput …), a response's named schema (GET /api/lineage/{id}: Lineage) and the list of named
 * schemas. Saves tests/artifacts/api-docs.png.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededApp, type AppFixture } from '../support/app-fixture.ts';
import { ARTIFACTS, launchChromium } from './e2e-support.ts';

const TIMEOUT = 120_000;

interface TestGlobal {
  __cspViolations?: string[];
  document: {
    addEventListener(type: string, listener: (event: { violatedDirective: string; blockedURI: string }) => void): void;
    querySelectorAll(selector: string): { length: number };
    body: { innerText: string };
  };
}

let fx: AppFixture;
let server: Server;
let base = '';
let browser: Browser | undefined;
let page: Page;
const outside: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  fx = await seededApp();
  server = await new Promise<Server>((resolve) => {
    const s = fx.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Offline: only the test server answers.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(base)) return route.continue();
    outside.push(url);
    return route.abort();
  });
  await context.addInitScript(() => {
    const g = globalThis as unknown as TestGlobal;
    g.__cspViolations = [];
    g.document.addEventListener('securitypolicyviolation', (event) => g.__cspViolations!.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, TIMEOUT);

afterAll(async () => {
  await browser?.close();
  server?.close();
  await fx?.dispose();
}, TIMEOUT);

describe('the API docs page', () => {
  it(
    'renders every operation with request bodies and response schemas, offline, under the strict CSP',
    async () => {
      const response = await page.goto(`${base}/api/docs`);
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
      expect(response?.headers()['content-security-policy']).not.toMatch(/unsafe-eval|cdn|https:/);
      await page.locator('.opblock').first().waitFor({ timeout: 60_000 });
      expect(await page.locator('.opblock').count()).toBeGreaterThanOrEqual(25);
      await expect.poll(() => page.locator('.info .title').first().textContent()).toContain('DAR Knowledge Graph API');

      // A request body: POST /api/nodes shows its schema (a node of one of the labels).
      const createNode = page.locator('#operations-editing-postApiNodes');
      await createNode.locator('.opblock-summary').click();
      await createNode.locator('.opblock-section-request-body').waitFor({ timeout: 30_000 });
      await createNode.locator('.opblock-section-request-body').getByText('Schema', { exact: true }).click();
      await expect.poll(() => createNode.locator('.opblock-section-request-body').textContent()).toMatch(/NodeInput/);

      // A response: GET /api/lineage/{id} answers the named Lineage schema.
      const lineage = page.locator('#operations-research-getApiLineageId');
      await lineage.locator('.opblock-summary').click();
      await lineage.locator('.responses-wrapper').waitFor({ timeout: 30_000 });
      await lineage.locator('.responses-wrapper').getByText('Schema', { exact: true }).first().click();
      await expect.poll(() => lineage.locator('.responses-wrapper').textContent()).toMatch(/Lineage/);
      await expect.poll(() => lineage.locator('.responses-wrapper').textContent()).toMatch(/programmes/);

      // The named schemas, listed once.
      const models = page.locator('section.models');
      await models.waitFor({ timeout: 30_000 });
      // Listed collapsed (defaultModelsExpandDepth 0): open the list.
      if ((await models.locator('button.models-control').getAttribute('aria-expanded')) !== 'true') await models.locator('button.models-control').click();
      await expect.poll(() => models.locator('.json-schema-2020-12__title').count(), { timeout: 30_000 }).toBeGreaterThan(40);
      const titles = await models.locator('.json-schema-2020-12__title').allTextContents();
      for (const name of ['Programme', 'ProgrammeInput', 'Organisation', 'Link', 'Lineage', 'Paths', 'Error']) expect(titles).toContain(name);

      await page.screenshot({ path: path.join(ARTIFACTS, 'api-docs.png') });
      const csp = await page.evaluate(() => (globalThis as unknown as TestGlobal).__cspViolations ?? []);
      expect(csp).toEqual([]);
      expect(outside).toEqual([]);
      expect(pageErrors).toEqual([]);
    },
    TIMEOUT,
  );
});
