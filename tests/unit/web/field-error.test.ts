/**
 * The edit forms' field errors in the reader's language (web/src/lib/edit/field-error.ts): the schema's checks speak
 * English (zod's messages and the schema's own); every problem a form can have is said by a UI message in English and
 * Khmer, not passed through.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fieldErrorText } from '../../../web/src/lib/edit/field-error.ts';
import { checkNewLink, checkNewNode, linkFields, nodeFields } from '../../../web/src/lib/edit/form-schema.ts';
import { loadMessages, translate, type MessageKey, type MessageParams } from '../../../web/src/lib/i18n.ts';

const KHMER = /[\u1780-\u17FF]/;
const say = (lang: 'en' | 'km') => (key: MessageKey, params?: MessageParams) => translate(lang, key, params);

beforeAll(async () => {
  await loadMessages('km');
});

/** The errors of a new Programme whose fields hold `values` (every other field empty). */
function programmeErrors(values: Record<string, string>): Record<string, string> {
  const blank = Object.fromEntries(nodeFields('Programme').map((f) => [f.key, f.kind === 'boolean' ? false : '']));
  const checked = checkNewNode('Programme', { ...blank, ...values });
  if (checked.ok) throw new Error('expected errors');
  return checked.errors;
}

describe('field errors of the edit forms', () => {
  const cases: [string, Record<string, string>, string, RegExp, RegExp][] = [
    ['a missing name', { name_km: 'ក' }, 'name_en', /^Fill this in/, /^សូមបំពេញ/],
    ['a name of spaces only', { name_en: '   ', name_km: 'ក' }, 'name_en', /^Fill this in/, /^សូមបំពេញ/],
    ['a name too long', { name_en: 'x'.repeat(501), name_km: 'ក' }, 'name_en', /at most 500 characters/, /500 តួអក្សរ/],
    ['a bad date', { name_en: 'A', name_km: 'ក', start: '2026-1' }, 'start', /2016-05-01/, /^ត្រូវជាឆ្នាំ/],
    ['a bad web address', { name_en: 'A', name_km: 'ក', url: 'ftp://example.org' }, 'url', /^A web address/, /^ត្រូវជាអាសយដ្ឋាន/],
    ['a bad source', { name_en: 'A', name_km: 'ក', sources: 'not a url' }, 'sources', /a web address \(https:\/\/…\) or the id of a Document/, /^បន្ទាត់នីមួយៗ/],
    ['a bad identifier', { name_en: 'A', name_km: 'ក', identifiers: 'nope' }, 'identifiers', /scheme:value, the scheme one of worldbank/, /worldbank, adb/],
    ['a control character', { name_en: 'A\u0001B', name_km: 'ក' }, 'name_en', /control characters \(it holds U\+0001\)/, /តួអក្សរបញ្ជា.*\(មាន U\+0001\)/],
  ];
  for (const [what, values, key, en, km] of cases) {
    it(`says ${what} in English and Khmer`, () => {
      const message = programmeErrors(values)[key];
      expect(message, what).toBeTypeOf('string');
      expect(fieldErrorText(message!, say('en'))).toMatch(en);
      const khmer = fieldErrorText(message!, say('km'));
      expect(khmer).toMatch(km);
      expect(khmer).not.toContain(message!); // translated, not passed through
      expect(khmer).toMatch(KHMER);
    });
  }

  it("says a link's problems (no source unless a draft, a node linked to itself) in both languages", () => {
    const blank = Object.fromEntries(linkFields().map((f) => [f.key, f.kind === 'boolean' ? false : '']));
    const checked = checkNewLink({ type: 'FUNDED_BY', from: 'dar', to: 'dar' }, blank);
    expect(checked.ok).toBe(false);
    const errors = checked.ok ? {} : checked.errors;
    expect(Object.keys(errors).length).toBeGreaterThan(0);
    for (const message of Object.values(errors)) {
      expect(fieldErrorText(message, say('en')), message).not.toBe(message);
      expect(fieldErrorText(message, say('km')), message).toMatch(KHMER);
    }
  });

  it('passes a message it does not know through, in Khmer after a Khmer sentence', () => {
    expect(fieldErrorText('something new went wrong', say('en'))).toBe('something new went wrong');
    const khmer = fieldErrorText('something new went wrong', say('km'));
    expect(khmer).toMatch(KHMER);
    expect(khmer).toContain('something new went wrong');
  });
});
