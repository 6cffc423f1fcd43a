/** Comparing and stamping records the same way in every store. */
import { SERVER_SET_PROPERTIES } from '../schema/graph.schema.ts';

/** Who/when and the version (the schema's server-set properties): set by the store, ignored when comparing records. */
const AUDIT_KEYS = new Set<string>(SERVER_SET_PROPERTIES);

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

/** Equal when every property but the audit stamps and the version is equal (undefined counts as absent). */
export function sameRecord(a: object, b: object): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** A stored record's version; records written before versions existed count as version 1. */
export function recordVersion(record: object): number {
  const version = (record as { version?: unknown }).version;
  return typeof version === 'number' && Number.isInteger(version) && version > 0 ? version : 1;
}

/** The record without the server-set properties (audit stamps and version). */
export function withoutStamps<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([key, v]) => v !== undefined && !AUDIT_KEYS.has(key))) as T;
}

/**
 * The record with who/when and its next version: created_* kept from the stored version (or, when `restored`
 * brings back a former state of a record that no longer exists, from that state), updated_* set now, version one
 * more than the stored one (or than the restored state's).
 */
export function stampRecord<T extends object>(record: T, existing: T | undefined, by: string, at: string, restored?: T): T {
  const prior = (existing ?? restored) as Record<string, unknown> | undefined;
  return {
    ...withoutStamps(record),
    created_at: (prior?.created_at as string | undefined) ?? at,
    created_by: (prior?.created_by as string | undefined) ?? by,
    updated_at: at,
    updated_by: by,
    version: existing ? recordVersion(existing) + 1 : restored ? recordVersion(restored) + 1 : 1,
  };
}
