/**
 * The view models of Lineage and Partnerships, a chunk of their own (view-models.svelte.ts loads it): the DAR
 * scene opens in Explore, and a slow phone's first screen should not download and run them (issue 18).
 */
export { lineageView } from './lineage.view.ts';
export { partnershipsView } from './partnerships.view.ts';
