/**
 * The graph view's machinery that works on a drawn graph only — the model applied to the drawing, the layouts,
 * highlighting, the viewport, link drawing, pointer and keyboard actions. GraphView.svelte loads it with Cytoscape,
 * so it is not part of the first screen's code, which a slow phone downloads and runs before anything shows
 * (issue 18).
 */
export { graphStylesheet } from './stylesheet.ts';
export { elementsOf, highlightPaths, highlightSelection } from './highlight.ts';
export { bindInteractions } from './interactions.ts';
export { runKey } from './keyboard-actions.ts';
export { LayoutRunner } from './layout-runner.ts';
export { LinkDrawing } from './link-drawing.ts';
export { ModelSync } from './model-sync.ts';
export { fitAll, fitIfOverflowing, focusOn, wholeInView, zoomBy } from './viewport.ts';
