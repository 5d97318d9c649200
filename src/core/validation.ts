import { z } from 'zod';
import { InvariantError, refuse, type CrmError } from './errors.js';
import { describeValue, ownDataValue, timeOf } from './foreign.js';
import { ok, type Result } from './result.js';
import { daysFromCivil } from './civil.js';

/**
 * One validation problem: where (path into the input) and what — `message` in English, `code`
 * zod's issue code (`custom` for the library's own checks) and, for zod's own kinds, the data a
 * message in another language is written from: what was `expected` and `received` (type names),
 * the `origin`, `minimum`/`maximum` and whether `inclusive` of a size or range, the allowed
 * `values`, the unknown `keys`, the `format`, the `divisor`.
 */
export interface InputIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly code: string;
  readonly expected?: string;
  readonly received?: string;
  readonly origin?: string;
  readonly minimum?: number | bigint;
  readonly maximum?: number | bigint;
  readonly inclusive?: boolean;
  readonly values?: readonly (string | number | bigint | boolean | null)[];
  readonly keys?: readonly string[];
  readonly format?: string;
  readonly divisor?: number | bigint;
}

/**
 * zod's English messages, given to every parse: a host's `z.config(...)` (another locale, its
 * own error map) never changes what the library writes. Other languages are rendered from the
 * issues' data by `localizeError`.
 */
export const ENGLISH_PARSE = Object.freeze({ error: z.locales.en().localeError });

/**
 * Where an input sits, as a path the issues can start with: the string and finite-number
 * segments of an array, read once; anything else is the root (internal; never throws).
 *
 * @example
 * pathOf(['lead', 0]) // ['lead', 0]
 * pathOf(undefined) // []
 */
export function pathOf(at: unknown): (string | number)[] {
  const path: (string | number)[] = [];
  try {
    if (!Array.isArray(at)) return path;
    for (let i = 0, n = at.length; i < n; i++) {
      const p: unknown = at[i];
      if (typeof p === 'string' || (typeof p === 'number' && Number.isFinite(p))) path.push(p);
    }
    return path;
  } catch {
    return [];
  }
}

/**
 * Parses untrusted input at a public door. Success gives the parsed (new) value; failure is
 * `INVALID_INPUT` whose `details.issues` lists every zod issue with its path and message.
 * Never throws: input that cannot even be read — a getter or a Proxy trap that throws, nesting
 * too deep for the stack — is `INVALID_INPUT` too (only a broken invariant of the library
 * itself, an `InvariantError`, is let through).
 *
 * @example
 * parseInput(z.object({ id: z.string() }), {}) // { ok: false, error: { code: 'INVALID_INPUT', ... } }
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  at: readonly (string | number)[] = [],
): Result<z.output<S>, CrmError> {
  at = pathOf(at);
  let issues: InputIssue[];
  try {
    const parsed = schema.safeParse(input, ENGLISH_PARSE) as z.ZodSafeParseResult<z.output<S>>;
    if (parsed.success) return ok(parsed.data);
    // zod writes its messages lazily, reading the input again: still inside the try
    issues = toIssues(parsed.error.issues, at, input);
  } catch (e) {
    if (e instanceof InvariantError) throw e;
    return unreadable(e, at);
  }
  return refuse('INVALID_INPUT', { issues, summary: summarize(issues) });
}

/** `INVALID_INPUT` for input that threw while it was read (a getter, a Proxy, a cycle). */
function unreadable(e: unknown, at: readonly (string | number)[]): Result<never, CrmError> {
  const reason = ownDataValue(e, 'message');
  const message = `the input could not be read${typeof reason === 'string' ? ` (${describeValue(reason)})` : ''}`;
  const issues: InputIssue[] = [{ path: [...at], message, code: 'custom' }];
  return refuse('INVALID_INPUT', { issues, summary: `${at.length ? at.join('.') : '(root)'}: ${message}` });
}

