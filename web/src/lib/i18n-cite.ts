/**
 * The UI strings of versioned citations ("Cite this", the pinned-version banner), in English and Khmer; spread
 * into the tables of i18n.ts, which types and checks them with the rest.
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

export const CITE_KM: Readonly<Record<keyof typeof CITE_EN, string>> = {
  'cite.open': 'ដកស្រង់',
  'cite.openTitle': 'ដកស្រង់ទិដ្ឋភាពនេះ៖ អាសយដ្ឋានដែលបើកវាឡើងវិញ ដូចក្រាហ្វនៅពេលនេះ និងការដកស្រង់ដែលបានរៀបចំទម្រង់',
  'cite.title': 'ដកស្រង់ទិដ្ឋភាពនេះ',
  'cite.intro': 'អាសយដ្ឋាននេះបើកទិដ្ឋភាពឡើងវិញ ដូចក្រាហ្វនៅពេលនេះពិតប្រាកដ (កំណែ {seq} កត់ត្រានៅ {date}) ទោះបីមានការកែសម្រួលនៅពេលក្រោយក៏ដោយ។',
  'cite.address': 'អាសយដ្ឋានដែលបានភ្ជាប់កំណែ',
  'cite.apa': 'ការដកស្រង់ (រចនាប័ទ្ម APA)',
  'cite.bibtex': 'BibTeX (សម្រាប់ LaTeX)',
  'cite.copy': 'ចម្លង',
  'cite.copied': 'បានចម្លង',
  'cite.copyFailed': 'មិនអាចចម្លងបានទេ៖ សូមជ្រើសអត្ថបទ ហើយចម្លងដោយខ្លួនឯង។',
  'cite.loading': 'កំពុងអានកំណែបច្ចុប្បន្ន…',
  'cite.close': 'បិទ',
  'version.banner': 'ដូចដែលបានកត់ត្រានៅ {date} (កំណែ {seq})។',
  'version.today': 'មើលកំណែថ្ងៃនេះ',
  'version.loading': 'កំពុងបើកក្រាហ្វដូចដែលវាមាននៅកំណែ {at}…',
  'version.readOnly': 'ការកែសម្រួលត្រូវបានបិទ ពេលអ្នកមើលកំណែមុន៖ ការកែប្រែធ្វើឡើងលើក្រាហ្វថ្ងៃនេះ។',
};
