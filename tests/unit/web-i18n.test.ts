import { describe, expect, it } from 'vitest';
import { LANGS, MESSAGES, isMessageKey, translate } from '../../web/src/lib/i18n.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('web i18n', () => {
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