/** The zod type name of a value, as its messages write it (`received`). */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return value !== value ? 'nan' : 'number';
  if (typeof value !== 'object') return typeof value;
  try {
    if (Array.isArray(value)) return 'array';
  } catch {
    return 'object';
  }
  if (timeOf(value) !== undefined) return 'date';
  try {
    if (value instanceof Map) return 'map';
    if (value instanceof Set) return 'set';
  } catch {
    // a Proxy whose prototype trap throws
  }
  return 'object';
}

/** The value at a path inside the input, read without calling anything (undefined where the path leaves the data). */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const p of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = ownDataValue(v, typeof p === 'number' ? String(p) : p);
  }
  return v;
}

/** A scalar issue param (a number, a bigint, a string, a boolean), or undefined. */
function param(v: unknown): string | number | bigint | boolean | undefined {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' ? v : undefined;
}

function toIssues(issues: readonly z.core.$ZodIssue[], at: readonly (string | number)[], input: unknown): InputIssue[] {
  return issues.map((issue) => {
    const out: Record<string, unknown> = {
      path: [...at, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))],
      message: issue.message,
      code: issue.code,
    };
    const raw = issue as unknown as Record<string, unknown>;
    for (const key of ['expected', 'origin', 'minimum', 'maximum', 'inclusive', 'format', 'divisor'] as const) {
      const v = param(raw[key]);
      if (v !== undefined) out[key] = v;
    }
    if (issue.code === 'invalid_type') out.received = typeName(valueAt(input, issue.path));
    if (issue.code === 'invalid_value' && Array.isArray(raw.values)) {
      out.values = raw.values.map((v: unknown) => (v === null ? null : (param(v) ?? describeValue(v))));
    }
    if (issue.code === 'unrecognized_keys' && Array.isArray(raw.keys)) out.keys = raw.keys.map((k: unknown) => String(k));
    return out as unknown as InputIssue;
  });
}

function summarize(issues: readonly InputIssue[]): string {
  return issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}

// ─────────────────────────────────────── instants ───────────────────────────────────────

/**
 * The first instant the library supports: 0001-01-01T00:00:00.000Z.
 *
 * @example
 * new Date(MIN_INSTANT_MS).toISOString() // '0001-01-01T00:00:00.000Z'
 */
export const MIN_INSTANT_MS = -62135596800000;

/**
 * The last instant the library supports: 9999-12-31T23:59:59.999Z.
 *
 * @example
 * new Date(MAX_INSTANT_MS).toISOString() // '9999-12-31T23:59:59.999Z'
 */
export const MAX_INSTANT_MS = 253402300799999;

/** What `z.iso.datetime({ offset: true })` accepts (real calendar dates, a Z or ±hh:mm offset), as its regex: no zod call per instant. */
const ISO_INSTANT = z.core.regexes.datetime({ offset: true, local: false, precision: null });

const RANGE_MESSAGE = 'expected an instant from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z (UTC)';
const TYPE_MESSAGE = 'expected an instant: a Date or an ISO 8601 string with a zone offset (Z or +08:00)';

const DIGIT = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : Number.NaN;
};
const TWO = (s: string, i: number): number => DIGIT(s, i) * 10 + DIGIT(s, i + 1);

/**
 * The time of the common ISO 8601 shapes — `YYYY-MM-DDTHH:MM:SS`, then nothing or `.sss`, then
 * `Z` or `±HH:MM` — read by hand (a few nanoseconds, where the full pattern and `Date.parse`
 * take hundreds); NaN when the string has another shape (the caller then asks the full pattern)
 * or names a date or time that does not exist (refused, as the pattern refuses it).
 */
