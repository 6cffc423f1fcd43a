/**
 * Editing the graph: what the write API does, on any store. Creates make an id from the English name when none is
 * given; updates merge a patch into the current record and validate the result against the schema; every write
 * goes through `GraphStore.applyChanges` (versions, names, endpoints and the audit entry, atomically). Reverting
 * an audit entry writes its `before` states back as a new audited change, refused when a later change touched one
 * of its records.
 */
import type { z } from 'zod';
import type { Editor } from '../auth/editors.ts';
import { Conflict, Forbidden, Invalid, NotFound, PreconditionFailed } from '../domain/errors.ts';
import {
  LinkSchema,
  NODE_SCHEMAS,
  SERVER_SET_PROPERTIES,
  type GraphLink,
  type GraphNode,
  type LinkInput,
  type NodeInput,
} from '../schema/graph.schema.ts';
import type { Story } from '../schema/story.schema.ts';
import { slug } from '../schema/slug.ts';
import { normaliseText } from '../search/text-normalise.ts';
import type { AuditAction, AuditEntry, GraphChange, GraphStore } from '../store/graph-store.ts';
import { recordVersion, withoutStamps } from '../store/record-compare.ts';

/** What If-Match said: any existing version ("*"), or one of these versions. */
export type IfMatch = '*' | readonly number[];

export interface NodeWrite {
  node: GraphNode;
  /** The audit entry; undefined when the write changed nothing. */
  audit: AuditEntry | undefined;
}

export interface LinkWrite {
  link: GraphLink;
  audit: AuditEntry | undefined;
}

export interface Deletion {
  deleted: { nodes: string[]; links: string[] };
  audit: AuditEntry;
}

/** Properties a patch may not set: the identity, and what the server sets. */
const FIXED = new Set<string>(['id', 'label', ...SERVER_SET_PROPERTIES]);
const URL = /^https?:\/\//i;
/** How often a write retries by itself when it lost a race it did not ask to be told about (no If-Match). */
const RETRIES = 3;

// ------------------------------------------------------------------------------------------ nodes

export async function createNode(store: GraphStore, input: NodeInput, editor: Editor): Promise<NodeWrite> {
  const { id: givenId, ...rest } = input;
  const given = givenId as string | undefined;
  const record = normaliseRecord(rest) as Omit<GraphNode, 'id'>;
  await checkSources(store, record.sources ?? []);
  const base = given ?? slug(record.name_en, 100, record.label.toLowerCase());
  return withFreeId(given, base, async (candidate) => (await store.getNode(candidate)) !== undefined, async (id) => {
    const node = { ...record, id } as GraphNode;
    const result = await store.applyChanges([{ kind: 'putNode', node, create: true, checkName: true }], { actor: editor, action: 'create_node' });
    return { node: afterOf(result.entry, 'node', id) as GraphNode, audit: result.entry };
  });
}

export async function updateNode(store: GraphStore, id: string, patch: Record<string, unknown>, editor: Editor, ifMatch?: IfMatch): Promise<NodeWrite> {
  for (let attempt = 0; ; attempt++) {
    const current = await store.getNode(id);
    if (!current) throw new NotFound(`no node with id "${id}"`, { id });
    const expected = matchVersion('node', current, ifMatch);
    const merged = mergePatch(current, patch, Object.keys(NODE_SCHEMAS[current.label].shape), `a ${current.label}`);
    const node = validate(NODE_SCHEMAS[current.label], merged) as GraphNode;
    await checkSources(store, node.sources ?? []);
    try {
      const result = await store.applyChanges([{ kind: 'putNode', node, expectedVersion: expected, checkName: true }], { actor: editor, action: 'update_node' });
      return { node: (afterOf(result.entry, 'node', id) as GraphNode | undefined) ?? current, audit: result.entry };
    } catch (error) {
      if (ifMatch === undefined && attempt < RETRIES && error instanceof PreconditionFailed) continue;
      throw error;
    }
  }
}

