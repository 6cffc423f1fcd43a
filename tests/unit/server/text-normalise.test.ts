import { describe, expect, it } from 'vitest';
import { foldKhmerVariants, hasKhmer, normaliseForSearch, normaliseText } from '../../../server/search/text-normalise.ts';

describe('normaliseForSearch', () => {
  it('removes zero-width and other invisible characters used between Khmer words', () => {
    expect(normaliseForSearch('មុខងារ\u200Bសាធារណៈ')).toBe('មុខងារសាធារណៈ');
    expect(normaliseForSearch('\uFEFFក្រសួង\u200C\u200D\u2060មហាផ្ទៃ\u200E')).toBe('ក្រសួងមហាផ្ទៃ');
  });

  it('composes to NFC so decomposed input matches stored text', () => {
    const decomposed = 'Be\u0301n'; // e + combining acute
    expect(decomposed).not.toBe('Bén');
    expect(normaliseForSearch(decomposed)).toBe('bén');
  });

  it('folds case and collapses every kind of space', () => {
    expect(normaliseForSearch('  Ministry\u00A0of \t Civil\u3000SERVICE ')).toBe('ministry of civil service');
  });

  it('leaves Khmer letters, signs and subscripts alone', () => {
    const name = 'គណៈកម្មាធិការជាតិសម្រាប់ការអភិវឌ្ឍតាមបែបប្រជាធិបតេយ្យនៅថ្នាក់ក្រោមជាតិ';
    expect(normaliseForSearch(name)).toBe(name);
  });
});

describe('normaliseText', () => {
  it('keeps case but drops invisibles', () => {
    expect(normaliseText('EU\u200B DAR')).toBe('EU DAR');
  });
});

describe('hasKhmer', () => {
  it('tells Khmer from Latin', () => {
    expect(hasKhmer('បាត់ដំបង')).toBe(true);
    expect(hasKhmer('Battambang')).toBe(false);
  });
});

describe('control characters', () => {
  it('never reach a query (U+0001 separates fields in search keys)', () => {
    expect(normaliseForSearch('\u0001')).toBe('');
    expect(normaliseForSearch('civil\u0001service\u007F')).toBe('civilservice');
  });
});

describe('foldKhmerVariants (Khmer spellings that look the same)', () => {
  it('folds subscript DA (U+17D2 U+178A) to subscript TA (U+17D2 U+178F): កណ្ដាល and កណ្តាល find each other', () => {
    const withDa = 'ក\u178E\u17D2\u178A\u17B6\u179B';
    const withTa = 'ក\u178E\u17D2\u178F\u17B6\u179B';
    expect(withDa).not.toBe(withTa);
    expect(foldKhmerVariants(withDa)).toBe(withTa);
    expect(normaliseForSearch(`ខេត្ត${withDa}`)).toBe(normaliseForSearch(`ខេត្ត${withTa}`));
    // A DA that is not subscript stays: ដ (U+178A) alone is another letter than ត.
    expect(foldKhmerVariants('\u178A\u17C6\u1794\u1784')).toBe('\u178A\u17C6\u1794\u1784');
  });

  it('folds the deprecated independent vowels ឣ and ឤ to អ and អា', () => {
    expect(foldKhmerVariants('\u17A3')).toBe('\u17A2');
    expect(foldKhmerVariants('\u17A4')).toBe('\u17A2\u17B6');
    expect(normaliseForSearch('\u17A4\u179A')).toBe(normaliseForSearch('\u17A2\u17B6\u179A'));
  });
});
