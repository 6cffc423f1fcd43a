/** An app on a freshly seeded embedded store, for supertest. */
import fs from 'node:fs';
import type { Express } from 'express';
import { createApp } from '../../server/app.ts';
import { EmbeddedStore } from '../../server/store/embedded/embedded.store.ts';
import type { GraphStore } from '../../server/store/graph-store.ts';
import { loadSeed } from './seed-fixture.ts';
import { tempDir } from './temp-dir.ts';

export interface AppFixture {
  app: Express;
  store: GraphStore;
  logs: string[];
  dispose(): Promise<void>;
}

export async function seededApp(openStore?: () => Promise<{ store: GraphStore; dispose(): Promise<void> }>): Promise<AppFixture> {
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
  const app = createApp({ store, config: { requestBodyLimit: '1mb' }, log: (l) => logs.push(l) });
  return { app, store, logs, dispose: disposeStore };
}
