/** Chooses the store from the configuration: Neo4j when NEO4J_URI is set, else the embedded store. */
import type { Config } from '../config.ts';
import { EmbeddedStore } from './embedded/embedded.store.ts';
import type { GraphStore } from './graph-store.ts';

export async function openStore(config: Config, log: (line: string) => void): Promise<GraphStore> {
  if (config.neo4j) {
    // Loaded only when used, so the embedded default never loads the driver.
    const { Neo4jStore } = await import('./neo4j/neo4j.store.ts');
    return Neo4jStore.connect({ ...config.neo4j, readTimeoutMs: config.reads.timeoutMs }, log);
  }
  return EmbeddedStore.open({ dataDir: config.dataDir, compactEntries: config.journalCompactEntries, log });
}
