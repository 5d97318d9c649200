/**
 * The boundary promise, checked over every export: each subpath the package exports (read from
 * package.json, so a new subpath or a new export is covered without editing this file) is loaded
 * from its source, and each exported function is called with hostile arguments — anything
 * fast-check makes (bigints, null-prototype objects, sparse arrays, typed arrays, Dates, Maps,
 * Sets…) and values built to break doors (NaN, ±Infinity, −0, 2^53+1, lone surrogates, NUL,
 * `__proto__`/`constructor` keys, throwing getters, Proxies, frozen objects, invalid and extreme
 * Dates, unknown zones and currencies, deep nesting, long strings). For every call:
 * - no throw, and no rejected promise (a getter or proxy of the caller's that throws is the
 *   caller's own: such arguments are only checked for not being swallowed into a wrong answer);
 * - no argument changed or frozen;
 * - nothing added to Object.prototype;
 * - an ok Result's value holds no NaN and no Invalid Date, and is frozen all the way down.
 *
 * - an ok Result's value holds no Date outside the supported range (years 0001–9999), no Date
 *   of the caller's (every Date an answer holds is its own), and no amount whose `minor` is not
 *   a safe integer.
 *
 * `FUZZ_RUNS` sets the calls per function (default 1,000: about a minute on a quiet machine);
 * `npm run fuzz` runs 4,000 per function (over a million calls) and prints the figures.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as kit from '../../src/testing/index.js';
import { MAX_INSTANT_MS, MIN_INSTANT_MS } from '../../src/core/validation.js';

const root = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);

/** The source file of a subpath: `./dedupe` → src/dedupe/index.ts, `./memory` → src/adapters/memory/index.ts. */
function sourceOf(subpath: string): string | null {
  const entry = pkg.exports[subpath] as { import?: { default?: string } } | undefined;
  const dist = entry?.import?.default;
  if (typeof dist !== 'string' || !dist.endsWith('.js')) return null;
  return join(root, dist.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts'));
}

/**
 * What each exported function documents it throws: the error classes named by `@throws {Class}`
 * in its JSDoc (the plain-value kernel functions throw `InvariantError` on values no parser
 * made; the contract suites throw `ContractArgumentError`). Read from the sources, so the
 * documentation is what is tested: an undocumented throw, or a documented function throwing
 * anything else, fails.
 */
const DOCUMENTED_THROWS: ReadonlyMap<string, ReadonlySet<string>> = (() => {
  const out = new Map<string, Set<string>>();
  const files = (readdirSync(join(root, 'src'), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
  for (const file of files) {
    const text = readFileSync(join(root, 'src', file), 'utf8');
    for (const m of text.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export (?:async )?function (\w+)/g)) {
      const classes = [...m[1]!.matchAll(/@throws \{(\w+)\}/g)].map((t) => t[1]!);
      if (classes.length > 0) out.set(m[2]!, new Set(classes));
    }
  }
  return out;
})();

/** Whether `name` documents throwing what it threw. */
const documentedThrow = (name: string, e: unknown): boolean =>
  e instanceof Error && (DOCUMENTED_THROWS.get(name)?.has(e.constructor.name) ?? false);

/** Exports whose job is to freeze their argument (its contents must still be unchanged). */
const FREEZES_ITS_ARGUMENT: ReadonlySet<string> = new Set(['deepFreeze']);

/**
 * Exports whose ok value is the caller's own data by design (the building blocks a host writes
 * its own doors with): they must not throw, but their value is not frozen for them.
 */
const CALLERS_VALUE: ReadonlySet<string> = new Set(['ok', 'parseIterable', 'parseInput']);

/**
 * Exports whose ok value is a stored document as it was written (the storage codec): checked
 * like any answer, except that `{ currency, minor }` in it is the host's data, not an amount.
 */
const STORED_DATA: ReadonlySet<string> = new Set(['decodeDocument']);

/** Functions already driven under another subpath (the root re-exports the modules). */
const driven = new Set<unknown>();

const isClass = (f: unknown): boolean => typeof f === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(f));

/** Hostile values built by hand (fast-check's `anything` covers the rest). */
const hostile = (): unknown[] => {
  const throwing = Object.defineProperty({}, 'id', {
    enumerable: true,
    get() {
      throw new Error('caller getter');
    },
  });
  return [
    NaN,
    Infinity,
    -Infinity,
    -0,
    2 ** 53 + 1,
    -(2 ** 53) - 1,
    10n ** 30n,
    '\uD800',
    'a\u0000b',
    'x'.repeat(100_000),
    JSON.parse('{"__proto__": {"polluted": true}, "id": "A"}'),
    { constructor: 'x', toString: 1, valueOf: null },
    Object.create(null),
    Object.freeze({ id: 'A', object: 'lead', fields: {} }),
    new Date(NaN),
    new Date(8.64e15),
    new Date(-8.64e15),
    Object.create(Date.prototype),
    new Proxy(new Date(), {}),
    { currency: 10n, minor: 1 },
    { currency: 'ABC', minor: -0 },
    { timeZone: 'Mars/Olympus' },
    JSON.parse('['.repeat(2000) + ']'.repeat(2000)),
    [1, , 3],
    Symbol('s'),
    { [Symbol('k')]: 1 },
    throwing,
    new Proxy({}, { get: () => { throw new Error('caller proxy'); }, ownKeys: () => { throw new Error('caller proxy'); } }),
  ];
};

/**
 * Valid inputs, for mutation: every valid arbitrary the testing kit exports (found by name, so a
 * new one joins without editing this file) and the README's pricing and payments inputs.
 */
const validArbs: fc.Arbitrary<unknown>[] = [
  ...Object.entries(kit)
    .filter(([name, f]) => /Arb$/.test(name) && !/^invalid/.test(name) && typeof f === 'function')
    .map(([, f]) => (f as () => unknown)())
    .filter((a): a is fc.Arbitrary<unknown> => a instanceof fc.Arbitrary),
  fc.constantFrom<() => unknown>(
    () => ({ currency: 'CNY', amount: '1234.56' }),
    () => ({ currency: 'JPY', minor: 1234 }),
    () => ({ actorId: 'rep-li', now: new Date('2026-06-01T02:00:00Z') }),
    () => ({
      id: 'Q-1',
      ownerId: 'rep-li',
      customerId: 'C-1',
      currency: 'CNY',
      lines: [
        { id: 'l1', productId: 'P-1', quantity: '10', listPrice: '100', floorPrice: '60', discount: { kind: 'percent', percent: '15' } },
        { id: 'l2', productId: 'P-2', quantity: '60', listPrice: '19.99', tiers: { mode: 'slab', bands: [{ from: '0', percentOff: '0' }, { from: '10', percentOff: '10' }] } },
      ],
      orderDiscount: { kind: 'percent', percent: '5', base: 'net' },
      tax: { percent: '13', mode: 'exclusive', rounding: 'perRate' },
    }),
    () => ({
      levels: [{ id: 'teamLead', name: '组长', approvers: ['lead-zhang'] }],
      rules: [{ id: 'over-10', level: 'teamLead', when: { kind: 'lineDiscountAbove', percent: '10' } }],
    }),
    () => ({ now: new Date('2026-04-15T01:00:00Z'), actorId: 'clerk-wu', policy: { zone: 'Asia/Shanghai', writeOffTolerance: { CNY: '1.00' } } }),
    () => ({
      id: 'PP-1',
      orderId: 'SO-1',
      customerId: 'C-1',
      ownerId: 'rep-li',
      orderDate: '2026-03-02T10:00:00+08:00',
      total: { currency: 'CNY', amount: '1000.01' },
      installments: [
        { id: 'I1', percent: 30, due: { kind: 'afterOrder', days: 0 } },
        { id: 'I2', percent: '70', due: { kind: 'endOfMonth', months: 2 } },
      ],
    }),
    () => ({ id: 'P-1', customerId: 'C-1', orderId: 'SO-1', amount: { currency: 'CNY', amount: '999.99' }, receivedAt: '2026-03-05T14:00:00+08:00', method: 'bankTransfer' }),
  ).map((make) => make()),
];

/** Whether `x` is a real Date (a Proxy of one or `Object.create(Date.prototype)` is not). */
const isRealDate = (x: unknown): x is Date => {
  try {
    Date.prototype.getTime.call(x);
    return true;
  } catch {
    return false;
  }
};

/** A copy of plain data (objects, arrays, Dates; anything else shared), so mutating it touches no generator's value. */
function copy(x: unknown, depth = 0): unknown {
  try {
    return copyPlain(x, depth);
  } catch {
    return x; // a getter or a Proxy of the caller's: passed as it is
  }
}
function copyPlain(x: unknown, depth: number): unknown {
  if (typeof x !== 'object' || x === null || depth > 20) return x;
  if (isRealDate(x)) return new Date(Date.prototype.getTime.call(x));
  if (Array.isArray(x)) return x.map((v) => copy(v, depth + 1));
  const proto = Object.getPrototypeOf(x);
  if (proto !== Object.prototype && proto !== null) return x;
  const out: Record<string, unknown> = proto === null ? Object.create(null) : {};
  for (const k of Object.keys(x)) out[k] = copy((x as Record<string, unknown>)[k], depth + 1);
  return out;
}

/** Every object and array inside `x` (Dates too), with the key it sits under in its parent. */
function places(x: unknown, out: { parent: Record<string | number, unknown>; key: string | number }[] = [], depth = 0, seen = new Set<unknown>()) {
  try {
    placesIn(x, out, depth, seen);
  } catch {
    // a getter or a Proxy of the caller's: the places found so far
  }
  return out;
}
function placesIn(x: unknown, out: { parent: Record<string | number, unknown>; key: string | number }[], depth: number, seen: Set<unknown>) {
  if (typeof x !== 'object' || x === null || seen.has(x) || depth > 8 || isRealDate(x)) return out;
  seen.add(x);
  if (!Array.isArray(x) && Object.getPrototypeOf(x) !== Object.prototype && Object.getPrototypeOf(x) !== null) return out;
  for (const k of Object.keys(x)) {
    out.push({ parent: x as Record<string, unknown>, key: k });
    placesIn((x as Record<string, unknown>)[k], out, depth + 1, seen);
  }
  return out;
}

/** A valid input with one thing changed: a field removed, replaced by a hostile value, or a Date made invalid. */
const mutatedValid: fc.Arbitrary<unknown> = fc
  .tuple(fc.oneof(...validArbs), fc.nat(), fc.nat(), fc.constantFrom('remove', 'replace', 'date'))
  .map(([valid, where, what, how]) => {
    const root = copy(valid);
    const spots = places(root);
    if (spots.length === 0) return root;
    const { parent, key } = spots[where % spots.length]!;
    try {
      const here = parent[key];
      if (how === 'date' && isRealDate(here)) here.setTime(Number.NaN);
      else if (how === 'remove' && !Array.isArray(parent)) delete parent[key];
      else parent[key] = hostile()[what % HOSTILE_COUNT];
    } catch {
      // a frozen or hostile place: left as it is
    }
    return root;
  });

/**
 * What the rules returned (ok values), passed back as arguments — as they are, or with a Date
 * inside set to Invalid (the one thing a frozen record still lets a host change): the trusted-lie
 * check over every export. An ok answer holding that Invalid Date, or a NaN made from it, fails.
 */
const returned: object[] = [];
/** Where the next remembered value goes once the pool is full (a counter: the run stays reproducible). */
let replaceAt = 0;
const nextSlot = (size: number): number => (replaceAt = (replaceAt * 1103515245 + 12345) % 2 ** 31) % size;
const remember = (x: unknown) => {
  if (typeof x !== 'object' || x === null) return;
  if (returned.length < 256) returned.push(x);
  else returned[nextSlot(256)] = x;
};
const returnedArg: fc.Arbitrary<unknown> = fc.tuple(fc.nat(), fc.nat(), fc.boolean()).map(([i, j, spoil]) => {
  if (returned.length === 0) return undefined;
  const x = returned[i % returned.length]!;
  if (spoil) {
    const dates: Date[] = [];
    const walk = (v: unknown, depth: number, seen: Set<unknown>) => {
      if (typeof v !== 'object' || v === null || seen.has(v) || depth > 8) return;
      seen.add(v);
      if (isRealDate(v)) dates.push(v);
      else for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k], depth + 1, seen);
    };
    try {
      walk(x, 0, new Set());
    } catch {
      // not ours to read
    }
    if (dates.length > 0) dates[j % dates.length]!.setTime(Number.NaN);
  }
  return x;
});

