/**
 * Every refusal of the money kernel explains itself (issue 20: the mutation run found that an
 * issue's message, code or path could be emptied without a test noticing). Each row is a
 * call that must be refused, with the refusal's code and every issue: the path naming the
 * argument at fault, zod's issue code, and the message a person reads.
 */
import { describe, expect, it } from 'vitest';
import {
  absMoney,
  addDecimals,
  equalsMoney,
  isZeroMoney,
  moneyToDecimal,
  negateMoney,
  sameCurrency,
  signOfMoney,
  toMoneyJson,
  addMoney,
  compareDecimals,
  currencyCodeSchema,
  currencyExponent,
  decimalToString,
  multiplyDecimals,
  negateDecimal,
  percentToRate,
  signOfDecimal,
  subtractDecimals,
  allocateMoney,
  checkSameCurrency,
  compareMoney,
  divideDecimals,
  divideMoney,
  formatMoney,
  moneyFromDecimal,
  moneyFromProduct,
  multiplyMoney,
  roundMoney,
  parseAmount,
  parseDecimal,
  parseMoney,
  parseRounding,
  prorateMoney,
  roundDecimal,
  roundRatio,
  splitMoney,
  subtractMoney,
  sumMoney,
  type Decimal,
} from '../../src/core/money.js';
import type { Result } from '../../src/core/result.js';
import { prorateMinor } from '../../src/core/money/multiply.js';
import { allocateMinor } from '../../src/core/money/allocate.js';
import { InvariantError } from '../../src/core/errors.js';
import { error, value } from '../support.js';

const cny = value(parseAmount('10', 'CNY'));
const usd = value(parseAmount('10', 'USD'));
const d = value(parseDecimal('2'));

type Row = readonly [name: string, call: () => Result<unknown>, code: string, issues: readonly (readonly [path: string, code: string, message: string])[]];

