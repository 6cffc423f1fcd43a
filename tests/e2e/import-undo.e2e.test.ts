/**
 * End to end, in Debian's Chromium: an import is one of my edits. Applied from the import dialog it goes on the
 * edit bar's undo stack; undone from the dialog, it goes through the editing state like any revert — the import
 * leaves the stack, the revert takes its place (and can itself be undone), and the edit bar says so.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerProcess } from '../support/server-process.ts';
import { type ExplorerSession, type TestGlobal, signIn, startExplorerSession, waitForGraph } from './e2e-support.ts';

const TIMEOUT = 180_000;
const TOKEN = 'undo-editor-token-0123456789abcdef';
const HEADER = 'id,name_en,name_km,acronym,kind,identifiers,start,end,status,iati_identifier,summary_en,summary_km,url,sources';
const ROW = 'undo-pilot-programme,Undo Pilot Programme,កម្មវិធីសាកល្បង,,,,2024,,active,,,,,https://example.org/undo-pilot';

let server: ServerProcess | undefined;
let page: Page;
let errors: string[] = [];
let session: ExplorerSession | undefined;
let dir = '';

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dar-kg-import-undo-'));
  fs.writeFileSync(path.join(dir, 'programmes.csv'), `${HEADER}\n${ROW}\n`);
  session = await startExplorerSession({ name: 'import-undo', env: { EDITOR_TOKENS: `ui:${TOKEN}` } });
  ({ server, page } = session);
  errors = session.errors;
}, TIMEOUT);

afterAll(async () => {
  await session?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}, TIMEOUT);

/** My edits as the editing state keeps them (sessionStorage): their audit ids and what they did. */
async function myEdits(): Promise<{ audit: string; what: { key: string } }[]> {
  return page.evaluate(() => JSON.parse((globalThis as unknown as TestGlobal & { sessionStorage: { getItem(key: string): string | null } }).sessionStorage.getItem('dar-kg.my-edits') ?? '[]'));
}

describe('undoing an import', () => {
  it('goes through the undo stack of edit mode', async () => {
    await page.goto(server!.url);
    await waitForGraph(page);
    await signIn(page, TOKEN, 'ui');
    await page.getByTestId('edit-mode').click();
    await page.getByTestId('edit-bar').waitFor();
    const undo = page.getByTestId('edit-undo');
    expect(await undo.isDisabled()).toBe(true);

    // Applied: the import is my last edit, offered for undo by the edit bar.
    const dialog = page.getByTestId('import-dialog');
    await page.getByTestId('import-open').click();
    await page.getByTestId('import-file').setInputFiles(path.join(dir, 'programmes.csv'));
    await expect.poll(() => page.getByTestId('import-plan').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByTestId('plan-created').textContent()).toBe('1');
    await page.getByTestId('import-apply').click();
    await expect.poll(() => page.getByTestId('import-done').count(), { timeout: 60_000 }).toBe(1);
    const edits = await myEdits();
    expect(edits.map((e) => e.what.key)).toEqual(['import.done']);
    const importAudit = edits[0]!.audit;
    expect(await undo.isDisabled()).toBe(false);
    expect(await undo.getAttribute('title')).toContain('Imported: 1 created');
    expect(await page.getByTestId('edit-status').textContent()).toContain('Imported: 1 created');

    // Undone from the dialog: a revert of mine, the import no longer on the stack.
    await page.getByTestId('import-undo').click();
    await expect.poll(() => page.getByTestId('import-undone').count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('edit-status').textContent(), { timeout: 10_000 }).toContain('The change was reverted.');
    const after = await myEdits();
    expect(after.map((e) => e.what.key)).toEqual(['edit.reverted']);
    expect(after[0]!.audit).not.toBe(importAudit);
    expect(await undo.isDisabled()).toBe(false);
    expect(await dialog.getAttribute('data-open')).toBe('true');
    expect(errors).toEqual([]);
  }, TIMEOUT);
});
