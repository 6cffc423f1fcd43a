/** An app on a freshly seeded embedded store (or the given store), for supertest. */
import fs from 'node:fs';
import type { Express } from 'express';
import { expect } from 'vitest';
import { createApp } from '../../server/app.ts';
import { EditorDirectory } from '../../server/auth/editors.ts';
import { DEFAULT_AUTH, type AuthConfig } from '../../server/config.ts';
import { EmbeddedStore } from '../../server/store/embedded/embedded.store.ts';
import type { GraphStore } from '../../server/store/graph-store.ts';
import { loadSeed } from './seed-fixture.ts';
import { tempDir } from './temp-dir.ts';

/** Editors of the API tests: EDITOR_TOKENS as the server would read it. */
export const TEST_EDITORS = {
  alice: 'alice-token-0123456789abcdef',
  bob: 'bob-token-0123456789abcdef',
  root: 'root-token-0123456789abcdef',
} as const;
export const TEST_EDITOR_TOKENS = `alice:${TEST_EDITORS.alice},bob:${TEST_EDITORS.bob},root:${TEST_EDITORS.root}:admin`;

/** The Authorization header of a test editor, for supertest's `.set(…)`. */
export const bearer = (name: keyof typeof TEST_EDITORS) => ({ Authorization: `Bearer ${TEST_EDITORS[name]}` });
/** Editors alice and bob, and root, the admin. */
export const alice = bearer('alice');
export const bob = bearer('bob');
export const root = bearer('root');

/** Asserts an error answer of the API: the status, JSON, the code, and a message (matching `mention` when given). */
export function expectError(res: { status: number; headers: Record<string, string>; body: any }, status: number, code: string, mention?: RegExp): void {
  expect(res.status, JSON.stringify(res.body).slice(0, 1000)).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe('string');
  if (mention) expect(res.body.error.message).toMatch(mention);
}

export interface AppFixture {
  app: Express;
  store: GraphStore;
  logs: string[];
  dispose(): Promise<void>;
}

export interface AppFixtureOptions {
  /** Auth settings over the defaults; the editors are TEST_EDITOR_TOKENS. */
  auth?: Partial<AuthConfig>;
  trustProxy?: boolean | number | string;
  importMaxBytes?: number;
}

export async function seededApp(
  openStore?: () => Promise<{ store: GraphStore; dispose(): Promise<void> }>,
  options: AppFixtureOptions = {},
): Promise<AppFixture> {
  let store: GraphStore;
  let disposeStore: () => Promise<void>;
  if (openStore) {
    const handle = await openStore();
    store = handle.store;
    disposeStore = () => handle.dispose();
  } else {
    const dir = tempDir('dar-kg-api-');
    const embedded = await EmbeddedStore.open({ dataDir: dir });
    store = embedded;
    disposeStore = async () => {
      await embedded.close();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }
  await store.upsert(await loadSeed(), { name: 'seed' });
  const logs: string[] = [];
  const app = createApp({
    store,
    config: { requestBodyLimit: '1mb', auth: { ...DEFAULT_AUTH, ...options.auth }, ...(options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {}), ...(options.importMaxBytes !== undefined ? { importMaxBytes: options.importMaxBytes } : {}) },
    editors: EditorDirectory.fromEnv(TEST_EDITOR_TOKENS),
    log: (l) => logs.push(l),
  });
  return { app, store, logs, dispose: disposeStore };
}
