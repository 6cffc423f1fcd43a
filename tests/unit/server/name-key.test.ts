/** Names (issue 19, item 8): the input cleaning and checks of text fields, and the key the duplicate check compares. */
import { describe, expect, it } from 'vitest';
import { confusableSkeleton, nameKey, nameKeyVariants } from '../../../server/schema/name-key.ts';
import { cleanInputText, controlCharacterIn, hasVisibleCharacter } from '../../../server/schema/text-input.ts';
import { nameKeys } from '../../../server/store/change-plan.ts';

describe('nameKey', () => {
  it('folds case, spaces, invisible characters and compatibility forms (NFKC: full-width)', () => {
    const key = nameKey('DAR Forum');
    for (const same of ['dar forum', '  DAR   Forum ', 'ＤＡＲ Ｆｏｒｕｍ', 'DAR\u200B Forum', 'D\u2060AR\u00A0Forum', 'DAR\u3000Forum']) {
      expect(nameKey(same), same).toBe(key);
    }
    expect(nameKey('DAR Forums')).not.toBe(key);
    expect(nameKey('EU DAR')).not.toBe(nameKey('EU SPACE'));
  });

  it('folds look-alikes by the TR39 skeleton: Cyrillic, Greek, digits', () => {
    expect(nameKey('D\u0410R')).toBe(nameKey('DAR')); // Cyrillic А
    expect(nameKey('d\u0430r')).toBe(nameKey('dar')); // Cyrillic а
    expect(nameKey('\u03BF\u03B9')).toBe(nameKey('oi')); // Greek small omicron, iota
    expect(nameKey('Ph\u0430se 1')).toBe(nameKey('Phase l'));
    expect(nameKey('D0R')).toBe(nameKey('DOR'));
    // Not everything is alike.
    expect(nameKey('DAR')).not.toBe(nameKey('DAB'));
  });

  it('folds Khmer look-alikes and invisible Khmer characters, and keeps different Khmer names apart', () => {
    const km = 'អភិបាលកិច្ចល្អ';
    expect(nameKey('\u17A3ភិបាលកិច្ចល្អ')).toBe(nameKey(km)); // KHMER INDEPENDENT VOWEL QAQ for QA
    expect(nameKey('អភិ\u17B4បាលកិច្ចល្អ')).toBe(nameKey(km)); // the invisible inherent vowel AQ
    expect(nameKey('អភិបាល\u200Bកិច្ច\u200Cល្អ')).toBe(nameKey(km)); // zero-width space and non-joiner
    expect(nameKey('អភិបាលកិច្ច')).not.toBe(nameKey(km));
    expect(nameKey('ការិយាល័យប្រជាពលរដ្ឋ')).not.toBe(nameKey('ការិយាល័យច្រកចេញចូលតែមួយ'));
    // A Khmer vowel sign and its Thai look-alike (confusables.txt: U+17B7 → U+0E34).
    expect(nameKey('ក\u17B7')).toBe(nameKey('ក\u0E34'));
  });

  it('is the TR39 skeleton of the folded text (confusables.txt from the unhomoglyph package)', () => {
    expect(confusableSkeleton('\u0410')).toBe('A');
    expect(confusableSkeleton('m')).toBe('rn');
    expect(confusableSkeleton('\u17A3')).toBe('\u17A2');
    // NFD before and after the mapping: a precomposed letter is its base plus the mark.
    expect(confusableSkeleton('\u00E9')).toBe(confusableSkeleton('e\u0301'));
  });

  it('also keys the name as written, so capitals alike only as capitals meet (Greek ΑΒΙ and ABI)', () => {
    const shared = (a: string, b: string) => nameKeyVariants(a).some((key) => nameKeyVariants(b).includes(key));
    expect(nameKey('\u0391\u0392\u0399')).not.toBe(nameKey('ABI')); // lower case first: αβι is not abi
    expect(shared('\u0391\u0392\u0399', 'ABI')).toBe(true);
    expect(shared('ABI', 'abi')).toBe(true);
    expect(shared('ABI', 'ABC')).toBe(false);
    expect(nameKeyVariants('\u200B')).toEqual([]);
  });

  it('gives a node its keys per field, none for an empty name', () => {
    expect(nameKeys({ name_en: 'ＤＡＲ', name_km: 'ឌីអេអរ' })).toEqual([
      { field: 'name_en', value: 'dar' },
      { field: 'name_km', value: nameKey('ឌីអេអរ') },
    ]);
    expect(nameKeys({ name_en: '\u200B', name_km: 'ក' })).toEqual([{ field: 'name_km', value: 'ក' }]);
  });
});

describe('text input', () => {
  it('cleans before checking: NFC, invisible characters removed, line breaks kept', () => {
    expect(cleanInputText('e\u0301')).toBe('\u00E9');
    expect(cleanInputText('\u200B\u200B')).toBe('');
    expect(cleanInputText('ក\u200Bខ')).toBe('កខ');
    expect(cleanInputText('two\nlines')).toBe('two\nlines');
  });

  it('names the first control character, but not tab or line breaks', () => {
    expect(controlCharacterIn('DAR\u0000')).toBe('U+0000');
    expect(controlCharacterIn('a\u001B[31m')).toBe('U+001B');
    expect(controlCharacterIn('del\u007F')).toBe('U+007F');
    expect(controlCharacterIn('c1\u0085')).toBe('U+0085');
    expect(controlCharacterIn('tab\tnew\nline\r')).toBeUndefined();
    expect(controlCharacterIn('ការិយាល័យ')).toBeUndefined();
  });

  it('says whether anything can be seen', () => {
    expect(hasVisibleCharacter('\u200B\u200C\u2060\uFEFF \u00A0\u3000')).toBe(false);
    expect(hasVisibleCharacter('\u17B4\u17B5')).toBe(false);
    expect(hasVisibleCharacter('ក')).toBe(true);
    expect(hasVisibleCharacter('.')).toBe(true);
  });
});
