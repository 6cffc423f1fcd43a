/**
 * Text matching rules shared by every store: NFC, zero-width and format characters removed, case folded,
 * whitespace collapsed. Khmer has no spaces between words, so matching is by substring, not by word.
 */

// U+200B–U+200D zero-width space/non-joiner/joiner, U+2060 word joiner, U+FEFF BOM, U+00AD soft hyphen,
// U+180E Mongolian vowel separator, U+200E/U+200F/U+202A–U+202E/U+2066–U+2069 direction marks.
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
// Control characters (U+0000–U+001F but tab/newline, U+007F–U+009F): never part of a name; U+0001 separates
// fields in search keys, so it must never reach a query.
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
const KHMER_FOLDS: Readonly<Record<string, string>> = {
  '\u17D2\u178A': '\u17D2\u178F',
  '\u17A3': '\u17A2',
  '\u17A4': '\u17A2\u17B6',
};
const KHMER_VARIANTS = /\u17D2\u178A|[\u17A3\u17A4]/g;
const SPACES = /[\s\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+/g;

/**
 * The form names are stored and searched in: NFC, invisibles removed, Khmer spelling variants folded
 * (foldKhmerVariants), lower case, single spaces, trimmed.
 */
export function normaliseForSearch(text: string): string {
  return foldKhmerVariants(text.normalize('NFC').replace(INVISIBLE, '').replace(CONTROLS, ''))
    .toLowerCase()
    .replace(SPACES, ' ')
    .trim();
}

/**
 * Khmer spellings that look the same but differ in code points, folded to one form for search keys (names are
 * stored as written). Each pair has a source; README "Search" lists them:
 * - subscript DA ្ដ (U+17D2 U+178A) → subscript TA ្ត (U+17D2 U+178F): modern Khmer draws them alike and official
 *   sources type both (កណ្ដាល / កណ្តាល). ICANN's Khmer Root Zone Label Generation Rules (LGR-2, 2017, section
 *   "Variants") make the two subscript sequences variants of each other.
 * - the deprecated independent vowels ឣ (U+17A3) → អ (U+17A2) and ឤ (U+17A4) → អា (U+17A2 U+17B6): Unicode
 *   deprecates them (PropList.txt, Deprecated) and the Unicode Standard's Khmer section gives these replacements.
 * Folding keeps one code point per code point except ឤ (one becomes two); keys and queries are folded alike.
 */
export function foldKhmerVariants(text: string): string {
  return text.replace(KHMER_VARIANTS, (match) => KHMER_FOLDS[match] ?? match);
}

/** NFC and invisibles removed, case kept: how user-entered text is stored. */
export function normaliseText(text: string): string {
  return text.normalize('NFC').replace(INVISIBLE, '');
}

/** True when the string contains Khmer letters (U+1780–U+17FF, U+19E0–U+19FF). */
export function hasKhmer(text: string): boolean {
  return /[\u1780-\u17FF\u19E0-\u19FF]/.test(text);
}
