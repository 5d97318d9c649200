/**
 * Trust at the boundary, for every function `crm-rules/pricing` exports (found by enumerating
 * the module, so a new export is covered without editing this file): any argument — garbage
 * from `fc.anything()`, or a valid input mutated (NaN, ±Infinity, −0, bigints, 2^53 + 1, lone
 * surrogates, NUL, `__proto__` / `constructor` keys, throwing getters, Proxies, frozen and
 * null-prototype objects, invalid, extreme and Date-like Dates, huge strings) — gives a Result:
 * no throw except the caller's own getter or Proxy trap, no input changed or frozen, an ok value
 * frozen all the way down with finite numbers, valid Dates and amounts ≥ 0, no prototype
 * polluted. And a quote the rules returned cannot be changed into a lie they accept.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as pricing from '../../src/pricing/index.js';
import {
  approveQuote,
  createQuote,
  submitQuote,
  type ApprovalPolicyInput,
  type NewQuoteInput,
  type Quote,
  type QuoteChange,
} from '../../src/pricing/index.js';
import { value } from '../support.js';

/* ------------------------------------------------------------------ valid inputs (CPQ practice) */

const now = new Date('2026-06-01T02:00:00Z');
const ctx = (actorId = 'rep-li') => ({ actorId, now: new Date(now) });

const policy = (): ApprovalPolicyInput => ({
  levels: [
    { id: 'teamLead', name: '组长', approvers: ['lead-zhang'] },
    { id: 'finance', approvers: ['fin-wu'] },
  ],
  rules: [
    { id: 'over-10', level: 'teamLead', when: { kind: 'lineDiscountAbove', percent: '10' } },
    { id: 'over-20', level: 'finance', when: { kind: 'lineDiscountAbove', percent: '20' } },
    { id: 'special', level: 'teamLead', when: { kind: 'belowFloor' } },
    { id: 'big', level: 'finance', when: { kind: 'totalAbove', amount: '100000' } },
  ],
});

const pricingInput = () => ({
  currency: 'CNY',
  lines: [
    { id: 'l1', productId: 'P-1', quantity: '10', listPrice: '100', floorPrice: '60', discount: { kind: 'percent', percent: '15' } },
    { id: '__proto__', productId: 'P-2', quantity: '60', listPrice: '19.99', tiers: { mode: 'slab', bands: [{ from: '0', percentOff: '0' }, { from: '10', percentOff: '10' }, { from: '50', price: '15' }] } },
    { id: 'constructor', productId: 'P-3', quantity: '2.5', listPrice: '12.345', contractPrice: '11', discount: { kind: 'amount', amount: '1' }, taxPercent: '6' },
  ],
  orderDiscount: { kind: 'percent', percent: '5', base: 'net' },
  tax: { percent: '13', mode: 'exclusive', rounding: 'perRate' },
});

const newQuote = (id = 'Q-1'): NewQuoteInput => ({ id, ownerId: 'rep-li', customerId: 'C-1', ...(pricingInput() as Omit<NewQuoteInput, 'id' | 'ownerId'>) });

/** Quotes the rules made, in each status a step starts from. */
function quotes() {
  const draft = value(createQuote(newQuote(), ctx())).quote;
  const pending = value(submitQuote(draft, policy(), ctx())).quote;
  const approved = value(approveQuote(pending, policy(), ctx('lead-zhang'))).quote;
  return { draft, pending, approved };
}

