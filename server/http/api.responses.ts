/** Response bodies of the API as zod schemas, for the OpenAPI document. */
import { z } from 'zod';
import { ROLES } from '../auth/editors.ts';
import { LABELS, LINK_TYPES, LinkSchema, NodeSchema } from '../schema/graph.schema.ts';
import { AUDIT_ACTIONS } from '../store/graph-store.ts';

const Node = NodeSchema;
const Link = LinkSchema;
const count = z.number().int().nonnegative();
const Elements = z.object({ nodes: z.array(Node), links: z.array(Link) });

export const HealthResponse = z.object({
  ok: z.boolean(),
  kind: z.enum(['embedded', 'neo4j']),
  version: z.string().optional(),
  message: z.string().optional(),
});

export const StatsResponse = z.object({
  nodes: z.partialRecord(z.enum(LABELS), count),
  links: z.partialRecord(z.enum(LINK_TYPES), count),
  quality: z.object({ nodesMissingKhmer: count, nodesMissingEnglish: count, linksWithoutSource: count, draftLinks: count }),
});

export const SearchResponse = z.object({
  query: z.string(),
  results: z.array(
    z.object({
      id: z.string(),
      label: z.enum(LABELS),
      name_en: z.string(),
      name_km: z.string(),
      acronym: z.string().optional(),
      score: z.number(),
      matched: z.string(),
      level: z.string().optional().describe("An area's level (province, municipality, district, commune, village)."),
      parents: z
        .array(z.object({ id: z.string(), name_en: z.string(), name_km: z.string() }))
        .optional()
        .describe("An area's containing areas (PART_OF), nearest first: a commune's district, then its province."),
    }),
  ),
});

export const NodeResponse = z.object({
  node: Node,
  linkCounts: z.record(z.string(), z.object({ in: count, out: count })),
});

export const NeighboursResponse = z.object({ id: z.string(), total: count, links: z.array(Link), nodes: z.array(Node) });

const Participant = z.object({
  id: z.string(),
  name_en: z.string(),
  name_km: z.string(),
  acronym: z.string().optional(),
  role: z.string().optional(),
  role_km: z.string().optional(),
  amount: z.number().optional(),
  currency: z.string().optional(),
  link: z.string(),
  sources: z.array(z.string()),
});

export const LineageMarker = z
  .object({
    id: z.string(),
    label: z.enum(['Law', 'Event']),
    kind: z.string(),
    date: z.string().describe('Partial date, YYYY[-MM[-DD]].'),
    name_en: z.string(),
    name_km: z.string(),
    reference: z.string().optional(),
    url: z.string().optional(),
    sources: z.array(z.string()),
  })
  .describe('A law, decree or election dated within the years of the lineage: a marker on its year axis.');

export const LineageResponse = z.object({
  id: z.string(),
  direction: z.enum(['both', 'back', 'forward']),
  depth: z.number().int(),
  truncated: z.boolean(),
  programmes: z.array(
    z.object({
      id: z.string(),
      name_en: z.string(),
      name_km: z.string(),
      acronym: z.string().optional(),
      kind: z.string().optional().describe('national-programme, implementation-plan, donor-project or fund.'),
      start: z.string().optional(),
      end: z.string().optional(),
      status: z.string().optional(),
      generation: z.number().int(),
      predecessors: z.array(z.string()),
      successors: z.array(z.string()),
      partOf: z.array(z.string()),
      phases: z.array(z.string()),
      supports: z.array(z.string()).describe('National programmes this project supports (SUPPORTS out).'),
      supportedBy: z.array(z.string()).describe('Projects that support this programme (SUPPORTS in).'),
      funders: z.array(Participant),
      implementers: z.array(Participant),
      partners: z.array(Participant),
    }),
  ),
  markers: z.array(LineageMarker).describe('Laws and events dated within `years`, by date; their nodes are in `elements` too.'),
  years: z
    .object({ from: z.number().int(), to: z.number().int() })
    .nullable()
    .describe('The years of the programmes (earliest start to latest end; an ongoing one to this year); null when none is dated.'),
  elements: Elements,
});

