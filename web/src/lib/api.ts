/**
 * The explorer's only door to the server: every `fetch` of the web app is in this file. Payload types are the
 * server's API contract (server/http/api.contract.ts, inferred from the response schemas the OpenAPI document is
 * made of), imported as types only: no server code or zod comes into the bundle.
 */
import type {
  AuditEntry,
  Comparison,
  PeriodComparison,
  VersionComparison,
  DeletionAnswer,
  Direction,
  DocumentLibrary,
  GraphStats,
  HealthReport,
  ImportAnswer,
  Lineage,
  LineageDirection,
  LinkDetails,
  LinkWriteAnswer,
  NeighbourPage,
  NodeDetails,
  NodeWriteAnswer,
  PathsAnswer,
  RevertAnswer,
  SearchHit,
  SearchResults,
  SessionAnswer,
  SubgraphAnswer,
  AuditList,
  VersionAnswer,
  StoryDetails,
  StoryList,
  StoryWriteAnswer,
} from '../../../server/http/api.contract.ts';
import type { StoryContent, StoryInput } from '../../../server/schema/story.schema.ts';
import type { Label, LinkInput, LinkType, NodeInput } from '../../../server/schema/graph.schema.ts';

// The components take the contract's types from here, with the request options below.
export type * from '../../../server/http/api.contract.ts';

/** An audit entry as GET /api/audit lists it (the first changes only when `truncated`). */
export type AuditListed = AuditEntry;

export interface SubgraphOptions {
  labels?: readonly Label[];
  types?: readonly LinkType[];
  around?: string;
  depth?: number;
  limit?: number;
  signal?: AbortSignal;
}

export interface NeighbourOptions {
  type?: LinkType;
  direction?: Direction;
  limit?: number;
  offset?: number;
  signal?: AbortSignal;
}

/** A patch: properties to set, null to remove one. */
export type Patch = Readonly<Record<string, unknown>>;

/**
 * An error answer of the API (`{ error: { code, message } }`), or a failure to get one. `code` is the API's code,
 * or `network` (no answer at all) or `bad_response` (an answer that is not the API's JSON).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The answer's `details` (e.g. `existing` for duplicate_name, `parameter` for a bad one). */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Any failure as an ApiError (a thrown non-API error becomes code `error`). */
export function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, 'error', error instanceof Error ? error.message : String(error));
}

/** True for the rejection of a request that was cancelled on purpose (AbortController). */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

function errorFromBody(body: unknown): { code: string; message: string; details: Record<string, unknown> } | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const error = body.error;
  if (typeof error !== 'object' || error === null) return undefined;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : 'error';
  const message = 'message' in error && typeof error.message === 'string' ? error.message : code;
  const details = 'details' in error && typeof error.details === 'object' && error.details !== null ? (error.details as Record<string, unknown>) : {};
  return { code, message, details };
}

/** `If-Match` for a write that must not overwrite a newer version of the record. */
function ifMatch(version: number | undefined): Record<string, string> {
  return version === undefined ? {} : { 'if-match': `"${version}"` };
}

function sendJson<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  return requestJson(path, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return requestJson<T>(path, { signal });
}

let answerObserver: ((response: Response) => void) | undefined;

/** Sees every API answer (the connection state reads whether it came from the offline copy). */
export function observeAnswers(observer: (response: Response) => void): void {
  answerObserver = observer;
}

/**
 * Read-your-writes (server/http/bookmark.middleware.ts): on Neo4j, an answer to a write carries the write's bookmark
 * in `Neo4j-Bookmark`; every later request of this page sends the newest ones back, so it is served only once the
 * database has applied this page's writes, even when it lands on another app process or cluster member. The
 * embedded store sends none, and nothing is sent then. A write's bookmark covers the ones its request sent, which
 * are dropped; two writes in flight at once each add theirs. Kept for this page only (another tab reads what its
 * own writes need).
 */
export const BOOKMARK_HEADER = 'Neo4j-Bookmark';
/** The server takes up to 16 (bookmark.middleware.ts). */
const MAX_BOOKMARKS = 16;
let bookmarks: readonly string[] = [];

/** The bookmarks the next request sends (for tests and the console of a curious user). */
export function currentBookmarks(): readonly string[] {
  return bookmarks;
}

/** Forgets every bookmark (tests; a page that signs out keeps them, as they name no one). */
export function forgetBookmarks(): void {
  bookmarks = [];
}

function rememberBookmarks(sent: readonly string[], header: string | null): void {
  if (header === null) return;
  const written = header.split(',').map((b) => b.trim()).filter((b) => b.length > 0);
  if (written.length === 0) return;
  const kept = bookmarks.filter((b) => !sent.includes(b) && !written.includes(b));
  bookmarks = [...kept, ...written].slice(-MAX_BOOKMARKS);
}

/** True for the refusal of a Neo4j-Bookmark header the database does not know (e.g. restored from a backup since). */
function refusedBookmark(status: number, body: unknown): boolean {
  return status === 400 && errorFromBody(body)?.details.parameter === BOOKMARK_HEADER;
}

