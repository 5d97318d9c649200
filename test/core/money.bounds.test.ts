/**
 * The money kernel's limits, each on both sides (issue 20: the mutation run moved these bounds
 * by one, or dropped a normalization, and no test noticed).
 */
import { describe, expect, it } from 'vitest';
import {
  absMoney,
  addMoney,
  parseMoney,
  checkSameCurrency,
  compareDecimals,
  equalsMoney,
  formatMoney,
  isZeroMoney,
  parseAmount,
  sameCurrency,
  signOfMoney,
  sumMoney,
  decimalToString,
  divideDecimals,
  parseDecimal,
  roundDecimal,
  ROUNDING_MODES,
  type Decimal,
} from '../../src/core/money.js';
import { InvariantError } from '../../src/core/errors.js';
import { modeCode } from '../../src/core/money/rounding.js';
import { error, issuePaths, value } from '../support.js';

const dec = (s: string) => value(parseDecimal(s));
const refusal = (input: unknown) => (error(parseDecimal(input)).details.issues as { message: string }[])[0]?.message;

describe('parseDecimal at its limits', () => {
  it('18 decimals are taken, 19 are not; trailing zeros do not count', () => {
    expect(decimalToString(dec(`0.${'1'.repeat(18)}`))).toBe(`0.${'1'.repeat(18)}`);
    expect(refusal(`0.${'1'.repeat(19)}`)).toBe('at most 18 decimals, got 19');
    expect(value(parseDecimal(`1.${'0'.repeat(30)}`))).toEqual({ units: 1, scale: 0 });
    expect(value(parseDecimal('2.50'))).toEqual({ units: 25, scale: 1 });
    expect(value(parseDecimal('2.5000'))).toEqual({ units: 25, scale: 1 });
  });

  it('a string of 80 characters is read, 81 are refused before any parsing', () => {
    const eighty = `1.${'0'.repeat(78)}`;
    expect(value(parseDecimal(eighty))).toEqual({ units: 1, scale: 0 });
    expect(refusal(`${eighty}0`)).toBe('expected at most 80 characters');
  });

  it('15 digits are read as a number, 16 and more exactly too (past 2^53 as a bigint)', () => {
    expect(value(parseDecimal('999999999999999'))).toEqual({ units: 999999999999999, scale: 0 });
    expect(value(parseDecimal('9007199254740991'))).toEqual({ units: 9007199254740991, scale: 0 });
    expect(value(parseDecimal('9007199254740993'))).toEqual({ units: 9007199254740993n, scale: 0 });
    expect(value(parseDecimal('-90071992547409.93'))).toEqual({ units: -9007199254740993n, scale: 2 });
    expect(value(parseDecimal('+0.0'))).toEqual({ units: 0, scale: 0 });
    expect(Object.is(value(parseDecimal('-0.00')).units, -0)).toBe(false);
  });

  it('numbers: safe integers are taken; infinities, integers past 2^53 and fractions are refused, each with its reason', () => {
    expect(value(parseDecimal(-42))).toEqual({ units: -42, scale: 0 });
    expect(value(parseDecimal(10n ** 20n))).toEqual({ units: 10n ** 20n, scale: 0 });
    expect(refusal(Infinity)).toBe('expected a finite decimal, got Infinity');
    expect(refusal(NaN)).toBe('expected a finite decimal, got NaN');
    expect(refusal(2 ** 53)).toBe('9007199254740992 is beyond 2^53, where a number is no longer exact: pass a string or a bigint');
    expect(refusal(0.5)).toBe('0.5 is a binary float, not an exact decimal: pass it as a string such as "0.5"');
  });

  it('{ units, scale }: normalized, scale up to 1000 read but at most 18 decimals kept', () => {
    expect(value(parseDecimal({ units: 1500, scale: 3 }))).toEqual({ units: 15, scale: 1 });
    expect(value(parseDecimal({ units: 0, scale: 7 }))).toEqual({ units: 0, scale: 0 });
    expect(value(parseDecimal({ units: 0n, scale: 7 }))).toEqual({ units: 0, scale: 0 });
    expect(value(parseDecimal({ units: 10n ** 990n, scale: 1000 }))).toEqual({ units: 1, scale: 10 });
    expect(refusal({ units: 10n ** 990n, scale: 1001 })).toBe('at most 18 decimals, got 1001');
    expect(refusal({ units: 1, scale: 19 })).toBe('at most 18 decimals, got 19');
    expect(value(parseDecimal({ units: 1, scale: 18 }))).toEqual({ units: 1, scale: 18 });
    expect(refusal({ units: 1, scale: -1 })).toBe('scale must be a whole number ≥ 0');
    expect(refusal({ units: 1.5, scale: 0 })).toBe('units must be a safe integer or a bigint');
    const expected = 'expected a decimal: a string such as "0.125", an integer, a bigint or { units, scale }';
    expect(refusal({ units: 1 })).toBe(expected);
    expect(refusal({ scale: 1 })).toBe(expected);
    expect(refusal(null)).toBe(expected);
    expect(refusal(true)).toBe(expected);
    const hostile = {
      get units(): number {
        throw new Error('no');
      },
      scale: 0,
    };
    expect(refusal(hostile)).toBe('the decimal could not be read');
  });
});

