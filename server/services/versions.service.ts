/**
 * Reading the graph as it was: `at` (an audit seq, or a date meaning the last seq at or before it) is resolved
 * against the audit trail, and the graph at that seq is rebuilt from the store's current state by undoing, newest
 * first, every audit entry after it (each change's `before` record: null for a creation). The same for both stores:
 * only GraphStore's exportAll, graphVersion and listAudit are read. Views are immutable (history is append-only),
 * so they are cached by seq, the few most recent ones (VERSION_VIEWS_CACHED).
 *
 * Why undo from today rather than replay from the first entry: a citation is usually recent, so undoing costs the
 * entries since it (often a handful) where replaying costs the whole history (the seed alone is one entry with every
 * record). Measured on the national seed (tests/api/versions.suite.ts logs nothing; see the commit message).
 */
import { Invalid, NotFound, Unavailable } from '../domain/errors.ts';
import type { GraphLink, GraphNode } from '../schema/graph.schema.ts';
import type { AuditEntry, GraphStore } from '../store/graph-store.ts';
import { VersionView, type GraphReader, type GraphVersionRef } from '../store/version-view.ts';

/** `at` as parsed from a query: a seq, or an ISO instant (a date alone means the end of that day, UTC). */
export type AtValue = { seq: number } | { date: string; from: string };

/** How many rebuilt versions are kept in memory (each holds the graph's records once; they share record objects). */
export const VERSION_VIEWS_CACHED = 4;
/**
 * Audit entries read per page while walking back: few at first (a citation is usually a few writes old, and an
 * entry can be large: the seed's holds every record), more as the walk goes on.
 */
const AUDIT_PAGES = [8, 500] as const;

export class GraphVersions {
  private readonly views = new Map<number, Promise<VersionView>>();
  /** Settles when the last rebuild asked for has finished. */
  private rebuilding: Promise<unknown> = Promise.resolve();

  constructor(private readonly store: GraphStore) {}

  /** The newest version: the seq of the last audit entry and its time (seq 0, at null, for a store never written). */
  async latest(): Promise<GraphVersionRef> {
    const [entry] = await this.store.listAudit({ limit: 1 });
    return entry ? { seq: entry.seq, at: entry.at } : { seq: 0, at: null };
  }

  /**
   * The version `at` names. 400 (naming `at`) beyond the latest version; 404 before the first entry (the graph
   * had no recorded state then: its history starts with the first write, the seed).
   */
  async resolve(at: AtValue): Promise<GraphVersionRef> {
    const latest = await this.latest();
    if ('seq' in at) {
      if (at.seq > latest.seq) {
        throw new Invalid(`query parameter "at": version ${at.seq} does not exist yet; the latest is ${latest.seq}`, { parameter: 'at', latest: latest.seq }, 'invalid_parameter');
      }
      if (at.seq === latest.seq) return latest;
      if (at.seq < 1) throw this.beforeHistory(at.seq);
      const [entry] = await this.store.listAudit({ before: at.seq + 1, limit: 1 });
      if (!entry || entry.seq < 1) throw this.beforeHistory(at.seq);
      // A seq with no entry of its own (never, as seqs are dense) would stand for the entry before it.
      return { seq: at.seq, at: entry.at };
    }
    if (at.from > new Date().toISOString()) {
      throw new Invalid(`query parameter "at": ${at.date} is in the future; the latest version is ${latest.seq}`, { parameter: 'at', latest: latest.seq }, 'invalid_parameter');
    }
    if (latest.at !== null && latest.at <= at.date) return latest;
    for await (const entry of this.entriesNewestFirst(latest.seq + 1)) {
      if (entry.at <= at.date) return { seq: entry.seq, at: entry.at };
    }
    throw this.beforeHistory(at.date);
  }

  /** The graph as it was at `version` (resolved first). */
  async view(version: GraphVersionRef): Promise<VersionView> {
    let view = this.views.get(version.seq);
    if (view) {
      // Most recently used last.
      this.views.delete(version.seq);
      this.views.set(version.seq, view);
      return view;
    }
    // One rebuild at a time: each reads the whole graph, so many versions asked at once queue rather than pile up.
    view = this.rebuilding.then(() => this.rebuild(version));
    this.rebuilding = view.catch(() => undefined);
    this.views.set(version.seq, view);
    view.catch(() => this.views.delete(version.seq));
    while (this.views.size > VERSION_VIEWS_CACHED) this.views.delete(this.views.keys().next().value!);
    return view;
  }

  /** The store itself when `at` is absent; else the version `at` names and the graph as it was then. */
  async reader(at: AtValue | undefined): Promise<{ reader: GraphReader; version?: GraphVersionRef }> {
    if (at === undefined) return { reader: this.store };
    const version = await this.resolve(at);
    return { reader: await this.view(version), version };
  }

  private async rebuild(version: GraphVersionRef): Promise<VersionView> {
    // A consistent pair of today's graph and the seq it is at: read again if a write came in between.
    let current: { nodes: GraphNode[]; links: GraphLink[] } | undefined;
    let seq = -1;
    for (let attempt = 0; attempt < 5 && current === undefined; attempt++) {
      const before = await this.store.graphVersion();
      const data = await this.store.exportAll();
      if ((await this.store.graphVersion()) === before) {
        current = data;
        seq = before;
      }
    }
    if (!current) throw new Unavailable('the graph is changing too fast to read an earlier version now; try again');
    const nodes = new Map(current.nodes.map((node) => [node.id, node]));
    const links = new Map(current.links.map((link) => [link.id, link]));
    for await (const entry of this.entriesNewestFirst(seq + 1)) {
      if (entry.seq <= version.seq) break;
      for (const change of [...entry.changes].reverse()) {
        // Stories are audited beside the graph but are not part of it.
        if (change.entity === 'story') continue;
        const map = (change.entity === 'node' ? nodes : links) as Map<string, GraphNode | GraphLink>;
        if (change.before) map.set(change.id, change.before as GraphNode | GraphLink);
        else map.delete(change.id);
      }
    }
    return new VersionView(version, nodes.values(), links.values());
  }

  private async *entriesNewestFirst(before: number): AsyncGenerator<AuditEntry> {
    let cursor = before;
    for (let i = 0; ; i++) {
      const limit = AUDIT_PAGES[Math.min(i, AUDIT_PAGES.length - 1)]!;
      const page = await this.store.listAudit({ before: cursor, limit });
      for (const entry of page) yield entry;
      if (page.length < limit) return;
      cursor = page.at(-1)!.seq;
    }
  }

  private beforeHistory(at: number | string): NotFound {
    return new NotFound(`the graph has no recorded version at ${at}: its history starts with its first write (version 1)`, { parameter: 'at' });
  }
}

/** Parses `at`: digits are a seq; an ISO date (2026-12-02) or instant (2026-12-02T10:00:00Z) a time. Undefined when malformed. */
export function parseAt(raw: string): AtValue | undefined {
  if (/^\d{1,15}$/.test(raw)) return { seq: Number(raw) };
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  if (day) {
    const end = new Date(`${raw}T23:59:59.999Z`);
    return Number.isNaN(end.getTime()) || end.toISOString().slice(0, 10) !== raw ? undefined : { date: end.toISOString(), from: `${raw}T00:00:00.000Z` };
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(raw)) {
    const instant = new Date(raw);
    return Number.isNaN(instant.getTime()) ? undefined : { date: instant.toISOString(), from: instant.toISOString() };
  }
  return undefined;
}
