/**
 * The embedded store's index of name keys (server/schema/name-key.ts): which nodes of a label have a name of a
 * given key, for the duplicate check. Kept beside the search index: filled in the background after open, then
 * updated by every write.
 */
import type { GraphNode } from '../../schema/graph.schema.ts';
import { nameKeys } from '../change-plan.ts';

const entry = (label: string, key: string) => `${label}\u0001${key}`;

export class NameKeyIndex {
  private readonly ids = new Map<string, Set<string>>();
  private readonly entriesOf = new Map<string, string[]>();

  /** Indexes `node` under the keys of its names (replacing what it had). */
  set(node: GraphNode): void {
    this.delete(node.id);
    const entries = [...new Set(nameKeys(node).map((k) => entry(node.label, k.value)))];
    for (const e of entries) {
      let set = this.ids.get(e);
      if (!set) this.ids.set(e, (set = new Set()));
      set.add(node.id);
    }
    if (entries.length > 0) this.entriesOf.set(node.id, entries);
  }

  delete(id: string): void {
    for (const e of this.entriesOf.get(id) ?? []) {
      const set = this.ids.get(e);
      set?.delete(id);
      if (set?.size === 0) this.ids.delete(e);
    }
    this.entriesOf.delete(id);
  }

  /** Ids of the nodes of `label` with a name of this key. */
  find(label: string, key: string): string[] {
    return [...(this.ids.get(entry(label, key)) ?? [])];
  }
}
