/**
 * When a programme or a link was active, from its start and end dates (and status): one rule for the explorer's
 * time slider (web/src/lib/scene/scene-filter.ts) and the comparison of two periods (server/domain/period-compare.ts).
 * Without zod, so that the explorer can import it.
 */

/** The years of a start or end date, fractional: "2016-05" starts at 2016 + 4/12; an end runs to its end. */
export function yearOf(date: string | undefined, edge: 'start' | 'end'): number | undefined {
  const match = date ? /^(\d{4})(?:-(\d{2}))?/.exec(date) : null;
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = match[2] ? Number(match[2]) : undefined;
  if (edge === 'start') return year + (month ? (month - 1) / 12 : 0);
  return year + (month ? month / 12 : 1);
}

export interface Period {
  /** Fractional years: [from, to). */
  from: number;
  to: number;
  /** No end given and still active: runs to `now`. */
  ongoing: boolean;
}

/**
 * The period of a programme or a link (start/end), or undefined when it has no start. Without an end, an active,
 * planned or undated-status programme runs to `now`; anything else lasts its start year.
 */
export function periodOf(record: { start?: string; end?: string; status?: string }, now: number): Period | undefined {
  const from = yearOf(record.start, 'start');
  if (from === undefined) return undefined;
  const end = yearOf(record.end, 'end');
  if (end !== undefined) return { from, to: Math.max(end, from), ongoing: false };
  if (record.status === 'active' || record.status === 'planned' || record.status === undefined) {
    return { from, to: Math.max(now, Math.floor(from) + 1), ongoing: true };
  }
  return { from, to: Math.floor(from) + 1, ongoing: false };
}
