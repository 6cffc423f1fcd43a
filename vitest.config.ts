import { defineConfig } from 'vitest/config';

/** Files that start their own real Neo4j: one at a time (each is a JVM of ~400 MB and two cores are few). */
const NEO4J_FILES = ['tests/neo4j/**/*.test.ts', 'tests/neo4j-server/**/*.test.ts'];

export default defineConfig({
  test: {
    exclude: ['**/node_modules/**', 'tests/neo4j-server/target/**'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 180_000,
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'main', include: ['tests/**/*.test.ts'], exclude: ['**/node_modules/**', ...NEO4J_FILES] } },
      { extends: true, test: { name: 'neo4j', include: NEO4J_FILES, fileParallelism: false } },
    ],
  },
});
