// cytoscape-svg ships no type declarations: a Cytoscape extension that adds cy.svg(options) to the core
// (see cytoscape-core.d.ts for that method's type).
declare module 'cytoscape-svg' {
  import type { Ext } from 'cytoscape';
  const svg: Ext;
  export default svg;
}