/** Valid argument lists per function; a function without any is driven from the pool of every valid input. */
function validCalls(): Record<string, unknown[][]> {
  const { draft, pending, approved } = quotes();
  const stored = (q: Quote) => JSON.parse(JSON.stringify(q)) as Quote;
  return {
    priceQuote: [[pricingInput()], [draft]],
    priceQuoteAmounts: [[pricingInput()], [approved]],
    requiredApprovals: [[pricingInput(), policy()], [stored(draft), policy()]],
    defineApprovalPolicy: [[policy()]],
    createQuote: [[newQuote(), ctx()]],
    editQuote: [[draft, { orderDiscount: { kind: 'amount', amount: '10', base: 'total' }, lines: pricingInput().lines }, ctx()], [stored(approved), { customerId: null }, ctx()]],
    submitQuote: [[draft, policy(), ctx()], [stored(draft), policy(), ctx()]],
    approveQuote: [[pending, policy(), ctx('lead-zhang')], [stored(pending), policy(), ctx('lead-zhang')]],
    rejectQuote: [[pending, policy(), '折扣超出授权', ctx('lead-zhang')]],
    returnQuote: [[stored(pending), policy(), '请补充交付条款', ctx('lead-zhang')]],
    cancelQuote: [[draft, ctx()], [stored(pending), ctx()]],
    diffQuotes: [[draft, approved], [stored(draft), stored(approved)]],
    convertQuote: [
      [approved, policy(), { kind: 'order', id: 'SO-1', repricing: { lineDiscounts: JSON.parse('{"__proto__": {"kind":"percent","percent":"8"}, "l1": null}') } }, ctx()],
      [stored(approved), policy(), { kind: 'contract', id: 'CT-1', repricing: { lineDiscounts: new Map([['constructor', { kind: 'salePrice', price: '10' }]]), orderDiscount: null } }, ctx()],
    ],
    reuseQuote: [[approved, { id: 'Q-2', ownerId: 'rep-wang' }, ctx()], [stored(approved), stored(draft), ctx()]],
  };
}

/* ------------------------------------------------------------------ hostile values */

/** What the caller's own getters and traps throw: the only throw a door may pass on. */
class HostileError extends Error {}
/** Objects whose reading may throw or lie (the checks below never look inside them). */
const hostile = new WeakSet<object>();
const mark = <T extends object>(o: T): T => {
  hostile.add(o);
  return o;
};
const boom = () => {
  throw new HostileError('the caller’s own trap');
};

const throwingProxy = (target: object) =>
  mark(
    new Proxy(target, {
      get: boom,
      has: boom,
      ownKeys: boom,
      getOwnPropertyDescriptor: boom,
      getPrototypeOf: boom,
      isExtensible: boom,
      preventExtensions: boom,
      set: boom,
      defineProperty: boom,
      deleteProperty: boom,
    }),
  );
/** A Proxy that only forwards (reads like its target; its target is a fresh copy). */
const quietProxy = (target: object) => new Proxy(target, {});

class FlakyDate extends Date {
  private reads = 0;
  override getTime(): number {
    return this.reads++ % 2 === 0 ? super.getTime() : Number.NaN;
  }
  override valueOf(): number {
    return this.getTime();
  }
}

/**
 * A value made when the property runs, not when fast-check generates it (fast-check reads what
 * it generates — a throwing Proxy would trip it), printed by its label in a counterexample.
 */
type Make = (() => unknown) & { readonly label: string };
const make = (label: string, f: () => unknown): Make => Object.assign(f, { label, [fc.toStringMethod]: () => label });
const constant = (label: string, v: unknown) => make(label, () => v);

