/**
 * The boundary harness the leads and pools fuzz suites share: hostile values, mutations of valid
 * inputs, and the checks every call must pass — it answers (a Result or the documented return),
 * never throws unless the caller's own getter or proxy did, leaves its inputs as they were (not
 * changed, not frozen), pollutes no prototype, and its ok outputs are deep-frozen with no NaN,
 * no Invalid Date, no caller object inside.
 */
import fc from 'fast-check';
import { types } from 'node:util';
import { expect, it } from 'vitest';
import { ALL_ERROR_CODES, CURRENCY_EXPONENTS } from '../../src/core/index.js';

/** Thrown by the caller's own getters, proxies and iterators: the one throw a door may pass on. */
export class HostileError extends Error {
  constructor() {
    super('thrown by the caller’s own getter or proxy');
    this.name = 'HostileError';
  }
}

const hostileThrow = (): never => {
  throw new HostileError();
};

const intrinsicGetTime = Date.prototype.getTime;

/** The time of a real Date (its own slot, no override), or undefined for anything else. */
export function timeOf(x: unknown): number | undefined {
  try {
    return intrinsicGetTime.call(x as Date);
  } catch {
    return undefined;
  }
}

/** How often each FlippingDate was read (kept outside it: reading it changes none of its own properties). */
const flips = new WeakMap<Date, number>();

/** A Date whose getTime answers a valid time, then NaN, then the time again… */
class FlippingDate extends Date {
  override getTime(): number {
    const n = flips.get(this) ?? 0;
    flips.set(this, n + 1);
    return n % 2 === 1 ? Number.NaN : super.getTime();
  }
  override valueOf(): number {
    return this.getTime();
  }
}

function nested(depth: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { v };
  return v;
}

const KEYS = ['id', 'status', 'now', 'actor', 'policy', 'zone', 'poolId', 'ownerId', 'attributes', 'type', 'kind', 'currency', 'minor'];

/** Factories (fresh values each time: a door that wrongly mutates one cannot poison the next run). */
const HOSTILE: readonly (() => unknown)[] = [
  () => Number.NaN,
  () => Number.POSITIVE_INFINITY,
  () => Number.NEGATIVE_INFINITY,
  () => -0,
  () => 2 ** 53 + 1,
  () => Number.MAX_VALUE,
  () => -1,
  () => 0.5,
  () => 1e21,
  () => 10n,
  () => 2n ** 64n,
  () => -(2n ** 80n),
  () => '',
  () => ' ',
  () => '\u0000',
  () => 'a\u0000b',
  () => '\uD800',
  () => 'x\uDFFFy',
  () => 'x'.repeat(100_001),
  () => '__proto__',
  () => 'constructor',
  () => 'toString',
  () => 'Mars/Olympus_Mons',
  () => 'ABC',
  () => '2026-03-02T01:00:00Z',
  () => '2026-02-30T25:00:00Z',
  () => '+275760-09-13T00:00:00.000Z',
  () => '-271821-04-20T00:00:00.000Z',
  () => '0000-01-01T00:00:00Z',
  () => '9999-12-31T23:59:59.999Z',
  () => true,
  () => null,
  () => undefined,
  () => Symbol('s'),
  () => new Date(Number.NaN),
  () => new Date(8.64e15),
  () => new Date(-8.64e15),
  () => new Date(-62198755200000), // year -1
  () => new Date(253402300800000), // year 10000
  () => new Date('2026-03-02T01:00:00Z'),
  () => Object.create(Date.prototype),
  () => new Proxy(new Date('2026-03-02T01:00:00Z'), {}),
  () => new FlippingDate('2026-03-02T01:00:00Z'),
  () => ({}),
  () => Object.freeze({}),
  () => Object.create(null),
  () => Object.freeze(Object.create(null)),
  () => JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'),
  () => ({ constructor: { prototype: { polluted: true } } }),
  () => [],
  () => Object.freeze([1]),
  // eslint-disable-next-line no-sparse-arrays
  () => [, 1],
  () => Object.assign(['a'], { extra: 2 }),
  () => Object.defineProperties({}, Object.fromEntries(KEYS.map((k) => [k, { get: hostileThrow, enumerable: true }]))),
  () =>
    new Proxy(
      {},
      {
        get: hostileThrow,
        has: hostileThrow,
        ownKeys: hostileThrow,
        getOwnPropertyDescriptor: hostileThrow,
        getPrototypeOf: hostileThrow,
        set: hostileThrow,
        defineProperty: hostileThrow,
        deleteProperty: hostileThrow,
        isExtensible: hostileThrow,
        preventExtensions: hostileThrow,
      },
    ),
  () => new Proxy([1, 2], { get: hostileThrow }),
  () => {
    let n = 0;
    return Object.defineProperties({}, Object.fromEntries(KEYS.map((k) => [k, { get: () => (n++ % 2 ? 'rep-li' : 42), enumerable: true }])));
  },
  () => ({ [Symbol('k')]: 1, id: 'x' }),
  () => () => 1,
  () => new Map([['a', 1]]),
  () => new Set([1]),
  () => new Uint8Array(2),
  // built-ins behind a Proxy: their own iterator methods refuse the proxy as a receiver (a TypeError
  // from the engine when the iterable is opened, not from the caller's code)
  () => new Proxy(new Uint8Array(2), {}),
  () => new Proxy(new Map([['a', 1]]), {}),
  () => new Proxy(new Set([1]), {}),
  () => new Proxy([1].values(), {}),
  () =>
    new Proxy(
      (function* () {
        yield 1;
      })(),
      {},
    ),
  () => Promise.resolve(1),
  () =>
    (function* () {
      yield 1;
      hostileThrow();
    })(),
  () => nested(5_000),
  () => {
    const o: Record<string, unknown> = { id: 'x' };
    o.self = o;
    return o;
  },
];

