import { describe, expect, it } from 'vitest';
import {
  defaultScene,
  formatExpansion,
  parseExpansion,
  parseScene,
  sameScene,
  sceneToSearch,
  withExpansion,
  withHidden,
  withoutExpansionsOf,
  withPin,
  type SceneState,
} from '../../../web/src/lib/scene/scene-state.ts';

const busy: SceneState = {
  view: 'lineage',
  focus: 'mcs',
  anchor: 'eu-dar',
  expansions: [
    { id: 'dar', direction: 'both', limit: 40, seed: true },
    { id: 'mcs', type: 'PARTNERS_WITH', direction: 'in', limit: 20 },
    { id: 'kh-02', direction: 'both', limit: 80 },
  ],
  all: true,
  hidden: ['moi', 'giz'],
  pins: [{ id: 'dar', x: 120, y: -45 }],
  labels: ['Programme', 'Organisation'],
  types: ['SUCCEEDS', 'FUNDED_BY'], // schema order, as the URL is read back
  years: { from: 2010, to: 2018 },
  path: { from: 'mcs', to: 'eu-space' },
  size: 'degree',
  colour: 'detail',
  axis: 'succession',
  folded: ['fund', 'donor'], // lane order, as the URL is read back
  query: 'ការិយាល័យ & reports',
  renderer: 'webgl',
  lang: 'km',
  mapArea: 'kh-0201',
  mapLevel: 'commune',
  mapBy: 'isd',
  compare: { a: { from: 2008, to: 2012 }, b: { from: 2018, to: 2022 } },
  compareVersions: { from: '2026-11-02', to: '2026-12-02T10:00:00Z' },
  at: '412',
};