/** Deletes a node; with `cascade` (admins only) its links too, in the same audited change. */
export async function deleteNode(store: GraphStore, id: string, options: { cascade: boolean; ifMatch?: IfMatch }, editor: Editor): Promise<Deletion> {
  if (options.cascade && editor.role !== 'admin') {
    throw new Forbidden(`deleting a node with its links (cascade) needs the role admin; ${editor.name} is ${editor.role}`);
  }
  const current = await store.getNode(id);
  if (!current) throw new NotFound(`no node with id "${id}"`, { id });
  const expectedVersion = options.ifMatch === undefined ? undefined : matchVersion('node', current, options.ifMatch);
  const result = await store.applyChanges([{ kind: 'deleteNode', id, expectedVersion, cascade: options.cascade }], { actor: editor, action: 'delete_node' });
  return deletion(result.entry!);
}

// ------------------------------------------------------------------------------------------ links

export async function createLink(store: GraphStore, input: LinkInput, editor: Editor): Promise<LinkWrite> {
  const { id: givenId, ...rest } = input;
  const given = givenId as string | undefined;
  const record = normaliseRecord(rest) as Omit<GraphLink, 'id'>;
  await checkSources(store, record.sources);
  const base = given ?? slug(`${record.from}-${record.type}-${record.to}`, 100, 'link');
  return withFreeId(given, base, async (candidate) => (await store.getLink(candidate)) !== undefined, async (id) => {
    const link = { ...record, id } as GraphLink;
    const result = await store.applyChanges([{ kind: 'putLink', link, create: true }], { actor: editor, action: 'create_link' });
    return { link: afterOf(result.entry, 'link', id) as GraphLink, audit: result.entry };
  });
}

export async function updateLink(store: GraphStore, id: string, patch: Record<string, unknown>, editor: Editor, ifMatch?: IfMatch): Promise<LinkWrite> {
  for (let attempt = 0; ; attempt++) {
    const current = await store.getLink(id);
    if (!current) throw new NotFound(`no link with id "${id}"`, { id });
    const expected = matchVersion('link', current, ifMatch);
    const merged = mergePatch(current, patch, Object.keys(LinkSchema.shape), 'a link');
    const link = validate(LinkSchema, merged) as GraphLink;
    await checkSources(store, link.sources);
    try {
      const result = await store.applyChanges([{ kind: 'putLink', link, expectedVersion: expected }], { actor: editor, action: 'update_link' });
      return { link: (afterOf(result.entry, 'link', id) as GraphLink | undefined) ?? current, audit: result.entry };
    } catch (error) {
      if (ifMatch === undefined && attempt < RETRIES && error instanceof PreconditionFailed) continue;
      throw error;
    }
  }
}

export async function deleteLink(store: GraphStore, id: string, options: { ifMatch?: IfMatch }, editor: Editor): Promise<Deletion> {
  const current = await store.getLink(id);
  if (!current) throw new NotFound(`no link with id "${id}"`, { id });
  const expectedVersion = options.ifMatch === undefined ? undefined : matchVersion('link', current, options.ifMatch);
  const result = await store.applyChanges([{ kind: 'deleteLink', id, expectedVersion }], { actor: editor, action: 'delete_link' });
  return deletion(result.entry!);
}

// ------------------------------------------------------------------------------------------ revert

/** Bulk loads (the seed's upsert, an import): undoing one is a mass deletion (or, for a revert of one, a mass load). */
const BULK_ACTIONS: ReadonlySet<AuditAction> = new Set(['upsert', 'import']);
/** How far a chain of reverts is followed back to the change it started from (chains are short in practice). */
const MAX_REVERT_CHAIN = 50;

/**
 * Who may revert an entry. Bulk loads, and reverts of them (a chain of reverts leading back to one), are the
 * admin's to revert, with one exception: an editor may revert a bulk change they made themselves (the import
 * dialog's undo). That gives them nothing their import did not already allow: the revert puts back exactly what
 * the records were before their own import, and is refused (revert_conflict) once anyone changed one of them since.
 */
async function checkMayRevert(store: GraphStore, entry: AuditEntry, editor: Editor): Promise<void> {
  if (editor.role === 'admin' || entry.by === editor.name) return;
  let origin: AuditEntry | undefined = entry;
  for (let step = 0; origin?.action === 'revert' && origin.revert_of && step < MAX_REVERT_CHAIN; step++) {
    origin = await store.getAudit(origin.revert_of);
  }
  if (origin && !BULK_ACTIONS.has(origin.action)) return;
  const what = entry.action === 'revert' ? `a revert of a bulk ${origin?.action ?? 'load'}` : `a bulk ${entry.action}`;
  throw new Forbidden(
    `reverting ${what} by ${entry.by} needs the role admin (an editor may revert only their own import); ${editor.name} is ${editor.role}`,
    { id: entry.id, by: entry.by, action: entry.action },
  );
}