const HOSTILE_COUNT = hostile().length;

const anyArg: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.anything({ withBigInt: true, withNullPrototype: true, withObjectString: true, withSparseArray: true, withTypedArray: true, withDate: true, withMap: true, withSet: true, maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 1000 }).map((i) => hostile()[i % HOSTILE_COUNT]) },
  { weight: 1, arbitrary: fc.oneof(...validArbs).map((v) => copy(v)) },
  { weight: 2, arbitrary: mutatedValid },
  { weight: 2, arbitrary: returnedArg },
);

/** A snapshot of what a value holds, for "not changed" (proxies and throwing getters are not read). */
function snapshot(x: unknown, withFrozen = true, seen = new Set<unknown>(), depth = 0): string {
  if (x === null || (typeof x !== 'object' && typeof x !== 'function')) return typeof x === 'bigint' ? `${x}n` : typeof x === 'symbol' ? x.toString() : Object.is(x, -0) ? '-0' : typeof x === 'string' ? JSON.stringify(x.length > 200 ? x.slice(0, 200) + x.length : x) : String(x);
  if (typeof x === 'function') return 'fn';
  if (seen.has(x) || depth > 40) return '…';
  seen.add(x);
  try {
    if (x instanceof Date) return `Date(${Date.prototype.getTime.call(x)})${withFrozen ? Object.isFrozen(x) : ''}`;
    const frozen = withFrozen ? Object.isFrozen(x) : '';
    if (x instanceof Map) return `Map${frozen}[${[...x.entries()].map(([k, v]) => `${snapshot(k, withFrozen, seen, depth + 1)}:${snapshot(v, withFrozen, seen, depth + 1)}`).join(',')}]`;
    if (x instanceof Set) return `Set${frozen}[${[...x].map((v) => snapshot(v, withFrozen, seen, depth + 1)).join(',')}]`;
    const keys = Reflect.ownKeys(x);
    const parts = keys.map((k) => {
      const d = Object.getOwnPropertyDescriptor(x, k)!;
      return `${String(k)}=${'value' in d ? snapshot(d.value, withFrozen, seen, depth + 1) : 'accessor'}`;
    });
    return `${Object.getPrototypeOf(x) === null ? 'null:' : ''}${frozen}{${parts.join(',')}}`;
  } catch {
    return 'unreadable';
  }
}