describe('scene URL', () => {
  it('keeps a pinned version (at): a seq, a date or a time; anything else is today', () => {
    expect(parseScene('?v=explore&at=412').at).toBe('412');
    expect(parseScene('?at=2026-12-02').at).toBe('2026-12-02');
    expect(parseScene('?at=2026-12-02T10:00:00.123Z').at).toBe('2026-12-02T10:00:00.123Z');
    for (const bad of ['', 'yesterday', '12a', '-1', '2026-12-02T10', '<script>']) expect(parseScene(`?at=${encodeURIComponent(bad)}`).at, bad).toBeNull();
    expect(sceneToSearch({ ...parseScene('?v=explore'), at: '412' })).toContain('&at=412');
    expect(sceneToSearch(parseScene('?v=explore'))).not.toContain('at=');
  });

  it('keeps a comparison of two versions (cmpv): two seqs or dates; anything else is none', () => {
    expect(parseScene('?v=explore&cmpv=120,412').compareVersions).toEqual({ from: '120', to: '412' });
    expect(parseScene('?v=partnerships&cmpv=2026-11-02,2026-12-02').compareVersions).toEqual({ from: '2026-11-02', to: '2026-12-02' });
    const scene = { ...parseScene('?v=explore'), compareVersions: { from: '7', to: '2026-12-02T10:00:00.5+07:00' } };
    const search = sceneToSearch(scene);
    expect(search).toContain('cmpv=7,2026-12-02T10:00:00.5%2B07:00');
    expect(parseScene(search)).toEqual(scene);
    for (const bad of ['', '12', '12,', ',12', '1,2,3', 'yesterday,today', '2026-12-02,<script>', '1;2'])
      expect(parseScene(`?cmpv=${encodeURIComponent(bad)}`).compareVersions, bad).toBeNull();
    expect(sceneToSearch(parseScene('?v=explore'))).not.toContain('cmpv=');
  });

  it('writes the default scene briefly and reads it back', () => {
    expect(sceneToSearch(defaultScene())).toBe('?v=explore');
    expect(parseScene('')).toEqual(defaultScene());
    expect(parseScene('?v=explore')).toEqual(defaultScene());
  });

  it('round-trips every part of a scene', () => {
    const search = sceneToSearch(busy);
    expect(parseScene(search)).toEqual(busy);
    expect(sameScene(parseScene(search), busy)).toBe(true);
  });

  it('keeps ids, types and separators readable in the link', () => {
    const search = sceneToSearch(busy);
    expect(search).toContain('x=!dar,mcs:PARTNERS_WITH:in:20,kh-02::both:80');
    expect(search).toContain('y=2010:2018');
    expect(search).toContain('path=mcs,eu-space');
    expect(search).toContain('lang=km');
    expect(search).toContain('area=kh-0201&level=commune&by=isd');
    expect(search).toContain('q=%E1%9E%80'); // Khmer is percent-encoded
    expect(search).not.toContain('&reports'); // "&" in a value is escaped
  });

  it('ignores what it cannot trust, and keeps the rest', () => {
    const scene = parseScene(
      '?v=nowhere&f=<script>&x=dar,UPPER,mcs:NOT_A_TYPE:in:5,moi:FUNDED_BY:sideways:5,ok:ABOUT:out:99999&l=Programme,Bogus&t=&y=2030:2010&path=dar,dar&size=huge&lang=fr&p=dar:1:x,moi:3:4',
    );
    expect(scene.view).toBe('explore');
    expect(scene.focus).toBe('dar');
    expect(scene.expansions).toEqual([
      { id: 'dar', direction: 'both', limit: 40 },
      { id: 'ok', type: 'ABOUT', direction: 'out', limit: 500 },
    ]);
    expect(scene.labels).toEqual(['Programme']);
    expect(scene.types).toEqual([]);
    expect(scene.years).toEqual({ from: 2010, to: 2030 });
    expect(scene.path).toBeNull();
    expect(scene.size).toBe('none');
    expect(scene.lang).toBeNull();
    expect(scene.pins).toEqual([{ id: 'moi', x: 3, y: 4 }]);
  });

  it("reads the map's area, level and colouring, and refuses what is not one", () => {
    expect(parseScene('?v=map&area=kh-02&level=district&by=dar')).toMatchObject({ mapArea: 'kh-02', mapLevel: 'district', mapBy: 'dar' });
    // A commune or village is not an area the map opens on; levels are a fixed list; the colouring is a node id.
    expect(parseScene('?v=map&area=kh-020101&level=village&by=<x>')).toMatchObject({ mapArea: null, mapLevel: 'auto', mapBy: null });
    expect(parseScene('?v=map&area=dar')).toMatchObject({ mapArea: null });
  });

  it('opens a link to a node on that node, and an empty expansion list as empty', () => {
    expect(parseScene('?f=mcs').expansions).toEqual([{ id: 'mcs', direction: 'both', limit: 40, seed: true }]);
    expect(parseScene('?f=mcs&x=').expansions).toEqual([]);
    expect(parseScene('?f=').focus).toBeNull();
  });

  it('formats expansions compactly', () => {
    expect(formatExpansion({ id: 'dar', direction: 'both', limit: 40 })).toBe('dar');
    expect(formatExpansion({ id: 'dar', direction: 'both', limit: 40, seed: true })).toBe('!dar');
    expect(formatExpansion({ id: 'dar', type: 'WORKS_IN', direction: 'out', limit: 10 })).toBe('dar:WORKS_IN:out:10');
    expect(parseExpansion('dar:WORKS_IN:out')).toEqual({ id: 'dar', type: 'WORKS_IN', direction: 'out', limit: 10 });
  });
});

describe('scene changes', () => {
  it('adds an expansion, then shows more of it', () => {
    let scene = withExpansion(defaultScene(), { id: 'mcs', type: 'PARTNERS_WITH', direction: 'in' });
    expect(scene.expansions[1]).toEqual({ id: 'mcs', type: 'PARTNERS_WITH', direction: 'in', limit: 10 });
    scene = withExpansion(scene, { id: 'mcs', type: 'PARTNERS_WITH', direction: 'in' });
    expect(scene.expansions[1]?.limit).toBe(20);
    scene = withExpansion(scene, { id: 'dar', direction: 'both' });
    expect(scene.expansions[0]?.limit).toBe(80);
    expect(withoutExpansionsOf(scene, 'mcs').expansions.map((e) => e.id)).toEqual(['dar']);
  });

  it('hides (dropping the selection of what it hides) and pins', () => {
    const hidden = withHidden(defaultScene(), 'dar', true);
    expect(hidden.hidden).toEqual(['dar']);
    expect(hidden.focus).toBeNull();
    expect(withHidden(hidden, 'dar', false).hidden).toEqual([]);
    const pinned = withPin(defaultScene(), { id: 'dar', x: 1, y: 2 });
    expect(withPin(pinned, { id: 'dar', x: 5, y: 6 }).pins).toEqual([{ id: 'dar', x: 5, y: 6 }]);
    expect(withPin(pinned, { id: 'dar', remove: true }).pins).toEqual([]);
  });
});
