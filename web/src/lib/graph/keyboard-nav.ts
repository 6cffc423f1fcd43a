/**
 * The graph's keys (keyAction), and moving the selection with the arrow keys: the next node is the nearest one in
 * the arrow's direction (within 60° of it), nearness counting more than straightness. Pure; the view passes
 * on-screen positions.
 */
export type Arrow = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown';

export interface Placed {
  id: string;
  x: number;
  y: number;
}

const DIRECTION: Readonly<Record<Arrow, { x: number; y: number }>> = {
  ArrowLeft: { x: -1, y: 0 },
  ArrowRight: { x: 1, y: 0 },
  ArrowUp: { x: 0, y: -1 },
  ArrowDown: { x: 0, y: 1 },
};

export function isArrow(key: string): key is Arrow {
  return key in DIRECTION;
}

export function nearestInDirection(from: Placed, candidates: Iterable<Placed>, arrow: Arrow): string | undefined {
  const direction = DIRECTION[arrow];
  let best: string | undefined;
  let bestScore = Infinity;
  for (const other of candidates) {
    if (other.id === from.id) continue;
    const dx = other.x - from.x;
    const dy = other.y - from.y;
    const distance = Math.hypot(dx, dy);
    if (distance < 1e-6) continue;
    const cos = (dx * direction.x + dy * direction.y) / distance;
    if (cos < 0.5) continue; // more than 60° off
    const score = distance * (2 - cos);
    if (score < bestScore) {
      bestScore = score;
      best = other.id;
    }
  }
  return best;
}

export type KeyAction =
  | { kind: 'move'; arrow: Arrow }
  | { kind: 'expand' }
  | { kind: 'menu' }
  | { kind: 'hide' }
  | { kind: 'deselect' }
  | { kind: 'zoom'; factor: number }
  | { kind: 'fit' };

/** Zooming in by the keyboard and the tools; zooming out is by its inverse (rounded as the tools show it). */
export const ZOOM_IN = 1.25;
export const ZOOM_OUT = 0.8;

export function keyAction(key: string, shiftKey: boolean): KeyAction | null {
  if (isArrow(key)) return { kind: 'move', arrow: key };
  switch (key) {
    case 'Enter':
      return { kind: 'expand' };
    case 'ContextMenu':
      return { kind: 'menu' };
    case 'F10':
      return shiftKey ? { kind: 'menu' } : null;
    case 'Delete':
      return { kind: 'hide' };
    case 'Escape':
      return { kind: 'deselect' };
    case '+':
    case '=':
      return { kind: 'zoom', factor: ZOOM_IN };
    case '-':
      return { kind: 'zoom', factor: ZOOM_OUT };
    case '0':
      return { kind: 'fit' };
    default:
      return null;
  }
}
