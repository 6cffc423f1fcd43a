/**
 * The Map view's pure parts, headless: names in the language shown, the area chosen and its breadcrumb, fitting
 * bounds to the stage, a shape's colour and the legend's rows.
 */
import { describe, expect, it } from 'vitest';
import type { CountryShapes, MapShape } from '../../../web/src/lib/map/map-shapes.ts';
import { COUNT_CLASSES, countColour, NONE_COLOUR, REACH_COLOUR } from '../../../web/src/lib/map/presence.ts';
import { areaTrail, countryBounds, fitScale, fitTransform, legendRows, shapeByKey, shapeFill, shapeName } from '../../../web/src/lib/map/map-view.ts';

const shape = (key: string, over: Partial<MapShape> = {}): MapShape => ({
  key,
  code: key.startsWith('kh-') ? key.slice(3) : null,
  level: key.length === 5 ? 'province' : key.length === 7 ? 'district' : 'commune',
  en: `EN ${key}`,
  km: `KM ${key}`,
  in: null,
  d: 'M0,0',
  point: false,
  centre: [0, 0],
  bounds: [
    [0, 0],
    [10, 10],
  ],
  ...over,
});

const country: CountryShapes = {
  provinces: [shape('kh-12')],
  districts: [shape('kh-1201')],
  districtPoints: [shape('kh-1202', { point: true, d: '' })],
  attribution: 'test',
  width: 400,
  height: 200,
};

describe('map view', () => {
  it('names a shape in the language shown, else in the other', () => {
    expect(shapeName({ en: 'Phnom Penh', km: 'ភ្នំពេញ' }, 'km')).toBe('ភ្នំពេញ');
    expect(shapeName({ en: 'Phnom Penh', km: 'ភ្នំពេញ' }, 'en')).toBe('Phnom Penh');
    expect(shapeName({ en: '', km: 'ភ្នំពេញ' }, 'en')).toBe('ភ្នំពេញ');
    expect(shapeName({ en: 'Phnom Penh', km: '' }, 'km')).toBe('Phnom Penh');
  });

  it('finds provinces, districts and district points by key; the breadcrumb is province then district', () => {
    expect(shapeByKey(country, 'kh-12')?.level).toBe('province');
    expect(shapeByKey(country, 'kh-1202')?.point).toBe(true);
    expect(shapeByKey(country, 'kh-99')).toBeUndefined();
    expect(shapeByKey(null, 'kh-12')).toBeUndefined();
    expect(areaTrail(country, 'kh-1201').map((s) => s.key)).toEqual(['kh-12', 'kh-1201']);
    expect(areaTrail(country, 'kh-12').map((s) => s.key)).toEqual(['kh-12']);
    expect(areaTrail(country, null)).toEqual([]);
  });

  it('fits bounds to the stage: the country at 92 %, an area centred with its padding, at most 64 times the fit', () => {
    expect(countryBounds(country)).toEqual([
      [0, 0],
      [400, 200],
    ]);
    expect(countryBounds(null)).toEqual([
      [0, 0],
      [1000, 800],
    ]);
    expect(fitScale(countryBounds(country), 800, 800)).toBeCloseTo(2 * 0.92);
    const fit = fitTransform(
      [
        [100, 50],
        [200, 100],
      ],
      800,
      400,
      1,
    );
    expect(fit.k).toBeCloseTo(0.84 * 8);
    // The bounds' centre (150, 75) lands on the stage's (400, 200).
    expect(150 * fit.k + fit.x).toBeCloseTo(400);
    expect(75 * fit.k + fit.y).toBeCloseTo(200);
    const tiny = fitTransform(
      [
        [0, 0],
        [0.001, 0.001],
      ],
      800,
      400,
      2,
    );
    expect(tiny.k).toBe(128);
  });

  it('colours by programme count, or by where one programme or organisation works', () => {
    const counts = new Map([['12', new Set(['a', 'b'])]]);
    expect(shapeFill(shape('kh-12'), counts, null)).toBe(countColour(2));
    expect(shapeFill(shape('kh-13'), counts, null)).toBe(NONE_COLOUR);
    expect(shapeFill(shape('shape-province-1'), counts, null)).toBe(NONE_COLOUR);
    expect(shapeFill(shape('kh-1201'), counts, new Set(['12']))).toBe(REACH_COLOUR.here);
    expect(shapeFill(shape('kh-12'), counts, new Set(['1201']))).toBe(REACH_COLOUR.part);
    expect(shapeFill(shape('kh-13'), counts, new Set(['1201']))).toBe(NONE_COLOUR);
  });

  it('the legend lists reach, or no programme then the count classes', () => {
    const text = { here: 'here', part: 'part', none: 'none' };
    expect(legendRows(true, text)).toEqual([
      { colour: REACH_COLOUR.here, text: 'here' },
      { colour: REACH_COLOUR.part, text: 'part' },
      { colour: NONE_COLOUR, text: 'none' },
    ]);
    const rows = legendRows(false, text);
    expect(rows[0]).toEqual({ colour: NONE_COLOUR, text: 'none' });
    expect(rows.slice(1).map((r) => r.colour)).toEqual(COUNT_CLASSES.map((c) => c.colour));
  });
});
