/**
 * Amounts of money: an exact integer count of the currency's minor unit (fen, cents, fils) with
 * the ISO 4217 currency. In and out as decimal strings ("1234.56"), never through a float.
 */
import { z } from 'zod';
import { InvariantError, type CrmError } from '../errors.js';
import { describeValue } from '../foreign.js';
import { ok, type Result } from '../result.js';
import { pathOf, type InputIssue } from '../validation.js';
import { currencyExponent, isCurrencyCode, type CurrencyCode } from './currencies.js';
import { digitsToString, makeDecimal, readDecimal, type Decimal } from './decimal.js';
import {
  addIntegers,
  canonical,
  compareIntegers,
  MAX_SAFE,
  negateInteger,
  shiftInteger,
  signOf,
  toBig,
  type ExactInteger,
} from './integers.js';
import { moneyRefusal, invalidInput } from './refusals.js';

declare const moneyBrand: unique symbol;

/**
 * An amount of money: `minor` units of `currency` (CNY 1234.56 is `{ currency: 'CNY', minor:
 * 123456 }`; JPY 1234 is `minor: 1234`; KWD 1.234 is `minor: 1234`). `minor` is a number while it
 * is a safe integer and a bigint beyond ±(2^53 − 1) — store and send amounts with
 * `toMoneyJson`, since `JSON.stringify` cannot write a bigint. Frozen, and only made by
 * `parseMoney`, `moneySchema` or the kernel's operations, so a `Money` is always valid.
 *
 * @example
 * const price: Money = unwrap(parseAmount('1234.56', 'CNY')); // { currency: 'CNY', minor: 123456 }
 */
export interface Money {
  readonly currency: CurrencyCode;
  readonly minor: ExactInteger;
  readonly [moneyBrand]: true;
}

/**
 * The JSON form of an amount: the currency and the exact decimal string in major units.
 *
 * @example
 * const stored: MoneyJson = { currency: 'CNY', amount: '1234.56' };
 */
export interface MoneyJson {
  readonly currency: CurrencyCode;
  readonly amount: string;
}

/**
 * Builds a frozen amount (internal: currency known, minor canonical — the kernel's only maker).
 *
 * @example
 * makeMoney('CNY', 123456) // CNY 1234.56
 */
export function makeMoney(currency: CurrencyCode, minor: ExactInteger): Money {
  return Object.freeze({ currency, minor }) as Money;
}

/**
 * The exponent of a currency the types promise is known (internal); a currency that bypassed
 * the types is a bug and throws `InvariantError`.
 *
 * @example
 * exponentOf('KWD') // 3
 */
export function exponentOf(currency: CurrencyCode): number {
  const e = currencyExponent(currency);
  if (e === undefined) throw new InvariantError(`Unknown currency ${describeValue(currency)}; parse it with currencyCodeSchema first`);
  return e;
}

function readMinor(input: unknown): ExactInteger | string {
  if (typeof input === 'number') {
    if (Number.isSafeInteger(input)) return input + 0;
    if (Number.isInteger(input)) return `${input} is beyond 2^53, where a number is no longer exact: pass a string or a bigint`;
    return `a count of minor units must be a whole number, got ${String(input)}: it is never rounded for you`;
  }
  if (typeof input === 'bigint') return canonical(input);
  if (typeof input === 'string' && /^-?\d{1,60}$/.test(input)) return canonical(BigInt(input));
  return 'expected a whole number of minor units: a safe integer, a bigint or an integer string';
}

