import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMoney, currencyCodeSchema, CURRENCY_EXPONENTS, formatMoney, parseMoney, sumMoney } from '../../src/core/index.js';
import { currencyCodeArb, invalidCurrencyCodeArb, invalidMoneyArb, invalidMoneyJsonArb, moneyArb, moneyJsonArb } from '../../src/testing/index.js';

const runs = { numRuns: 200 };
const anything = fc.anything({ withBigInt: true, withNullPrototype: true, withDate: true, withMap: true, withSet: true, maxDepth: 2 });
/** An amount as typed ("+12.5", "12") written with all of its currency's decimals ("12.50"). */
function padded(amount: string, exponent: number): string {
  const [whole, fraction = ''] = amount.replace(/^\+/, '').split('.');
  return exponent === 0 ? whole! : `${whole}.${fraction.padEnd(exponent, '0')}`;
}
const codeOf = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code);

describe('currency codes', () => {
  it('valid codes are the table\'s; the twins are refused by the schema and by parseMoney', () => {
    fc.assert(fc.property(currencyCodeArb(), (c) => currencyCodeSchema.safeParse(c).success && c in CURRENCY_EXPONENTS), runs);
    fc.assert(
      fc.property(invalidCurrencyCodeArb(), (c) => {
        expect(currencyCodeSchema.safeParse(c).success).toBe(false);
        expect(codeOf(parseMoney({ currency: c, minor: 1 }))).toBe('INVALID_INPUT');
      }),
      runs,
    );
  });

  it('reaches currencies of every exponent (0, 2, 3, 4)', () => {
    const exponents = new Set(fc.sample(currencyCodeArb(), { numRuns: 400, seed: 1 }).map((c) => CURRENCY_EXPONENTS[c]));
    expect([...exponents].sort()).toEqual([0, 2, 3, 4]);
  });
});

describe('amounts', () => {
  it('every Money is what parseMoney makes of it, frozen, with an exact minor count', () => {
    fc.assert(
      fc.property(moneyArb(), (m) => {
        expect(Object.isFrozen(m)).toBe(true);
        expect(typeof m.minor === 'bigint' || Number.isSafeInteger(m.minor)).toBe(true);
        const again = parseMoney({ currency: m.currency, minor: m.minor });
        expect(again.ok && again.value.minor === m.minor && again.value.currency === m.currency).toBe(true);
      }),
      runs,
    );
  });

  it('feeds the kernel: two amounts of one currency add, and sum to the same', () => {
    fc.assert(
      fc.property(currencyCodeArb().chain((c) => fc.tuple(moneyArb({ currency: c }), moneyArb({ currency: c }))), ([a, b]) => {
        const added = addMoney(a, b);
        const summed = sumMoney([a, b]);
        expect(added.ok && summed.ok && added.value.minor === summed.value.minor).toBe(true);
      }),
      runs,
    );
  });

  it('options fix the currency and bound the minor units (bigints past 2^53 too); bounds in the wrong order are swapped', () => {
    fc.assert(fc.property(moneyArb({ currency: 'KWD', min: 5, max: 10 }), (m) => m.currency === 'KWD' && m.minor >= 5 && m.minor <= 10), runs);
    fc.assert(fc.property(moneyArb({ min: 10, max: -10 }), (m) => m.minor >= -10 && m.minor <= 10), runs);
    const big = fc.sample(moneyArb({ min: 2n ** 60n, max: 2n ** 61n }), { numRuns: 50, seed: 2 });
    expect(big.every((m) => typeof m.minor === 'bigint' && m.minor >= 2n ** 60n)).toBe(true);
  });

  it('every invalid twin is refused by parseMoney with INVALID_INPUT', () => {
    fc.assert(fc.property(invalidMoneyArb(), (m) => codeOf(parseMoney(m)) === 'INVALID_INPUT'), { numRuns: 400 });
  });
});

describe('amounts as JSON', () => {
  it('every one parses, and writes back as formatMoney writes it (the forms people type are the same amount)', () => {
    fc.assert(
      fc.property(moneyJsonArb(), (json) => {
        const m = parseMoney(json);
        expect(m.ok).toBe(true);
        if (!m.ok) return;
        expect(formatMoney(m.value)).toBe(padded(json.amount, CURRENCY_EXPONENTS[json.currency]));
      }),
      runs,
    );
    const forms = fc.sample(moneyJsonArb({ currency: 'CNY', min: 1 }), { numRuns: 300, seed: 3 }).map((j) => j.amount);
    expect(forms.some((a) => a.startsWith('+'))).toBe(true);
    expect(forms.some((a) => !a.includes('.'))).toBe(true);
  });

  it('every invalid twin is refused by parseMoney with INVALID_INPUT', () => {
    fc.assert(fc.property(invalidMoneyJsonArb(), (json) => codeOf(parseMoney(json)) === 'INVALID_INPUT'), { numRuns: 400 });
  });
});

describe('the money builders accept anything as options: an unusable option is ignored and the default applies', () => {
  it('property: no builder throws, and what it builds is valid', () => {
    fc.assert(
      fc.property(anything, (options) => {
        expect(fc.sample(moneyArb(options as never), 3).every((m) => parseMoney(m).ok)).toBe(true);
        expect(fc.sample(moneyJsonArb(options as never), 3).every((m) => parseMoney(m).ok)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