/** What is wrong with an ok value: a NaN, an Invalid Date, something not frozen (null: nothing). */
function flaw(x: unknown, path: string, storedData = false, seen = new Set<unknown>()): string | null {
  if (typeof x === 'number') return Number.isNaN(x) ? `${path}: NaN` : null;
  if (x === null || typeof x !== 'object') return null;
  if (seen.has(x)) return null;
  seen.add(x);
  if (x instanceof Date) {
    const t = Date.prototype.getTime.call(x);
    if (Number.isNaN(t)) return `${path}: Invalid Date`;
    return t >= MIN_INSTANT_MS && t <= MAX_INSTANT_MS ? null : `${path}: ${new Date(t).toISOString()} is outside the supported range`;
  }
  if (x instanceof Map || x instanceof Set || ArrayBuffer.isView(x)) return null;
  if (!Object.isFrozen(x)) return `${path}: not frozen`;
  const minor = Object.getOwnPropertyDescriptor(x, 'minor');
  if (!storedData && minor && 'value' in minor && typeof minor.value === 'number' && typeof (x as { currency?: unknown }).currency === 'string' && !Number.isSafeInteger(minor.value)) {
    return `${path}.minor: ${minor.value} is not a safe integer`;
  }
  for (const k of Reflect.ownKeys(x)) {
    const d = Object.getOwnPropertyDescriptor(x, k)!;
    if ('value' in d) {
      const f = flaw(d.value, `${path}.${String(k)}`, storedData, seen);
      if (f) return f;
    }
  }
  return null;
}

