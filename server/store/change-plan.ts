/**
 * Turns the changes of one write into the records to store and the audit changes to record, checking them against
 * what is stored: the same code for every store, so that every store accepts and refuses the same writes with the
 * same messages. A store reads through `StateReader` (inside its transaction, or under its write queue) and then
 * writes what the plan says, with the audit entry, atomically.
 */
import { Conflict, Invalid, NotFound, PreconditionFailed } from '../domain/errors.ts';
import { LINK_NEEDS_SOURCE, checkLinkEndpoints, type GraphLink, type GraphNode, type Label } from '../schema/graph.schema.ts';
import { nameKeyVariants } from '../schema/name-key.ts';
import type { Story } from '../schema/story.schema.ts';
import type { AuditChange, EntityKind, GraphChange } from './graph-store.ts';
import { recordVersion, sameRecord, stampRecord } from './record-compare.ts';

/** What the planner needs to know of the stored graph. Lookups may return more than asked for, never less. */
export interface StateReader {
  /** The stored nodes among `ids`. */
  nodes(ids: readonly string[]): Promise<readonly GraphNode[]>;
  /** The labels of the stored nodes among `ids` (for link endpoints). */
  labels(ids: readonly string[]): Promise<ReadonlyMap<string, Label>>;
  /** The stored links among `ids`. */
  links(ids: readonly string[]): Promise<readonly GraphLink[]>;
  /** Every stored link that starts or ends at one of `ids`. */
  linksTouching(ids: readonly string[]): Promise<readonly GraphLink[]>;
  /**
   * Nodes of `label` that may have a name whose key (server/schema/name-key.ts) is `key` (a superset: the planner
   * compares exactly).
   */
  nameCandidates(label: Label, key: string): Promise<readonly GraphNode[]>;
  /** The stored stories among `ids`. */
  stories(ids: readonly string[]): Promise<readonly Story[]>;
}

export interface Plan {
  /** In the order to apply them: see `writeOrder`. */
  changes: AuditChange[];
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
}

const key = (entity: EntityKind, id: string) => `${entity}:${id}`;

/**
 * The name keys by which a node must be unique within its label: NFKC, case, spaces and invisibles folded, and the
 * TR39 confusables skeleton, so that a full-width, Cyrillic or Khmer look-alike of a name is the same name.
 */
export function nameKeys(node: Pick<GraphNode, 'name_en' | 'name_km'>): { field: 'name_en' | 'name_km'; value: string }[] {
  const out: { field: 'name_en' | 'name_km'; value: string }[] = [];
  for (const field of ['name_en', 'name_km'] as const) {
    for (const value of typeof node[field] === 'string' ? nameKeyVariants(node[field]) : []) out.push({ field, value });
  }
  return out;
}