function readMoney(input: unknown): Money | InputIssue[] {
  if (typeof input !== 'object' || input === null) {
    return [{ path: [], message: 'expected { currency, amount } (a decimal string) or { currency, minor } (minor units)', code: 'invalid_type' }];
  }
  // every field read once; a getter or a Proxy that throws makes the amount unreadable, not a crash
  let keys: string[];
  let currency: unknown;
  let amountField: unknown;
  let minorField: unknown;
  try {
    keys = Object.keys(input);
    currency = (input as Record<string, unknown>).currency;
    amountField = (input as Record<string, unknown>).amount;
    minorField = (input as Record<string, unknown>).minor;
  } catch {
    return [{ path: [], message: 'the amount could not be read', code: 'custom' }];
  }
  const issues: InputIssue[] = [];
  const extra = keys.filter((k) => k !== 'currency' && k !== 'amount' && k !== 'minor');
  if (extra.length > 0) issues.push({ path: [], message: `unrecognized keys: ${describeValue(extra)}`, code: 'unrecognized_keys' });
  if (!isCurrencyCode(currency)) {
    issues.push({ path: ['currency'], message: `expected an ISO 4217 currency code such as "CNY", got ${currency === undefined ? 'nothing' : describeValue(currency)}`, code: 'custom' });
  }
  const hasAmount = amountField !== undefined;
  const hasMinor = minorField !== undefined;
  if (hasAmount === hasMinor) {
    issues.push({ path: [], message: 'give exactly one of amount (a decimal string such as "1234.56") or minor (minor units)', code: 'custom' });
  }
  if (issues.length > 0 || !isCurrencyCode(currency)) return issues;
  const exponent = currencyExponent(currency)!;
  if (hasMinor) {
    const minor = readMinor(minorField);
    if (typeof minor === 'string') return [{ path: ['minor'], message: minor, code: 'custom' }];
    return makeMoney(currency, minor);
  }
  const amount = readDecimal(amountField);
  if (typeof amount === 'string') return [{ path: ['amount'], message: amount, code: 'custom' }];
  if (amount.scale > exponent) {
    return [
      {
        path: ['amount'],
        message: `${currency} has ${exponent} decimal${exponent === 1 ? '' : 's'}, the amount has ${amount.scale}: round it with a named mode first, it is never rounded silently`,
        code: 'custom',
      },
    ];
  }
  return makeMoney(currency, shiftInteger(amount.units, exponent - amount.scale));
}

/**
 * An amount argument read once (currency and minor units), as a plain `{ currency, minor }`
 * with canonical minor units holding what was read — or `undefined` when it is not an amount
 * the kernel could have made (an unknown currency, minor units that are not an exact integer, a
 * getter or Proxy that throws). Not frozen: internal, never handed out (wrap it in `makeMoney`
 * first). Never throws.
 *
 * @example
 * moneyArg({ currency: 'CNY', minor: -0 }) // { currency: 'CNY', minor: 0 }
 */
export function moneyArg(value: unknown): Money | undefined {
  return readMoneyFields(value) ? ({ currency: fieldCurrency, minor: fieldMinor } as Money) : undefined;
}

let fieldCurrency: CurrencyCode = 'CNY';
let fieldMinor: ExactInteger = 0;

/** Reads an amount's fields once into `fieldCurrency` / `fieldMinor` (no allocation); false if it is not one. */
function readMoneyFields(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  let currency: unknown;
  let minor: unknown;
  try {
    currency = (value as Money).currency;
    minor = (value as Money).minor;
  } catch {
    return false;
  }
  if (!isCurrencyCode(currency)) return false;
  if (typeof minor === 'number') {
    if (!Number.isSafeInteger(minor)) return false;
    fieldMinor = minor + 0;
  } else if (typeof minor === 'bigint') fieldMinor = canonical(minor);
  else return false;
  fieldCurrency = currency;
  return true;
}

/**
 * An amount argument of a function that returns a plain value: one the kernel did not make is a
 * caller's bug (`InvariantError`). Internal.
 *
 * @example
 * moneyOrThrow(price, 'amount')
 */
export function moneyOrThrow(value: unknown, name: string): Money {
  // checked in place, no copy, when its minor units are canonical (the kernel's own amounts)
  if (readMoneyFields(value)) {
    const currency = fieldCurrency;
    const minor = fieldMinor;
    try {
      if ((value as Money).minor === minor && (value as Money).currency === currency) return value as Money;
    } catch {
      // a getter that throws on the second read: use what the first read gave
    }
    return makeMoney(currency, minor);
  }
  throw new InvariantError(`${name} is not an amount (got ${describeValue(value)}); parse it with parseMoney`);
}

/** The issue of an argument that is not an amount (internal). @example notAnAmount('b') */
export function notAnAmount(path: string | number): InputIssue {
  return { path: [path], message: 'expected an amount (parse it with parseMoney)', code: 'invalid_type' };
}

