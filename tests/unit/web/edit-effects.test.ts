import { describe, expect, it } from 'vitest';
import type { GraphLink, GraphNode } from '../../../server/schema/graph.schema.ts';
import { NO_EDITS, addEdit, effectOf, withEdits } from '../../../web/src/lib/edit/edit-effects.ts';
import { EMPTY_GRAPH, mergeRecords } from '../../../web/src/lib/graph/elements.ts';

const node = (id: string, name = id): GraphNode => ({ id, label: 'Programme', name_en: name, name_km: name, sources: [] });
const link = (id: string, from: string, to: string): GraphLink => ({ id, type: 'SUCCEEDS', from, to, sources: ['https://example.org'] });

const graph = mergeRecords(EMPTY_GRAPH, [node('a'), node('b'), node('c')], [link('ab', 'a', 'b'), link('bc', 'b', 'c')]).graph;

describe('the edit overlay of the explorer', () => {
  it('leaves a graph alone when nothing was edited', () => {
    expect(withEdits(graph, NO_EDITS)).toBe(graph);
  });

  it('adds a new link between drawn nodes, and not one whose end is not drawn', () => {
    const edits = addEdit(NO_EDITS, { links: [link('ac', 'a', 'c'), link('ax', 'a', 'x')] });
    const shown = withEdits(graph, edits);
    expect([...shown.links.keys()].sort()).toEqual(['ab', 'ac', 'bc']);
    expect([...shown.nodes.keys()].sort()).toEqual(['a', 'b', 'c']); // the overlay never brings a node by itself
  });

  it('replaces changed records and drops deleted ones with their links', () => {
    const edits = addEdit(NO_EDITS, { nodes: [node('a', 'A renamed')], removedNodes: ['c'] });
    const shown = withEdits(graph, edits);
    expect(shown.nodes.get('a')?.name_en).toBe('A renamed');
    expect(shown.nodes.has('c')).toBe(false);
    expect([...shown.links.keys()]).toEqual(['ab']);
  });

  it('forgets a deletion when the record comes back (an undo)', () => {
    const deleted = addEdit(NO_EDITS, { removedLinks: ['ab'] });
    expect(withEdits(graph, deleted).links.has('ab')).toBe(false);
    const restored = addEdit(deleted, { links: [link('ab', 'a', 'b')] });
    expect(withEdits(graph, restored).links.has('ab')).toBe(true);
  });

  it('reads what an audit entry did: records after it, and those it deleted', () => {
    const effect = effectOf({
      changes: [
        { entity: 'node', id: 'a', before: node('a'), after: node('a', 'A2') },
        { entity: 'node', id: 'c', before: node('c'), after: null },
        { entity: 'link', id: 'bc', before: link('bc', 'b', 'c'), after: null },
        { entity: 'link', id: 'ab', before: null, after: link('ab', 'a', 'b') },
      ],
    });
    expect(effect).toEqual({ nodes: [node('a', 'A2')], links: [link('ab', 'a', 'b')], removedNodes: ['c'], removedLinks: ['bc'] });
  });
});