export async function planChanges(
  changes: readonly GraphChange[],
  options: { by: string; at: string },
  state: StateReader,
): Promise<Plan> {
  // One change per record in a write.
  const seen = new Set<string>();
  for (const change of changes) {
    const entity = entityOf(change);
    const id = idOf(change);
    if (seen.has(key(entity, id))) throw new Invalid(`${entity} ${id} appears twice in one write`, { [entity]: id });
    seen.add(key(entity, id));
  }

  // Everything the checks read, fetched up front.
  const nodeIds = new Set<string>();
  const linkIds = new Set<string>();
  const storyIds = new Set<string>();
  const endpointIds = new Set<string>();
  const deletedNodeIds: string[] = [];
  for (const change of changes) {
    if (change.kind === 'putStory' || change.kind === 'deleteStory') storyIds.add(idOf(change));
    else if (change.kind === 'putNode') nodeIds.add(change.node.id);
    else if (change.kind === 'deleteNode') {
      nodeIds.add(change.id);
      deletedNodeIds.push(change.id);
    } else if (change.kind === 'putLink') {
      linkIds.add(change.link.id);
      endpointIds.add(change.link.from);
      endpointIds.add(change.link.to);
    } else linkIds.add(change.id);
  }
  /** The graph as this write leaves it so far: a record, or null for "does not exist". */
  const nodes = new Map<string, GraphNode | null>([...nodeIds].map((id) => [id, null]));
  for (const node of await state.nodes([...nodeIds])) if (nodes.has(node.id)) nodes.set(node.id, node);
  const links = new Map<string, GraphLink | null>([...linkIds].map((id) => [id, null]));
  for (const link of await state.links([...linkIds])) if (links.has(link.id)) links.set(link.id, link);
  const stories = new Map<string, Story | null>([...storyIds].map((id) => [id, null]));
  if (storyIds.size > 0) for (const story of await state.stories([...storyIds])) if (stories.has(story.id)) stories.set(story.id, story);
  const touching = deletedNodeIds.length > 0 ? await state.linksTouching(deletedNodeIds) : [];
  for (const link of touching) if (!links.has(link.id)) links.set(link.id, link);
  const otherIds = [...endpointIds].filter((id) => !nodes.has(id));
  const storedLabels = otherIds.length > 0 ? await state.labels(otherIds) : new Map<string, Label>();
  const labelOf = (id: string): Label | undefined => {
    if (nodes.has(id)) return nodes.get(id)?.label;
    return storedLabels.get(id);
  };

  const plan: Plan = { changes: [], created: 0, updated: 0, deleted: 0, unchanged: 0 };
  const record = (entity: EntityKind, id: string, before: GraphNode | GraphLink | Story | null, after: GraphNode | GraphLink | Story | null) => {
    plan.changes.push({ entity, id, before, after });
    if (!after) plan.deleted++;
    else if (before) plan.updated++;
    else plan.created++;
  };

  for (const change of changes) {
    switch (change.kind) {
      case 'putNode': {
        const node = change.node;
        const existing = nodes.get(node.id) ?? undefined;
        if (existing && existing.label !== node.label) {
          throw new Conflict(`node ${node.id} exists as a ${existing.label}, not a ${node.label}`, { id: node.id });
        }
        if (existing && change.create) {
          throw new Conflict(`a node with id "${node.id}" already exists`, { id: node.id, entity: 'node' }, 'id_taken');
        }
        checkVersion('node', node.id, existing, change.expectedVersion);
        if (existing && sameRecord(existing, node)) {
          plan.unchanged++;
          continue;
        }
        if (change.checkName) await checkName(node, existing, nodes, state);
        const after = stampRecord(node, existing, options.by, options.at, change.restore ? node : undefined);
        nodes.set(node.id, after);
        record('node', node.id, existing ?? null, after);
        break;
      }
      case 'deleteNode': {
        const existing = nodes.get(change.id) ?? undefined;
        if (!existing) throw new NotFound(`no node with id "${change.id}"`, { id: change.id });
        checkVersion('node', change.id, existing, change.expectedVersion);
        const attached = [...links.values()].filter(
          (link): link is GraphLink => link !== null && (link.from === change.id || link.to === change.id),
        );
        if (attached.length > 0 && !change.cascade) {
          throw new Conflict(
            `node ${change.id} has ${attached.length} link${attached.length === 1 ? '' : 's'}; delete ${attached.length === 1 ? 'it' : 'them'} first, or delete the node with cascade`,
            { id: change.id, links: attached.length },
            'has_links',
          );
        }
        for (const link of attached.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
          links.set(link.id, null);
          record('link', link.id, link, null);
        }
        nodes.set(change.id, null);
        record('node', change.id, existing, null);
        break;
      }
      case 'putLink': {
        const link = change.link;
        const existing = links.get(link.id) ?? undefined;
        if (existing && change.create) {
          throw new Conflict(`a link with id "${link.id}" already exists`, { id: link.id, entity: 'link' }, 'id_taken');
        }
        checkVersion('link', link.id, existing, change.expectedVersion);
        const fromLabel = labelOf(link.from);
        const toLabel = labelOf(link.to);
        if (!fromLabel || !toLabel) {
          const missing = fromLabel ? link.to : link.from;
          throw new Invalid(`link ${link.id}: node ${missing} does not exist`, { link: link.id, missing });
        }
        const problem = checkLinkEndpoints(link.type, fromLabel, toLabel);
        if (problem) throw new Invalid(`link ${link.id}: ${problem}`, { link: link.id });
        if ((link.sources ?? []).length === 0 && !link.draft) {
          throw new Invalid(`link ${link.id}: ${LINK_NEEDS_SOURCE}`, { link: link.id, parameter: 'sources' });
        }
        if (link.from === link.to) throw new Invalid(`link ${link.id}: a link cannot connect a node to itself`, { link: link.id });
        if (existing && sameRecord(existing, link)) {
          plan.unchanged++;
          continue;
        }
        const after = stampRecord(link, existing, options.by, options.at, change.restore ? link : undefined);
        links.set(link.id, after);
        record('link', link.id, existing ?? null, after);
        break;
      }
      case 'deleteLink': {
        const existing = links.get(change.id) ?? undefined;
        if (!existing) throw new NotFound(`no link with id "${change.id}"`, { id: change.id });
        checkVersion('link', change.id, existing, change.expectedVersion);
        links.set(change.id, null);
        record('link', change.id, existing, null);
        break;
      }
      case 'putStory': {
        const story = change.story;
        const existing = stories.get(story.id) ?? undefined;
        if (existing && change.create) {
          throw new Conflict(`a story with id "${story.id}" already exists`, { id: story.id, entity: 'story' }, 'id_taken');
        }
        checkVersion('story', story.id, existing, change.expectedVersion);
        if (existing && sameRecord(existing, story)) {
          plan.unchanged++;
          continue;
        }
        const after = stampRecord(story, existing, options.by, options.at, change.restore ? story : undefined);
        stories.set(story.id, after);
        record('story', story.id, existing ?? null, after);
        break;
      }
      case 'deleteStory': {
        const existing = stories.get(change.id) ?? undefined;
        if (!existing) throw new NotFound(`no story with id "${change.id}"`, { id: change.id });
        checkVersion('story', change.id, existing, change.expectedVersion);
        stories.set(change.id, null);
        record('story', change.id, existing, null);
        break;
      }
    }
  }
  return plan;
}

