/**
 * Every UI string of the explorer, in English and Khmer. Label and relationship-type names are not here: they
 * come from the schema module (LABEL_NAMES, LINK_TYPE_NAMES). Placeholders are written {name}.
 */

export const LANGS = ['en', 'km'] as const;
export type Lang = (typeof LANGS)[number];

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

const en = {
  'app.title': 'DAR Knowledge Graph',
  'app.subtitle': 'Decentralisation and Administrative Reform, Cambodia',
  'lang.label': 'Language',
  'lang.en': 'English',
  'lang.km': 'ខ្មែរ',

  'search.label': 'Search the graph',
  'search.placeholder': 'Search programmes, organisations, places, documents…',
  'search.searching': 'Searching…',
  'search.noResults': 'Nothing found for “{q}”',
  'search.suggestions': 'Suggestions',
  'search.hint': '↑ ↓ to move, Enter to open, Esc to close',

  'graph.label': 'Graph of the selected part of the DAR knowledge graph',
  'graph.status': '{nodes} nodes · {links} links',
  'graph.loading': 'Loading…',
  'graph.layout': 'Arranging…',
  'graph.engine': 'Loading the graph view…',
  'graph.hint': 'Click a node to see its details; double-click it to show its neighbours.',
  'graph.more': '+{n} more',
  'graph.fit': 'Fit to screen',
  'graph.reset': 'Back to DAR',
  'graph.added': 'Added {n} nodes around {name}',
  'graph.addedNone': 'Everything around {name} is already shown',

  'legend.title': 'Legend',
  'legend.link': 'link (arrow: from → to)',
  'legend.draft': 'unsourced draft link',
  'legend.more': 'has neighbours not shown yet',

  'panel.empty': 'Select a node in the graph, or search for one.',
  'panel.close': 'Clear selection',
  'panel.loading': 'Loading details…',
  'panel.properties': 'Properties',
  'panel.links': 'Links',
  'panel.noLinks': 'No links.',
  'panel.sources': 'Sources',
  'panel.noSources': 'No source given.',
  'panel.unsourced': 'unsourced draft',
  'panel.expand': 'Show neighbours in the graph',
  'panel.loadMore': 'Show {n} more',
  'panel.allShown': 'All {n} links are shown in the graph.',
  'panel.shownOf': '{shown} of {total} links are shown in the graph.',
  'panel.outgoing': '{type} →',
  'panel.incoming': '← {type}',
  'panel.openSource': 'Open the source in a new tab',
  'panel.focusDocument': 'Show this document in the graph',
  'panel.focusNode': 'Show this node in the graph',
  'panel.linksTruncated': 'Showing the first {shown} of {total} links.',

  'prop.id': 'Identifier',
  'prop.label': 'Kind',
  'prop.name_en': 'Name (English)',
  'prop.name_km': 'Name (Khmer)',
  'prop.acronym': 'Acronym',
  'prop.acronym_km': 'Acronym (Khmer)',
  'prop.type': 'Type',
  'prop.start': 'Start',
  'prop.end': 'End',
  'prop.status': 'Status',
  'prop.iati_identifier': 'IATI identifier',
  'prop.iati_ref': 'IATI reference',
  'prop.summary_en': 'Summary (English)',
  'prop.summary_km': 'Summary (Khmer)',
  'prop.url': 'Website',
  'prop.level': 'Level',
  'prop.code': 'Gazetteer code',
  'prop.name_latin': 'Name (Latin script)',
  'prop.lat': 'Latitude',
  'prop.lon': 'Longitude',
  'prop.category': 'Category',
  'prop.category_en': 'Category (English)',
  'prop.category_km': 'Category (Khmer)',
  'prop.year': 'Year',
  'prop.language': 'Language',
  'prop.created_at': 'Created',
  'prop.created_by': 'Created by',
  'prop.updated_at': 'Last changed',
  'prop.updated_by': 'Last changed by',

  'error.title': 'Something went wrong',
  'error.network': 'Cannot reach the server: {message}',
  'error.badResponse': 'The server sent an unexpected answer (HTTP {status}).',
  'error.dismiss': 'Dismiss',
  'error.retry': 'Try again',
} as const satisfies Record<string, string>;

export type MessageKey = keyof typeof en;
export type Messages = Readonly<Record<MessageKey, string>>;