/**
 * An amount at the door: `{ currency, amount }` with the amount a decimal string in major units
 * ("1234.56", "-0.05"; an integer or a bigint too), or `{ currency, minor }` in minor units (a
 * safe integer, a bigint, or an integer string for values beyond 2^53). More decimals than the
 * currency has, a float, NaN or a fractional minor count are issues, never rounded.
 *
 * @example
 * z.object({ price: moneySchema }).parse({ price: { currency: 'JPY', amount: '1500' } })
 */
export const moneySchema = z.unknown().transform((input, ctx): Money => {
  const m = readMoney(input);
  if (Array.isArray(m)) {
    for (const issue of m) ctx.addIssue({ code: 'custom', message: issue.message, path: [...issue.path] });
    return z.NEVER;
  }
  return m as Money;
});

/**
 * Parses an amount (see `moneySchema`); a bad one is `INVALID_INPUT` with its issues.
 *
 * @example
 * parseMoney({ currency: 'CNY', amount: '1234.56' }) // ok({ currency: 'CNY', minor: 123456 })
 * parseMoney({ currency: 'KWD', minor: 1234 }) // ok: KWD 1.234
 * parseMoney({ currency: 'JPY', amount: '12.5' }) // INVALID_INPUT: JPY has 0 decimals
 */
export function parseMoney(input: unknown, at: readonly (string | number)[] = []): Result<Money, CrmError> {
  const m = readMoney(input);
  if (!Array.isArray(m)) return ok(m as Money);
  const path = pathOf(at);
  return invalidInput(m.map((i) => ({ ...i, path: [...path, ...i.path] })));
}

/**
 * Parses a decimal string in a currency: `parseAmount('1234.56', 'CNY')`.
 *
 * @example
 * parseAmount('-0.05', 'USD') // ok({ currency: 'USD', minor: -5 })
 * parseAmount('1.2345', 'KWD') // INVALID_INPUT: KWD has 3 decimals
 */
export function parseAmount(amount: string, currency: string): Result<Money, CrmError> {
  return parseMoney({ currency, amount });
}

/**
 * Zero in a currency.
 *
 * @throws {InvariantError} when an argument is not a `Money` from `parseMoney` (or a `CurrencyCode` from `currencyCodeSchema`):
 *   a bug in the caller, never a verdict on data (parse at the door: the parsers return a Result).
 *
 * @example
 * zeroMoney('JPY') // { currency: 'JPY', minor: 0 }
 */
export function zeroMoney(currency: CurrencyCode): Money {
  exponentOf(currency as unknown as CurrencyCode);
  return makeMoney(currency, 0);
}

/**
 * The amount as an exact decimal string in major units, with exactly the currency's decimals
 * (no symbol, no grouping: locale display is the host's).
 *
 * @throws {InvariantError} when an argument is not a `Money` from `parseMoney` (or a `CurrencyCode` from `currencyCodeSchema`):
 *   a bug in the caller, never a verdict on data (parse at the door: the parsers return a Result).
 *
 * @example
 * formatMoney(unwrap(parseMoney({ currency: 'CNY', minor: -5 }))) // '-0.05'
 * formatMoney(unwrap(parseMoney({ currency: 'JPY', minor: 1234 }))) // '1234'
 * formatMoney(unwrap(parseMoney({ currency: 'KWD', minor: 1234 }))) // '1.234'
 */
export function formatMoney(amount: Money): string {
  amount = moneyOrThrow(amount, 'amount');
  const e = exponentOf(amount.currency);
  return digitsToString(amount.minor, e, e);
}

/**
 * A count of minor units of a currency as `formatMoney` writes it: for the minor units
 * `priceQuoteAmounts` returns per line (`lines.total[i]`) and other exact integers that are not
 * a `Money`. A Result: what `parseMoney({ currency, minor })` refuses is `INVALID_INPUT`.
 *
 * @example
 * formatMinor(5097, 'CNY') // ok('50.97')
 * formatMinor(-5n, 'CNY')  // ok('-0.05')
 * formatMinor(1234, 'JPY') // ok('1234')
 */
