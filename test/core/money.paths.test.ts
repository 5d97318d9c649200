/**
 * The money kernel's plain-number fast paths held to the bigint reference (issue 20: most
 * mutants that survived the money tests sat in these paths, whose answers an exact fallback
 * used to cover). Two things are asserted of each path, on generated inputs that reach its
 * edges (limbs of 2^26, 2^52, the safe integers, ties):
 * - whatever it answers is the exact reference answer (NaN means "not mine": the bigint path
 *   then answers);
 * - it does answer over the domain it claims, so a guard that sends everything to the slow
 *   path, or a check that lets a wrong answer through, is caught.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ROUNDING_MODES, type Decimal } from '../../src/core/money.js';
import {
  productRoundedNumber,
  quotientRoundedNumber,
  scaledRound,
  scaledRoundBig,
  wideProductRounded,
} from '../../src/core/money/multiply.js';
import { roundQuotientNumber, roundRatioUnchecked, type ModeCode } from '../../src/core/money/rounding.js';
import { allocateBig, allocateMinor, allocateNumbers, kthSmallest } from '../../src/core/money/allocate.js';
import {
  absDigits,
  addIntegers,
  canonical,
  canonicalInteger,
  compareIntegers,
  isExactInteger,
  MAX_MULDIV_DIVISOR,
  multiplyIntegers,
  negateInteger,
  pow10Big,
  shiftInteger,
  signOf,
  subtractIntegers,
  toBig,
} from '../../src/core/money/integers.js';
import { refRound } from './money.reference.js';

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MAX_WIDE = 2n ** 52n - 1n;
const pow10 = (k: number) => 10n ** BigInt(k);
const abs = (x: bigint) => (x < 0n ? -x : x);
const isSafe = (x: bigint) => x >= -SAFE && x <= SAFE;

/** Whole numbers at the edges the number paths care about, as plain numbers. */
const edgeInt = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -1000, max: 1000 }) },
  { weight: 2, arbitrary: fc.integer({ min: -100_000_000, max: 100_000_000 }) },
  { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 1, max: 2 ** 26 }), fc.integer({ min: -3, max: 3 }), fc.boolean()).map(([m, e, neg]) => (neg ? -1 : 1) * (m * 2 ** 26 + e)) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: -3, max: 3 }), fc.boolean()).map(([e, neg]) => (neg ? -1 : 1) * (2 ** 26 + e)) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: -1000, max: 0 }), fc.boolean()).map(([e, neg]) => (neg ? -1 : 1) * (2 ** 52 + e)) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.boolean()).map(([e, neg]) => (neg ? -1 : 1) * (Number.MAX_SAFE_INTEGER - e)) },
  { weight: 2, arbitrary: fc.maxSafeInteger() },
);
const scale = fc.integer({ min: 0, max: 15 });
const factor = fc.record({ units: edgeInt, scale }).map((f) => f as unknown as Decimal);
const factors = fc.array(factor, { minLength: 0, maxLength: 3 });
const code = fc.integer({ min: 0, max: 7 }).map((c) => c as ModeCode);
const modeOf = (c: ModeCode) => ROUNDING_MODES[c]!;

/**
 * A tie for the wide path: p × 5·10^(k−1) / 10^k = p / 2, exactly half-way when p is odd, and
 * past 2^53 before the division once p is large enough.
 */
