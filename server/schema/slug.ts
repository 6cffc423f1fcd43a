/**
 * The one slug rule, for ids made from names (the editing API's ids, the import's ids): lower-case ASCII letters
 * and digits, every other run as one dash, no dash at either end. Invisible characters (soft hyphen, zero-width
 * space, …) are removed first, so they never split a word; accents are dropped ("für" → "fur", not "fu-r"); case
 * is folded after compatibility decomposition, so "Ⅻ" or "㎒" keep their letters. A name with nothing of that
 * (Khmer only) gives the fallback.
 */
import { normaliseForSearch } from '../search/text-normalise.ts';

export function slug(text: string, max = 100, fallback = 'x'): string {
  return (
    normaliseForSearch(text)
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, max)
      .replace(/-+$/g, '') || fallback
  );
}
