/**
 * Reading values that come from outside — a form, a database row, another service, a hostile
 * object — without ever throwing: a bigint, a symbol, a Proxy whose traps throw, a getter that
 * throws, a cyclic object, a Date-like object that is not a Date. What the library cannot read
 * is simply "not there" (or "not a Date"), and a refusal can always describe what it was given.
 */

/** How deep `describeValue` looks into nested objects and arrays. */
const DESCRIBE_DEPTH = 2;
/** How many entries of an object or array `describeValue` shows. */
const DESCRIBE_ENTRIES = 10;
/** How many characters of a string `describeValue` shows. */
const DESCRIBE_STRING = 100;
/** The longest description `describeValue` returns. */
const DESCRIBE_LENGTH = 300;

const DATE_GET_TIME = Date.prototype.getTime;
const OBJECT_PROTO = Object.prototype;
const ARRAY_PROTO = Array.prototype;
const DATE_TO_ISO = Date.prototype.toISOString;

/**
 * The time value of a real `Date` (its internal slot, read once through
 * `Date.prototype.getTime`, so an overridden `getTime` is not consulted), NaN for an Invalid
 * Date, or `undefined` for anything that is not a Date — `Object.create(Date.prototype)`, a
 * Proxy of a Date, a plain object. Never throws.
 *
 * @example
 * timeOf(new Date(0)) // 0
 * timeOf(Object.create(Date.prototype)) // undefined (so is a Date whose prototype was replaced)
 */
export function timeOf(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  try {
    // a plain object or an array is no Date: answered without the throw a non-Date costs
    // (microseconds, on paths that walk whole records)
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === OBJECT_PROTO || proto === ARRAY_PROTO || proto === null) return undefined;
    return DATE_GET_TIME.call(value);
  } catch {
    return undefined;
  }
}

/**
 * The value of an own data property, or `undefined` when there is none, it is a getter (never
 * called), or the object will not say (a Proxy whose trap throws). Never throws.
 *
 * @example
 * ownDataValue({ a: 1 }, 'a') // 1
 * ownDataValue({ get a() { throw new Error(); } }, 'a') // undefined
 */
export function ownDataValue(value: unknown, key: PropertyKey): unknown {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  try {
    const descriptor = Reflect.getOwnPropertyDescriptor(value, key);
    return descriptor !== undefined && 'value' in descriptor ? descriptor.value : undefined;
  } catch {
    return undefined;
  }
}

const NUL_OR_SURROGATE = /[\u0000\uD800-\uDFFF]/;
const NUL_OR_LONE_SURROGATE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The string with every NUL and lone surrogate replaced by U+FFFD, so it can be stored as
 * PostgreSQL text and encoded as UTF-8 (internal: messages never carry them).
 *
 * @example
 * storableText('a\u0000b') // 'a\uFFFDb'
 */
export function storableText(s: string): string {
  return NUL_OR_SURROGATE.test(s) ? s.replace(NUL_OR_LONE_SURROGATE, '\uFFFD') : s;
}

function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max;
  // do not cut a surrogate pair in half
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return `${s.slice(0, end)}…`;
}

function describeString(s: string): string {
  // JSON.stringify of a string never throws and escapes NUL and lone surrogates.
  return JSON.stringify(truncate(s, DESCRIBE_STRING));
}

function describeKey(key: string | symbol): string {
  return typeof key === 'string' ? describeString(key) : `[${describeSymbol(key)}]`;
}

function describeSymbol(s: symbol): string {
  return storableText(truncate(s.toString(), DESCRIBE_STRING));
}

function describeInner(value: unknown, depth: number, seen: object[]): string {
  switch (typeof value) {
    case 'string':
      return describeString(value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'boolean':
      return String(value);
    case 'undefined':
      return 'undefined';
    case 'symbol':
      return describeSymbol(value);
    case 'function':
      return '[function]';
  }
  if (value === null) return 'null';
  const obj = value as object;
  const t = timeOf(obj);
  if (t !== undefined) return t === t ? describeString(DATE_TO_ISO.call(new Date(t))) : 'Invalid Date';
  if (seen.includes(obj)) return '[cycle]';
  let isArray: boolean;
  try {
    isArray = Array.isArray(obj);
  } catch {
    return '[unreadable]'; // a revoked Proxy
  }
  if (depth >= DESCRIBE_DEPTH) return isArray ? '[…]' : '{…}';
  seen.push(obj);
  try {
    if (isArray) {
      const length = ownDataValue(obj, 'length');
      const n = typeof length === 'number' ? length : 0;
      const parts: string[] = [];
      for (let i = 0; i < n && i < DESCRIBE_ENTRIES; i++) parts.push(describeEntry(obj, i, depth, seen));
      if (n > DESCRIBE_ENTRIES) parts.push(`… ${n - DESCRIBE_ENTRIES} more`);
      return `[${parts.join(',')}]`;
    }
    let keys: (string | symbol)[];
    try {
      keys = Reflect.ownKeys(obj);
    } catch {
      return '[unreadable]';
    }
    const parts: string[] = [];
    let shown = 0;
    for (const key of keys) {
      if (shown === DESCRIBE_ENTRIES) {
        parts.push('…');
        break;
      }
      let enumerable = false;
      try {
        enumerable = Reflect.getOwnPropertyDescriptor(obj, key)?.enumerable === true;
      } catch {
        enumerable = true; // a trap that throws: show it as unreadable
      }
      if (!enumerable) continue;
      parts.push(`${describeKey(key)}:${describeEntry(obj, key, depth, seen)}`);
      shown++;
    }
    return `{${parts.join(',')}}`;
  } finally {
    seen.pop();
  }
}

function describeEntry(obj: object, key: PropertyKey, depth: number, seen: object[]): string {
  let descriptor: PropertyDescriptor | undefined;
  try {
    descriptor = Reflect.getOwnPropertyDescriptor(obj, key);
  } catch {
    return '[unreadable]';
  }
  if (descriptor === undefined) return 'undefined';
  if (!('value' in descriptor)) return '[getter]';
  return describeInner(descriptor.value, depth + 1, seen);
}

/**
 * A short, JSON-like description of any value for a refusal's message: strings quoted, bigints
 * as `10n`, symbols, Dates as ISO strings, objects and arrays a few levels deep (symbol keys
 * shown, getters never called, cycles and unreadable Proxies named), at most a few hundred
 * characters, and never a NUL or a lone surrogate. Never throws — unlike `JSON.stringify`,
 * which throws on a bigint or a cycle.
 *
 * @example
 * describeValue(10n) // '10n'
 * describeValue({ currency: Symbol('x') }) // '{"currency":Symbol(x)}'
 */
export function describeValue(value: unknown): string {
  return storableText(truncate(describeInner(value, 0, []), DESCRIBE_LENGTH));
}
