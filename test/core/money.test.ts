import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import {
  CURRENCY_EXPONENTS,
  DECIMAL_ONE,
  MAX_DIVISION_PLACES,
  addDecimals,
  addMoney,
  allocateMoney,
  checkSameCurrency,
  compareDecimals,
  compareMoney,
  currencyExponent,
  decimalSchema,
  decimalToString,
  divideDecimals,
  divideMoney,
  equalsMoney,
  formatMoney,
  formatMinor,
  isCurrencyCode,
  moneyFromDecimal,
  moneyFromProduct,
  moneySchema,
  moneyToDecimal,
  multiplyDecimals,
  multiplyMoney,
  negateMoney,
  parseAmount,
  parseDecimal,
  parseMoney,
  parseRounding,
  percentToRate,
  prorateMoney,
  roundDecimal,
  roundMoney,
  splitMoney,
  subtractDecimals,
  subtractMoney,
  sumMoney,
  toMoneyJson,
  zeroMoney,
  roundRatio,
  type CurrencyCode,
  type Decimal,
  type Money,
  type RoundingMode,
} from '../../src/core/money.js';
import { InvariantError, localizeError, parseInput } from '../../src/core/index.js';
import { error, issuePaths, value } from '../support.js';

const dec = (s: string): Decimal => value(parseDecimal(s));
const amt = (s: string, currency: CurrencyCode = 'CNY'): Money => value(parseAmount(s, currency));
const fmt = (xs: readonly Money[]) => xs.map(formatMoney);
const keep = (discount: string) => subtractDecimals(DECIMAL_ONE, dec(discount));

describe('currencies (ISO 4217 exponents)', () => {
  it('knows the minor unit of the currencies our users quote in', () => {
    const expected: Record<string, number> = {
      JPY: 0, KRW: 0, CNY: 2, USD: 2, EUR: 2, GBP: 2, HKD: 2, TWD: 2,
      KWD: 3, BHD: 3, OMR: 3, JOD: 3, TND: 3, CLF: 4, UYW: 4, VND: 0, IDR: 2, CHF: 2,
    };
    for (const [code, e] of Object.entries(expected)) expect(currencyExponent(code), code).toBe(e);
    expect(Object.keys(CURRENCY_EXPONENTS).length).toBeGreaterThan(150);
    for (const [code, e] of Object.entries(CURRENCY_EXPONENTS)) {
      expect(code).toMatch(/^[A-Z]{3}$/);
      expect([0, 2, 3, 4]).toContain(e);
    }
  });

  it('refuses codes it does not know, in any other spelling', () => {
    for (const code of ['cny', 'RMB', 'XYZ', '', 'toString', '__proto__', 'CNYY']) expect(isCurrencyCode(code), code).toBe(false);
    expect(currencyExponent('constructor')).toBeUndefined();
  });
});

