import type { ErrorCode } from './codes.js';
import { renderMessage, type MessageCatalog } from './messages.js';
import { err, type Result, type RuleError } from './result.js';

/** A refusal whose code is one of the library's codes. */
export type CrmError = RuleError<ErrorCode>;

/**
 * Builds a refusal with its message rendered from the active catalog.
 *
 * @example
 * ruleError('LEAD_SAME_POOL', { poolId: 'p1' }).message // 'The lead is already in pool p1.'
 */
export function ruleError(code: ErrorCode, details: Record<string, unknown> = {}): CrmError {
  const frozen = Object.freeze({ ...details });
  return Object.freeze({ code, message: renderMessage(code, frozen), details: frozen });
}

/** A failed Result carrying `ruleError(code, details)`. */
export function refuse(code: ErrorCode, details: Record<string, unknown> = {}): Result<never, CrmError> {
  return err(ruleError(code, details));
}

/**
 * Re-renders an error's message in another catalog; the code and details stay the same.
 *
 * @example
 * localizeError(error, messagesZhCn).message
 */
export function localizeError(error: CrmError, catalog: MessageCatalog): CrmError {
  return Object.freeze({ ...error, message: renderMessage(error.code, error.details, catalog) });
}

/**
 * Thrown only for bugs (a broken invariant), never for an expected refusal.
 */
export class InvariantError extends Error {
  readonly code = 'INVARIANT_BROKEN' as const;
  constructor(message: string) {
    super(message);
    this.name = 'InvariantError';
  }
}
