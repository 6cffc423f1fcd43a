/**
 * The side panel's list of a node's links, grouped by relationship type and direction (outgoing first), in the
 * schema's order of types. Pure.
 */
import type { GraphLink, LinkType } from '../../../server/schema/graph.schema.ts';
import { LINK_TYPES } from '../../../server/schema/graph.model.ts';

export type LinkDirection = 'out' | 'in';

export interface LinkRow {
  link: GraphLink;
  /** The node at the other end. */
  otherId: string;
}

export interface LinkGroup {
  type: LinkType;
  direction: LinkDirection;
  rows: LinkRow[];
}

export function groupLinks(links: readonly GraphLink[], nodeId: string): LinkGroup[] {
  const groups = new Map<string, LinkGroup>();
  for (const link of links) {
    const direction: LinkDirection = link.from === nodeId ? 'out' : 'in';
    const key = `${link.type}:${direction}`;
    let group = groups.get(key);
    if (!group) {
      group = { type: link.type, direction, rows: [] };
      groups.set(key, group);
    }
    group.rows.push({ link, otherId: direction === 'out' ? link.to : link.from });
  }
  const order = (group: LinkGroup) => LINK_TYPES.indexOf(group.type) * 2 + (group.direction === 'out' ? 0 : 1);
  return [...groups.values()].sort((a, b) => order(a) - order(b));
}
