/**
 * Deciding again after a lost race (internal): how the services retry `CONFLICT` — full-jitter
 * exponential backoff inside a time budget, with an optional cap on the count. Retry timing is
 * not a rule: it reads the process's monotonic clock (`performance.now()`), never a rule's `now`,
 * and its jitter comes from a generator of the retrier's own.
 */
import type { CrmError } from './errors.js';
import type { Result } from './result.js';

/**
 * How a service retries: at most `maxAttempts` decisions (default: no count), for at most
 * `budgetMs` (default 5,000), waiting a random time up to `baseDelayMs · 2^try` (default 2),
 * capped at `maxDelayMs` (default 100), between tries.
 *
 * @example
 * const policy: RetryPolicy = { budgetMs: 5000, baseDelayMs: 2, maxDelayMs: 100 };
 */
export interface RetryPolicy {
  readonly maxAttempts?: number;
  readonly budgetMs?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
}

/** How many retriers this process made: each seeds its own jitter. */
let retriersMade = 0;

/**
 * A function that runs an attempt until it answers something other than `CONFLICT`, the budget
 * runs out or the attempts are spent, and answers its last result.
 *
 * @example
 * const retrying = conflictRetrier({ budgetMs: 5000 });
 * await retrying(() => decideAndCommit());
 */
export function conflictRetrier(policy: RetryPolicy = {}): <T>(attempt: () => Promise<Result<T, CrmError>>) => Promise<Result<T, CrmError>> {
  const maxAttempts = policy.maxAttempts ?? Number.POSITIVE_INFINITY;
  const budgetMs = policy.budgetMs ?? 5_000;
  const baseDelayMs = policy.baseDelayMs ?? 2;
  const maxDelayMs = policy.maxDelayMs ?? 100;
  // xorshift32: callers that lost one race do not all try again at the same moment
  let state = (0x9e3779b9 ^ Math.imul(++retriersMade, 0x85ebca6b)) >>> 0 || 1;
  const jitter = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000;
  };
  return async function retrying<T>(attempt: () => Promise<Result<T, CrmError>>): Promise<Result<T, CrmError>> {
    const deadline = performance.now() + budgetMs;
    for (let n = 1; ; n++) {
      const answer = await attempt();
      if (answer.ok || answer.error.code !== 'CONFLICT' || n >= maxAttempts || performance.now() >= deadline) return answer;
      const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(n - 1, 20));
      await new Promise<void>((resolve) => setTimeout(resolve, Math.min(jitter() * ceiling, Math.max(0, deadline - performance.now()))));
    }
  };
}
