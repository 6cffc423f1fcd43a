/**
 * Typo tolerance, the same on every store: a query word of TYPO_MIN_LENGTH or more Latin letters that a node does
 * not contain may stand for a word of the node one edit away (one letter wrong, missing, extra, or two neighbours
 * swapped: Damerau–Levenshtein distance 1, which is also what Lucene's `term~1` finds). Words here are runs of the
 * letters a–z in a normalised search key (search.ranking.ts), of TYPO_WORD_MIN_LENGTH letters or more; Khmer is
 * not corrected (its spelling variants are folded instead, text-normalise.ts).
 */

/** Query words shorter than this are never corrected (four letters are one edit from too many words). */
export const TYPO_MIN_LENGTH = 5;
/** Words of a key one edit from a query word of TYPO_MIN_LENGTH letters are at least this long. */
export const TYPO_WORD_MIN_LENGTH = TYPO_MIN_LENGTH - 1;

const TYPO_TERM = new RegExp(`^[a-z]{${TYPO_MIN_LENGTH},}$`);
const WORD = new RegExp(`[a-z]{${TYPO_WORD_MIN_LENGTH},}`, 'g');

/** The terms of a query that may be corrected (TYPO_MIN_LENGTH or more letters a–z, nothing else). */
export function typoTerms(terms: readonly string[]): string[] {
  return terms.filter((term) => TYPO_TERM.test(term));
}

/** The distinct words of a search key a query word may be corrected to, in the order they first occur. */
export function typoWords(key: string): string[] {
  return [...new Set(key.match(WORD) ?? [])];
}

/** True when `a` and `b` differ by exactly one edit: a letter replaced, inserted or deleted, or two neighbours swapped. */
export function oneEditApart(a: string, b: string): boolean {
  if (a.length > b.length) [a, b] = [b, a];
  const la = a.length;
  const lb = b.length;
  if (lb - la > 1) return false;
  let i = 0;
  while (i < la && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (la === lb) {
    if (i === la) return false; // equal
    // One replacement: the rest equal after i; or one swap of i and i + 1.
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return i + 1 < la && a.charCodeAt(i) === b.charCodeAt(i + 1) && a.charCodeAt(i + 1) === b.charCodeAt(i) && a.slice(i + 2) === b.slice(i + 2);
  }
  // b has one letter more: skip it at the first difference.
  return a.slice(i) === b.slice(i + 1);
}
