import type { ErrorCode } from '../core/codes.js';
import type { ErrorDetails } from '../core/details.js';
import { refuse, type CrmError } from '../core/errors.js';
import type { Result } from '../core/result.js';
import type { InputIssue } from '../core/validation.js';

/**
 * The payments module's refusal codes. Each is a domain outcome (not malformed input), with the
 * details a host needs to explain it or to act on it.
 *
 * @example
 * if (!r.ok && r.error.code === 'PAYMENT_OVER_ALLOCATED') showOutstanding(r.error.details.outstanding);
 */
export const PAYMENT_ERROR_CODES = [
  'PAYMENT_CURRENCY_MISMATCH',
  'PAYMENT_CUSTOMER_MISMATCH',
  'PAYMENT_OVER_ALLOCATED',
  'PAYMENT_EXCEEDS_UNAPPLIED',
  'PAYMENT_EXCEEDS_APPLIED',
  'PAYMENT_NOTHING_TO_APPLY',
  'PAYMENT_NOTHING_OUTSTANDING',
  'PAYMENT_NOT_APPLIED',
  'PAYMENT_REVERSED',
  'PAYMENT_HAS_REFUNDS',
  'PAYMENT_INSTALLMENT_NOT_FOUND',
  'PAYMENT_ORDER_REQUIRED',
  'PAYMENT_PERCENTAGES_NOT_100',
  'PAYMENT_PLAN_AMOUNTS_MISMATCH',
  'PAYMENT_WRITE_OFF_ABOVE_TOLERANCE',
  'PAYMENT_NOTHING_TO_WRITE_OFF',
  'PAYMENT_REFUND_APPROVAL_REQUIRED',
  'PAYMENT_REFUND_NOT_AN_APPROVER',
  'PAYMENT_REFUND_NOT_PENDING',
  'PAYMENT_REFUND_SELF_APPROVAL',
] as const satisfies readonly ErrorCode[]; // each registered in core, with its messages

/** A refusal code of the payments module. @example const code: PaymentErrorCode = 'PAYMENT_OVER_ALLOCATED'; */
export type PaymentErrorCode = (typeof PAYMENT_ERROR_CODES)[number];

/**
 * The one door every payments refusal goes through (internal): `refuse(code, details)`.
 *
 * @example
 * paymentRefusal('PAYMENT_NOTHING_TO_APPLY', { paymentId: 'P-1' })
 */
export function paymentRefusal<C extends PaymentErrorCode>(code: C, details: ErrorDetails<C>): Result<never, CrmError<C>> {
  return refuse(code, details);
}

/**
 * `INVALID_INPUT` with these issues (for problems zod cannot see: a currency's decimals, an id
 * listed twice), summarized like `parseInput` does (internal).
 *
 * @example
 * invalidPaymentInput([{ path: ['strategy', 'applications', 1], message: 'listed twice', code: 'custom' }])
 */
export function invalidPaymentInput(issues: readonly InputIssue[]): Result<never, CrmError> {
  return refuse('INVALID_INPUT', {
    issues,
    summary: issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; '),
  });
}
