/**
 * Heavy reads as the API runs them: through the gate (slots, deadline, byte limit, cache per graph version: see
 * heavy-read-gate.ts), with the CPU-bound part (centrality, formatting an export) in worker threads
 * (worker-pool.ts) so the event loop keeps answering. What a worker gets: for centrality a compact copy of the
 * graph measured (node ids and links as index pairs in typed arrays, moved, not copied); for an export the records
 * to format (copied once per graph version: the answer is cached).
 */
import type { Request, Response } from 'express';
import type { ReadLimits } from '../../config.ts';
import type { GraphStore } from '../../store/graph-store.ts';
import type { ScoreCentrality } from '../centrality.service.ts';
import type { ExportFormat, GraphData } from '../export.service.ts';
import { HeavyReadGate, type HeavyRead } from './heavy-read-gate.ts';
import type { CentralityScores, ExportBytes } from './heavy-read.tasks.ts';
import { HeavyReadWorkers } from './worker-pool.ts';

export type HeavyReadLimits = Pick<ReadLimits, 'concurrency' | 'perClient' | 'timeoutMs' | 'maxBytes' | 'cacheBytes'>;

export class HeavyReads {
  private readonly gate: HeavyReadGate;
  private readonly workers: HeavyReadWorkers;

  constructor(store: GraphStore, limits: HeavyReadLimits, onCompute?: (kind: string) => void | Promise<void>) {
    this.gate = new HeavyReadGate(store, { limits, onCompute });
    this.workers = new HeavyReadWorkers(limits.concurrency);
  }

  /** Answers the request through the gate; see HeavyReadGate.answer. */
  answer(req: Request, res: Response, read: HeavyRead): Promise<undefined> {
    return this.gate.answer(req, res, read);
  }

  /** Centrality scores computed in a worker (ended when `signal` aborts). */
  scoreCentrality(signal: AbortSignal): ScoreCentrality {
    return async (measure, graph) =>
      (await this.workers.run({ kind: 'centrality', measure, graph }, signal, [graph.from.buffer as ArrayBuffer, graph.to.buffer as ArrayBuffer])) as CentralityScores;
  }

  /** An export file formatted in a worker (ended when `signal` aborts). */
  async exportFile(data: GraphData, format: ExportFormat, signal: AbortSignal): Promise<ExportBytes> {
    const task = { kind: 'export' as const, format, data: { nodes: data.nodes, links: data.links }, now: new Date().toISOString() };
    return (await this.workers.run(task, signal)) as ExportBytes;
  }

  close(): Promise<void> {
    return this.workers.close();
  }
}
