/**
 * Upgrades of stored data from one version of the model (SCHEMA_VERSION in the schema module) to the next, shared
 * by both stores. A store records the version it holds (the embedded store in DATA_DIR/schema.json, Neo4j in a
 * :SchemaVersion node); on open, a store written by an older version is upgraded step by step and the new version
 * recorded; one written by a newer version is refused (an older app would misread it).
 *
 * A step may rewrite node and link records (`node`, `link`: pure functions of one stored record) — the embedded
 * store applies them while loading and then writes a snapshot, Neo4j runs `cypher` — or be purely additive
 * (neither), as versions 2 and 3 are: every record of version 1 is a valid record of version 2, kept as it is with
 * its id, links and audit trail, and every database of version 2 is one of version 3. A step may be additive and still
 * be needed: version 3 stores nothing new in records, but an app of version 2 opening a Neo4j database holding a bulk
 * load's entry with :AuditPart nodes would show that entry with no changes; the recorded 3 makes it refuse instead.
 */
import { CorruptData } from '../domain/errors.ts';
import { SCHEMA_VERSION, type GraphLink, type GraphNode } from '../schema/graph.schema.ts';

export interface SchemaUpgrade {
  /** The version this step upgrades to (from `to - 1`). */
  to: number;
  summary: string;
  node?: (node: GraphNode) => GraphNode;
  link?: (link: GraphLink) => GraphLink;
  /** Neo4j statements of the step (constants, no user input), run in order in one transaction each. */
  cypher?: readonly string[];
}

/** The version a store holds when it records none but has data: written before versions were recorded. */
export const FIRST_SCHEMA_VERSION = 1;

export const SCHEMA_UPGRADES: readonly SchemaUpgrade[] = Object.freeze([
  {
    to: 2,
    summary: 'labels Law and Event, links SUPPORTS and ESTABLISHED_BY, Programme.kind and .identifiers, Organisation.start/end/summary (additive)',
  },
  {
    to: 3,
    summary: 'Neo4j bulk-load audit entries may keep their changes in :AuditPart nodes (additive: no record rewritten)',
  },
]);

/** The steps from `stored` to the current version, in order; throws CorruptData for a version this app does not know. */
export function upgradesFrom(stored: number, where: string): SchemaUpgrade[] {
  if (!Number.isInteger(stored) || stored < FIRST_SCHEMA_VERSION) {
    throw new CorruptData(`${where} records schema version ${String(stored)}, which is not a version of this model`);
  }
  if (stored > SCHEMA_VERSION) {
    throw new CorruptData(
      `${where} was written by a newer version of DAR Knowledge Graph (schema version ${stored}; this version knows up to ${SCHEMA_VERSION}); it was not changed. Run the newer version, or restore a backup.`,
    );
  }
  return SCHEMA_UPGRADES.filter((step) => step.to > stored && step.to <= SCHEMA_VERSION);
}

/** A node record as the current model has it, after the given steps. */
export function upgradeNode(node: GraphNode, steps: readonly SchemaUpgrade[]): GraphNode {
  return steps.reduce((current, step) => (step.node ? step.node(current) : current), node);
}

/** A link record as the current model has it, after the given steps. */
export function upgradeLink(link: GraphLink, steps: readonly SchemaUpgrade[]): GraphLink {
  return steps.reduce((current, step) => (step.link ? step.link(current) : current), link);
}

/** True when a step rewrites records (so that the embedded store writes a snapshot of the upgraded records). */
export function rewritesRecords(steps: readonly SchemaUpgrade[]): boolean {
  return steps.some((step) => step.node !== undefined || step.link !== undefined);
}