function entityOf(change: GraphChange): EntityKind {
  if (change.kind === 'putNode' || change.kind === 'deleteNode') return 'node';
  if (change.kind === 'putStory' || change.kind === 'deleteStory') return 'story';
  return 'link';
}

function idOf(change: GraphChange): string {
  switch (change.kind) {
    case 'putNode':
      return change.node.id;
    case 'putLink':
      return change.link.id;
    case 'putStory':
      return change.story.id;
    default:
      return change.id;
  }
}

function checkVersion(entity: EntityKind, id: string, existing: object | undefined, expected: number | undefined): void {
  if (expected === undefined) return;
  if (!existing) throw new NotFound(`no ${entity} with id "${id}"`, { id });
  const current = recordVersion(existing);
  if (current !== expected) {
    throw new PreconditionFailed(
      `${entity} ${id} is at version ${current}, not ${expected}: it changed since it was read; read it again and retry`,
      { entity, id, expected, current },
    );
  }
}

/** Conflict `duplicate_name` when another node of the label has an English or Khmer name of the same key. */
async function checkName(node: GraphNode, existing: GraphNode | undefined, nodes: ReadonlyMap<string, GraphNode | null>, state: StateReader): Promise<void> {
  const before = new Set(existing ? nameKeys(existing).map((k) => `${k.field}|${k.value}`) : []);
  for (const { field, value } of nameKeys(node)) {
    // A node keeps a name it already had (the seed has a few duplicates; editing other fields must not fail).
    if (before.has(`${field}|${value}`)) continue;
    const candidates = new Map<string, GraphNode>();
    for (const candidate of await state.nameCandidates(node.label, value)) candidates.set(candidate.id, candidate);
    for (const [id, current] of nodes) {
      if (current) candidates.set(id, current);
      else candidates.delete(id); // deleted earlier in this write
    }
    for (const candidate of candidates.values()) {
      if (candidate.id === node.id || candidate.label !== node.label) continue;
      const theirs = nameKeys(candidate).find((k) => k.value === value);
      if (theirs) {
        throw new Conflict(
          `a ${node.label} named "${node[field]}" already exists: ${candidate.id}`,
          { id: node.id, existing: candidate.id, field },
          'duplicate_name',
        );
      }
    }
  }
}

/**
 * The order in which a store applies a plan's changes so that every step is valid: link deletions (a link that
 * changes its ends or type is deleted and created again by stores that cannot move one), node puts, link puts,
 * node deletions (their links are gone by then). Stories stand apart from the graph: in any order.
 */
export function writeOrder(changes: readonly AuditChange[]): {
  deleteLinks: GraphLink[];
  putNodes: GraphNode[];
  putLinks: { link: GraphLink; before: GraphLink | null }[];
  deleteNodes: GraphNode[];
  putStories: Story[];
  deleteStories: string[];
} {
  const out = {
    deleteLinks: [] as GraphLink[],
    putNodes: [] as GraphNode[],
    putLinks: [] as { link: GraphLink; before: GraphLink | null }[],
    deleteNodes: [] as GraphNode[],
    putStories: [] as Story[],
    deleteStories: [] as string[],
  };
  for (const change of changes) {
    if (change.entity === 'story') {
      if (change.after) out.putStories.push(change.after as Story);
      else out.deleteStories.push(change.id);
    } else if (change.entity === 'node') {
      if (change.after) out.putNodes.push(change.after as GraphNode);
      else if (change.before) out.deleteNodes.push(change.before as GraphNode);
    } else if (change.after) out.putLinks.push({ link: change.after as GraphLink, before: change.before as GraphLink | null });
    else if (change.before) out.deleteLinks.push(change.before as GraphLink);
  }
  return out;
}