describe('decimals written, rounded, divided and compared at their limits', () => {
  it('decimalToString pads to minScale (0 … 1000); outside that range is a caller bug', () => {
    expect(decimalToString(dec('1.5'), { minScale: 3 })).toBe('1.500');
    expect(decimalToString(dec('1.5'), { minScale: 0 })).toBe('1.5');
    expect(decimalToString(dec('-0.05'))).toBe('-0.05');
    expect(decimalToString(dec('0.005'), { minScale: 2 })).toBe('0.005');
    expect(decimalToString(dec('7'), null as never)).toBe('7');
    expect(decimalToString(dec('7'), { minScale: 1000 })).toBe(`7.${'0'.repeat(1000)}`);
    expect(() => decimalToString(dec('7'), { minScale: 1001 })).toThrow(InvariantError);
    expect(() => decimalToString(dec('7'), { minScale: -1 })).toThrow(InvariantError);
    expect(() => decimalToString(dec('7'), { minScale: 1.5 })).toThrow('minScale must be a whole number from 0 to 1000');
  });

  it('roundDecimal to as many places as it has, or more, gives the same value back (the same object when it is a kernel value)', () => {
    const d = dec('2.345');
    expect(value(roundDecimal(d, 3))).toBe(d);
    expect(value(roundDecimal(d, 7))).toBe(d);
    expect(value(roundDecimal(d, 1000))).toBe(d);
    expect(error(roundDecimal(d, 1001)).code).toBe('INVALID_INPUT');
    const copy = { units: 2345, scale: 3 } as unknown as Decimal;
    const fromCopy = value(roundDecimal(copy, 3));
    expect(fromCopy).not.toBe(copy);
    expect(fromCopy).toEqual({ units: 2345, scale: 3 });
    expect(Object.isFrozen(fromCopy)).toBe(true);
    expect(decimalToString(value(roundDecimal(d, 2)))).toBe('2.35');
    expect(decimalToString(value(roundDecimal(d, 2, 'halfEven')))).toBe('2.34');
    expect(decimalToString(value(roundDecimal(d, 0)))).toBe('2');
  });

  it('divideDecimals: the dividend with more decimals than divisor and places, fewer, and exactly as many', () => {
    expect(decimalToString(value(divideDecimals(dec('1.23456'), dec('2'), 2)))).toBe('0.62'); // k < 0
    expect(decimalToString(value(divideDecimals(dec('1.23'), dec('2'), 2)))).toBe('0.62'); // k = 0 (0.615 → 0.62)
    expect(decimalToString(value(divideDecimals(dec('1'), dec('3'), 4)))).toBe('0.3333'); // k > 0
    expect(decimalToString(value(divideDecimals(dec('1'), dec('0.03'), 1)))).toBe('33.3');
    const zero = error(divideDecimals(dec('1.5'), dec('0'), 2));
    expect(zero.code).toBe('MONEY_DIVISION_BY_ZERO');
    expect(zero.details.amount).toBe('1.5');
    expect((zero.details.issues as { path: unknown[] }[])[0]!.path).toEqual(['divisor']);
  });

  it('compareDecimals across scales, both ways, and at equal scales', () => {
    expect(compareDecimals(dec('1.5'), dec('1.50'))).toBe(0);
    expect(compareDecimals(dec('1.05'), dec('1.5'))).toBe(-1);
    expect(compareDecimals(dec('1.5'), dec('1.05'))).toBe(1);
    expect(compareDecimals(dec('2'), dec('1.999'))).toBe(1);
    expect(compareDecimals(dec('1.999'), dec('2'))).toBe(-1);
    expect(compareDecimals(dec('0.3'), dec('0.4'))).toBe(-1);
  });

  it('every rounding mode has its own number, in the order of ROUNDING_MODES; an unknown one is a caller bug', () => {
    ROUNDING_MODES.forEach((m, i) => expect(modeCode(m)).toBe(i));
    expect(() => modeCode('nearest' as never)).toThrow(InvariantError);
  });
});

