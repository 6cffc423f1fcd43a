import type { Core } from 'cytoscape';

declare global {
  interface Window {
    /** The graph view's Cytoscape instance, exposed read-only for end-to-end tests. */
    readonly __cy?: Core;
  }
}
