/** The read limits' settings: defaults, and a bad value stops the start with the variable named. */
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_READ_LIMITS, loadConfig } from '../../server/config.ts';

describe('read limit settings', () => {
  it('defaults to generous limits', () => {
    expect(loadConfig({}).reads).toEqual(DEFAULT_READ_LIMITS);
    expect(DEFAULT_READ_LIMITS.readsPerMinute).toBeGreaterThanOrEqual(600);
  });

  it('reads each variable', () => {
    const reads = loadConfig({
      READ_RATE_LIMIT: '50',
      HEAVY_READ_CONCURRENCY: '3',
      HEAVY_READ_CONCURRENCY_PER_CLIENT: '1',
      HEAVY_READ_TIMEOUT_MS: '1500',
      HEAVY_READ_MAX_BYTES: '1048576',
      HEAVY_READ_CACHE_BYTES: '0',
    }).reads;
    expect(reads).toEqual({ readsPerMinute: 50, concurrency: 3, perClient: 1, timeoutMs: 1500, maxBytes: 1048576, cacheBytes: 0 });
  });

  it('refuses bad values, naming every bad variable', () => {
    const bad = {
      READ_RATE_LIMIT: 'lots',
      HEAVY_READ_CONCURRENCY: '0',
      HEAVY_READ_CONCURRENCY_PER_CLIENT: '-1',
      HEAVY_READ_TIMEOUT_MS: '1.5',
      HEAVY_READ_MAX_BYTES: '',
      HEAVY_READ_CACHE_BYTES: 'x',
    };
    let error: unknown;
    try {
      loadConfig(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    for (const name of Object.keys(bad)) expect((error as Error).message).toContain(name);
  });
});