/**
 * A hostile value to make: fast-check only ever sees the recipe (it reads generated values, and
 * a proxy whose traps throw would blow up in fast-check itself), the call gets the value.
 */
export class Hostile {
  constructor(readonly index: number) {}
  make(): unknown {
    return HOSTILE[this.index]!();
  }
  toString(): string {
    return `Hostile#${this.index}(${HOSTILE[this.index]!.toString().slice(0, 80)})`;
  }
}

/** Any hostile value, as a recipe (see `Hostile`; `materialize` makes it). */
export const hostileArb: fc.Arbitrary<Hostile> = fc.integer({ min: 0, max: HOSTILE.length - 1 }).map((i) => new Hostile(i));

/** The value of a recipe (fresh), or the value itself. */
export const materialize = (x: unknown): unknown => (!types.isProxy(x) && x instanceof Hostile ? x.make() : x);

/** `fc.anything()` with every kind of value it can make, or a hostile one. */
export const garbageArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withObjectString: true,
    withSparseArray: true,
    withTypedArray: true,
  }),
  hostileArb,
);

/* ------------------------------------------------------------------ mutations */

const isPlainish = (x: unknown): x is Record<string | symbol, unknown> =>
  typeof x === 'object' && x !== null && !types.isProxy(x) && (Array.isArray(x) || Object.getPrototypeOf(x) === Object.prototype || Object.getPrototypeOf(x) === null);

/** A deep copy of plain data (objects, arrays, Dates); anything else is shared. */
export function copyData<T>(x: T, depth = 0): T {
  if (depth > 50) return x;
  if (x instanceof Date && !types.isProxy(x) && Object.getPrototypeOf(x) === Date.prototype) return new Date(intrinsicGetTime.call(x)) as T;
  if (!isPlainish(x)) return x;
  if (Array.isArray(x)) return x.map((v) => copyData(v, depth + 1)) as T;
  const out: Record<string, unknown> = Object.getPrototypeOf(x) === null ? Object.create(null) : {};
  for (const k of Object.keys(x)) Object.defineProperty(out, k, { value: copyData(x[k], depth + 1), enumerable: true, writable: true, configurable: true });
  return out as T;
}

/** An own data property's value (a getter is not called: undefined). */
const dataOf = (x: object, k: string): unknown => {
  const d = Object.getOwnPropertyDescriptor(x, k);
  return d && 'value' in d ? d.value : undefined;
};

type Slot = { readonly parent: Record<string | symbol, unknown>; readonly key: string } | null;

/** Every (parent, key) slot of a plain data tree, the root first (null), to pick one to mutate. */
function slotsOf(root: unknown): Slot[] {
  const slots: Slot[] = [null];
  const walk = (x: unknown, depth: number) => {
    if (depth > 8 || !isPlainish(x)) return;
    for (const k of Object.keys(x)) {
      slots.push({ parent: x, key: k });
      walk(dataOf(x, k), depth + 1);
    }
  };
  walk(root, 0);
  return slots;
}