const wideTie = fc
  .tuple(fc.integer({ min: 1, max: 15 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(), code)
  .map(([k, at, neg, c]) => {
    const u = 5 * 10 ** (k - 1);
    const lo = Math.ceil(2 ** 53 / u); // p × u reaches 2^53 from here
    const odd = 2 * Math.floor((lo + at * (2 ** 52 - 2 - lo)) / 2) + 1; // odd, below 2^52
    return { k, p: neg ? -odd : odd, u, code: c };
  });

const product = (n: number, fs: readonly Decimal[]) => fs.reduce((p, f) => p * BigInt(f.units as number), BigInt(n));
const scales = (fs: readonly Decimal[]) => fs.reduce((s, f) => s + f.scale, 0);

/** round(P / 10^k) for k ≥ 0, P × 10^−k below. */
const refScaled = (p: bigint, k: number, c: ModeCode) => (k >= 0 ? refRound(p, pow10(k), modeOf(c)) : p * pow10(-k));

describe('the product fast path (no divisor, no increment)', () => {
  it('answers exactly, and answers whenever the product, its scaling and the result are safe integers', () => {
    fc.assert(
      fc.property(edgeInt, fc.integer({ min: -20, max: 20 }), factors, code, (n, k, fs, c) => {
        const r = productRoundedNumber(n, k, fs, c);
        const p = product(n, fs);
        const kk = k + scales(fs);
        const expected = refScaled(p, kk, c);
        if (r === r) {
          expect(typeof r).toBe('number');
          expect(BigInt(r)).toBe(expected);
          expect(Object.is(r, -0)).toBe(false);
        }
        // the domain the path claims: a safe product and |k| ≤ 15 with a safe result
        const claims = isSafe(p) && Math.abs(kk) <= 15 && isSafe(expected);
        if (claims) expect(r).not.toBeNaN();
        // past 2^53 the two-limb path takes over when the last factor and the rest fit in 52 bits
        if (!isSafe(p) && kk > 0 && kk <= 15 && fs.length > 0) {
          const u = BigInt(fs[fs.length - 1]!.units as number);
          const rest = u === 0n ? 0n : p / u;
          if (abs(rest) <= MAX_WIDE && abs(u) <= MAX_WIDE && abs(p) / pow10(kk) + 1n < SAFE) expect(r).not.toBeNaN();
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('the two-limb path (a product just past 2^53, divided by 10^k)', () => {
  const wideArgs = fc
    .tuple(
      fc.oneof(edgeInt, fc.integer({ min: -(2 ** 52) + 1, max: 2 ** 52 - 1 })),
      fc.array(fc.record({ units: fc.integer({ min: -4, max: 4 }).filter((u) => u !== 0), scale: fc.constant(0) }), { maxLength: 1 }),
      fc.oneof(edgeInt, fc.integer({ min: -(2 ** 52) + 1, max: 2 ** 52 - 1 })),
      fc.integer({ min: 1, max: 15 }),
      code,
    )
    .map(([n0, middle, u, k, c]) => ({ n0, fs: [...middle, { units: u, scale: 0 }] as unknown as Decimal[], k, c }));

  it('answers exactly whatever it answers, and answers whenever its operands fit in 52 bits and the quotient is safe', () => {
    fc.assert(
      fc.property(wideArgs, ({ n0, fs, k, c }) => {
        const r = wideProductRounded(n0, fs, k, c);
        const p = product(n0, fs);
        const expected = refRound(p, pow10(k), modeOf(c));
        if (r === r) expect(BigInt(r)).toBe(expected);
        const u = BigInt(fs[fs.length - 1]!.units as number);
        const rest = product(n0, fs.slice(0, -1));
        if (abs(rest) <= MAX_WIDE && abs(u) <= MAX_WIDE && abs(p) / pow10(k) + 1n < SAFE) expect(r).not.toBeNaN();
      }),
      { numRuns: 3000 },
    );
  });

  it('rounds the exact ties past 2^53 by the mode', () => {
    fc.assert(
      fc.property(wideTie, ({ k, p, u, code: c }) => {
        const fs = [{ units: u, scale: 0 }] as unknown as Decimal[];
        const r = wideProductRounded(p, fs, k, c);
        expect(r).not.toBeNaN();
        expect(BigInt(r)).toBe(refRound(BigInt(p) * BigInt(u), pow10(k), modeOf(c)));
      }),
      { numRuns: 1000 },
    );
  });

  it('declines (NaN) what it cannot do exactly: no factor, an operand of 2^52 or more, a quotient of 2^53 or more', () => {
    const one = [{ units: 3, scale: 0 }] as unknown as Decimal[];
    expect(wideProductRounded(2 ** 40, [], 3, 0)).toBeNaN();
    expect(wideProductRounded(2 ** 52, one, 3, 0)).toBeNaN();
    expect(wideProductRounded(3, [{ units: 2 ** 52, scale: 0 }] as unknown as Decimal[], 3, 0)).toBeNaN();
    // 2^52 − 1 is the largest operand it takes
    expect(wideProductRounded(2 ** 52 - 1, one, 1, 0)).toBe(Number((3n * (2n ** 52n - 1n) + 5n) / 10n));
    // (2^52 − 1)² / 10^15 ≈ 2.03e16 ≥ 2^53: declined; / 10^16 is not in its range (k ≤ 15)
    expect(wideProductRounded(2 ** 52 - 1, [{ units: 2 ** 52 - 1, scale: 0 }] as unknown as Decimal[], 15, 0)).toBeNaN();
  });
});

describe('the quotient fast path (a divisor or a cash increment)', () => {
  const divisor = fc.oneof(edgeInt, fc.integer({ min: -1000, max: 1000 })).filter((d) => d !== 0);
  const inc = fc.oneof(fc.constantFrom(1, 5, 10, 25, 100), fc.integer({ min: 1, max: 10 ** 9 }));

  it('answers exactly, and answers whenever numerator, denominator and result are safe integers', () => {
    fc.assert(
      fc.property(edgeInt, fc.integer({ min: -20, max: 20 }), factors, divisor, inc, code, (n, k, fs, du, increment, c) => {
        const r = quotientRoundedNumber(n, k, fs, du, increment, c);
        const kk = k + scales(fs);
        let num = product(n, fs);
        let den = BigInt(du) * BigInt(increment);
        if (kk > 0) den *= pow10(kk);
        else num *= pow10(-kk);
        const expected = refRound(num, den, modeOf(c)) * BigInt(increment);
        if (r === r) {
          expect(BigInt(r)).toBe(expected);
          expect(Object.is(r, -0)).toBe(false);
        }
        const numRaw = product(n, fs);
        if (Math.abs(kk) <= 15 && isSafe(numRaw) && isSafe(num) && isSafe(den) && isSafe(expected)) expect(r).not.toBeNaN();
      }),
      { numRuns: 3000 },
    );
  });

  it('sends factors it cannot read to the bigint path (NaN): a fractional or unsafe units, a scale out of range', () => {
    const bad = [
      { units: 1.5, scale: 0 },
      { units: 2 ** 53, scale: 0 },
      { units: 10n, scale: 0 },
      { units: 1, scale: -1 },
      { units: 1, scale: 1001 },
      { units: 1, scale: 0.5 },
    ];
    for (const f of bad) expect(quotientRoundedNumber(1, 0, [f as unknown as Decimal], 3, 1, 0)).toBeNaN();
    // a whole scale up to the kernel's limit is read: 10^-20 of 1 is below a unit, its scaling leaves the path
    expect(quotientRoundedNumber(1, -2, [{ units: 7, scale: 2 } as unknown as Decimal], 3, 1, 0)).toBe(2);
  });
});

describe('the dispatch between the paths', () => {
  const anyFactor = fc.oneof(
    factor,
    fc.record({ units: fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }), scale }).map((f) => f as unknown as Decimal),
  );
  const integer = fc.oneof(edgeInt.map((x) => x as number | bigint), fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }));
  it('scaledRound equals scaledRoundBig for any numerator, divisor, scales and increment', () => {
    fc.assert(
      fc.property(
        integer,
        fc.integer({ min: 0, max: 6 }),
        fc.array(anyFactor, { maxLength: 3 }),
        fc.integer({ min: 0, max: 4 }),
        fc.oneof(fc.constant(1 as number | bigint), integer.filter((d) => d !== 0 && d !== 0n)),
        fc.integer({ min: 0, max: 6 }),
        code,
        fc.oneof(fc.constant(1 as number | bigint), fc.constantFrom(5, 10, 100), fc.bigInt({ min: 1n, max: 2n ** 60n })),
        (n0, s0, fs, exp, du, ds, c, increment) => {
          const canon = (x: number | bigint) => (typeof x === 'bigint' && isSafe(x) ? Number(x) : x);
          const args = [canon(n0), s0, fs, exp, canon(du), ds, c, canon(increment)] as const;
          const fast = scaledRound(...args);
          const slow = scaledRoundBig(...args);
          expect(fast).toBe(slow);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('the split fast paths (largest remainder in plain numbers)', () => {
  /** Weights with many ties (small values), or wide ones, with a total that keeps the path's bound. */
  const split = fc
    .tuple(
      fc.oneof(
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 2 ** 40 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.constantFrom(0, 1, 2 ** 26, 2 ** 30 - 1, 2 ** 45), { minLength: 1, maxLength: 12 }),
      ),
      fc.double({ min: 0, max: 1, noNaN: true }),
    )
    .filter(([ws]) => ws.some((w) => w > 0))
    .map(([ws, at]) => {
      const sum = ws.reduce((a, b) => a + b, 0);
      const max = Math.max(...ws);
      // the narrow path's bound: total × max + sum ≤ 2^53 − 1; the total anywhere up to it, edges included
      const top = Math.floor((Number.MAX_SAFE_INTEGER - sum) / max);
      const total = at > 0.9 ? top : at < 0.1 ? Math.min(top, Math.floor(at * 100)) : Math.floor(at * top);
      return { ws, sum, total };
    });

  it('the narrow path equals the bigint split wherever total × weight + sum is safe', () => {
    fc.assert(
      fc.property(split, ({ ws, sum, total }) => {
        expect(allocateNumbers(total, ws, sum, false)).toEqual(allocateBig(total, ws, sum));
      }),
      { numRuns: 2000 },
    );
  });

  it('the wide path equals the bigint split for any safe total and a weight sum up to 2^51', () => {
    const wide = fc.tuple(
      fc.oneof(fc.maxSafeInteger().map(Math.abs), fc.integer({ min: 0, max: 10_000 })),
      fc.oneof(
        fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 2 ** 46 }), { minLength: 1, maxLength: 30 }),
      ),
    );
    fc.assert(
      fc.property(wide, ([total, ws]) => {
        const sum = ws.reduce((a, b) => a + b, 0);
        fc.pre(sum > 0 && sum <= MAX_MULDIV_DIVISOR);
        expect(allocateNumbers(total, ws, sum, true)).toEqual(allocateBig(total, ws, sum));
      }),
      { numRuns: 2000 },
    );
  });

  it('the selection behind the leftover units finds the k-th smallest, ties and all', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 60 }), fc.array(fc.integer(), { minLength: 1, maxLength: 60 })),
        fc.nat(),
        (xs, pick) => {
          const k = pick % xs.length;
          const a = Float64Array.from(xs);
          expect(kthSmallest(a, xs.length, k)).toBe([...xs].sort((x, y) => x - y)[k]);
          // only reordered
          expect([...a].sort((x, y) => x - y)).toEqual([...xs].sort((x, y) => x - y));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('the exact integers (a number while safe, a bigint past it, never −0)', () => {
  const edge = fc.oneof(
    fc.integer({ min: -1000, max: 1000 }).map(BigInt),
    fc.bigInt({ min: -SAFE - 3n, max: -SAFE + 3n }),
    fc.bigInt({ min: SAFE - 3n, max: SAFE + 3n }),
    fc.bigInt({ min: -(2n ** 27n), max: 2n ** 27n }),
    fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }),
  );
  /** The canonical form: a number while safe (either type given), else the bigint. */
  const asGiven = (x: bigint, asNumber: boolean): number | bigint => (asNumber && isSafe(x) ? Number(x) : x);
  const canon = (x: bigint) => (isSafe(x) ? Number(x) : x);
  const expectCanonical = (got: unknown, expected: bigint) => {
    expect(got).toStrictEqual(canon(expected));
    if (typeof got === 'number') expect(Object.is(got, -0)).toBe(false);
  };

  it('add, subtract, multiply, negate and shift are the exact bigint results, in canonical form', () => {
    fc.assert(
      fc.property(edge, edge, fc.boolean(), fc.boolean(), (a, b, an, bn) => {
        const x = asGiven(a, an);
        const y = asGiven(b, bn);
        expectCanonical(addIntegers(x, y), a + b);
        expectCanonical(subtractIntegers(x, y), a - b);
        expectCanonical(multiplyIntegers(x, y), a * b);
        expectCanonical(negateInteger(x), -a);
        expect(compareIntegers(x, y)).toBe(a < b ? -1 : a > b ? 1 : 0);
        expect(signOf(x)).toBe(a > 0n ? 1 : a < 0n ? -1 : 0);
        expect(toBig(x)).toBe(a);
        expectCanonical(canonicalInteger(x), a);
        expectCanonical(canonical(a), a);
        expect(isExactInteger(x)).toBe(true);
        expect(absDigits(x)).toBe((a < 0n ? -a : a).toString());
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(edge, fc.integer({ min: 0, max: 70 }), (a, k) => {
        // callers shift canonical integers (k = 0 gives the argument back as it came)
        expectCanonical(shiftInteger(canon(a), k), a * 10n ** BigInt(k));
        expect(pow10Big(k)).toBe(10n ** BigInt(k));
      }),
      { numRuns: 1000 },
    );
  });

  it('the edges: ±(2^53 − 1) stay numbers, one past is a bigint, and −0 never comes out', () => {
    const max = Number.MAX_SAFE_INTEGER;
    expect(canonical(SAFE)).toBe(max);
    expect(canonical(-SAFE)).toBe(-max);
    expect(canonical(SAFE + 1n)).toBe(SAFE + 1n);
    expect(canonical(-SAFE - 1n)).toBe(-SAFE - 1n);
    expect(addIntegers(max - 1, 1)).toBe(max);
    expect(addIntegers(max, 1)).toBe(SAFE + 1n);
    expect(addIntegers(-max, -1)).toBe(-SAFE - 1n);
    expect(subtractIntegers(-max + 1, 1)).toBe(-max);
    expect(subtractIntegers(-max, 1)).toBe(-SAFE - 1n);
    expect(subtractIntegers(max, -1)).toBe(SAFE + 1n);
    expect(multiplyIntegers(-(2 ** 27), 2 ** 27)).toBe(-(2n ** 54n));
    expect(shiftInteger(max, 0)).toBe(max);
    expect(shiftInteger(-900719925474099, 1)).toBe(-9007199254740990);
    expect(shiftInteger(-900719925474100, 1)).toBe(-9007199254741000n);
    expect(shiftInteger(1, 16)).toBe(10n ** 16n);
    for (const [got] of [[addIntegers(-0, -0)], [subtractIntegers(-0, 0)], [multiplyIntegers(-0, 5)], [multiplyIntegers(0, -5)], [negateInteger(0)], [canonicalInteger(-0)], [shiftInteger(-0, 3)]]) {
      expect(Object.is(got, -0)).toBe(false);
    }
    expect(isExactInteger(2 ** 53)).toBe(false);
    expect(isExactInteger(1.5)).toBe(false);
    expect(isExactInteger('1')).toBe(false);
    expect(pow10Big(63)).toBe(10n ** 63n);
    expect(pow10Big(64)).toBe(10n ** 64n);
  });
});

describe('the one rounded division in plain numbers', () => {
  const numerator = fc.oneof(edgeInt, fc.maxSafeInteger());
  const denominator = fc.oneof(
    fc.integer({ min: 1, max: 1000 }),
    fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    fc.integer({ min: 2 ** 52 - 5, max: Number.MAX_SAFE_INTEGER }),
  );
  it('roundQuotientNumber is the reference for any safe numerator and positive safe divisor, large ones included', () => {
    fc.assert(
      fc.property(numerator, denominator, code, (n, d, c) => {
        expect(BigInt(roundQuotientNumber(n, d, c))).toBe(refRound(BigInt(n), BigInt(d), modeOf(c)));
        expect(Object.is(roundQuotientNumber(n, d, c), -0)).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it('exact ties over a divisor past 2^52 go by the mode', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2 ** 51 + 1, max: 2 ** 52 - 1 }), fc.integer({ min: 0, max: 1 }), fc.boolean(), code, (h, q, neg, c) => {
        const d = 2 * h; // even, past 2^52
        const n = (neg ? -1 : 1) * (q * d + h); // q + ½
        expect(BigInt(roundQuotientNumber(n, d, c))).toBe(refRound(BigInt(n), BigInt(d), modeOf(c)));
        // one unit off the tie
        expect(BigInt(roundQuotientNumber(n + 1, d, c))).toBe(refRound(BigInt(n + 1), BigInt(d), modeOf(c)));
        expect(BigInt(roundQuotientNumber(n - 1, d, c))).toBe(refRound(BigInt(n - 1), BigInt(d), modeOf(c)));
      }),
      { numRuns: 1000 },
    );
  });

  it('roundRatioUnchecked (a divisor of any sign, an increment) is the reference, in canonical form', () => {
    const any = fc.oneof(edgeInt.map((x) => x as number | bigint), fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }));
    fc.assert(
      fc.property(any, any.filter((d) => d !== 0 && d !== 0n), fc.oneof(fc.constant(1 as number | bigint), fc.integer({ min: 2, max: 10 ** 6 }), fc.bigInt({ min: 1n, max: 2n ** 60n })), code, (n, d, inc, c) => {
        const canon = (x: number | bigint) => (typeof x === 'bigint' && isSafe(x) ? Number(x) : x);
        const got = roundRatioUnchecked(canon(n), canon(d), c, canon(inc));
        const expected = refRound(BigInt(n), BigInt(d) * BigInt(inc), modeOf(c)) * BigInt(inc);
        expect(got).toStrictEqual(isSafe(expected) ? Number(expected) : expected);
        if (typeof got === 'number') expect(Object.is(got, -0)).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('the split past 2^53: a total or a weight sum that is a bigint', () => {
  it('allocateMinor with a bigint total, or weights whose sum passes 2^53, equals the bigint split', () => {
    const totals = [2n ** 60n + 7n, -(2n ** 55n) - 3n, 1000, 2 ** 40];
    const weightLists = [[1, 2, 3], [2 ** 52, 2 ** 52, 5], [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 1], [0, 7, 0]];
    for (const total of totals) {
      for (const ws of weightLists) {
        const sum = ws.reduce((a, b) => a + BigInt(b), 0n);
        const expected = (total < 0 ? allocateBig(-BigInt(total), ws, sum).map((s) => -BigInt(s)) : allocateBig(total, ws, sum)).map((s) =>
          BigInt(s),
        );
        expect(allocateMinor(total, ws).map((s) => BigInt(s))).toEqual(expected);
      }
    }
  });
});