const km: Messages = {
  'app.title': 'ក្រាហ្វចំណេះដឹង DAR',
  'app.subtitle': 'កំណែទម្រង់វិមជ្ឈការ និងរដ្ឋបាល នៅកម្ពុជា',
  'lang.label': 'ភាសា',
  'lang.en': 'English',
  'lang.km': 'ខ្មែរ',

  'search.label': 'ស្វែងរកក្នុងក្រាហ្វ',
  'search.placeholder': 'ស្វែងរកកម្មវិធី ស្ថាប័ន ទីកន្លែង ឯកសារ…',
  'search.searching': 'កំពុងស្វែងរក…',
  'search.noResults': 'រកមិនឃើញ «{q}»',
  'search.suggestions': 'សំណើ',
  'search.hint': '↑ ↓ ដើម្បីផ្លាស់ទី Enter ដើម្បីបើក Esc ដើម្បីបិទ',

  'graph.label': 'ក្រាហ្វនៃផ្នែកដែលបានជ្រើសរើសនៃក្រាហ្វចំណេះដឹង DAR',
  'graph.status': 'ថ្នាំង {nodes} · តំណ {links}',
  'graph.loading': 'កំពុងផ្ទុក…',
  'graph.layout': 'កំពុងរៀបចំ…',
  'graph.engine': 'កំពុងផ្ទុកផ្ទាំងក្រាហ្វ…',
  'graph.hint': 'ចុចលើថ្នាំងដើម្បីមើលព័ត៌មានលម្អិត ចុចពីរដងដើម្បីបង្ហាញថ្នាំងជិតខាង។',
  'graph.more': '+{n} ទៀត',
  'graph.fit': 'បង្ហាញពេញអេក្រង់',
  'graph.reset': 'ត្រឡប់ទៅ DAR',
  'graph.added': 'បានបន្ថែមថ្នាំង {n} ជុំវិញ {name}',
  'graph.addedNone': 'អ្វីៗជុំវិញ {name} ត្រូវបានបង្ហាញរួចហើយ',

  'legend.title': 'កំណត់សម្គាល់',
  'legend.link': 'តំណ (ព្រួញ៖ ពី → ទៅ)',
  'legend.draft': 'តំណព្រាងដែលគ្មានប្រភព',
  'legend.more': 'មានថ្នាំងជិតខាងដែលមិនទាន់បង្ហាញ',

  'panel.empty': 'ជ្រើសរើសថ្នាំងមួយក្នុងក្រាហ្វ ឬស្វែងរកវា។',
  'panel.close': 'លុបការជ្រើសរើស',
  'panel.loading': 'កំពុងផ្ទុកព័ត៌មានលម្អិត…',
  'panel.properties': 'លក្ខណៈសម្បត្តិ',
  'panel.links': 'តំណភ្ជាប់',
  'panel.noLinks': 'គ្មានតំណភ្ជាប់។',
  'panel.sources': 'ប្រភព',
  'panel.noSources': 'មិនមានប្រភព។',
  'panel.unsourced': 'សេចក្ដីព្រាងគ្មានប្រភព',
  'panel.expand': 'បង្ហាញថ្នាំងជិតខាងក្នុងក្រាហ្វ',
  'panel.loadMore': 'បង្ហាញ {n} ទៀត',
  'panel.allShown': 'តំណទាំង {n} ត្រូវបានបង្ហាញក្នុងក្រាហ្វ។',
  'panel.shownOf': 'តំណ {shown} ក្នុងចំណោម {total} ត្រូវបានបង្ហាញក្នុងក្រាហ្វ។',
  'panel.outgoing': '{type} →',
  'panel.incoming': '← {type}',
  'panel.openSource': 'បើកប្រភពក្នុងផ្ទាំងថ្មី',
  'panel.focusDocument': 'បង្ហាញឯកសារនេះក្នុងក្រាហ្វ',
  'panel.focusNode': 'បង្ហាញថ្នាំងនេះក្នុងក្រាហ្វ',
  'panel.linksTruncated': 'កំពុងបង្ហាញតំណ {shown} ដំបូង ក្នុងចំណោម {total}។',

  'prop.id': 'លេខសម្គាល់',
  'prop.label': 'ប្រភេទថ្នាំង',
  'prop.name_en': 'ឈ្មោះ (អង់គ្លេស)',
  'prop.name_km': 'ឈ្មោះ (ខ្មែរ)',
  'prop.acronym': 'អក្សរកាត់',
  'prop.acronym_km': 'អក្សរកាត់ (ខ្មែរ)',
  'prop.type': 'ប្រភេទ',
  'prop.start': 'ចាប់ផ្ដើម',
  'prop.end': 'បញ្ចប់',
  'prop.status': 'ស្ថានភាព',
  'prop.iati_identifier': 'លេខសម្គាល់ IATI',
  'prop.iati_ref': 'លេខយោង IATI',
  'prop.summary_en': 'សេចក្ដីសង្ខេប (អង់គ្លេស)',
  'prop.summary_km': 'សេចក្ដីសង្ខេប (ខ្មែរ)',
  'prop.url': 'គេហទំព័រ',
  'prop.level': 'កម្រិត',
  'prop.code': 'លេខកូដភូមិសាស្ត្រ',
  'prop.name_latin': 'ឈ្មោះ (អក្សរឡាតាំង)',
  'prop.lat': 'រយៈទទឹង',
  'prop.lon': 'រយៈបណ្ដោយ',
  'prop.category': 'ប្រភេទឯកសារ',
  'prop.category_en': 'ប្រភេទឯកសារ (អង់គ្លេស)',
  'prop.category_km': 'ប្រភេទឯកសារ (ខ្មែរ)',
  'prop.year': 'ឆ្នាំ',
  'prop.language': 'ភាសា',
  'prop.created_at': 'បង្កើតនៅ',
  'prop.created_by': 'បង្កើតដោយ',
  'prop.updated_at': 'កែប្រែចុងក្រោយ',
  'prop.updated_by': 'កែប្រែចុងក្រោយដោយ',

  'error.title': 'មានបញ្ហាកើតឡើង',
  'error.network': 'មិនអាចភ្ជាប់ទៅម៉ាស៊ីនមេបានទេ៖ {message}',
  'error.badResponse': 'ម៉ាស៊ីនមេបានផ្ញើចម្លើយមិនរំពឹងទុក (HTTP {status})។',
  'error.dismiss': 'បិទ',
  'error.retry': 'ព្យាយាមម្ដងទៀត',
};

export const MESSAGES: Readonly<Record<Lang, Messages>> = { en, km };

export type MessageParams = Readonly<Record<string, string | number>>;

/** The message for `key` in `lang`, with {placeholders} filled from `params` (unknown ones are left as they are). */
export function translate(lang: Lang, key: MessageKey, params?: MessageParams): string {
  const template = MESSAGES[lang][key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/** True when `key` names a UI message (used for property names, which may be unknown to the UI). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}