/** Every real Date reachable from `x` (own data properties, not through getters or proxies). */
function datesIn(x: unknown, out = new Set<Date>(), seen = new Set<unknown>(), depth = 0): Set<Date> {
  if (typeof x !== 'object' || x === null || seen.has(x) || depth > 40) return out;
  seen.add(x);
  if (isRealDate(x)) {
    out.add(x);
    return out;
  }
  try {
    if (x instanceof Map || x instanceof Set) return out;
    for (const k of Reflect.ownKeys(x)) {
      const d = Object.getOwnPropertyDescriptor(x, k);
      if (d && 'value' in d) datesIn(d.value, out, seen, depth + 1);
    }
  } catch {
    // a Proxy of the caller's
  }
  return out;
}

/** A Date of the caller's that an ok answer holds (its own `setTime` would change the answer), or null. */
function sharedDate(value: unknown, args: readonly unknown[]): string | null {
  if (args.includes(value)) return null; // a trusted value handed back as it is: its Dates are checked when it next comes in
  const theirs = datesIn(args);
  if (theirs.size === 0) return null;
  for (const d of datesIn(value)) if (theirs.has(d)) return `value holds a Date the caller passed in (${Date.prototype.getTime.call(d)})`;
  return null;
}

const isResult = (r: unknown): r is { ok: boolean; value?: unknown; error?: unknown } =>
  typeof r === 'object' && r !== null && 'ok' in r && typeof (r as { ok: unknown }).ok === 'boolean' && ('value' in r || 'error' in r);