function commonIsoTime(s: string): number {
  const n = s.length;
  if (n !== 20 && n !== 24 && n !== 25 && n !== 29) return Number.NaN;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return Number.NaN;
  const year = TWO(s, 0) * 100 + TWO(s, 2);
  const month = TWO(s, 5);
  const day = TWO(s, 8);
  const hour = TWO(s, 11);
  const minute = TWO(s, 14);
  const second = TWO(s, 17);
  let at = 19;
  let ms = 0;
  if (n === 24 || n === 29) {
    if (s.charCodeAt(19) !== 46) return Number.NaN;
    ms = DIGIT(s, 20) * 100 + TWO(s, 21);
    at = 23;
  }
  let offset = 0;
  const sign = s.charCodeAt(at);
  if (sign === 90) {
    if (at + 1 !== n) return Number.NaN;
  } else if ((sign === 43 || sign === 45) && at + 6 === n && s.charCodeAt(at + 3) === 58) {
    const oh = TWO(s, at + 1);
    const om = TWO(s, at + 4);
    if (!(oh <= 23 && om <= 59)) return Number.NaN;
    offset = (oh * 60 + om) * (sign === 43 ? 60_000 : -60_000);
  } else return Number.NaN;
  // NaN (a non-digit) fails every comparison below
  if (!(month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59 && second <= 59 && ms >= 0 && year >= 0)) return Number.NaN;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  if (day > monthDays) return Number.NaN;
  return daysFromCivil(year, month, day) * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000 + ms - offset;
}

/** The time of an instant (ms), or the reason it is refused. */
function instantTime(value: unknown): number | string {
  let t: number | undefined;
  if (typeof value === 'string') {
    t = commonIsoTime(value);
    if (t !== t) {
      if (!ISO_INSTANT.test(value)) return TYPE_MESSAGE;
      t = Date.parse(value);
    }
  } else {
    // read once, from the Date's own slot: a Proxy, `Object.create(Date.prototype)` or a plain
    // object is not a Date, and a subclass overriding getTime is not asked
    t = timeOf(value);
    if (t === undefined) return TYPE_MESSAGE;
    if (t !== t) return 'expected a valid Date, got an Invalid Date';
  }
  if (!(t >= MIN_INSTANT_MS && t <= MAX_INSTANT_MS)) return RANGE_MESSAGE;
  return t;
}

/** A fresh Date for an instant, or the reason it is refused. */
function readInstant(value: unknown): Date | string {
  const t = instantTime(value);
  return typeof t === 'string' ? t : new Date(t);
}

/**
 * The time (ms) of a supported instant (see `instantSchema`: a `Date` or an ISO 8601 string
 * with an offset), or NaN for anything else. Reads the value once; allocates nothing for a
 * `Date`; never throws. For batch paths that read millions of instants.
 *
 * @internal
 * @example
 * instantMs('1970-01-01T00:00:01Z') // 1000
 * instantMs('yesterday') // NaN
 */
export function instantMs(value: unknown): number {
  const t = instantTime(value);
  return typeof t === 'string' ? Number.NaN : t;
}

/**
 * A fresh plain `Date` for a supported instant (see `instantSchema`), or `undefined` for
 * anything else. Reads the value once; never throws. For batch paths that read instants without
 * a schema.
 *
 * @example
 * instantFrom('2026-01-01T08:00:00+08:00') // 2026-01-01T00:00:00.000Z
 * instantFrom(new Date(8.64e15)) // undefined (past year 9999)
 */
export function instantFrom(value: unknown): Date | undefined {
  const d = readInstant(value);
  return typeof d === 'string' ? undefined : d;
}

/**
 * An instant: a valid `Date`, or an ISO 8601 string with a zone offset (`Z` or `+08:00`),
 * from **0001-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z** (UTC, inclusive:
 * `MIN_INSTANT_MS` … `MAX_INSTANT_MS`, the years an ISO 8601 string writes with four digits).
 * Anything outside that range — though JavaScript can hold dates to ±275,760 years — is
 * `INVALID_INPUT`, so the zone calendar and every rule after the door work on every instant the
 * schema accepts. The result is always a fresh plain `Date`: a `Date` is read once, through
 * `Date.prototype.getTime` (a subclass's own `getTime` is not asked), so a caller reusing or
 * changing its own `Date` never changes a record, and a Date-like object that is not a Date
 * (`Object.create(Date.prototype)`, a Proxy of a Date) is refused, never a throw.
 *
 * @example
 * instantSchema.parse('2026-01-01T08:00:00+08:00') // 2026-01-01T00:00:00.000Z
 * instantSchema.safeParse(new Date(8.64e15)).success // false: past 9999-12-31
 */