describe('amounts in and out', () => {
  it('reads decimal strings into minor units and writes them back exactly', () => {
    expect(amt('1234.56')).toEqual({ currency: 'CNY', minor: 123456 });
    expect(amt('-0.05')).toEqual({ currency: 'CNY', minor: -5 });
    expect(amt('1234', 'JPY')).toEqual({ currency: 'JPY', minor: 1234 });
    expect(amt('1.234', 'KWD')).toEqual({ currency: 'KWD', minor: 1234 });
    expect(amt('0.0001', 'CLF')).toEqual({ currency: 'CLF', minor: 1 });
    expect(formatMoney(amt('1234.5'))).toBe('1234.50');
    expect(formatMoney(amt('-0.05'))).toBe('-0.05');
    expect(formatMoney(amt('-0'))).toBe('0.00');
    expect(formatMoney(amt('7', 'KWD'))).toBe('7.000');
    expect(formatMoney(amt('-1980', 'JPY'))).toBe('-1980');
    expect(value(parseMoney({ currency: 'KWD', minor: 1234 }))).toEqual(amt('1.234', 'KWD'));
    expect(value(parseMoney({ currency: 'CNY', minor: 12n }))).toEqual({ currency: 'CNY', minor: 12 });
  });

  it('accepts trailing zeros beyond the currency (nothing is rounded), refuses real extra decimals', () => {
    expect(amt('100.0', 'JPY').minor).toBe(100);
    expect(amt('1.230').minor).toBe(123);
    const r = parseAmount('1234.567', 'CNY');
    expect(error(r).code).toBe('INVALID_INPUT');
    expect(issuePaths(r)).toEqual(['amount']);
    expect(error(r).message).toContain('CNY has 2 decimals');
    expect(error(parseAmount('12.5', 'JPY')).message).toContain('JPY has 0 decimals');
    expect(parseAmount('1.2345', 'KWD').ok).toBe(false);
    expect(parseAmount('1.2345', 'CLF').ok).toBe(true);
  });

  it('refuses floats, NaN, Infinity, fractional minor units and malformed strings — never rounds them', () => {
    const bad: unknown[] = [
      { currency: 'CNY', minor: 1.5 },
      { currency: 'CNY', minor: Number.NaN },
      { currency: 'CNY', minor: Number.POSITIVE_INFINITY },
      { currency: 'CNY', minor: 2 ** 60 },
      { currency: 'CNY', minor: '1.5' },
      { currency: 'CNY', amount: 12.34 },
      { currency: 'CNY', amount: Number.NaN },
      { currency: 'CNY', amount: '1e3' },
      { currency: 'CNY', amount: '.5' },
      { currency: 'CNY', amount: '5.' },
      { currency: 'CNY', amount: '1,234.56' },
      { currency: 'CNY', amount: ' 1' },
      { currency: 'CNY', amount: '' },
      { currency: 'CNY', amount: '0x10' },
      { currency: 'CNY', amount: '1', minor: 100 },
      { currency: 'CNY' },
      { currency: 'cny', amount: '1' },
      { currency: 'RMB', amount: '1' },
      { currency: 'CNY', amount: '1', extra: true },
      '12.34',
      12.34,
      null,
    ];
    for (const input of bad) {
      const r = parseMoney(input, ['price']);
      expect(r.ok, JSON.stringify(input)).toBe(false);
      expect(error(r).code).toBe('INVALID_INPUT');
      for (const p of issuePaths(r)) expect(p.startsWith('price')).toBe(true);
    }
    expect(error(parseMoney({ currency: 'CNY', amount: 12.34 })).message).toContain('pass it as a string such as "12.34"');
    expect(issuePaths(parseMoney({ currency: 'XYZ', amount: 'x' }))).toEqual(['currency']);
  });

  it('reads minor units beyond 2^53 as a bigint and writes them out exactly', () => {
    const m = value(parseMoney({ currency: 'CNY', minor: '123456789012345678901' }));
    expect(m.minor).toBe(123456789012345678901n);
    expect(formatMoney(m)).toBe('1234567890123456789.01');
    expect(amt('1234567890123456789.01')).toEqual(m);
    expect(value(parseMoney({ currency: 'CNY', minor: BigInt(2 ** 40) })).minor).toBe(2 ** 40); // canonical: number while safe
  });

  it('has a JSON form that survives JSON.stringify, bigints included, and reads back to the same amount', () => {
    const m = amt('100000049123456.35');
    expect(typeof m.minor).toBe('bigint');
    const json = JSON.parse(JSON.stringify(toMoneyJson(m)));
    expect(json).toEqual({ currency: 'CNY', amount: '100000049123456.35' });
    expect(value(parseMoney(json))).toEqual(m);
  });

  it('works inside a host schema with issue paths, as pricing will use it', () => {
    const line = z.object({ price: moneySchema, quantity: decimalSchema });
    const r = parseInput(line, { price: { currency: 'JPY', amount: '12.5' }, quantity: 0.1 }, ['lines', 0]);
    expect(issuePaths(r).sort()).toEqual(['lines.0.price.amount', 'lines.0.quantity']);
    expect(value(parseInput(line, { price: { currency: 'JPY', amount: '1980' }, quantity: '2.5' }))).toEqual({
      price: { currency: 'JPY', minor: 1980 },
      quantity: { units: 25, scale: 1 },
    });
  });

  it('returns frozen values', () => {
    expect(Object.isFrozen(amt('1'))).toBe(true);
    expect(Object.isFrozen(dec('1.5'))).toBe(true);
    expect(Object.isFrozen(toMoneyJson(amt('1')))).toBe(true);
    expect(Object.isFrozen(value(addMoney(amt('1'), amt('2'))))).toBe(true);
    const parts = value(allocateMoney(amt('1'), [1, 2]));
    expect(Object.isFrozen(parts) && parts.every(Object.isFrozen)).toBe(true);
  });

  it('is a type-level promise: only the parsers make a Money or a Decimal', () => {
    // @ts-expect-error a plain object is not a Money: it must go through parseMoney
    const m: Money = { currency: 'CNY', minor: 1.5 };
    // @ts-expect-error a plain object is not a Decimal: it must go through parseDecimal
    const d: Decimal = { units: 1, scale: 1 };
    // @ts-expect-error 'RMB' is not an ISO 4217 code
    const rmb = () => zeroMoney('RMB');
    expect([m, d, rmb]).toHaveLength(3);
  });
});

