import * as fc from 'fast-check';
import { CURRENCY_EXPONENTS, isCurrencyCode, parseMoney, type CurrencyCode, type Money, type MoneyJson } from '../core/index.js';
import { option } from './arbitraries.js';

/*
 * fast-check arbitraries of the money kernel: currency codes, amounts (`Money`, made by the
 * kernel's own parser) and their JSON form, each with an invalid twin one defect away that
 * `parseMoney` refuses. The defects of a twin break the value whatever it was, so a twin is
 * never filtered through the parser it tests: a parser that accepts one is a bug the kit's own
 * tests catch, not a value quietly dropped.
 */

/* ------------------------------------------------------------------ building blocks */

/** The currencies a CRM meets most, one of each exponent: JPY 0, CNY/USD/HKD/EUR 2, KWD 3, CLF 4. */
const COMMON_CURRENCIES = ['CNY', 'USD', 'HKD', 'EUR', 'JPY', 'KWD', 'CLF'] as const satisfies readonly CurrencyCode[];
const ALL_CURRENCIES = Object.keys(CURRENCY_EXPONENTS) as CurrencyCode[];

/** The default range of `moneyArb`, in minor units: ±10^11 (CNY ±1,000,000,000.00). */
const DEFAULT_MIN_MINOR = -(10n ** 11n);
const DEFAULT_MAX_MINOR = 10n ** 11n;
/** The widest bound an option may set (beyond it the option is ignored). */
const BOUND_LIMIT = 10n ** 40n;

/**
 * A valid value with one defect from `defects` (chosen by fast-check). No filter: each defect
 * breaks validity whatever the value, so a door that accepts one is a finding. Internal to the kit.
 *
 * @example
 * defective(moneyArb(), [(m) => ({ ...m, currency: 'RMB' })])
 */
export function defective<T>(valid: fc.Arbitrary<T>, defects: readonly ((value: T) => unknown)[]): fc.Arbitrary<unknown> {
  return fc.tuple(valid, fc.integer({ min: 0, max: defects.length - 1 })).map(([value, i]) => defects[i]!(value));
}

/** The exponent of a known currency (internal). @example exponent('KWD') // 3 */
export function exponent(currency: CurrencyCode): number {
  return CURRENCY_EXPONENTS[currency];
}

/**
 * An exact integer `units` / 10^scale as a canonical decimal string (no trailing zeros), for
 * the kit's generated prices, quantities and percentages. Internal to the kit.
 *
 * @example
 * decimalText(19990n, 3) // '19.99'
 */