export const instantSchema = z.custom<Date | string>().transform((value, ctx): Date => {
  const d = readInstant(value);
  if (typeof d === 'string') {
    ctx.addIssue({ code: 'custom', message: d });
    return z.NEVER;
  }
  return d;
});

// ───────────────────────────────────── text and ids ─────────────────────────────────────

/** A NUL or any surrogate: the quick test (most text has neither). */
const NUL_OR_SURROGATE = /[\u0000\uD800-\uDFFF]/;
const UNSAFE_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The message of a text refused by `isSafeText`.
 *
 * @example
 * z.string().refine(isSafeText, SAFE_TEXT_MESSAGE)
 */
export const SAFE_TEXT_MESSAGE = 'must not contain a NUL character (U+0000) or a lone surrogate: such text cannot be stored (PostgreSQL, UTF-8)';

/**
 * Whether a value is text every store can keep: a string without NUL (U+0000, which
 * PostgreSQL `text` and `jsonb` refuse) and without a lone surrogate (half of a UTF-16 pair,
 * which has no UTF-8 encoding). Never throws.
 *
 * @example
 * isSafeText('张伟') // true
 * isSafeText('a\u0000b') // false
 * isSafeText('\uD800') // false
 */
export function isSafeText(value: unknown): value is string {
  return typeof value === 'string' && !(NUL_OR_SURROGATE.test(value) && UNSAFE_TEXT.test(value));
}

/**
 * Free text at the door: a string every store can keep (see `isSafeText`), so what works in
 * memory works on PostgreSQL. Chain lengths as usual: `textSchema.max(500)`. Every free-text
 * field of every module should use it (names, reasons, notes, record keys).
 *
 * @example
 * z.object({ note: textSchema.max(2000) }).safeParse({ note: 'a\u0000' }).success // false
 */
export const textSchema = z.string().refine(isSafeText, { message: SAFE_TEXT_MESSAGE });

/**
 * An identifier: 1 to 200 characters of safe text — no NUL and no lone surrogate (see
 * `isSafeText`), which PostgreSQL cannot store. Ids are data: never use one as a plain-object
 * key (use a `Map` or a null-prototype object).
 *
 * @example
 * idSchema.safeParse('L-1').success // true
 * idSchema.safeParse('L\u0000').success // false
 */
export const idSchema = textSchema.min(1).max(200);

/**
 * Whether a value is an id as `idSchema` takes it (1 to 200 characters of safe text), without
 * building a parse result: for readers that check many values.
 *
 * @example
 * isIdText('L-1') // true
 * isIdText('') // false
 */
export const isIdText = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 200 && isSafeText(value);

/**
 * A name used as a key (a field, attribute or level name): 1 to 100 characters of safe text,
 * never `__proto__` (a plain object cannot hold it as its own key: it would be lost, so it is
 * refused at the door).
 *
 * @example
 * nameSchema.safeParse('industry').success // true
 * nameSchema.safeParse('__proto__').success // false
 */
export const nameSchema = textSchema.min(1).max(100).refine((name) => name !== '__proto__', { message: 'the name __proto__ cannot be used' });

/**
 * An attribute named as a field, `attribute:<name>` (the name as `nameSchema` takes it): what a
 * metric groups by and a scoring rule reads — one schema for both, so they take the same names.
 *
 * @internal
 * @example
 * attributeFieldSchema.safeParse('attribute:industry').success // true
 */
export const attributeFieldSchema = z.templateLiteral(['attribute:', z.string()]).refine((f) => nameSchema.safeParse(f.slice('attribute:'.length)).success, {
  message: 'expected attribute:<name>, the name 1–100 characters of safe text (not __proto__)',
});

/**
 * A record of values keyed by names: a `__proto__` key (as `JSON.parse` makes one) is refused
 * with its path — zod's record would drop it without a word — and so is a symbol key (not data:
 * it cannot be stored or sent). Keys are checked by `key` (default `nameSchema`).
 *
 * @example
 * namedRecordSchema(z.number()).safeParse(JSON.parse('{"__proto__": 1}')).success // false
 */
