import { z } from 'zod';
import { refuse, type CrmError } from './errors.js';
import { ok, type Result } from './result.js';

/** One validation problem: where (path into the input) and what. */
export interface InputIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly code: string;
}

/**
 * Parses untrusted input at a public door. Success gives the parsed (new) value; failure is
 * `INVALID_INPUT` whose `details.issues` lists every zod issue with its path and message.
 *
 * @example
 * parseInput(z.object({ id: z.string() }), {}) // { ok: false, error: { code: 'INVALID_INPUT', ... } }
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  at: readonly (string | number)[] = [],
): Result<z.output<S>, CrmError> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  return refuse('INVALID_INPUT', { issues: toIssues(parsed.error.issues, at), summary: summarize(parsed.error.issues, at) });
}

function toIssues(issues: readonly z.core.$ZodIssue[], at: readonly (string | number)[]): InputIssue[] {
  return issues.map((issue) => ({
    path: [...at, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))],
    message: issue.message,
    code: issue.code,
  }));
}

function summarize(issues: readonly z.core.$ZodIssue[], at: readonly (string | number)[]): string {
  return toIssues(issues, at)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

/**
 * An instant: a valid `Date`, or an ISO 8601 string with a zone offset (`Z` or `+08:00`).
 * A `Date` is copied, so a caller reusing or changing its own `Date` never changes a record.
 */
export const instantSchema = z.union([
  z.date().transform((d) => new Date(d.getTime())),
  z.iso.datetime({ offset: true }).transform((s) => new Date(s)),
]);

/** A non-empty identifier string. */
export const idSchema = z.string().min(1).max(200);

/** A valid IANA time zone name such as `Asia/Shanghai`. */
export const timeZoneSchema = z.string().refine(isValidTimeZone, { message: 'Unknown IANA time zone' });

/** The runtime's verdict per zone name (a memo: bounded, never state). */
const zoneVerdicts = new Map<string, boolean>();

/** Whether the runtime knows this IANA zone. @example isValidTimeZone('Asia/Shanghai') // true */
export function isValidTimeZone(zone: string): boolean {
  if (typeof zone !== 'string' || !zone) return false;
  // Building an Intl.DateTimeFormat costs tens of microseconds; a policy parse asks every time.
  const known = zoneVerdicts.get(zone);
  if (known !== undefined) return known;
  let valid: boolean;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    valid = true;
  } catch {
    valid = false;
  }
  if (zoneVerdicts.size >= 1_000) zoneVerdicts.clear();
  zoneVerdicts.set(zone, valid);
  return valid;
}

/**
 * A parser for one entity type that remembers the frozen values the library itself produced,
 * so a record a rule returned is not validated again when it comes straight back (the
 * million-record loops validate each record once). Anything else — a copy, JSON from a
 * database, a spread with a changed field — is parsed in full.
 */
export interface EntityParser<T> {
  /** Parses `input`; issue paths start with `at` (default: the parser's own). */
  parse(input: unknown, at?: readonly (string | number)[]): Result<T, CrmError>;
  /** Marks a frozen value built by a rule as known-valid, and returns it. */
  trust<V extends T>(value: V): V;
}

/** Builds an `EntityParser` over a schema. @example const leads = entityParser(leadSchema, ['lead']) */
export function entityParser<T>(schema: z.ZodType<T, unknown>, defaultAt: readonly (string | number)[]): EntityParser<T> {
  const known = new WeakSet<object>();
  return {
    parse(input, at = defaultAt) {
      if (typeof input === 'object' && input !== null && known.has(input)) return ok(input as T);
      return parseInput(schema, input, at);
    },
    trust(value) {
      if (typeof value === 'object' && value !== null && Object.isFrozen(value)) known.add(value);
      return value;
    },
  };
}

/**
 * Reads an iterable (array, Set, generator) into an array; anything else is `INVALID_INPUT`
 * at `at`, never a throw.
 *
 * @example
 * parseIterable(new Set(['a']), ['ids']) // { ok: true, value: ['a'] }
 */
export function parseIterable(input: unknown, at: readonly (string | number)[]): Result<unknown[], CrmError> {
  if (typeof input === 'object' && input !== null && Symbol.iterator in input) return ok(Array.from(input as Iterable<unknown>));
  return refuse('INVALID_INPUT', {
    issues: [{ path: [...at], message: 'expected an iterable (an array, a Set, a generator)', code: 'invalid_type' }],
    summary: `${at.join('.') || '(root)'}: expected an iterable`,
  });
}

const OBJECT_PROTO = Object.prototype;

/**
 * A plain object: created by a literal, `JSON.parse` or `Object.create(null)` — what the batch
 * paths may read in place instead of parsing a copy.
 *
 * @example
 * isPlainObject({ a: 1 }) // true
 * isPlainObject(new Map()) // false
 */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === OBJECT_PROTO || proto === null;
}