const rows: readonly Row[] = [
  ["parseMoney(null)", () => parseMoney(null), 'INVALID_INPUT', [["", "invalid_type", "expected { currency, amount } (a decimal string) or { currency, minor } (minor units)"]]],
  ["parseMoney({currency:\"CNY\"})", () => parseMoney({ currency: 'CNY' }), 'INVALID_INPUT', [["", "custom", "give exactly one of amount (a decimal string such as \"1234.56\") or minor (minor units)"]]],
  ["parseMoney({currency:\"CNY\",amount:\"1\",minor:1})", () => parseMoney({ currency: 'CNY', amount: '1', minor: 100 }), 'INVALID_INPUT', [["", "custom", "give exactly one of amount (a decimal string such as \"1234.56\") or minor (minor units)"]]],
  ["parseMoney({currency:\"XXQ\",minor:1})", () => parseMoney({ currency: 'XXQ', minor: 1 }), 'INVALID_INPUT', [["currency", "custom", "expected an ISO 4217 currency code such as \"CNY\", got \"XXQ\""]]],
  ["parseMoney({minor:1})", () => parseMoney({ minor: 1 }), 'INVALID_INPUT', [["currency", "custom", "expected an ISO 4217 currency code such as \"CNY\", got nothing"]]],
  ["parseMoney({currency:\"CNY\",minor:1.5})", () => parseMoney({ currency: 'CNY', minor: 1.5 }), 'INVALID_INPUT', [["minor", "custom", "a count of minor units must be a whole number, got 1.5: it is never rounded for you"]]],
  ["parseMoney({currency:\"CNY\",minor:2**53})", () => parseMoney({ currency: 'CNY', minor: 2 ** 53 }), 'INVALID_INPUT', [["minor", "custom", "9007199254740992 is beyond 2^53, where a number is no longer exact: pass a string or a bigint"]]],
  ["parseMoney({currency:\"CNY\",minor:\"x\"})", () => parseMoney({ currency: 'CNY', minor: 'x' }), 'INVALID_INPUT', [["minor", "custom", "expected a whole number of minor units: a safe integer, a bigint or an integer string"]]],
  ["parseMoney({currency:\"CNY\",minor:1,x:1})", () => parseMoney({ currency: 'CNY', minor: 1, x: 1 }), 'INVALID_INPUT', [["", "unrecognized_keys", "unrecognized keys: [\"x\"]"]]],
  ["parseMoney({currency:\"CNY\",amount:\"1.234\"})", () => parseMoney({ currency: 'CNY', amount: '1.234' }), 'INVALID_INPUT', [["amount", "custom", "CNY has 2 decimals, the amount has 3: round it with a named mode first, it is never rounded silently"]]],
  ["parseMoney({currency:\"CNY\",amount:\"abc\"})", () => parseMoney({ currency: 'CNY', amount: 'abc' }), 'INVALID_INPUT', [["amount", "custom", "expected a decimal string such as \"1234.56\" or \"-0.05\", got \"abc\""]]],
  ["parseAmount(\"1\",\"XXQ\")", () => parseAmount('1', 'XXQ'), 'INVALID_INPUT', [["currency", "custom", "expected an ISO 4217 currency code such as \"CNY\", got \"XXQ\""]]],
  ["parseAmount(1.5,\"CNY\")", () => parseAmount(1.5 as never, 'CNY'), 'INVALID_INPUT', [["amount", "custom", "1.5 is a binary float, not an exact decimal: pass it as a string such as \"1.5\""]]],
  ["addMoney(cny,usd)", () => addMoney(cny, usd), 'MONEY_CURRENCY_MISMATCH', [["b.currency", "custom", "amounts in CNY and USD cannot be combined (add); convert them to one currency first"]]],
  ["addMoney(1,cny)", () => addMoney(1 as never, cny), 'INVALID_INPUT', [["a", "invalid_type", "expected an amount (parse it with parseMoney)"]]],
  ["addMoney(cny,1)", () => addMoney(cny, 1 as never), 'INVALID_INPUT', [["b", "invalid_type", "expected an amount (parse it with parseMoney)"]]],
  ["subtractMoney(1,2)", () => subtractMoney(1 as never, 2 as never), 'INVALID_INPUT', [["a", "invalid_type", "expected an amount (parse it with parseMoney)"], ["b", "invalid_type", "expected an amount (parse it with parseMoney)"]]],
  ["subtractMoney(cny,usd)", () => subtractMoney(cny, usd), 'MONEY_CURRENCY_MISMATCH', [["b.currency", "custom", "amounts in CNY and USD cannot be combined (subtract); convert them to one currency first"]]],
  ["sumMoney([], XXQ)", () => sumMoney([], 'XXQ' as never), 'INVALID_INPUT', [["currency", "custom", "expected an ISO 4217 currency code, got \"XXQ\""]]],
  ["compareMoney(cny,usd)", () => compareMoney(cny, usd), 'MONEY_CURRENCY_MISMATCH', [["b.currency", "custom", "amounts in CNY and USD cannot be combined (compare); convert them to one currency first"]]],
  ["compareMoney(null,cny)", () => compareMoney(null as never, cny), 'INVALID_INPUT', [["a", "invalid_type", "expected an amount (parse it with parseMoney)"]]],
  ["sumMoney([])", () => sumMoney([]), 'INVALID_INPUT', [["currency", "custom", "an empty list of amounts needs the currency of its zero sum"]]],
  ["sumMoney([cny,usd])", () => sumMoney([cny, usd]), 'MONEY_CURRENCY_MISMATCH', [["1.currency", "custom", "amounts in CNY and USD cannot be combined (sum); convert them to one currency first"]]],
  ["sumMoney([cny,1])", () => sumMoney([cny, 1 as never]), 'INVALID_INPUT', [["1", "invalid_type", "expected an amount (parse it with parseMoney)"]]],
  ["sumMoney(5)", () => sumMoney(5 as never), 'INVALID_INPUT', [["", "invalid_type", "expected a list of amounts"]]],
  ["checkSameCurrency([cny,usd])", () => checkSameCurrency([cny, usd]), 'MONEY_CURRENCY_MISMATCH', [["1.currency", "custom", "amounts in CNY and USD cannot be combined (checkSameCurrency); convert them to one currency first"]]],
  ["divideMoney(cny, 0)", () => divideMoney(cny, value(parseDecimal('0'))), 'MONEY_DIVISION_BY_ZERO', [["divisor", "custom", "division by zero"]]],
  ["divideMoney(1, x, bad)", () => divideMoney(1 as never, 'x' as never, 'bad' as never), 'INVALID_INPUT', [["amount", "invalid_type", "expected an amount (parse it with parseMoney)"], ["divisor", "invalid_type", "expected a Decimal (parse it with parseDecimal)"], ["rounding", "invalid_type", "expected a rounding mode (halfAwayFromZero, halfEven, halfUp, halfDown, up, down, ceil, floor) or a policy from parseRounding, got \"bad\""]]],
  ["prorateMoney(1, x, null, bad)", () => prorateMoney(1 as never, 'x' as never, null as never, 'bad' as never), 'INVALID_INPUT', [["amount", "invalid_type", "expected an amount (parse it with parseMoney)"], ["part", "invalid_type", "expected a Decimal or an amount"], ["whole", "invalid_type", "expected a Decimal or an amount"], ["rounding", "invalid_type", "expected a rounding mode (halfAwayFromZero, halfEven, halfUp, halfDown, up, down, ceil, floor) or a policy from parseRounding, got \"bad\""]]],
  ["prorateMoney(cny, 2, 0)", () => prorateMoney(cny, d, value(parseDecimal('0'))), 'MONEY_DIVISION_BY_ZERO', [["whole", "custom", "division by zero"]]],
  ["prorateMoney(cny, 1 CNY, 0 CNY)", () => prorateMoney(cny, value(parseAmount('1', 'CNY')), value(parseAmount('0', 'CNY'))), 'MONEY_DIVISION_BY_ZERO', [["whole", "custom", "division by zero"]]],
  ["prorateMoney(cny, a broken amount, 2)", () => prorateMoney(cny, { currency: 'CNY', minor: 1.5 } as never, d), 'INVALID_INPUT', [["part", "invalid_type", "expected a Decimal or an amount"]]],
  ["prorateMoney(cny, 2, 1 CNY)", () => prorateMoney(cny, d, value(parseAmount('1', 'CNY'))), 'INVALID_INPUT', [["whole", "invalid_type", "a plain decimal over an amount is not a plain number: give part and whole both as decimals or both as amounts"]]],
  ["prorateMoney(cny, 1 CNY, 2)", () => prorateMoney(cny, value(parseAmount('1', 'CNY')), d), 'INVALID_INPUT', [["part", "invalid_type", "an amount over a plain decimal is not a plain number: give part and whole both as decimals or both as amounts"]]],
  ["prorateMoney(cny, 1 CNY, 1 USD)", () => prorateMoney(cny, value(parseAmount('1', 'CNY')), usd), 'MONEY_CURRENCY_MISMATCH', [["whole.currency", "custom", "a ratio of amounts in CNY and USD has no meaning; convert them to one currency first"]]],
  ["allocateMoney(cny,[])", () => allocateMoney(cny, []), 'INVALID_INPUT', [["weights", "too_small", "expected a non-empty list of weights"]]],
  ["allocateMoney(cny,[0,0])", () => allocateMoney(cny, [0, 0]), 'MONEY_ALLOCATION_WEIGHTS_ZERO', [["weights", "custom", "all 2 weights are zero: there is nothing to split 10.00 CNY by"]]],
  ["allocateMoney(cny,[1,-1])", () => allocateMoney(cny, [1, -1]), 'INVALID_INPUT', [["weights.1", "too_small", "a weight must not be negative"]]],
  ["allocateMoney(cny,[1.5])", () => allocateMoney(cny, [1.5]), 'INVALID_INPUT', [["weights.0", "custom", "1.5 is a binary float, not an exact weight: pass it as a string (\"1.5\") or a Decimal"]]],
  ["allocateMoney(cny,[usd])", () => allocateMoney(cny, [usd]), 'MONEY_CURRENCY_MISMATCH', [["weights.0.currency", "custom", "a weight in USD cannot split an amount in CNY"]]],
  ["allocateMoney(cny,[\"x\"])", () => allocateMoney(cny, ['x']), 'INVALID_INPUT', [["weights.0", "custom", "expected a decimal string such as \"1234.56\" or \"-0.05\", got \"x\""]]],
  ["allocateMoney(cny,[{currency:\"CNY\",minor:1.5}])", () => allocateMoney(cny, [{ currency: 'CNY', minor: 1.5 } as never]), 'INVALID_INPUT', [["weights.0", "custom", "an amount weight must be an amount (parse it with parseMoney)"]]],
  ["allocateMoney(1,5)", () => allocateMoney(1 as never, 5 as never), 'INVALID_INPUT', [["total", "invalid_type", "expected an amount (parse it with parseMoney)"]]],
  ["splitMoney(cny,0)", () => splitMoney(cny, 0), 'INVALID_INPUT', [["count", "invalid_type", "expected a whole number of parts from 1 to 100000"]]],
  ["splitMoney(cny,1.5)", () => splitMoney(cny, 1.5), 'INVALID_INPUT', [["count", "invalid_type", "expected a whole number of parts from 1 to 100000"]]],
  ["splitMoney(x,2)", () => splitMoney('x' as never, 2), 'INVALID_INPUT', [["total", "invalid_type", "expected an amount (parse it with parseMoney)"]]],
  ["roundRatio(1,0)", () => roundRatio(1, 0), 'INVALID_INPUT', [["denominator", "custom", "division by zero"]]],
  ["roundRatio(1.5,2)", () => roundRatio(1.5, 2), 'INVALID_INPUT', [["numerator", "invalid_type", "expected a safe integer or a bigint"]]],
  ["roundRatio(1,2,\"bad\")", () => roundRatio(1, 2, 'bad' as never), 'INVALID_INPUT', [["rounding", "invalid_type", "expected a rounding mode (halfAwayFromZero, halfEven, halfUp, halfDown, up, down, ceil, floor) or a policy from parseRounding, got \"bad\""]]],
  ["roundDecimal(x,2)", () => roundDecimal('x' as never, 2), 'INVALID_INPUT', [["d", "invalid_type", "expected a Decimal (parse it with parseDecimal)"]]],
  ["roundDecimal(d,-1)", () => roundDecimal(d, -1), 'INVALID_INPUT', [["places", "invalid_type", "expected a whole number of decimals from 0 to 1000"]]],
  ["divideDecimals(d, 0) with no places", () => (divideDecimals as (...a: unknown[]) => Result<unknown>)(d, value(parseDecimal('0'))), 'INVALID_INPUT', [["places", "invalid_type", "expected a whole number of decimals from 0 to 18"]]],
  ["divideDecimals(x, y) with no places", () => (divideDecimals as (...a: unknown[]) => Result<unknown>)('x' as never, 'y' as never), 'INVALID_INPUT', [["a", "invalid_type", "expected a Decimal (parse it with parseDecimal)"], ["b", "invalid_type", "expected a Decimal (parse it with parseDecimal)"], ["places", "invalid_type", "expected a whole number of decimals from 0 to 18"]]],
  ["parseDecimal(\"1.2.3\")", () => parseDecimal('1.2.3'), 'INVALID_INPUT', [["", "custom", "expected a decimal string such as \"1234.56\" or \"-0.05\", got \"1.2.3\""]]],
  ["parseDecimal(0.1)", () => parseDecimal(0.1), 'INVALID_INPUT', [["", "custom", "0.1 is a binary float, not an exact decimal: pass it as a string such as \"0.1\""]]],
  ["parseDecimal({units:1.5,scale:0})", () => parseDecimal({ units: 1.5, scale: 0 }), 'INVALID_INPUT', [["", "custom", "units must be a safe integer or a bigint"]]],
  ["parseRounding({mode:\"x\"})", () => parseRounding({ mode: 'x' }), 'INVALID_INPUT', [["mode", "invalid_value", "Invalid option: expected one of \"halfAwayFromZero\"|\"halfEven\"|\"halfUp\"|\"halfDown\"|\"up\"|\"down\"|\"ceil\"|\"floor\""]]],
  ["parseRounding({increment:0})", () => parseRounding({ increment: 0 }), 'INVALID_INPUT', [["increment", "custom", "expected a positive whole number of minor units (e.g. 5 for 0.05 CHF)"]]],
  ["parseRounding({increment:\"5x\"})", () => parseRounding({ increment: '5x' }), 'INVALID_INPUT', [["increment", "invalid_format", "expected an integer string such as \"5\" (at most 60 digits)"]]],
];

