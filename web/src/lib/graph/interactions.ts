/**
 * What pointing at the drawn graph does: tapping a node selects it, an edge shows its link, the background clears
 * both; a double tap expands; a right click or a finger's long press opens the node's menu (the tap that ends a
 * long press is not a tap); dropping a pinned node pins it where it is; hovering shows a pointer (nodes) or a
 * highlight (edges). The explorer's actions come as handlers.
 */
import type { Core, EventObject, NodeSingular, SingularElementArgument } from 'cytoscape';
import type { Point } from '../views/view-model.ts';

export interface GraphHandlers {
  /** Any tap on a node or the background closes an open menu. */
  closeMenu(): void;
  selectNode(ref: string | null): void;
  selectLink(linkId: string | null): void;
  expand(ref: string): void;
  /** Opens a node's menu at a point of the page. */
  openMenu(ref: string, at: Point): void;
  pinMoved(ref: string, at: Point): void;
  /** A single tap on a node or link, once it is not the first of a double tap: show the side panel (a sheet on phones). */
  showPanel(): void;
}

/** The graph node a drawn node stands for (copies carry it in `ref`). */
export function refOf(target: SingularElementArgument): string {
  return String(target.data('ref') ?? target.id());
}

export function bindInteractions(core: Core, container: HTMLElement, handlers: GraphHandlers): void {
  // Cytoscape ends a long press with a tap on the same node when the finger lifts: that tap must not close the
  // menu the long press opened (nor select again). Each touch starts afresh.
  let held = false;
  core.on('tapstart', () => {
    held = false;
  });
  core.on('tap', 'node', (event: EventObject) => {
    if (held) return;
    handlers.closeMenu();
    const ref = refOf(event.target);
    if (ref) {
      handlers.selectLink(null);
      handlers.selectNode(ref);
    }
  });
  core.on('tap', 'edge', (event: EventObject) => {
    const linkId = event.target.data('linkId') as string | undefined;
    if (linkId) handlers.selectLink(linkId);
  });
  core.on('tap', (event: EventObject) => {
    if (event.target === core) {
      handlers.closeMenu();
      handlers.selectLink(null);
      handlers.selectNode(null);
    }
  });
  // Cytoscape tells a single tap from a double one after its double-tap window: the sheet opening at once on the
  // first tap would cover the node before the second.
  core.on('onetap', 'node, edge', () => {
    if (!held) handlers.showPanel();
  });
  core.on('dbltap', 'node', (event: EventObject) => {
    const ref = refOf(event.target);
    if (ref) handlers.expand(ref);
  });
  const openMenu = (event: EventObject) => {
    const ref = refOf(event.target);
    if (!ref) return;
    const box = container.getBoundingClientRect();
    const at = event.renderedPosition ?? event.target.renderedPosition();
    handlers.openMenu(ref, { x: box.left + at.x, y: box.top + at.y });
  };
  core.on('cxttap', 'node', openMenu);
  // A long press is a finger's: a mouse button held down (or a click the browser is slow to finish) is a click, and
  // a mouse opens the menu with its right button.
  core.on('taphold', 'node', (event: EventObject) => {
    const original = event.originalEvent as Event | undefined;
    if (!original || !('touches' in original)) return;
    held = true;
    openMenu(event);
  });
  core.on('dragfree', 'node', (event: EventObject) => {
    const node = event.target as NodeSingular;
    if (node.hasClass('pinned')) handlers.pinMoved(refOf(node), node.position());
  });
  core.on('mouseover', 'node', (event: EventObject) => {
    if (!event.target.hasClass('deco')) container.classList.add('pointing');
  });
  core.on('mouseout', 'node', () => container.classList.remove('pointing'));
  core.on('mouseover', 'edge', (event: EventObject) => event.target.addClass('hover'));
  core.on('mouseout', 'edge', (event: EventObject) => event.target.removeClass('hover'));
}
