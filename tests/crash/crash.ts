/**
 * `npm run test:crash` (not part of `npm test`): CRASH_CYCLES (default 100) cycles of CRASH_WRITERS (default 20)
 * concurrent writers against the real server, SIGKILL at a random moment, restart. Every cycle the store must
 * load, every acknowledged write must be there, and the graph must equal its audit trail replayed (see
 * tests/support/write-crash.ts, shared with tests/durability/kill-during-writes.test.ts). Exits non-zero on the
 * first failure, with the seed (CRASH_SEED replays the kill delays).
 *
 *   CRASH_CYCLES=10 npm run test:crash
 */
import fs from 'node:fs';
import { tempDir } from '../support/temp-dir.ts';
import { runWriteCrashCycles } from '../support/write-crash.ts';

const cycles = Number(process.env.CRASH_CYCLES ?? 100);
const writers = Number(process.env.CRASH_WRITERS ?? 20);
const compactEvery = Number(process.env.CRASH_COMPACT_EVERY ?? 40);
const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
const killMin = Number(process.env.CRASH_KILL_MIN_MS ?? 50);
const killMax = Number(process.env.CRASH_KILL_MAX_MS ?? 1500);

const dataDir = tempDir('dar-kg-crash-');
const started = Date.now();
console.log(`crash: ${cycles} cycles of ${writers} writers, SIGKILL ${killMin}–${killMax} ms in, journal compacted every ${compactEvery} writes, seed ${seed}, DATA_DIR ${dataDir}`);

try {
  const totals = await runWriteCrashCycles({
    dataDir,
    cycles,
    writers,
    compactEvery,
    killAfterMs: [killMin, killMax],
    seed,
    // The whole audit trail is replayed every 10 cycles and at the end; in between, its new entries.
    fullAuditEvery: 10,
    log: (line) => console.log(`crash: ${line}`),
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.log(
    `\ncrash: PASS in ${seconds} s: ${totals.cycles} cycles, ${totals.restarts} restarts (the store loaded every time), ` +
      `${totals.acknowledged} writes acknowledged (${totals.nodes} nodes, ${totals.links} links, ${totals.updates} updates), ` +
      `${totals.inFlight} in flight at a kill, ${totals.checked} acknowledged-record checks after restarts, ${totals.auditEntries} audit entries replayed; all acknowledged writes found`,
  );
  fs.rmSync(dataDir, { recursive: true, force: true });
} catch (error) {
  console.error(`\ncrash: FAIL (seed ${seed}; DATA_DIR kept at ${dataDir}):`, error);
  process.exitCode = 1;
}