const MUTATIONS = ['replace', 'delete', 'addKey', 'proxy', 'freeze', 'nullProto', 'throwingGetter', 'dateSet', 'dateLike'] as const;
type MutationKind = (typeof MUTATIONS)[number];

/** One mutation of one argument: which slot (by seed), what to do, with which hostile value. */
export interface Mutation {
  readonly arg: number;
  readonly slot: number;
  readonly kind: MutationKind;
  readonly value: unknown;
  readonly key: string;
  readonly time: number;
}

export const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  arg: fc.nat(),
  slot: fc.nat(),
  kind: fc.constantFrom(...MUTATIONS),
  value: hostileArb,
  key: fc.constantFrom('__proto__', 'constructor', 'extra', 'toString', 'valueOf', 'hasOwnProperty'),
  time: fc.constantFrom(Number.NaN, 8.64e15, -8.64e15, 0, Date.parse('2020-01-01T00:00:00Z'), Date.parse('2030-01-01T00:00:00Z')),
});

function transform(node: unknown, m: Mutation): unknown {
  switch (m.kind) {
    case 'replace':
      return materialize(m.value);
    case 'proxy':
      return typeof node === 'object' && node !== null ? new Proxy(node, {}) : materialize(m.value);
    case 'freeze':
      return typeof node === 'object' && node !== null && !types.isProxy(node) ? Object.freeze(node) : node;
    case 'nullProto': {
      if (!isPlainish(node) || Array.isArray(node)) return node;
      const out = Object.create(null) as Record<string, unknown>;
      for (const k of Object.keys(node)) Object.defineProperty(out, k, { value: dataOf(node, k), enumerable: true, writable: true, configurable: true });
      return out;
    }
    case 'dateLike':
      return timeOf(node) !== undefined ? (m.time === m.time ? new FlippingDate(timeOf(node)!) : Object.create(Date.prototype)) : materialize(m.value);
    case 'dateSet':
      if (timeOf(node) !== undefined && !types.isProxy(node)) Date.prototype.setTime.call(node, m.time);
      return node;
    default:
      return node;
  }
}

/** Applies mutations to a copy of the arguments (the valid originals are left as they were). */
export function mutate(args: readonly unknown[], mutations: readonly Mutation[]): unknown[] {
  const out = args.map((a) => copyData(a));
  for (const m of mutations) {
    if (out.length === 0) return out;
    try {
      apply(out, m);
    } catch {
      // a mutation that cannot apply (a getter or a proxy in the way) is skipped
    }
  }
  return out;
}

function apply(out: unknown[], m: Mutation): void {
  const i = m.arg % out.length;
  const slots = slotsOf(out[i]);
  const slot = slots[m.slot % slots.length]!;
  if (slot === null) {
    if (m.kind === 'delete') out[i] = undefined;
    else if (m.kind === 'addKey' || m.kind === 'throwingGetter') {
      if (isPlainish(out[i]) && Object.isExtensible(out[i])) addKey(out[i] as Record<string, unknown>, m);
    } else out[i] = transform(out[i], m);
    return;
  }
  const { parent, key } = slot;
  if (!Object.isExtensible(parent) || Object.isFrozen(parent)) return;
  switch (m.kind) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      break;
    case 'addKey':
    case 'throwingGetter':
      if (isPlainish(dataOf(parent, key)) && Object.isExtensible(dataOf(parent, key))) addKey(dataOf(parent, key) as Record<string, unknown>, m);
      else if (m.kind === 'throwingGetter') Object.defineProperty(parent, key, { get: hostileThrow, enumerable: true, configurable: true });
      break;
    default:
      Object.defineProperty(parent, key, { value: transform(dataOf(parent, key), m), enumerable: true, writable: true, configurable: true });
  }
}

function addKey(target: Record<string, unknown>, m: Mutation): void {
  if (m.kind === 'throwingGetter') {
    const keys = Object.keys(target);
    const k = keys.length > 0 ? keys[m.slot % keys.length]! : m.key;
    Object.defineProperty(target, k, { get: hostileThrow, enumerable: true, configurable: true });
    return;
  }
  Object.defineProperty(target, m.key, { value: materialize(m.value), enumerable: true, writable: true, configurable: true });
}