describe('decimals (quantities, rates, unit prices)', () => {
  it('parses exact decimals and writes them back', () => {
    expect(dec('0.125')).toEqual({ units: 125, scale: 3 });
    expect(dec('13')).toEqual({ units: 13, scale: 0 });
    expect(dec('1.000000001')).toEqual({ units: 1000000001, scale: 9 });
    expect(dec('0.50')).toEqual(dec('0.5'));
    expect(dec('-0.000')).toEqual({ units: 0, scale: 0 });
    expect(dec('+2.5')).toEqual(dec('2.5'));
    expect(value(parseDecimal(7))).toEqual(dec('7'));
    expect(value(parseDecimal(7n))).toEqual(dec('7'));
    expect(value(parseDecimal({ units: 1250, scale: 4 }))).toEqual(dec('0.125'));
    expect(dec('99999999.123456789').units).toBe(99999999123456789n);
    for (const s of ['0.125', '13', '-1.000000001', '99999999.123456789', '-0.05', '0']) expect(decimalToString(dec(s))).toBe(s);
    expect(decimalToString(dec('2.5'), { minScale: 2 })).toBe('2.50');
    expect(decimalToString(dec('-0.5'), { minScale: 3 })).toBe('-0.500');
  });

  it('refuses floats and anything inexact', () => {
    for (const bad of [0.1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60, '1e-3', 'abc', '', '1.', true, {}, { units: 1.5, scale: 0 }, { units: 1, scale: -1 }, '0.' + '1'.repeat(19)]) {
      expect(parseDecimal(bad).ok, String(bad)).toBe(false);
    }
    expect(error(parseDecimal(0.1)).message).toContain('"0.1"');
  });

  it('adds, subtracts, multiplies exactly; rounds and divides only when asked, once', () => {
    expect(decimalToString(addDecimals(dec('0.1'), dec('0.2')))).toBe('0.3');
    expect(decimalToString(subtractDecimals(DECIMAL_ONE, dec('0.15')))).toBe('0.85');
    expect(decimalToString(multiplyDecimals(dec('1.5'), dec('0.13')))).toBe('0.195');
    expect(decimalToString(percentToRate(dec('12.5')))).toBe('0.125');
    expect(compareDecimals(dec('0.3'), dec('0.25'))).toBe(1);
    expect(compareDecimals(dec('99999999.123456789'), dec('99999999.12345679'))).toBe(-1);
    expect(decimalToString(value(roundDecimal(dec('2.345'), 2)))).toBe('2.35');
    expect(decimalToString(value(roundDecimal(dec('2.345'), 2, 'halfEven')))).toBe('2.34');
    expect(decimalToString(value(roundDecimal(dec('-2.345'), 2, 'halfUp')))).toBe('-2.34');
    expect(decimalToString(value(divideDecimals(dec('1'), dec('3'), 4)))).toBe('0.3333');
    expect(decimalToString(value(divideDecimals(dec('2'), dec('3'), 4)))).toBe('0.6667');
    expect(decimalToString(value(divideDecimals(dec('10'), dec('0.04'), 0)))).toBe('250');
    expect(error(divideDecimals(dec('1'), dec('0'), 2)).code).toBe('MONEY_DIVISION_BY_ZERO');
    expect(roundDecimal(dec('1.5'), -1).ok).toBe(false);
    expect(roundDecimal(dec('1.5'), 0.5).ok).toBe(false);
  });
});