export const PathsResponse = z.object({
  from: z.string(),
  to: z.string(),
  length: z.number().int().nullable(),
  truncated: z.boolean(),
  paths: z.array(
    z.object({
      nodes: z.array(z.string()),
      hops: z.array(
        z.object({ from: z.string(), to: z.string(), type: z.enum(LINK_TYPES), direction: z.enum(['forward', 'backward']), link: Link }),
      ),
    }),
  ),
  nodes: z.array(Node),
});

export const SubgraphResponse = Elements.extend({ truncated: z.boolean() });

const DocumentEntry = z.object({
  id: z.string(),
  name_en: z.string(),
  name_km: z.string(),
  category: z.string(),
  year: z.number().optional(),
  language: z.string().optional(),
  url: z.string().optional(),
  sources: z.array(z.string()),
});

export const DocumentsResponse = z.object({
  total: count,
  truncated: z.boolean(),
  groups: z.array(
    z.object({
      producer: z.object({ id: z.string(), label: z.string(), name_en: z.string(), name_km: z.string() }).nullable(),
      categories: z.array(
        z.object({ category: z.string(), category_en: z.string().optional(), category_km: z.string().optional(), documents: z.array(DocumentEntry) }),
      ),
    }),
  ),
  laws: z
    .array(
      z.object({
        id: z.string(),
        name_en: z.string(),
        name_km: z.string(),
        kind: z.string(),
        date: z.string().optional(),
        reference: z.string().optional(),
        url: z.string().optional(),
        sources: z.array(z.string()),
        established: z.array(z.object({ id: z.string(), label: z.string(), name_en: z.string(), name_km: z.string() })),
      }),
    )
    .describe('Laws, decrees and strategic frameworks by date (undated last), filtered by q and programme (what they established); none when a category is asked.'),
});

export const CentralityResponse = z.object({
  measure: z.enum(['degree', 'betweenness']),
  graph: z.object({ nodes: count, links: count }),
  results: z.array(
    z.object({ id: z.string(), label: z.enum(LABELS), name_en: z.string(), name_km: z.string(), degree: count, score: z.number() }),
  ),
});

export const CypherResponse = z.object({
  columns: z.array(z.string()),
  rows: z.array(z.array(z.unknown())),
  elements: Elements,
  truncated: z.boolean(),
});

// ------------------------------------------------------------------------------------------ editing and audit

const auditId = z.string().nullable().describe('The audit entry of the write (null when it changed nothing): GET /api/audit/{id}, POST /api/audit/{id}/revert.');

export const NodeWriteResponse = z.object({ node: Node, audit: auditId });
export const LinkResponse = z.object({ link: Link });
export const LinkWriteResponse = z.object({ link: Link, audit: auditId });
export const DeletionResponse = z.object({
  deleted: z.object({ nodes: z.array(z.string()), links: z.array(z.string()) }),
  audit: z.string(),
});

export const AuditEntryResponse = z.object({
  id: z.string(),
  seq: z.number().int(),
  at: z.string(),
  by: z.string(),
  action: z.enum(AUDIT_ACTIONS),
  revert_of: z.string().optional(),
  changeCount: count,
  /** More changes than listed (listings show the first ones; GET /api/audit/{id} has all). */
  truncated: z.boolean().optional(),
  changes: z.array(
    z.object({
      entity: z.enum(['node', 'link']),
      id: z.string(),
      before: z.record(z.string(), z.unknown()).nullable(),
      after: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
});

export const AuditListResponse = z.object({ entries: z.array(AuditEntryResponse) });
export const RevertResponse = z.object({ reverted: z.string(), audit: AuditEntryResponse });

export const SessionResponse = z.object({
  signedIn: z.boolean(),
  editor: z.object({ name: z.string(), role: z.enum(ROLES) }).optional(),
  via: z.enum(['bearer', 'cookie']).optional(),
});
