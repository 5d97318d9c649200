/**
 * The core's boundary: every function `src/core/index.ts` exports, called with anything —
 * fast-check's `anything()`, hostile objects (Proxies whose traps throw, getters that throw,
 * revoked Proxies, Date-like objects, cycles, symbol keys), edge numbers and strings, and valid
 * kernel values so the deeper paths run too. A function that returns a Result, or is
 * documented never to throw, must not throw; one that returns a plain value from kernel values
 * may only throw `InvariantError` (a caller's bug, with a code). No call may freeze its
 * caller's objects. A new export fails this test until it is classified below.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import * as core from '../../src/core/index.js';
import { ALL_ERROR_CODES, InvariantError, RefusalError } from '../../src/core/index.js';

/** How each exported function promises to behave on garbage. */
type Kind = 'result' | 'total' | 'invariant' | 'class' | 'unwrap';

const KINDS: Record<string, Kind> = {
  // results and errors, messages
  ok: 'total',
  err: 'total',
  resolveCatalog: 'total',
  renderMessage: 'total',
  labelOf: 'total',
  describeValue: 'total',
  ruleError: 'total',
  refuse: 'total',
  localizeError: 'total',
  localizeResult: 'total',
  localizeService: 'total',
  InvariantError: 'class',
  // the one throwing helper: a value, or RefusalError (never anything else)
  unwrap: 'unwrap',
  RefusalError: 'class',
  // validation
  parseInput: 'result',
  parseIterable: 'result',
  entityParser: 'total',
  instantFrom: 'total',
  isSafeText: 'total',
  isValidTimeZone: 'total',
  deepFreeze: 'total',
  // time (kernel values: Dates a schema made, known zones)
  calendarDaysBetween: 'invariant',
  addCalendarDays: 'invariant',
  startOfZonedDay: 'invariant',
  startOfZonedDayAfter: 'invariant',
  zonedDateKey: 'invariant',
  isSameZonedDay: 'invariant',
  // events, permissions
  ruleEvent: 'invariant',
  actorRelations: 'total',
  isPermitted: 'total',
  // money
  currencyExponent: 'total',
  isCurrencyCode: 'total',
  parseRounding: 'result',
  roundRatio: 'result',
  parseDecimal: 'result',
  decimalToString: 'invariant',
  compareDecimals: 'invariant',
  signOfDecimal: 'invariant',
  addDecimals: 'invariant',
  subtractDecimals: 'invariant',
  multiplyDecimals: 'invariant',
  negateDecimal: 'invariant',
  percentToRate: 'invariant',
  roundDecimal: 'result',
  divideDecimals: 'result',
  parseMoney: 'result',
  parseAmount: 'result',
  zeroMoney: 'invariant',
  formatMoney: 'invariant',
  formatMinor: 'result',
  toMoneyJson: 'invariant',
  moneyToDecimal: 'invariant',
  negateMoney: 'invariant',
  absMoney: 'invariant',
  signOfMoney: 'invariant',
  isZeroMoney: 'invariant',
  sameCurrency: 'invariant',
  equalsMoney: 'invariant',
  checkSameCurrency: 'result',
  addMoney: 'result',
  subtractMoney: 'result',
  sumMoney: 'result',
  compareMoney: 'result',
  multiplyMoney: 'invariant',
  moneyFromProduct: 'invariant',
  productInMinorUnits: 'invariant',
  moneyFromDecimal: 'invariant',
  roundMoney: 'invariant',
  divideMoney: 'result',
  prorateMoney: 'result',
  allocateMoney: 'result',
  splitMoney: 'result',
};

/** Calls per function (CORE_FUZZ_RUNS=20000 for a long run). */
const RUNS = Number(process.env.CORE_FUZZ_RUNS ?? 400);

/** Functions that freeze their argument by design. */
const FREEZERS = new Set(['deepFreeze']);

const functions = Object.entries(core).filter(([, v]) => typeof v === 'function') as [string, (...args: unknown[]) => unknown][];
const schemas = Object.entries(core).filter(([, v]) => v instanceof z.ZodType) as [string, z.ZodType][];

// ─────────────────────────────── hostile and edge values ───────────────────────────────

