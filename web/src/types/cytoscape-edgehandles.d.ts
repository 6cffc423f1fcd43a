// cytoscape-edgehandles ships no type declarations: a Cytoscape extension that adds cy.edgehandles(options),
// returning the handle below (see its README: options, draw mode, the eh* events).
declare module 'cytoscape-edgehandles' {
  import type { Ext } from 'cytoscape';
  const edgehandles: Ext;
  export default edgehandles;
}
