/**
 * Response bodies of the API as zod schemas: the only declaration of what the server sends. Routes are typed by
 * them (route-registry.ts), the OpenAPI document is generated from them (a schema with `.meta({ id })` becomes a
 * named component, e.g. #/components/schemas/Programme), the API test suites parse every answer with them
 * (tests/support/checked-request.ts), and the explorer imports their inferred types from api.contract.ts.
 * Over 400 lines as one job: the one declaration of the API's answers.
 */
import { z } from 'zod';
import { ROLES } from '../auth/editors.ts';
import { AUDIT_ACTIONS } from '../domain/graph-values.ts';
import {
  AdminAreaSchema,
  DocumentSchema,
  EventSchema,
  LABELS,
  LawSchema,
  LINK_TYPES,
  LinkSchema,
  OrganisationSchema,
  ProgrammeSchema,
  TopicSchema,
} from '../schema/graph.schema.ts';

// The graph's records, named once for clients (one component per label; Node is their union by `label`).
export const Programme = ProgrammeSchema.meta({ id: 'Programme', description: 'A national programme, implementation plan, donor project or fund.' });
export const Organisation = OrganisationSchema.meta({ id: 'Organisation', description: 'A ministry, council, donor or other body.' });
export const AdminArea = AdminAreaSchema.meta({ id: 'AdminArea', description: 'A province, municipality, district, commune or village (gazetteer code).' });
export const Document = DocumentSchema.meta({ id: 'Document', description: 'A report, plan or other document that links cite as their source.' });
export const Topic = TopicSchema.meta({ id: 'Topic', description: 'A theme of the reform.' });
export const Law = LawSchema.meta({ id: 'Law', description: 'A law, royal decree or kram, sub-decree, or a strategic framework.' });
export const Event = EventSchema.meta({ id: 'Event', description: 'A dated event, such as an election.' });
export const Node = z
  .discriminatedUnion('label', [Programme, Organisation, AdminArea, Document, Topic, Law, Event])
  .meta({ id: 'Node', description: 'A node of the graph; `label` says which kind.' });
export const Link = LinkSchema.meta({ id: 'Link', description: 'A typed link between two nodes, with its sources (or a draft without one).' });

const count = z.number().int().nonnegative();
export const GraphElements = z
  .object({ nodes: z.array(Node), links: z.array(Link) })
  .meta({ id: 'GraphElements', description: 'Nodes and the links between them, for drawing.' });

/** Which version of the graph a pinned answer (`?at=`) is. Absent from answers about today's graph. */
export const GraphVersion = z
  .object({
    seq: z.number().int().describe('The audit seq: every write adds one. Cite it as `at=<seq>`.'),
    at: z.string().nullable().describe('When that version was written (ISO time of its audit entry).'),
  })
  .meta({ id: 'GraphVersion', description: 'A version of the graph: the audit seq and when it was written.' });
const pinned = GraphVersion.optional().describe('The version read, when `at` was given.');

/** GET /api/version: the version `at` names (the latest without it). */
export const VersionResponse = z
  .object({ version: GraphVersion, latest: GraphVersion })
  .meta({ id: 'VersionAnswer' });

/** The body of every error answer (4xx and 5xx). */
export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string().describe('Machine-readable: invalid_parameter, not_found, version_mismatch …'),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
      requestId: z.string().optional().describe("The request's X-Request-Id, also in the server's log line of it."),
    }),
  })
  .meta({ id: 'Error', description: 'An error answer: { error: { code, message, details, requestId } }.' });

export const HealthResponse = z
  .object({
    ok: z.boolean(),
    kind: z.enum(['embedded', 'neo4j']),
    version: z.string().optional(),
    message: z.string().optional().describe('Why the store is not usable (when ok is false).'),
  })
  .meta({ id: 'Health' });

export const StatsResponse = z
  .object({
    nodes: z.partialRecord(z.enum(LABELS), count),
    links: z.partialRecord(z.enum(LINK_TYPES), count),
    quality: z.object({
      nodesMissingKhmer: count.describe('Nodes whose name_km is empty or holds no Khmer letters (e.g. imported with an English fallback).'),
      nodesMissingEnglish: count,
      linksWithoutSource: count,
      draftLinks: count,
    }),
    version: pinned,
  })
  .meta({ id: 'Stats' });