const boom = (): never => {
  throw new Error('hostile');
};
/** Fresh on every draw: some of these are mutable, and a call may not freeze them. */
function hostileValues(): unknown[] {
  const throwingProxy = new Proxy(
    {},
    { get: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom, getPrototypeOf: boom, defineProperty: boom, preventExtensions: boom, isExtensible: boom },
  );
  const revocable = Proxy.revocable({}, {});
  revocable.revoke();
  const getters = Object.defineProperties({}, Object.fromEntries(['currency', 'minor', 'amount', 'units', 'scale', 'mode', 'increment', 'id', 'relations', 'code', 'details', 'ok', 'error', 'at', 'subject', 'data', 'length', 'minScale'].map((k) => [k, { get: boom, enumerable: true }])));
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  const cyclicArray: unknown[] = [1];
  cyclicArray.push(cyclicArray);
  let flip = 0;
  class ShiftyDate extends Date {
    override getTime(): number {
      flip++;
      return flip % 2 ? 0 : Number.NaN;
    }
  }
  const flipping = { get minor() { return flip++ % 2 ? 1 : 'x'; }, currency: 'CNY' };
  return [
    throwingProxy,
    revocable.proxy,
    getters,
    cyclic,
    cyclicArray,
    Object.create(Date.prototype),
    new Proxy(new Date(0), {}),
    new ShiftyDate(0),
    new Date(8.64e15),
    new Date(-8.64e15),
    new Date(Number.NaN),
    flipping,
    { [Symbol('key')]: 1, currency: Symbol('c') },
    { currency: 10n, minor: 1 },
    { currency: { toString: boom }, minor: 1 },
    { currency: 'ABC', minor: 1 },
    { currency: 'CNY', minor: -0 },
    { currency: 'CNY', minor: 2n ** 80n },
    { currency: 'CNY', minor: 2 ** 53 + 2 },
    { currency: 'CNY', minor: 1.5 },
    { units: 1, scale: 1e9 },
    { units: 1, scale: 2 ** 60 },
    { units: 2n ** 70n, scale: 3 },
    { units: Number.NaN, scale: 0 },
    { mode: 'ceil', increment: 0 },
    { mode: 'ceil', increment: -5 },
    { mode: 'ceil', increment: 1.5 },
    { mode: 'nope', increment: 1 },
    { minScale: 10n },
    { minScale: 1e12 },
    JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1}'),
    Object.create(null),
    new Map([['a', 1]]),
    new Set([1]),
    new Uint8Array(3),
    [3, -1],
    [Symbol('x')],
    [2n ** 64n, -1n],
    ['0.3', 'x'],
    10n,
    -(2n ** 90n),
    Symbol('s'),
    2 ** 53 + 1,
    -0,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    1e12,
    1e6,
    -1,
    '\u0000',
    '\uD800',
    'a\uDC00b',
    '__proto__',
    'constructor',
    'x'.repeat(10_000),
    '9'.repeat(1000),
    () => 1,
  ];
}

const money = (currency: string, minor: number | bigint) => core.parseMoney({ currency, minor });
const valid = fc.constantFrom<unknown>(
  'CNY',
  'JPY',
  'KWD',
  'Asia/Shanghai',
  'America/New_York',
  'halfEven',
  'ceil',
  'zh-CN',
  'LEAD_SAME_POOL',
  'INVALID_INPUT',
  0,
  1,
  2,
  3,
  18,
  19,
  1000,
  -3,
  new Date('2026-01-01T00:00:00Z'),
  new Date('0001-01-01T00:00:00Z'),
  new Date('9999-12-31T23:59:59.999Z'),
  '2026-01-01T08:00:00+08:00',
  { ok: false, error: { code: 'LEAD_SAME_POOL', message: 'x', details: { poolId: 10n } } },
  { id: 'u1', relations: ['poolMember'] },
  ['owner', 'poolMember'],
  { type: 'lead.claimed', at: new Date(0), actorId: 'u', subject: { kind: 'lead', id: 'L' }, version: 1, data: {} },
);
function validKernelValues(): unknown[] {
  const m = (r: ReturnType<typeof money>) => (r.ok ? r.value : undefined);
  const d = (s: string) => {
    const r = core.parseDecimal(s);
    return r.ok ? r.value : undefined;
  };
  const rounding = core.parseRounding({ mode: 'halfEven', increment: 5 });
  return [
    m(money('CNY', 12345)),
    m(money('CNY', -1)),
    m(money('USD', 2n ** 70n)),
    m(money('JPY', 0)),
    d('0.13'),
    d('0'),
    d('-2.5'),
    d('123456789.123456789'),
    rounding.ok ? rounding.value : undefined,
    [m(money('CNY', 1)), m(money('CNY', 2))],
    [d('1.5'), d('0.3')],
    [m(money('CNY', 1)), m(money('USD', 2))],
    // a fresh schema: deepFreeze and trust may freeze what they are given (never the library's own schemas)
    z.object({ id: z.string().min(1) }),
  ];
}

