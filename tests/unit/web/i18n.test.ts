import { beforeAll, describe, expect, it } from 'vitest';
import { LANGS, hasMessages, isMessageKey, loadMessages, translate } from '../../../web/src/lib/i18n.ts';
import { EN } from '../../../web/src/lib/i18n-en.ts';
import { KM } from '../../../web/src/lib/i18n-km.ts';

const MESSAGES = { en: EN, km: KM };

/** The parameters a message uses: `{name}` and the counts of `{n, plural, …}` (each once). */
const placeholders = (text: string) => [...new Set([...text.matchAll(/\{(\w+)(?:\}|, ?plural,)/g)].map((m) => m[1]))].sort();

/** Parameters that hold a count (a number of things), as the explorer passes them. */
const COUNTS = new Set(['n', 'nodes', 'links', 'hops', 'total', 'shown', 'created', 'updated', 'unchanged']);

/** `{n, plural, one {…} other {…}}` constructs of a message: the count's name and the categories it covers. */
function pluralForms(text: string): { name: string; categories: string[] }[] {
  const forms: { name: string; categories: string[] }[] = [];
  for (const match of text.matchAll(/\{(\w+), ?plural,/g)) {
    const categories: string[] = [];
    let i = match.index + match[0].length;
    for (;;) {
      const branch = /^\s*(zero|one|two|few|many|other|=\d+)\s*\{/.exec(text.slice(i));
      if (!branch) break;
      categories.push(branch[1]!);
      i += branch[0].length;
      for (let depth = 1; depth > 0 && i < text.length; i++) depth += text[i] === '{' ? 1 : text[i] === '}' ? -1 : 0;
    }
    forms.push({ name: match[1]!, categories });
  }
  return forms;
}

describe('web i18n', () => {
  // Khmer's messages are a chunk of their own (i18n-km.ts), loaded on demand: what translate gave before that.
  let before: { loaded: boolean; title: string };
  beforeAll(async () => {
    before = { loaded: hasMessages('km'), title: translate('km', 'app.title') };
    await loadMessages('km');
  });

  it('loads Khmer on demand, English until then', async () => {
    expect(before).toEqual({ loaded: false, title: EN['app.title'] });
    expect(hasMessages('km')).toBe(true);
    expect(translate('km', 'app.title')).toBe(KM['app.title']);
    expect(await loadMessages('km')).toBe(KM);
    // English is a chunk of its own too (loaded before each file by tests/support/english-messages.setup.ts).
    expect(hasMessages('en')).toBe(true);
    expect(await loadMessages('en')).toBe(EN);
  });

  const allKeys = [...new Set(LANGS.flatMap((lang) => Object.keys(MESSAGES[lang])))].sort();

  it('has both languages', () => {
    expect(LANGS).toEqual(['en', 'km']);
    expect(allKeys.length).toBeGreaterThan(20);
  });

  for (const lang of LANGS) {
    it(`has every key in ${lang}, none empty`, () => {
      const messages: Readonly<Record<string, string | undefined>> = MESSAGES[lang];
      const missing = allKeys.filter((key) => !Object.hasOwn(messages, key));
      expect(missing, `keys missing in ${lang}`).toEqual([]);
      const empty = allKeys.filter((key) => typeof messages[key] !== 'string' || messages[key]?.trim() === '');
      expect(empty, `empty values in ${lang}`).toEqual([]);
    });
  }

  it('uses the same {placeholders} in both languages', () => {
    const mismatched = allKeys.filter((key) => {
      const en: Readonly<Record<string, string | undefined>> = MESSAGES.en;
      const km: Readonly<Record<string, string | undefined>> = MESSAGES.km;
      return placeholders(en[key] ?? '').join() !== placeholders(km[key] ?? '').join();
    });
    expect(mismatched).toEqual([]);
  });

  it('writes Khmer UI strings in Khmer script (except names of the languages and symbols)', () => {
    const khmer = /[\u1780-\u17FF]/;
    const exempt = new Set(['lang.en', 'panel.outgoing', 'panel.incoming', 'menu.out', 'menu.in']);
    const latinOnly = allKeys.filter((key) => !exempt.has(key) && !khmer.test(MESSAGES.km[key as keyof typeof MESSAGES.km]));
    expect(latinOnly).toEqual([]);
  });

  it('gives every English count of things its plural forms ("1 link", not "1 links")', () => {
    // A bare count followed (within two words) by an English plural noun: "{n} links", "{n} shortest paths".
    const bare = new RegExp(`\\{(${[...COUNTS].join('|')})\\}((?: [a-z]+){1,2})`, 'g');
    const withoutForms = Object.entries(MESSAGES.en)
      .filter(([, text]) => [...text.matchAll(bare)].some((m) => m[2]!.trim().split(' ').some((word) => /s$/.test(word))))
      .map(([key]) => key);
    expect(withoutForms).toEqual([]);
  });

  for (const lang of LANGS) {
    it(`writes each plural of ${lang} with all of its categories (Intl.PluralRules)`, () => {
      const needed = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
      const incomplete = Object.entries(MESSAGES[lang]).filter(([, text]) =>
        pluralForms(text).some((form) => !COUNTS.has(form.name) || needed.some((category) => !form.categories.includes(category))),
      );
      expect(incomplete.map(([key]) => key)).toEqual([]);
    });
  }

  it('picks the plural form by count in both languages', () => {
    expect(translate('en', 'graph.status', { nodes: 1, links: 1 })).toBe('1 node · 1 link');
    expect(translate('en', 'graph.status', { nodes: 0, links: 2 })).toBe('0 nodes · 2 links');
    expect(translate('en', 'graph.added', { n: 1, name: 'DAR' })).toBe('Added 1 node around DAR');
    expect(translate('en', 'path.found', { n: 1, hops: 1 })).toBe('1 shortest path of 1 link');
    expect(translate('en', 'path.found', { n: 3, hops: 2 })).toBe('3 shortest paths of 2 links');
    expect(translate('en', 'filter.everything', { n: '2,000' })).toBe('Show the whole graph (up to 2,000 nodes)');
    expect(translate('en', 'panel.shownOf', { shown: 0, total: 1 })).toBe('0 of 1 link is shown in the graph.');
    expect(translate('km', 'graph.status', { nodes: 1, links: 1 })).toBe('ថ្នាំង 1 · តំណ 1');
    expect(translate('km', 'path.found', { n: 1, hops: 1 })).toBe('ផ្លូវខ្លីបំផុត 1 ដែលមានតំណ 1');
  });

  it('fills placeholders and leaves unknown ones alone', () => {
    expect(translate('en', 'graph.status', { nodes: 12, links: 20 })).toBe('12 nodes · 20 links');
    expect(translate('km', 'graph.status', { nodes: 12, links: 20 })).toBe('ថ្នាំង 12 · តំណ 20');
    expect(translate('en', 'graph.more', {})).toBe('+{n} more');
  });

  it('knows which property names it can translate', () => {
    expect(isMessageKey('prop.acronym')).toBe(true);
    expect(isMessageKey('prop.something_new')).toBe(false);
  });
});
