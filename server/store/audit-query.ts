/** Filtering audit entries the same way in every store (editor, record touched, time, paging). */
import type { AuditEntry, AuditQuery, EntityKind } from './graph-store.ts';

/** The keys a store may index an entry's records by: "node:dar", "link:dar-funded-by-bmz". */
export function auditKey(entity: EntityKind, id: string): string {
  return `${entity}:${id}`;
}

/** The keys an entity filter accepts: one kind, or either kind when none is given. */
export function auditKeysOf(entity: NonNullable<AuditQuery['entity']>): string[] {
  return entity.kind ? [auditKey(entity.kind, entity.id)] : [auditKey('node', entity.id), auditKey('link', entity.id)];
}

export function auditMatches(entry: AuditEntry, query: AuditQuery): boolean {
  if (query.editor !== undefined && entry.by !== query.editor) return false;
  if (query.since !== undefined && entry.at < query.since) return false;
  if (query.before !== undefined && entry.seq >= query.before) return false;
  if (query.entity) {
    const { kind, id } = query.entity;
    if (!entry.changes.some((change) => change.id === id && (kind === undefined || change.entity === kind))) return false;
  }
  return true;
}
