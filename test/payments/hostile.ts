/**
 * The payments boundary harness: valid inputs a receivables clerk would send (fresh each time),
 * hostile values and mutations of those inputs, and the checks every call must pass — it
 * answers (a Result, or the service the factory documents), never throws unless the caller's
 * own getter or proxy did, leaves its inputs as they were (not changed, not frozen), pollutes no
 * prototype, and its ok outputs are frozen all the way down with no NaN, no Invalid Date, no
 * fractional or negative amounts, no caller object inside, and no Date of the input or shared
 * but through a frozen part (see `sharedDates`).
 */
import fc from 'fast-check';
import { types } from 'node:util';
import { createMemoryPaymentStore } from '../../src/adapters/memory/index.js';
import {
  allocatePayment,
  createPaymentPlan,
  paymentBalance,
  planOutstanding,
  recordPayment,
  requestRefund,
  type RefundRequest,
  type Payment,
  type PaymentContext,
  type PaymentPlan,
} from '../../src/payments/index.js';
import { value } from '../support.js';

/* ------------------------------------------------------------------ hostile values */

/** Thrown by the caller's own getters and proxies: the one throw a door may pass on. */
export class HostileError extends Error {
  constructor() {
    super("thrown by the caller's own getter or proxy");
    this.name = 'HostileError';
  }
}

const hostileThrow = (): never => {
  throw new HostileError();
};

const intrinsicGetTime = Date.prototype.getTime;

/** The time of a real Date (its own slot, no override), or undefined for anything else. */
export function timeOf(x: unknown): number | undefined {
  if (typeof x !== 'object' || x === null) return undefined;
  try {
    return intrinsicGetTime.call(x as Date);
  } catch {
    return undefined;
  }
}

/** Objects whose insides the checks must not read (their traps throw, or answer differently each time). */
const opaque = new WeakSet<object>();

/** A Date whose getTime answers a valid time, then NaN, then the time again… */
class FlippingDate extends Date {
  private reads = 0;
  override getTime(): number {
    return this.reads++ % 2 === 1 ? Number.NaN : super.getTime();
  }
  override valueOf(): number {
    return this.getTime();
  }
}

function throwingProxy<T extends object>(target: T): T {
  const p = new Proxy(target, { get: hostileThrow, has: hostileThrow, ownKeys: hostileThrow, getOwnPropertyDescriptor: hostileThrow, getPrototypeOf: hostileThrow });
  opaque.add(p);
  return p;
}

function withThrowingGetter(): object {
  const o = {};
  Object.defineProperty(o, 'currency', { get: hostileThrow, enumerable: true });
  return o;
}

function nested(depth: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { v };
  return v;
}

/** Factories of hostile values (fresh each time: a door that wrongly keeps or changes one cannot poison the next run). */
export const HOSTILE: readonly (() => unknown)[] = [
  () => Number.NaN,
  () => Number.POSITIVE_INFINITY,
  () => Number.NEGATIVE_INFINITY,
  () => -0,
  () => 2 ** 53 + 1,
  () => -1,
  () => 0.5,
  () => 1e21,
  () => 10n,
  () => 2n ** 64n,
  () => '',
  () => 'x',
  () => '\u0000',
  () => '\uD800',
  () => 'x'.repeat(100_001),
  () => '__proto__',
  () => 'constructor',
  () => 'Mars/Olympus_Mons',
  () => 'ABC',
  () => '2026-02-30',
  () => '2026-03-02T10:00:00',
  () => '+275760-09-13T00:00:00.000Z',
  () => null,
  () => undefined,
  () => true,
  () => Symbol('hostile'),
  () => () => 1,
  () => ({}),
  () => [],
  () => [1, 'a', null],
  () => Object.create(null),
  () => Object.freeze({ currency: 'CNY', amount: '1.00' }),
  () => new Date(Number.NaN),
  () => new Date(8.64e15),
  () => new Date(-8.64e15),
  () => Object.create(Date.prototype),
  () => new Proxy(new Date(0), {}),
  () => new FlippingDate('2026-03-02T10:00:00Z'),
  () => ({ currency: 10n, minor: 1 }),
  () => ({ currency: { toString: hostileThrow }, minor: 1 }),
  () => ({ currency: 'CNY', minor: 2n ** 60n }),
  () => ({ currency: 'CNY', minor: 2 ** 53 + 1 }),
  () => ({ currency: 'CNY', minor: -1 }),
  () => ({ currency: 'CNY', amount: '-0.01' }),
  () => ({ currency: 'ABC', amount: '1.00' }),
  () => ({ currency: 'JPY', amount: '1.5' }),
  () => ({ [Symbol('k')]: 1 }),
  () => JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}') as unknown,
  () => nested(2_000),
  () => new Map([['a', 1]]),
  () => new Float64Array([Number.NaN, -1, 0.5]),
  () => new Int32Array(3),
  () => new Array(5),
  withThrowingGetter,
  () => throwingProxy({}),
  () => throwingProxy([]),
  () => new Proxy({ kind: 'oldestFirst' }, {}),
  // built-ins behind a Proxy: their iterator methods refuse the proxy (the engine's TypeError)
  () => new Proxy(new Uint8Array(2), {}),
  () => new Proxy(new Map([['a', 1]]), {}),
  () => new Proxy(new Set([1]), {}),
];

