/**
 * Every function `crm-rules/payments` exports, called with anything: fast-check's `anything()`
 * for each argument, and valid inputs from receivables practice (stored rows as JSON, or the
 * library's own records) with one hostile mutation — NaN, ±Infinity, −0, bigints, 2^53 + 1,
 * invalid due dates, `__proto__` keys, throwing getters, Proxies, frozen and null-prototype
 * objects, invalid and Date-like dates. For each call: a Result (the service factory: a service
 * whose methods resolve to Results), no throw but the caller's own getter's or proxy's, no input
 * changed or frozen, no prototype polluted, and an ok output frozen all the way down with no NaN,
 * no Invalid Date, no fractional or negative amount, no caller object inside, no Date of the input
 * (nor of a record passed back), no Date held at two places but through one frozen part the
 * answer shares, and none held by two of its records.
 *
 * A new export is fuzzed with `anything()` at once; the catalog test asks for its valid inputs.
 * `PAYMENTS_FUZZ_RUNS` scales the runs (default 150 per function and kind).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as payments from '../../src/payments/index.js';
import {
  HostileError,
  SIGNED_OUTPUTS,
  callerObjects,
  inputDates,
  isResult,
  libraryObjects,
  mutate,
  mutationArb,
  outputProblems,
  polluted,
  seededStore,
  sharedDates,
  snapshot,
  validArgs,
  validServiceArgs,
  world,
  type Mutation,
} from './hostile.js';

const RUNS = Number(process.env.PAYMENTS_FUZZ_RUNS ?? 150);

/** Exports that hand their argument back as it is (typing helpers): no Result, the argument itself. */
const IDENTITIES: ReadonlySet<string> = new Set(['definePaymentPolicy']);
const TIMEOUT = 300_000; // budgeted for a machine three times slower than a busy laptop

type Fn = (...args: unknown[]) => unknown;
const exported: [string, Fn][] = (Object.entries(payments) as [string, unknown][])
  .filter((e): e is [string, Fn] => typeof e[1] === 'function')
  .sort(([a], [b]) => (a < b ? -1 : 1));

const anythingArb = fc.anything({
  withBigInt: true,
  withDate: true,
  withNullPrototype: true,
  withTypedArray: true,
  withSparseArray: true,
  withBoxedValues: true,
  withMap: true,
  withSet: true,
  maxDepth: 3,
});

/** A macrotask between runs: a long run (PAYMENTS_FUZZ_RUNS) never blocks the test worker's messages to vitest. */
const breath = () => new Promise<void>((resolve) => setImmediate(resolve));

/** What went wrong in one call (empty: nothing). */
function checkCall(name: string, args: unknown[], call: () => unknown): string[] {
  const before = snapshot(args);
  const caller = callerObjects(args, libraryObjects);
  const dates = inputDates(args);
  let out: unknown;
  try {
    out = call();
  } catch (e) {
    if (e instanceof HostileError) return [];
    return [`${name} threw ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e)}`];
  }
  const problems: string[] = [];
  if (snapshot(args) !== before) problems.push(`${name} changed or froze its input`);
  if (polluted()) problems.push(`${name} polluted a prototype`);
  if (name === 'createPaymentService') {
    if (typeof out !== 'object' || out === null || !Object.isFrozen(out)) problems.push('createPaymentService: not a frozen service');
    return problems;
  }
  if (IDENTITIES.has(name)) {
    if (!Object.is(out, args[0])) problems.push(`${name} did not return its argument`);
    return problems;
  }
  if (!isResult(out)) return [...problems, `${name} returned no Result: ${String(out)}`];
  if (out.ok) problems.push(...outputProblems(out.value, caller, SIGNED_OUTPUTS.has(name)).map((p) => `${name}: ${p}`));
  // every Date of an answer is made for it (a parser handing back the trusted record it was given answers the input itself)
  if (out.ok && !args.includes(out.value)) problems.push(...sharedDates(out.value, dates).map((p) => `${name}: ${p}`));
  return problems;
}

function describeArgs(args: unknown[]): string {
  try {
    return snapshot(args).slice(0, 2_000);
  } catch {
    return '(undescribable)';
  }
}

function fail(problems: string[], args: unknown[]): void {
  if (problems.length > 0) throw new Error(`${problems.join('\n')}\nargs: ${describeArgs(args)}`);
}