const NodeRef = z.object({ id: z.string(), name_en: z.string(), name_km: z.string() });
const LabelledNodeRef = NodeRef.extend({ label: z.string() });

export const SearchHit = z
  .object({
    id: z.string(),
    label: z.enum(LABELS),
    name_en: z.string(),
    name_km: z.string(),
    acronym: z.string().optional(),
    score: z.number(),
    matched: z.string().describe('Which field matched best: name_en, name_km, acronym, id …'),
    level: z.string().optional().describe("An area's level (province, municipality, district, commune, village)."),
    parents: z
      .array(NodeRef)
      .optional()
      .describe("An area's containing areas (PART_OF), nearest first: a commune's district, then its province."),
  })
  .meta({ id: 'SearchHit' });

export const SearchResponse = z.object({ query: z.string(), results: z.array(SearchHit), version: pinned }).meta({ id: 'SearchResults' });

export const LinkCounts = z
  .record(z.string(), z.object({ in: count, out: count }))
  .meta({ id: 'LinkCounts', description: 'Links of a node per type, incoming and outgoing.' });

export const NodeResponse = z.object({ node: Node, linkCounts: LinkCounts, version: pinned }).meta({ id: 'NodeDetails' });

export const NeighboursResponse = z
  .object({
    id: z.string(),
    type: z.enum(LINK_TYPES).optional().describe('The type asked for, if any.'),
    direction: z.enum(['in', 'out', 'both']),
    limit: count,
    offset: count,
    total: count.describe('How many links match the filter, before limit and offset.'),
    links: z.array(Link),
    nodes: z.array(Node).describe('The nodes at the other ends of `links`, each once.'),
    version: pinned,
  })
  .meta({ id: 'NeighbourPage' });

export const Participant = z
  .object({
    id: z.string(),
    name_en: z.string(),
    name_km: z.string(),
    acronym: z.string().optional(),
    role: z.string().optional(),
    role_km: z.string().optional(),
    amount: z.number().optional(),
    currency: z.string().optional(),
    link: z.string().describe('The id of the link that makes it a participant.'),
    sources: z.array(z.string()),
  })
  .meta({ id: 'Participant', description: "A programme's funder, implementer or partner, with its role." });

export const LineageMarker = z
  .object({
    id: z.string(),
    label: z.enum(['Law', 'Event']),
    kind: z.string(),
    date: z.string().describe('Partial date, YYYY[-MM[-DD]].'),
    name_en: z.string(),
    name_km: z.string(),
    reference: z.string().optional().describe("A law's official number (e.g. NS/RKM/0508/017)."),
    url: z.string().optional(),
    sources: z.array(z.string()),
  })
  .meta({ id: 'LineageMarker', description: 'A law, decree or election dated within the years of the lineage: a marker on its year axis.' });

export const LineageProgramme = z
  .object({
    id: z.string(),
    name_en: z.string(),
    name_km: z.string(),
    acronym: z.string().optional(),
    kind: z.string().optional().describe('national-programme, implementation-plan, donor-project or fund.'),
    start: z.string().optional(),
    end: z.string().optional(),
    status: z.string().optional(),
    generation: z.number().int().describe('0 for the earliest generation; a programme is one more than the latest programme it succeeds.'),
    predecessors: z.array(z.string()),
    successors: z.array(z.string()),
    partOf: z.array(z.string()),
    phases: z.array(z.string()),
    supports: z.array(z.string()).describe('National programmes this project supports (SUPPORTS out).'),
    supportedBy: z.array(z.string()).describe('Projects that support this programme (SUPPORTS in).'),
    funders: z.array(Participant),
    implementers: z.array(Participant),
    partners: z.array(Participant),
  })
  .meta({ id: 'LineageProgramme', description: 'One programme of a lineage, with its period and participants.' });

export const LineageResponse = z
  .object({
    id: z.string(),
    direction: z.enum(['both', 'back', 'forward']),
    depth: z.number().int(),
    truncated: z.boolean(),
    programmes: z.array(LineageProgramme),
    markers: z.array(LineageMarker).describe('Laws and events dated within `years`, by date; their nodes are in `elements` too.'),
    years: z
      .object({ from: z.number().int(), to: z.number().int() })
      .nullable()
      .describe('The years of the programmes (earliest start to latest end; an ongoing one to this year); null when none is dated.'),
    elements: GraphElements,
    version: pinned,
  })
  .meta({ id: 'Lineage' });

