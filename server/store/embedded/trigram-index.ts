/**
 * An in-memory substring index over each node's search key (server/search/search.ranking.ts). Trigrams are
 * hashed into a fixed number of buckets, and each bucket lists the node slots whose key has a trigram of that
 * hash: one compact Int32Array for everything indexed at build time, and small arrays for what writes add later.
 * A query term of three or more characters is looked up by its rarest bucket, and every candidate is verified
 * against its key, so hash collisions and stale entries (after a node changes) never give wrong results.
 *
 * At 100k nodes this holds about 9 million entries in ~40 MB, against ~250 MB for a Map of trigram strings to
 * arrays of numbers.
 */
import { keyMatches, type ParsedQuery } from '../../search/search.ranking.ts';
import { oneEditApart, typoWords } from '../../search/typos.ts';

const BUCKET_BITS = 18;
const BUCKETS = 1 << BUCKET_BITS;

function bucketOf(text: string, i: number): number {
  // FNV-1a over three UTF-16 code units, folded to BUCKET_BITS.
  let h = 0x811c9dc5;
  h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ text.charCodeAt(i + 1), 0x01000193);
  h = Math.imul(h ^ text.charCodeAt(i + 2), 0x01000193);
  return (h ^ (h >>> BUCKET_BITS)) & (BUCKETS - 1);
}

export class TrigramIndex {
  private readonly slotOf = new Map<string, number>();
  private readonly ids: string[] = [];
  private readonly keys: string[] = [];
  /** Built postings: bucket b holds entries[offsets[b] .. offsets[b + 1]). */
  private offsets = new Int32Array(BUCKETS + 1);
  private entries = new Int32Array(0);
  /** Postings added after the build, per bucket. */
  private readonly added = new Map<number, number[]>();
  private seen = new Int32Array(1024).fill(-1);
  private queryNo = 0;
  /** The words a typo may be corrected to (typos.ts), each with the number of keys holding it. */
  private readonly words = new Map<string, number>();

  /**
   * Indexes many nodes at once into the compact arrays (replacing what was built before, keeping later
   * additions). `entries` yields [id, key] pairs.
   */
  build(entries: Iterable<readonly [string, string]>): void {
    const slots: number[] = [];
    for (const [id, key] of entries) slots.push(this.slotFor(id, key));
    const counts = new Int32Array(BUCKETS + 1);
    this.eachBucketOnce(slots, (b) => counts[b + 1]!++);
    for (let b = 0; b < BUCKETS; b++) counts[b + 1]! += counts[b]!;
    const entriesOut = new Int32Array(counts[BUCKETS]!);
    const fill = counts.slice(0, BUCKETS);
    this.eachBucketOnce(slots, (b, slot) => (entriesOut[fill[b]!++] = slot));
    this.offsets = counts;
    this.entries = entriesOut;
  }

  /** Calls `visit` once for each trigram bucket of each slot's key (a bucket twice in one key counts once). */
  private eachBucketOnce(slots: readonly number[], visit: (bucket: number, slot: number) => void): void {
    const last = new Int32Array(BUCKETS).fill(-1);
    for (const slot of slots) {
      const key = this.keys[slot]!;
      for (let i = 0; i + 3 <= key.length; i++) {
        const b = bucketOf(key, i);
        if (last[b] !== slot) {
          last[b] = slot;
          visit(b, slot);
        }
      }
    }
  }

  /** Indexes or re-indexes one node (after a write). */
  set(id: string, key: string): void {
    const known = this.slotOf.get(id);
    if (known !== undefined && this.keys[known] === key) return;
    const slot = this.slotFor(id, key);
    let previous = -1;
    for (let i = 0; i + 3 <= key.length; i++) {
      const b = bucketOf(key, i);
      if (b === previous) continue;
      previous = b;
      let list = this.added.get(b);
      if (!list) this.added.set(b, (list = []));
      if (list[list.length - 1] !== slot) list.push(slot);
    }
  }

  delete(id: string): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return;
    this.countWords(this.keys[slot]!, -1);
    this.keys[slot] = '';
  }

  /**
   * Ids and keys of nodes holding a word one edit from one of `terms` (typos.ts): the words are found in the
   * vocabulary, then their nodes through the trigrams; stops after `max`.
   */
  typoCandidates(terms: readonly string[], max: number): { id: string; key: string }[] {
    const near: string[] = [];
    for (const word of this.words.keys()) if (terms.some((term) => oneEditApart(term, word))) near.push(word);
    const out: { id: string; key: string }[] = [];
    const found = new Set<string>();
    for (const word of near) {
      for (const hit of this.candidates({ phrase: word, terms: [word] }, max)) {
        if (found.has(hit.id)) continue;
        found.add(hit.id);
        out.push(hit);
        if (out.length >= max) return out;
      }
    }
    return out;
  }

  private countWords(key: string, by: 1 | -1): void {
    for (const word of typoWords(key)) {
      const count = (this.words.get(word) ?? 0) + by;
      if (count > 0) this.words.set(word, count);
      else this.words.delete(word);
    }
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
    let rarest = -1;
    let rarestSize = Infinity;
    for (const term of long) {
      for (let i = 0; i + 3 <= term.length; i++) {
        const b = bucketOf(term, i);
        const size = this.offsets[b + 1]! - this.offsets[b]! + (this.added.get(b)?.length ?? 0);
        if (size === 0) return out;
        if (size < rarestSize) {
          rarest = b;
          rarestSize = size;
        }
      }
    }
    if (this.seen.length < this.ids.length) {
      this.seen = new Int32Array(this.ids.length * 2).fill(-1);
      this.queryNo = 0;
    }
    const stamp = ++this.queryNo;
    const visit = (slot: number): boolean => {
      if (this.seen[slot] === stamp) return false;
      this.seen[slot] = stamp;
      const key = this.keys[slot]!;
      if (keyMatches(key, query)) out.push({ id: this.ids[slot]!, key });
      return out.length >= max;
    };
    for (let e = this.offsets[rarest]!; e < this.offsets[rarest + 1]!; e++) if (visit(this.entries[e]!)) return out;
    for (const slot of this.added.get(rarest) ?? []) if (visit(slot)) return out;
    return out;
  }

  private slotFor(id: string, key: string): number {
    let slot = this.slotOf.get(id);
    if (slot === undefined) {
      slot = this.ids.length;
      this.slotOf.set(id, slot);
      this.ids.push(id);
      this.keys.push(key);
    } else {
      this.countWords(this.keys[slot]!, -1);
      this.keys[slot] = key;
    }
    this.countWords(key, 1);
    return slot;
  }
}
