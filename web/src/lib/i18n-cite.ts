/**
 * The English UI strings of versioned citations ("Cite this", the pinned-version banner), spread into the table of
 * i18n.ts, which types and checks them with the rest (the Khmer ones are in i18n-km.ts).
 */
export const CITE_EN = {
  'cite.open': 'Cite this',
  'cite.openTitle': 'Cite this scene: an address that reopens it as the graph is now, and a formatted citation',
  'cite.title': 'Cite this scene',
  'cite.intro': 'This address reopens the scene exactly as the graph is now (version {seq}, recorded on {date}), even after later edits.',
  'cite.address': 'Pinned address',
  'cite.apa': 'Citation (APA style)',
  'cite.bibtex': 'BibTeX',
  'cite.copy': 'Copy',
  'cite.copied': 'Copied',
  'cite.copyFailed': 'Could not copy: select the text and copy it yourself.',
  'cite.loading': 'Reading the current version…',
  'cite.close': 'Close',
  'version.banner': 'As recorded on {date} (version {seq}).',
  'version.today': 'See today’s version',
  'version.loading': 'Opening the graph as it was at version {at}…',
  'version.readOnly': 'Editing is off while you view an earlier version: changes are made to today’s graph.',
} as const satisfies Record<string, string>;
