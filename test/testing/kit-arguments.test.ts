import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryPaymentStore, createMemoryStore } from '../../src/adapters/memory/index.js';
import { idSchema, instantSchema } from '../../src/core/index.js';
import {
  actorArb,
  ContractArgumentError,
  dedupeRecordArb,
  describePaymentStoreContract,
  describeStoreContract,
  idArb,
  instantArb,
  leadArb,
  poolPolicyArb,
  poolRequestArb,
  poolCallArb,
  type ContractRunner,
  type ContractTestContext,
} from '../../src/testing/index.js';

const anything = fc.anything({ withBigInt: true, withNullPrototype: true, withDate: true, withMap: true, withSet: true, maxDepth: 2 });
const runner = { describe: () => {}, it: () => {}, expect: () => ({}) as never };
const makeStore = async () => ({ store: createMemoryStore() });

describe('the contract suites refuse arguments they cannot use with a ContractArgumentError naming the argument', () => {
  const cases: [string, () => void][] = [
    ['name', () => describeStoreContract(undefined as never, makeStore, runner)],
    ['makeStore', () => describeStoreContract('x', null as never, runner)],
    ['t.describe', () => describeStoreContract('x', makeStore, undefined as never)],
    ['t.it', () => describeStoreContract('x', makeStore, { ...runner, it: 1 } as never)],
    ['t.expect', () => describePaymentStoreContract('x', async () => ({ store: createMemoryPaymentStore() }), { describe: runner.describe, it: runner.it } as never)],
    ['options', () => describeStoreContract('x', makeStore, runner, 'fast' as never)],
    ['options.timeoutMs', () => describeStoreContract('x', makeStore, runner, { timeoutMs: -1 })],
    ['options.largePool', () => describePaymentStoreContract('x', async () => ({ store: createMemoryPaymentStore() }), runner, { largePool: 1.5 })],
  ];
  for (const [argument, call] of cases) {
    it(argument, () => {
      let thrown: unknown;
      try {
        call();
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(ContractArgumentError);
      expect(thrown).toMatchObject({ code: 'INVALID_INPUT', argument });
    });
  }

  it('property: any arguments either register the suite or throw a ContractArgumentError, nothing else', () => {
    fc.assert(
      fc.property(anything, fc.oneof(anything, fc.constant(runner)), anything, (name, t, options) => {
        for (const suite of [describeStoreContract, describePaymentStoreContract] as ((...a: unknown[]) => void)[]) {
          try {
            suite(name, makeStore, t, options);
          } catch (e) {
            expect(e).toBeInstanceOf(ContractArgumentError);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('the arbitrary builders accept anything as options: an unusable option is ignored and the default applies', () => {
  it('examples', () => {
    expect(fc.sample(dedupeRecordArb(null as never), 5).every((r) => typeof r.id === 'string')).toBe(true);
    expect(fc.sample(dedupeRecordArb({ object: 'customer' }), 5).every((r) => r.object === 'customer')).toBe(true);
    expect(fc.sample(idArb(Symbol('p') as never), 3).every((id) => id.startsWith('ID-'))).toBe(true);
    expect(fc.sample(idArb('a\u0000' as never), 3).every((id) => idSchema.safeParse(id).success)).toBe(true);
    const later = new Date('2026-06-01T00:00:00Z');
    const earlier = new Date('2026-01-01T00:00:00Z');
    expect(fc.sample(instantArb({ min: later, max: earlier }), 20).every((d) => d >= earlier && d <= later)).toBe(true);
  });

  it('property: no builder throws on any options, and what it builds is valid', () => {
    fc.assert(
      fc.property(anything, (options) => {
        const built = [
          fc.sample(idArb(options as never), 2).every((id) => idSchema.safeParse(id).success),
          fc.sample(instantArb(options as never), 2).every((d) => instantSchema.safeParse(d).success),
          fc.sample(actorArb(options as never), 2).length === 2,
          fc.sample(leadArb(options as never), 1).length === 1,
          fc.sample(poolPolicyArb(options as never), 2).length === 2,
          fc.sample(poolRequestArb(options as never), 2).every((r) => idSchema.safeParse(r.request.poolId).success && idSchema.safeParse(r.request.recordId).success),
          fc.sample(poolCallArb(options as never), 2).every((c) => idSchema.safeParse((c.args[0] as { poolId: unknown }).poolId).success && idSchema.safeParse((c.args[0] as { recordId: unknown }).recordId).success),
          fc.sample(dedupeRecordArb(options as never), 2).length === 2,
        ];
        expect(built.every(Boolean)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});

describe('a harness with a neighbour (a store of another tenant)', () => {
  /** The checks a suite registers, by title, to run by hand. */
  type Check = (context?: ContractTestContext) => Promise<void>;
  function registered(register: (t: ContractRunner) => void) {
    const checks = new Map<string, Check>();
    register({ describe: (_name, body) => body(), it: (name, body) => void checks.set(name, body), expect: expect as unknown as ContractRunner['expect'] });
    return checks;
  }
  const first = (checks: Map<string, Check>, part: string) => [...checks].find(([name]) => name.includes(part))![1];

  it('a neighbour that is not an object fails the check with a ContractArgumentError naming harness.neighbour', async () => {
    const checks = registered((t) => describeStoreContract('x', async () => ({ store: createMemoryStore(), neighbour: 42 as never }), t));
    await expect(first(checks, 'a saved lead loads back equal')()).rejects.toMatchObject({ argument: 'harness.neighbour' });
    const payments = registered((t) => describeStoreContract('x', async () => ({ store: { ...createMemoryStore(), ...createMemoryPaymentStore() } as never, neighbour: createMemoryStore() }), t));
    await expect(first(payments, 'a plan and a payment load back equal')()).rejects.toBeInstanceOf(ContractArgumentError);
  });

  it('a check runs on the neighbour first, then on the store; a failure says which tenant it happened on', async () => {
    const store = createMemoryStore();
    // one tenant posing as two: the second run finds the first run's lead
    const checks = registered((t) => describeStoreContract('x', async () => ({ store, neighbour: store }), t));
    const failure = await first(checks, 'a saved lead loads back equal')().then(
      () => null,
      (e: unknown) => e,
    );
    expect(String((failure as Error).message)).toMatch(/^on harness\.store, after the same check ran on harness\.neighbour.*CONFLICT/);
    expect(store.leads.size).toBe(1);
    // the tenants check needs a neighbour: without one it is skipped
    let skipped = '';
    const alone = registered((t) => describeStoreContract('x', async () => ({ store: createMemoryStore() }), t));
    await first(alone, 'two tenants sharing ids')({ skip: (note: string) => void (skipped = note) });
    expect(skipped).toMatch(/neighbour/);
  });
});
