/** Which nodes a drawn link may join (pure; link-drawing asks it while the pointer moves). */
import { allowedLinkTypes, isLabel } from '../../../../server/schema/graph.model.ts';
import type { GraphNode } from '../../../../server/schema/graph.schema.ts';

/** True when the schema allows a link between two nodes, either way round. */
export function canLink(from: Pick<GraphNode, 'id' | 'label'> | undefined, to: Pick<GraphNode, 'id' | 'label'> | undefined): boolean {
  if (!from || !to || from.id === to.id || !isLabel(from.label) || !isLabel(to.label)) return false;
  return allowedLinkTypes(from.label, to.label).length > 0 || allowedLinkTypes(to.label, from.label).length > 0;
}
