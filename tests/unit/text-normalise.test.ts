import { describe, expect, it } from 'vitest';
import { hasKhmer, normaliseForSearch, normaliseText } from '../../server/search/text-normalise.ts';

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
