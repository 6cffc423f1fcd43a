/** `at` of versioned reads (issue 17.1): a seq, a date (the end of that day, UTC) or an instant; nothing else. */
import { describe, expect, it } from 'vitest';
import { parseAt } from '../../../server/services/versions.service.ts';

describe('parseAt', () => {
  it('reads a version number', () => {
    expect(parseAt('412')).toEqual({ seq: 412 });
    expect(parseAt('0')).toEqual({ seq: 0 });
  });

  it('reads a date as the end of that day, UTC, asked from its start', () => {
    expect(parseAt('2026-12-02')).toEqual({ date: '2026-12-02T23:59:59.999Z', from: '2026-12-02T00:00:00.000Z' });
  });

  it('reads an instant with its offset, in UTC', () => {
    expect(parseAt('2026-12-02T10:00:00Z')).toEqual({ date: '2026-12-02T10:00:00.000Z', from: '2026-12-02T10:00:00.000Z' });
    expect(parseAt('2026-12-02T10:00+07:00')).toEqual({ date: '2026-12-02T03:00:00.000Z', from: '2026-12-02T03:00:00.000Z' });
  });

  it('refuses anything else', () => {
    for (const bad of ['', ' ', '-1', '1.5', '1e3', '12a', '2026-13-01', '2026-02-30', '2026-12-02T10:00', '2026-12-02 10:00Z', 'today', '9'.repeat(16)]) {
      expect(parseAt(bad), bad).toBeUndefined();
    }
  });
});