export function formatMinor(minor: ExactInteger | string, currency: CurrencyCode | string): Result<string, CrmError> {
  const money = parseMoney({ currency, minor });
  return money.ok ? ok(formatMoney(money.value)) : money;
}

/**
 * The JSON form `{ currency, amount: '1234.56' }`, which `parseMoney` reads back to the same
 * amount (and which survives `JSON.stringify`, unlike a bigint).
 *
 * @throws {InvariantError} when an argument is not a `Money` from `parseMoney` (or a `CurrencyCode` from `currencyCodeSchema`):
 *   a bug in the caller, never a verdict on data (parse at the door: the parsers return a Result).
 *
 * @example
 * toMoneyJson(price) // { currency: 'CNY', amount: '1234.56' }
 */
export function toMoneyJson(amount: Money): MoneyJson {
  amount = moneyOrThrow(amount, 'amount');
  return Object.freeze({ currency: amount.currency, amount: formatMoney(amount) });
}

/**
 * The amount in major units as an exact decimal (CNY 1234.56 → 1234.56).
 *
 * @throws {InvariantError} when an argument is not a `Money` from `parseMoney` (or a `CurrencyCode` from `currencyCodeSchema`):
 *   a bug in the caller, never a verdict on data (parse at the door: the parsers return a Result).
 *
 * @example
 * decimalToString(moneyToDecimal(price)) // '1234.56'
 */
export function moneyToDecimal(amount: Money): Decimal {
  amount = moneyOrThrow(amount, 'amount');
  return makeDecimal(amount.minor, exponentOf(amount.currency));
}

/**
 * −amount (a credit note line from an invoice line).
 *
 * @throws {InvariantError} when an argument is not a `Money` from `parseMoney` (or a `CurrencyCode` from `currencyCodeSchema`):
 *   a bug in the caller, never a verdict on data (parse at the door: the parsers return a Result).
 *
 * @example
 * formatMoney(negateMoney(price)) // '-1234.56'
 */
export function negateMoney(amount: Money): Money {
  amount = moneyOrThrow(amount, 'amount');
  return makeMoney(amount.currency, negateInteger(amount.minor));
}

/**
 * |amount|.
 *
 * @throws {InvariantError} when an argument is not a `Money` from `parseMoney` (or a `CurrencyCode` from `currencyCodeSchema`):
 *   a bug in the caller, never a verdict on data (parse at the door: the parsers return a Result).
 *
 * @example
 * formatMoney(absMoney(unwrap(parseAmount('-3.10', 'CNY')))) // '3.10'
 */
export function absMoney(amount: Money): Money {
  amount = moneyOrThrow(amount, 'amount');
  return amount.minor < 0 ? negateMoney(amount) : amount;
}

/**
 * −1, 0 or 1 by the amount's sign.
 *
 * @throws {InvariantError} when an argument is not a `Money` from `parseMoney` (or a `CurrencyCode` from `currencyCodeSchema`):
 *   a bug in the caller, never a verdict on data (parse at the door: the parsers return a Result).
 *
 * @example
 * signOfMoney(unwrap(parseAmount('-0.01', 'CNY'))) // -1
 */
export function signOfMoney(amount: Money): -1 | 0 | 1 {
  return signOf(moneyOrThrow(amount, 'amount').minor);
}

/**
 * Whether the amount is exactly zero.
 *
 * @throws {InvariantError} when an argument is not a `Money` from `parseMoney` (or a `CurrencyCode` from `currencyCodeSchema`):
 *   a bug in the caller, never a verdict on data (parse at the door: the parsers return a Result).
 *
 * @example
 * isZeroMoney(zeroMoney('CNY')) // true
 */
export function isZeroMoney(amount: Money): boolean {
  return moneyOrThrow(amount, 'amount').minor === 0;
}

/**
 * Whether two amounts are in the same currency.
 *
 * @throws {InvariantError} when an argument is not a `Money` from `parseMoney` (or a `CurrencyCode` from `currencyCodeSchema`):
 *   a bug in the caller, never a verdict on data (parse at the door: the parsers return a Result).
 *
 * @example
 * sameCurrency(cny, usd) // false
 */
