/**
 * Durability of the write API under concurrency, on the real server (embedded store): 20 writers create nodes and
 * links (and change some) over HTTP at once; the server is killed with SIGKILL at a random moment; after a restart
 * every write that got a 2xx is there as acknowledged, nothing is half-applied (no link without its nodes, no
 * record without its audit entry, no audit entry without its data: replaying the audit trail gives exactly the
 * graph), and writes in flight at the kill are either wholly there or wholly absent. Several cycles, with the
 * journal compacted every few writes so that kills also land in compactions (audit archive append, snapshot
 * rename). Prints how many writes were acknowledged and checked. The cycles live in tests/support/write-crash.ts;
 * `npm run test:crash` runs a hundred of them.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.ts';
import { runWriteCrashCycles } from '../support/write-crash.ts';

const WRITERS = 20;
const CYCLES = 3;
const COMPACT_EVERY = 40;

describe('the server under concurrent writes', () => {
  it(`keeps every acknowledged write and nothing half-applied across ${CYCLES} SIGKILLs during ${WRITERS} concurrent writers`, async () => {
    const dataDir = tempDir('dar-kg-kill-writes-');
    const seed = Date.now() % 1_000_000;
    const totals = await runWriteCrashCycles({
      dataDir,
      cycles: CYCLES,
      writers: WRITERS,
      compactEvery: COMPACT_EVERY,
      killAfterMs: [300, 1500],
      seed,
      minAcknowledgedPerCycle: WRITERS,
      log: (line) => console.log(`kill-during-writes: ${line}`),
    });
    expect(totals.cycles).toBe(CYCLES);
    expect(totals.acknowledged).toBeGreaterThan(CYCLES * WRITERS);
    console.log(
      `kill-during-writes: ${totals.cycles} cycles, ${totals.acknowledged} writes acknowledged (${totals.nodes} nodes, ${totals.links} links, ${totals.updates} updates), ` +
        `${totals.inFlight} in flight at a kill, ${totals.checked} record checks after restarts, all acknowledged writes found`,
    );
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 240_000);
});
