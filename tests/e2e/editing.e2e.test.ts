/**
 * End to end, in Debian's Chromium, on the real server: an editor signs in, turns on edit mode, creates a programme
 * from the schema-generated form, drags a link from it to DAR (only the types the schema allows are offered; a
 * source is required), reloads and sees the link, reverts it from the link's history tab, changes a property and
 * undoes it, saves over someone else's change (412, then the current version), links by search as a draft, is told a
 * node with links cannot be deleted, deletes it with confirmation and undoes that too. The audit trail is read over
 * the API and in the history tab.
 * Fields in error are framed in red, in English and Khmer alike.
 * Screenshots: tests/artifacts/edit-node-form-km.png, edit-link-form.png, edit-history.png, edit-history-km.png, edit-panel.png, edit-recent.png,
 * edit-form-invalid-en.png, edit-form-invalid-km.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerProcess } from '../support/server-process.ts';
import {
  type ExplorerSession,
  type TestGlobal,
  artifact,
  gate,
  signIn,
  stablePoint,
  startExplorerSession,
  waitForGraph,
} from './e2e-support.ts';

const TIMEOUT = 240_000;
const TOKEN = 'e2e-editor-token-0123456789abcdef';
const NEW_ID = 'battambang-pilot-programme';
const SOURCE = 'https://example.org/pilot-succeeds-dar';

let server: ServerProcess | undefined;
let browser: Browser | undefined;
let page: Page;
let errors: string[] = [];
let session: ExplorerSession | undefined;

beforeAll(async () => {
  session = await startExplorerSession({ name: 'editing-ui', env: { EDITOR_TOKENS: `sokha:${TOKEN}` } });
  ({ server, browser, page } = session);
  errors = session.errors;
}, TIMEOUT);

afterAll(async () => {
  await session?.close();
}, TIMEOUT);

async function api<T>(path: string): Promise<T> {
  const response = await fetch(`${server!.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return (await response.json()) as T;
}

/** The SUCCEEDS edges drawn from the new programme. */
async function drawnLinksFromNew(): Promise<string[]> {
  return page.evaluate((id) => {
    const cy = (globalThis as unknown as TestGlobal).__cy;
    if (!cy) return [];
    return cy
      .edges()
      .filter((e) => e.data('source') === id && e.data('type') === 'SUCCEEDS')
      .map((e) => String(e.data('linkId')));
  }, NEW_ID);
}

async function isDrawn(id: string): Promise<boolean> {
  return page.evaluate((nodeId) => {
    const cy = (globalThis as unknown as TestGlobal).__cy;
    return Boolean(cy && !cy.getElementById(nodeId).empty());
  }, id);
}

/** Presses on one node and releases on another, moving in steps as a hand would. */
async function drag(from: string, to: string): Promise<void> {
  const start = await stablePoint(page, from);
  const end = await stablePoint(page, to);
  expect(start, `${from} is drawn and clickable`).not.toBeNull();
  expect(end, `${to} is drawn and clickable`).not.toBeNull();
  await page.mouse.move(start!.x, start!.y);
  await page.mouse.down();
  for (let step = 1; step <= 12; step++) {
    await page.mouse.move(start!.x + ((end!.x - start!.x) * step) / 12, start!.y + ((end!.y - start!.y) * step) / 12);
    await page.waitForTimeout(25);
  }
  await page.waitForTimeout(250); // edgehandles' hover delay before the target counts
  await page.mouse.up();
}