/**
 * Undoes one audit entry as a new audited change (action `revert`): each record goes back to its `before` (a
 * creation is deleted, a deletion restored). Refused (409 `revert_conflict`) when a later change touched any of
 * its records, i.e. when a record is not at the version this entry left it at.
 */
export async function revertChange(store: GraphStore, auditId: string, editor: Editor): Promise<AuditEntry> {
  const entry = await store.getAudit(auditId);
  if (!entry) throw new NotFound(`no audit entry with id "${auditId}"`, { id: auditId });
  await checkMayRevert(store, entry, editor);
  const nodeIds = entry.changes.filter((c) => c.entity === 'node').map((c) => c.id);
  const linkIds = entry.changes.filter((c) => c.entity === 'link').map((c) => c.id);
  const nodes = new Map((await store.getNodes(nodeIds)).map((n) => [n.id, n]));
  // One read for them all (a bulk load's entry holds hundreds of thousands: not a read each).
  const links = new Map((await store.getLinks(linkIds)).map((l) => [l.id, l] as const));
  const storyIds = entry.changes.filter((c) => c.entity === 'story').map((c) => c.id);
  const stories = new Map((await Promise.all(storyIds.map((id) => store.getStory(id)))).flatMap((s) => (s ? [[s.id, s] as const] : [])));
  const changes: GraphChange[] = [];
  // Backwards: a cascade's node comes back before its links, an upsert's links go before its nodes.
  for (const change of [...entry.changes].reverse()) {
    const current = change.entity === 'node' ? nodes.get(change.id) : change.entity === 'story' ? stories.get(change.id) : links.get(change.id);
    const later = laterChange(change.entity, change.id, current, change.after);
    if (later) {
      throw new Conflict(`cannot revert ${auditId}: ${later}`, { id: auditId, entity: change.entity, record: change.id }, 'revert_conflict');
    }
    const expectedVersion = change.after ? recordVersion(change.after) : undefined;
    if (change.entity === 'story') {
      changes.push(
        change.before
          ? { kind: 'putStory', story: change.before as Story, restore: true, expectedVersion, create: change.after === null }
          : { kind: 'deleteStory', id: change.id, expectedVersion },
      );
    } else if (!change.before) {
      changes.push(change.entity === 'node' ? { kind: 'deleteNode', id: change.id, expectedVersion } : { kind: 'deleteLink', id: change.id, expectedVersion });
    } else if (change.entity === 'node') {
      changes.push({ kind: 'putNode', node: change.before as GraphNode, restore: true, expectedVersion, create: change.after === null, checkName: true });
    } else {
      changes.push({ kind: 'putLink', link: change.before as GraphLink, restore: true, expectedVersion, create: change.after === null });
    }
  }
  try {
    const result = await store.applyChanges(changes, { actor: editor, action: 'revert', revertOf: auditId });
    if (!result.entry) throw new Conflict(`reverting ${auditId} changes nothing`, { id: auditId }, 'revert_conflict');
    return result.entry;
  } catch (error) {
    // Changed between our look and our write: the same answer as a later change seen above.
    if (error instanceof PreconditionFailed || (error instanceof Conflict && error.code === 'id_taken')) {
      throw new Conflict(`cannot revert ${auditId}: ${error.message}`, { id: auditId, ...error.details }, 'revert_conflict');
    }
    throw error;
  }
}

/** Why a record is no longer as an audit entry left it, or undefined when it still is. */
function laterChange(entity: string, id: string, current: object | undefined, after: object | null): string | undefined {
  if (after === null) return current ? `${entity} ${id} was created again by a later change` : undefined;
  if (!current) return `${entity} ${id} was deleted by a later change`;
  const now = recordVersion(current);
  const then = recordVersion(after);
  return now === then ? undefined : `${entity} ${id} was changed by a later change (version ${then} then, ${now} now)`;
}

// ------------------------------------------------------------------------------------------ helpers

