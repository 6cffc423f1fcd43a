/**
 * The worker threads of heavy reads: a task runs in a worker and answers what the same code answers in this
 * thread; a task whose deadline passes while it runs ends its worker (terminate stops even a running
 * betweenness), and the next task gets a fresh worker.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { centralityScores, type CompactGraph } from '../../server/services/heavy-reads/heavy-read.tasks.ts';
import { HeavyReadWorkers } from '../../server/services/heavy-reads/worker-pool.ts';
import { generateDomainGraph } from '../support/graph-generator.ts';

function compact(nodes: number, links: number): CompactGraph {
  const graph = generateDomainGraph({ nodes, links, seed: 3 });
  const index = new Map(graph.nodes.map((n, i) => [n.id, i]));
  return {
    ids: graph.nodes.map((n) => n.id),
    from: Int32Array.from(graph.links, (l) => index.get(l.from)!),
    to: Int32Array.from(graph.links, (l) => index.get(l.to)!),
  };
}

const pool = new HeavyReadWorkers(1);
afterAll(() => pool.close());

describe('heavy-read worker threads', () => {
  it('computes betweenness in a worker as this thread does', async () => {
    const small = compact(300, 900);
    const expected = centralityScores('betweenness', small);
    const result = await pool.run({ kind: 'centrality', measure: 'betweenness', graph: compact(300, 900) }, new AbortController().signal);
    expect(result.kind).toBe('centrality');
    if (result.kind !== 'centrality') return;
    expect([...result.scores]).toEqual([...expected.scores]);
    expect([...result.degrees]).toEqual([...expected.degrees]);
    expect(result.links).toBe(expected.links);
  }, 120_000);

  it('ends the worker of a running task when its signal aborts, and starts a fresh one for the next', async () => {
    const controller = new AbortController();
    const reason = new Error('deadline');
    // Betweenness on 3,000 nodes / 20,000 links: seconds of work, aborted as soon as it is seen running.
    const running = pool.run({ kind: 'centrality', measure: 'betweenness', graph: compact(3000, 20_000) }, controller.signal);
    while (pool.workers.busy === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(pool.workers).toEqual({ alive: 1, busy: 1 });
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(pool.workers).toEqual({ alive: 0, busy: 0 });

    const next = await pool.run({ kind: 'centrality', measure: 'degree', graph: compact(50, 100) }, new AbortController().signal);
    expect(next.kind).toBe('centrality');
    expect(pool.workers).toEqual({ alive: 1, busy: 0 });
  }, 120_000);
});
