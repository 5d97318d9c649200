/**
 * Trust at the boundary, for pricing: the door every pricing function parses its input through
 * (so a credit line is refused the same way everywhere). Instants, free text, deep-freezing and
 * trusted quotes are the core's (`instantSchema`, `textSchema`, `deepFreeze`, `entityParser`).
 */
import type { z } from 'zod';
import { refuse, type CrmError } from '../core/errors.js';
import type { ErrorCode } from '../core/codes.js';
import type { Result } from '../core/result.js';
import { parseInput, type InputIssue } from '../core/validation.js';

/**
 * The issue message of a negative quantity or price: a credit line, which pricing does not take.
 */
export const CREDIT_LINE_MESSAGE =
  'a negative quantity or price (a credit line) is not supported: give a trade-in or a goodwill credit as an order discount (an amount), a return as a credit note';

/**
 * The code of an input refused only for credit lines (every issue is a negative quantity or
 * price); with any other issue the input is `INVALID_INPUT`, its credit-line issues carrying
 * `CREDIT_LINE_MESSAGE`.
 */
const CREDIT_LINE_CODE: ErrorCode = 'PRICING_CREDIT_LINE_NOT_SUPPORTED';

/**
 * Parses a pricing input at its door: `INVALID_INPUT` with every issue (paths under `at`), or the
 * credit-line refusal when negative quantities or prices are all that is wrong.
 *
 * @example
 * pricingInput(quoteContextSchema, ctx, ['context'])
 */
export function pricingInput<S extends z.ZodType>(schema: S, input: unknown, at: readonly (string | number)[]): Result<z.output<S>, CrmError> {
  return creditLineRefusal(parseInput(schema, input, at));
}

/**
 * A door's answer with pricing's credit-line refusal: an `INVALID_INPUT` whose every issue is a
 * negative quantity or price becomes `PRICING_CREDIT_LINE_NOT_SUPPORTED` (same details); any
 * other answer is passed on as it is.
 *
 * @example
 * creditLineRefusal(quotes.parse(input, ['quote']))
 */
export function creditLineRefusal<T>(r: Result<T, CrmError>): Result<T, CrmError> {
  if (r.ok) return r;
  const issues = r.error.details.issues as readonly InputIssue[] | undefined;
  if (issues !== undefined && issues.length > 0 && issues.every((i) => i.message === CREDIT_LINE_MESSAGE)) return refuse(CREDIT_LINE_CODE, r.error.details);
  return r;
}