describe('properties: every payments export at the boundary', () => {
  it('every exported function has valid inputs in the fuzz catalog (a new export: add its example)', () => {
    const w = world();
    const missing = exported.map(([name]) => name).filter((name) => validArgs(name, w, false) === undefined);
    expect(missing).toEqual([]);
    expect(exported.length).toBeGreaterThanOrEqual(27);
  });

  it('the valid inputs are valid: each export answers ok on them (so the mutations start from the paths that matter)', () => {
    const w = world();
    for (const [name, fn] of exported) {
      for (const trusted of [false, true]) {
        const args = validArgs(name, w, trusted)!;
        const out = fn(...args);
        if (name === 'createPaymentService') continue;
        if (IDENTITIES.has(name)) {
          expect(out).toBe(args[0]);
          continue;
        }
        expect(isResult(out) && out.ok, `${name} (${trusted ? 'library records' : 'stored rows'}): ${JSON.stringify((out as { error?: unknown }).error)}`).toBe(true);
        const fresh = validArgs(name, world(), trusted)!;
        fail(checkCall(name, fresh, () => fn(...fresh)), fresh);
      }
    }
  });

  for (const [name, fn] of exported) {
    it(
      `${name}: anything() for every argument gives a Result, never a throw`,
      async () => {
        await fc.assert(
          fc.asyncProperty(fc.array(anythingArb, { minLength: 0, maxLength: Math.max(fn.length, 1) + 1 }), async (args) => {
            await breath();
            fail(checkCall(name, args, () => fn(...args)), args);
          }),
          { numRuns: RUNS },
        );
      },
      TIMEOUT,
    );

    it(
      `${name}: valid inputs with one hostile mutation give a Result; inputs untouched; ok outputs sound`,
      async () => {
        await fc.assert(
          fc.asyncProperty(mutationArb, fc.boolean(), async (m: Mutation, trusted) => {
            await breath();
            const args = validArgs(name, world(), trusted);
            if (args === undefined) return;
            mutate(args, m);
            fail(checkCall(name, args, () => fn(...args)), args);
          }),
          { numRuns: RUNS * 2 },
        );
      },
      TIMEOUT,
    );
  }

  it(
    'the service: every method over a store with corrupt rows, with valid and mutated arguments, resolves to a Result',
    async () => {
      const methods = Object.keys(payments.createPaymentService({ store: seededStore(world()) }));
      expect(methods.length).toBe(15);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...methods), fc.option(mutationArb, { nil: null }), fc.boolean(), async (method, m, localized) => {
          await breath();
          const w = world();
          const service = payments.createPaymentService({ store: seededStore(w), policy: { zone: 'Asia/Shanghai', writeOffTolerance: { CNY: '1.00' } }, ...(localized ? { messages: 'zh-CN' as const } : {}) });
          const args = validServiceArgs(method);
          if (m !== null) mutate(args, m);
          const before = snapshot(args);
          const caller = callerObjects(args, libraryObjects);
          const dates = inputDates(args);
          let out: unknown;
          try {
            out = await (service[method as keyof typeof service] as Fn)(...args);
          } catch (e) {
            if (e instanceof HostileError) return;
            throw e;
          }
          const problems: string[] = [];
          if (snapshot(args) !== before) problems.push(`${method} changed or froze its input`);
          if (!isResult(out)) problems.push(`${method} resolved to no Result`);
          else if (out.ok) problems.push(...outputProblems(out.value, caller), ...sharedDates(out.value, dates));
          fail(problems, args);
        }),
        { numRuns: RUNS * 2 },
      );
    },
    TIMEOUT,
  );

  it(
    'a corrupt row in the store is INVALID_INPUT from every service method that reads it, never a throw',
    async () => {
      const w = world();
      const service = payments.createPaymentService({ store: seededStore(w), policy: { zone: 'Asia/Shanghai' } });
      const c = { now: new Date('2026-04-15T09:00:00+08:00'), actorId: 'clerk-wu' };
      const codes = await Promise.all([
        service.applyPayment('P-BAD', undefined, c),
        service.refundPayment('P-BAD', {}, c),
        service.unapplyPayment('P-BAD', {}, c),
        service.reversePayment('P-BAD', { reason: '退票' }, c),
        service.writeOffDifference('PP-BAD', {}, c),
        service.writeOffBadDebt('PP-BAD', { reason: '破产' }, c),
        service.issueCreditNote({ id: 'CN-9', customerId: 'C-1', orderId: 'SO-BAD', amount: { currency: 'CNY', amount: '1.00' }, issuedAt: c.now }, c),
        service.applyPayment('P-2', { kind: 'explicit', applications: [{ planId: 'PP-BAD', installmentId: 'I1', amount: '1.00' }] }, c),
        service.decideRefund('RF-BAD', { type: 'approve' }, c),
      ]);
      expect(codes.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(Array(9).fill('INVALID_INPUT'));
    },
    TIMEOUT,
  );

  it('bad service deps give a service whose every method refuses at deps, never a throw', async () => {
    for (const deps of [undefined, null, 7, {}, { store: {} }, { store: seededStore(world()), messages: 'xx' }, { store: seededStore(world()), messages: { PAYMENT_REVERSED: 5 } }, { store: seededStore(world()), conflictRetries: 10n }, { store: seededStore(world()), conflictRetries: Number.NaN }]) {
      const service = payments.createPaymentService(deps as never);
      expect(Object.isFrozen(service)).toBe(true);
      for (const method of Object.keys(service)) {
        const r = await (service[method as keyof typeof service] as Fn)('x', {}, {});
        expect(isResult(r) && !r.ok && r.error!.code, method).toBe('INVALID_INPUT');
      }
    }
  });
});
