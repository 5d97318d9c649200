/**
 * BigInt references for the money kernel's properties: the exact answers, written plainly, that
 * the kernel's number fast paths and its bigint path must both give.
 */
import type { RoundingMode } from '../../src/core/money.js';

/** floor(n / d) for any signs. */
export function floorDiv(n: bigint, d: bigint): bigint {
  if (d < 0n) return floorDiv(-n, -d);
  const q = n / d;
  return n % d !== 0n && n < 0n ? q - 1n : q;
}

/** n / d rounded with `mode`, from the floor and the exact fractional part. */
export function refRound(n: bigint, d: bigint, mode: RoundingMode): bigint {
  if (d < 0n) return refRound(-n, -d, mode);
  const lo = floorDiv(n, d);
  const frac = n - lo * d; // 0 ≤ frac < d: the exact value is lo + frac/d
  if (frac === 0n) return lo;
  const hi = lo + 1n;
  const positive = n > 0n;
  switch (mode) {
    case 'floor':
      return lo;
    case 'ceil':
      return hi;
    case 'down':
      return positive ? lo : hi;
    case 'up':
      return positive ? hi : lo;
  }
  if (2n * frac < d) return lo;
  if (2n * frac > d) return hi;
  switch (mode) {
    case 'halfUp':
      return hi;
    case 'halfDown':
      return lo;
    case 'halfAwayFromZero':
      return positive ? hi : lo;
    case 'halfEven':
      return lo % 2n === 0n ? lo : hi;
  }
  throw new Error(mode);
}