describe('every refusal of the money kernel says what is wrong, where', () => {
  it.each(rows)('%s', (_name, call, code, issues) => {
    const r = call();
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe(code);
    const got = (r.error.details.issues as { path: (string | number)[]; code: string; message: string }[]).map(
      (i) => [i.path.join('.'), i.code, i.message] as const,
    );
    expect(got).toEqual(issues);
    // an INVALID_INPUT's own message carries every issue's text (the other codes have a
    // message of their own, built from their details)
    if (code === 'INVALID_INPUT') for (const [, , message] of issues) expect(r.error.message).toContain(message);
    // the summary names each issue's place (the root as "(root)") and its text, in order
    expect(r.error.details.summary).toBe(issues.map(([path, , message]) => `${path === '' ? '(root)' : path}: ${message}`).join('; '));
  });

  it('the refusals that are not INVALID_INPUT carry their details', () => {
    const zero = value(parseDecimal('0'));
    for (const r of [divideMoney(cny, zero), prorateMoney(cny, d, zero)]) {
      expect(error(r).details).toMatchObject({ amount: '10.00 CNY', currency: 'CNY' });
      expect(error(r).message).toBe('Cannot divide 10.00 CNY by zero.');
    }
    expect(error(prorateMoney(cny, cny, usd)).details).toMatchObject({ operation: 'prorate', currencies: ['CNY', 'USD'] });
    expect(error(addMoney(cny, usd)).details).toMatchObject({ operation: 'add', currencies: ['CNY', 'USD'] });
    expect(error(sumMoney([cny, cny, usd])).details).toMatchObject({ operation: 'sum', currencies: ['CNY', 'USD'] });
    expect(error(allocateMoney(cny, [usd])).details).toMatchObject({ operation: 'allocate', currencies: ['CNY', 'USD'] });
    expect(error(allocateMoney(cny, [0, 0])).details).toMatchObject({ amount: '10.00 CNY', currency: 'CNY', count: 2 });
  });
});