export const PathHop = z
  .object({
    from: z.string(),
    to: z.string(),
    type: z.enum(LINK_TYPES),
    direction: z.enum(['forward', 'backward']).describe('forward: the link points from `from` to `to`; backward: it was followed against its direction.'),
    link: Link,
  })
  .meta({ id: 'PathHop' });

export const Path = z.object({ nodes: z.array(z.string()).describe('Node ids from `from` to `to`.'), hops: z.array(PathHop) }).meta({ id: 'Path' });

export const PathsResponse = z
  .object({
    from: z.string(),
    to: z.string(),
    length: z.number().int().nullable().describe('Hops of the shortest paths; null when there is none within maxHops.'),
    truncated: z.boolean(),
    paths: z.array(Path),
    nodes: z.array(Node),
    version: pinned,
  })
  .meta({ id: 'Paths' });

export const SubgraphResponse = GraphElements.extend({ truncated: z.boolean(), version: pinned }).meta({ id: 'Subgraph' });

export const DocumentEntry = z
  .object({
    id: z.string(),
    name_en: z.string(),
    name_km: z.string(),
    category: z.string(),
    year: z.number().optional(),
    language: z.string().optional(),
    url: z.string().optional(),
    sources: z.array(z.string()),
  })
  .meta({ id: 'DocumentEntry' });

export const DocumentCategory = z
  .object({ category: z.string(), category_en: z.string().optional(), category_km: z.string().optional(), documents: z.array(DocumentEntry) })
  .meta({ id: 'DocumentCategory' });

export const DocumentGroup = z
  .object({
    producer: LabelledNodeRef.nullable().describe('The programme or organisation that produced them; null for documents nobody is linked to.'),
    categories: z.array(DocumentCategory),
  })
  .meta({ id: 'DocumentGroup' });

export const LawEntry = z
  .object({
    id: z.string(),
    name_en: z.string(),
    name_km: z.string(),
    kind: z.string().describe('law, royal-decree, royal-kram, sub-decree or strategy.'),
    date: z.string().optional().describe('Partial date, YYYY[-MM[-DD]].'),
    reference: z.string().optional(),
    url: z.string().optional(),
    sources: z.array(z.string()),
    established: z.array(LabelledNodeRef).describe('The organisations and programmes established by it (ESTABLISHED_BY).'),
  })
  .meta({ id: 'LawEntry' });

export const DocumentsResponse = z
  .object({
    total: count,
    truncated: z.boolean(),
    groups: z.array(DocumentGroup),
    laws: z
      .array(LawEntry)
      .describe('Laws, decrees and strategic frameworks by date (undated last), filtered by q and programme (what they established); none when a category is asked.'),
    version: pinned,
  })
  .meta({ id: 'DocumentLibrary' });

export const CentralityResponse = z
  .object({
    measure: z.enum(['degree', 'betweenness']),
    graph: z.object({ nodes: count, links: count }),
    results: z.array(
      z.object({ id: z.string(), label: z.enum(LABELS), name_en: z.string(), name_km: z.string(), degree: count, score: z.number() }),
    ),
  })
  .meta({ id: 'Centrality' });

export const CypherResponse = z
  .object({
    columns: z.array(z.string()),
    rows: z.array(z.array(z.unknown())).describe('Plain JSON values: nodes and relationships as { id, label | type, … } records.'),
    elements: GraphElements,
    truncated: z.boolean().describe('More rows existed than CYPHER_MAX_ROWS.'),
  })
  .meta({ id: 'CypherResult' });

/** GET /api/export?format=json: the file (POST /api/import reads it back). */
export const ExportDocument = z
  .object({
    format: z.literal('dar-kg-export'),
    version: z.literal(1),
    exported_at: z.string(),
    nodes: z.array(Node),
    links: z.array(Link),
  })
  .meta({ id: 'Export', description: 'The graph (or a view of it) as one JSON file, readable by POST /api/import.' });

// ------------------------------------------------------------------------------------------ editing and audit

const auditId = z.string().nullable().describe('The audit entry of the write (null when it changed nothing): GET /api/audit/{id}, POST /api/audit/{id}/revert.');

