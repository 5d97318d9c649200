/**
 * Amounts of money: an exact integer count of the currency's minor unit (fen, cents, fils) with
 * the ISO 4217 currency. In and out as decimal strings ("1234.56"), never through a float.
 */
import { z } from 'zod';
import { InvariantError, type CrmError } from '../errors.js';
import { ok, type Result } from '../result.js';
import type { InputIssue } from '../validation.js';
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
 * const price: Money = value(parseAmount('1234.56', 'CNY')); // { currency: 'CNY', minor: 123456 }
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
  if (e === undefined) throw new InvariantError(`Unknown currency ${JSON.stringify(currency)}; parse it with currencyCodeSchema first`);
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
  const record = input as Record<string, unknown>;
  const issues: InputIssue[] = [];
  const extra = Object.keys(record).filter((k) => k !== 'currency' && k !== 'amount' && k !== 'minor');
  if (extra.length > 0) issues.push({ path: [], message: `unrecognized keys: ${extra.join(', ')}`, code: 'unrecognized_keys' });
  const currency = record.currency;
  if (!isCurrencyCode(currency)) {
    issues.push({ path: ['currency'], message: `expected an ISO 4217 currency code such as "CNY", got ${JSON.stringify(currency) ?? 'nothing'}`, code: 'custom' });
  }
  const hasAmount = record.amount !== undefined;
  const hasMinor = record.minor !== undefined;
  if (hasAmount === hasMinor) {
    issues.push({ path: [], message: 'give exactly one of amount (a decimal string such as "1234.56") or minor (minor units)', code: 'custom' });
  }
  if (issues.length > 0 || !isCurrencyCode(currency)) return issues;
  const exponent = currencyExponent(currency)!;
  if (hasMinor) {
    const minor = readMinor(record.minor);
    if (typeof minor === 'string') return [{ path: ['minor'], message: minor, code: 'custom' }];
    return makeMoney(currency, minor);
  }
  const amount = readDecimal(record.amount);
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
  return Array.isArray(m) ? invalidInput(m.map((i) => ({ ...i, path: [...at, ...i.path] }))) : ok(m as Money);
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
 * @example
 * zeroMoney('JPY') // { currency: 'JPY', minor: 0 }
 */
export function zeroMoney(currency: CurrencyCode): Money {
  exponentOf(currency);
  return makeMoney(currency, 0);
}

/**
 * The amount as an exact decimal string in major units, with exactly the currency's decimals
 * (no symbol, no grouping: locale display is the host's).
 *
 * @example
 * formatMoney(value(parseMoney({ currency: 'CNY', minor: -5 }))) // '-0.05'
 * formatMoney(value(parseMoney({ currency: 'JPY', minor: 1234 }))) // '1234'
 * formatMoney(value(parseMoney({ currency: 'KWD', minor: 1234 }))) // '1.234'
 */
export function formatMoney(amount: Money): string {
  const e = exponentOf(amount.currency);
  return digitsToString(amount.minor, e, e);
}

/**
 * The JSON form `{ currency, amount: '1234.56' }`, which `parseMoney` reads back to the same
 * amount (and which survives `JSON.stringify`, unlike a bigint).
 *
 * @example
 * toMoneyJson(price) // { currency: 'CNY', amount: '1234.56' }
 */
export function toMoneyJson(amount: Money): MoneyJson {
  return Object.freeze({ currency: amount.currency, amount: formatMoney(amount) });
}

/**
 * The amount in major units as an exact decimal (CNY 1234.56 → 1234.56).
 *
 * @example
 * decimalToString(moneyToDecimal(price)) // '1234.56'
 */
export function moneyToDecimal(amount: Money): Decimal {
  return makeDecimal(amount.minor, exponentOf(amount.currency));
}

/**
 * −amount (a credit note line from an invoice line).
 *
 * @example
 * formatMoney(negateMoney(price)) // '-1234.56'
 */
export function negateMoney(amount: Money): Money {
  return makeMoney(amount.currency, negateInteger(amount.minor));
}

/**
 * |amount|.
 *
 * @example
 * formatMoney(absMoney(value(parseAmount('-3.10', 'CNY')))) // '3.10'
 */
export function absMoney(amount: Money): Money {
  return amount.minor < 0 ? negateMoney(amount) : amount;
}

/**
 * −1, 0 or 1 by the amount's sign.
 *
 * @example
 * signOfMoney(value(parseAmount('-0.01', 'CNY'))) // -1
 */
export function signOfMoney(amount: Money): -1 | 0 | 1 {
  return signOf(amount.minor);
}

/**
 * Whether the amount is exactly zero.
 *
 * @example
 * isZeroMoney(zeroMoney('CNY')) // true
 */
export function isZeroMoney(amount: Money): boolean {
  return amount.minor === 0;
}

