/**
 * The one place where Cytoscape is loaded and its extensions are registered (cytoscape.use patches prototypes,
 * so it must happen once). Both are imported on demand, so the page shell shows before the graph engine arrives.
 */
import type cytoscapeType from 'cytoscape';

let loading: Promise<typeof cytoscapeType> | undefined;

export function loadCytoscape(): Promise<typeof cytoscapeType> {
  loading ??= Promise.all([import('cytoscape'), import('cytoscape-fcose')]).then(
    ([{ default: cytoscape }, { default: fcose }]) => {
      cytoscape.use(fcose);
      return cytoscape;
    },
    (error: unknown) => {
      loading = undefined; // let a later attempt try again
      throw error;
    },
  );
  return loading;
}
