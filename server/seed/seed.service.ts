/** Loads the seed folder into a store: validated first, then one idempotent write. */
import type { ChangeOptions, GraphStore, WriteResult } from '../store/graph-store.ts';
import { readSeedDir } from './seed-files.ts';

export const SEED_ACTOR = { name: 'seed' } as const;

export async function seedStore(
  store: GraphStore,
  seedDir: string,
  onProgress?: ChangeOptions['onProgress'],
): Promise<WriteResult & { nodes: number; links: number }> {
  const data = await readSeedDir(seedDir);
  const result = await store.upsert(data, SEED_ACTOR, onProgress ? { onProgress } : {});
  return { ...result, nodes: data.nodes.length, links: data.links.length };
}