/** Whether a thrown error came from the caller's own getter or proxy. */
const callersOwn = (e: unknown): boolean => e instanceof Error && /^caller (getter|proxy)$/.test(e.message);

/**
 * Argument lists that gave an ok answer, per function: later calls change one argument of
 * one of them (replace it, or change something inside a copy of it), so the deep paths behind
 * each door are driven too, not only its first check.
 */
const winners = new Map<string, unknown[][]>();
const winnerArgs = (name: string): fc.Arbitrary<unknown[]> =>
  fc.tuple(fc.nat(), fc.nat(), anyArg, fc.boolean(), fc.nat(), fc.nat()).map(([i, j, replacement, inside, where, what]) => {
    const lists = winners.get(name);
    if (lists === undefined || lists.length === 0) return [];
    const args = [...lists[i % lists.length]!];
    if (args.length === 0) return args;
    const at = j % args.length;
    if (!inside) args[at] = replacement;
    else {
      const root = copy(args[at]);
      const spots = places(root);
      if (spots.length > 0) {
        const { parent, key } = spots[where % spots.length]!;
        try {
          const here = parent[key];
          if (isRealDate(here)) here.setTime(Number.NaN);
          else parent[key] = hostile()[what % HOSTILE_COUNT];
        } catch {
          // a frozen or hostile place: left as it is
        }
      }
      args[at] = root;
    }
    return args;
  });

const tally = { functions: 0, calls: 0, okResults: 0, refusals: 0, documentedThrows: 0, throws: 0, mutated: 0, flawed: 0, polluted: 0 };
afterAll(() => {
  if (RUNS >= 1000) console.log(`boundary fuzz: ${JSON.stringify(tally)}`);
});