describe('quote lines: exact product, rounded once', () => {
  it('CNY: 3 × ¥19.99 with a 15% line discount, then 13% VAT', () => {
    const net = moneyFromProduct('CNY', [dec('3'), dec('19.99'), keep('0.15')]); // 50.9745
    expect(formatMoney(net)).toBe('50.97');
    expect(formatMoney(multiplyMoney(net, dec('0.13')))).toBe('6.63'); // 6.6261
    // rounding the unit price first (16.9915 → 16.99) and then multiplying would give 50.97 too, but
    // with 7 units: exact 118.9405 → 118.94; price rounded first: 7 × 16.99 = 118.93. One rounding only.
    expect(formatMoney(moneyFromProduct('CNY', [dec('7'), dec('19.99'), keep('0.15')]))).toBe('118.94');
  });

  it('JPY: no minor unit; 3 × ¥1,980 at 10% off, 10% consumption tax', () => {
    const net = moneyFromProduct('JPY', [dec('3'), dec('1980'), keep('0.1')]);
    expect(net).toEqual({ currency: 'JPY', minor: 5346 });
    expect(formatMoney(multiplyMoney(net, dec('0.1')))).toBe('535'); // 534.6
    expect(formatMoney(multiplyMoney(net, dec('0.1'), 'down'))).toBe('534'); // 切り捨て, as many Japanese invoices do
    expect(formatMoney(moneyFromDecimal('JPY', dec('1234.5')))).toBe('1235');
    expect(formatMoney(moneyFromDecimal('JPY', dec('1234.5'), 'halfEven'))).toBe('1234');
  });

  it('KWD: three decimals; 2.5 × 12.345 KWD', () => {
    expect(formatMoney(moneyFromProduct('KWD', [dec('2.5'), dec('12.345')]))).toBe('30.863'); // 30.8625
    expect(formatMoney(moneyFromProduct('KWD', [dec('2.5'), dec('12.345')], 'halfEven'))).toBe('30.862');
    expect(formatMoney(moneyFromProduct('BHD', [dec('1'), dec('0.0005')]))).toBe('0.001');
  });

  it('a 100% discount is exactly zero, on a line and spread over an order (erpnext#52001)', () => {
    expect(moneyFromProduct('CNY', [dec('3'), dec('33.33'), keep('1')])).toEqual({ currency: 'CNY', minor: 0 });
    const lines = [amt('33.33'), amt('33.33'), amt('33.34'), amt('0.01'), amt('0')];
    const total = value(sumMoney(lines));
    const discount = multiplyMoney(total, percentToRate(dec('100')));
    expect(equalsMoney(discount, total)).toBe(true);
    const shares = value(allocateMoney(discount, lines));
    const nets = lines.map((l, i) => value(subtractMoney(l, shares[i]!)));
    expect(nets.every((n) => n.minor === 0)).toBe(true);
    expect(value(sumMoney(nets))).toEqual(zeroMoney('CNY'));
  });

  it('a credit note is exactly the negative of its invoice with a symmetric mode (frappe#19570)', () => {
    const lines: [string, string][] = [['3', '0.125'], ['1', '10.005'], ['7', '3.335']];
    for (const mode of ['halfAwayFromZero', 'halfEven', 'up', 'down'] as const) {
      const invoice = value(sumMoney(lines.map(([q, p]) => moneyFromProduct('USD', [dec(q), dec(p)], mode))));
      const credit = value(sumMoney(lines.map(([q, p]) => moneyFromProduct('USD', [dec('-' + q), dec(p)], mode))));
      expect(credit, mode).toEqual(negateMoney(invoice));
    }
    // ties toward +∞ are not symmetric: 3 × 0.125 = 0.375 → 0.38, but −0.375 → −0.37
    expect(formatMoney(moneyFromProduct('USD', [dec('3'), dec('0.125')], 'halfUp'))).toBe('0.38');
    expect(formatMoney(moneyFromProduct('USD', [dec('-3'), dec('0.125')], 'halfUp'))).toBe('-0.37');
  });

  it('every mode on the textbook values ±2.5, 2.4, −2.6 (as a JPY product)', () => {
    const at = (x: string, mode: Parameters<typeof moneyFromDecimal>[2]) => moneyFromDecimal('JPY', dec(x), mode).minor;
    const table = {
      halfAwayFromZero: [3, -3, 2, -3],
      halfEven: [2, -2, 2, -3],
      halfUp: [3, -2, 2, -3],
      halfDown: [2, -3, 2, -3],
      up: [3, -3, 3, -3],
      down: [2, -2, 2, -2],
      ceil: [3, -2, 3, -2],
      floor: [2, -3, 2, -3],
    } as const;
    for (const [mode, expected] of Object.entries(table)) {
      expect(['2.5', '-2.5', '2.4', '-2.6'].map((x) => at(x, mode as keyof typeof table)), mode).toEqual(expected);
    }
    expect(at('3.5', 'halfEven')).toBe(4);
  });

  it('switches to BigInt past 2^53 by itself: 1,000,000.5 × 99,999,999.123456789', () => {
    // exact: 100,000,049,123,456.3507283945
    const line = moneyFromProduct('CNY', [dec('1000000.5'), dec('99999999.123456789')]);
    expect(line.minor).toBe(10000004912345635n);
    expect(formatMoney(line)).toBe('100000049123456.35');
    expect(formatMoney(moneyFromProduct('CNY', [dec('1000000.5'), dec('99999999.123456789')], 'up'))).toBe('100000049123456.36');
    expect(formatMoney(moneyFromProduct('JPY', [dec('1000000.5'), dec('99999999.123456789')]))).toBe('100000049123456');
    // the same quantity with a unit price whose units still fit a number: only the product passes 2^53
    const p = dec('9999999.12345678');
    expect(typeof p.units).toBe('number');
    expect(formatMoney(moneyFromProduct('CNY', [dec('1000000.5'), p, keep('0.125')]))).toBe('8750003608024.30'); // 8,750,003,608,024.2986…
    // a quote total of such lines, and a share of it, stay exact
    const total = value(sumMoney([line, line, amt('0.01')]));
    expect(formatMoney(total)).toBe('200000098246912.71');
    expect(fmt(value(allocateMoney(total, [1, 1])))).toEqual(['100000049123456.36', '100000049123456.35']);
    // and a result that fits again comes back as a number
    expect(typeof value(subtractMoney(line, line)).minor).toBe('number');
  });

  it('divides and prorates exactly, rounded once', () => {
    expect(formatMoney(value(divideMoney(amt('113'), dec('1.13'))))).toBe('100.00');
    expect(formatMoney(value(divideMoney(amt('100'), dec('1.13'))))).toBe('88.50'); // 88.4955…
    expect(formatMoney(value(divideMoney(amt('100'), dec('-3'))))).toBe('-33.33');
    expect(formatMoney(value(prorateMoney(amt('300'), dec('10'), dec('31'))))).toBe('96.77');
    expect(formatMoney(value(prorateMoney(amt('50'), amt('33.33'), amt('100'))))).toBe('16.67'); // 16.665
    expect(formatMoney(value(prorateMoney(amt('50'), amt('33.33'), amt('100'), 'halfEven')))).toBe('16.66');
    expect(error(divideMoney(amt('1'), dec('0'))).code).toBe('MONEY_DIVISION_BY_ZERO');
    expect(error(prorateMoney(amt('1'), amt('1'), amt('0'))).code).toBe('MONEY_DIVISION_BY_ZERO');
    expect(error(prorateMoney(amt('1'), amt('1'), amt('2', 'USD'))).code).toBe('MONEY_CURRENCY_MISMATCH');
  });
});

