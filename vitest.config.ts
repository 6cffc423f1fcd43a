import { defineConfig } from 'vitest/config';
import { e2eRequired, findChromium } from './tests/support/chromium.ts';

/** Files that start their own real Neo4j: one at a time (each is a JVM of ~400 MB and two cores are few). */
const NEO4J_FILES = ['tests/stores/neo4j.test.ts', 'tests/neo4j/**/*.test.ts', 'tests/neo4j-server/**/*.test.ts'];

/**
 * The end-to-end half needs a Chromium. Without one its files are left out, loudly; with REQUIRE_E2E=1 (as .ci/run
 * sets it) tests/e2e/chromium-requirement.test.ts then fails, so CI never passes without it.
 */
const chromiumLookup = findChromium();
const E2E_FILES = ['tests/e2e/**/*.e2e.test.ts'];
if (!chromiumLookup.path && !process.env.DAR_E2E_BANNER_SHOWN) {
  process.env.DAR_E2E_BANNER_SHOWN = '1'; // once per run, not once per project or worker
  const banner = `!!! end-to-end half SKIPPED: ${chromiumLookup.reason} !!!`;
  console.warn(`\n${'!'.repeat(banner.length)}\n${banner}${e2eRequired() ? ' (REQUIRE_E2E=1: this fails the run)' : ''}\n${'!'.repeat(banner.length)}\n`);
}

export default defineConfig({
  test: {
    exclude: ['**/node_modules/**', 'tests/neo4j-server/target/**'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 180_000,
    // expect.poll waits for something to become true (a page to show an answer): Vitest's 1 s default is shorter
    // than a busy machine's answer (API answers held 0-800 ms at random failed it); only a failing poll waits longer.
    expect: { poll: { timeout: 10_000 } },
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'main', setupFiles: ['tests/support/english-messages.setup.ts'], include: ['tests/**/*.test.ts'], exclude: ['**/node_modules/**', ...NEO4J_FILES, ...(chromiumLookup.path ? [] : E2E_FILES)] } },
      { extends: true, test: { name: 'neo4j', include: NEO4J_FILES, fileParallelism: false } },
    ],
  },
});