export const NodeWriteResponse = z.object({ node: Node, audit: auditId }).meta({ id: 'NodeWrite', description: 'The node as stored now, and the audit entry of the change.' });
export const LinkResponse = z.object({ link: Link }).meta({ id: 'LinkDetails' });
export const LinkWriteResponse = z.object({ link: Link, audit: auditId }).meta({ id: 'LinkWrite', description: 'The link as stored now, and the audit entry of the change.' });
export const DeletionResponse = z
  .object({
    deleted: z.object({ nodes: z.array(z.string()), links: z.array(z.string()) }),
    audit: auditId,
  })
  .meta({ id: 'Deletion' });

export const AuditChange = z
  .object({
    entity: z.enum(['node', 'link', 'story']),
    id: z.string(),
    before: z.record(z.string(), z.unknown()).nullable().describe('The record before (a Node, Link or Story); null for a creation.'),
    after: z.record(z.string(), z.unknown()).nullable().describe('The record after (a Node, Link or Story); null for a deletion.'),
  })
  .meta({ id: 'AuditChange' });

export const AuditEntryResponse = z
  .object({
    id: z.string(),
    seq: z.number().int().describe('Order of commits in this store: newer entries have higher numbers.'),
    at: z.string(),
    by: z.string(),
    action: z.enum(AUDIT_ACTIONS),
    revert_of: z.string().optional().describe('For a revert: the entry it undid.'),
    changeCount: count,
    truncated: z.boolean().optional().describe('More changes than listed (listings show the first ones; GET /api/audit/{id} has all).'),
    changes: z.array(AuditChange),
  })
  .meta({ id: 'AuditEntry', description: 'One user action (or one bulk load), recorded atomically with the data it changed.' });

export const AuditListResponse = z.object({ entries: z.array(AuditEntryResponse) }).meta({ id: 'AuditList' });
export const RevertResponse = z.object({ reverted: z.string(), audit: AuditEntryResponse }).meta({ id: 'Revert' });

export const SessionResponse = z
  .object({
    signedIn: z.boolean(),
    editor: z.object({ name: z.string(), role: z.enum(ROLES) }).optional(),
    via: z.enum(['bearer', 'cookie']).optional(),
  })
  .meta({ id: 'Session', description: 'Who is signed in, if anyone.' });

// ------------------------------------------------------------------------------------------ import

export const ImportConflict = z
  .object({
    kind: z.enum(['same-name-different-id', 'forbidden-link', 'missing-endpoint', 'label-change']),
    id: z.string(),
    message: z.string(),
  })
  .meta({ id: 'ImportConflict' });

export const ImportPlan = z
  .object({
    file: z.string(),
    format: z.enum(['iati-xml', 'json-export', 'seed-csv', 'gazetteer-csv']),
    counts: z.object({ created: count, updated: count, unchanged: count, conflicts: count }),
    samples: z
      .object({ created: z.array(z.string()), updated: z.array(z.string()), conflicts: z.array(ImportConflict) })
      .describe('The first few of each, to show before applying.'),
    skipped: z.record(z.string(), count).describe('What was not imported, by reason (unknown or unused elements, unmatched references).'),
    kept: z.record(z.string(), count).optional().describe('What was kept with a flag, by what (stubs of activities not imported yet, document links as written).'),
    activities: count.optional(),
    khmerFallbacks: count.describe('Imported nodes without a Khmer name (their name_km repeats another language).'),
    englishFallbacks: count.optional().describe('Imported areas without a Latin name in the gazetteer (their name_en repeats the Khmer name).'),
  })
  .meta({ id: 'ImportPlan', description: 'What an import would do (a dry run) or did.' });

export const ImportResponse = z
  .object({
    dryRun: z.boolean(),
    plan: ImportPlan,
    result: z.object({ created: count, updated: count, unchanged: count, audit: auditId }).optional().describe('When applied: what was written.'),
  })
  .meta({ id: 'Import' });

// ------------------------------------------------------------------------------------------ GET /api/compare

const membership = z.enum(['a', 'b', 'both']).describe('a: only in the first period; b: only in the second; both: in both.');
const membershipCounts = z.object({ a: count, b: count, both: count });