describe('cash rounding (increments in minor units)', () => {
  const chf = value(parseRounding({ increment: 5 }));
  it('rounds CHF to 0.05, JPY to 10, CNY to whole yuan (抹零)', () => {
    expect(fmt(['10.02', '10.03', '10.07', '-10.03', '10.05'].map((s) => roundMoney(amt(s, 'CHF'), chf)))).toEqual(['10.00', '10.05', '10.05', '-10.05', '10.05']);
    expect(formatMoney(roundMoney(amt('1234', 'JPY'), value(parseRounding({ increment: 10 }))))).toBe('1230');
    expect(formatMoney(roundMoney(amt('1235', 'JPY'), value(parseRounding({ increment: 10, mode: 'halfEven' }))))).toBe('1240');
    expect(formatMoney(roundMoney(amt('1234.56'), value(parseRounding({ increment: 100, mode: 'down' }))))).toBe('1234.00');
    expect(roundMoney(amt('1.23'), 'halfEven')).toEqual(amt('1.23'));
  });

  it('rounds a product once to the increment, not first to the minor unit and then again', () => {
    // exact 0.0496: rounded once to 0.10 → 0.00; rounding to 0.05 first would give 0.05 → tie → 0.10
    const tenths = value(parseRounding({ increment: 10 }));
    const p = moneyFromProduct('USD', [dec('0.0496')], tenths);
    expect(formatMoney(p)).toBe('0.00');
    expect(formatMoney(roundMoney(moneyFromProduct('USD', [dec('0.0496')]), tenths))).toBe('0.10');
    // 3 × 3.3425 CLF = 10.0275 → to 0.05: 200.55 steps → 201 → 10.05
    expect(formatMoney(multiplyMoney(amt('3.3425', 'CLF'), dec('3'), value(parseRounding({ increment: 500 }))))).toBe('10.0500');
  });

  it('refuses a bad policy', () => {
    for (const bad of [{ increment: 0 }, { increment: -5 }, { increment: 0.5 }, { mode: 'HALF_UP' }, { mode: 'halfEven', extra: 1 }, null]) {
      expect(parseRounding(bad).ok, JSON.stringify(bad)).toBe(false);
    }
    expect(value(parseRounding({}))).toEqual({ mode: 'halfAwayFromZero', increment: 1 });
    expect(value(parseRounding({ increment: '5' }))).toEqual({ mode: 'halfAwayFromZero', increment: 5 });
  });
});

describe('splitting by largest remainder', () => {
  it('2 fen split 30/50/20 is [0.01, 0.01, 0.00] — not dinero.js\'s [0.00, 0.02, 0.00]', () => {
    expect(fmt(value(allocateMoney(amt('0.02'), [30, 50, 20])))).toEqual(['0.01', '0.01', '0.00']);
  });

  it('1000.01 split 30/50/20 gives the leftover fen to the 50', () => {
    expect(fmt(value(allocateMoney(amt('1000.01'), [30, 50, 20])))).toEqual(['300.00', '500.01', '200.00']);
    expect(fmt(value(allocateMoney(amt('-1000.01'), [30, 50, 20])))).toEqual(['-300.00', '-500.01', '-200.00']);
  });

  it('breaks ties by remainder, then larger weight, then lower index', () => {
    expect(fmt(value(allocateMoney(amt('0.01'), [1, 1])))).toEqual(['0.01', '0.00']);
    expect(fmt(value(allocateMoney(amt('0.01'), [1, 3, 1, 3])))).toEqual(['0.00', '0.01', '0.00', '0.00']);
    // 0.05 over 1/1/1/2 (sum 5): exact 0.01,0.01,0.01,0.02, no leftover
    expect(fmt(value(allocateMoney(amt('0.05'), [1, 1, 1, 2])))).toEqual(['0.01', '0.01', '0.01', '0.02']);
    // 0.07 over 1/1/2: exact 1.75, 1.75, 3.5 fen → floors 1, 1, 3 and 2 left: the two .75 remainders win
    expect(fmt(value(allocateMoney(amt('0.07'), [1, 1, 2])))).toEqual(['0.02', '0.02', '0.03']);
    // installments: the first ones carry the extra fen
    expect(fmt(value(splitMoney(amt('100'), 3)))).toEqual(['33.34', '33.33', '33.33']);
    expect(fmt(value(splitMoney(amt('-100'), 3)))).toEqual(['-33.34', '-33.33', '-33.33']);
    expect(fmt(value(splitMoney(amt('1000', 'JPY'), 7)))).toEqual(['143', '143', '143', '143', '143', '143', '142']);
  });

  it('takes decimal, string and amount weights (an order discount spread by line net)', () => {
    expect(fmt(value(allocateMoney(amt('100'), ['0.5', '0.25', '0.25'])))).toEqual(['50.00', '25.00', '25.00']);
    expect(fmt(value(allocateMoney(amt('10'), [dec('0.3'), 7n, '0'])))).toEqual(['0.41', '9.59', '0.00']);
    expect(fmt(value(allocateMoney(amt('10'), [amt('19.99'), amt('0.01'), amt('80')])))).toEqual(['2.00', '0.00', '8.00']);
  });

  it('refuses what cannot be split, each with a clear reason', () => {
    const zero = allocateMoney(amt('10'), [0, 0, '0.00']);
    expect(error(zero).code).toBe('MONEY_ALLOCATION_WEIGHTS_ZERO');
    expect(error(zero).message).toContain('all 3 weights are zero');
    expect(fmt(value(allocateMoney(amt('0'), [0, 0])))).toEqual(['0.00', '0.00']);
    expect(issuePaths(allocateMoney(amt('10'), []))).toEqual(['weights']);
    expect(issuePaths(allocateMoney(amt('10'), [1, -1, 0.3, 'x']))).toEqual(['weights.1', 'weights.2', 'weights.3']);
    expect(error(allocateMoney(amt('10'), [amt('1', 'USD')])).code).toBe('MONEY_CURRENCY_MISMATCH');
    expect(splitMoney(amt('10'), 0).ok).toBe(false);
    expect(splitMoney(amt('10'), 1.5).ok).toBe(false);
    // the count's bounds, both included: 1 and 100,000 parts; 100,001 is refused
    expect(fmt(value(splitMoney(amt('10'), 1)))).toEqual(['10.00']);
    const many = value(splitMoney(amt('1000'), 100_000));
    expect([many.length, many.every((m) => m.minor === 1)]).toEqual([100_000, true]);
    expect(issuePaths(splitMoney(amt('10'), 100_001))).toEqual(['count']);
  });

  it('never puts a rounding loss with the wrong sign on a line (erpnext#58042)', () => {
    const lines = [amt('0.01'), amt('999.99'), amt('0.03'), amt('45.67')];
    for (const d of ['0.07', '-0.07', '100.00', '-100.00']) {
      const shares = value(allocateMoney(amt(d), lines));
      for (const s of shares) expect(Math.sign(Number(s.minor)) * Math.sign(Number(amt(d).minor))).not.toBe(-1);
    }
  });
});