/** Calls a Date setter on a Date reachable from a value the rules returned (no copy: the trusted value itself). */
export function tamperDates(value: unknown, seed: number, time: number): boolean {
  const dates: Date[] = [];
  const seen = new Set<unknown>();
  const walk = (x: unknown) => {
    if (typeof x !== 'object' || x === null || seen.has(x) || types.isProxy(x)) return;
    seen.add(x);
    if (x instanceof Date) return void dates.push(x);
    for (const k of Object.keys(x)) walk((x as Record<string, unknown>)[k]);
  };
  walk(value);
  if (dates.length === 0) return false;
  dates[seed % dates.length]!.setTime(time);
  return true;
}

/* ------------------------------------------------------------------ checks */

interface NodeSnap {
  readonly proto: object | null | 'opaque';
  readonly extensible: boolean;
  readonly frozen: boolean;
  readonly keys: readonly (string | symbol)[];
  readonly values: readonly unknown[];
  readonly time: number | undefined;
  readonly entries: readonly unknown[] | undefined;
}

/** Every object reachable from `roots` through own properties (proxies are not looked into). */
export function snapshot(roots: readonly unknown[]): Map<object, NodeSnap> {
  const snaps = new Map<object, NodeSnap>();
  const stack: unknown[] = [...roots];
  while (stack.length > 0) {
    const x = stack.pop();
    if ((typeof x !== 'object' && typeof x !== 'function') || x === null || snaps.has(x) || types.isProxy(x)) continue;
    const keys = Reflect.ownKeys(x);
    const values: unknown[] = [];
    for (const k of keys) {
      const d = Reflect.getOwnPropertyDescriptor(x, k)!;
      if ('value' in d) {
        values.push(d.value);
        stack.push(d.value);
      } else values.push(d.get, d.set);
    }
    let entries: unknown[] | undefined;
    if (x instanceof Map) entries = [...Map.prototype.entries.call(x)].flat();
    else if (x instanceof Set) entries = [...Set.prototype.values.call(x)];
    if (entries) stack.push(...entries);
    snaps.set(x, {
      proto: Object.getPrototypeOf(x),
      extensible: Object.isExtensible(x),
      frozen: Object.isFrozen(x),
      keys,
      values,
      time: timeOf(x),
      entries,
    });
  }
  return snaps;
}

/** The first difference between two snapshots of the same inputs, or null. */
export function diffSnapshots(before: Map<object, NodeSnap>, after: Map<object, NodeSnap>): string | null {
  for (const [node, a] of before) {
    const b = after.get(node);
    if (b === undefined) return `an input object is no longer reachable (keys ${a.keys.map(String).join(',')})`;
    if (a.proto !== b.proto) return 'an input object changed prototype';
    if (a.extensible !== b.extensible || a.frozen !== b.frozen) return `an input object was frozen or sealed (keys ${a.keys.map(String).join(',')})`;
    if (a.keys.length !== b.keys.length || a.keys.some((k, i) => k !== b.keys[i])) return `an input object's keys changed: ${a.keys.map(String)} → ${b.keys.map(String)}`;
    if (a.values.length !== b.values.length || a.values.some((v, i) => !Object.is(v, b.values[i]))) return `an input object's values changed (keys ${a.keys.map(String).join(',')})`;
    if (!Object.is(a.time, b.time)) return `an input Date changed: ${a.time} → ${b.time}`;
    if (a.entries && (a.entries.length !== b.entries?.length || a.entries.some((v, i) => !Object.is(v, b.entries![i])))) return 'an input Map or Set changed';
  }
  return null;
}

const PROTOTYPES: readonly object[] = [Object.prototype, Array.prototype, Function.prototype, Date.prototype, String.prototype, Number.prototype, Map.prototype];
const PROTOTYPE_KEYS = PROTOTYPES.map((p) => Reflect.ownKeys(p).length);

/** Whether a prototype of the realm got a new (or lost a) key. */
export function pollution(): string | null {
  for (let i = 0; i < PROTOTYPES.length; i++) {
    if (Reflect.ownKeys(PROTOTYPES[i]!).length !== PROTOTYPE_KEYS[i]) return `prototype ${i} polluted`;
  }
  return null;
}

const CODES = new Set<string>(ALL_ERROR_CODES);

/** Why an error is not a well-formed library refusal, or null. */
export function badError(e: unknown): string | null {
  if (typeof e !== 'object' || e === null) return 'the error is not an object';
  const { code, message, details } = e as { code?: unknown; message?: unknown; details?: unknown };
  if (typeof code !== 'string' || !CODES.has(code)) return `unknown error code ${String(code)}`;
  if (typeof message !== 'string') return 'the error has no message';
  if (typeof details !== 'object' || details === null) return 'the error has no details';
  if (!Object.isFrozen(e)) return 'the error is not frozen';
  return null;
}