/**
 * An argument, as a thunk: hostile values are built inside the property (fast-check itself
 * probes the values it generates, and a revoked Proxy throws at the probe).
 */
type Arg = () => unknown;
const argument: fc.Arbitrary<Arg> = fc.oneof(
  { weight: 3, arbitrary: fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withTypedArray: true, withSparseArray: true, withBoxedValues: true, withUnicodeString: true }).map((v) => () => v) },
  { weight: 3, arbitrary: fc.nat({ max: 1000 }).map((i) => () => { const h = hostileValues(); return h[i % h.length]; }) },
  { weight: 3, arbitrary: fc.nat({ max: 1000 }).map((i) => () => { const v = validKernelValues(); return v[i % v.length]; }) },
  { weight: 2, arbitrary: valid.map((v) => () => v) },
);
const args = fc.array(argument, { minLength: 0, maxLength: 4 }).map((thunks) => () => thunks.map((t) => t()));

function frozenState(args: readonly unknown[]): (boolean | undefined)[] {
  return args.map((a) => {
    if ((typeof a !== 'object' && typeof a !== 'function') || a === null) return undefined;
    try {
      return Object.isFrozen(a);
    } catch {
      return undefined;
    }
  });
}

function checkCall(name: string, kind: Kind, fn: (...args: unknown[]) => unknown, args: unknown[]): void {
  const before = frozenState(args);
  let result: unknown;
  try {
    result = fn(...args);
  } catch (e) {
    if (kind === 'invariant' && e instanceof InvariantError) return;
    if (kind === 'unwrap' && e instanceof RefusalError) return;
    throw new Error(`${name}(${args.map((a) => core.describeValue(a)).join(', ')}) threw ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : core.describeValue(e)}`);
  }
  if (kind === 'result') {
    expect(typeof result === 'object' && result !== null && typeof (result as { ok: unknown }).ok === 'boolean', `${name} returns a Result`).toBe(true);
    const r = result as core.Result<unknown>;
    if (!r.ok) {
      expect(ALL_ERROR_CODES).toContain(r.error.code);
      expect(typeof r.error.message).toBe('string');
      expect(Object.isFrozen(r.error)).toBe(true);
      expect(core.isSafeText(r.error.message), `${name}: its message is storable text`).toBe(true);
    }
  }
  if (!FREEZERS.has(name)) {
    const after = frozenState(args);
    for (let i = 0; i < args.length; i++) {
      if (before[i] === false) expect(after[i], `${name} froze its argument ${i}`).toBe(false);
    }
  }
  expect(({} as Record<string, unknown>).polluted, 'no prototype pollution').toBeUndefined();
}

