/**
 * Trust at the boundary, for pricing: instants read once from whatever a host passes, free text
 * a database can store, outputs frozen all the way down, and the door every pricing function
 * parses its input through (so a credit line is refused the same way everywhere).
 */
import { z } from 'zod';
import { refuse, type CrmError } from '../core/errors.js';
import type { ErrorCode } from '../core/codes.js';
import type { Result } from '../core/result.js';
import { instantSchema, parseInput, type InputIssue } from '../core/validation.js';

/* ------------------------------------------------------------------ instants */

const getTime = Date.prototype.getTime;

/**
 * A `Date`'s time value read once from its internal slot (not through a `getTime` a subclass or
 * a Proxy could override), as a fresh `Date`; an object that only looks like a Date (made with
 * `Object.create(Date.prototype)`, a Proxy of a Date) has no time value and reads as null, which
 * the instant schema refuses. Anything else (an ISO string, a number) passes unchanged.
 */
function readDateOnce(input: unknown): unknown {
  if (typeof input !== 'object' || input === null) return input;
  let t: number;
  try {
    t = getTime.call(input);
  } catch {
    return null; // not a Date: the instant schema says what it expected
  }
  return new Date(t);
}

/**
 * An instant as the core reads it (a valid `Date` or an ISO string with an offset), the Date
 * read once by its time value: a Date-like object or a `getTime` that changes between reads is
 * refused or read once, never thrown on.
 *
 * @example
 * instant.parse(new Date('2026-06-01T02:00:00Z')) // a fresh Date
 */
export const instant = z.preprocess(readDateOnce, instantSchema) as unknown as typeof instantSchema;

/** The time value of a Date we made (its slot, not an overridable method). */
export function timeOf(d: Date): number {
  return getTime.call(d);
}

/* ------------------------------------------------------------------ text */

// A NUL byte, or a UTF-16 surrogate without its partner: text PostgreSQL refuses to store.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Whether a string can be stored as text anywhere (no NUL, no lone surrogate).
 *
 * @example
 * isStorableText('折扣超出授权') // true
 * isStorableText('a\u0000b') // false
 */
export function isStorableText(s: string): boolean {
  return !UNSTORABLE.test(s);
}

/**
 * Free text (a reason, a level's name) of at most `max` characters that any store keeps as it is.
 *
 * @example
 * textSchema(2000).safeParse('请补充交付条款').success // true
 */
export function textSchema(max: number) {
  return z
    .string()
    .max(max)
    .refine(isStorableText, { message: 'text with a NUL byte or a lone surrogate cannot be stored' });
}

/* ------------------------------------------------------------------ frozen outputs */

/** Objects known to be frozen all the way down (what pricing returned, or built frozen). */
const deeplyFrozen = new WeakSet<object>();

/**
 * Freezes a value the rules built, and everything reachable from it, and remembers it (so a
 * record passed through several results is walked once). Never called on a caller's object:
 * every pricing output is made of parsed copies and the rules' own frozen values. Dates cannot
 * be frozen (their time value stays settable); records holding them are protected at the door
 * instead (see `trustQuote` in quotes.ts).
 *
 * @example
 * const change = deepFreeze({ quote, events, archived: null, priced });
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || value instanceof Date) return value;
  const o = value as object;
  if (deeplyFrozen.has(o)) return value;
  deeplyFrozen.add(o);
  if (Array.isArray(o)) {
    for (let i = 0; i < o.length; i++) deepFreeze(o[i]);
  } else {
    for (const k of Reflect.ownKeys(o)) deepFreeze((o as Record<PropertyKey, unknown>)[k]);
  }
  Object.freeze(o);
  return value;
}

/**
 * Records that a value built frozen at every level (a priced quote) is deeply frozen, so
 * `deepFreeze` does not walk it again.
 */
export function markDeeplyFrozen<T extends object>(value: T): T {
  deeplyFrozen.add(value);
  return value;
}

/* ------------------------------------------------------------------ the door */

/**
 * The issue message of a negative quantity or price: a credit line, which pricing does not take.
 */
export const CREDIT_LINE_MESSAGE =
  'a negative quantity or price (a credit line) is not supported: give a trade-in or a goodwill credit as an order discount (an amount), a return as a credit note';

/**
 * The code of an input refused only for credit lines. `PRICING_CREDIT_LINE_NOT_SUPPORTED` is
 * proposed to the core's code list; until it is there, such input is `INVALID_INPUT` like any
 * other, its issues carrying `CREDIT_LINE_MESSAGE`.
 */
const CREDIT_LINE_CODE: ErrorCode = 'INVALID_INPUT';

/**
 * Parses a pricing input at its door: `INVALID_INPUT` with every issue (paths under `at`), or the
 * credit-line refusal when negative quantities or prices are all that is wrong.
 *
 * @example
 * pricingInput(quoteContextSchema, ctx, ['context'])
 */
export function pricingInput<S extends z.ZodType>(schema: S, input: unknown, at: readonly (string | number)[]): Result<z.output<S>, CrmError> {
  const r = parseInput(schema, input, at);
  if (r.ok || CREDIT_LINE_CODE === 'INVALID_INPUT') return r;
  const issues = r.error.details.issues as readonly InputIssue[] | undefined;
  if (issues !== undefined && issues.length > 0 && issues.every((i) => i.message === CREDIT_LINE_MESSAGE)) return refuse(CREDIT_LINE_CODE, r.error.details);
  return r;
}
