/**
 * The API's payload types, inferred from the response schemas of api.responses.ts (the only declaration): what
 * the explorer (web/src/lib/api.ts) and the services that build answers use. Type-only: importing it brings no
 * zod into a bundle.
 */
import type { z } from 'zod';
import type * as R from './api.responses.ts';

export type { Direction, LineageDirection } from '../domain/graph-values.ts';

export type ApiErrorBody = z.output<typeof R.ErrorResponse>;
export type HealthReport = z.output<typeof R.HealthResponse>;
export type GraphStats = z.output<typeof R.StatsResponse>;
export type SearchHit = z.output<typeof R.SearchHit>;
export type SearchResults = z.output<typeof R.SearchResponse>;
export type LinkCounts = z.output<typeof R.LinkCounts>;
export type NodeDetails = z.output<typeof R.NodeResponse>;
export type NeighbourPage = z.output<typeof R.NeighboursResponse>;
export type Participant = z.output<typeof R.Participant>;
export type LineageMarker = z.output<typeof R.LineageMarker>;
export type LineageProgramme = z.output<typeof R.LineageProgramme>;
export type Lineage = z.output<typeof R.LineageResponse>;
export type PathHopAnswer = z.output<typeof R.PathHop>;
export type PathsAnswer = z.output<typeof R.PathsResponse>;
export type SubgraphAnswer = z.output<typeof R.SubgraphResponse>;
export type GraphVersionRef = z.output<typeof R.GraphVersion>;
export type VersionAnswer = z.output<typeof R.VersionResponse>;
export type DocumentEntry = z.output<typeof R.DocumentEntry>;
export type DocumentCategory = z.output<typeof R.DocumentCategory>;
export type DocumentGroup = z.output<typeof R.DocumentGroup>;
export type LawEntry = z.output<typeof R.LawEntry>;
export type DocumentLibrary = z.output<typeof R.DocumentsResponse>;
export type CentralityAnswer = z.output<typeof R.CentralityResponse>;
export type CypherAnswer = z.output<typeof R.CypherResponse>;
export type NodeWriteAnswer = z.output<typeof R.NodeWriteResponse>;
export type LinkDetails = z.output<typeof R.LinkResponse>;
export type LinkWriteAnswer = z.output<typeof R.LinkWriteResponse>;
export type DeletionAnswer = z.output<typeof R.DeletionResponse>;
/** An audit entry as the API sends it (listings: the first changes only, `truncated` then). */
export type AuditEntry = z.output<typeof R.AuditEntryResponse>;
export type AuditList = z.output<typeof R.AuditListResponse>;
export type RevertAnswer = z.output<typeof R.RevertResponse>;
export type SessionAnswer = z.output<typeof R.SessionResponse>;
export type ImportConflict = z.output<typeof R.ImportConflict>;
export type ImportPlanSummary = z.output<typeof R.ImportPlan>;
export type ImportAnswer = z.output<typeof R.ImportResponse>;
export type PeriodComparison = z.output<typeof R.PeriodComparison>;
export type VersionComparison = z.output<typeof R.VersionComparison>;
export type Comparison = z.output<typeof R.CompareResponse>;
export type StoryRecord = z.output<typeof R.StoryRecordResponse>;
export type StoryDetails = z.output<typeof R.StoryResponse>;
export type StoryList = z.output<typeof R.StoryListResponse>;
export type StoryWriteAnswer = z.output<typeof R.StoryWriteResponse>;
export type SourceRef = z.output<typeof R.SourceRefResponse>;
