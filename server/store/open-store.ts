/** Chooses the store from the configuration: Neo4j when NEO4J_URI is set, else the embedded store. */
import type { Config } from '../config.ts';
import { NotSupported } from '../domain/errors.ts';
import { EmbeddedStore } from './embedded/embedded.store.ts';
import type { GraphStore } from './graph-store.ts';

export async function openStore(config: Config, log: (line: string) => void): Promise<GraphStore> {
  if (config.neo4j) {
    throw new NotSupported(
      `NEO4J_URI is set (${config.neo4j.uri}) but this build has no Neo4j store yet; unset NEO4J_URI to use the embedded store`,
    );
  }
  return EmbeddedStore.open({ dataDir: config.dataDir, log });
}
