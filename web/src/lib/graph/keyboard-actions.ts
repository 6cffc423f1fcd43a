/**
 * The graph's keyboard: arrows move the selection to the nearest node that way; Enter expands; the menu key (or
 * Shift+F10) opens the node's actions; Delete hides it; Escape clears the selection; + − 0 zoom and fit. Which
 * key does what is keyAction (keyboard-nav.ts, pure); runKey carries it out on the drawn graph.
 */
import type { Core, NodeCollection, NodeSingular } from 'cytoscape';
import { elementsOf } from './highlight.ts';
import { keyAction, nearestInDirection, type Arrow } from './keyboard-nav.ts';
import { fitAll, revealNode, zoomBy } from './viewport.ts';

/** What the keys act on: the selection, and what the explorer does with a node. */
export interface KeyTarget {
  /** The selected node's id, if any. */
  focus: string | null;
  select(id: string | null): void;
  expand(id: string): void;
  hide(id: string): void;
  /** Opens the node's menu at a rendered position of the node. */
  openMenu(id: string, at: { x: number; y: number }): void;
}

/** A key pressed (a KeyboardEvent). */
export interface KeyPress {
  key: string;
  shiftKey: boolean;
  preventDefault(): void;
}

/** Carries out a key on the graph; keys it acts on do not do what the browser would. */
export function runKey(core: Core, event: KeyPress, target: KeyTarget): void {
  const action = keyAction(event.key, event.shiftKey);
  if (!action) return;
  const { focus } = target;
  const current = focus ? elementsOf(core, focus).first() : undefined;
  switch (action.kind) {
    case 'move':
      event.preventDefault();
      move(core, current, action.arrow, target);
      return;
    case 'expand':
    case 'hide':
      if (focus) {
        event.preventDefault();
        target[action.kind](focus);
      }
      return;
    case 'menu':
      if (focus && current?.nonempty()) {
        event.preventDefault();
        target.openMenu(focus, current.renderedPosition());
      }
      return;
    case 'deselect':
      target.select(null);
      return;
    case 'zoom':
      event.preventDefault();
      zoomBy(core, action.factor);
      return;
    case 'fit':
      event.preventDefault();
      fitAll(core);
      return;
  }
}

/** Selects the nearest node in the arrow's direction (the first node when none is selected), brought into view. */
function move(core: Core, current: NodeSingular | undefined, arrow: Arrow, target: KeyTarget): void {
  const nodes = core.nodes().filter((n) => !n.hasClass('deco') && n.visible()) as NodeCollection;
  if (!current || current.empty()) {
    const first = nodes.first();
    if (first.nonempty()) target.select(String(first.data('ref')));
    return;
  }
  const from = { id: current.id(), ...current.renderedPosition() };
  const next = nearestInDirection(from, nodes.map((n) => ({ id: n.id(), ...n.renderedPosition() })), arrow);
  if (next) {
    const node = core.getElementById(next);
    target.select(String(node.data('ref')));
    revealNode(core, node);
  }
}