export function sameCurrency(a: Money, b: Money): boolean {
  return moneyOrThrow(a, 'a').currency === moneyOrThrow(b, 'b').currency;
}

/**
 * Whether two amounts are equal: same currency and same minor units (different currencies are
 * simply not equal).
 *
 * @throws {InvariantError} when an argument is not a `Money` from `parseMoney` (or a `CurrencyCode` from `currencyCodeSchema`):
 *   a bug in the caller, never a verdict on data (parse at the door: the parsers return a Result).
 *
 * @example
 * equalsMoney(unwrap(parseAmount('1.50', 'CNY')), unwrap(parseMoney({ currency: 'CNY', minor: 150 }))) // true
 */
export function equalsMoney(a: Money, b: Money): boolean {
  a = moneyOrThrow(a, 'a');
  b = moneyOrThrow(b, 'b');
  return a.currency === b.currency && compareIntegers(a.minor, b.minor) === 0;
}

function mismatch(operation: string, currencies: readonly string[], path: (string | number)[]): Result<never, CrmError> {
  const distinct = [...new Set(currencies)];
  return moneyRefusal(
    'MONEY_CURRENCY_MISMATCH',
    { path, message: `amounts in ${distinct.join(' and ')} cannot be combined (${operation}); convert them to one currency first`, code: 'custom' },
    { operation, currencies: distinct },
  );
}

/**
 * The one currency a list of amounts shares; mixed currencies are refused
 * (`MONEY_CURRENCY_MISMATCH`, with `details.currencies`), an empty list or anything that is not
 * a list of amounts is `INVALID_INPUT`. Never throws.
 *
 * @example
 * checkSameCurrency([a, b, c]) // ok('CNY')
 */
export function checkSameCurrency(amounts: readonly Money[]): Result<CurrencyCode, CrmError> {
  const list = readAmounts(amounts);
  if (!Array.isArray(list)) return list;
  const first = list[0];
  if (first === undefined) return invalidInput([{ path: [], message: 'expected at least one amount', code: 'too_small' }]);
  for (let i = 1; i < list.length; i++) {
    if (list[i]!.currency !== first.currency) return mismatch('checkSameCurrency', list.map((a) => a.currency), [i, 'currency']);
  }
  return ok(first.currency);
}

/** Reads an iterable of amounts once, each checked; INVALID_INPUT for anything else. */
function readAmounts(amounts: unknown): Money[] | Result<never, CrmError> {
  const list: Money[] = [];
  const issues: InputIssue[] = [];
  try {
    if (typeof amounts !== 'object' || amounts === null || !(Symbol.iterator in amounts)) {
      return invalidInput([{ path: [], message: 'expected a list of amounts', code: 'invalid_type' }]);
    }
    let i = 0;
    for (const x of amounts as Iterable<unknown>) {
      const m = moneyArg(x);
      if (m === undefined) issues.push(notAnAmount(i));
      else list.push(m);
      i++;
    }
  } catch {
    return invalidInput([{ path: [], message: 'the list of amounts could not be read', code: 'custom' }]);
  }
  return issues.length > 0 ? invalidInput(issues) : list;
}

/** The two operands of a binary operation read once, or INVALID_INPUT. */
function readPair(a: unknown, b: unknown): [Money, Money] | Result<never, CrmError> {
  const x = moneyArg(a);
  const y = moneyArg(b);
  if (x !== undefined && y !== undefined) return [x, y];
  const issues: InputIssue[] = [];
  if (x === undefined) issues.push(notAnAmount('a'));
  if (y === undefined) issues.push(notAnAmount('b'));
  return invalidInput(issues);
}

/**
 * a + b; different currencies are refused (`MONEY_CURRENCY_MISMATCH`), never converted;
 * anything that is not an amount is `INVALID_INPUT`. Never throws.
 *
 * @example
 * addMoney(unwrap(parseAmount('0.10', 'CNY')), unwrap(parseAmount('0.20', 'CNY'))) // ok(CNY 0.30)
 * addMoney(cny, usd) // refused: MONEY_CURRENCY_MISMATCH
 */
