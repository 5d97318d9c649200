import type { z } from 'zod';
import { refuse, type CrmError } from '../core/errors.js';
import { ok, type Result } from '../core/result.js';
import { entityParser, type EntityParser } from '../core/validation.js';

/*
 * Trust at the boundary, for the leads module: a value the rules accept again without
 * re-validating it must not be able to change. Objects and arrays are frozen all the way down;
 * a `Date` cannot be (its setters ignore `Object.freeze`), so a trusted value remembers the time
 * of every `Date` it holds and is parsed in full again when one of them changed (the core's
 * `entityParser`). Outputs that are never trusted (events, plans) are deep-frozen and get
 * `Date`s of their own.
 */

const getTime = Date.prototype.getTime;

/**
 * Freezes plain data all the way down (objects and arrays; a `Date` is left as it is: see
 * `sealedEntityParser`), and returns it. For values the library built, never for a caller's.
 *
 * @internal
 * @example
 * deepFreeze({ events: [{ data: { from: 'pending' } }] }) // every level frozen
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || value instanceof Date) return value;
  if (!Object.isFrozen(value)) Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}

/**
 * An issue path prefix from a caller: an array of strings and numbers, or the default.
 *
 * @internal
 * @example
 * pathPrefix(['leads', 3], ['lead']) // ['leads', 3]
 * pathPrefix(42, ['lead']) // ['lead']
 */
export function pathPrefix(at: unknown, fallback: readonly (string | number)[]): readonly (string | number)[] {
  if (!Array.isArray(at) || at.length > 100) return fallback;
  const out: (string | number)[] = [];
  for (const p of at as unknown[]) {
    if (typeof p === 'string' || (typeof p === 'number' && Number.isFinite(p))) out.push(p);
    else return fallback;
  }
  return out;
}

/**
 * The core's `EntityParser` (a trusted value is deep-frozen and re-validated once one of its
 * `Date`s changed), sealing what it parses too: a value parsed in full comes back deep-frozen
 * and trusted, so it can come straight back. Issue paths from a caller are checked.
 *
 * @internal
 * @example
 * const leads = sealedEntityParser(leadSchema, ['lead']);
 * leads.trust(next); next.updatedAt.setTime(Number.NaN); leads.parse(next).ok // false
 */
export function sealedEntityParser<T>(schema: z.ZodType<T, unknown>, defaultAt: readonly (string | number)[]): EntityParser<T> {
  const inner = entityParser(schema, defaultAt);
  return {
    parse(input: unknown, at?: readonly (string | number)[]): Result<T, CrmError> {
      const parsed = inner.parse(input, at === undefined ? defaultAt : pathPrefix(at, defaultAt));
      // A new value (parsed in full) is sealed; a trusted one came back as it is.
      if (parsed.ok && parsed.value !== input) inner.trust(parsed.value);
      return parsed;
    },
    trust<V extends T>(value: V): V {
      return inner.trust(value);
    },
  };
}

/**
 * Runs calendar arithmetic on validated instants: an instant the zone calendar cannot handle
 * (it throws a `RangeError`, or gives an Invalid Date) is `INVALID_INPUT` at `at`, never a throw
 * and never an Invalid Date in an answer.
 *
 * @internal
 * @example
 * zoned(['serviceEndDate'], () => startOfZonedDay(end, zone))
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
