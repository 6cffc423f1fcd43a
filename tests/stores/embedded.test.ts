/**
 * The shared suites on the embedded store: the same list, in the same order, as tests/stores/neo4j.test.ts runs on
 * a real Neo4j. A suite is a `describe…(storeName, open)` in a *.suite.ts file; a new one is added to both files.
 */
import fs from 'node:fs';
import { describeApiCore } from '../api/api-core.suite.ts';
import { describeEditingApi } from '../api/editing.suite.ts';
import { describeInputRules } from '../api/input-rules.suite.ts';
import { describeLineageLandscape } from '../api/lineage-landscape.suite.ts';
import { describeReconciliation } from '../api/reconcile.suite.ts';
import { describeResearchApi } from '../api/research.suite.ts';
import { describeVersionsApi } from '../api/versions.suite.ts';
import { describeCompareApi } from '../api/compare.suite.ts';
import { describeStoriesApi } from '../api/stories.suite.ts';
import { describeStoreContract, type StoreHandle } from '../contract/store-contract.suite.ts';
import { describeHeavyReadLimits } from '../heavy-reads/heavy-read-limits.suite.ts';
import { describeInjection } from '../security/injection.suite.ts';
import { EmbeddedStore } from '../../server/store/embedded/embedded.store.ts';
import { tempDir } from '../support/temp-dir.ts';

const STORE = 'the embedded store';

/** An empty embedded store in a folder of its own; `reopen` closes it (which compacts) and opens the folder again. */
async function openEmpty(): Promise<StoreHandle> {
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
}

describeStoreContract(STORE, openEmpty);

// The API suites open their own seeded embedded store when given no opener (tests/support/app-fixture.ts).
describeApiCore(STORE);

describeResearchApi(STORE);

describeLineageLandscape(STORE);

describeVersionsApi(STORE);

describeCompareApi(STORE);

describeEditingApi(STORE);

describeStoriesApi(STORE);

describeInputRules(STORE);

describeInjection(STORE);

describeHeavyReadLimits(STORE);

describeReconciliation(STORE);