export function namedRecordSchema<V extends z.ZodType>(value: V, key: z.ZodType<string, string> = nameSchema) {
  return z
    .custom<Record<string, z.input<V>>>(() => true)
    .superRefine((input, ctx) => {
      if (typeof input !== 'object' || input === null) return;
      if (Object.prototype.hasOwnProperty.call(input, '__proto__')) ctx.addIssue({ code: 'custom', path: ['__proto__'], message: 'the name __proto__ cannot be used' });
      if (Object.getOwnPropertySymbols(input).length > 0) ctx.addIssue({ code: 'custom', path: [], message: 'a symbol key is not data' });
    })
    .pipe(z.record(key, value) as unknown as z.ZodType<Record<string, z.output<V>>, Record<string, z.input<V>>>);
}

/** A valid IANA time zone name such as `Asia/Shanghai`. */
export const timeZoneSchema = z.string().refine(isValidTimeZone, { message: 'Unknown IANA time zone' });

/** The runtime's verdict per zone name (a memo: bounded, never state). */
const zoneVerdicts = new Map<string, boolean>();

/** No IANA zone name is longer (the longest is 32 characters). */
const MAX_ZONE_NAME = 64;

/** Whether the runtime knows this IANA zone. Never throws. @example isValidTimeZone('Asia/Shanghai') // true */
export function isValidTimeZone(zone: string): boolean {
  if (typeof zone !== 'string' || !zone || zone.length > MAX_ZONE_NAME) return false;
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

// ─────────────────────────────────── trusted values ───────────────────────────────────

/**
 * A parser for one entity type that remembers the values the library itself produced, so a
 * record a rule returned is not validated again when it comes straight back (the
 * million-record loops validate each record once). Anything else — a copy, JSON from a
 * database, a spread with a changed field — is parsed in full.
 *
 * The trust rule: a value is trusted only if nothing reachable from it can change. `trust`
 * deep-freezes the value (objects and arrays all the way down) and records the time of every
 * `Date` reachable from it (a Date cannot be frozen: `setTime` still works); `parse` of a
 * trusted value re-reads those times and, if any changed, parses the value in full like any
 * other input (so `lead.updatedAt.setTime(NaN)` is refused). A value holding something that
 * cannot be frozen or checked (a Map, a class instance, a getter, a Date subclass, a function)
 * is never trusted: it is parsed in full every time.
 */
export interface EntityParser<T> {
  /** Parses `input`; issue paths start with `at` (default: the parser's own). Never throws. */
  parse(input: unknown, at?: readonly (string | number)[]): Result<T, CrmError>;
  /**
   * Deep-freezes a value a rule built (it must own everything it reaches: no object the caller
   * still holds), records the times of its Dates, marks it known-valid, and returns it.
   */
  trust<V extends T>(value: V): V;
}

const DATE_GET_TIME = Date.prototype.getTime;
const OBJECT_PROTO = Object.prototype;
const ARRAY_PROTO = Array.prototype;
const DATE_PROTO = Date.prototype;
/** Deeper than any record the rules build: a deeper (or cyclic) value is not trusted. */
const MAX_TRUST_DEPTH = 32;
const NO_DATES: readonly (Date | number)[] = Object.freeze([]);

/**
 * Freezes `value` all the way down and appends [date, time] pairs for its Dates to `dates`;
 * false when something reachable cannot be made immutable or checked cheaply (a Map, a class
 * instance, a Date subclass, a function, a Proxy, a cycle or nesting deeper than
 * `MAX_TRUST_DEPTH`). Plain objects are walked by their enumerable string keys: a value a rule
 * built has no getters, symbol keys or hidden properties.
 */
function freezeForTrust(value: object, dates: (Date | number)[], depth: number): boolean {
  if (depth > MAX_TRUST_DEPTH) return false;
  const proto = Object.getPrototypeOf(value);
  if (proto === DATE_PROTO) {
    const t = timeOf(value);
    if (t === undefined || t !== t) return false;
    dates.push(value as Date, t);
    return true;
  }
  if (proto === ARRAY_PROTO) {
    if (!Array.isArray(value)) return false;
    if (!Object.isFrozen(value)) Object.freeze(value);
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'object' ? v !== null && !freezeForTrust(v, dates, depth + 1) : typeof v === 'function') return false;
    }
    return true;
  }
  if (proto !== OBJECT_PROTO && proto !== null) return false;
  if (!Object.isFrozen(value)) Object.freeze(value);
  for (const key in value) {
    const v: unknown = (value as Record<string, unknown>)[key];
    if (typeof v === 'object' ? v !== null && !freezeForTrust(v, dates, depth + 1) : typeof v === 'function') return false;
  }
  return true;
}

