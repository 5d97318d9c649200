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
