/**
 * Properties of the money kernel, checked against straightforward BigInt reference
 * implementations written here (floor-based, unlike the kernel's truncating fast path).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ROUNDING_MODES,
  addDecimals,
  allocateMoney,
  compareDecimals,
  decimalToString,
  divideDecimals,
  divideMoney,
  formatMoney,
  moneyFromProduct,
  multiplyMoney,
  negateMoney,
  parseDecimal,
  parseMoney,
  parseRounding,
  prorateMoney,
  roundDecimal,
  roundMoney,
  roundRatio,
  subtractDecimals,
  sumMoney,
  toMoneyJson,
  type AllocationWeight,
  type CurrencyCode,
  type Decimal,
  type Money,
  type RoundingMode,
} from '../../src/core/money.js';
import { modeCode } from '../../src/core/money/rounding.js';
import { scaledRound, scaledRoundBig } from '../../src/core/money/multiply.js';
import { MAX_MULDIV_DIVISOR, mulDivFloor, mulDivRemainder } from '../../src/core/money/integers.js';
import { allocateMinor } from '../../src/core/money/allocate.js';
import { value } from '../support.js';
import { refRound } from './money.reference.js';

// ───────────────────────────── BigInt references ─────────────────────────────

const big = (x: number | bigint) => BigInt(x);
const pow10 = (k: number) => 10n ** BigInt(k);

/** round(n / d) to a multiple of `inc`. */
const refRoundTo = (n: bigint, d: bigint, mode: RoundingMode, inc: bigint) => refRound(n, d * inc, mode) * inc;

/** Largest remainder, written plainly: exact shares as fractions, ranked by fractional part. */
function refAllocate(total: bigint, weights: bigint[]): bigint[] {
  const W = weights.reduce((a, b) => a + b, 0n);
  const sign = total < 0n ? -1n : 1n;
  const T = total * sign;
  const floors = weights.map((w) => (T * w) / W);
  const fracs = weights.map((w, i) => T * w - floors[i]! * W);
  let left = T - floors.reduce((a, b) => a + b, 0n);
  const ranked = weights
    .map((w, i) => ({ i, w, f: fracs[i]! }))
    .sort((a, b) => (a.f !== b.f ? (a.f > b.f ? -1 : 1) : a.w !== b.w ? (a.w > b.w ? -1 : 1) : a.i - b.i));
  const shares = [...floors];
  for (const r of ranked) {
    if (left === 0n) break;
    shares[r.i]! += 1n;
    left--;
  }
  return shares.map((s) => s * sign);
}

// ───────────────────────────── arbitraries ─────────────────────────────

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const EXPONENTS: Record<string, number> = { JPY: 0, CNY: 2, KWD: 3, CLF: 4 };

/** Integers that exercise both sides of 2^53: small, near ±2^53, huge. */
const anyInt = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }).map(BigInt),
  fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
  fc.bigInt({ min: -SAFE - 1000n, max: -SAFE + 1000n }),
  fc.bigInt({ min: SAFE - 1000n, max: SAFE + 1000n }),
  fc.bigInt({ min: -(2n ** 90n), max: 2n ** 90n }),
);
const nonZeroInt = anyInt.filter((x) => x !== 0n);
/** A ratio n / d: arbitrary, or an exact tie q + ½ (where the half modes differ). */
const ratioArb = fc.oneof(
  fc.tuple(anyInt, nonZeroInt),
  fc.tuple(anyInt, fc.oneof(fc.bigInt({ min: 1n, max: 1000n }), fc.bigInt({ min: 1n, max: 2n ** 60n })), fc.boolean()).map(
    ([q, h, flip]): [bigint, bigint] => [flip ? -(2n * q * h + h) : 2n * q * h + h, flip ? -2n * h : 2n * h],
  ),
);
const mode = fc.constantFrom(...ROUNDING_MODES);
const currency = fc.constantFrom<CurrencyCode>('JPY', 'CNY', 'KWD', 'CLF');
const increment = fc.constantFrom(1, 1, 1, 5, 10, 25, 100);

/** The canonical integer (number while safe). */
const canon = (x: bigint): number | bigint => (x >= -SAFE && x <= SAFE ? Number(x) : x);

