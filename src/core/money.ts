/**
 * The money kernel: exact amounts in ISO 4217 minor units, exact decimals for quantities and
 * rates, multiplication and division rounded once with a named mode (and cash increments), and
 * largest-remainder splitting whose parts sum exactly. No float ever touches an amount; plain
 * numbers while every intermediate is a safe integer, BigInt beyond, with the same answers.
 *
 * Two kinds of functions: those that return a `Result` (parsing, adding, comparing, dividing,
 * prorating, allocating, rounding a ratio or a decimal) never throw — an argument the kernel did
 * not make is `INVALID_INPUT`. Those that return a plain value (`formatMoney`, `multiplyMoney`,
 * `addDecimals`, …) take values the kernel made (`Money`, `Decimal`, `Rounding`, a known
 * currency); anything else is a caller's bug and throws `InvariantError` (code
 * `INVARIANT_BROKEN`), never a `TypeError` or a `RangeError`. Every minor count and decimal
 * `units` a function returns is a safe-integer `number` or, beyond ±(2^53 − 1), a `bigint` —
 * never an inexact number.
 *
 * @example
 * const qty = unwrap(parseDecimal('3'));
 * const price = unwrap(parseDecimal('19.99'));
 * const keep = subtractDecimals(DECIMAL_ONE, unwrap(parseDecimal('0.15'))); // 15% line discount
 * const line = moneyFromProduct('CNY', [qty, price, keep]); // CNY 50.97
 * formatMoney(line); // '50.97'
 */
export { CURRENCY_EXPONENTS, currencyExponent, isCurrencyCode, currencyCodeSchema, type CurrencyCode } from './money/currencies.js';
export type { ExactInteger } from './money/integers.js';
export {
  ROUNDING_MODES,
  DEFAULT_ROUNDING_MODE,
  roundingModeSchema,
  roundingSchema,
  parseRounding,
  roundRatio,
  type RoundingMode,
  type Rounding,
  type RoundingInput,
} from './money/rounding.js';
export {
  MAX_DECIMAL_SCALE,
  MAX_KERNEL_SCALE,
  MAX_DIVISION_PLACES,
  DECIMAL_ZERO,
  DECIMAL_ONE,
  decimalSchema,
  parseDecimal,
  decimalToString,
  compareDecimals,
  signOfDecimal,
  addDecimals,
  subtractDecimals,
  multiplyDecimals,
  negateDecimal,
  percentToRate,
  roundDecimal,
  divideDecimals,
  type Decimal,
} from './money/decimal.js';
export {
  moneySchema,
  parseMoney,
  parseAmount,
  zeroMoney,
  formatMoney,
  formatMinor,
  toMoneyJson,
  moneyToDecimal,
  negateMoney,
  absMoney,
  signOfMoney,
  isZeroMoney,
  sameCurrency,
  equalsMoney,
  checkSameCurrency,
  addMoney,
  subtractMoney,
  sumMoney,
  compareMoney,
  type Money,
  type MoneyJson,
} from './money/amount.js';
export {
  multiplyMoney,
  moneyFromProduct,
  productInMinorUnits,
  moneyFromDecimal,
  roundMoney,
  divideMoney,
  prorateMoney,
  type RatioTerm,
} from './money/multiply.js';
export { allocateMoney, splitMoney, type AllocationWeight } from './money/allocate.js';
export type { MoneyRefusalReason } from './money/refusals.js';
