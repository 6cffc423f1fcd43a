/**
 * Deep nesting in IATI XML (issue 19, item 6): the parser tracks depth with counters (no walk over the element
 * stack per closing tag, which made 80,000 levels take 10 s) and refuses nesting beyond IATI_MAX_DEPTH with an
 * error naming the line, the column and the limit. Real IATI files nest a handful of levels and still import.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { Invalid } from '../../server/domain/errors.ts';
import { IATI_MAX_DEPTH, parseIati } from '../../server/import/iati.parser.ts';
import { ROOT } from '../support/seed-fixture.ts';

const IATI_DIR = path.join(ROOT, 'tests', 'fixtures', 'iati');

/** `levels` elements nested one per line inside <iati-activities>, outside any activity. */
function nested(levels: number): string {
  const open: string[] = [];
  const close: string[] = [];
  for (let i = 0; i < levels; i++) {
    open.push('<x>');
    close.push('</x>');
  }
  return `<iati-activities version="2.03">\n${open.join('\n')}\n${close.join('')}\n</iati-activities>`;
}

/** The same number of elements, one level deep (`<x></x>` per line): the same size as `nested(levels)`. */
function flat(levels: number): string {
  const lines: string[] = [];
  for (let i = 0; i < levels; i++) lines.push('<x>');
  const body = lines.map(() => '<x></x>').join('\n');
  return `<iati-activities version="2.03">\n${body}\n</iati-activities>`;
}

function refusal(run: () => unknown): Invalid {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(Invalid);
    return error as Invalid;
  }
  throw new Error('expected the parser to refuse the file');
}

function maxDepth(xml: string): number {
  const parser = new SaxesParser();
  let depth = 0;
  let deepest = 0;
  parser.on('opentag', () => (deepest = Math.max(deepest, ++depth)));
  parser.on('closetag', () => depth--);
  parser.write(xml).close();
  return deepest;
}

/** Smallest of `runs` timings of `work`, in ms (the smallest is the least disturbed by other processes). */
function fastest(work: () => void, runs = 3): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    work();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return best;
}

describe('IATI nesting depth', () => {
  it('takes nesting up to the limit and refuses one level more, naming line, column and limit', () => {
    // <iati-activities> is level 1, so limit - 1 <x> levels reach the limit exactly.
    expect(parseIati(nested(IATI_MAX_DEPTH - 1), 'deep.xml').activities).toEqual([]);
    const error = refusal(() => parseIati(nested(IATI_MAX_DEPTH), 'deeper.xml'));
    // Line 1 is <iati-activities>, the <x> of level limit + 1 is on line limit + 1.
    expect(error.message).toMatch(new RegExp(`^deeper\\.xml line ${IATI_MAX_DEPTH + 1} column \\d+: .*nested more than ${IATI_MAX_DEPTH} levels deep`));
    expect(error.details).toMatchObject({ file: 'deeper.xml', line: IATI_MAX_DEPTH + 1, column: expect.any(Number), limit: IATI_MAX_DEPTH });
  });

  it('refuses 80,000 levels at the limit: it stops reading there', () => {
    const error = refusal(() => parseIati(nested(80_000), 'bomb.xml'));
    expect(error.message).toMatch(/nested more than \d+ levels deep/);
    expect(error.details).toMatchObject({ line: IATI_MAX_DEPTH + 1, limit: IATI_MAX_DEPTH });
  });

  it('parses 80,000 levels (limit raised) in time linear in the size: within 10× a flat file of the same size', () => {
    const levels = 80_000;
    const deep = nested(levels);
    const wide = flat(levels);
    expect(Math.abs(deep.length - wide.length) / wide.length).toBeLessThan(0.5);
    const options = { maxDepth: levels + 10 };
    expect(parseIati(deep, 'deep.xml', options).activities).toEqual([]);
    const baseline = fastest(() => parseIati(wide, 'flat.xml', options));
    const measured = fastest(() => parseIati(deep, 'deep.xml', options));
    // Quadratic (a walk over the stack per closing tag) was ~10 s here against a baseline of tens of ms.
    expect(measured, `nested ${measured.toFixed(0)} ms, flat ${baseline.toFixed(0)} ms`).toBeLessThan(10 * baseline + 50);
  });

  it('still imports both real IATI files, which nest well under the limit', () => {
    for (const [name, activities] of [
      ['BD-IATI_donor-data_germany_bmz-20160121.xml', 54],
      ['BD-IATI_donor-data_canada_canada-bd.xml', 85],
    ] as const) {
      const xml = fs.readFileSync(path.join(IATI_DIR, name), 'utf8');
      expect(maxDepth(xml)).toBeLessThan(IATI_MAX_DEPTH / 4);
      expect(parseIati(xml, name).activities).toHaveLength(activities);
    }
  });
});