export const PeriodComparison = z
  .object({
    kind: z.literal('periods'),
    view: z.enum(['explore', 'partnerships']),
    a: z.string().describe('The first year range, e.g. 2008-2012.'),
    b: z.string(),
    nodes: z.array(z.object({ id: z.string(), in: membership })).describe('Every node in either period, programmes and organisations first.'),
    links: z.array(z.object({ id: z.string(), in: membership })),
    counts: z.object({ nodes: membershipCounts, links: membershipCounts, programmes: membershipCounts, organisations: membershipCounts }),
    entered: z.array(LabelledNodeRef).describe('Who entered: nodes only in the second period.'),
    left: z.array(LabelledNodeRef).describe('Who left: nodes only in the first period.'),
    elements: GraphElements.describe('The records of `nodes` and `links`, for drawing.'),
  })
  .meta({ id: 'PeriodComparison', description: 'Two periods of the graph: programmes active in each year range, the nodes linked to them and their links.' });

const changedNode = z.object({ entity: z.literal('node'), id: z.string(), label: z.string(), name_en: z.string(), name_km: z.string() });
const changedLink = z.object({ entity: z.literal('link'), id: z.string(), type: z.string(), from: z.string(), to: z.string() });
const changedRecord = z.discriminatedUnion('entity', [changedNode, changedLink]);
const properties = { properties: z.array(z.string()).describe('The properties that differ.') };
const versionPoint = z.object({
  seq: count.describe('The audit seq of the newest entry the version holds (0: none).'),
  at: z.string().nullable().describe('When that entry was recorded.'),
});

export const VersionComparison = z
  .object({
    kind: z.literal('versions'),
    from: versionPoint,
    to: versionPoint,
    entries: count.describe('Audit entries between the two versions.'),
    counts: z.object({ added: count, changed: count, removed: count }),
    added: z.array(changedRecord),
    changed: z.array(z.discriminatedUnion('entity', [changedNode.extend(properties), changedLink.extend(properties)])),
    removed: z.array(changedRecord),
    truncated: z.boolean().describe('A list holds only its first 1000 records (the counts are whole).'),
  })
  .meta({ id: 'VersionComparison', description: 'What was added, changed and removed between two versions of the graph (from the audit trail).' });

export const CompareResponse = z.discriminatedUnion('kind', [PeriodComparison, VersionComparison]).meta({ id: 'Comparison' });
// ------------------------------------------------------------------------------------------ stories

export const StoryStepResponse = z
  .object({ scene: z.string(), caption_en: z.string(), caption_km: z.string(), sources: z.array(z.string()) })
  .meta({ id: 'StoryStep', description: "One step: a scene address (the explorer's query string, pinned by `at` when saved so), its captions and sources." });

export const StoryRecordResponse = z
  .object({
    id: z.string(),
    title_en: z.string(),
    title_km: z.string(),
    steps: z.array(StoryStepResponse),
    created_at: z.string().optional(),
    created_by: z.string().optional(),
    updated_at: z.string().optional(),
    updated_by: z.string().optional(),
    version: z.number().int().optional(),
  })
  .meta({ id: 'Story', description: 'A sequence of scenes told with captions in Khmer and English, each with its sources.' });

export const SourceRefResponse = z
  .object({ source: z.string(), url: z.string().optional(), name_en: z.string().optional(), name_km: z.string().optional() })
  .meta({ id: 'SourceRef', description: 'A source as a reader sees it: a URL, or a Document of the graph with its names.' });

export const StoryResponse = z
  .object({ story: StoryRecordResponse, sources: z.record(z.string(), SourceRefResponse).describe('Every source of the steps, by what the step names.') })
  .meta({ id: 'StoryDetails' });
export const StoryListResponse = z
  .object({
    stories: z.array(
      z.object({ id: z.string(), title_en: z.string(), title_km: z.string(), steps: count, updated_at: z.string().optional(), version: z.number().int().optional() }),
    ),
  })
  .meta({ id: 'StoryList' });
export const StoryWriteResponse = z.object({ story: StoryRecordResponse, audit: auditId }).meta({ id: 'StoryWrite', description: 'The story as stored now, and the audit entry of the change.' });
export const StoryDeletionResponse = z.object({ deleted: z.string(), audit: auditId }).meta({ id: 'StoryDeletion' });
