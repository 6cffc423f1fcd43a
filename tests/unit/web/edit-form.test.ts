import { describe, expect, it } from 'vitest';
import { LABELS, NODE_SCHEMAS, SERVER_SET_PROPERTIES, type GraphLink, type GraphNode } from '../../../server/schema/graph.schema.ts';
import {
  checkLinkPatch,
  checkNewLink,
  checkNewNode,
  checkNodePatch,
  formValues,
  linkFields,
  nodeFields,
  rebaseValues,
} from '../../../web/src/lib/edit/form-schema.ts';

const dar: GraphNode = {
  id: 'dar',
  label: 'Programme',
  name_en: 'Decentralisation and Administrative Reform Programme',
  name_km: 'កម្មវិធីកំណែទម្រង់វិមជ្ឈការ និងរដ្ឋបាល',
  acronym: 'DAR',
  start: '2016',
  sources: ['https://www.giz.de/en/worldwide/dar.html'],
  version: 3,
  created_by: 'seed',
};

describe('edit forms generated from the schema', () => {
  it("edits a programme's identifiers as a list, one per line, and leaves them unchanged when untouched", () => {
    const rilgp: GraphNode = { id: 'rilgp', label: 'Programme', name_en: 'RILGP', name_km: 'ក', identifiers: ['worldbank:P071146', 'undp:CMB/95/011'], sources: [], version: 1 };
    const values = formValues(nodeFields('Programme'), rilgp);
    expect(values['identifiers']).toBe('worldbank:P071146\nundp:CMB/95/011');
    expect(checkNodePatch(rilgp, values)).toEqual({ ok: true, value: {} });
    const changed = checkNodePatch(rilgp, { ...values, identifiers: 'worldbank:P071146\n\n adb:41392-013 \n' });
    expect(changed).toEqual({ ok: true, value: { identifiers: ['worldbank:P071146', 'adb:41392-013'] } });
    const created = checkNewNode('Programme', { ...formValues(nodeFields('Programme')), name_en: 'X', name_km: 'ក', identifiers: 'sdc:7F08726' });
    expect(created.ok && created.value).toMatchObject({ identifiers: ['sdc:7F08726'] });
  });

  it('has a field for every client-settable property of each label, and none for server-set ones', () => {
    for (const label of LABELS) {
      const keys = nodeFields(label).map((f) => f.key);
      const expected = Object.keys(NODE_SCHEMAS[label].shape).filter(
        (key) => key !== 'label' && !(SERVER_SET_PROPERTIES as readonly string[]).includes(key),
      );
      expect(keys.sort()).toEqual(expected.sort());
    }
  });

  it('derives kinds, required flags and enum values from the schema', () => {
    const byKey = Object.fromEntries(nodeFields('Programme').map((f) => [f.key, f]));
    expect(byKey.name_en).toMatchObject({ kind: 'text', required: true, maxLength: 500 });
    expect(byKey.name_km).toMatchObject({ kind: 'text', required: true });
    expect(byKey.id).toMatchObject({ kind: 'id', required: false });
    expect(byKey.start).toMatchObject({ kind: 'date', required: false });
    expect(byKey.url).toMatchObject({ kind: 'url' });
    expect(byKey.summary_en).toMatchObject({ kind: 'long' });
    expect(byKey.status).toMatchObject({ kind: 'enum', options: ['planned', 'active', 'completed', 'cancelled'] });
    expect(byKey.sources).toMatchObject({ kind: 'sources', required: false });
    const area = Object.fromEntries(nodeFields('AdminArea').map((f) => [f.key, f]));
    expect(area.level).toMatchObject({ kind: 'enum', required: true });
    expect(area.lat).toMatchObject({ kind: 'number', min: -90, max: 90 });
    const doc = Object.fromEntries(nodeFields('Document').map((f) => [f.key, f]));
    expect(doc.year).toMatchObject({ kind: 'integer', min: 1900, max: 2100 });
  });

  it('gives link fields without type and ends, with the draft checkbox', () => {
    const keys = linkFields().map((f) => f.key);
    expect(keys).not.toContain('type');
    expect(keys).not.toContain('from');
    expect(keys).toContain('sources');
    expect(linkFields().find((f) => f.key === 'draft')?.kind).toBe('boolean');
    expect(linkFields().find((f) => f.key === 'amount')?.kind).toBe('number');
  });

  it('checks a new node with the server schema and names the field at fault', () => {
    const empty = checkNewNode('Programme', formValues(nodeFields('Programme')));
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(Object.keys(empty.errors).sort()).toEqual(['name_en', 'name_km']);

    const values = { ...formValues(nodeFields('Programme')), name_en: ' Test programme ', name_km: 'កម្មវិធីសាកល្បង', start: '2026-1' };
    const badDate = checkNewNode('Programme', values);
    expect(badDate.ok).toBe(false);
    if (!badDate.ok) expect(badDate.errors.start).toMatch(/YYYY/);

    const good = checkNewNode('Programme', { ...values, start: '2026-01', sources: 'https://example.org/a\n\n dar \n' });
    expect(good).toEqual({
      ok: true,
      value: { label: 'Programme', name_en: 'Test programme', name_km: 'កម្មវិធីសាកល្បង', start: '2026-01', sources: ['https://example.org/a', 'dar'] },
    });
  });

  it('turns numbers typed in a form into numbers, and refuses what is not one', () => {
    const fields = nodeFields('AdminArea');
    const base = { ...formValues(fields), name_en: 'Somewhere', name_km: 'កន្លែង', level: 'district' };
    const good = checkNewNode('AdminArea', { ...base, lat: '13.1', lon: '103.2' });
    expect(good.ok && good.value).toMatchObject({ lat: 13.1, lon: 103.2 });
    const bad = checkNewNode('AdminArea', { ...base, lat: 'north' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.errors)).toEqual(['lat']);
  });

  it('needs a source on a new link unless it is a draft', () => {
    const ends = { type: 'SUCCEEDS' as const, from: 'test', to: 'dar' };
    const none = checkNewLink(ends, formValues(linkFields()));
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.errors.sources).toMatch(/source/);
    const draft = checkNewLink(ends, { ...formValues(linkFields()), draft: true });
    expect(draft.ok).toBe(true);
    const sourced = checkNewLink(ends, { ...formValues(linkFields()), sources: 'https://example.org/x' });
    expect(sourced.ok && sourced.value.sources).toEqual(['https://example.org/x']);
  });

  it('makes a patch of what changed only: set, or null to remove', () => {
    const values = formValues(nodeFields('Programme'), dar);
    expect(values.sources).toBe('https://www.giz.de/en/worldwide/dar.html');
    expect(checkNodePatch(dar, values)).toEqual({ ok: true, value: {} });
    const changed = checkNodePatch(dar, { ...values, acronym: '', end: '2021', name_en: 'DAR programme' });
    expect(changed).toEqual({ ok: true, value: { acronym: null, end: '2021', name_en: 'DAR programme' } });
    const broken = checkNodePatch(dar, { ...values, name_km: '  ' });
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(Object.keys(broken.errors)).toEqual(['name_km']);
  });

  it('refuses a link patch that removes the last source of a link that is not a draft', () => {
    const link: GraphLink = { id: 'dar-funded-by-bmz', type: 'FUNDED_BY', from: 'dar', to: 'bmz', sources: ['https://example.org/s'], version: 1 };
    const values = formValues(linkFields(), link);
    const removed = checkLinkPatch(link, { ...values, sources: '' });
    expect(removed.ok).toBe(false);
    const asDraft = checkLinkPatch(link, { ...values, sources: '', draft: true });
    expect(asDraft).toEqual({ ok: true, value: { sources: [], draft: true } });
  });
});

describe('a form moved onto a newer version (after a 412)', () => {
  it('keeps what the user changed and takes the rest from the newer version', () => {
    const fields = nodeFields('Programme');
    const typed = { ...formValues(fields, dar), status: 'planned' };
    const theirs: GraphNode = { ...dar, end: '2030', acronym: 'DAR-X', version: 4 };
    const rebased = rebaseValues(fields, dar, theirs, typed);
    expect(rebased).toMatchObject({ status: 'planned', end: '2030', acronym: 'DAR-X' });
    // Saving then changes only what the user changed.
    expect(checkNodePatch(theirs, rebased)).toEqual({ ok: true, value: { status: 'planned' } });
  });

  it('keeps a field the user changed even when the newer version changed it too (the user saves theirs)', () => {
    const fields = nodeFields('Programme');
    const typed = { ...formValues(fields, dar), acronym: 'MINE' };
    const rebased = rebaseValues(fields, dar, { ...dar, acronym: 'THEIRS' }, typed);
    expect(rebased.acronym).toBe('MINE');
  });
});