function unchanged(dates: readonly (Date | number)[]): boolean {
  for (let i = 0; i < dates.length; i += 2) {
    if (DATE_GET_TIME.call(dates[i] as Date) !== dates[i + 1]) return false;
  }
  return true;
}

/** Builds an `EntityParser` over a schema. @example const leads = entityParser(leadSchema, ['lead']) */
export function entityParser<T>(schema: z.ZodType<T, unknown>, defaultAt: readonly (string | number)[]): EntityParser<T> {
  const known = new WeakMap<object, readonly (Date | number)[]>();
  return {
    parse(input, at = defaultAt) {
      if (typeof input === 'object' && input !== null) {
        const dates = known.get(input);
        if (dates !== undefined) {
          if (unchanged(dates)) return ok(input as T);
          known.delete(input); // a Date in it was changed: never trusted again
        }
      }
      return parseInput(schema, input, at);
    },
    trust(value) {
      if (typeof value !== 'object' || value === null) return value;
      const recorded = known.get(value);
      if (recorded !== undefined) {
        if (!unchanged(recorded)) known.delete(value);
        return value;
      }
      const dates: (Date | number)[] = [];
      let trustworthy: boolean;
      try {
        trustworthy = freezeForTrust(value as object, dates, 0);
      } catch {
        trustworthy = false; // a Proxy somewhere in it
      }
      if (trustworthy) known.set(value, dates.length === 0 ? NO_DATES : dates);
      return value;
    },
  };
}

/**
 * Freezes a value all the way down — objects, arrays, and the objects inside them, through
 * every own data property (getters are not called) — and returns it. For a rule's outputs
 * (events arrays, explanations, stats) so a host cannot change them. A `Date` is left as it
 * is — `setTime` would change it even frozen: give outputs their own Dates, or let
 * `entityParser` check them. Typed arrays (which cannot be frozen) and objects whose Proxy traps throw are left
 * as they are. Cycles are fine. Never throws. Only pass values the rule built: the caller's
 * own objects must never be frozen.
 *
 * @example
 * const stats = deepFreeze({ clusters: [{ size: 2 }] });
 * Object.isFrozen(stats.clusters[0]) // true
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !deeplyFrozen.has(value)) {
    freezeAll(value, new Set());
    deeplyFrozen.add(value);
  }
  return value;
}

/**
 * `deepFreeze` for a value the rule has just built from plain objects, arrays and Dates (no
 * getters, no Proxies, no cycles, nothing of the caller's): read directly, no descriptors — the
 * hot paths' answers (a duplicate check's explanations). Dates are left as they are. Internal.
 *
 * @example
 * freezeBuilt({ duplicates: [{ fields: [] }] })
 */
export function freezeBuilt<T>(value: T): T {
  if (typeof value === 'object' && value !== null) freezeBuiltIn(value, 0);
  return value;
}