export function decimalText(units: bigint | number, scale: number): string {
  const u = BigInt(units);
  const negative = u < 0n;
  const digits = (negative ? -u : u).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`.replace(/\.?0+$/, '');
  return negative ? `-${text}` : text;
}

/**
 * Minor units of a currency as `formatMoney` writes them, with all the currency's decimals
 * ("300.00", "1234" in JPY). Internal to the kit.
 *
 * @example
 * minorText(30000, 'CNY') // '300.00'
 */
export function minorText(minor: bigint | number, currency: CurrencyCode): string {
  const e = exponent(currency);
  const u = BigInt(minor);
  const negative = u < 0n;
  const digits = (negative ? -u : u).toString().padStart(e + 1, '0');
  const text = e === 0 ? digits : `${digits.slice(0, digits.length - e)}.${digits.slice(digits.length - e)}`;
  return negative ? `-${text}` : text;
}

/**
 * The `currency` option of a builder: a known code, or undefined (ignored). Internal to the kit.
 *
 * @example
 * currencyOption({ currency: 'JPY' }) // 'JPY'
 */
export function currencyOption(options: unknown): CurrencyCode | undefined {
  const c = option(options, 'currency');
  return isCurrencyCode(c) ? c : undefined;
}

/** A bound in minor units: a safe integer or a bigint within ±10^40, else undefined (ignored). */
function boundOption(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value >= -BOUND_LIMIT && value <= BOUND_LIMIT ? value : undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  return undefined;
}

/* ------------------------------------------------------------------ currencies */

/**
 * A currency code the library knows (ISO 4217 as ISO writes it): mostly the common ones (CNY,
 * USD, HKD, EUR, JPY with 0 decimals, KWD with 3, CLF with 4), sometimes any of the table.
 *
 * @example
 * fc.assert(fc.property(currencyCodeArb(), (code) => currencyCodeSchema.safeParse(code).success))
 */
export function currencyCodeArb(): fc.Arbitrary<CurrencyCode> {
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...COMMON_CURRENCIES) }, { weight: 1, arbitrary: fc.constantFrom(...ALL_CURRENCIES) });
}

/**
 * A currency code the library refuses, one defect from a real one: lower case (`cny`), a
 * letter short or over, a space around it, or a code that is not ISO's (`RMB`, `XAU`).
 *
 * @example
 * fc.assert(fc.property(invalidCurrencyCodeArb(), (code) => !currencyCodeSchema.safeParse(code).success))
 */
export function invalidCurrencyCodeArb(): fc.Arbitrary<unknown> {
  return defective(currencyCodeArb(), [
    (c) => c.toLowerCase(),
    (c) => c.slice(0, 2),
    (c) => `${c}X`,
    (c) => ` ${c}`,
    () => 'RMB',
    () => 'XAU',
  ]);
}

/* ------------------------------------------------------------------ amounts */

/**
 * An amount (`Money`) made by the kernel's own parser: an exact count of minor units of a known
 * currency, frozen. By default any currency and −10^11 … 10^11 minor units (zero, the bounds
 * and small amounts more often); `currency` fixes the currency, `min` / `max` bound the minor
 * units (safe integers or bigints: past 2^53 the amount's `minor` is a bigint). An option that
 * is not one is ignored; bounds in the wrong order are swapped.
 *
 * @example
 * fc.assert(fc.property(moneyArb({ currency: 'CNY', min: 0 }), moneyArb({ currency: 'CNY', min: 0 }), (a, b) => addMoney(a, b).ok))
 */
export function moneyArb(options: { readonly currency?: CurrencyCode; readonly min?: number | bigint; readonly max?: number | bigint } = {}): fc.Arbitrary<Money> {
  const currency = currencyOption(options);
  let min = boundOption(option(options, 'min')) ?? DEFAULT_MIN_MINOR;
  let max = boundOption(option(options, 'max')) ?? DEFAULT_MAX_MINOR;
  if (min > max) [min, max] = [max, min];
  return fc
    .tuple(currency ? fc.constant(currency) : currencyCodeArb(), fc.bigInt({ min, max }))
    .map(([c, minor]) => parseMoney({ currency: c, minor }))
    .filter((r): r is { readonly ok: true; readonly value: Money } => r.ok)
    .map((r) => r.value);
}

/**
 * An amount `parseMoney` refuses, one defect from a `Money`: minor units that are a float, a
 * decimal string, NaN or past 2^53 as a number, a currency that is not one, both `amount` and
 * `minor` or neither, an extra key.
 *
 * @example
 * fc.assert(fc.property(invalidMoneyArb(), (m) => parseMoney(m).ok === false))
 */
export function invalidMoneyArb(): fc.Arbitrary<unknown> {
  return defective(moneyArb(), [
    (m) => ({ currency: m.currency, minor: Number(m.minor) + 0.5 }),
    (m) => ({ currency: m.currency, minor: `${m.minor}.5` }),
    (m) => ({ currency: m.currency, minor: Number.NaN }),
    (m) => ({ currency: m.currency, minor: Number.MAX_SAFE_INTEGER + 2 }),
    (m) => ({ currency: m.currency.toLowerCase(), minor: m.minor }),
    (m) => ({ currency: 'RMB', minor: m.minor }),
    (m) => ({ currency: m.currency, minor: m.minor, amount: minorText(m.minor, m.currency) }),
    (m) => ({ currency: m.currency }),
    (m) => ({ currency: m.currency, minor: m.minor, note: '含税' }),
  ]);
}

/**
 * An amount as JSON stores it and forms send it, `{ currency, amount }` with the amount a
 * decimal string in major units — as `toMoneyJson` writes it ("1234.50") or as people type it
 * ("1234.5", "+1234.50", "1234" for a whole amount). Same options as `moneyArb`; `parseMoney`
 * reads every one back to the amount it was made from.
 *
 * @example
 * fc.assert(fc.property(moneyJsonArb({ currency: 'JPY' }), (json) => parseMoney(json).ok))
 */
export function moneyJsonArb(options: { readonly currency?: CurrencyCode; readonly min?: number | bigint; readonly max?: number | bigint } = {}): fc.Arbitrary<MoneyJson> {
  return fc.tuple(moneyArb(options), fc.constantFrom('canonical' as const, 'trimmed' as const, 'signed' as const)).map(([m, style]) => {
    const text = minorText(m.minor, m.currency);
    const amount =
      style === 'trimmed' ? decimalText(BigInt(m.minor), exponent(m.currency)) : style === 'signed' && !text.startsWith('-') ? `+${text}` : text;
    return { currency: m.currency, amount };
  });
}

/**
 * An amount as JSON that `parseMoney` refuses, one defect away: more decimals than the
 * currency has (never rounded for you), a thousands separator or a currency sign in the
 * amount, the amount as a float, an empty amount, an unknown or missing currency, an extra key.
 *
 * @example
 * fc.assert(fc.property(invalidMoneyJsonArb(), (json) => parseMoney(json).ok === false))
 */
export function invalidMoneyJsonArb(): fc.Arbitrary<unknown> {
  return defective(moneyArb(), [
    (m) => ({ currency: m.currency, amount: `${minorText(m.minor, m.currency)}${exponent(m.currency) === 0 ? '.5' : '5'}` }),
    (m) => ({ currency: m.currency, amount: `1,${minorText(m.minor, m.currency).replace('-', '')}` }),
    (m) => ({ currency: m.currency, amount: `¥${minorText(m.minor, m.currency)}` }),
    (m) => ({ currency: m.currency, amount: Number(m.minor) + 0.5 }),
    (m) => ({ currency: m.currency, amount: '' }),
    (m) => ({ currency: 'RMB', amount: minorText(m.minor, m.currency) }),
    (m) => ({ amount: minorText(m.minor, m.currency) }),
    (m) => ({ currency: m.currency, amount: minorText(m.minor, m.currency), taxIncluded: true }),
  ]);
}