describe('editing in the explorer', () => {
  it(
    'creates a programme, drags a sourced link to DAR, sees it after a reload, and reverts it from its history',
    async () => {
      // The page's first question, who is signed in, is answered late (held until after signing in): that answer,
      // given before, must not sign the editor out again.
      const firstSession = gate();
      const sessionUrl = /\/api\/session$/;
      await page.context().route(sessionUrl, async (route) => {
        if (route.request().method() !== 'GET') return route.fallback();
        const answer = await route.fetch(); // asked now (nobody signed in), delivered late
        await firstSession.opened;
        await route.fulfill({ response: answer });
      });
      const firstAnswer = page.waitForResponse((response) => sessionUrl.test(response.url()) && response.request().method() === 'GET');
      await page.goto(server!.url);
      await waitForGraph(page);
      // Read-only visitors see no edit tools.
      expect(await page.getByTestId('edit-mode').count()).toBe(0);
      await signIn(page, TOKEN, 'sokha');
      firstSession.open();
      await firstAnswer;
      await page.context().unroute(sessionUrl);
      await page.waitForTimeout(300); // the page handles the late answer
      expect(await page.getByTestId('session-name').count()).toBe(1);
      await page.getByTestId('edit-mode').click();
      await page.getByTestId('edit-bar').waitFor();
      expect(await page.getByTestId('edit-undo').isDisabled()).toBe(true);

      // The new-node form comes from the schema: an empty one names the required fields.
      await page.getByTestId('edit-new-node').click();
      const form = page.getByTestId('node-form');
      await form.waitFor();
      const fieldKeys = await form.locator('[data-field]').evaluateAll((els) => els.map((el) => el.getAttribute('data-field')));
      expect(fieldKeys).toEqual(expect.arrayContaining(['name_en', 'name_km', 'sources', 'acronym', 'start', 'end', 'status', 'summary_en', 'url']));
      await page.getByTestId('node-form-label').selectOption('AdminArea');
      expect(await form.locator('[data-field="level"] select').count()).toBe(1);
      await page.getByTestId('node-form-label').selectOption('Programme');
      await page.getByTestId('node-form-submit').click();
      expect(await form.locator('[aria-invalid="true"]').evaluateAll((els) => els.map((el) => el.id))).toEqual(['node-form-name_en', 'node-form-name_km']);

      await page.locator('#node-form-name_en').fill('Battambang Pilot Programme');
      await page.locator('#node-form-name_km').fill('កម្មវិធីសាកល្បងបាត់ដំបង');
      await page.locator('#node-form-start').fill('2026-1');
      await page.getByTestId('node-form-submit').click();
      expect(await form.locator('[data-field="start"] .error').textContent()).toMatch(/^A year, a month or a day: 2016, 2016-05 or 2016-05-01/);
      await page.locator('#node-form-start').fill('2026');
      await page.locator('#node-form-acronym').fill('BPP');
      await page.locator('#node-form-sources').fill('https://example.org/pilot');
      await page.getByTestId('node-form-submit').click();
      await form.waitFor({ state: 'detached' });
      await expect.poll(() => isDrawn(NEW_ID), { timeout: 15_000 }).toBe(true);
      await expect.poll(() => page.getByTestId('panel-title').textContent()).toBe('Battambang Pilot Programme');
      await expect.poll(() => page.getByTestId('edit-status').textContent()).toContain('Created Battambang Pilot Programme');
      await waitForGraph(page);
      await expect.poll(() => isDrawn('dar'), { timeout: 15_000 }).toBe(true);

      // Drag from the new programme to DAR: only Programme–Programme types are offered, both ways round.
      await drag(NEW_ID, 'dar');
      const linkForm = page.getByTestId('link-form');
      await linkForm.waitFor({ timeout: 10_000 });
      const offered = await linkForm.locator('input[name="link-type"]').evaluateAll((els) =>
        els.map((el) => `${el.getAttribute('data-from')}:${el.getAttribute('data-type')}`),
      );
      expect(offered.sort()).toEqual(
        ['SUCCEEDS', 'PART_OF', 'RELATED_TO', 'SUPPORTS'].flatMap((type) => [`${NEW_ID}:${type}`, `dar:${type}`]).sort(),
      );
      expect(await drawnLinksFromNew()).toEqual([]); // the drawn preview edge is not a link
      await linkForm.locator(`input[data-from="${NEW_ID}"][data-type="SUCCEEDS"]`).check();
      await page.getByTestId('link-form-submit').click();
      expect(await linkForm.locator('[data-field="sources"] .error').textContent()).toMatch(/source/);
      await page.locator('#link-form-sources').fill(SOURCE);
      await page.locator('#link-form-role').fill('successor pilot');
      await page.screenshot({ path: artifact('edit-link-form.png') });
      await page.getByTestId('link-form-submit').click();
      await linkForm.waitFor({ state: 'detached' });
      await expect.poll(drawnLinksFromNew, { timeout: 15_000 }).toHaveLength(1);
      const [linkId] = await drawnLinksFromNew();
      await expect.poll(() => page.getByTestId('link-panel').getAttribute('data-link-id')).toBe(linkId);

      // A tap on the drawn link opens it in the side panel too. (Cytoscape's own hit-testing decides which edge is
      // under a pointer; where edges crowd around DAR a pixel click is a coin toss, so the tap is sent to the edge.)
      await page.getByTestId('link-panel-close').click();
      expect(await page.getByTestId('link-panel').count()).toBe(0);
      await page.evaluate((id) => {
        const cy = (globalThis as unknown as TestGlobal).__cy! as unknown as { getElementById(id: string): { emit(event: string): void } };
        cy.getElementById(`link:${id}`).emit('tap');
      }, linkId!);
      await expect.poll(() => page.getByTestId('link-panel').getAttribute('data-link-id')).toBe(linkId);

      // Stored on the server, with who and when.
      const stored = await api<{ link: { sources: string[]; created_by: string; role: string } }>(`/api/links/${linkId}`);
      expect(stored.link).toMatchObject({ sources: [SOURCE], created_by: 'sokha', role: 'successor pilot' });

      // Reload: the link is still drawn (the new programme's expansion is in the URL).
      await page.reload();
      await waitForGraph(page);
      await expect.poll(drawnLinksFromNew, { timeout: 15_000 }).toEqual([linkId]);

      // Revert it from the link's history tab.
      await page.locator(`[data-testid="panel-link-details"][data-link="${linkId}"]`).click();
      await page.getByTestId('link-history-tab').click();
      const entry = page.locator('[data-testid="history"] [data-testid="history-entry"]').first();
      await entry.waitFor();
      expect(await entry.getAttribute('data-action')).toBe('create_link');
      expect(await entry.textContent()).toContain('sokha');
      await page.screenshot({ path: artifact('edit-history.png') });
      // Revert needs no edit mode: the history's own button.
      await entry.getByTestId('history-revert').click();
      await expect.poll(drawnLinksFromNew, { timeout: 15_000 }).toEqual([]);
      const gone = await fetch(`${server!.url}/api/links/${linkId}`);
      expect(gone.status).toBe(404);
      expect(errors).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'edits a property and undoes it, deletes the node with confirmation and undoes that, all in the audit',
    async () => {
      // Still on the page of the first test: the new programme is selected; edit mode is off after the reload.
      await page.getByTestId('edit-mode').click();
      await page.getByTestId('edit-bar').waitFor();
      await expect.poll(() => page.getByTestId('panel-title').textContent(), { timeout: 15_000 }).toBe('Battambang Pilot Programme');

      // Properties are edited in the side panel.
      await page.getByTestId('node-edit').click();
      const form = page.getByTestId('edit-panel').getByTestId('node-form');
      await form.waitFor();
      expect(await page.locator('#node-form-acronym').inputValue()).toBe('BPP');
      expect(await page.locator('#node-form-id').getAttribute('readonly')).not.toBeNull();
      await page.locator('#node-form-acronym').fill('BPP-2');
      await page.screenshot({ path: artifact('edit-panel.png') });
      await page.getByTestId('node-form-submit').click();
      await form.waitFor({ state: 'detached' });
      await expect.poll(async () => (await api<{ node: { acronym: string } }>(`/api/nodes/${NEW_ID}`)).node.acronym).toBe('BPP-2');

      await page.getByTestId('edit-undo').click();
      await expect.poll(async () => (await api<{ node: { acronym: string } }>(`/api/nodes/${NEW_ID}`)).node.acronym).toBe('BPP');

      // A stale form: someone else changes the node while its form is open; saving is refused (412) until the
      // current version is loaded, and what was typed is kept.
      await page.getByTestId('node-edit').click();
      await form.waitFor();
      const other = await fetch(`${server!.url}/api/nodes/${NEW_ID}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ end: '2030' }),
      });
      expect(other.status).toBe(200);
      await page.locator('#node-form-status').selectOption('planned');
      await page.getByTestId('node-form-submit').click();
      await expect.poll(() => page.getByTestId('node-form-error').textContent()).toMatch(/version/i);
      // While the current version loads (held here, as on a busy server), saving waits: sent meanwhile, it was
      // refused again against the version being replaced.
      const currentVersion = gate();
      const nodeUrl = new RegExp(`/api/nodes/${NEW_ID}$`);
      await page.context().route(nodeUrl, async (route) => {
        if (route.request().method() === 'GET') await currentVersion.opened;
        await route.fallback();
      });
      await page.getByRole('button', { name: 'Load the current version' }).click();
      expect(await page.getByTestId('node-form-submit').isDisabled()).toBe(true);
      currentVersion.open();
      await expect.poll(() => page.getByTestId('node-form-submit').isDisabled()).toBe(false);
      await page.context().unroute(nodeUrl);
      expect(await page.locator('#node-form-status').inputValue()).toBe('planned');
      await page.getByTestId('node-form-submit').click();
      await form.waitFor({ state: 'detached' });
      const both = (await api<{ node: { end: string; status: string } }>(`/api/nodes/${NEW_ID}`)).node;
      expect({ end: both.end, status: both.status }).toEqual({ end: '2030', status: 'planned' });

      // In draw mode a click still selects: DAR's panel opens.
      const dar = await stablePoint(page, 'dar');
      await page.mouse.click(dar!.x, dar!.y);
      await expect.poll(() => page.getByTestId('panel').getAttribute('data-node-id')).toBe('dar');

      // "Link to…" from the panel: the other end by search; a Programme–Organisation pair offers only those types.
      await page.getByTestId('search-input').fill('Battambang Pilot');
      await page.locator('[data-testid="search-suggestions"] [role="option"]').first().click();
      await expect.poll(() => page.getByTestId('panel').getAttribute('data-node-id')).toBe(NEW_ID);
      const draftsBefore = (await api<{ quality: { draftLinks: number } }>('/api/stats')).quality.draftLinks; // the seed's inferred links
      await page.getByTestId('node-link').click();
      const linkForm = page.getByTestId('link-form');
      await linkForm.waitFor();
      await page.getByTestId('link-form-to').fill('GIZ');
      await linkForm.locator('[role="option"]').first().click();
      const offered = await linkForm.locator('input[name="link-type"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-type')));
      expect(offered.sort()).toEqual(['FUNDED_BY', 'IMPLEMENTED_BY', 'PARTNERS_WITH']);
      await linkForm.locator('input[data-type="IMPLEMENTED_BY"]').check();
      await page.getByText('Save as a draft (no source yet)').click();
      await page.getByTestId('link-form-submit').click();
      await linkForm.waitFor({ state: 'detached' });
      const stats = await api<{ quality: { draftLinks: number } }>('/api/stats');
      expect(stats.quality.draftLinks).toBe(draftsBefore + 1);

      // A node with a link cannot be deleted by an editor: the confirmation says so and offers no delete.
      await page.getByTestId('link-panel-close').click();
      await page.getByTestId('node-delete').click();
      await page.getByTestId('delete-confirm').waitFor();
      // (Opened before the panel has the new count, the dialog follows when it arrives.)
      await expect.poll(() => page.getByTestId('delete-confirm').textContent()).toContain('Delete its links first');
      expect(await page.getByTestId('delete-submit').isDisabled()).toBe(true);
      await page.keyboard.press('Escape');
      // The panel's fresh details after the undo answer late (a busy server): they are held until the dialog is open.
      const panelRefresh = gate();
      // The context, not the page: the service worker makes these requests once it controls the page.
      await page.context().route(new RegExp(`/api/nodes/${NEW_ID}(/neighbours)?(\\?.*)?$`), async (route) => {
        await panelRefresh.opened;
        await route.fallback();
      });
      await page.getByTestId('edit-undo').click(); // the draft link goes
      await expect.poll(async () => (await api<{ quality: { draftLinks: number } }>('/api/stats')).quality.draftLinks).toBe(draftsBefore);
      await expect.poll(() => page.getByTestId('edit-status').textContent()).toContain('Undone');

      // Delete with confirmation; the node goes from the graph, and undo brings it back. Opened before the panel
      // knows the link is gone, the dialog follows once it does (it stayed blocked before).
      await page.getByTestId('node-delete').click();
      await page.getByTestId('delete-confirm').waitFor();
      expect(await page.getByTestId('delete-submit').isDisabled()).toBe(true);
      panelRefresh.open();
      await expect.poll(() => page.getByTestId('delete-submit').isDisabled(), { timeout: 15_000 }).toBe(false);
      await page.getByTestId('delete-submit').click();
      await expect.poll(() => isDrawn(NEW_ID), { timeout: 15_000 }).toBe(false);
      expect((await fetch(`${server!.url}/api/nodes/${NEW_ID}`)).status).toBe(404);
      await page.getByTestId('edit-undo').click();
      await expect.poll(async () => (await fetch(`${server!.url}/api/nodes/${NEW_ID}`)).status).toBe(200);
      await expect.poll(() => isDrawn(NEW_ID), { timeout: 15_000 }).toBe(true); // shown again

      const audit = await api<{ entries: { action: string; by: string }[] }>(`/api/audit?entity=node:${NEW_ID}`);
      expect(audit.entries.map((e) => e.action)).toEqual(['revert', 'delete_node', 'update_node', 'update_node', 'revert', 'update_node', 'create_node']);
      expect(new Set(audit.entries.map((e) => e.by))).toEqual(new Set(['sokha']));
      // The UI shows the same history, newest first.
      await page.getByTestId('node-history-tab').click();
      await expect
        .poll(() => page.locator('[data-testid="history-entry"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-action'))))
        .toEqual(audit.entries.map((e) => e.action));
      // The tabs follow the arrow keys (WAI-ARIA tabs).
      await page.getByTestId('node-history-tab').press('ArrowLeft');
      await expect.poll(() => page.locator('#node-tabs-details').getAttribute('aria-selected')).toBe('true');
      expect(await page.evaluate(() => (globalThis as unknown as TestGlobal).document.activeElement?.getAttribute('id'))).toBe('node-tabs-details');

      // Recent changes to the whole graph: everyone's (the seed load is the oldest), or mine only; a record opens.
      await page.getByTestId('edit-changes').click();
      const recent = page.getByTestId('recent-changes');
      await recent.waitFor();
      await recent.locator('[data-testid="history-entry"]').first().waitFor();
      await page.getByTestId('recent-who').selectOption('me');
      await expect
        .poll(() => recent.locator('[data-testid="history-entry"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-action'))))
        .toEqual(['revert', 'delete_node', 'revert', 'create_link', 'update_node', 'update_node', 'revert', 'update_node', 'revert', 'create_link', 'create_node']);
      expect(await recent.textContent()).not.toContain('seed');
      await page.screenshot({ path: artifact('edit-recent.png') });
      await recent.locator('[data-testid="history-record"]').filter({ hasText: 'Battambang Pilot Programme' }).first().click();
      await recent.waitFor({ state: 'detached' });
      await expect.poll(() => page.getByTestId('panel').getAttribute('data-node-id')).toBe(NEW_ID);

      // A second node with DAR's English name is refused, and the form offers to show the existing one.
      await page.getByTestId('edit-new-node').click();
      await page.locator('#node-form-name_en').fill('decentralisation and administrative reform  programme');
      await page.locator('#node-form-name_km').fill('កម្មវិធីថ្មី');
      await page.getByTestId('node-form-submit').click();
      await expect.poll(() => page.getByTestId('node-form-error').textContent()).toContain('already exists');
      await page.getByRole('button', { name: 'Show the existing one' }).click();
      await expect.poll(() => page.getByTestId('panel').getAttribute('data-node-id')).toBe('dar');

      // The form in Khmer: labels and hints are Khmer glyphs.
      await page.locator('[data-lang="km"]').click();
      await expect.poll(() => page.evaluate(() => (globalThis as unknown as TestGlobal).document.documentElement.lang)).toBe('km');
      await page.getByTestId('edit-new-node').click();
      await page.getByTestId('node-form').waitFor();
      await page.screenshot({ path: artifact('edit-node-form-km.png') });
      await page.keyboard.press('Escape');
      // The link panel and its history in Khmer.
      await page.locator('[data-testid="panel-link-details"]').first().click();
      await page.getByTestId('link-history-tab').click();
      await page.locator('[data-testid="history-entry"]').first().waitFor();
      await page.screenshot({ path: artifact('edit-history-km.png') });
      // The refused requests the browser logs are the stale save (412) and the duplicate name (409) caused above.
      expect(errors.filter((e) => !e.includes('status of 412') && !e.includes('status of 409'))).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'frames the fields in error in red, text inputs as well as lists and choices, the same in English and Khmer, and says what is wrong in each',
    async () => {
      const INVALID = 'rgb(180, 35, 24)'; // #b42318, the colour of the errors' text
      const LINE = 'rgb(196, 204, 213)'; // --line-strong
      /** Each field's frame and spacing in the open new-node form, after submitting it with no names and a bad date. */
      async function framesInError(lang: 'en' | 'km'): Promise<{ id: string; invalid: boolean; frame: string }[]> {
        await page.locator(`[data-lang="${lang}"]`).click();
        await expect.poll(() => page.evaluate(() => (globalThis as unknown as TestGlobal).document.documentElement.lang)).toBe(lang);
        await page.getByTestId('edit-new-node').click();
        const form = page.getByTestId('node-form');
        await form.waitFor();
        await page.getByTestId('node-form-label').selectOption('Programme');
        await page.locator('#node-form-start').fill('2026-1');
        await page.getByTestId('node-form-submit').click();
        await expect.poll(() => form.locator('[aria-invalid="true"]').evaluateAll((els) => els.map((el) => el.id))).toEqual(['node-form-name_en', 'node-form-name_km', 'node-form-start']);
        await page.screenshot({ path: artifact(`edit-form-invalid-${lang}.png`) });
        // What is wrong, said in the page's language (the schema's checks speak English).
        const said = await form.locator('p.error[id$="-error"]').allTextContents();
        expect(said).toHaveLength(3);
        // The date's error takes its hint's place (they said the same); a field not in error keeps its hint.
        expect(await form.locator('#node-form-start-hint').count()).toBe(0);
        expect(await form.locator('#node-form-end-hint').count()).toBe(1);
        for (const text of said) {
          expect(text).not.toMatch(/Invalid input|must be YYYY/);
          if (lang === 'km') expect(text).toMatch(/[\u1780-\u17FF]/);
          else expect(text).toMatch(/^(Fill this in|A year, a month or a day)/);
        }
        const frames = await form.locator('[data-field] :is(input:not([type="checkbox"]), select, textarea)').evaluateAll((els) =>
          els.map((el) => {
            const style = (globalThis as unknown as { getComputedStyle(el: unknown): Record<string, string> }).getComputedStyle(el);
            return {
              id: el.id,
              invalid: el.getAttribute('aria-invalid') === 'true',
              colour: style.borderTopColor,
              frame: ['borderTopColor', 'borderLeftColor', 'borderTopWidth', 'borderTopStyle', 'borderTopLeftRadius', 'paddingTop', 'paddingLeft', 'backgroundColor'].map((key) => style[key]).join(' '),
            };
          }),
        );
        await page.keyboard.press('Escape');
        await form.waitFor({ state: 'detached' });
        for (const field of frames) expect(`${field.id} ${field.colour}`).toBe(`${field.id} ${field.invalid ? INVALID : LINE}`);
        expect(frames.filter((field) => field.invalid).map((field) => field.id)).toEqual(['node-form-name_en', 'node-form-name_km', 'node-form-start']);
        expect(frames.some((field) => !field.invalid && field.id.startsWith('node-form-summary'))).toBe(true); // a text area too
        return frames.map(({ id, invalid, frame }) => ({ id, invalid, frame }));
      }
      const km = await framesInError('km');
      const en = await framesInError('en');
      expect(en).toEqual(km);
      expect(errors.filter((e) => !e.includes('status of 412') && !e.includes('status of 409'))).toEqual([]);
    },
    TIMEOUT,
  );
});
