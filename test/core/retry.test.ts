import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { refuse } from '../../src/core/errors.js';
import { ok, type Result } from '../../src/core/result.js';
import type { CrmError } from '../../src/core/errors.js';
import { conflictRetrier } from '../../src/core/retry.js';

const conflict = () => refuse('CONFLICT', { entity: 'customer', id: 'C-1', expectedVersion: 1, actualVersion: 2 });

describe('deciding again after lost races', () => {
  it('answers the first result that is not CONFLICT: ok, or another refusal, at once', async () => {
    const retrying = conflictRetrier({ budgetMs: 60_000, baseDelayMs: 0 });
    let n = 0;
    expect(await retrying(async () => (++n < 4 ? conflict() : ok('claimed')))).toEqual(ok('claimed'));
    expect(n).toBe(4);
    n = 0;
    const quota = await retrying(async () => (++n, refuse('POOL_QUOTA_EXCEEDED', { poolId: 'gh-east', memberId: 'rep-li', quota: 10, holding: 10 })));
    expect(!quota.ok && quota.error.code).toBe('POOL_QUOTA_EXCEEDED');
    expect(n).toBe(1);
  });

  it('stops at maxAttempts, answering the last CONFLICT', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 20 }), async (maxAttempts, winsAt) => {
        const retrying = conflictRetrier({ maxAttempts, budgetMs: 60_000, baseDelayMs: 0 });
        let n = 0;
        const r: Result<string, CrmError> = await retrying(async () => (++n >= winsAt ? ok('won') : conflict()));
        expect(n).toBe(Math.min(maxAttempts, winsAt));
        expect(r.ok).toBe(winsAt <= maxAttempts);
      }),
      { numRuns: 60 },
    );
  });

  it('without a count, the time budget ends it: several tries, never one after the budget ran out', async () => {
    const retrying = conflictRetrier({ budgetMs: 30, baseDelayMs: 1, maxDelayMs: 3 });
    const times: number[] = [];
    const r = await retrying(async () => (times.push(performance.now()), conflict()));
    expect(!r.ok && r.error.code).toBe('CONFLICT');
    expect(times.length).toBeGreaterThan(1);
    // every try but the last began before the deadline (set before the first try began)
    for (const t of times.slice(0, -1)) expect(t - times[0]!).toBeLessThan(30);
  });
});