describe('the one rounded division', () => {
  it('roundRatio rounds exact integer ratios and refuses what is not one', () => {
    expect(value(roundRatio(5, 2))).toBe(3);
    expect(value(roundRatio(5, 2, 'halfEven'))).toBe(2);
    expect(value(roundRatio(-5, 2, 'halfUp'))).toBe(-2);
    expect(value(roundRatio(2n ** 80n + 1n, 2n, 'down'))).toBe(2n ** 79n);
    expect(value(roundRatio(1003, 1, value(parseRounding({ increment: 5 }))))).toBe(1005);
    expect(issuePaths(roundRatio(1, 0))).toEqual(['denominator']);
    expect(issuePaths(roundRatio(1.5, 2))).toEqual(['numerator']);
    expect(issuePaths(roundRatio(1, 0.5))).toEqual(['denominator']);
  });

  it('a mode that bypassed the types is a bug, thrown as InvariantError, not a silent default', () => {
    expect(() => multiplyMoney(amt('1'), dec('0.5'), 'HALF_UP' as RoundingMode)).toThrow(InvariantError);
    expect(() => zeroMoney('RMB' as CurrencyCode)).toThrow(InvariantError);
  });
});

describe('same currency or a refusal', () => {
  const usd = amt('1', 'USD');
  it('refuses to add, subtract, sum or compare different currencies, and says which', () => {
    for (const r of [addMoney(amt('1'), usd), subtractMoney(amt('1'), usd), sumMoney([amt('1'), amt('2'), usd]), compareMoney(amt('1'), usd), checkSameCurrency([amt('1'), usd])]) {
      const e = error(r);
      expect(e.code).toBe('MONEY_CURRENCY_MISMATCH');
      expect(e.details.currencies).toEqual(['CNY', 'USD']);
      expect(e.message).toMatch(/CNY.*USD/);
      if (!r.ok) expect(localizeError(r.error, 'zh-CN').details).toEqual(e.details);
    }
    expect(issuePaths(sumMoney([amt('1'), amt('2'), usd]))).toEqual(['2.currency']);
    expect(equalsMoney(amt('1'), usd)).toBe(false);
  });

  it('sums, subtracts and compares in one currency', () => {
    expect(formatMoney(value(sumMoney([amt('0.1'), amt('0.2')])))).toBe('0.30');
    expect(value(sumMoney([], 'KWD'))).toEqual(zeroMoney('KWD'));
    expect(sumMoney([]).ok).toBe(false);
    expect(formatMoney(value(subtractMoney(amt('100'), amt('0.01'))))).toBe('99.99');
    expect(value(compareMoney(amt('9.99'), amt('10')))).toBe(-1);
    expect(value(checkSameCurrency([amt('1'), amt('2')]))).toBe('CNY');
    expect(decimalToString(moneyToDecimal(amt('1234.50')))).toBe('1234.5');
  });
});