/* -------------------------------------------------------------------- mutations */

type Path = readonly (string | number)[];

/** Every path to a node of the args tree (objects and arrays walked; Dates, proxies and class instances are leaves). */
export function pathsOf(root: unknown): Path[] {
  const out: Path[] = [[]];
  const seen = new Set<object>();
  const walk = (node: unknown, path: Path, depth: number) => {
    if (typeof node !== 'object' || node === null || seen.has(node) || depth > 12) return;
    if (opaque.has(node) || types.isProxy(node) || timeOf(node) !== undefined || types.isTypedArray(node)) return;
    const proto = Object.getPrototypeOf(node);
    if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) return;
    // a frozen node (a record the library returned, or one the caller froze) is mutated as a whole, never inside
    if (Object.isFrozen(node)) return;
    seen.add(node);
    for (const k of Object.keys(node)) {
      const d = Object.getOwnPropertyDescriptor(node, k);
      if (d === undefined || !('value' in d)) continue;
      const p = [...path, Array.isArray(node) ? Number(k) : k];
      out.push(p);
      walk(d.value, p, depth + 1);
    }
  };
  walk(root, [], 0);
  return out;
}

const MUTATIONS = ['replace', 'remove', 'protoKey', 'constructorKey', 'symbolKey', 'extraKey', 'throwingGetter', 'throwingProxy', 'transparentProxy', 'freeze', 'nullPrototype', 'instant'] as const;
export type MutationKind = (typeof MUTATIONS)[number];

/** What to do to the args: where (an index into `pathsOf`), what, with which hostile value. */
export interface Mutation {
  readonly at: number;
  readonly kind: MutationKind;
  readonly hostile: number;
}

export const mutationArb: fc.Arbitrary<Mutation> = fc.record({ at: fc.nat(), kind: fc.constantFrom(...MUTATIONS), hostile: fc.nat(HOSTILE.length - 1) });

const INSTANTS: readonly (() => unknown)[] = [
  () => new Date(Number.NaN),
  () => new Date(8.64e15),
  () => Object.create(Date.prototype),
  () => new Proxy(new Date('2026-03-02T02:00:00Z'), {}),
  () => new FlippingDate('2026-03-02T10:00:00Z'),
  () => '2026-03-02T10:00:00',
  () => '0000-01-01T00:00:00Z',
  () => 'x',
];

