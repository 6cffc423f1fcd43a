import { describe, expect, it } from 'vitest';
import { IdSchema } from '../../../server/schema/graph.schema.ts';
import { slug } from '../../../server/schema/slug.ts';

describe('ids made from names (one slug rule for the editing API and the import)', () => {
  it('drop accents instead of splitting words on them', () => {
    expect(slug('Gesellschaft für Internationale Zusammenarbeit (GIZ) GmbH')).toBe('gesellschaft-fur-internationale-zusammenarbeit-giz-gmbh');
    expect(slug('Bătdâmbâng')).toBe('batdambang');
  });

  it('remove invisible characters instead of splitting words on them', () => {
    // A soft hyphen and a zero-width space, as text pasted from a word processor or a web page has them.
    expect(slug('Decen\u00ADtralisation\u200B Reform')).toBe('decentralisation-reform');
  });

  it('fold case after decomposing, so compatibility letters keep their case-folded letters', () => {
    expect(slug('ＤＡＲ Ⅻ ㎒')).toBe('dar-xii-mhz');
  });

  it('have no dash at either end, also when cut to the longest length', () => {
    expect(slug('  --Sub-National  Democratic Development!--  ')).toBe('sub-national-democratic-development');
    expect(slug('abc def', 4)).toBe('abc');
  });

  it('give the fallback for a name with no Latin letter or digit (a Khmer-only name)', () => {
    expect(slug('ក្រសួងមហាផ្ទៃ', 100, 'organisation')).toBe('organisation');
    expect(slug('')).toBe('x');
  });

  it('are ids the schema accepts', () => {
    for (const name of ['Ministry of Interior', 'Bătdâmbâng', '  ÉCOLE  ', '12 – 13', 'ក្រសួង']) expect(IdSchema.safeParse(slug(name)).success).toBe(true);
  });
});