export function addMoney(a: Money, b: Money): Result<Money, CrmError> {
  const pair = readPair(a, b);
  if (!Array.isArray(pair)) return pair;
  const [x, y] = pair;
  if (x.currency !== y.currency) return mismatch('add', [x.currency, y.currency], ['b', 'currency']);
  return ok(makeMoney(x.currency, addIntegers(x.minor, y.minor)));
}

/**
 * a − b; different currencies are refused (`MONEY_CURRENCY_MISMATCH`); anything that is not an
 * amount is `INVALID_INPUT`. Never throws.
 *
 * @example
 * subtractMoney(unwrap(parseAmount('100', 'CNY')), unwrap(parseAmount('0.01', 'CNY'))) // ok(CNY 99.99)
 */
export function subtractMoney(a: Money, b: Money): Result<Money, CrmError> {
  const pair = readPair(a, b);
  if (!Array.isArray(pair)) return pair;
  const [x, y] = pair;
  if (x.currency !== y.currency) return mismatch('subtract', [x.currency, y.currency], ['b', 'currency']);
  return ok(makeMoney(x.currency, addIntegers(x.minor, negateInteger(y.minor))));
}

/**
 * The exact sum of amounts in one currency (line amounts into a quote total). An empty list
 * sums to zero in `currency`, and needs it; a different currency anywhere is refused
 * (`MONEY_CURRENCY_MISMATCH`, the issue at the first offending index); anything that is not an
 * iterable of amounts is `INVALID_INPUT`. Never throws.
 *
 * @example
 * sumMoney(lines.map((l) => l.amount)) // ok(CNY …)
 * sumMoney([], 'CNY') // ok(CNY 0.00)
 */
export function sumMoney(amounts: Iterable<Money>, currency?: CurrencyCode): Result<Money, CrmError> {
  let code: CurrencyCode | undefined = currency;
  if (code !== undefined && !isCurrencyCode(code)) {
    return invalidInput([{ path: ['currency'], message: `expected an ISO 4217 currency code, got ${describeValue(code)}`, code: 'custom' }]);
  }
  let small = 0;
  let big: bigint | undefined;
  let i = 0;
  try {
    if (typeof amounts !== 'object' || amounts === null || !(Symbol.iterator in amounts)) {
      return invalidInput([{ path: [], message: 'expected a list of amounts', code: 'invalid_type' }]);
    }
    for (const m of amounts as Iterable<unknown>) {
      // each amount read once, in place (a batch sum allocates nothing per amount)
      if (!readMoneyFields(m)) return invalidInput([notAnAmount(i)]);
      const c = fieldCurrency;
      const x = fieldMinor;
      if (code === undefined) code = c;
      else if (c !== code) return mismatch('sum', [code, c], [i, 'currency']);
      if (big === undefined && typeof x === 'number') {
        const s = small + x;
        if (s <= MAX_SAFE && s >= -MAX_SAFE) small = s;
        else big = BigInt(small) + BigInt(x);
      } else {
        big = (big ?? BigInt(small)) + toBig(x);
      }
      i++;
    }
  } catch {
    return invalidInput([{ path: [i], message: 'the list of amounts could not be read', code: 'custom' }]);
  }
  if (code === undefined) return invalidInput([{ path: ['currency'], message: 'an empty list of amounts needs the currency of its zero sum', code: 'custom' }]);
  return ok(makeMoney(code, big === undefined ? small + 0 : canonical(big)));
}

/**
 * −1, 0 or 1 as a is below, equal to or above b; different currencies are refused
 * (`MONEY_CURRENCY_MISMATCH`), never compared by face value; anything that is not an amount is
 * `INVALID_INPUT`. Never throws.
 *
 * @example
 * compareMoney(unwrap(parseAmount('9.99', 'CNY')), unwrap(parseAmount('10', 'CNY'))) // ok(-1)
 */
export function compareMoney(a: Money, b: Money): Result<-1 | 0 | 1, CrmError> {
  const pair = readPair(a, b);
  if (!Array.isArray(pair)) return pair;
  const [x, y] = pair;
  if (x.currency !== y.currency) return mismatch('compare', [x.currency, y.currency], ['b', 'currency']);
  return ok(compareIntegers(x.minor, y.minor));
}