describe('the money kernel at its boundary', () => {
  it('a currency that is not a string (a bigint, an object, a symbol) is INVALID_INPUT at currency, never a throw', () => {
    for (const currency of [10n, { code: 'CNY' }, Symbol('CNY'), ['CNY'], 'ABC', 'cny', undefined]) {
      const r = parseMoney({ currency, minor: 1 }, ['price']);
      expect(error(r).code).toBe('INVALID_INPUT');
      expect(issuePaths(r)).toContain('price.currency');
      expect(parseInput(z.object({ price: moneySchema }), { price: { currency, amount: '1' } }).ok).toBe(false);
    }
    expect(() => zeroMoney(10n as unknown as CurrencyCode)).toThrow(InvariantError);
    expect(error(sumMoney([], 10n as unknown as CurrencyCode)).code).toBe('INVALID_INPUT');
  });

  it('moneySchema refuses unknown currencies and normalizes −0 (the form opportunity amounts go through)', () => {
    expect(moneySchema.safeParse({ currency: 'ABC', minor: 100 }).success).toBe(false);
    for (const input of [{ currency: 'CNY', minor: -0 }, { currency: 'CNY', amount: '-0.00' }, { currency: 'CNY', minor: '-0' }, { currency: 'CNY', minor: -0n }]) {
      const r = moneySchema.safeParse(input);
      expect(r.success).toBe(true);
      if (r.success) expect(Object.is(r.data.minor, 0)).toBe(true);
    }
  });

  it('a hostile amount (getters, Proxies) is INVALID_INPUT; read once', () => {
    const boom = () => {
      throw new Error('boom');
    };
    expect(error(parseMoney({ get currency() { return boom(); }, minor: 1 })).code).toBe('INVALID_INPUT');
    expect(error(parseMoney(new Proxy({}, { ownKeys: boom }))).code).toBe('INVALID_INPUT');
    expect(error(parseDecimal(new Proxy({}, { has: boom }))).code).toBe('INVALID_INPUT');
    let reads = 0;
    const flipping = { currency: 'CNY', get minor() { return reads++ === 0 ? 1 : 'x'; } };
    expect(formatMoney(value(addMoney(flipping as unknown as Money, amt('1'))))).toBe('1.01');
    expect(reads).toBe(1);
  });

  it('divideDecimals caps places at MAX_DIVISION_PLACES (18): 1e6 and 1e12 are INVALID_INPUT at once', () => {
    expect(MAX_DIVISION_PLACES).toBe(18);
    expect(decimalToString(value(divideDecimals(dec('1'), dec('3'), 18)))).toBe('0.333333333333333333');
    for (const places of [19, 1e6, 1e12, -1, 1.5, Number.NaN]) expect(issuePaths(divideDecimals(dec('1'), dec('3'), places))).toEqual(['places']);
    expect(error(roundDecimal({ units: 1, scale: 1e9 } as unknown as Decimal, 2)).code).toBe('INVALID_INPUT');
    expect(() => compareDecimals({ units: 1, scale: 1e9 } as unknown as Decimal, dec('1'))).toThrow(InvariantError);
  });

  it('a rounding increment ≤ 0 (or fractional, or an unknown mode) is refused at the door, never "Division by zero"', () => {
    for (const rounding of [{ mode: 'ceil', increment: 0 }, { mode: 'ceil', increment: -5 }, { mode: 'ceil', increment: 0.5 }, { mode: 'HALF_UP', increment: 1 }, 7]) {
      const r = rounding as unknown as RoundingMode;
      expect(error(roundRatio(1, 3, r)).code).toBe('INVALID_INPUT');
      expect(error(divideMoney(amt('1'), dec('3'), r)).code).toBe('INVALID_INPUT');
      expect(error(prorateMoney(amt('1'), dec('1'), dec('3'), r)).code).toBe('INVALID_INPUT');
      expect(error(divideDecimals(dec('1'), dec('3'), 2, r)).code).toBe('INVALID_INPUT');
      expect(() => multiplyMoney(amt('1'), dec('0.5'), r)).toThrow(InvariantError);
      expect(() => roundMoney(amt('1'), r)).toThrow(InvariantError);
      expect(parseRounding(rounding).ok).toBe(false);
    }
    expect(issuePaths(roundRatio(1, 3, { mode: 'ceil', increment: 0 } as unknown as RoundingMode))).toEqual(['rounding.increment']);
  });

  it('allocateMoney refuses a negative weight whatever its form, and a total that is not an amount', () => {
    for (const weights of [[3, -1], [3n, -1n], ['3', '-1'], [amt('3'), amt('-1')], [dec('3'), dec('-1')]]) {
      expect(issuePaths(allocateMoney(amt('10'), weights as never))).toEqual(['weights.1']);
    }
    expect(issuePaths(allocateMoney(10 as unknown as Money, [3, 1]))).toEqual(['total']);
    expect(issuePaths(splitMoney({ currency: 'ABC', minor: 1 } as unknown as Money, 2))).toEqual(['total']);
    let reads = 0;
    const flipping = { currency: 'CNY', get minor() { return reads++ === 0 ? 3 : -1; } };
    const shares = value(allocateMoney(amt('10'), [flipping as unknown as Money, amt('1')]));
    expect(shares.every((s) => Number(s.minor) >= 0)).toBe(true);
  });

  it('roundRatio(1n, 0n) is refused; results past 2^53 are bigints, never inexact numbers', () => {
    expect(issuePaths(roundRatio(1n, 0n))).toEqual(['denominator']);
    expect(value(roundRatio(2 ** 53 - 1, 1, { mode: 'up', increment: 2 } as never))).toBe(2n ** 53n);
    const big = value(parseMoney({ currency: 'CNY', minor: Number.MAX_SAFE_INTEGER }));
    expect(value(addMoney(big, amt('0.01'))).minor).toBe(2n ** 53n);
    expect(multiplyMoney(big, dec('2')).minor).toBe(2n ** 54n - 2n);
    expect(value(divideMoney(big, dec('0.5'))).minor).toBe(2n ** 54n - 2n);
    expect(value(sumMoney([big, big])).minor).toBe(2n ** 54n - 2n);
  });

  it('prorateMoney: a ratio is decimals over decimals or amounts over amounts of one currency; mixing them is a malformed call', () => {
    // A decimal over an amount has no plain value (it is "per yuan"): INVALID_INPUT at the term
    // unlike the other, not a currency mismatch (there is one currency only).
    const overAmount = error(prorateMoney(amt('300'), dec('10'), amt('31')));
    expect(overAmount.code).toBe('INVALID_INPUT');
    expect(issuePaths(prorateMoney(amt('300'), dec('10'), amt('31')))).toEqual(['whole']);
    expect(overAmount.message).toContain('a plain decimal over an amount');
    const overDecimal = error(prorateMoney(amt('300'), amt('10'), dec('31')));
    expect(overDecimal.code).toBe('INVALID_INPUT');
    expect(issuePaths(prorateMoney(amt('300'), amt('10'), dec('31')))).toEqual(['part']);
    expect(overDecimal.message).toContain('an amount over a plain decimal');
    const twoCurrencies = error(prorateMoney(amt('300'), amt('10'), amt('31', 'USD')));
    expect(twoCurrencies.code).toBe('MONEY_CURRENCY_MISMATCH');
    expect(twoCurrencies.details.currencies).toEqual(['CNY', 'USD']);
    expect(formatMoney(value(prorateMoney(amt('300', 'USD'), amt('10'), amt('31'))))).toBe('96.77');
    expect(error(prorateMoney(amt('300'), 'x' as unknown as Decimal, dec('31'))).code).toBe('INVALID_INPUT');
  });

  it('functions returning a plain value throw only InvariantError on values the kernel did not make', () => {
    const garbage: unknown[] = [undefined, null, 10n, 'CNY', { currency: 'CNY', minor: 1.5 }, { currency: 'CNY', minor: 2 ** 53 }, { units: 'x', scale: 0 }];
    for (const g of garbage) {
      for (const f of [() => formatMoney(g as Money), () => negateMoney(g as Money), () => addDecimals(g as Decimal, DECIMAL_ONE), () => moneyFromDecimal('CNY', g as Decimal), () => decimalToString(dec('1'), g as { minScale: number })]) {
        try {
          f();
        } catch (e) {
          expect(e).toBeInstanceOf(InvariantError);
        }
      }
    }
  });

  describe('properties', () => {
    it('a Result-returning money function never throws, whatever its arguments', () => {
      const any = fc.oneof(
        fc.anything({ withBigInt: true, withDate: true, withNullPrototype: true }),
        fc.record({ currency: fc.oneof(fc.constantFrom('CNY', 'JPY', 'ABC'), fc.bigInt()), minor: fc.oneof(fc.bigInt(), fc.double(), fc.integer()) }),
        fc.record({ units: fc.oneof(fc.bigInt(), fc.double(), fc.integer()), scale: fc.oneof(fc.integer({ min: -5, max: 2000 }), fc.double()) }),
        fc.record({ mode: fc.constantFrom('ceil', 'halfEven', 'x'), increment: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.bigInt(), fc.double()) }),
      );
      const doors: ((...a: unknown[]) => unknown)[] = [parseMoney, addMoney, subtractMoney, compareMoney, sumMoney, checkSameCurrency, divideMoney, prorateMoney, allocateMoney, splitMoney, roundRatio, roundDecimal, divideDecimals, parseDecimal, parseRounding] as never;
      fc.assert(
        fc.property(fc.nat({ max: doors.length - 1 }), fc.array(any, { maxLength: 4 }), (i, args) => {
          const r = doors[i]!(...args) as { ok: boolean };
          expect(typeof r.ok).toBe('boolean');
        }),
        { numRuns: 3000 },
      );
    });
  });
});