describe('the plain-value money functions name the argument a caller got wrong (InvariantError)', () => {
  const thrown = (f: () => unknown): InvariantError => {
    try {
      f();
    } catch (e) {
      if (e instanceof InvariantError) return e;
      throw e;
    }
    throw new Error('did not throw');
  };
  it('an amount no parser made, factors that are not Decimals, an unknown currency', () => {
    expect(thrown(() => multiplyMoney(1 as never, d)).message).toBe('amount is not an amount (got 1); parse it with parseMoney');
    expect(thrown(() => multiplyMoney(cny, 'x' as never)).message).toBe('the factors are not Decimals (got "x"); parse them with parseDecimal');
    expect(thrown(() => moneyFromProduct('XXQ' as never, [d])).message).toBe('Unknown currency "XXQ"; parse it with currencyCodeSchema first');
  });

  it('factors that are not Decimals of the kernel, however they fail, whichever path reads them', () => {
    const bad: unknown[] = [
      { units: 1.5, scale: 0 },
      { units: 2 ** 53, scale: 0 },
      { units: '1', scale: 0 },
      { units: 1, scale: -1 },
      { units: 1, scale: 1001 },
      { units: 1, scale: 0.5 },
      { units: 1n, scale: 2 ** 53 },
      null,
      7,
    ];
    for (const f of bad) {
      for (const call of [() => multiplyMoney(cny, f as Decimal), () => multiplyMoney(cny, [d, f as Decimal]), () => moneyFromProduct('CNY' as never, [d, f as Decimal])]) {
        expect(thrown(call).message).toMatch(/^the factors (are not Decimals \(got .+\); parse them with parseDecimal|could not be read)$/);
      }
    }
    // the hot product reads a null factor's fields and fails there
    expect(thrown(() => moneyFromProduct('CNY' as never, [d, null as never])).message).toBe('the factors could not be read');
    // a negative scale was once read by the number path as a power of ten (2 × 10 = 20.00)
    expect(thrown(() => moneyFromProduct('CNY' as never, [d, { units: 1, scale: -1 } as never])).message).toContain('the factors are not Decimals');
    // a zero factor beside units past 2^53 once hid them (0 × 2^60 = 0 passed as a safe product)
    const zero = value(parseDecimal('0'));
    for (const units of [2 ** 60, 1e300]) {
      for (const list of [[zero, { units, scale: 0 }], [{ units, scale: 0 }, zero]]) {
        expect(thrown(() => moneyFromProduct('CNY' as never, list as never)).message).toContain('the factors are not Decimals');
        expect(thrown(() => multiplyMoney(cny, list as never)).message).toContain('the factors are not Decimals');
      }
    }
    // a scale up to the kernel's 1000 is a Decimal the paths take (a factor of 10^-1000 of an amount is 0)
    expect(multiplyMoney(cny, { units: 1, scale: 1000 } as unknown as Decimal).minor).toBe(0);
    expect(thrown(() => moneyFromProduct('CNY' as never, 'x' as never)).message).toBe('the factors are not Decimals (got "x"); parse them with parseDecimal');
    expect(thrown(() => moneyFromDecimal('CNY' as never, [d] as never)).message).toBe('amount must be one Decimal');
    expect(thrown(() => prorateMinor('CNY' as never, 100, d, value(parseDecimal('0')))).message).toBe('prorateMinor: a zero whole');
  });

  it('rounding to the minor unit leaves an amount as it is (the same value, not a copy)', () => {
    expect(roundMoney(cny, 'floor')).toBe(cny);
    expect(roundMoney(cny, value(parseRounding({ mode: 'ceil', increment: 1 })))).toBe(cny);
    expect(formatMoney(roundMoney(value(parseAmount('10.03', 'CHF')), value(parseRounding({ increment: 5 }))))).toBe('10.05');
  });

  it('the amount functions name the argument that is not an amount', () => {
    const x = 'x' as never;
    const calls: [() => unknown, string][] = [
      [() => formatMoney(x), 'amount'],
      [() => toMoneyJson(x), 'amount'],
      [() => moneyToDecimal(x), 'amount'],
      [() => negateMoney(x), 'amount'],
      [() => absMoney(x), 'amount'],
      [() => signOfMoney(x), 'amount'],
      [() => isZeroMoney(x), 'amount'],
      [() => sameCurrency(x, cny), 'a'],
      [() => sameCurrency(cny, x), 'b'],
      [() => equalsMoney(x, cny), 'a'],
      [() => equalsMoney(cny, x), 'b'],
      [() => multiplyMoney(x, d), 'amount'],
      [() => roundMoney(x, 'floor'), 'amount'],
    ];
    for (const [call, name] of calls) expect(thrown(call).message).toBe(`${name} is not an amount (got "x"); parse it with parseMoney`);
  });

  it('the decimal functions name the argument that is not a Decimal; a product past 1000 decimals is refused', () => {
    const x = 'x' as never;
    const calls: [() => unknown, string][] = [
      [() => compareDecimals(x, d), 'a'],
      [() => compareDecimals(d, x), 'b'],
      [() => addDecimals(x, d), 'a'],
      [() => addDecimals(d, x), 'b'],
      [() => subtractDecimals(x, d), 'a'],
      [() => subtractDecimals(d, x), 'b'],
      [() => multiplyDecimals(x, d), 'a'],
      [() => multiplyDecimals(d, x), 'b'],
      [() => negateDecimal(x), 'd'],
      [() => signOfDecimal(x), 'd'],
      [() => decimalToString(x), 'd'],
      [() => percentToRate(x), 'percent'],
    ];
    for (const [call, name] of calls) expect(thrown(call).message).toBe(`${name} is not a Decimal (got "x"); parse it with parseDecimal`);
    const fine = value(parseDecimal({ units: 1, scale: 18 }));
    const wide = { units: 3, scale: 990 } as unknown as Decimal;
    expect(thrown(() => multiplyDecimals(wide, fine)).message).toBe('a product with 1008 decimals: round it (roundDecimal) on the way, at most 1000 are kept');
    expect(multiplyDecimals({ units: 3, scale: 982 } as unknown as Decimal, fine)).toEqual({ units: 3, scale: 1000 });
  });

  it('the minor-unit split refuses a caller bug by name; a currency code is checked against ISO 4217', () => {
    expect(thrown(() => allocateMinor(10, [3, -1])).message).toBe('allocateMinor: a negative weight');
    expect(thrown(() => allocateMinor(10, [0, 0])).message).toBe('allocateMinor: a non-zero total over zero weights');
    expect(allocateMinor(0, [0, 0])).toEqual([0, 0]);
    expect(allocateMinor(-5, [1, 1])).toEqual([-3, -2]);
    const hostile = new Proxy([1, 2], {
      get(target, key) {
        if (key === 'length') throw new Error('no');
        return Reflect.get(target, key);
      },
    });
    expect(error(allocateMoney(cny, hostile)).details.issues).toEqual([{ path: ['weights'], message: 'the weights could not be read', code: 'custom' }]);
    expect(error(allocateMoney(cny, 'abc' as never)).details.issues).toEqual([{ path: ['weights'], message: 'expected a non-empty list of weights', code: 'too_small' }]);
    const code = currencyCodeSchema.safeParse('RMB');
    expect(code.success).toBe(false);
    expect(code.error?.issues[0]?.message).toBe('expected an ISO 4217 currency code such as "CNY", "USD" or "JPY"');
    // the one-entry cache of the last code's exponent: changing codes back and forth reads each right
    expect(['CNY', 'JPY', 'CNY', 'KWD', 'KWD', 'CNY', 'XXQ'].map((c) => currencyExponent(c as never))).toEqual([2, 0, 2, 3, 3, 2, undefined]);
  });
});
