import fs from 'node:fs';
import { EmbeddedStore } from '../../server/store/embedded/embedded.store.ts';
import { tempDir } from '../support/temp-dir.ts';
import { describeStoreContract } from './store-contract.ts';

describeStoreContract('the embedded store', async () => {
  const dir = tempDir('dar-kg-contract-');
  const store = await EmbeddedStore.open({ dataDir: dir });
  return {
    store,
    dispose: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});