/**
 * An answer asked for before the app ran (web/public/first-data.js), its body already read: taking it needs no
 * further task, so the first screen can show the scene in the same frame as the page around it (issue 18).
 */
interface EarlyAnswer {
  response: Response;
  /** The body as JSON; absent when it could not be read as JSON. */
  body?: unknown;
}

/** Answers asked for before the app ran (web/public/first-data.js), each taken once by the first request for it. */
function earlyAnswer(path: string, init: RequestInit): Promise<EarlyAnswer> | undefined {
  const early = (globalThis as { __darFirst?: Record<string, Promise<EarlyAnswer> | undefined> }).__darFirst;
  const answer = early?.[path];
  if (!answer || (init.method ?? 'GET') !== 'GET') return undefined;
  early[path] = undefined;
  return answer;
}

/** Any request answered with the API's JSON; writes send the session cookie (same origin) and the page's Origin. */
async function requestJson<T>(path: string, init: RequestInit, retried = false): Promise<T> {
  const sent = bookmarks;
  let response: Response;
  let read: () => Promise<unknown>;
  try {
    const early = sent.length === 0 ? earlyAnswer(path, init) : undefined;
    if (early) {
      const answer = await early;
      response = answer.response;
      read = () => ('body' in answer ? Promise.resolve(answer.body) : Promise.reject(new SyntaxError('not JSON')));
    } else {
      const fetched = await fetch(path, {
        ...init,
        credentials: 'same-origin',
        headers: {
          accept: 'application/json',
          ...(sent.length > 0 ? { [BOOKMARK_HEADER]: sent.join(', ') } : {}),
          ...(init.headers as Record<string, string> | undefined),
        },
      });
      response = fetched;
      read = () => fetched.json();
    }
  } catch (error) {
    if (isAbort(error)) throw error;
    throw new ApiError(0, 'network', error instanceof Error ? error.message : String(error));
  }
  answerObserver?.(response);
  rememberBookmarks(sent, response.headers.get(BOOKMARK_HEADER));
  let body: unknown;
  try {
    body = await read();
  } catch (error) {
    if (isAbort(error)) throw error;
    throw new ApiError(response.status, 'bad_response', `HTTP ${response.status}`);
  }
  if (!response.ok) {
    // The header is checked before anything is read or written: without the refused bookmarks, once more.
    if (!retried && sent.length > 0 && refusedBookmark(response.status, body)) {
      bookmarks = bookmarks.filter((b) => !sent.includes(b));
      return requestJson<T>(path, init, true);
    }
    const apiError = errorFromBody(body);
    throw new ApiError(
      response.status,
      apiError?.code ?? 'bad_response',
      apiError?.message ?? `HTTP ${response.status}`,
      apiError?.details,
    );
  }
  return body as T;
}

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

const node = (id: string) => `/api/nodes/${encodeURIComponent(id)}`;

/**
 * The version of the graph every read is pinned to (`at` of a cited address), or undefined for today's graph. Set
 * once when the page opens (scene.svelte.ts): a change of `at` reloads the page, so no answer of another version
 * is ever kept.
 */
let pinnedAt: string | undefined;
export function pinVersion(at: string | null): void {
  pinnedAt = at ?? undefined;
}
const link = (id: string) => `/api/links/${encodeURIComponent(id)}`;

