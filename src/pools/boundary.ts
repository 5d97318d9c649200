import { timeOf } from '../core/foreign.js';

/*
 * Trust at the boundary, for the pools module: what a rule returns is frozen all the way down
 * and shares no object — and no `Date` — with what the caller passed in, nor one `Date` between
 * two of its fields. The shared helpers (`deepFreeze`, `zoned`, `invalidAt`) are the core's; this
 * file holds the one thing the pools need besides: a copy of data a caller hands over as it is
 * (a record to show or to map into a view, a store's refusal details, the extra data of a pool
 * event).
 */

/** Deeper nesting than any stored record has is not data (and neither is a cycle). */
const MAX_DEPTH = 32;
/** More values than any one record holds is not data. */
const MAX_NODES = 100_000;
const OBJECT_PROTO = Object.prototype;
const DATE_PROTO = Date.prototype;

/**
 * What a lenient copy puts where the original held something that is not data: a symbol, which
 * every schema of the pools refuses where a field, an instant or an attribute is expected.
 */
const NOT_DATA: unique symbol = Symbol('not data (left out of a copy)');

/** A copy, or where and why the value is not data. */
export type Copied = { readonly value: unknown } | { readonly issue: { readonly path: (string | number)[]; readonly message: string } };

interface Walk {
  nodes: number;
  /** Lenient: what is not data becomes `NOT_DATA` (an Invalid Date a new Invalid Date), never an issue. */
  readonly lenient: boolean;
}

/**
 * A deep, frozen copy of JSON-shaped data — strings, finite numbers, booleans, null, undefined,
 * bigints, valid `Date`s (each copied into a `Date` of its own), arrays and plain objects (own
 * enumerable data properties) — read once; or the first place it is not such data: a getter
 * (never called), a symbol or function, NaN or ±Infinity, an Invalid Date or a Date-like object,
 * a Map or class instance, a `__proto__` key, nesting deeper than 32 levels (or a cycle), more
 * than 100,000 values, or an object that throws when read (a Proxy). Never throws.
 *
 * @internal
 * @example
 * copyData({ at: new Date(0), tags: ['vip'] }, ['record']) // { value: a frozen copy with its own Date }
 * copyData({ m: new Map() }, ['record']) // { issue: { path: ['record', 'm'], message: '…' } }
 */
export function copyData(value: unknown, path: readonly (string | number)[] = []): Copied {
  try {
    return copy(value, [...path], { nodes: 0, lenient: false }, 0);
  } catch {
    return { issue: { path: [...path], message: 'the value could not be read' } };
  }
}

/**
 * A copy like `copyData`'s for a mapping that never refuses: each place that is not data holds
 * `NOT_DATA` instead (an Invalid Date a new Invalid Date; a `__proto__` key is kept as an own
 * key), so the rules' schemas refuse the copy exactly where they would refuse the original —
 * never a default filled in for something left out. Never throws.
 *
 * @internal
 * @example
 * copyLeniently({ a: 1, m: new Map() }) // { a: 1, m: NOT_DATA }, frozen
 */
export function copyLeniently(value: unknown): unknown {
  try {
    const c = copy(value, [], { nodes: 0, lenient: true }, 0);
    return 'issue' in c ? NOT_DATA : c.value;
  } catch {
    return NOT_DATA; // a Proxy whose trap throws
  }
}

/**
 * The own enumerable string-keyed fields of a value, each copied leniently (`copyLeniently`: a
 * getter is not called, it is `NOT_DATA`), in a new unfrozen object; an empty object for a value
 * that is not an object or cannot be read. Never throws.
 *
 * @internal
 * @example
 * copiedFields({ id: 'C-1', ownedSince: date }).ownedSince !== date // true
 */
export function copiedFields(value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof value !== 'object' || value === null) return out;
  try {
    for (const key of Object.keys(value)) {
      const v = own(value, key);
      // defineProperty: a key named __proto__ stays a field (for the rules to refuse)
      Object.defineProperty(out, key, { value: v === GETTER ? NOT_DATA : copyLeniently(v), enumerable: true, writable: true, configurable: true });
    }
  } catch {
    return {}; // a Proxy whose trap throws
  }
  return out;
}

/**
 * One own field of a value, copied leniently (`copyLeniently`): `undefined` when there is no
 * such own field, `NOT_DATA` for a getter (never called) or an object that throws when read.
 * Never throws.
 *
 * @internal
 * @example
 * copiedField(lead, 'ownedSince') // a Date of its own, or null, or NOT_DATA
 */
export function copiedField(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  let v: unknown;
  try {
    v = own(value, key);
  } catch {
    return NOT_DATA;
  }
  return v === GETTER ? NOT_DATA : copyLeniently(v);
}

function copy(value: unknown, path: (string | number)[], walk: Walk, depth: number): Copied {
  const notData = (at: (string | number)[], message: string): Copied => (walk.lenient ? { value: NOT_DATA } : { issue: { path: at, message } });
  if (++walk.nodes > MAX_NODES) return notData(path, `more than ${MAX_NODES} values: not data`);
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return { value };
    case 'number':
      return Number.isFinite(value) ? { value } : notData(path, `${value} is not a number data can hold`);
    case 'symbol':
    case 'function':
      return notData(path, `a ${typeof value} is not data`);
  }
  if (value === null) return { value };
  if (depth >= MAX_DEPTH) return notData(path, `nested deeper than ${MAX_DEPTH} levels (or a cycle): not data`);
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === DATE_PROTO) {
    const t = timeOf(value);
    if (t === undefined) return notData(path, 'a Date-like object is not a Date');
    if (t === t) return { value: new Date(t) };
    return walk.lenient ? { value: new Date(Number.NaN) } : notData(path, 'an Invalid Date');
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0, n = value.length; i < n; i++) {
      const v = own(value, i);
      const c = v === GETTER ? notData([...path, i], GETTER_MESSAGE) : copy(v, [...path, i], walk, depth + 1);
      if ('issue' in c) return c;
      out.push(c.value);
    }
    return { value: Object.freeze(out) };
  }
  if (proto !== OBJECT_PROTO && proto !== null) return notData(path, 'only plain objects, arrays, Dates and scalars are data');
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value as object)) {
    if (key === '__proto__' && !walk.lenient) return notData([...path, key], 'the field name __proto__ cannot be used');
    const v = own(value as object, key);
    const c = v === GETTER ? notData([...path, key], GETTER_MESSAGE) : copy(v, [...path, key], walk, depth + 1);
    if ('issue' in c) return c;
    Object.defineProperty(out, key, { value: c.value, enumerable: true, writable: true, configurable: true });
  }
  return { value: Object.freeze(out) };
}

const GETTER: unique symbol = Symbol('getter');
const GETTER_MESSAGE = 'a getter is not data (it is not called)';

/** A property's value if it is a data property, `GETTER` for an accessor (never called). */
function own(value: object, key: string | number): unknown {
  const d = Reflect.getOwnPropertyDescriptor(value, key);
  if (d !== undefined && !('value' in d)) return GETTER;
  return d?.value;
}