/** The module subpaths first, the root (which re-exports them, with core) last. */
const subpaths = Object.keys(pkg.exports)
  .filter((s) => sourceOf(s) !== null)
  .sort((a, b) => (a === '.' ? 1 : b === '.' ? -1 : 0));

describe('every exported function keeps the boundary promise', () => {
  for (const subpath of subpaths) {
    it(`${subpath}: any arguments give a Result or the documented return — no throw, no changed input, no unfrozen or NaN output`, async () => {
      const mod = (await import(sourceOf(subpath)!)) as Record<string, unknown>;
      const failures: string[] = [];
      /** The first failure of each function and kind, with how many calls failed so. */
      const first = new Map<string, { text: string; count: number }>();
      const fail = (key: string, text: string) => {
        const known = first.get(key);
        if (known) known.count++;
        else first.set(key, { text, count: 1 });
      };
      for (const [name, f] of Object.entries(mod)) {
        if (typeof f !== 'function' || isClass(f) || driven.has(f)) continue;
        driven.add(f);
        tally.functions++;
        // a macrotask between functions: a subpath's calls take many seconds, and the worker must
        // keep answering vitest meanwhile (a busy machine would otherwise time its messages out)
        await new Promise<void>((resolve) => setImmediate(resolve));
        await fc.assert(
          fc.asyncProperty(
            fc.oneof(
              { weight: 1, arbitrary: fc.array(anyArg, { maxLength: 4 }) },
              { weight: 1, arbitrary: fc.tuple(...Array.from({ length: Math.min(f.length, 6) }, () => anyArg)) },
              { weight: 2, arbitrary: winnerArgs(name) },
            ),
            async (args) => {
            tally.calls++;
            const withFrozen = !FREEZES_ITS_ARGUMENT.has(name);
            const before = args.map((a) => snapshot(a, withFrozen));
            const protoKeys = Object.getOwnPropertyNames(Object.prototype).length;
            let out: unknown;
            try {
              out = (f as (...a: unknown[]) => unknown)(...args);
              if (out instanceof Promise) out = await out;
            } catch (e) {
              if (callersOwn(e)) return;
              if (documentedThrow(name, e)) {
                tally.documentedThrows++;
                return;
              }
              tally.throws++;
              fail(`${name} throws`, `${name} threw ${e instanceof Error ? e.message.slice(0, 100) : String(e)} on ${before.join(' | ').slice(0, 300)}`);
              return;
            }
            if (Object.getOwnPropertyNames(Object.prototype).length !== protoKeys || 'polluted' in Object.prototype) {
              tally.polluted++;
              fail(`${name} pollutes`, `${name} polluted Object.prototype`);
              delete (Object.prototype as Record<string, unknown>).polluted;
            }
            const after = args.map((a) => snapshot(a, withFrozen));
            if (after.join('|') !== before.join('|')) {
              tally.mutated++;
              fail(`${name} mutates`, `${name} changed an argument: ${before.join(' | ').slice(0, 200)} → ${after.join(' | ').slice(0, 200)}`);
            }
            if (isResult(out) && !out.ok) tally.refusals++;
            if (isResult(out) && out.ok && !CALLERS_VALUE.has(name)) {
              tally.okResults++;
              const bad = flaw(out.value, 'value', STORED_DATA.has(name)) ?? sharedDate(out.value, args);
              if (bad !== null) {
                tally.flawed++;
                fail(`${name} flawed`, `${name}: ${bad} on ${before.join(' | ').slice(0, 200)}`);
              } else {
                remember(out.value);
                const lists = winners.get(name) ?? [];
                if (lists.length < 32) lists.push(args);
                else lists[nextSlot(32)] = args;
                winners.set(name, lists);
              }
            }
          }),
          { numRuns: RUNS },
        );
      }
      for (const { text, count } of first.values()) failures.push(`${count}× ${text}`);
      expect(failures).toEqual([]);
    }, 600_000);
  }
});