/** The version a write may expect, after checking If-Match against the current record (412 when it does not match). */
function matchVersion(entity: string, current: object, ifMatch: IfMatch | undefined): number {
  const version = recordVersion(current);
  if (ifMatch === undefined || ifMatch === '*' || ifMatch.includes(version)) return version;
  const id = (current as { id: string }).id;
  throw new PreconditionFailed(`${entity} ${id} is at version ${version}, not ${ifMatch.join(' or ')}: it changed since you read it; read it again`, {
    entity,
    id,
    expected: ifMatch,
    current: version,
  });
}

/**
 * The current record with a patch applied: a value sets a property, null removes it. `id`, `label`, audit
 * stamps and `version` cannot be patched, and only properties the schema knows can be set.
 */
function mergePatch(current: object, patch: Record<string, unknown>, known: readonly string[], what: string): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...withoutStamps(current) };
  for (const [key, value] of Object.entries(patch)) {
    if (FIXED.has(key)) {
      const why = key === 'id' || key === 'label' ? 'cannot be changed' : 'is set by the server, not by clients (send If-Match for the version)';
      throw bodyInvalid(key, why);
    }
    if (!known.includes(key)) throw bodyInvalid(key, `is not a property of ${what}`);
    if (value === null) delete merged[key];
    else merged[key] = normaliseValue(value);
  }
  return merged;
}

function validate<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw bodyInvalid(issue.path.map(String).join('.') || '(all)', issue.message, result.error.issues);
}

function bodyInvalid(parameter: string, message: string, issues?: z.core.$ZodIssue[]): Invalid {
  return new Invalid(
    `body parameter "${parameter}": ${message}`,
    {
      parameter,
      where: 'body',
      issues: issues ? issues.map((i) => ({ parameter: i.path.map(String).join('.'), message: i.message })) : [{ parameter, message }],
    },
    'invalid_parameter',
  );
}

/**
 * Text as it is stored: NFC, invisible characters removed (a Khmer name typed with zero-width spaces matches one
 * without). Properties are text or lists of text, so one level is all there is to normalise; anything nested deeper
 * is left for the schema to refuse (recursing into it would let a deeply nested body overflow the stack).
 */
function normaliseValue(value: unknown): unknown {
  if (typeof value === 'string') return normaliseText(value);
  if (Array.isArray(value)) return value.map((item: unknown) => (typeof item === 'string' ? normaliseText(item) : item));
  return value;
}

function normaliseRecord<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined).map(([k, v]) => [k, normaliseValue(v)])) as T;
}

/** Every source that is not a URL must be the id of a Document in the graph. */
export async function checkSources(store: GraphStore, sources: readonly string[]): Promise<void> {
  const ids = sources.filter((s) => !URL.test(s));
  if (ids.length === 0) return;
  const documents = new Set((await store.getNodes(ids)).filter((n) => n.label === 'Document').map((n) => n.id));
  const bad = ids.find((id) => !documents.has(id));
  if (bad !== undefined) throw bodyInvalid('sources', `"${bad}" is neither an http(s) URL nor the id of a Document`);
}

/**
 * Creates a record under the given id, or else under `base` or the next free `base-N`: a generated id taken
 * between our look and our write is retried with the next one.
 */
async function withFreeId<T>(given: string | undefined, base: string, taken: (id: string) => Promise<boolean>, create: (id: string) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const id = given ?? (await freeId(base, taken));
    try {
      return await create(id);
    } catch (error) {
      if (!given && attempt < RETRIES && error instanceof Conflict && error.code === 'id_taken') continue;
      throw error;
    }
  }
}

/** `base`, or `base-2`, `base-3` … whichever is not taken. */
async function freeId(base: string, taken: (id: string) => Promise<boolean>): Promise<string> {
  if (!(await taken(base))) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!(await taken(candidate))) return candidate;
  }
}

function afterOf(entry: AuditEntry | undefined, entity: 'node' | 'link', id: string): GraphNode | GraphLink | undefined {
  return (entry?.changes.find((c) => c.entity === entity && c.id === id)?.after ?? undefined) as GraphNode | GraphLink | undefined;
}

function deletion(entry: AuditEntry): Deletion {
  return {
    deleted: {
      nodes: entry.changes.filter((c) => c.entity === 'node').map((c) => c.id),
      links: entry.changes.filter((c) => c.entity === 'link').map((c) => c.id),
    },
    audit: entry,
  };
}
