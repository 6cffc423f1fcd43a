import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../../server/search/search.ranking.ts';
import { TrigramIndex } from '../../../server/store/embedded/trigram-index.ts';

const ids = (index: TrigramIndex, q: string, max = 100) => index.candidates(parseQuery(q), max).map((c) => c.id).sort();

describe('TrigramIndex', () => {
  it('finds substrings (Khmer inside a longer name too) from a packed build', () => {
    const index = new TrigramIndex();
    index.build([
      ['mcs', 'ministry of civil service\u0001ក្រសួងមុខងារសាធារណៈ'],
      ['moi', 'ministry of interior\u0001ក្រសួងមហាផ្ទៃ'],
      ['csn', 'civil society network'],
    ]);
    expect(ids(index, 'civil')).toEqual(['csn', 'mcs']);
    expect(ids(index, 'មុខងារសាធារណៈ')).toEqual(['mcs']);
    expect(ids(index, 'ministry interior')).toEqual(['moi']);
    expect(ids(index, 'zzz')).toEqual([]);
    expect(ids(index, 'of')).toEqual(['mcs', 'moi']); // short terms scan
  });

  it('indexes writes after the build, re-keys a changed node and forgets a deleted one', () => {
    const index = new TrigramIndex();
    index.build([['a', 'alpha beta']]);
    index.set('b', 'beta gamma');
    expect(ids(index, 'beta')).toEqual(['a', 'b']);
    index.set('a', 'delta');
    expect(ids(index, 'beta')).toEqual(['b']);
    expect(ids(index, 'delta')).toEqual(['a']);
    index.delete('b');
    expect(ids(index, 'gamma')).toEqual([]);
  });

  it('never returns a false match even with many keys sharing buckets, and stops at max', () => {
    const index = new TrigramIndex();
    const entries: [string, string][] = Array.from({ length: 5000 }, (_, i) => [`n${i}`, `name ${i.toString(36)} ${(i * 7919).toString(36)}`]);
    index.build(entries);
    for (const q of ['name 1z', 'abc', '7x']) {
      const terms = q.split(' ');
      const expected = entries.filter(([, key]) => terms.every((t) => key.includes(t))).map(([id]) => id).sort();
      expect(ids(index, q, 10_000)).toEqual(expected);
    }
    expect(index.candidates(parseQuery('name'), 10)).toHaveLength(10);
  });
});
