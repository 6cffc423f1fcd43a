/**
 * A fixed-window rate limiter per key (client address), with a bounded table: when full, the oldest window is
 * dropped, so memory stays flat under any traffic.
 */
export interface RateLimitOptions {
  limit: number;
  windowMs: number;
  maxKeys?: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private readonly maxKeys: number;

  constructor(private readonly options: RateLimitOptions) {
    this.maxKeys = options.maxKeys ?? 10_000;
  }

  /** Counts a hit; returns the seconds to wait when over the limit, else 0. */
  hit(key: string, now = Date.now()): number {
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.options.windowMs) {
      this.windows.delete(key);
      if (this.windows.size >= this.maxKeys) this.windows.delete(this.windows.keys().next().value!);
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count++;
    return window.count > this.options.limit ? Math.ceil((window.start + this.options.windowMs - now) / 1000) : 0;
  }

  get trackedKeys(): number {
    return this.windows.size;
  }
}