describe('amounts: the predicates, and lists read once', () => {
  const amt = (s: string, c = 'CNY') => value(parseAmount(s, c));
  it('abs, sign, zero, same currency and equality, each both ways', () => {
    expect(formatMoney(absMoney(amt('-3.50')))).toBe('3.50');
    const positive = amt('3.50');
    expect(absMoney(positive)).toBe(positive);
    expect(formatMoney(absMoney(amt('0')))).toBe('0.00');
    expect([signOfMoney(amt('-0.01')), signOfMoney(amt('0')), signOfMoney(amt('0.01'))]).toEqual([-1, 0, 1]);
    expect([isZeroMoney(amt('0')), isZeroMoney(amt('0.01')), isZeroMoney(amt('-0.01'))]).toEqual([true, false, false]);
    expect([sameCurrency(amt('1'), amt('2')), sameCurrency(amt('1'), amt('1', 'USD'))]).toEqual([true, false]);
    expect(equalsMoney(amt('1.00'), amt('1'))).toBe(true);
    expect(equalsMoney(amt('1'), amt('1', 'USD'))).toBe(false);
    expect(equalsMoney(amt('1'), amt('1.01'))).toBe(false);
    expect(equalsMoney(amt('90071992547409.93'), amt('90071992547409.93'))).toBe(true);
    expect(() => isZeroMoney(0 as never)).toThrow(InvariantError);
  });

  it('sums cross 2^53 exactly both ways; an amount written by hand is read once, a getter that throws is not an amount', () => {
    const max = Number.MAX_SAFE_INTEGER;
    const minor = (m: number | bigint) => value(parseMoney({ currency: 'CNY', minor: m }));
    expect(value(sumMoney([minor(max - 1), minor(1)])).minor).toBe(max);
    expect(value(sumMoney([minor(max), minor(1)])).minor).toBe(2n ** 53n);
    expect(value(sumMoney([minor(-max), minor(-1)])).minor).toBe(-(2n ** 53n));
    expect(value(sumMoney([minor(max), minor(1), minor(-2)])).minor).toBe(max - 1);
    // a hand-written amount with a safe bigint is taken as its canonical number
    expect(formatMoney({ currency: 'CNY', minor: 5n } as never)).toBe('0.05');
    let reads = 0;
    const flaky = {
      currency: 'CNY',
      get minor(): number {
        reads++;
        if (reads > 1) throw new Error('read twice');
        return 250;
      },
    };
    expect(formatMoney(flaky as never)).toBe('2.50'); // what the first read gave
    const hostile = {
      currency: 'CNY',
      get minor(): number {
        throw new Error('no');
      },
    };
    expect(issuePaths(addMoney(hostile as never, amt('1')))).toEqual(['a']);
    expect(() => formatMoney(hostile as never)).toThrow(InvariantError);
  });

  it('checkSameCurrency and sumMoney read any iterable once; an empty list, a non-list and a list that throws are refused', () => {
    expect(value(checkSameCurrency([amt('1')]))).toBe('CNY');
    expect(value(checkSameCurrency(new Set([amt('1'), amt('2')]) as never))).toBe('CNY');
    expect(error(checkSameCurrency([])).details.issues).toEqual([{ path: [], message: 'expected at least one amount', code: 'too_small' }]);
    expect(error(checkSameCurrency('CNY' as never)).details.issues).toEqual([{ path: [], message: 'expected a list of amounts', code: 'invalid_type' }]);
    const failing = {
      *[Symbol.iterator]() {
        yield amt('1');
        throw new Error('no');
      },
    };
    expect(error(checkSameCurrency(failing as never)).details.issues).toEqual([{ path: [], message: 'the list of amounts could not be read', code: 'custom' }]);
    expect(error(sumMoney(failing as never)).details.issues).toEqual([{ path: [1], message: 'the list of amounts could not be read', code: 'custom' }]);
    const paths = (r: { ok: boolean }) => (error(r as never).details.issues as { path: unknown[] }[]).map((i) => i.path);
    const mixed = [amt('1'), 7 as never, amt('2'), null as never];
    expect(paths(checkSameCurrency(mixed))).toEqual([[1], [3]]); // every element that is not an amount
    expect(paths(sumMoney(mixed))).toEqual([[1]]); // the hot sum stops at the first
    expect(formatMoney(value(sumMoney([], 'USD')))).toBe('0.00');
  });
});