/**
 * Why a value is not deep-frozen plain data: a mutable object or array, a NaN, an Invalid Date, a
 * proxy or function inside, an amount that is not whole minor units of a known currency — or null.
 * Dates cannot be frozen (their setters ignore `Object.freeze`): they must be valid, and a value
 * the rules trust again is re-validated when one of its Dates changed (the trusted-lie tests).
 */
export function notDeepFrozen(value: unknown, path = '(value)', seen = new Set<unknown>()): string | null {
  if (typeof value === 'number') return Number.isNaN(value) ? `${path} is NaN` : null;
  if (typeof value === 'function') return `${path} is a function`;
  if (typeof value !== 'object' || value === null) return null;
  if (seen.has(value)) return null;
  seen.add(value);
  if (types.isProxy(value)) return `${path} is a proxy (a caller object inside an output)`;
  if (value instanceof Date) {
    const t = timeOf(value);
    return t === undefined || !Number.isFinite(t) ? `${path} is an Invalid Date` : Object.getPrototypeOf(value) === Date.prototype ? null : `${path} is a Date-like object`;
  }
  if (!Object.isFrozen(value)) return `${path} is not frozen`;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) return `${path} is not plain data`;
  const record = value as Record<string, unknown>;
  if ('minor' in record && 'currency' in record && Object.keys(record).length === 2) {
    const { minor, currency } = record;
    if (!(typeof minor === 'bigint' || Number.isSafeInteger(minor)) || Object.is(minor, -0)) return `${path}.minor is not whole minor units`;
    if (typeof currency !== 'string' || !Object.hasOwn(CURRENCY_EXPONENTS, currency)) return `${path}.currency is not a known currency`;
  }
  for (const k of Reflect.ownKeys(value)) {
    const d = Reflect.getOwnPropertyDescriptor(value, k)!;
    if (!('value' in d)) return `${path}.${String(k)} is a getter`;
    const bad = notDeepFrozen(d.value, `${path}.${String(k)}`, seen);
    if (bad) return bad;
  }
  return null;
}

/** Why `out` is not a Result as documented (a well-formed refusal, or a deep-frozen value), or null. */
export function badResult(out: unknown): string | null {
  if (typeof out !== 'object' || out === null) return `not a Result: ${String(out)}`;
  const r = out as { ok?: unknown; value?: unknown; error?: unknown };
  if (r.ok === true) return notDeepFrozen(r.value, 'value');
  if (r.ok === false) return badError(r.error);
  return 'not a Result (no ok flag)';
}

/**
 * Whether a throw is the caller's own: a getter, a proxy trap or an iterator of theirs — or a
 * transparent proxy of a built-in with internal slots (a `Map`, a typed array), which the
 * built-in's own methods refuse as an "incompatible receiver" (the caller's proxy cannot be used
 * as what it wraps; an iterable source that throws is passed on, as documented).
 */
export function isCallersThrow(e: unknown): boolean {
  if (e instanceof TypeError && /incompatible receiver/.test(e.message)) return true;
  return e instanceof HostileError || (e instanceof Error && e.cause instanceof HostileError);
}

/** How many calls `checkCall` checked in this process (every one passed, or the test failed). */
export const calls = { count: 0 };

/** What a function promises to return. */
export type Returns =
  | { readonly kind: 'result' }
  | { readonly kind: 'promiseResult' }
  | { readonly kind: 'asyncResults' }
  | { readonly kind: 'asyncPages' }
  | { readonly kind: 'value'; readonly check: (out: unknown) => string | null };

/**
 * Calls `fn` with `args` and checks the call: its return against `returns`, the inputs against
 * their snapshot, the realm's prototypes. Throws (fails the property) with the reason otherwise.
 */
