/** The operations the benchmark times, the same on every store, and a timer that reports p50/p95. */
import { lineage } from '../../server/services/lineage.service.ts';
import type { GraphStore } from '../../server/store/graph-store.ts';
import { rng, type GeneratedGraph } from '../support/graph-generator.ts';

export interface Timing {
  op: string;
  runs: number;
  p50: number;
  p95: number;
  max: number;
  target?: number;
}

export async function time(op: string, runs: number, fn: (i: number) => Promise<unknown>, target?: number): Promise<Timing> {
  for (let i = 0; i < Math.min(20, runs); i++) await fn(i); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn(i);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { op, runs, p50: at(0.5), p95: at(0.95), max: samples.at(-1)!, target };
}

export const TARGETS = { search: 5, neighbours: 2, lineage: 2, paths: 20 } as const;

/** Queries as users type them: English words, Khmer words (substrings of names), acronyms, two-word phrases. */
export function benchQueries(graph: GeneratedGraph, random: () => number): string[] {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const sampleNames = Array.from({ length: 200 }, () => pick(graph.nodes));
  return sampleNames.map((n, i) => {
    const words = n.name_en.split(' ');
    switch (i % 4) {
      case 0: return words[0]!.slice(0, 6);
      case 1: return n.name_km.slice(0, 8);
      case 2: return `${words[0]} ${words[1] ?? ''}`.trim();
      default: return ('acronym' in n && n.acronym) || n.id;
    }
  });
}

export async function timeOperations(store: GraphStore, graph: GeneratedGraph, runs: number): Promise<Timing[]> {
  const random = rng(7);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const ids = graph.nodes.map((n) => n.id);
  const programmes = graph.nodes.filter((n) => n.label === 'Programme').map((n) => n.id);
  const queries = benchQueries(graph, random);
  const pairs = Array.from({ length: runs }, () => [pick(ids), pick(ids)] as const);
  const results: Timing[] = [];
  results.push(await time('search', runs, (i) => store.search({ q: queries[i % queries.length]!, limit: 10 }), TARGETS.search));
  results.push(await time('node', runs, async (i) => {
    const id = ids[(i * 7919) % ids.length]!;
    await store.getNode(id);
    await store.linkCounts(id);
  }));
  results.push(await time('neighbours', runs, (i) => store.neighbours(ids[(i * 104729) % ids.length]!, { direction: 'both', limit: 50 }), TARGETS.neighbours));
  results.push(await time('lineage', runs, (i) => lineage(store, programmes[(i * 31) % programmes.length]!, 'both', 10), TARGETS.lineage));
  results.push(await time('paths', runs, (i) => store.shortestPaths({ from: pairs[i]![0], to: pairs[i]![1], maxHops: 6, limit: 25 }), TARGETS.paths));
  results.push(await time('subgraph', runs, (i) => store.subgraph({ around: ids[(i * 15485863) % ids.length]!, depth: 1, limit: 500 })));
  return results;
}
