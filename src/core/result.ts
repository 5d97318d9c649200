/**
 * An expected outcome of a rule: either the value it decided, or a refusal.
 *
 * @example
 * const r = claimLead(lead, cmd, ctx);
 * if (!r.ok) console.log(r.error.code); // 'LEAD_TRANSITION_NOT_ALLOWED'
 */
export type Result<T, E = RuleError> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

/** A refusal: a stable code (the contract), a readable message (replaceable wording) and details. */
export interface RuleError<C extends string = string> {
  readonly code: C;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/** Wraps a decided value. @example ok(42) // { ok: true, value: 42 } */
export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

/** Wraps a refusal. @example err(error) // { ok: false, error } */
export function err<E>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}

/**
 * What `unwrap` throws for a refusal: an `Error` that carries the refusal's stable `code`,
 * its `details` and the whole refusal as `error`.
 *
 * @example
 * try { unwrap(result) } catch (e) { if (e instanceof RefusalError && e.code === 'POOL_QUOTA_EXCEEDED') … }
 */
export class RefusalError<E extends RuleError = RuleError> extends Error {
  /** The refusal's stable code. */
  readonly code: E['code'];
  /** The refusal's details (why, and when it would be allowed). */
  readonly details: E['details'];
  /** The refusal as the rule returned it. */
  readonly error: E;
  constructor(error: E) {
    super(`${error.code}: ${error.message}`);
    this.name = 'RefusalError';
    this.code = error.code;
    this.details = error.details;
    this.error = error;
  }
}

const NOT_A_RESULT = Object.freeze({
  code: 'INVALID_INPUT',
  message: 'unwrap: expected a Result ({ ok: true, value } or { ok: false, error })',
  details: Object.freeze({ issues: Object.freeze([Object.freeze({ path: Object.freeze([]), message: 'expected a Result', code: 'invalid_type' })]) }),
});

/**
 * The value of a successful `Result`; throws `RefusalError` (with the refusal's code) for a
 * refusal. The one export that throws by design: for scripts, examples and tests where a
 * refusal is a bug. Rules and services never throw for a refusal; code that must handle one
 * reads `result.ok` instead. Anything that is not a `Result` throws `RefusalError` with the
 * code `INVALID_INPUT`.
 *
 * @throws {RefusalError} for a refusal, or for anything that is not a `Result`.
 *
 * @example
 * decimalToString(unwrap(parseDecimal('19.99')));    // '19.99'
 * unwrap(parseDecimal('abc'));                      // throws RefusalError, e.code === 'INVALID_INPUT'
 */
export function unwrap<T, E extends RuleError = RuleError>(result: Result<T, E>): T {
  let outcome: { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E } | null = null;
  try {
    // read once each (a getter or a proxy answers what it answers once), never trusted further
    const okFlag: unknown = (result as { ok?: unknown } | null)?.ok;
    if (okFlag === true) outcome = { ok: true, value: (result as { value: T }).value };
    else if (okFlag === false) {
      const found: unknown = (result as { error?: unknown }).error;
      if (isRuleError(found)) outcome = { ok: false, error: found as E };
    }
  } catch {
    outcome = null;
  }
  if (outcome === null) throw new RefusalError(NOT_A_RESULT);
  if (outcome.ok) return outcome.value;
  throw new RefusalError(outcome.error);
}

function isRuleError(e: unknown): e is RuleError {
  if (typeof e !== 'object' || e === null) return false;
  const { code, message, details } = e as Partial<RuleError>;
  return typeof code === 'string' && typeof message === 'string' && typeof details === 'object' && details !== null;
}
