import type { z } from 'zod';
import { InvariantError, refuse, type CrmError } from './errors.js';
import { ok, type Result } from './result.js';
import { entityParser, isSafeText, MAX_INSTANT_MS, MIN_INSTANT_MS, type EntityParser } from './validation.js';
import { ownDataValue } from './foreign.js';

/*
 * The boundary helpers every module shares (internal: not exported from the package). A rule's
 * door parses its input; what the rule computes from it must stay inside what the doors accept
 * — an instant computed from a valid one (a deadline 30 days after 9999-12-20) can leave the
 * supported range, and is then a refusal, never a record no door would take back.
 */

const getTime = Date.prototype.getTime;
const OUT_OF_RANGE = 'the instant computed from this input falls outside 0001-01-01T00:00:00Z … 9999-12-31T23:59:59.999Z, the range the library supports';

/**
 * `INVALID_INPUT` with one issue at `path`. Never throws.
 *
 * @example
 * invalidAt(['plan', 'recordId'], 'the plan is for record C-2, not C-1')
 */
export function invalidAt(path: readonly (string | number)[], message: string): Result<never, CrmError> {
  return refuse('INVALID_INPUT', { issues: [{ path: [...path], message, code: 'custom' }], summary: `${path.join('.') || '(root)'}: ${message}` });
}

/**
 * Whether `d` is a valid `Date` inside the supported instant range (`MIN_INSTANT_MS` …
 * `MAX_INSTANT_MS`), read through its slot. Never throws.
 *
 * @example
 * isSupportedInstant(new Date('+010000-01-01T00:00:00Z')) // false
 */
export function isSupportedInstant(d: unknown): boolean {
  let t: number;
  try {
    t = getTime.call(d);
  } catch {
    return false;
  }
  return t >= MIN_INSTANT_MS && t <= MAX_INSTANT_MS;
}

/**
 * Runs calendar arithmetic on instants a door accepted: when the zone calendar refuses
 * (`InvariantError` or `RangeError`) or the answer — a `Date`, or any `Date` among an array's
 * or a plain object's own values — is outside the supported range, the answer is
 * `INVALID_INPUT` at `at`, never a throw and never an instant no door would take back. Any
 * other exception is a bug and propagates.
 *
 * @example
 * zoned(['dueDate'], () => startOfZonedDayAfter(due, 1, zone)) // ok, or INVALID_INPUT at dueDate
 */
export function zoned<T>(at: readonly (string | number)[], run: () => T): Result<T, CrmError> {
  let out: T;
  try {
    out = run();
  } catch (e) {
    if (isCalendarRefusal(e)) return outOfRangeAt(at);
    throw e;
  }
  if (!instantsInRange(out)) return outOfRangeAt(at);
  return ok(out);
}

/**
 * Whether an exception is the zone calendar's refusal of an instant (`InvariantError` from the
 * core's calendar, `RangeError` from `Intl`): for hot loops that call their rule directly and
 * answer `outOfRangeAt` themselves, allocating nothing per call.
 *
 * @example
 * try { decide(record) } catch (e) { if (isCalendarRefusal(e)) return outOfRangeAt(['records', i]); throw e; }
 */
export function isCalendarRefusal(e: unknown): boolean {
  return e instanceof InvariantError || e instanceof RangeError;
}

/**
 * Whether an answer — a `Date`, or an array's or a plain object's own values — holds only
 * instants inside the supported range (anything else counts as in range). Allocates nothing.
 *
 * @example
 * instantsInRange({ reclaimAt: new Date('+010000-01-01T00:00:00Z') }) // false
 */
export function instantsInRange(out: unknown): boolean {
  if (typeof out !== 'object' || out === null) return true;
  if (out instanceof Date) return isSupportedInstant(out);
  if (Array.isArray(out)) {
    for (let i = 0; i < out.length; i++) if (out[i] instanceof Date && !isSupportedInstant(out[i])) return false;
    return true;
  }
  for (const key in out) {
    const v: unknown = (out as Record<string, unknown>)[key];
    if (v instanceof Date && !isSupportedInstant(v)) return false;
  }
  return true;
}

