/**
 * The gate every heavy read goes through (centrality, exports, subgraphs, paths, the Cypher console): answers
 * cached per graph version are sent as they are; otherwise the read needs a slot (HEAVY_READ_CONCURRENCY in all,
 * HEAVY_READ_CONCURRENCY_PER_CLIENT per client address: 429 with Retry-After when none is free), runs against a
 * deadline (HEAVY_READ_TIMEOUT_MS: 503 deadline_exceeded; work in a worker is ended, other work is told through
 * its AbortSignal) and must answer within HEAVY_READ_MAX_BYTES (400 result_too_large). A slot is given back when
 * the work itself ends, not when the client is answered, so abandoned work still counts against the limits.
 */
import { ipKeyGenerator } from 'express-rate-limit';
import { IPV6_PREFIX_BITS } from '../../auth/rate-limit.ts';
import type { Request, Response } from 'express';
import { DeadlineExceeded, Invalid, TooManyRequests } from '../../domain/errors.ts';
import type { ReadLimits } from '../../config.ts';
import type { GraphStore } from '../../store/graph-store.ts';

/** What a heavy read answers: a JSON value, or bytes of a file with their headers. */
export type HeavyAnswer = { json: unknown } | { bytes: Uint8Array; contentType: string; headers?: Record<string, string> };

export interface HeavyRead {
  /** Names the read in messages and in the onCompute hook: "centrality", "export" … */
  kind: string;
  /** Same key, same graph version: the cached answer is sent. Absent: never cached. */
  cacheKey?: string;
  compute(signal: AbortSignal): Promise<HeavyAnswer>;
}

export interface HeavyReadGateOptions {
  limits: Pick<ReadLimits, 'concurrency' | 'perClient' | 'timeoutMs' | 'maxBytes' | 'cacheBytes'>;
  /**
   * Called when a read starts computing (after its slot is taken, before its work): tests count computations
   * with it, and may hold the slot by returning a promise that the read awaits.
   */
  onCompute?: (kind: string) => void | Promise<void>;
}

/** A stored answer: the bytes sent and their headers. */
interface Cached {
  body: Buffer;
  contentType: string;
  headers: Record<string, string>;
}

/** Retry-After of a 429 for want of a slot: heavy reads take seconds. */
const SLOT_RETRY_SECONDS = 2;

export class HeavyReadGate {
  private running = 0;
  private readonly perClient = new Map<string, number>();
  private readonly cache = new Map<string, Cached>();
  private cacheVersion: number | undefined;
  private cachedBytes = 0;

  constructor(
    private readonly store: GraphStore,
    private readonly options: HeavyReadGateOptions,
  ) {}

  /** Heavy reads running now (all clients). */
  get inFlight(): number {
    return this.running;
  }