/** Replacement values: every kind of wrong a host or an attacker may send. */
const hostileValue: fc.Arbitrary<Make> = fc.oneof(
  fc.constantFrom(
    constant('NaN', Number.NaN),
    constant('Infinity', Number.POSITIVE_INFINITY),
    constant('-Infinity', Number.NEGATIVE_INFINITY),
    constant('-0', -0),
    constant('0', 0),
    constant('-1', -1),
    constant('0.1', 0.1),
    constant('2^53+1', 2 ** 53 + 1),
    constant('MAX_SAFE_INTEGER', Number.MAX_SAFE_INTEGER),
    constant('10n', 10n),
    constant('-(2n^64n)', -(2n ** 64n)),
    constant("''", ''),
    constant("' '", ' '),
    constant("'-1'", '-1'),
    constant("'-0'", '-0'),
    constant("'1e3'", '1e3'),
    constant("'0.1'", '0.1'),
    constant('NUL', '\u0000'),
    constant('a NUL b', 'a\u0000b'),
    constant('lone high surrogate', '\uD800'),
    constant('lone low surrogate', 'x\uDC00'),
    constant("'__proto__'", '__proto__'),
    constant("'constructor'", 'constructor'),
    constant("'toString'", 'toString'),
    constant("'CNY'", 'CNY'),
    constant("'XXX'", 'XXX'),
    constant('null', null),
    constant('undefined', undefined),
    constant('true', true),
    make('[]', () => []),
    make('{}', () => ({})),
    make('a huge string', () => 'x'.repeat(200_000)),
    make('a null-prototype object', () => Object.create(null)),
    make('a frozen object', () => Object.freeze({ a: 1 })),
    make('__proto__ and constructor keys', () => JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}')),
    make('Invalid Date', () => new Date(Number.NaN)),
    make('the last Date', () => new Date(8.64e15)),
    make('the first Date', () => new Date(-8.64e15)),
    make('a Date-like object', () => Object.create(Date.prototype)),
    make('a Proxy of a Date', () => mark(new Proxy(new Date(now), {}))),
    make('a Date whose getTime changes', () => mark(new FlakyDate(now))),
    make('a throwing Proxy', () => throwingProxy({})),
    make('a throwing getter', () => mark(Object.defineProperty({}, 'id', { get: boom, enumerable: true }))),
    make('2,000 nested arrays', () => {
      let deep: unknown = 'end';
      for (let i = 0; i < 2000; i++) deep = [deep];
      return deep;
    }),
    make('a symbol', () => Symbol('s')),
  ),
  fc
    .anything({ withBigInt: true, withDate: true, withNullPrototype: true, withMap: true, withSet: true, withBoxedValues: true, withSparseArray: true, withTypedArray: true, withUnicodeString: true })
    .map((v) => make(fc.stringify(v), () => v)),
);

/* ------------------------------------------------------------------ mutating a valid input */