/**
 * The refusal of an instant computed outside the supported range: `INVALID_INPUT` at `at`.
 *
 * @example
 * outOfRangeAt(['records', 3]).ok // false
 */
export function outOfRangeAt(at: readonly (string | number)[]): Result<never, CrmError> {
  return invalidAt(at, OUT_OF_RANGE);
}

/**
 * An issue path prefix from a caller: an array of at most 100 strings and finite numbers, or
 * `fallback`. Never throws.
 *
 * @example
 * pathPrefix(['leads', 3], ['lead']) // ['leads', 3]
 * pathPrefix(42, ['lead']) // ['lead']
 */
export function pathPrefix(at: unknown, fallback: readonly (string | number)[]): readonly (string | number)[] {
  try {
    if (!Array.isArray(at) || at.length > 100) return fallback;
    const out: (string | number)[] = [];
    for (const p of at as unknown[]) {
      if (typeof p === 'string' || (typeof p === 'number' && Number.isFinite(p))) out.push(p);
      else return fallback;
    }
    return out;
  } catch {
    return fallback; // a Proxy of an array
  }
}

/**
 * The core's `EntityParser` (a trusted value is deep-frozen and re-validated once one of its
 * `Date`s changed), sealing what it parses too: a value parsed in full comes back deep-frozen
 * and trusted, so it can come straight back. Issue paths from a caller are checked.
 *
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
 * What a failure says, in one line of safe text for refusal details: its `code` (a SQLSTATE, an
 * errno) and the first line of its `message`, read without calling getters (never the SQL or
 * its parameters). Never throws.
 *
 * @example
 * failureReason({ code: '57P01', message: 'terminating connection due to administrator command' }) // '57P01: terminating connection…'
 */
export function failureReason(e: unknown): string {
  const code = ownDataValue(e, 'code');
  let message = ownDataValue(e, 'message');
  if (message === undefined && e instanceof Error) {
    try {
      message = e.message;
    } catch {
      message = undefined;
    }
  }
  const first = typeof message === 'string' ? message.split('\n')[0]!.slice(0, 200) : 'unknown failure';
  const text = isSafeText(first) ? first : 'unreadable failure';
  return typeof code === 'string' && isSafeText(code) && code.length <= 40 ? `${code}: ${text}` : text;
}

/**
 * `STORE_UNAVAILABLE` for an operation whose store failed: `notApplied` when nothing of it was
 * written, `unknown` when that cannot be known.
 *
 * @example
 * storeUnavailable('commit', new Error('Connection terminated'), 'unknown')
 */
export function storeUnavailable(operation: string, e: unknown, outcome: 'notApplied' | 'unknown'): Result<never, CrmError> {
  return refuse('STORE_UNAVAILABLE', { operation, outcome, reason: failureReason(e) });
}

/**
 * A service whose every method answers `STORE_UNAVAILABLE` (outcome `unknown`) where it would
 * reject or throw — what only a failing store makes it do, since requests are parsed first —
 * so a service never rejects (internal).
 *
 * @example
 * return guardService({ async claim(input) { … } });
 */
export function guardService<S extends object>(service: S): S {
  const guarded: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(service)) {
    guarded[name] =
      typeof method !== 'function'
        ? method
        : async (...args: unknown[]) => {
            try {
              return await (method as (...a: unknown[]) => Promise<unknown>).apply(service, args);
            } catch (e) {
              return storeUnavailable(name, e, 'unknown');
            }
          };
  }
  return guarded as S;
}

/**
 * A check that a value is an object with each of these methods: what a service's deps schema asks
 * of a store (internal).
 *
 * @example
 * z.custom<CustomerStore>(hasMethods('loadCustomer', 'commit'), 'expected a CustomerStore (loadCustomer, commit)')
 */
export const hasMethods =
  (...names: string[]) =>
  (x: unknown): boolean =>
    typeof x === 'object' && x !== null && names.every((n) => typeof (x as Record<string, unknown>)[n] === 'function');
