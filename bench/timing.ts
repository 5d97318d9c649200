/**
 * Timing for the benches: the median time of a call that answers a Result, over `rounds` runs
 * after a warm-up (a refusal stops the bench).
 *
 * @example
 * const { ms, value } = await timedRounds(3, () => store.measureFunnel(query, now));
 */
export async function timedRounds<T>(rounds: number, run: () => Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<{ ms: number; value: T }> {
  const times: number[] = [];
  let value: T | undefined;
  for (let round = 0; round <= rounds; round++) {
    const t0 = performance.now();
    const r = await run();
    if (!r.ok) throw new Error(r.error.message);
    if (round > 0) times.push(performance.now() - t0);
    value = r.value;
  }
  return { ms: [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!, value: value! };
}