/** Valid calls of the functions with deeper paths, for the mutation property below. */
function sampleCalls(): [string, unknown[]][] {
  const v = <T>(r: core.Result<T>): T => {
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  const cny = v(core.parseAmount('100.00', 'CNY'));
  const big = v(core.parseMoney({ currency: 'CNY', minor: 2n ** 60n }));
  const rate = v(core.parseDecimal('0.13'));
  const qty = v(core.parseDecimal('3'));
  const cash = v(core.parseRounding({ mode: 'halfEven', increment: 5 }));
  const at = new Date('2026-03-08T06:30:00Z');
  const event = { type: 'lead.claimed', at, actorId: 'u1', subject: { kind: 'lead', id: 'L1' }, version: 2, data: { poolId: 'p1' } };
  return [
    ['renderMessage', ['LEAD_SAME_POOL', { poolId: 'p1' }, core.messagesZhCn]],
    ['renderMessage', ['LEAD_TRANSITION_NOT_ALLOWED', { from: 'pending', operation: 'claim', allowedFrom: ['unassigned'] }, 'zh-CN']],
    ['labelOf', ['leadStatus', 'following', 'zh-CN']],
    ['ruleError', ['MONEY_CURRENCY_MISMATCH', { operation: 'add', currencies: ['CNY', 'USD'] }]],
    ['localizeError', [core.ruleError('LEAD_SAME_POOL', { leadId: 'L-1', poolId: 'p1' }), 'zh-CN']],
    ['localizeResult', [core.refuse('LEAD_SAME_POOL', { leadId: 'L-1', poolId: 'p1' }), { LEAD_SAME_POOL: '{poolId}!' }]],
    ['parseInput', [z.object({ id: core.idSchema, at: core.instantSchema }), { id: 'L1', at: '2026-01-01T00:00:00Z' }, ['lead']]],
    ['parseIterable', [new Set(['a']), ['ids']]],
    ['calendarDaysBetween', [at, new Date('2026-03-20T00:00:00Z'), 'America/New_York']],
    ['addCalendarDays', [at, 3, 'America/New_York']],
    ['startOfZonedDayAfter', [at, 15, 'Asia/Shanghai']],
    ['zonedDateKey', [at, 'Asia/Shanghai']],
    ['ruleEvent', [event]],
    ['actorRelations', [{ id: 'u1', relations: ['poolMember', 'crmAdmin'] }, 'u1']],
    ['isPermitted', [['owner'], ['owner', 'crmAdmin']]],
    ['roundRatio', [5, 2, cash]],
    ['roundDecimal', [rate, 1, 'halfEven']],
    ['divideDecimals', [qty, rate, 4, 'ceil']],
    ['decimalToString', [rate, { minScale: 4 }]],
    ['addDecimals', [rate, qty]],
    ['multiplyDecimals', [rate, qty]],
    ['addMoney', [cny, big]],
    ['compareMoney', [cny, cny]],
    ['sumMoney', [[cny, big, cny], 'CNY']],
    ['checkSameCurrency', [[cny, cny]]],
    ['formatMoney', [big]],
    ['formatMinor', [5097, 'CNY']],
    ['multiplyMoney', [cny, [rate, qty], cash]],
    ['moneyFromProduct', ['CNY', [rate, qty], 'halfEven']],
    ['productInMinorUnits', ['KWD', [rate, qty]]],
    ['roundMoney', [cny, cash]],
    ['divideMoney', [big, rate, 'halfEven']],
    ['prorateMoney', [cny, rate, qty, 'floor']],
    ['prorateMoney', [cny, cny, big]],
    ['allocateMoney', [cny, [1, 2, 3]]],
    ['allocateMoney', [big, [cny, big, '0.5']]],
    ['splitMoney', [cny, 3]],
    ['parseMoney', [{ currency: 'CNY', amount: '1.00' }, ['price']]],
    ['parseDecimal', [{ units: 5, scale: 1 }, ['qty']]],
    ['parseRounding', [{ mode: 'ceil', increment: 5 }, ['rounding']]],
  ];
}

/** A copy of `value` with the part at `path` replaced (objects and arrays copied on the way). */
function replaceAt(value: unknown, path: readonly number[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  if (Array.isArray(value)) {
    const copy = [...value];
    const i = path[0]! % Math.max(copy.length, 1);
    copy[i] = replaceAt(copy[i], path.slice(1), replacement);
    return copy;
  }
  if (typeof value === 'object' && value !== null && !(value instanceof Date) && !(value instanceof Set) && !(value instanceof z.ZodType)) {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    const keys = Object.keys(copy);
    if (keys.length === 0) return replacement;
    const key = keys[path[0]! % keys.length]!;
    copy[key] = replaceAt(copy[key], path.slice(1), replacement);
    return copy;
  }
  return replacement;
}

/** Every minor count and decimal units in a result is canonical: a safe number, or a bigint beyond. */
function expectCanonical(value: unknown, depth = 0): void {
  if (depth > 4 || typeof value !== 'object' || value === null) return;
  let entries: [string, unknown][];
  try {
    if (value instanceof Date || !Object.isFrozen(value)) return; // not a kernel value (a caller's object handed back)
    entries = Object.entries(value);
  } catch {
    return;
  }
  for (const [k, x] of entries) {
    if (k === 'minor' || k === 'units') {
      if (typeof x === 'number') expect(Number.isSafeInteger(x) && !Object.is(x, -0), `${k} ${x} is a safe integer`).toBe(true);
      else {
        expect(typeof x).toBe('bigint');
        expect((x as bigint) > BigInt(Number.MAX_SAFE_INTEGER) || (x as bigint) < -BigInt(Number.MAX_SAFE_INTEGER), `${k} ${String(x)}n is beyond 2^53`).toBe(true);
      }
    } else expectCanonical(x, depth + 1);
  }
}

describe('core boundary: every export, any argument', () => {
  it('every exported function is classified (a new export must say how it behaves on garbage)', () => {
    expect(functions.map(([name]) => name).filter((name) => !(name in KINDS))).toEqual([]);
  });

  it.each(functions.filter(([name]) => KINDS[name] !== 'class'))('%s: a Result or its documented return, never an unexpected throw', (name, fn) => {
    const kind = KINDS[name]!;
    fc.assert(
      fc.property(args, (make) => {
        checkCall(name, kind, fn, make());
      }),
      { numRuns: RUNS },
    );
  });

  it('valid calls with one part replaced by anything: a Result or the documented return, canonical integers', () => {
    const count = sampleCalls().length;
    fc.assert(
      fc.property(fc.nat({ max: count - 1 }), fc.array(fc.nat({ max: 9 }), { minLength: 1, maxLength: 3 }), argument, (which, path, replacement) => {
        const [name, sample] = sampleCalls()[which]!;
        const args = replaceAt(sample, path, replacement()) as unknown[];
        const fn = (core as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!;
        checkCall(name, KINDS[name]!, fn, args);
        let out: unknown;
        try {
          out = fn(...args);
        } catch {
          return; // an InvariantError, accepted by checkCall
        }
        if (['renderMessage', 'ruleError', 'localizeError', 'localizeResult', 'parseInput', 'parseIterable', 'ruleEvent'].includes(name)) return;
        const produced = KINDS[name] === 'result' ? ((out as core.Result<unknown>).ok ? (out as { value: unknown }).value : undefined) : out;
        try {
          expectCanonical(produced);
        } catch (e) {
          throw new Error(`${name}(${args.map((a) => core.describeValue(a)).join(', ')}) gave ${core.describeValue(out)}: ${(e as Error).message}`);
        }
      }),
      { numRuns: RUNS * 10 },
    );
  });

  it('the valid samples themselves succeed (so the mutations start from a working call)', () => {
    for (const [name, args] of sampleCalls()) {
      const fn = (core as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!;
      const out = fn(...args) as { ok?: unknown };
      if (KINDS[name] === 'result') expect(out.ok, name).toBe(true);
    }
  });

  it.each(schemas)('schema %s: parseInput of anything is a Result', (_name, schema) => {
    fc.assert(
      fc.property(argument, (input) => {
        checkCall('parseInput', 'result', core.parseInput as (...a: unknown[]) => unknown, [schema, input(), ['x']]);
      }),
      { numRuns: RUNS },
    );
  });

  it('an entity parser built over anything parses and trusts anything without throwing', () => {
    fc.assert(
      fc.property(argument, argument, argument, (schema, input, otherArg) => {
        const parser = core.entityParser(schema() as z.ZodType<unknown, unknown>, ['e']);
        checkCall('parse', 'result', parser.parse as (...a: unknown[]) => unknown, [input()]);
        const other = otherArg();
        parser.trust(other);
        checkCall('parse', 'result', parser.parse as (...a: unknown[]) => unknown, [other]);
      }),
      { numRuns: RUNS },
    );
  });
});
