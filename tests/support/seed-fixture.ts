/** The real seed graph as the fixture of contract and API tests. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSeedDir, type SeedData } from '../../server/seed/seed-files.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SEED_DIR = path.join(ROOT, 'seed');

let cached: Promise<SeedData> | undefined;
export function loadSeed(): Promise<SeedData> {
  cached ??= readSeedDir(SEED_DIR);
  return cached;
}

export function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}