function parentOf(root: unknown[], path: Path): { parent: Record<string | number, unknown>; key: string | number } | null {
  if (path.length === 0) return null;
  let node: unknown = root;
  for (const k of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[k];
  return { parent: node as Record<string | number, unknown>, key: path[path.length - 1]! };
}

/**
 * Applies one mutation to fresh args (an array of arguments, changed in place before the call);
 * the args as a whole stay an array, so the mutated node is an argument or inside one.
 */
export function mutate(args: unknown[], m: Mutation): void {
  const paths = pathsOf(args).filter((p) => p.length > 0);
  const path = paths[m.at % paths.length]!;
  const at = parentOf(args, path)!;
  const { parent, key } = at;
  const node = parent[key];
  const isObject = typeof node === 'object' && node !== null && !Array.isArray(node) && timeOf(node) === undefined && !opaque.has(node) && !types.isProxy(node) && Object.isExtensible(node);
  const h = HOSTILE[m.hostile]!;
  const set = (v: unknown) => Object.defineProperty(parent, key, { value: v, writable: true, enumerable: true, configurable: true });
  switch (m.kind) {
    case 'replace':
      return void set(h());
    case 'remove':
      if (Array.isArray(parent)) return void parent.splice(key as number, 1);
      return void delete parent[key];
    case 'protoKey':
      if (isObject) Object.defineProperty(node, '__proto__', { value: h(), writable: true, enumerable: true, configurable: true });
      else set(JSON.parse('{"__proto__": 1}'));
      return;
    case 'constructorKey':
      if (isObject) Object.defineProperty(node, 'constructor', { value: h(), writable: true, enumerable: true, configurable: true });
      else set(h());
      return;
    case 'symbolKey':
      if (isObject) (node as Record<symbol, unknown>)[Symbol('extra')] = h();
      return;
    case 'extraKey':
      if (isObject) (node as Record<string, unknown>).extra = h();
      else set([node, h()]);
      return;
    case 'throwingGetter':
      return void Object.defineProperty(parent, key, { get: hostileThrow, enumerable: true, configurable: true });
    case 'throwingProxy':
      if (typeof node === 'object' && node !== null) set(throwingProxy(node));
      return;
    case 'transparentProxy':
      if (typeof node === 'object' && node !== null) set(new Proxy(node, {}));
      return;
    case 'freeze':
      if (typeof node === 'object' && node !== null) Object.freeze(node);
      return;
    case 'nullPrototype':
      if (isObject) set(Object.assign(Object.create(null) as object, node));
      return;
    case 'instant':
      return void set(INSTANTS[m.hostile % INSTANTS.length]!());
  }
}

/* ---------------------------------------------------------------------- snapshots */

/**
 * A structural description of a value, for "the input is untouched": every own property
 * (descriptors, never calling a getter), the prototype, frozen and extensible flags, a Date's
 * time, a typed array's elements; proxies whose traps throw are described by identity only.
 */
export function snapshot(root: unknown): string {
  const ids = new Map<object, number>();
  const protoName = (p: object | null) => (p === null ? 'null' : p === Object.prototype ? 'Object' : p === Array.prototype ? 'Array' : p === Date.prototype ? 'Date' : 'other');
  const walk = (v: unknown, depth: number): string => {
    switch (typeof v) {
      case 'bigint':
        return `${v}n`;
      case 'number':
        return Object.is(v, -0) ? '-0' : String(v);
      case 'string':
        return JSON.stringify(v.length > 200 ? `${v.slice(0, 100)}…${v.length}` : v);
      case 'symbol':
        return v.toString();
      case 'function':
      case 'object': {
        if (v === null) return 'null';
        const known = ids.get(v);
        if (known !== undefined) return `#${known}`;
        const id = ids.size;
        ids.set(v, id);
        if (typeof v === 'function' || opaque.has(v as object) || depth > 3000) return `@${id}`;
        const flags = `${Object.isFrozen(v) ? 'F' : ''}${Object.isExtensible(v) ? 'E' : ''}`;
        const t = timeOf(v);
        if (t !== undefined) return `Date${id}(${t})${flags}`;
        if (types.isTypedArray(v)) return `TA${id}[${Array.from(v as Float64Array).join(',')}]`;
        if (v instanceof Map) return `Map${id}`;
        const parts: string[] = [];
        for (const k of Reflect.ownKeys(v)) {
          const d = Object.getOwnPropertyDescriptor(v, k)!;
          const name = typeof k === 'symbol' ? k.toString() : JSON.stringify(k);
          parts.push('value' in d ? `${name}:${walk(d.value, depth + 1)}${d.writable ? '' : 'ro'}` : `${name}:get/set`);
        }
        return `${protoName(Object.getPrototypeOf(v))}${id}${flags}{${parts.join(',')}}`;
      }
      default:
        return String(v);
    }
  };
  return walk(root, 0);
}

/** Every object reachable from the args (by own data properties): none may turn up in an output. */
export function callerObjects(root: unknown, ours: WeakSet<object>): Set<object> {
  const out = new Set<object>();
  const walk = (v: unknown, depth: number) => {
    if ((typeof v !== 'object' && typeof v !== 'function') || v === null || out.has(v) || ours.has(v) || depth > 3000) return;
    out.add(v);
    if (opaque.has(v) || types.isProxy(v)) return;
    for (const k of Reflect.ownKeys(v)) {
      const d = Object.getOwnPropertyDescriptor(v, k);
      if (d !== undefined && 'value' in d) walk(d.value, depth + 1);
    }
  };
  walk(root, 0);
  return out;
}

/** Every Date reachable from the args by own data properties — the caller's and the library records' it passed alike. */
export function inputDates(root: unknown): Set<Date> {
  const out = new Set<Date>();
  const seen = new Set<object>();
  const walk = (v: unknown, depth: number) => {
    if (typeof v !== 'object' || v === null || seen.has(v) || depth > 3000) return;
    seen.add(v);
    if (opaque.has(v) || types.isProxy(v)) return;
    if (timeOf(v) !== undefined) {
      out.add(v as Date);
      return;
    }
    for (const k of Reflect.ownKeys(v)) {
      const d = Object.getOwnPropertyDescriptor(v, k);
      if (d !== undefined && 'value' in d) walk(d.value, depth + 1);
    }
  };
  walk(root, 0);
  return out;
}

/**
 * Every Date of an output with the path it is reached by, the object holding it and the key it
 * is held at; the output walked as a tree (a shared object is walked at each place it appears),
 * so a Date reached by two paths shows twice.
 */
export function datePaths(root: unknown): [string, Date, object, PropertyKey][] {
  const out: [string, Date, object, PropertyKey][] = [];
  const ancestors = new Set<object>();
  const walk = (v: unknown, path: string, holder: object, key: PropertyKey) => {
    if (typeof v !== 'object' || v === null || ancestors.has(v) || ancestors.size > 50) return;
    if (timeOf(v) !== undefined) {
      out.push([path, v as Date, holder, key]);
      return;
    }
    if (types.isTypedArray(v) || types.isProxy(v) || opaque.has(v)) return;
    ancestors.add(v);
    for (const k of Reflect.ownKeys(v)) {
      const d = Object.getOwnPropertyDescriptor(v, k);
      if (d !== undefined && 'value' in d) walk(d.value, `${path}.${typeof k === 'symbol' ? k.toString() : k}`, v, k);
    }
    ancestors.delete(v);
  };
  const top = { output: root };
  walk(root, 'output', top, 'output');
  return out;
}

/** The plans and payments reachable from an output (by own data properties), each once. */
export function recordsIn(root: unknown): (PaymentPlan | Payment)[] {
  const out = new Set<PaymentPlan | Payment>();
  const seen = new Set<object>();
  const walk = (v: unknown) => {
    if (typeof v !== 'object' || v === null || seen.has(v) || timeOf(v) !== undefined || types.isProxy(v) || opaque.has(v)) return;
    seen.add(v);
    const own = (k: string) => Object.getOwnPropertyDescriptor(v, k) !== undefined;
    if (own('installments') && own('zone')) out.add(v as PaymentPlan);
    else if (own('applications') && own('lastSeq')) out.add(v as Payment);
    for (const k of Reflect.ownKeys(v)) {
      const d = Object.getOwnPropertyDescriptor(v, k);
      if (d !== undefined && 'value' in d) walk(d.value);
    }
  };
  walk(root);
  return [...out];
}

/**
 * The Dates of an output that break the rule of instants: one of the input's (`inputs`: the
 * caller's, or one a record passed back holds); one held at two places other than by sharing
 * the one object that holds it (the parts of one answer may share a frozen part — an
 * application in the payment, the decision's list and the events — but two fields, two events,
 * a record and an event never hold the same Date each); or one that two records (plans,
 * payments) of the output hold.
 */
export function sharedDates(output: unknown, inputs: ReadonlySet<Date>): string[] {
  const problems: string[] = [];
  const first = new Map<Date, { path: string; holder: object; key: PropertyKey }>();
  for (const [path, d, holder, key] of datePaths(output)) {
    if (inputs.has(d)) problems.push(`${path}: a Date of the input`);
    const earlier = first.get(d);
    if (earlier === undefined) first.set(d, { path, holder, key });
    else if (earlier.holder !== holder || earlier.key !== key) problems.push(`${path}: the same Date as ${earlier.path}, held by another object or field`);
  }
  const ownerOf = new Map<Date, PaymentPlan | Payment>();
  for (const r of recordsIn(output)) {
    for (const [path, d] of datePaths(r)) {
      const owner = ownerOf.get(d);
      if (owner === undefined) ownerOf.set(d, r);
      else if (owner !== r) problems.push(`record ${r.id}${path.slice('output'.length)}: a Date record ${owner.id} holds too`);
    }
  }
  return problems;
}

/* ------------------------------------------------------------------- the checks */

const looksLikeMoney = (o: object) => {
  const keys = Object.keys(o);
  return keys.length === 2 && keys.includes('currency') && keys.includes('minor');
};

/**
 * The problems of an ok output (empty when it is sound): something not frozen (a typed array is
 * the documented exception: allocateLedger's columns are new and the caller's own), NaN or an
 * Invalid Date, an amount that is fractional, unsafe or negative (`net` may be negative: what a
 * customer paid ahead; so may every amount of a `signed` output, see `SIGNED_OUTPUTS`), a plan or
 * payment with a negative balance, a caller object inside.
 */
export function outputProblems(output: unknown, caller: ReadonlySet<object>, signed = false): string[] {
  const problems: string[] = [];
  const seen = new Set<object>();
  const walk = (v: unknown, path: string, key: string) => {
    if (typeof v === 'number') {
      if (Number.isNaN(v)) problems.push(`${path}: NaN`);
      return;
    }
    if (typeof v !== 'object' || v === null || seen.has(v)) return;
    seen.add(v);
    if (caller.has(v)) problems.push(`${path}: the caller's object`);
    if (types.isTypedArray(v)) {
      for (const x of v as Float64Array) if (Number.isNaN(x)) problems.push(`${path}: NaN in a column`);
      return;
    }
    if (!Object.isFrozen(v)) problems.push(`${path}: not frozen`);
    const t = timeOf(v);
    if (t !== undefined) {
      if (Number.isNaN(t)) problems.push(`${path}: Invalid Date`);
      return;
    }
    if (looksLikeMoney(v)) {
      const minor = (v as { minor: unknown }).minor;
      if (!(typeof minor === 'bigint' || Number.isSafeInteger(minor))) problems.push(`${path}: minor ${String(minor)} is not a whole number`);
      else if (!signed && key !== 'net' && (minor as number | bigint) < 0) problems.push(`${path}: negative amount`);
    }
    if ('installments' in v && 'total' in v && 'zone' in v) {
      const o = planOutstanding(v as PaymentPlan);
      if (!o.ok) problems.push(`${path}: a returned plan does not parse: ${o.error.message}`);
    }
    if ('applications' in v && 'refunds' in v && 'lastSeq' in v) {
      const b = paymentBalance(v as Payment);
      if (!b.ok) problems.push(`${path}: a returned payment does not parse: ${b.error.message}`);
      else if ((b.value.unapplied.minor as number) < 0) problems.push(`${path}: negative unapplied`);
    }
    for (const k of Reflect.ownKeys(v)) {
      const d = Object.getOwnPropertyDescriptor(v, k)!;
      const name = typeof k === 'symbol' ? k.toString() : k;
      if ('value' in d) walk(d.value, `${path}.${name}`, name);
      else problems.push(`${path}.${name}: an accessor`);
    }
  };
  walk(output, 'output', '');
  return problems;
}

const protoKeys = () => `${Object.getOwnPropertyNames(Object.prototype).join()}|${Object.getOwnPropertyNames(Array.prototype).length}|${Object.getOwnPropertyNames(Function.prototype).join()}`;
const PROTO_BEFORE = protoKeys();

/** Whether any shared prototype gained or lost a property (`{}.polluted`). */
export function polluted(): boolean {
  return protoKeys() !== PROTO_BEFORE || ({} as Record<string, unknown>).polluted !== undefined;
}

/** Whether a value is a Result. */
export function isResult(r: unknown): r is { ok: boolean; value?: unknown; error?: { code: string } } {
  return typeof r === 'object' && r !== null && (((r as { ok: unknown }).ok === true && 'value' in r) || ((r as { ok: unknown }).ok === false && typeof (r as { error?: { code?: unknown } }).error?.code === 'string'));
}

/** Functions whose amounts carry the sign of their input: `splitRevenueAmount` of −100.01 is a clawback (业绩扣回) split as exactly as a credit. */
export const SIGNED_OUTPUTS: ReadonlySet<string> = new Set(['splitRevenueAmount']);

/* --------------------------------------------------------------------- fixtures */

export const ZONE = 'Asia/Shanghai';
export const NOW = '2026-04-15T09:00:00+08:00';

/** Records the library built (by its rules): ours, not the caller's, wherever they are passed. */
export const libraryObjects = new WeakSet<object>();

function markOurs(v: unknown): void {
  if (typeof v !== 'object' || v === null || libraryObjects.has(v)) return;
  libraryObjects.add(v);
  for (const k of Reflect.ownKeys(v)) {
    const d = Object.getOwnPropertyDescriptor(v, k);
    if (d !== undefined && 'value' in d) markOurs(d.value);
  }
}

export const ctx = (): PaymentContext => ({ now: new Date(NOW), actorId: 'clerk-wu', policy: { zone: ZONE, writeOffTolerance: { CNY: '1.00' } } });
/** The context of a refund request (a fresh one each time: a mutation may change it): refunds above CNY 10.00 signed by finance (fin-wu). */
export const refundCtx = (actorId = 'clerk-wu'): PaymentContext => ({
  now: new Date(NOW),
  actorId,
  policy: { zone: ZONE, writeOffTolerance: { CNY: '1.00' }, refundApproval: { levels: [{ id: 'finance', approvers: ['fin-wu'], above: { CNY: '10.00' } }] } },
});

export const planInput = () => ({
  id: 'PP-1',
  orderId: 'SO-1',
  customerId: 'C-1',
  ownerId: 'rep-li',
  orderDate: '2026-03-02T10:00:00+08:00',
  total: { currency: 'CNY', amount: '1000.01' },
  installments: [
    { id: 'I1', percent: 30, due: { kind: 'afterOrder' as const, days: 0 } },
    { id: 'I2', percent: '50', due: { kind: 'afterOrder' as const, days: 30 } },
    { id: 'I3', percent: 20, due: { kind: 'endOfMonth' as const, months: 2 } },
  ],
});

export const paymentInput = (id: string, amount: string) => ({
  id,
  customerId: 'C-1',
  orderId: 'SO-1',
  amount: { currency: 'CNY', amount },
  receivedAt: '2026-03-05T14:00:00+08:00',
  method: 'bankTransfer',
  reference: `BOC-${id}`,
});

/**
 * A receivable in progress, as the rules built it: order SO-1 of CNY 1000.01 in 30-50-20, paid
 * 999.99 by P-1 (applied oldest first: I3 still owes 0.02, within the 1.00 tolerance), and P-2 of
 * 1000.00 received and not applied yet. The same records as stored JSON rows, too.
 */
export interface World {
  readonly plan: PaymentPlan;
  readonly p1: Payment;
  readonly p2: Payment;
  readonly planJson: Record<string, unknown>;
  readonly p1Json: Record<string, unknown>;
  readonly p2Json: Record<string, unknown>;
  /** RF-1: a refund of 100.00 out of P-2, waiting for finance. */
  readonly request: RefundRequest;
  readonly requestJson: Record<string, unknown>;
}

export function world(): World {
  const created = value(createPaymentPlan(planInput(), ctx())).plan;
  const p1 = value(recordPayment(paymentInput('P-1', '999.99'), ctx())).payment;
  const applied = value(allocatePayment(p1, [created], { kind: 'oldestFirst' }, ctx()));
  const p2 = value(recordPayment(paymentInput('P-2', '1000.00'), ctx())).payment;
  const request = value(requestRefund(p2, { id: 'RF-1', amount: '100.00', reason: '退货退款' }, refundCtx())).request;
  const w = { plan: applied.plans[0]!, p1: applied.payment, p2, request };
  markOurs(w);
  const json = (x: unknown) => JSON.parse(JSON.stringify(x)) as Record<string, unknown>;
  return { ...w, planJson: json(w.plan), p1Json: json(w.p1), p2Json: json(w.p2), requestJson: json(w.request) };
}

const shares = () => [
  { id: 'a', recipientId: 'u1', percent: '33.34' },
  { id: 'b', recipientId: 'u2', role: 'sales', percent: '66.66' },
];

/** Valid arguments of every function `src/payments/index.ts` exports, from the world: stored rows (JSON) or the library's records. */
export function validArgs(name: string, w: World, trusted: boolean): unknown[] | undefined {
  const plan = trusted ? w.plan : w.planJson;
  const p1 = trusted ? w.p1 : w.p1Json;
  const p2 = trusted ? w.p2 : w.p2Json;
  const catalog: Record<string, () => unknown[]> = {
    parsePaymentPlan: () => [plan, ['rows', 3]],
    parsePayment: () => [p1],
    parsePaymentPolicy: () => [{ zone: ZONE, writeOffTolerance: { CNY: '1.00' }, agingBuckets: [30, 60, 90], reminders: { daysBefore: [3, 1], overdueEveryDays: 7 } }],
    definePaymentPolicy: () => [{ zone: ZONE, planAmounts: 'lastIsBalance', rounding: 'halfEven' }],
    installmentState: () => [(plan as PaymentPlan).installments[2], NOW],
    paymentBalance: () => [p1],
    planOutstanding: () => [plan],
    createPaymentPlan: () => [planInput(), ctx()],
    installmentDueDate: () => ['2026-01-20T10:00:00+08:00', { kind: 'endOfMonth', days: 30 }, ZONE],
    recordPayment: () => [paymentInput('P-3', '200.00'), ctx()],
    refundPayment: () => [p2, { amount: '100.00', reason: '多付退回' }, ctx()],
    requestRefund: () => [p2, { id: 'RF-2', amount: '100.00', reason: '退货退款' }, refundCtx()],
    decideRefundRequest: () => [trusted ? w.request : w.requestJson, p2, { type: 'approve', level: 'finance' }, refundCtx('fin-wu')],
    parseRefundRequest: () => [trusted ? w.request : w.requestJson, ['rows', 1]],
    allocatePayment: () => [p2, [plan], { kind: 'oldestFirst', amount: '300.00' }, ctx()],
    allocatePayments: () => [[p2], [plan], { kind: 'proportional' }, ctx()],
    allocatePaymentsColumnar: () => [[p2], [plan], { kind: 'installmentOrder' }, ctx()],
    allocateLedger: () => [
      { currency: 'CNY', strategy: 'oldestFirst', installments: { group: [0, 0, 1], outstanding: [30_000, 50_001, 9_900] }, payments: { group: [1, 0], unapplied: [10_000, 40_000] } },
      { trusted: trusted },
    ],
    recordAndApplyPayment: () => [paymentInput('P-3', '0.01'), [plan], { kind: 'installmentOrder' }, ctx()],
    unapplyPayment: () => [p1, [plan], { amount: '100.00', reason: '录错订单' }, ctx()],
    reversePayment: () => [p1, [plan], { reason: '银行退票' }, ctx()],
    issueCreditNote: () => [{ id: 'CN-1', customerId: 'C-1', orderId: 'SO-1', amount: { currency: 'CNY', amount: '100.00' }, issuedAt: '2026-03-20T10:00:00+08:00', note: '退货 2 台' }, plan, ctx()],
    agingBucketLabels: () => [[30, 60, 90]],
    describePaymentPlan: () => [plan, NOW, { zone: ZONE }],
    receivables: () => [[plan], { now: NOW, payments: [p1, p2], policy: { zone: ZONE } }],
    paymentReminders: () => [[plan], ctx()],
    writeOffDifference: () => [plan, { installmentId: 'I3', reason: '银行手续费' }, ctx()],
    writeOffBadDebt: () => [plan, { reason: '客户破产清算' }, ctx()],
    splitRevenue: () => [p1, shares(), { basis: 'applied' }],
    splitRevenueAmount: () => [{ currency: 'CNY', amount: '100.00' }, shares()],
    createPaymentService: () => [{ store: createMemoryPaymentStore(), policy: { zone: ZONE }, messages: 'zh-CN', conflictRetries: 1 }],
  };
  return catalog[name]?.();
}

/** Valid arguments of the service's methods (over a store seeded with the world, and a corrupt row of each kind). */
export function validServiceArgs(method: string): unknown[] {
  const catalog: Record<string, () => unknown[]> = {
    createPlan: () => [{ ...planInput(), id: 'PP-2', orderId: 'SO-2' }, ctx()],
    recordPayment: () => [paymentInput('P-3', '10.00'), ctx()],
    recordAndApplyPayment: () => [paymentInput('P-3', '0.01'), { kind: 'oldestFirst' }, ctx()],
    applyPayment: () => ['P-2', undefined, ctx()],
    applyCredit: () => ['C-1', { kind: 'oldestFirst' }, ctx()],
    unapplyPayment: () => ['P-1', { amount: '1.00' }, ctx()],
    reversePayment: () => ['P-1', { reason: '退票' }, ctx()],
    refundPayment: () => ['P-2', { amount: '1.00' }, ctx()],
    requestRefund: () => ['P-2', { id: 'RF-2', amount: '100.00' }, refundCtx()],
    decideRefund: () => ['RF-1', { type: 'approve' }, refundCtx('fin-wu')],
    issueCreditNote: () => [{ id: 'CN-1', customerId: 'C-1', orderId: 'SO-1', amount: { currency: 'CNY', amount: '100.00' }, issuedAt: NOW }, ctx()],
    writeOffDifference: () => ['PP-1', {}, ctx()],
    writeOffBadDebt: () => ['PP-1', { reason: '破产' }, ctx()],
    customerReceivables: () => ['C-1', NOW],
    reminders: () => [ctx()],
  };
  return catalog[method]!();
}

/** A memory store holding the world's records, plus a corrupt plan row (due date 'x') and a corrupt payment row (an amount past 2^53). */
export function seededStore(w: World) {
  const store = createMemoryPaymentStore();
  store.plans.apply([{ record: w.plan, expectedVersion: null }]);
  store.payments.apply([
    { record: w.p1, expectedVersion: null },
    { record: w.p2, expectedVersion: null },
  ]);
  const badPlan = JSON.parse(JSON.stringify(w.plan)) as { id: string; orderId: string; installments: { dueDate: string }[] };
  badPlan.id = 'PP-BAD';
  badPlan.orderId = 'SO-BAD';
  badPlan.installments[0]!.dueDate = 'x';
  const badPayment = JSON.parse(JSON.stringify(w.p2)) as { id: string; amount: unknown };
  badPayment.id = 'P-BAD';
  badPayment.amount = { currency: 'CNY', minor: 2n ** 60n };
  store.plans.apply([{ record: badPlan as unknown as PaymentPlan, expectedVersion: null }]);
  store.payments.apply([{ record: badPayment as unknown as Payment, expectedVersion: null }]);
  const badRequest = { ...JSON.parse(JSON.stringify(w.request)), id: 'RF-BAD', status: 'applied' } as unknown as RefundRequest;
  store.refundRequests.apply([
    { record: w.request, expectedVersion: null },
    { record: badRequest, expectedVersion: null },
  ]);
  return store;
}
