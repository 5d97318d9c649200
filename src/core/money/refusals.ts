/**
 * How the money kernel refuses. Bad input is `INVALID_INPUT` with its issues, like every door
 * of the library. Three refusals are domain outcomes rather than malformed input and have codes
 * of their own (`MoneyRefusalReason`), with the issue that caused them.
 */
import type { ErrorDetails } from '../details.js';
import { refuse, type CrmError } from '../errors.js';
import type { Result } from '../result.js';
import type { InputIssue } from '../validation.js';

/**
 * The money kernel's own refusal codes (their details in brackets):
 * - `MONEY_CURRENCY_MISMATCH`: amounts in different currencies were combined or compared
 *   (`operation`, `currencies`);
 * - `MONEY_ALLOCATION_WEIGHTS_ZERO`: a non-zero amount was split over weights that are all zero
 *   (`amount` as "10.00 CNY", `currency`, `count`);
 * - `MONEY_DIVISION_BY_ZERO`: an amount was divided by zero, or prorated over a zero whole
 *   (`amount` as "113.00 CNY" or a plain decimal, `currency` for an amount).
 *
 * @example
 * if (!r.ok && r.error.code === 'MONEY_CURRENCY_MISMATCH') showCurrencyHint();
 */
export type MoneyRefusalReason = 'MONEY_CURRENCY_MISMATCH' | 'MONEY_ALLOCATION_WEIGHTS_ZERO' | 'MONEY_DIVISION_BY_ZERO';

const summarize = (issues: readonly InputIssue[]): string =>
  issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');

/**
 * `INVALID_INPUT` with these issues, summarized like `parseInput` does.
 *
 * @example
 * invalidInput([{ path: ['count'], message: 'expected a whole number', code: 'invalid_type' }])
 */
export function invalidInput(issues: readonly InputIssue[]): Result<never, CrmError> {
  return refuse('INVALID_INPUT', { issues, summary: summarize(issues) });
}

/**
 * A domain refusal of the money kernel (see `MoneyRefusalReason`), with its details.
 *
 * @example
 * moneyRefusal('MONEY_CURRENCY_MISMATCH', { path: ['b', 'currency'], message: '…', code: 'custom' }, { currencies: ['CNY', 'USD'] })
 */
export function moneyRefusal<R extends MoneyRefusalReason>(
  reason: R,
  issue: InputIssue,
  details: Omit<ErrorDetails<R>, 'issues' | 'summary'>,
): Result<never, CrmError<R>> {
  return refuse(reason, { ...details, issues: [issue], summary: summarize([issue]) } as unknown as ErrorDetails<R>);
}