/** A deep copy a test may change (plain objects, arrays, Maps, Dates): never a quote the rules made, so it is parsed. */
function copy(v: unknown): unknown {
  if (v instanceof Date) return new Date(v.getTime());
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, copy(x)]));
  if (Array.isArray(v)) return v.map(copy);
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) Object.defineProperty(out, k, { value: copy((v as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v;
}

type Slot = { parent: Record<PropertyKey, unknown> | Map<unknown, unknown>; key: unknown };

/** Every place in a copied value where a value sits (object properties, array items, Map entries). */
function slots(root: unknown): Slot[] {
  const out: Slot[] = [];
  const walk = (v: unknown) => {
    if (v instanceof Date || typeof v !== 'object' || v === null) return;
    if (v instanceof Map) {
      for (const [k, x] of v) {
        out.push({ parent: v, key: k });
        walk(x);
      }
      return;
    }
    for (const k of Object.keys(v)) {
      out.push({ parent: v as Record<string, unknown>, key: k });
      walk((v as Record<string, unknown>)[k]);
    }
  };
  walk(root);
  return out;
}

const read = (s: Slot): unknown => (s.parent instanceof Map ? s.parent.get(s.key) : s.parent[s.key as string]);
const write = (s: Slot, x: unknown) => {
  if (s.parent instanceof Map) s.parent.set(s.key, x);
  else Object.defineProperty(s.parent, s.key as string, { value: x, enumerable: true, writable: true, configurable: true });
};

const OPERATIONS = ['replace', 'remove', 'protoKey', 'constructorKey', 'getter', 'throwingProxy', 'quietProxy', 'freeze', 'nullPrototype', 'wholeArgument'] as const;
type Operation = (typeof OPERATIONS)[number];

/** Applies one mutation to argument `argIndex` of a copy of `args`; the other arguments stay as they were (quotes the rules made stay trusted). */
function mutate(args: readonly unknown[], argIndex: number, op: Operation, where: number, x: unknown): unknown[] {
  const out = [...args];
  const i = argIndex % Math.max(1, out.length);
  if (op === 'wholeArgument' || out.length === 0) {
    out[i] = x;
    return out;
  }
  const root = copy(out[i]);
  out[i] = root;
  const all = slots(root);
  if (all.length === 0) {
    out[i] = x;
    return out;
  }
  const s = all[where % all.length]!;
  const current = read(s);
  const container = (): Record<string, unknown> | null =>
    typeof current === 'object' && current !== null && !(current instanceof Date) && !(current instanceof Map) ? (current as Record<string, unknown>) : null;
  switch (op) {
    case 'replace':
      write(s, x);
      break;
    case 'remove':
      if (s.parent instanceof Map) s.parent.delete(s.key);
      else if (Array.isArray(s.parent)) s.parent.length = Math.max(0, Number(s.key));
      else delete s.parent[s.key as string];
      break;
    case 'protoKey':
    case 'constructorKey': {
      const c = container();
      if (c !== null) Object.defineProperty(c, op === 'protoKey' ? '__proto__' : 'constructor', { value: x, enumerable: true, writable: true, configurable: true });
      else write(s, x);
      break;
    }
    case 'getter':
      if (s.parent instanceof Map) write(s, x);
      else {
        Object.defineProperty(s.parent, s.key as string, { get: boom, enumerable: true, configurable: true });
        mark(s.parent);
      }
      break;
    case 'throwingProxy':
      write(s, throwingProxy(container() ?? {}));
      break;
    case 'quietProxy':
      write(s, container() !== null ? quietProxy(current as object) : x);
      break;
    case 'freeze':
      if (container() !== null) Object.freeze(current);
      else write(s, x);
      break;
    case 'nullPrototype': {
      const c = container();
      if (c !== null && !Array.isArray(c)) write(s, Object.assign(Object.create(null), c));
      else write(s, x);
      break;
    }
  }
  return out;
}

/* ------------------------------------------------------------------ what must hold after a call */

const OBJECT_PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype).join();
const ARRAY_PROTO_NAMES = Object.getOwnPropertyNames(Array.prototype).join();

/**
 * Everything observable about the arguments, without calling a getter or a trap of the caller's
 * hostile objects: shape, values, Dates' time values, frozen and extensible flags, prototypes.
 */
function snapshot(roots: readonly unknown[]): string {
  const ids = new Map<unknown, number>();
  const out: string[] = [];
  const id = (v: unknown): [number, boolean] => {
    const known = ids.get(v);
    if (known !== undefined) return [known, true];
    ids.set(v, ids.size);
    return [ids.size - 1, false];
  };
  const protoName = (p: object | null) =>
    p === null ? 'null' : p === Object.prototype ? 'Object' : p === Array.prototype ? 'Array' : p === Date.prototype ? 'Date' : p === Map.prototype ? 'Map' : `#${id(p)[0]}`;
  const walk = (v: unknown, depth: number): void => {
    if (typeof v === 'symbol') return void out.push(`sym${id(v)[0]}`);
    if (typeof v !== 'object' || v === null) {
      if (typeof v === 'function') return void out.push(`fn${id(v)[0]}`);
      return void out.push(`${typeof v}:${Object.is(v, -0) ? '-0' : String(v)}`);
    }
    const [n, seen] = id(v);
    if (seen) return void out.push(`@${n}`);
    if (hostile.has(v) || depth > 3000) return void out.push(`hostile${n}`);
    out.push(`{${n} frozen:${Object.isFrozen(v)} extensible:${Object.isExtensible(v)} proto:${protoName(Object.getPrototypeOf(v))}`);
    // (instanceof first: a caught throw per object would cost more than the whole walk)
    if (v instanceof Date) {
      try {
        out.push(`time:${Date.prototype.getTime.call(v)}`);
      } catch {
        out.push('Date-like');
      }
    }
    if (v instanceof Map) {
      try {
        for (const [k, x] of Map.prototype.entries.call(v)) {
          walk(k, depth + 1);
          walk(x, depth + 1);
        }
      } catch {
        out.push('Map-like');
      }
    }
    if (v instanceof Set) {
      try {
        for (const x of Set.prototype.values.call(v)) walk(x, depth + 1);
      } catch {
        out.push('Set-like');
      }
    }
    for (const k of Reflect.ownKeys(v)) {
      const d = Object.getOwnPropertyDescriptor(v, k)!;
      out.push(`${typeof k === 'symbol' ? `sym${id(k)[0]}` : JSON.stringify(k)}:${d.enumerable ? 'e' : ''}${d.configurable ? 'c' : ''}${d.writable ? 'w' : ''}`);
      if ('value' in d) walk(d.value, depth + 1);
      else out.push(`accessor:${id(d.get)[0]}/${id(d.set)[0]}`);
    }
    out.push('}');
  };
  for (const r of roots) walk(r, 0);
  return out.join(' ');
}

/** Dates reachable from the arguments outside the quotes the rules made (a caller's own Dates). */
function callersDates(roots: readonly unknown[], ours: WeakSet<object>): Set<Date> {
  const dates = new Set<Date>();
  const seen = new Set<unknown>();
  const walk = (v: unknown, depth: number) => {
    if (typeof v !== 'object' || v === null || seen.has(v) || hostile.has(v) || ours.has(v) || depth > 3000) return;
    seen.add(v);
    if (v instanceof Date) return void dates.add(v);
    for (const k of Reflect.ownKeys(v)) {
      const d = Object.getOwnPropertyDescriptor(v, k)!;
      if ('value' in d) walk(d.value, depth + 1);
    }
  };
  for (const r of roots) walk(r, 0);
  return dates;
}

const MONEY_KEYS = 'currency,minor';

/** An ok value: frozen all the way down, finite numbers, valid Dates none of them the caller's, amounts whole and ≥ 0. */
function checkOk(v: unknown, callers: Set<Date>, path: string, seen = new Set<unknown>()): void {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`${path}: ${v}`);
    return;
  }
  if (typeof v !== 'object' || v === null || seen.has(v)) return;
  seen.add(v);
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) throw new Error(`${path}: an Invalid Date`);
    if (callers.has(v)) throw new Error(`${path}: the caller's own Date`);
    return;
  }
  if (!Object.isFrozen(v)) throw new Error(`${path}: not frozen`);
  const keys = Object.keys(v);
  if (keys.sort().join() === MONEY_KEYS) {
    const minor = (v as { minor: unknown }).minor;
    const whole = typeof minor === 'bigint' || Number.isSafeInteger(minor);
    if (!whole || (minor as number | bigint) < 0) throw new Error(`${path}: an amount of ${String(minor)} minor units`);
  }
  if (v instanceof Map) for (const [k, x] of v) checkOk(x, callers, `${path}.get(${String(k)})`, seen);
  for (const k of Reflect.ownKeys(v)) {
    const d = Object.getOwnPropertyDescriptor(v, k)!;
    if (!('value' in d)) throw new Error(`${path}.${String(k)}: an accessor`);
    checkOk(d.value, callers, `${path}.${String(k)}`, seen);
  }
}