function freezeBuiltIn(value: object, depth: number): void {
  if (Object.isFrozen(value) && deeplyFrozen.has(value)) return;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto === ARRAY_PROTO) {
    Object.freeze(value);
    const list = value as unknown[];
    for (let i = 0; i < list.length; i++) {
      const v = list[i];
      if (typeof v === 'object' && v !== null) freezeBuiltIn(v, depth + 1);
    }
    return;
  }
  if (proto !== OBJECT_PROTO && proto !== null) return; // a Date (or anything else: not the rule's to freeze)
  if (depth > 64) {
    deepFreeze(value); // deeper than any answer: the careful walk
    return;
  }
  Object.freeze(value);
  for (const key in value) {
    const v: unknown = (value as Record<string, unknown>)[key];
    if (typeof v === 'object' && v !== null) freezeBuiltIn(v, depth + 1);
  }
}

/**
 * Values `deepFreeze` was called on and froze with everything reachable from them (a frozen
 * object cannot gain a property, so walking one again finds nothing new): a record passed
 * through several answers is walked once. Only the roots are remembered — a WeakSet entry per
 * nested object costs more than walking it again.
 */
const deeplyFrozen = new WeakSet<object>();

/**
 * Marks a value built frozen at every level by its rule (frozen as it was made) as deep-frozen,
 * so `deepFreeze` does not walk it again. Internal: only for values whose every reachable
 * object was frozen when it was built.
 *
 * @example
 * markDeeplyFrozen(Object.freeze({ lines: Object.freeze([]) }))
 */
export function markDeeplyFrozen<T extends object>(value: T): T {
  deeplyFrozen.add(value);
  return value;
}

/**
 * Whether `deepFreeze` froze this value with everything reachable from it (or it was marked so):
 * nothing in it can change but the time of a Date. Internal: lets a parse be remembered for an
 * input that cannot change.
 *
 * @example
 * isDeeplyFrozen(deepFreeze({ a: [1] })) // true; isDeeplyFrozen(Object.freeze({ a: [] })) // false
 */
export function isDeeplyFrozen(value: unknown): boolean {
  return typeof value === 'object' && value !== null && deeplyFrozen.has(value);
}

function freezeAll(value: object, seen: Set<object>): void {
  if (seen.has(value) || deeplyFrozen.has(value)) return;
  seen.add(value);
  let keys: (string | symbol)[];
  try {
    // a plain object or array is neither a Date nor a typed array: ask only of the others
    // (reading a Date's slot throws for anything else, and a throw costs microseconds)
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== OBJECT_PROTO && proto !== ARRAY_PROTO && proto !== null && (timeOf(value) !== undefined || ArrayBuffer.isView(value))) return;
    Object.freeze(value);
    keys = Reflect.ownKeys(value);
  } catch {
    return;
  }
  for (const key of keys) {
    const v = ownDataValue(value, key);
    if ((typeof v === 'object' || typeof v === 'function') && v !== null) freezeAll(v, seen);
  }
}

// ─────────────────────────────────────── iterables ───────────────────────────────────────

/**
 * Reads an iterable (array, Set, generator) into an array; anything else — or an iterable that
 * throws while it is read — is `INVALID_INPUT` at `at`, never a throw.
 *
 * @example
 * parseIterable(new Set(['a']), ['ids']) // { ok: true, value: ['a'] }
 */
export function parseIterable(input: unknown, at: readonly (string | number)[]): Result<unknown[], CrmError> {
  at = pathOf(at);
  try {
    if (typeof input === 'object' && input !== null && Symbol.iterator in input) return ok(Array.from(input as Iterable<unknown>));
  } catch (e) {
    return unreadable(e, at);
  }
  return refuse('INVALID_INPUT', {
    issues: [{ path: [...at], message: 'expected an iterable (an array, a Set, a generator)', code: 'invalid_type' }],
    summary: `${at.join('.') || '(root)'}: expected an iterable`,
  });
}

/** An iterator a source opened, and whether it is an async one. */
export interface OpenedIterator {
  readonly iterator: Iterator<unknown> | AsyncIterator<unknown>;
  readonly async: boolean;
}

/**
 * Opens a source — an async iterable first, else an iterable — once: its iterator method is
 * read and called, and must answer an object. Anything else, or a source that throws while it
 * is opened (a getter or Proxy, or a built-in behind a Proxy whose own iterator method refuses
 * it), is `undefined`: never a throw. What the iterator does afterwards is the caller's business.
 *
 * @internal
 * @example
 * openIterator(new Set([1]))?.async // false
 */