/** A decimal: realistic quantities and prices most of the time, near-2^53 and huge ones too. */
const decimalArb = fc
  .record({
    units: fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: -10_000_000, max: 10_000_000 }).map(BigInt) },
      { weight: 2, arbitrary: fc.bigInt({ min: -(10n ** 17n), max: 10n ** 17n }) },
      { weight: 1, arbitrary: anyInt },
    ),
    scale: fc.integer({ min: 0, max: 9 }),
  })
  .map(({ units, scale }) => value(parseDecimal({ units: canon(units), scale })));

const moneyArb = (c: CurrencyCode) => anyInt.map((minor) => value(parseMoney({ currency: c, minor: canon(minor) })));
const moneyAnyCurrency = currency.chain((c) => moneyArb(c));

const rounding = (m: RoundingMode, inc: number) => value(parseRounding({ mode: m, increment: inc }));

// ───────────────────────────── rounding ─────────────────────────────

describe('properties: rounding', () => {
  it('roundRatio matches the BigInt reference for every mode, on both sides of 2^53', () => {
    fc.assert(
      fc.property(ratioArb, mode, increment, ([n, d], m, inc) => {
        const asGiven = (x: bigint) => canon(x); // numbers where safe: the fast path
        const got = value(roundRatio(asGiven(n), asGiven(d), rounding(m, inc)));
        expect(big(got)).toBe(refRoundTo(n, d, m, BigInt(inc)));
        // the same value given as bigints takes the BigInt path and agrees
        expect(value(roundRatio(n, d, rounding(m, inc)))).toBe(got);
      }),
      { numRuns: 5000 },
    );
  });

  it('every mode is off by less than one unit (one increment) from the exact value; the half modes by at most half', () => {
    fc.assert(
      fc.property(ratioArb, mode, increment, ([n, d], m, inc) => {
        const r = big(value(roundRatio(canon(n), canon(d), rounding(m, inc))));
        const absD = d < 0n ? -d : d;
        const err = r * d - n; // (r − n/d) × d
        const absErr = err < 0n ? -err : err;
        expect(absErr < absD * BigInt(inc)).toBe(true);
        if (m.startsWith('half')) expect(2n * absErr <= absD * BigInt(inc)).toBe(true);
        expect(r % BigInt(inc)).toBe(0n);
      }),
      { numRuns: 3000 },
    );
  });

  it('the symmetric modes satisfy round(−x) = −round(x); the others mirror each other', () => {
    const mirror: Record<RoundingMode, RoundingMode> = {
      halfAwayFromZero: 'halfAwayFromZero',
      halfEven: 'halfEven',
      up: 'up',
      down: 'down',
      halfUp: 'halfDown',
      halfDown: 'halfUp',
      ceil: 'floor',
      floor: 'ceil',
    };
    fc.assert(
      fc.property(ratioArb, mode, ([n, d], m) => {
        const pos = big(value(roundRatio(canon(n), canon(d), m)));
        const neg = big(value(roundRatio(canon(-n), canon(d), mirror[m])));
        expect(neg).toBe(-pos);
      }),
      { numRuns: 3000 },
    );
  });

  it('directed modes bound the exact value: floor ≤ x ≤ ceil, |down| ≤ |x| ≤ |up|', () => {
    fc.assert(
      fc.property(ratioArb, ([n, d]) => {
        const r = (m: RoundingMode) => big(value(roundRatio(canon(n), canon(d), m)));
        const pos = d > 0n;
        // r ≤ n/d  ⇔  r·d ≤ n when d > 0
        const le = (x: bigint) => (pos ? x * d <= n : x * d >= n);
        const ge = (x: bigint) => (pos ? x * d >= n : x * d <= n);
        expect(le(r('floor')) && ge(r('ceil'))).toBe(true);
        const abs = (x: bigint) => (x < 0n ? -x : x);
        expect(abs(r('down') * d) <= abs(n) && abs(r('up') * d) >= abs(n)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('rounding a decimal to fewer places matches the reference', () => {
    fc.assert(
      fc.property(decimalArb, fc.integer({ min: 0, max: 9 }), mode, (d, places, m) => {
        const r = value(roundDecimal(d, places, m));
        const expected = d.scale <= places ? big(d.units) * pow10(places - d.scale) : refRound(big(d.units), pow10(d.scale - places), m);
        expect(big(r.units) * pow10(places - r.scale)).toBe(expected);
      }),
    );
  });
});

// ───────────────────────────── products and quotients ─────────────────────────────

describe('properties: exact products rounded once', () => {
  it('moneyFromProduct matches the BigInt reference for every mode and increment — zero mismatches', () => {
    fc.assert(
      fc.property(currency, fc.array(decimalArb, { minLength: 1, maxLength: 4 }), mode, increment, (c, factors, m, inc) => {
        const got = moneyFromProduct(c, factors, rounding(m, inc));
        const n = factors.reduce((p, f) => p * big(f.units), 1n) * pow10(EXPONENTS[c]!);
        const d = pow10(factors.reduce((s, f) => s + f.scale, 0));
        expect(big(got.minor)).toBe(refRoundTo(n, d, m, BigInt(inc)));
        expect(got.minor).toBe(canon(big(got.minor))); // canonical: a number whenever it fits
      }),
      { numRuns: 5000 },
    );
  });

  it('a realistic quote line (quantity × unit price × (1 − discount)) matches the reference', () => {
    const qty = fc.tuple(fc.integer({ min: 1, max: 2_000_000_000 }), fc.integer({ min: 0, max: 3 }));
    const price = fc.tuple(fc.bigInt({ min: 1n, max: 10n ** 17n }), fc.integer({ min: 0, max: 9 }));
    const disc = fc.integer({ min: 0, max: 10_000 }); // 0.00% … 100.00% in basis points
    fc.assert(
      fc.property(currency, qty, price, disc, mode, (c, [qu, qs], [pu, ps], bp, m) => {
        const q = value(parseDecimal({ units: qu, scale: qs }));
        const p = value(parseDecimal({ units: canon(pu), scale: ps }));
        const keep = subtractDecimals(value(parseDecimal(1)), value(parseDecimal({ units: bp, scale: 4 })));
        const got = moneyFromProduct(c, [q, p, keep], m);
        const n = BigInt(qu) * pu * BigInt(10_000 - bp) * pow10(EXPONENTS[c]!);
        const d = pow10(qs + ps + 4);
        expect(big(got.minor)).toBe(refRound(n, d, m));
      }),
      { numRuns: 3000 },
    );
  });

  it('products just past 2^53 (the two-limb number path) match the reference, at the limb edges too', () => {
    const B = 2n ** 26n;
    const operand = fc.oneof(
      fc.bigInt({ min: 1n, max: 2n ** 52n - 1n }),
      fc.bigInt({ min: 2n ** 40n, max: 2n ** 52n - 1n }),
      fc.constantFrom(2n ** 52n - 1n, 2n ** 52n, B - 1n, B, B + 1n, B * B - 1n, 10n ** 15n, 10n ** 15n - 1n, 999_999_999_999_999n),
      fc.tuple(fc.bigInt({ min: 1n, max: B - 1n }), fc.bigInt({ min: 0n, max: B - 1n })).map(([h, l]) => h * B + l),
    );
    fc.assert(
      fc.property(operand, operand, fc.bigInt({ min: 1n, max: 2n ** 20n }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 }), fc.boolean(), fc.boolean(), currency, mode, (a, b, c, sa, sb, na, nb, cur, m) => {
        const f1 = value(parseDecimal({ units: canon(na ? -a : a), scale: sa }));
        const f2 = value(parseDecimal({ units: canon(c), scale: 0 }));
        const f3 = value(parseDecimal({ units: canon(nb ? -b : b), scale: sb }));
        for (const factors of [[f1, f3], [f1, f2, f3]]) {
          const got = moneyFromProduct(cur, factors, m);
          const n = factors.reduce((p, f) => p * big(f.units), 1n) * pow10(EXPONENTS[cur]!);
          const d = pow10(factors.reduce((s, f) => s + f.scale, 0));
          expect(big(got.minor)).toBe(refRound(n, d, m));
          expect(got.minor).toBe(canon(big(got.minor)));
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('the 2^53 switch gives the same answer as BigInt throughout', () => {
    fc.assert(
      fc.property(anyInt, fc.integer({ min: 0, max: 6 }), fc.array(decimalArb, { maxLength: 3 }), fc.integer({ min: 0, max: 4 }), fc.oneof(nonZeroInt, fc.constantFrom(1n, 2n, -2n, 4n, 8n)), fc.integer({ min: 0, max: 6 }), mode, increment, (n0, s0, factors, exp, du, ds, m, inc) => {
        const code = modeCode(m);
        const fast = scaledRound(canon(n0), s0, factors, exp, canon(du), ds, code, inc);
        const slow = scaledRoundBig(n0, s0, factors, exp, du, ds, code, BigInt(inc));
        expect(fast).toBe(slow);
      }),
      { numRuns: 5000 },
    );
  });

  it('multiplyMoney, divideMoney and prorateMoney match the reference', () => {
    fc.assert(
      fc.property(moneyAnyCurrency, decimalArb, decimalArb.filter((d) => d.units !== 0), mode, (amount, f, g, m) => {
        const e = EXPONENTS[amount.currency]!;
        const a = big(amount.minor);
        expect(big(multiplyMoney(amount, f, m).minor)).toBe(refRound(a * big(f.units), pow10(f.scale), m));
        expect(big(value(divideMoney(amount, g, m)).minor)).toBe(refRound(a * pow10(g.scale), big(g.units), m));
        // amount × f / g
        const pr = value(prorateMoney(amount, f, g, m));
        expect(big(pr.minor)).toBe(refRound(a * big(f.units) * pow10(g.scale), big(g.units) * pow10(f.scale), m));
        void e;
      }),
      { numRuns: 3000 },
    );
  });

  it('divideDecimals matches the reference', () => {
    fc.assert(
      fc.property(decimalArb, decimalArb.filter((d) => d.units !== 0), fc.integer({ min: 0, max: 12 }), mode, (a, b, places, m) => {
        const q = value(divideDecimals(a, b, places, m));
        const expected = refRound(big(a.units) * pow10(b.scale + places), big(b.units) * pow10(a.scale), m);
        expect(big(q.units) * pow10(places - q.scale)).toBe(expected);
      }),
    );
  });

  it('cash rounding lands on the increment, within one increment, and leaves amounts on it alone', () => {
    fc.assert(
      fc.property(moneyAnyCurrency, mode, fc.integer({ min: 1, max: 1000 }), (amount, m, inc) => {
        const r = roundMoney(amount, rounding(m, inc));
        const diff = big(r.minor) - big(amount.minor);
        expect(big(r.minor) % BigInt(inc)).toBe(0n);
        expect(diff < BigInt(inc) && diff > -BigInt(inc)).toBe(true);
        expect(roundMoney(r, rounding(m, inc))).toEqual(r);
      }),
    );
  });
});

// ───────────────────────────── exact sums, decimals, round trips ─────────────────────────────

describe('properties: sums, decimals and round trips', () => {
  it('sumMoney is the exact BigInt sum across the 2^53 boundary, and a negated list sums to the negation', () => {
    fc.assert(
      fc.property(currency.chain((c) => fc.array(moneyArb(c), { minLength: 1, maxLength: 20 })), (amounts) => {
        const s = value(sumMoney(amounts));
        expect(big(s.minor)).toBe(amounts.reduce((t, a) => t + big(a.minor), 0n));
        expect(value(sumMoney(amounts.map(negateMoney)))).toEqual(negateMoney(s));
      }),
    );
  });

  it('decimal arithmetic is exact and comparisons agree with the reference', () => {
    fc.assert(
      fc.property(decimalArb, decimalArb, (a, b) => {
        const s = Math.max(a.scale, b.scale);
        const x = big(a.units) * pow10(s - a.scale);
        const y = big(b.units) * pow10(s - b.scale);
        const sum = addDecimals(a, b);
        expect(big(sum.units) * pow10(s - sum.scale)).toBe(x + y);
        const diff = subtractDecimals(a, b);
        expect(big(diff.units) * pow10(s - diff.scale)).toBe(x - y);
        expect(compareDecimals(a, b)).toBe(x < y ? -1 : x > y ? 1 : 0);
      }),
    );
  });

  it('decimal strings and money JSON round-trip exactly', () => {
    fc.assert(
      fc.property(decimalArb, moneyAnyCurrency, (d, m) => {
        expect(value(parseDecimal(decimalToString(d)))).toEqual(d);
        const json = JSON.parse(JSON.stringify(toMoneyJson(m)));
        expect(value(parseMoney(json))).toEqual(m);
        expect(formatMoney(value(parseMoney({ currency: m.currency, amount: formatMoney(m) })))).toBe(formatMoney(m));
      }),
    );
  });

  it('any non-integer float is refused, never rounded', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: false }).filter((x) => !Number.isSafeInteger(x)), currency, (x, c) => {
        expect(parseDecimal(x).ok).toBe(false);
        expect(parseMoney({ currency: c, minor: x }).ok).toBe(false);
        expect(parseMoney({ currency: c, amount: x }).ok).toBe(false);
      }),
    );
  });
});

// ───────────────────────────── allocation ─────────────────────────────

const weightsArb = fc
  .oneof(
    // few small weights: remainder ties between different weights are common (2 over 1/3: both .5)
    fc.array(fc.bigInt({ min: 0n, max: 6n }), { minLength: 1, maxLength: 6 }),
    fc.array(
      fc.oneof(
        { weight: 1, arbitrary: fc.constant(0n) },
        { weight: 4, arbitrary: fc.bigInt({ min: 1n, max: 1000n }) },
        { weight: 2, arbitrary: fc.bigInt({ min: 1n, max: 2n ** 47n }) },
        { weight: 1, arbitrary: fc.bigInt({ min: 1n, max: 2n ** 70n }) },
      ),
      { minLength: 1, maxLength: 12 },
    ),
  )
  .filter((ws) => ws.some((w) => w > 0n));
const totalArb = fc.oneof(fc.integer({ min: -30, max: 30 }).map(BigInt), fc.integer({ min: -10_000, max: 10_000 }).map(BigInt), anyInt);
const cny = (minor: bigint): Money => value(parseMoney({ currency: 'CNY', minor: canon(minor) }));
const asWeights = (ws: bigint[]): AllocationWeight[] => ws.map((w) => (w <= SAFE ? Number(w) : w));
const minors = (xs: readonly Money[]) => xs.map((m) => big(m.minor));

describe('properties: largest-remainder allocation', () => {
  it('the exact double-double floor(a × b / d) behind large splits matches BigInt, edges included', () => {
    const MAXD = BigInt(MAX_MULDIV_DIVISOR);
    const a = fc.oneof(fc.bigInt({ min: 0n, max: SAFE }), fc.constantFrom(0n, 1n, SAFE, SAFE - 1n, 2n ** 52n, 2n ** 27n + 1n, 10n ** 15n));
    const d = fc.oneof(fc.bigInt({ min: 1n, max: MAXD }), fc.constantFrom(1n, 2n, 3n, MAXD, MAXD - 1n, 10n ** 15n, 2n ** 26n));
    fc.assert(
      fc.property(a, d, fc.double({ min: 0, max: 1, noNaN: true }), (x, dd, frac) => {
        const b = BigInt(Math.floor(Number(dd) * frac)); // 0 ≤ b ≤ d, as a weight within its sum
        const q = mulDivFloor(Number(x), Number(b), Number(dd));
        expect(BigInt(q)).toBe((x * b) / dd);
        expect(BigInt(mulDivRemainder)).toBe((x * b) % dd);
      }),
      { numRuns: 5000 },
    );
  });

  it('long lists with many tied remainders (an order discount over a thousand lines) match the reference, as amounts and in minor units', () => {
    const many = fc.array(fc.oneof(fc.constantFrom(0n, 1n, 3n, 7n, 100n), fc.bigInt({ min: 1n, max: 10_000n })), { minLength: 13, maxLength: 400 }).filter((ws) => ws.some((w) => w > 0n));
    fc.assert(
      fc.property(totalArb, many, (t, ws) => {
        const expected = refAllocate(t, ws);
        expect(minors(value(allocateMoney(cny(t), asWeights(ws))))).toEqual(expected);
        expect(allocateMinor(canon(t), asWeights(ws) as (number | bigint)[]).map((x) => BigInt(x))).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('matches the reference; shares sum exactly; each is the floor or ceiling of its exact share; zero weight gets zero', () => {
    fc.assert(
      fc.property(totalArb, weightsArb, (t, ws) => {
        const shares = minors(value(allocateMoney(cny(t), asWeights(ws))));
        expect(shares).toEqual(refAllocate(t, ws));
        expect(shares.reduce((a, b) => a + b, 0n)).toBe(t);
        const W = ws.reduce((a, b) => a + b, 0n);
        shares.forEach((s, i) => {
          const dev = s * W - t * ws[i]!; // (share − exact) × W
          expect(dev < W && dev > -W).toBe(true);
          if (ws[i] === 0n) expect(s).toBe(0n);
        });
      }),
      { numRuns: 3000 },
    );
  });

  it('scaling all weights, or writing them as decimals, changes nothing', () => {
    fc.assert(
      fc.property(totalArb, weightsArb, fc.bigInt({ min: 2n, max: 10n ** 6n }), fc.integer({ min: 1, max: 6 }), (t, ws, k, places) => {
        const base = minors(value(allocateMoney(cny(t), asWeights(ws))));
        expect(minors(value(allocateMoney(cny(t), asWeights(ws.map((w) => w * k)))))).toEqual(base);
        const asDecimals = ws.map((w) => decimalToString(value(parseDecimal({ units: canon(w), scale: places }))));
        expect(minors(value(allocateMoney(cny(t), asDecimals)))).toEqual(base);
      }),
    );
  });

  it('a negative total is the mirror image; appending zero weights changes no other share', () => {
    fc.assert(
      fc.property(totalArb, weightsArb, fc.integer({ min: 1, max: 3 }), (t, ws, zeros) => {
        const base = minors(value(allocateMoney(cny(t), asWeights(ws))));
        expect(minors(value(allocateMoney(cny(-t), asWeights(ws))))).toEqual(base.map((s) => -s));
        const padded = minors(value(allocateMoney(cny(t), [...asWeights(ws), ...Array<number>(zeros).fill(0)])));
        expect(padded).toEqual([...base, ...Array<bigint>(zeros).fill(0n)]);
      }),
    );
  });

  it('is fair to order: permuting the weights permutes the (weight, share) pairs; a larger weight never gets less', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }).map(BigInt), weightsArb, fc.func(fc.integer()), (t, ws, f) => {
        const shares = minors(value(allocateMoney(cny(t), asWeights(ws))));
        const perm = ws.map((_, i) => i).sort((a, b) => f(a) - f(b) || a - b);
        const permuted = minors(value(allocateMoney(cny(t), asWeights(perm.map((i) => ws[i]!)))));
        const pairs = (w: bigint[], s: bigint[]) => w.map((x, i) => `${x}:${s[i]}`).sort();
        expect(pairs(perm.map((i) => ws[i]!), permuted)).toEqual(pairs(ws, shares));
        for (let i = 0; i < ws.length; i++) for (let j = 0; j < ws.length; j++) if (ws[i]! > ws[j]!) expect(shares[i]! >= shares[j]!).toBe(true);
      }),
    );
  });

  it('does not depend on the currency: the same minor units split the same way in JPY, CNY and KWD', () => {
    fc.assert(
      fc.property(totalArb, weightsArb, (t, ws) => {
        const splits = (['JPY', 'CNY', 'KWD'] as const).map((c) =>
          minors(value(allocateMoney(value(parseMoney({ currency: c, minor: canon(t) })), asWeights(ws)))),
        );
        expect(splits[1]).toEqual(splits[0]);
        expect(splits[2]).toEqual(splits[0]);
      }),
      { numRuns: 300 },
    );
  });

  it('integer, string, Decimal and amount weights give the same split', () => {
    fc.assert(
      fc.property(totalArb, weightsArb, (t, ws) => {
        const base = minors(value(allocateMoney(cny(t), asWeights(ws))));
        expect(minors(value(allocateMoney(cny(t), ws.map(String))))).toEqual(base);
        expect(minors(value(allocateMoney(cny(t), ws.map((w): Decimal => value(parseDecimal(w))))))).toEqual(base);
        expect(minors(value(allocateMoney(cny(t), ws.map((w) => cny(w)))))).toEqual(base);
      }),
      { numRuns: 300 },
    );
  });
});
