import fs from 'node:fs';
import { EmbeddedStore } from '../../server/store/embedded/embedded.store.ts';
import { tempDir } from '../support/temp-dir.ts';
import { describeStoreContract, type StoreHandle } from './store-contract.ts';

describeStoreContract('the embedded store', async () => {
  const dir = tempDir('dar-kg-contract-');
  const handle: StoreHandle = {
    store: await EmbeddedStore.open({ dataDir: dir }),
    dispose: async () => {
      await handle.store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
    reopen: async () => {
      await handle.store.close(); // compacts: the audit moves from the journal to audit.ndjson
      handle.store = await EmbeddedStore.open({ dataDir: dir });
    },
  };
  return handle;
});