const CODES = /^(INVALID_INPUT|PRICING_[A-Z_]+)$/;

/** Exports that hand their argument back as it is (typing helpers): no Result, the argument itself. */
const IDENTITIES: ReadonlySet<string> = new Set(['defineApprovalPolicy']);

/** Calls `fn` on `args` and checks everything the boundary promises; returns the Result (or 'hostile'). */
function callAndCheck(name: string, fn: (...a: unknown[]) => unknown, args: unknown[], ours: WeakSet<object>): unknown {
  const before = snapshot(args);
  const callers = callersDates(args, ours);
  let r: unknown;
  try {
    r = fn(...args);
  } catch (e) {
    if (!(e instanceof HostileError)) throw new Error(`${name} threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    r = 'hostile';
  }
  expect(snapshot(args), `${name} changed or froze an argument`).toBe(before);
  expect(Object.getOwnPropertyNames(Object.prototype).join()).toBe(OBJECT_PROTO_NAMES);
  expect(Object.getOwnPropertyNames(Array.prototype).join()).toBe(ARRAY_PROTO_NAMES);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  if (r === 'hostile') return r;
  if (IDENTITIES.has(name)) {
    expect(r, `${name} returns its argument`).toBe(args[0]);
    return { ok: true, value: r };
  }
  const res = r as { ok: unknown; value?: unknown; error?: { code: unknown; message: unknown } };
  expect(typeof res === 'object' && res !== null, `${name} returned ${String(r)}`).toBe(true);
  if (res.ok === true) checkOk(res.value, callers, name);
  else {
    expect(res.ok).toBe(false);
    expect(String(res.error!.code)).toMatch(CODES);
    expect(typeof res.error!.message).toBe('string');
  }
  return r;
}

/* ------------------------------------------------------------------ the properties */

/** Runs scale with FUZZ_SCALE (default 1: about 7,000 calls, seconds; a long run sets e.g. 150 for a million). */
const SCALE = Math.max(1, Number(process.env.FUZZ_SCALE ?? 1) || 1);

/**
 * Runs a property `runs` times in rounds of 1,000, yielding between rounds so a long run never
 * holds the test worker's event loop for minutes (each round has its own seed, printed on failure).
 */
async function inRounds<T extends [unknown, ...unknown[]]>(runs: number, property: fc.IProperty<T>): Promise<void> {
  for (let done = 0; done < runs; done += 1000) {
    fc.assert(property, { numRuns: Math.min(1000, runs - done) });
    await new Promise((resolve) => setImmediate(resolve));
  }
}

type AnyFunction = (...a: unknown[]) => unknown;
const exported = (Object.entries(pricing) as [string, unknown][]).filter((e): e is [string, AnyFunction] => typeof e[1] === 'function');

/** Objects the rules made (their quotes, frozen): the callers' Dates are looked for outside them. */
function oursIn(calls: Record<string, unknown[][]>): WeakSet<object> {
  const ours = new WeakSet<object>();
  for (const list of Object.values(calls))
    for (const args of list)
      for (const a of args) if (typeof a === 'object' && a !== null && Object.isFrozen(a)) ours.add(a);
  return ours;
}

describe('properties', () => {
  it('finds the functions to drive: every one pricing exports', () => {
    expect(exported.map(([n]) => n).sort()).toEqual(expect.arrayContaining(Object.keys(validCalls()).sort()));
  });

  it('any arguments at all (fc.anything) give a Result, never a throw, change no argument and pollute nothing', async () => {
    const calls = validCalls();
    const ours = oursIn(calls);
    await inRounds(
      3000 * SCALE,
      fc.property(fc.constantFrom(...exported), fc.array(hostileValue, { maxLength: 5 }), ([name, fn], makes) => {
        callAndCheck(name, fn, makes.map((m) => m()), ours);
      }),
    );
  }, 600_000 * SCALE);

  it('a valid input mutated anywhere (a value replaced or removed, __proto__ keys, getters, Proxies, frozen, null-prototype) gives a Result with every promise kept', async () => {
    const calls = validCalls();
    const ours = oursIn(calls);
    const pool = Object.values(calls).flatMap((list) => list.flat());
    const arb = fc.record({
      fn: fc.constantFrom(...exported),
      pick: fc.nat(),
      fromPool: fc.array(fc.nat(), { maxLength: 5 }),
      argIndex: fc.nat(),
      op: fc.constantFrom(...OPERATIONS),
      where: fc.nat(),
      x: hostileValue,
    });
    await inRounds(
      4000 * SCALE,
      fc.property(arb, ({ fn: [name, fn], pick, fromPool, argIndex, op, where, x }) => {
        const known = calls[name];
        const base = known !== undefined ? known[pick % known.length]! : fromPool.map((k) => pool[k % pool.length]);
        callAndCheck(name, fn, mutate(base, argIndex, op, where, x()), ours);
      }),
    );
  }, 600_000 * SCALE);

  it('every valid call succeeds, and its value passes every check (the mutations start from real successes)', () => {
    const calls = validCalls();
    const ours = oursIn(calls);
    for (const [name, list] of Object.entries(calls)) {
      const fn = (pricing as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!;
      for (const args of list) {
        const r = callAndCheck(name, fn, args, ours) as { ok: boolean; error?: { code: string; message: string } };
        expect(r.ok, `${name}: ${r.error?.code} ${r.error?.message}`).toBe(true);
      }
    }
  });

  /** Every step that takes a stored quote, with the quote in the place given. */
  const stepsTaking = (q: Quote): [string, () => { ok: boolean; error?: { code: string } }][] => [
    ['editQuote', () => pricing.editQuote(q, {}, ctx())],
    ['submitQuote', () => pricing.submitQuote(q, policy(), ctx())],
    ['approveQuote', () => pricing.approveQuote(q, policy(), ctx('lead-zhang'))],
    ['rejectQuote', () => pricing.rejectQuote(q, policy(), 'no', ctx('lead-zhang'))],
    ['returnQuote', () => pricing.returnQuote(q, policy(), 'fix', ctx('lead-zhang'))],
    ['cancelQuote', () => pricing.cancelQuote(q, ctx())],
    ['diffQuotes', () => pricing.diffQuotes(q, q)],
    ['convertQuote', () => pricing.convertQuote(q, policy(), { kind: 'order', id: 'SO-9' }, ctx())],
    ['reuseQuote (source)', () => pricing.reuseQuote(q, { id: 'Q-9', ownerId: 'rep' }, ctx())],
    ['reuseQuote (target)', () => pricing.reuseQuote(quotes().draft, q, ctx())],
  ];

  /** A record each step returns, fresh. */
  const returned: [string, () => QuoteChange][] = [
    ['createQuote', () => value(createQuote(newQuote(), ctx()))],
    ['submitQuote', () => value(submitQuote(quotes().draft, policy(), ctx()))],
    ['approveQuote', () => value(approveQuote(quotes().pending, policy(), ctx('lead-zhang')))],
    ['rejectQuote', () => value(pricing.rejectQuote(quotes().pending, policy(), '折扣超出授权', ctx('lead-zhang')))],
    ['returnQuote', () => value(pricing.returnQuote(quotes().pending, policy(), '请补充交付条款', ctx('lead-zhang')))],
    ['editQuote (a revision)', () => value(pricing.editQuote(quotes().approved, { orderDiscount: null }, ctx()))],
    ['cancelQuote', () => value(pricing.cancelQuote(quotes().approved, ctx()))],
    ['reuseQuote', () => value(pricing.reuseQuote(quotes().approved, quotes().draft, ctx()))],
  ];

  it('a trusted lie: nothing reachable from a returned record can be set, pushed or deleted; a Date set in place makes the quote a stranger, refused when Invalid', () => {
    fc.assert(
      fc.property(fc.constantFrom(...returned), fc.nat(), fc.constantFrom(Number.NaN, 8.64e15 + 1, 0), ([, make], pick, time) => {
        const change = make();
        // every object reachable: frozen (no set, no delete, no new key, no push)
        const dates: Date[] = [];
        const seen = new Set<unknown>();
        const walk = (v: unknown) => {
          if (v instanceof Date) return void dates.push(v); // every place a Date sits, so a shared one shows twice
          if (typeof v !== 'object' || v === null || seen.has(v)) return;
          seen.add(v);
          for (const k of Reflect.ownKeys(v)) {
            expect(Reflect.set(v, k, 'changed')).toBe(false);
            expect(Reflect.deleteProperty(v, k)).toBe(false);
            walk((v as Record<PropertyKey, unknown>)[k]);
          }
          expect(Reflect.defineProperty(v, 'added', { value: 1 })).toBe(false);
          if (Array.isArray(v)) expect(() => (v as unknown[]).push(1)).toThrow(TypeError);
        };
        walk(change);
        // Dates: no two places share one (setting one changes nothing else), the archived revision's included
        expect(dates.length).toBeGreaterThan(1);
        expect(new Set(dates).size).toBe(dates.length);
        // the quote's own Dates, one set in place: never accepted as it was
        const q = change.quote;
        const ownDates = [q.createdAt, q.updatedAt, ...q.approval.signatures.map((s) => s.at), ...(q.approval.decision ? [q.approval.decision.at] : [])];
        const d = ownDates[pick % ownDates.length]!;
        const was = d.getTime();
        d.setTime(time);
        for (const [step, run] of stepsTaking(change.quote)) {
          const r = run();
          if (Number.isNaN(time) || Math.abs(time) > 8.64e15) {
            expect(r.ok, `${step} accepted a quote with an Invalid Date`).toBe(false);
            expect(r.error!.code, step).toBe('INVALID_INPUT');
          } else if (r.ok) {
            // re-validated: what comes back is a new record read from the changed one, never the object handed in
            const out = (r as unknown as { value: Record<string, unknown> }).value;
            expect(Object.values(out)).not.toContain(change.quote);
          }
        }
        d.setTime(was);
      }),
      { numRuns: 60 },
    );
  }, 600_000);
});
