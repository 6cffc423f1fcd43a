/**
 * Upserts and imports as changes: every record of a batch put (created or replaced), written through
 * `GraphStore.applyChanges` as one audited write. The one upsert of every store.
 */
import type { GraphLink, GraphNode } from '../schema/graph.schema.ts';
import type { Actor, ChangeOptions, GraphChange, GraphStore, WriteResult } from './graph-store.ts';

/** A put of each node, then of each link. */
export function putChanges(batch: { readonly nodes?: readonly GraphNode[]; readonly links?: readonly GraphLink[] }): GraphChange[] {
  return [
    ...(batch.nodes ?? []).map((node): GraphChange => ({ kind: 'putNode', node })),
    ...(batch.links ?? []).map((link): GraphChange => ({ kind: 'putLink', link })),
  ];
}

/** `GraphStore.upsert`: audited as one entry (action `upsert`); an empty batch writes nothing and waits for nothing. */
export async function upsertByChanges(
  store: Pick<GraphStore, 'applyChanges'>,
  batch: { readonly nodes?: readonly GraphNode[]; readonly links?: readonly GraphLink[] },
  actor: Actor,
  options: Pick<ChangeOptions, 'onProgress'> = {},
): Promise<WriteResult> {
  const changes = putChanges(batch);
  if (changes.length === 0) return { created: 0, updated: 0, unchanged: 0 };
  const { created, updated, unchanged } = await store.applyChanges(changes, { ...options, actor, action: 'upsert' });
  return { created, updated, unchanged };
}
