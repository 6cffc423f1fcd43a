/**
 * Timestamps in the reader's language (web/src/lib/node-properties.ts formatTimestamp: the history, the panels'
 * created/updated lines, the offline banner). Khmer is written without Intl's Khmer data, which Debian's Chromium
 * lacks (it showed "2026 M12 3" and English month names on Khmer pages).
 */
import { describe, expect, it } from 'vitest';
import { formatTimestamp } from '../../../web/src/lib/node-properties.ts';

describe('formatTimestamp', () => {
  it('writes a Khmer date with the Khmer month name and a 24-hour time, in local time', () => {
    const at = (y: number, m: number, d: number, h: number, min: number) => new Date(y, m, d, h, min).toISOString();
    expect(formatTimestamp(at(2026, 11, 3, 6, 37), 'km')).toBe('3 ធ្នូ 2026, 06:37');
    expect(formatTimestamp(at(2016, 0, 15, 18, 5), 'km')).toBe('15 មករា 2016, 18:05');
    expect(formatTimestamp(at(2030, 3, 1, 0, 0), 'km')).toBe('1 មេសា 2030, 00:00');
  });

  it('writes an English date as en-GB, day month year and a 24-hour time', () => {
    expect(formatTimestamp(new Date(2026, 11, 3, 18, 7).toISOString(), 'en')).toBe('3 Dec 2026, 18:07');
  });

  it('gives back text that is not a date as it is', () => {
    expect(formatTimestamp('not a date', 'km')).toBe('not a date');
  });
});
