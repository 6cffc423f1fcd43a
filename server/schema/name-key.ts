/**
 * When two names are the same name: the key the duplicate check (409 duplicate_name) and the import's "same name,
 * another id" compare. Beyond case, spaces and invisible characters (normaliseForSearch), it folds compatibility
 * forms (NFKC: full-width "ＤＡＲ" is "DAR") and look-alikes by the Unicode TR39 confusables skeleton (Cyrillic
 * "DАR" is "DAR"; Khmer ឣ U+17A3 is អ U+17A2; a Khmer vowel sign written with its Thai look-alike is the Khmer one):
 * skeleton(X) = NFD(map each character of NFD(X) through confusables.txt). The mapping is Unicode's own
 * confusables.txt as shipped by the `unhomoglyph` package (its data.json, generated from confusables.txt 13.0.0).
 *
 * A key is for comparing only, never shown: "m" and "rn" have the same key, as TR39 intends.
 */
import unhomoglyph from 'unhomoglyph';
import { normaliseForSearch, normaliseText } from '../search/text-normalise.ts';

/** Default-ignorable code points (zero-width characters, joiners, variation selectors, Khmer inherent vowels U+17B4/5). */
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;
const SPACES = /\s+/gu;
const CONTROLS = /\p{Cc}/gu;

/** The TR39 skeleton of `text`: NFD, each character mapped to its confusables.txt prototype, NFD again. */
export function confusableSkeleton(text: string): string {
  return unhomoglyph(text.normalize('NFD')).normalize('NFD');
}

/** Invisibles and case folded, spaces collapsed. */
function fold(text: string): string {
  return text.replace(IGNORABLE, '').toLowerCase().replace(SPACES, ' ').trim();
}

/** The key by which two names are the same: NFKC, case, spaces and invisibles folded, then the TR39 skeleton. */
export function nameKey(name: string): string {
  const folded = normaliseForSearch(name.normalize('NFKC')).replace(IGNORABLE, '');
  // Prototypes may be capitals ("0" → "O"): fold case again, and the spaces the mapping may have made.
  return fold(confusableSkeleton(folded));
}

/**
 * Every key of a name: `nameKey` (case folded first, so "DAR" and "dar" meet), and the skeleton of the name as
 * written, folded after (so capitals that are look-alikes only as capitals meet: Greek "ΑΒΙ" and "ABI", whose
 * lower cases "αβι" and "abi" are not alike). Two names are the same when they share a key.
 */
export function nameKeyVariants(name: string): string[] {
  const asWritten = normaliseText(name.normalize('NFKC')).replace(CONTROLS, '');
  return [...new Set([nameKey(name), fold(confusableSkeleton(asWritten))])].filter((key) => key !== '');
}
