import { refuse, type CrmError } from '../core/errors.js';
import { ok, type Result } from '../core/result.js';

/*
 * Trust at the boundary, for the pools module: what a rule returns is frozen all the way down
 * and shares no object (and no `Date`) with what the caller passed in. A `Date` cannot be frozen
 * (its setters ignore `Object.freeze`), so nothing the pools return is trusted when it comes
 * back: plans, requests and views are parsed again at every door (a parsed policy, which holds
 * no `Date`, is the one value taken back as it is).
 */

const getTime = Date.prototype.getTime;

/**
 * Freezes plain data all the way down (objects and arrays; a `Date` is left as it is), and
 * returns it. For values the library built, never for a caller's.
 *
 * @internal
 * @example
 * deepFreeze({ plan: { teamIds: ['rep-wang'] } }) // every level frozen
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || value instanceof Date) return value;
  if (!Object.isFrozen(value)) Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}

/**
 * Runs calendar arithmetic on validated instants: an instant the zone calendar cannot handle
 * (a `RangeError`, or an Invalid Date as the answer) is `INVALID_INPUT` at `at`, never a throw.
 *
 * @internal
 * @example
 * zoned(['now'], () => startOfZonedDay(now, zone))
 */
export function zoned<T>(at: readonly (string | number)[], run: () => T): Result<T, CrmError> {
  let out: T;
  try {
    out = run();
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return outOfRange(at);
  }
  if (out instanceof Date && !Number.isFinite(getTime.call(out))) return outOfRange(at);
  return ok(out);
}

function outOfRange(at: readonly (string | number)[]): Result<never, CrmError> {
  const message = 'the instant is outside the range the calendar of the time zone can count in';
  return refuse('INVALID_INPUT', { issues: [{ path: [...at], message, code: 'custom' }], summary: `${at.join('.') || '(root)'}: ${message}` });
}

/**
 * `INVALID_INPUT` with one issue at `path`.
 *
 * @internal
 * @example
 * invalidAt(['plan', 'recordId'], 'the plan is for record C-2, not C-1')
 */
export function invalidAt(path: readonly (string | number)[], message: string): Result<never, CrmError> {
  return refuse('INVALID_INPUT', { issues: [{ path: [...path], message, code: 'custom' }], summary: `${path.join('.') || '(root)'}: ${message}` });
}
