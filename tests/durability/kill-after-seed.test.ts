/**
 * Durability of the embedded store as users run it: the server seeds an empty DATA_DIR, is killed with SIGKILL
 * right after it acknowledged the seed (its listening line comes after the seed write returned), and restarts
 * with the graph intact. One process owns a DATA_DIR: a second one says so and exits.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countBy, loadSeed } from '../support/seed-fixture.ts';
import { spawnServer, startServer, type ServerProcess } from '../support/server-process.ts';
import { tempDir } from '../support/temp-dir.ts';

const started: ServerProcess[] = [];
afterAll(async () => {
  for (const s of started) await s.kill('SIGKILL');
});

async function stats(url: string) {
  const res = await fetch(`${url}/api/stats`);
  expect(res.status).toBe(200);
  return (await res.json()) as { nodes: Record<string, number>; links: Record<string, number> };
}

describe('the server on the embedded store', () => {
  it('keeps the seed after SIGKILL right after it was acknowledged', async () => {
    const dataDir = tempDir('dar-kg-kill-');
    const first = await startServer({ DATA_DIR: dataDir });
    started.push(first);
    expect(first.output()).toMatch(/seeded an empty embedded store/);
    await first.kill('SIGKILL');
    expect(fs.readFileSync(`${dataDir}/lock`, 'utf8').trim()).toMatch(/^\d+$/); // left behind by the kill

    const second = await startServer({ DATA_DIR: dataDir });
    started.push(second);
    expect(second.output()).not.toMatch(/seeded/);
    const seed = await loadSeed();
    const body = await stats(second.url);
    expect(body.nodes).toMatchObject(countBy(seed.nodes, (n) => n.label));
    expect(body.links).toMatchObject(countBy(seed.links, (l) => l.type));

    // A second process on the same DATA_DIR says so and exits non-zero.
    const intruder = spawnServer({ DATA_DIR: dataDir });
    expect(await intruder.exited).not.toBe(0);
    expect(intruder.output()).toMatch(new RegExp(`in use by process ${second.child.pid}`));

    // A clean stop compacts and releases the lock; the next start loads the snapshot.
    expect(await second.kill('SIGTERM')).toBe(0);
    expect(fs.existsSync(`${dataDir}/lock`)).toBe(false);
    expect(fs.existsSync(`${dataDir}/graph.snapshot.json`)).toBe(true);
    const third = await startServer({ DATA_DIR: dataDir });
    started.push(third);
    expect((await stats(third.url)).nodes).toMatchObject(countBy(seed.nodes, (n) => n.label));
  }, 120_000);

  it('exits non-zero with the bad variable named when the configuration is wrong', async () => {
    const bad = spawnServer({ DATA_DIR: tempDir(), PORT: 'eighty' });
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toMatch(/PORT/);
  });

  it("reads settings from ENV_FILE (a dotenv file such as Aura's credentials), the environment winning over it", async () => {
    const dir = tempDir();
    const file = path.join(dir, 'settings.env');
    fs.writeFileSync(file, 'PORT=eighty\nJOURNAL_COMPACT_ENTRIES=many\n');
    // PORT is in the environment (spawnServer sets 0), so only the file's JOURNAL_COMPACT_ENTRIES is wrong.
    const bad = spawnServer({ DATA_DIR: path.join(dir, 'data'), ENV_FILE: file });
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toMatch(/JOURNAL_COMPACT_ENTRIES/);
    expect(bad.output()).not.toMatch(/PORT/);
  });
});
