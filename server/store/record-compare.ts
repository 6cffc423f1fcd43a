/** Comparing and stamping records the same way in every store. */

const AUDIT_KEYS = new Set(['created_at', 'created_by', 'updated_at', 'updated_by']);

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined && !AUDIT_KEYS.has(key)) out[key] = canonical(v);
    }
    return out;
  }
  return value;
}

/** Equal when every property but the audit stamps is equal (undefined counts as absent). */
export function sameRecord(a: object, b: object): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** The record with who/when: created_* kept from the stored version, updated_* set now. */
export function stampRecord<T extends object>(record: T, existing: T | undefined, by: string, at: string): T {
  const clean = Object.fromEntries(
    Object.entries(record).filter(([key, v]) => v !== undefined && !AUDIT_KEYS.has(key)),
  ) as T;
  const prior = existing as Record<string, unknown> | undefined;
  return {
    ...clean,
    created_at: (prior?.created_at as string | undefined) ?? at,
    created_by: (prior?.created_by as string | undefined) ?? by,
    updated_at: at,
    updated_by: by,
  };
}
