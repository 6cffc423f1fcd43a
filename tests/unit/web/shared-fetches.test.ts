/**
 * The fetches the side panel and Explore share while in flight (web/src/lib/shared-fetches.ts): handed out only
 * while they can give a current answer. Each case here was a bug on a busy server: a retry handed the failed half of
 * a fetch whose other half was still out; a refresh after an edit handed a fetch asked for before it, or one it had
 * itself just cancelled, so that the panel kept a count of links that an undo had removed.
 */
import { describe, expect, it } from 'vitest';
import { SharedFetches } from '../../../web/src/lib/shared-fetches.ts';

/** A promise settled from outside. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

const ticks = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('shared fetches', () => {
  it('hands out an entry while it is in flight, and forgets it once all of it is in', async () => {
    const shared = new SharedFetches<string>();
    const done = deferred();
    expect(shared.start('dar', 'a', done.promise)).toBe('a');
    expect(shared.get('dar')).toBe('a');
    expect(shared.get('ncdd')).toBeUndefined();
    done.resolve();
    await ticks();
    expect(shared.get('dar')).toBeUndefined();
  });

  it('forgets an entry as soon as a part of it fails, not when the rest is in', async () => {
    const shared = new SharedFetches<string>();
    const failedHalf = deferred();
    const slowHalf = deferred();
    shared.start('dar', 'a', Promise.all([slowHalf.promise, failedHalf.promise]));
    failedHalf.reject(new Error('503'));
    await ticks();
    expect(shared.get('dar')).toBeUndefined(); // a retry asks again
    slowHalf.resolve();
  });

  it('does not hand out an entry whose requests were cancelled, even before it has settled', () => {
    const shared = new SharedFetches<string>();
    const request = new AbortController();
    shared.start('dar', 'a', deferred().promise, request.signal);
    expect(shared.get('dar')).toBe('a');
    request.abort();
    expect(shared.get('dar')).toBeUndefined(); // the same tick: the cancelled fetch has not rejected yet
  });

  it('hands out nothing started before invalidate(); an old entry settling later leaves a newer one', async () => {
    const shared = new SharedFetches<string>();
    const before = deferred();
    shared.start('dar', 'before the edit', before.promise);
    shared.invalidate();
    expect(shared.get('dar')).toBeUndefined();
    const after = deferred();
    shared.start('dar', 'after the edit', after.promise);
    before.resolve();
    await ticks();
    expect(shared.get('dar')).toBe('after the edit');
    after.resolve();
    await ticks();
    expect(shared.get('dar')).toBeUndefined();
  });
});