export function openIterator(source: unknown): OpenedIterator | undefined {
  try {
    if (typeof source !== 'object' || source === null) return undefined;
    const asyncMethod: unknown = (source as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator];
    const isAsync = typeof asyncMethod === 'function';
    const method: unknown = isAsync ? asyncMethod : (source as Partial<Iterable<unknown>>)[Symbol.iterator];
    if (typeof method !== 'function') return undefined;
    const iterator: unknown = method.call(source);
    return typeof iterator === 'object' && iterator !== null ? { iterator: iterator as Iterator<unknown>, async: isAsync } : undefined;
  } catch {
    return undefined;
  }
}

/** An opened source read through `guardSource`: its items (sync or async), and whether the reading failed. */
export type GuardedSource = ({ readonly sync: Iterable<unknown>; readonly async?: undefined } | { readonly async: AsyncIterable<unknown>; readonly sync?: undefined }) & {
  /** Whether the source stopped answering as an iterator (see `guardSource`). */
  failed(): boolean;
};

/** Whether a `next` answer is an iterator result object. */
const isStep = (r: unknown): r is IteratorResult<unknown> => typeof r === 'object' && r !== null;

/**
 * The items of an opened source, read through a guard: a `TypeError` from its `next` or its
 * `return` — what the engine throws when a built-in iterator behind a Proxy (a generator, an
 * array or a Map iterator) refuses the proxy as a receiver — or an answer that is not an
 * iterator result ends the reading, and `failed()` says so: the caller answers `INVALID_INPUT`.
 * Any other error the source throws (a failed database cursor) propagates. A reading stopped
 * early still calls the source's `return`, so a cursor closes.
 *
 * @internal
 * @example
 * const source = guardSource(openIterator(records)!); for (const r of source.sync ?? []) …; if (source.failed()) …
 */
export function guardSource(opened: OpenedIterator): GuardedSource {
  let failed = false;
  const stop = (e: unknown): IteratorResult<unknown> => {
    if (!(e instanceof TypeError)) throw e;
    failed = true;
    return { done: true, value: undefined };
  };
  const checked = (r: unknown): IteratorResult<unknown> => (isStep(r) ? r : stop(new TypeError('not an iterator result')));
  if (opened.async) {
    const it = opened.iterator as AsyncIterator<unknown>;
    const iterator: AsyncIterator<unknown> = {
      // one promise a step (no async wrapper around the source's own): this runs once a record
      next: () => {
        let step: unknown;
        try {
          step = it.next();
        } catch (e) {
          return Promise.resolve(stop(e));
        }
        return Promise.resolve(step).then(checked, stop);
      },
      return: async (value?: unknown) => {
        try {
          if (typeof it.return === 'function') await it.return(value);
        } catch (e) {
          stop(e);
        }
        return { done: true, value };
      },
    };
    return { async: { [Symbol.asyncIterator]: () => iterator }, failed: () => failed };
  }
  const it = opened.iterator as Iterator<unknown>;
  const iterator: Iterator<unknown> = {
    next: () => {
      try {
        return checked(it.next());
      } catch (e) {
        return stop(e);
      }
    },
    return: (value?: unknown) => {
      try {
        if (typeof it.return === 'function') it.return(value);
      } catch (e) {
        stop(e);
      }
      return { done: true, value };
    },
  };
  return { sync: { [Symbol.iterator]: () => iterator }, failed: () => failed };
}

/**
 * A plain object: created by a literal, `JSON.parse` or `Object.create(null)` — what the batch
 * paths may read in place instead of parsing a copy. Never throws.
 *
 * @example
 * isPlainObject({ a: 1 }) // true
 * isPlainObject(new Map()) // false
 */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null) return false;
  let proto: unknown;
  try {
    proto = Object.getPrototypeOf(x);
  } catch {
    return false;
  }
  return proto === OBJECT_PROTO || proto === null;
}