describe('formatMinor: minor units written like formatMoney', () => {
  it('the minor units priceQuoteAmounts gives, per currency exponent, as strings, numbers or bigints', () => {
    expect(value(formatMinor(5097, 'CNY'))).toBe('50.97');
    expect(value(formatMinor(-5n, 'CNY'))).toBe('-0.05');
    expect(value(formatMinor('1234', 'JPY'))).toBe('1234');
    expect(value(formatMinor(1234, 'KWD'))).toBe('1.234');
    expect(error(formatMinor(1.5, 'CNY')).code).toBe('INVALID_INPUT');
    expect(error(formatMinor(100, 'XYZ')).code).toBe('INVALID_INPUT');
    expect(error(formatMinor(Number.MAX_SAFE_INTEGER + 1, 'CNY')).code).toBe('INVALID_INPUT');
  });

  it('property: formatMinor(m.minor, m.currency) is formatMoney(m) for any Money', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.constantFrom('CNY', 'JPY', 'KWD', 'USD', 'CLF'), (minor, currency) => {
        const m = value(parseMoney({ currency, minor }));
        expect(value(formatMinor(m.minor, m.currency))).toBe(formatMoney(m));
        expect(value(formatMinor(minor.toString(), currency))).toBe(formatMoney(m));
      }),
    );
  });
});