  /** Answers the request with the read's result (or throws the error to answer); returns once it is sent. */
  async answer(req: Request, res: Response, read: HeavyRead): Promise<undefined> {
    const limits = this.options.limits;
    const version = read.cacheKey !== undefined && limits.cacheBytes > 0 ? await this.store.graphVersion() : undefined;
    const key = version === undefined ? undefined : `${read.kind}\u0000${read.cacheKey}`;
    if (version !== undefined && key !== undefined) {
      const hit = this.cached(version, key);
      if (hit) return send(res, hit, 'hit');
    }

    // One client per IPv4 address or IPv6 /56, as the rate limits count them (server/auth/rate-limit.ts).
    const client = ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown', IPV6_PREFIX_BITS);
    const mine = this.perClient.get(client) ?? 0;
    if (this.running >= limits.concurrency || mine >= limits.perClient) {
      const which =
        mine >= limits.perClient
          ? `${limits.perClient} from this address (HEAVY_READ_CONCURRENCY_PER_CLIENT)`
          : `${limits.concurrency} in all (HEAVY_READ_CONCURRENCY)`;
      throw new TooManyRequests(`too many heavy reads at once: at most ${which}; try again in ${SLOT_RETRY_SECONDS} s`, SLOT_RETRY_SECONDS);
    }
    this.running++;
    this.perClient.set(client, mine + 1);
    const release = () => {
      this.running--;
      const left = (this.perClient.get(client) ?? 1) - 1;
      if (left > 0) this.perClient.set(client, left);
      else this.perClient.delete(client);
    };

    const controller = new AbortController();
    const deadline = new DeadlineExceeded(
      `this ${read.kind} ran longer than ${limits.timeoutMs / 1000} s (HEAVY_READ_TIMEOUT_MS) and was stopped; narrow it (labels, types, limit) or try again later`,
      { timeoutMs: limits.timeoutMs },
    );
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        controller.abort(deadline);
        reject(deadline);
      }, limits.timeoutMs);
    });
    timedOut.catch(() => undefined);
    const work = (async () => {
      await this.options.onCompute?.(read.kind);
      if (controller.signal.aborted) throw deadline;
      return read.compute(controller.signal);
    })();
    void work.then(release, release).finally(() => clearTimeout(timer));

    let answer: HeavyAnswer;
    try {
      answer = await Promise.race([work, timedOut]);
    } catch (error) {
      throw controller.signal.aborted ? deadline : error;
    }
    const entry = encode(answer);
    if (entry.body.byteLength > limits.maxBytes) {
      throw new Invalid(
        `this ${read.kind} answer would be ${entry.body.byteLength} bytes, more than the limit of ${limits.maxBytes} bytes (HEAVY_READ_MAX_BYTES); narrow it (labels, types, limit)`,
        { limitBytes: limits.maxBytes, bytes: entry.body.byteLength },
        'result_too_large',
      );
    }
    if (version !== undefined && key !== undefined) this.remember(version, key, entry);
    return send(res, entry, version === undefined ? undefined : 'miss');
  }

  private cached(version: number, key: string): Cached | undefined {
    if (version !== this.cacheVersion) return undefined;
    const hit = this.cache.get(key);
    if (hit) {
      // Most recently used last: eviction takes the oldest first.
      this.cache.delete(key);
      this.cache.set(key, hit);
    }
    return hit;
  }

  private remember(version: number, key: string, entry: Cached): void {
    if (version !== this.cacheVersion) {
      // The graph changed: every answer of the former version is stale.
      this.cache.clear();
      this.cachedBytes = 0;
      this.cacheVersion = version;
    }
    const budget = this.options.limits.cacheBytes;
    if (entry.body.byteLength > budget) return;
    const old = this.cache.get(key);
    if (old) {
      this.cache.delete(key);
      this.cachedBytes -= old.body.byteLength;
    }
    while (this.cachedBytes + entry.body.byteLength > budget) {
      const [oldestKey, oldest] = this.cache.entries().next().value!;
      this.cache.delete(oldestKey);
      this.cachedBytes -= oldest.body.byteLength;
    }
    this.cache.set(key, entry);
    this.cachedBytes += entry.body.byteLength;
  }
}

function encode(answer: HeavyAnswer): Cached {
  if ('json' in answer) {
    return { body: Buffer.from(JSON.stringify(answer.json)), contentType: 'application/json; charset=utf-8', headers: {} };
  }
  const body = Buffer.from(answer.bytes.buffer, answer.bytes.byteOffset, answer.bytes.byteLength);
  return { body, contentType: answer.contentType, headers: answer.headers ?? {} };
}

function send(res: Response, entry: Cached, cache: 'hit' | 'miss' | undefined): undefined {
  res.status(200);
  res.setHeader('Content-Type', entry.contentType);
  for (const [name, value] of Object.entries(entry.headers)) res.setHeader(name, value);
  // Says whether the answer came from the cache of this graph version (for clients and tests).
  if (cache) res.setHeader('X-Cache', cache);
  res.setHeader('Content-Length', String(entry.body.byteLength));
  res.end(entry.body);
  return undefined;
}
