import { describe, expect, it } from 'vitest';
import type { GraphLink, GraphNode } from '../../../server/schema/graph.schema.ts';
import { AdjacencyGraph } from '../../../server/store/embedded/adjacency-graph.ts';

const topic = (id: string): GraphNode => ({ id, label: 'Topic', name_en: id, name_km: id, sources: [] });
const link = (id: string, from: string, to: string): GraphLink => ({ id, type: 'ABOUT', from, to, sources: ['https://x.org'] });

function graph() {
  const g = new AdjacencyGraph();
  for (const id of ['a', 'b', 'c']) g.putNode(topic(id));
  g.putLink(link('ab', 'a', 'b'));
  g.putLink(link('ac', 'a', 'c'));
  g.putLink(link('cb', 'c', 'b'));
  return g;
}

describe('AdjacencyGraph', () => {
  it('keeps out- and in-links per node', () => {
    const g = graph();
    expect(g.order).toBe(3);
    expect(g.size).toBe(3);
    expect(g.outLinks('a').map((l) => l.id)).toEqual(['ab', 'ac']);
    expect(g.inLinks('b').map((l) => l.id)).toEqual(['ab', 'cb']);
    expect(g.outLinks('nobody')).toEqual([]);
  });

  it('moves a link whose endpoints change, and replaces one whose do not', () => {
    const g = graph();
    g.putLink(link('ab', 'b', 'c'));
    expect(g.outLinks('a').map((l) => l.id)).toEqual(['ac']);
    expect(g.inLinks('b').map((l) => l.id)).toEqual(['cb']);
    expect(g.outLinks('b').map((l) => l.id)).toEqual(['ab']);
    expect(g.inLinks('c').map((l) => l.id)).toEqual(['ac', 'ab']);
    g.putLink({ ...link('ac', 'a', 'c'), role: 'x' });
    expect(g.outLinks('a')).toHaveLength(1);
    expect(g.getLink('ac')?.role).toBe('x');
    expect(g.size).toBe(3);
  });

  it('keeps links when a node record is replaced', () => {
    const g = graph();
    g.putNode({ ...topic('a'), name_en: 'renamed' });
    expect(g.getNode('a')?.name_en).toBe('renamed');
    expect(g.outLinks('a')).toHaveLength(2);
  });

  it('deletes a link from both ends, and a node with all its links', () => {
    const g = graph();
    g.deleteLink('ab');
    expect(g.inLinks('b').map((l) => l.id)).toEqual(['cb']);
    g.deleteNode('c');
    expect(g.hasNode('c')).toBe(false);
    expect(g.size).toBe(0);
    expect(g.outLinks('a')).toEqual([]);
    expect(g.inLinks('b')).toEqual([]);
  });

  it('refuses a link to a node that does not exist', () => {
    expect(() => graph().putLink(link('ax', 'a', 'x'))).toThrow(/does not exist/);
  });
});