/**
 * Whether two amounts are in the same currency.
 *
 * @example
 * sameCurrency(cny, usd) // false
 */
export function sameCurrency(a: Money, b: Money): boolean {
  return a.currency === b.currency;
}

/**
 * Whether two amounts are equal: same currency and same minor units (different currencies are
 * simply not equal).
 *
 * @example
 * equalsMoney(value(parseAmount('1.50', 'CNY')), value(parseMoney({ currency: 'CNY', minor: 150 }))) // true
 */
export function equalsMoney(a: Money, b: Money): boolean {
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
 * (`MONEY_CURRENCY_MISMATCH`, with `details.currencies`), an empty list is
 * `INVALID_INPUT`.
 *
 * @example
 * checkSameCurrency([a, b, c]) // ok('CNY')
 */
export function checkSameCurrency(amounts: readonly Money[]): Result<CurrencyCode, CrmError> {
  const first = amounts[0];
  if (first === undefined) return invalidInput([{ path: [], message: 'expected at least one amount', code: 'too_small' }]);
  for (let i = 1; i < amounts.length; i++) {
    if (amounts[i]!.currency !== first.currency) return mismatch('checkSameCurrency', amounts.map((a) => a.currency), [i, 'currency']);
  }
  return ok(first.currency);
}

/**
 * a + b; different currencies are refused (`MONEY_CURRENCY_MISMATCH`), never converted.
 *
 * @example
 * addMoney(value(parseAmount('0.10', 'CNY')), value(parseAmount('0.20', 'CNY'))) // ok(CNY 0.30)
 * addMoney(cny, usd) // refused: MONEY_CURRENCY_MISMATCH
 */
export function addMoney(a: Money, b: Money): Result<Money, CrmError> {
  if (a.currency !== b.currency) return mismatch('add', [a.currency, b.currency], ['b', 'currency']);
  return ok(makeMoney(a.currency, addIntegers(a.minor, b.minor)));
}

/**
 * a − b; different currencies are refused (`MONEY_CURRENCY_MISMATCH`).
 *
 * @example
 * subtractMoney(value(parseAmount('100', 'CNY')), value(parseAmount('0.01', 'CNY'))) // ok(CNY 99.99)
 */
export function subtractMoney(a: Money, b: Money): Result<Money, CrmError> {
  if (a.currency !== b.currency) return mismatch('subtract', [a.currency, b.currency], ['b', 'currency']);
  return ok(makeMoney(a.currency, addIntegers(a.minor, negateInteger(b.minor))));
}

/**
 * The exact sum of amounts in one currency (line amounts into a quote total). An empty list
 * sums to zero in `currency`, and needs it; a different currency anywhere is refused
 * (`MONEY_CURRENCY_MISMATCH`, the issue at the first offending index).
 *
 * @example
 * sumMoney(lines.map((l) => l.amount)) // ok(CNY …)
 * sumMoney([], 'CNY') // ok(CNY 0.00)
 */
export function sumMoney(amounts: Iterable<Money>, currency?: CurrencyCode): Result<Money, CrmError> {
  let code: CurrencyCode | undefined = currency;
  if (code !== undefined && !isCurrencyCode(code)) {
    return invalidInput([{ path: ['currency'], message: `expected an ISO 4217 currency code, got ${JSON.stringify(code)}`, code: 'custom' }]);
  }
  let small = 0;
  let big: bigint | undefined;
  let i = 0;
  for (const m of amounts) {
    if (code === undefined) code = m.currency;
    else if (m.currency !== code) return mismatch('sum', [code, m.currency], [i, 'currency']);
    const x = m.minor;
    if (big === undefined && typeof x === 'number') {
      const s = small + x;
      if (s <= MAX_SAFE && s >= -MAX_SAFE) small = s;
      else big = BigInt(small) + BigInt(x);
    } else {
      big = (big ?? BigInt(small)) + toBig(x);
    }
    i++;
  }
  if (code === undefined) return invalidInput([{ path: ['currency'], message: 'an empty list of amounts needs the currency of its zero sum', code: 'custom' }]);
  return ok(makeMoney(code, big === undefined ? small + 0 : canonical(big)));
}

/**
 * −1, 0 or 1 as a is below, equal to or above b; different currencies are refused
 * (`MONEY_CURRENCY_MISMATCH`), never compared by face value.
 *
 * @example
 * compareMoney(value(parseAmount('9.99', 'CNY')), value(parseAmount('10', 'CNY'))) // ok(-1)
 */
export function compareMoney(a: Money, b: Money): Result<-1 | 0 | 1, CrmError> {
  if (a.currency !== b.currency) return mismatch('compare', [a.currency, b.currency], ['b', 'currency']);
  return ok(compareIntegers(a.minor, b.minor));
}
