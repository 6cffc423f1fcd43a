/**
 * End to end, in Debian's Chromium: a node named `<img src=x onerror=alert(1)>` (and a Khmer name, a summary and a
 * link role carrying other payloads), created through the API as an editor, shows as text in the explorer (the
 * search suggestion and the side panel, in English and in Khmer) and runs nothing: no dialog opens, no payload sets
 * `window.__xss`, no element carries an event-handler attribute, and the CSP reports no blocked script (which
 * would mean markup got in and only the CSP stopped it). Saves tests/artifacts/xss.png.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerProcess } from '../support/server-process.ts';
import { ARTIFACTS, startExplorerSession, type ExplorerSession } from './e2e-support.ts';

const TIMEOUT = 120_000;
const TOKEN = 'xss-editor-token-0123456789abcdef';

const XSS = '<img src=x onerror=alert(1)>';
const PROBE = {
  id: 'xss-probe',
  label: 'Topic',
  name_en: XSS,
  name_km: `<svg onload="window.__xss='km'">ក្រសួង`,
  summary_en: `<img src=x onerror="window.__xss='summary'"><script>window.__xss='script'</script>`,
  summary_km: `"><iframe src="javascript:window.__xss='iframe'"></iframe>`,
};
const ROLE = `<b onmouseover="window.__xss='role'">bold</b>`;

/** The little of the browser the page functions below use (this file is compiled without the DOM lib). */
interface TestGlobal {
  __xss?: unknown;
  __cspViolations?: string[];
  document: {
    querySelectorAll(selector: string): { length: number };
    querySelector(selector: string): { getAttribute(name: string): string | null } | null;
    addEventListener(type: string, listener: (event: { violatedDirective: string; blockedURI: string }) => void): void;
  };
}

let server: ServerProcess | undefined;
let browser: Browser | undefined;
let page: Page;
const dialogs: string[] = [];
const pageErrors: string[] = [];

/** What would show that a payload became markup or ran. */
async function injected(): Promise<{ xss: unknown; handlers: number; images: number; frames: number; csp: string[] }> {
  return page.evaluate(() => {
    const g = globalThis as unknown as TestGlobal;
    const doc = g.document;
    return {
      xss: g.__xss ?? null,
      handlers: doc.querySelectorAll('[onerror],[onload],[onmouseover],[onfocus],[onclick]').length,
      images: doc.querySelectorAll('img[src="x"]').length,
      frames: doc.querySelectorAll('iframe,object,embed').length,
      csp: g.__cspViolations ?? [],
    };
  });
}

let session: ExplorerSession | undefined;

beforeAll(async () => {
  session = await startExplorerSession({
    name: 'xss',
    env: { EDITOR_TOKENS: `xss:${TOKEN}` },
    beforeBrowser: async (running) => {
      // The hostile node and a link to it, created as an editor would.
      const post = async (p: string, body: unknown) => {
        const res = await fetch(`${running.url}${p}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
        expect(res.status, await res.clone().text()).toBe(201);
        return res.json() as Promise<Record<string, Record<string, unknown>>>;
      };
      expect((await post('/api/nodes', PROBE)).node).toMatchObject(PROBE);
      await post('/api/links', { type: 'ABOUT', from: 'dar', to: PROBE.id, role: ROLE, sources: ['https://example.org/report?q=<script>alert(1)</script>'] });
    },
    beforePage: async (context) => {
      // Before any script of the page: collect CSP violations (a blocked inline script or handler means markup got in).
      await context.addInitScript(() => {
        const g = globalThis as unknown as TestGlobal;
        g.__cspViolations = [];
        g.document.addEventListener('securitypolicyviolation', (event) => g.__cspViolations!.push(`${event.violatedDirective} ${event.blockedURI}`));
      });
    },
  });
  ({ server, browser, page } = session);
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, TIMEOUT);

afterAll(async () => {
  await session?.close();
}, TIMEOUT);

describe('explorer with hostile names', () => {
  it(
    'shows <img src=x onerror=alert(1)> as text in the search suggestion and the side panel, and runs nothing',
    async () => {
      await page.goto(server!.url);
      await page.waitForFunction(() => (globalThis as unknown as TestGlobal).document.querySelector('[data-testid="graph"]')?.getAttribute('data-ready') === 'true', null, { timeout: 60_000 });

      // The search suggestion: the name as text.
      const input = page.getByTestId('search-input');
      await input.click();
      await input.pressSequentially('img src onerror', { delay: 20 });
      const option = page.getByTestId('search-suggestions').locator(`[role="option"][data-id="${PROBE.id}"]`);
      await expect.poll(() => option.count(), { timeout: 15_000 }).toBe(1);
      await expect.poll(() => option.locator('.name').textContent()).toBe(XSS);
      expect(await injected()).toEqual({ xss: null, handlers: 0, images: 0, frames: 0, csp: [] });

      // The side panel: title, summary and the link's role as text.
      await option.click();
      const panel = page.getByTestId('panel');
      await expect.poll(() => panel.getAttribute('data-node-id'), { timeout: 15_000 }).toBe(PROBE.id);
      await expect.poll(() => page.getByTestId('panel-title').textContent()).toBe(XSS);
      await expect.poll(() => panel.textContent(), { timeout: 15_000 }).toContain(PROBE.summary_en);
      await expect.poll(() => panel.textContent(), { timeout: 15_000 }).toContain(ROLE);
      // Hover and focus where a handler would fire if the markup had got in.
      await page.getByTestId('panel-title').hover();
      await page.screenshot({ path: path.join(ARTIFACTS, 'xss.png') });

      // In Khmer: the Khmer name, with its own payload, as text.
      await page.locator('button[data-lang="km"]').click();
      await expect.poll(async () => (await page.getByTestId('panel-title').textContent())?.replaceAll('\u200B', '')).toBe(PROBE.name_km);
      await expect.poll(() => panel.textContent()).toContain(PROBE.summary_km);

      await page.waitForTimeout(500); // an onerror of a broken image fires asynchronously
      expect(await injected()).toEqual({ xss: null, handlers: 0, images: 0, frames: 0, csp: [] });
      expect(dialogs).toEqual([]);
      expect(pageErrors).toEqual([]);
    },
    TIMEOUT,
  );
});
