/**
 * An in-memory substring index over each node's search key (server/search/search.ranking.ts): trigram → node
 * slots. A query term of three or more characters is looked up by its rarest trigram, and candidates are
 * verified against the key, so stale postings (after a node changes) never give wrong results.
 */
import { keyMatches, type ParsedQuery } from '../../search/search.ranking.ts';

export class TrigramIndex {
  private readonly slotOf = new Map<string, number>();
  private readonly ids: string[] = [];
  private readonly keys: string[] = [];
  private readonly postings = new Map<string, number[]>();
  private seen = new Uint32Array(1024);
  private queryNo = 0;

  set(id: string, key: string): void {
    let slot = this.slotOf.get(id);
    if (slot === undefined) {
      slot = this.ids.length;
      this.slotOf.set(id, slot);
      this.ids.push(id);
      this.keys.push(key);
    } else {
      if (this.keys[slot] === key) return;
      this.keys[slot] = key;
    }
    for (const gram of new Set(trigrams(key))) {
      let list = this.postings.get(gram);
      if (!list) this.postings.set(gram, (list = []));
      if (list[list.length - 1] !== slot) list.push(slot);
    }
  }

  delete(id: string): void {
    const slot = this.slotOf.get(id);
    if (slot !== undefined) this.keys[slot] = '';
  }

  /** Ids and keys of nodes whose key contains every term, in index order; stops after `max`. */
  candidates(query: ParsedQuery, max: number): { id: string; key: string }[] {
    const out: { id: string; key: string }[] = [];
    const long = query.terms.filter((t) => t.length >= 3);
    if (long.length === 0) {
      // Only one- and two-character terms: scan.
      for (let slot = 0; slot < this.keys.length && out.length < max; slot++) {
        if (keyMatches(this.keys[slot]!, query)) out.push({ id: this.ids[slot]!, key: this.keys[slot]! });
      }
      return out;
    }
    let rarest: number[] | undefined;
    for (const term of long) {
      for (const gram of trigrams(term)) {
        const list = this.postings.get(gram);
        if (!list) return out;
        if (!rarest || list.length < rarest.length) rarest = list;
      }
    }
    if (this.seen.length < this.ids.length) this.seen = new Uint32Array(this.ids.length * 2);
    const stamp = ++this.queryNo;
    for (const slot of rarest!) {
      if (this.seen[slot] === stamp) continue;
      this.seen[slot] = stamp;
      if (keyMatches(this.keys[slot]!, query)) {
        out.push({ id: this.ids[slot]!, key: this.keys[slot]! });
        if (out.length >= max) break;
      }
    }
    return out;
  }
}

function* trigrams(text: string): Generator<string> {
  for (let i = 0; i + 3 <= text.length; i++) yield text.slice(i, i + 3);
}