export async function checkCall(name: string, fn: (...a: unknown[]) => unknown, argsIn: readonly unknown[], returns: Returns): Promise<void> {
  // Let the event loop turn now and then: a long property made of microtasks alone would starve
  // the test runner's own messages (vitest's worker RPC times out on a busy machine).
  if (++calls.count % 25 === 0) await new Promise((resolve) => setImmediate(resolve));
  const args = argsIn.map(materialize);
  const before = snapshot(args);
  const fail = (why: string): never => {
    throw new Error(`${name}: ${why}`);
  };
  let problem: string | null = null;
  try {
    const out = fn(...args);
    switch (returns.kind) {
      case 'result':
        problem = badResult(out);
        break;
      case 'promiseResult': {
        if (!(out instanceof Promise)) fail('did not return a promise');
        problem = badResult(await out);
        break;
      }
      case 'asyncResults':
      case 'asyncPages': {
        const it = out as AsyncIterable<unknown>;
        if (typeof it !== 'object' || it === null || typeof (it as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] !== 'function') fail('did not return an async iterable');
        let n = 0;
        for await (const item of it) {
          if (returns.kind === 'asyncResults') problem = badResult(item);
          else if (!Array.isArray(item) || !Object.isFrozen(item)) problem = 'a page is not a frozen array';
          else for (const r of item) problem ??= badResult(r);
          if (problem || ++n >= 200) break;
        }
        break;
      }
      case 'value':
        problem = returns.check(out);
        break;
    }
  } catch (e) {
    if (isCallersThrow(e)) return;
    fail(`threw ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e)}`);
  }
  if (problem) fail(problem);
  const changed = diffSnapshots(before, snapshot(args));
  if (changed) fail(changed);
  const polluted = pollution();
  if (polluted) fail(polluted);
}

/** How many runs: `FUZZ_RUNS` (the long run) or the default. */
export const runs = (base: number): number => {
  const n = Number(process.env.FUZZ_RUNS);
  return Number.isFinite(n) && n > 0 ? n : base;
};

/** The exported functions of a module namespace, by name. */
export function functionsOf(module: Record<string, unknown>): string[] {
  return Object.keys(module)
    .filter((k) => typeof module[k] === 'function' && !isSchemaLike(module[k]))
    .sort();
}

function isSchemaLike(x: unknown): boolean {
  return typeof x === 'object' && x !== null && 'safeParse' in x;
}

/** Checks a value answer: one of the allowed primitives. */
export const oneOf =
  (...allowed: readonly unknown[]) =>
  (out: unknown): string | null =>
    allowed.some((a) => Object.is(a, out)) ? null : `returned ${String(out)}`;

/** Checks a frozen array answer whose elements pass `each`. */
export const frozenArrayOf =
  (each: (x: unknown) => boolean) =>
  (out: unknown): string | null => {
    if (!Array.isArray(out)) return 'not an array';
    const bad = notDeepFrozen(out);
    if (bad) return bad;
    return out.every(each) ? null : `unexpected element in ${JSON.stringify(out)}`;
  };

/** One exported function's promise and valid arguments to mutate. */
export interface ExportSpec {
  readonly returns: Returns;
  readonly valid: fc.Arbitrary<readonly unknown[]>;
}

/**
 * The fuzz a door's suite runs over its exports: every export has a spec (and every spec an
 * export), and each is called with anything, with valid arguments mutated, and with valid
 * arguments as they are (`onValid` sees each of those answers). Registers vitest tests in the
 * current `describe`.
 */
export function fuzzExports(
  exported: readonly string[],
  specs: Readonly<Record<string, ExportSpec>>,
  call: (name: string) => (...a: unknown[]) => unknown,
  onValid?: (out: unknown) => void,
): void {
  it('every exported function has a spec (a new export is fuzzed or this fails)', () => {
    expect(exported.filter((n) => !(n in specs))).toEqual([]);
    expect(Object.keys(specs).filter((n) => !exported.includes(n))).toEqual([]);
  });
  for (const name of exported) {
    const spec = specs[name];
    if (!spec) continue;
    it(`${name}: anything, and valid inputs mutated`, async () => {
      await fc.assert(fc.asyncProperty(fc.array(garbageArb, { maxLength: 5 }), async (args) => checkCall(name, call(name), args, spec.returns)), { numRuns: runs(60) });
      await fc.assert(
        fc.asyncProperty(spec.valid, fc.array(mutationArb, { minLength: 1, maxLength: 3 }), async (valid, mutations) => checkCall(name, call(name), mutate(valid, mutations), spec.returns)),
        { numRuns: runs(100) },
      );
      await fc.assert(
        fc.asyncProperty(spec.valid, async (valid) => {
          await checkCall(name, call(name), valid, spec.returns);
          if (onValid) onValid(call(name)(...valid));
        }),
        { numRuns: runs(40) },
      );
    }, 600_000);
  }
}