export const api = {
  health(signal?: AbortSignal): Promise<HealthReport> {
    return getJson('/api/health', signal);
  },

  async search(q: string, limit: number, signal?: AbortSignal): Promise<SearchHit[]> {
    const body = await getJson<SearchResults>(`/api/search${query({ q, limit, at: pinnedAt })}`, signal);
    return body.results;
  },

  node(id: string, signal?: AbortSignal): Promise<NodeDetails> {
    return getJson(`${node(id)}${query({ at: pinnedAt })}`, signal);
  },

  /** The version `at` names (the latest without it), and the latest. */
  version(at?: string | null, signal?: AbortSignal): Promise<VersionAnswer> {
    return getJson(`/api/version${query({ at: at ?? undefined })}`, signal);
  },

  neighbours(id: string, options: NeighbourOptions = {}): Promise<NeighbourPage> {
    const { signal, ...params } = options;
    return getJson(`${node(id)}/neighbours${query({ ...params, at: pinnedAt })}`, signal);
  },

  stats(signal?: AbortSignal): Promise<GraphStats> {
    return getJson(`/api/stats${query({ at: pinnedAt })}`, signal);
  },

  lineage(id: string, direction: LineageDirection = 'both', signal?: AbortSignal): Promise<Lineage> {
    return getJson(`/api/lineage/${encodeURIComponent(id)}${query({ direction, at: pinnedAt })}`, signal);
  },

  paths(from: string, to: string, options: { maxHops?: number; types?: readonly LinkType[]; signal?: AbortSignal } = {}): Promise<PathsAnswer> {
    const types = options.types && options.types.length > 0 ? options.types.join(',') : undefined;
    return getJson(`/api/paths${query({ from, to, maxHops: options.maxHops, types, at: pinnedAt })}`, options.signal);
  },

  /** Two periods compared (GET /api/compare): each node and link only in `a`, only in `b` or in both. */
  async comparePeriods(view: 'explore' | 'partnerships', a: string, b: string, signal?: AbortSignal): Promise<PeriodComparison> {
    const answer = await getJson<Comparison>(`/api/compare${query({ a, b, view })}`, signal);
    if (answer.kind !== 'periods') throw new Error('GET /api/compare answered a comparison of versions');
    return answer;
  },

  /** Two versions compared (GET /api/compare?from=&to=): what the team added, changed and removed between them. */
  async compareVersions(from: string, to: string, signal?: AbortSignal): Promise<VersionComparison> {
    const answer = await getJson<Comparison>(`/api/compare${query({ from, to })}`, signal);
    if (answer.kind !== 'versions') throw new Error('GET /api/compare answered a comparison of periods');
    return answer;
  },

  subgraph(options: SubgraphOptions = {}): Promise<SubgraphAnswer> {
    const { signal, labels, types, ...rest } = options;
    return getJson(
      `/api/subgraph${query({ ...rest, at: pinnedAt, labels: labels && labels.length > 0 ? labels.join(',') : undefined, types: types && types.length > 0 ? types.join(',') : undefined })}`,
      signal,
    );
  },

  documents(options: { programme?: string; category?: string; q?: string; signal?: AbortSignal } = {}): Promise<DocumentLibrary> {
    const { signal, ...params } = options;
    return getJson(`/api/documents${query({ ...params, q: params.q?.trim() || undefined, at: pinnedAt })}`, signal);
  },

  session(): Promise<SessionAnswer> {
    return getJson('/api/session');
  },

  signIn(token: string): Promise<SessionAnswer> {
    return requestJson('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
  },

  signOut(): Promise<SessionAnswer> {
    return sendJson('DELETE', '/api/session');
  },

  /** A dry run of the file, or with `apply` the import itself (one audited change). */
  importFile(file: Blob, filename: string, apply: boolean): Promise<ImportAnswer> {
    return requestJson(`/api/import${query({ filename, apply: apply ? 'true' : undefined })}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: file,
    });
  },

  revert(auditId: string): Promise<RevertAnswer> {
    return sendJson('POST', `/api/audit/${encodeURIComponent(auditId)}/revert`);
  },

  // Editing (signed-in editors). `version` is the record's version as read: a newer one makes the write fail (412).

  createNode(input: NodeInput): Promise<NodeWriteAnswer> {
    return sendJson('POST', '/api/nodes', input);
  },

  updateNode(id: string, patch: Patch, version?: number): Promise<NodeWriteAnswer> {
    return sendJson('PATCH', node(id), patch, ifMatch(version));
  },

  deleteNode(id: string, options: { version?: number; cascade?: boolean } = {}): Promise<DeletionAnswer> {
    return sendJson('DELETE', `${node(id)}${query({ cascade: options.cascade ? 'true' : undefined })}`, undefined, ifMatch(options.version));
  },

  link(id: string, signal?: AbortSignal): Promise<LinkDetails> {
    return getJson(link(id), signal);
  },

  createLink(input: LinkInput): Promise<LinkWriteAnswer> {
    return sendJson('POST', '/api/links', input);
  },

  updateLink(id: string, patch: Patch, version?: number): Promise<LinkWriteAnswer> {
    return sendJson('PATCH', link(id), patch, ifMatch(version));
  },

  deleteLink(id: string, version?: number): Promise<DeletionAnswer> {
    return sendJson('DELETE', link(id), undefined, ifMatch(version));
  },

  /** Audit entries, newest first: of one record (`node:<id>` or `link:<id>`), by one editor, older than `before` (a seq). */
  async audit(options: { entity?: string; editor?: string; before?: number; limit?: number; signal?: AbortSignal } = {}): Promise<AuditListed[]> {
    const { signal, ...params } = options;
    const body = await getJson<AuditList>(`/api/audit${query(params)}`, signal);
    return body.entries;
  },

  // Stories: anyone reads them; editors tell, change and delete them.

  stories(signal?: AbortSignal): Promise<StoryList> {
    return getJson('/api/stories', signal);
  },

  story(id: string, signal?: AbortSignal): Promise<StoryDetails> {
    return getJson(`/api/stories/${encodeURIComponent(id)}`, signal);
  },

  createStory(input: StoryInput): Promise<StoryWriteAnswer> {
    return sendJson('POST', '/api/stories', input);
  },

  updateStory(id: string, content: StoryContent, version?: number): Promise<StoryWriteAnswer> {
    return sendJson('PUT', `/api/stories/${encodeURIComponent(id)}`, content, ifMatch(version));
  },

  deleteStory(id: string, version?: number): Promise<{ deleted: string; audit: string | null }> {
    return sendJson('DELETE', `/api/stories/${encodeURIComponent(id)}`, undefined, ifMatch(version));
  },
};
