import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createMemoryDatabase,
  createMemoryLeadStore,
  createMemoryPaymentStore,
  createMemoryStore,
  DEFAULT_MEMORY_TENANT,
  UnusableClientError,
  type MemoryStore,
} from '../../src/adapters/memory/index.js';
import { InvariantError, refuse, type CrmError, type Result } from '../../src/core/index.js';
import { createLead, type Lead } from '../../src/leads/index.js';
import type { Payment } from '../../src/payments/index.js';
import { createPoolService, poolEventOf, type PoolCommit, type PoolCustomer, type PoolEvent, type PoolPolicyInput, type PoolStore } from '../../src/pools/index.js';
import { storedCustomer } from '../pools/fixtures.js';
import { compareCodePoints } from '../../src/adapters/memory/versioned-table.js';

const T0 = new Date('2026-05-06T02:00:00.000Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
const li = { id: 'rep-li', departmentIds: [] };

const policy = (quota = 10): PoolPolicyInput => ({
  id: 'gh-east',
  kind: 'customer',
  zone: 'Asia/Shanghai',
  admins: ['admin-zhou'],
  members: { users: ['rep-li', 'rep-wang'], departments: [] },
  holding: { quota },
});

const customer = (id: string, extra: Partial<PoolCustomer> = {}): PoolCustomer => storedCustomer(id, { poolId: 'gh-east', ownerId: null, ownedSince: null, ...extra });

function lead(id: string, name = '张伟'): Lead {
  const r = createLead({ id, source: 'import', name, company: '深圳市腾飞科技有限公司', poolId: 'lp-east' }, { now: T0, actor: { id: 'admin-zhou', relations: ['poolAdmin'] } });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.lead;
}

function must<T>(r: Result<T, CrmError>): T {
  if (!r.ok) throw new Error(`expected success, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}

const codeOf = (r: Result<unknown, CrmError>) => (r.ok ? 'ok' : r.error.code);

/** A claim of an unowned customer as one commit over what `store` reads now. */
async function claimCommit(store: PoolStore, customerId: string, memberId: string, at = T0): Promise<PoolCommit> {
  const c = (await store.loadCustomer(customerId))!;
  const version = await store.memberVersion('gh-east', memberId);
  const plan = { operation: 'claim' as const, recordId: customerId, poolId: 'gh-east', ownerFrom: null, ownerTo: memberId, poolFrom: 'gh-east', poolTo: 'gh-east', teamIds: [], at, actorId: memberId, override: null };
  return {
    customers: [{ record: { ...c, ownerId: memberId, ownedSince: at, version: c.version + 1 }, expectedVersion: c.version }],
    members: [{ poolId: 'gh-east', memberId, expectedVersion: version }],
    log: [poolEventOf(plan, 'customer', c.version + 1)],
  };
}

/** Lets every pending microtask and I/O callback run: what an in-memory store does between awaits is done after it. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('tenancy of the in-memory store', () => {
  it('createMemoryStore() is a store of its own, as before: two such stores share nothing', async () => {
    const a = createMemoryStore();
    const b = createMemoryStore();
    must(await a.commit({ leads: [{ record: lead('L-1'), expectedVersion: null }] }));
    expect(await b.loadLead('L-1')).toBeNull();
    must(await b.commit({ leads: [{ record: lead('L-1'), expectedVersion: null }] }));
    expect(createMemoryLeadStore().leads.size).toBe(0);
  });

  it('two tenants on one database hold the same ids apart; each store’s tables are its tenant’s own', async () => {
    const database = createMemoryDatabase();
    const a = createMemoryStore({ database, tenantId: 'tenant-a' });
    const b = createMemoryStore({ database, tenantId: 'tenant-b' });
    must(await a.commit({ leads: [{ record: lead('L-1', '张伟'), expectedVersion: null }] }));
    must(await b.commit({ leads: [{ record: lead('L-1', '李娜'), expectedVersion: null }] }));
    expect((await a.loadLead('L-1'))!.name).toBe('张伟');
    expect((await b.loadLead('L-1'))!.name).toBe('李娜');
    a.putCustomer(customer('C-1', { ownerId: 'rep-li', ownedSince: T0, version: 2 }));
    expect(a.customers.size).toBe(1);
    expect(b.customers.size).toBe(0);
    expect((await b.countHoldings('gh-east', 'rep-li')).total).toBe(0);
    a.indexForDedupe({ id: 'L-1', object: 'lead', fields: { phone: '13812345678' } }, ['phone=+8613812345678']);
    expect(await b.findCandidates(['phone=+8613812345678'])).toEqual([]);
    expect((await b.countKeys(['phone=+8613812345678'])).size).toBe(0);
    a.putPolicy(policy());
    expect(await b.loadPolicy('gh-east')).toBeNull();
    expect(b.policies.size).toBe(0);
  });

  it('stores of one tenant on one database share its rows, and the payment store is the same tenant’s other half', async () => {
    const database = createMemoryDatabase();
    const first = createMemoryStore({ database, tenantId: 'acme' });
    const second = createMemoryLeadStore({ database, tenantId: 'acme' });
    must(await first.commit({ leads: [{ record: lead('L-1'), expectedVersion: null }] }));
    expect(await second.loadLead('L-1')).toEqual(await first.loadLead('L-1'));
    expect(codeOf(await second.commit({ leads: [{ record: lead('L-1'), expectedVersion: null }] }))).toBe('CONFLICT');
    // the default tenant is 'default'
    const unnamed = createMemoryStore({ database });
    must(await unnamed.commit({ leads: [{ record: lead('L-9'), expectedVersion: null }] }));
    expect(await createMemoryStore({ database, tenantId: DEFAULT_MEMORY_TENANT }).loadLead('L-9')).not.toBeNull();
    expect(await first.loadLead('L-9')).toBeNull();
    // payments of one tenant, seen by a second payment store of it, by no other tenant
    const payment = { id: 'P-1', version: 1, customerId: 'C-1' } as unknown as Payment;
    must(await createMemoryPaymentStore({ database, tenantId: 'acme' }).commit({ payments: [{ record: payment, expectedVersion: null }] }));
    expect(await createMemoryPaymentStore({ database, tenantId: 'acme' }).loadPayment('P-1')).toEqual(payment);
    expect(await createMemoryPaymentStore({ database, tenantId: 'globex' }).loadPayment('P-1')).toBeNull();
    expect(await createMemoryPaymentStore({ database }).loadPayment('P-1')).toBeNull();
  });

  it('options it cannot use give a store whose every call fails with UnusableClientError naming the option; nothing throws at creation', async () => {
    const database = createMemoryDatabase();
    const cases: [unknown, string][] = [
      [{ tenantId: '' }, 'options.tenantId'],
      [{ tenantId: 'a\u0000b' }, 'options.tenantId'],
      [{ tenantId: '\uD800' }, 'options.tenantId'],
      [{ tenantId: 'x'.repeat(201) }, 'options.tenantId'],
      [{ tenantId: 42, database }, 'options.tenantId'],
      [{ database: {} }, 'options.database'],
      [{ database: 'db' }, 'options.database'],
      [{ tenantId: 'acme', database: new Proxy({}, {}) }, 'options.database'],
      ['acme', 'options'],
      [null, 'options'],
    ];
    for (const [options, option] of cases) {
      const store = createMemoryStore(options as never);
      const payments = createMemoryPaymentStore(options as never);
      const failures = [
        store.loadLead('L-1'),
        store.commit({}),
        store.countHoldings('gh-east', 'rep-li'),
        store.findCandidates(['k']),
        store.withMemberLock('gh-east', 'rep-li', async () => refuse('CONFLICT', { entity: 'pool member', id: 'gh-east/rep-li', expectedVersion: 0, actualVersion: 1 })),
        store.streamPoolRecords('gh-east')[Symbol.asyncIterator]().next(),
        payments.loadPlan('PP-1'),
        payments.commit({}),
        payments.streamOpenPlans()[Symbol.asyncIterator]().next(),
      ];
      for (const failure of failures) {
        const reason = await failure.then(
          () => null,
          (e: unknown) => e,
        );
        expect(reason).toBeInstanceOf(UnusableClientError);
        expect(reason).toMatchObject({ code: 'INVALID_INPUT', option });
      }
      expect(() => store.putPolicy(policy())).toThrow(UnusableClientError);
      expect(() => store.putCustomer(customer('C-1'))).toThrow(UnusableClientError);
      expect(() => store.indexForDedupe({ id: 'L-1', object: 'lead', fields: {} }, ['k'])).toThrow(UnusableClientError);
    }
    // a tenant id of exactly 200 characters, supplementary characters included, is fine
    const long = createMemoryStore({ database, tenantId: '𠮷'.repeat(100) });
    must(await long.commit({ leads: [{ record: lead('L-1'), expectedVersion: null }] }));
    // a getter that throws is an option that cannot be used (never the default tenant), and is not thrown through
    const hostile = Object.defineProperty({}, 'tenantId', {
      get() {
        throw new Error('caller getter');
      },
    });
    await expect(createMemoryStore(hostile).loadLead('L-1')).rejects.toMatchObject({ option: 'options.tenantId' });
    expect(typeof (createMemoryDatabase as (...a: unknown[]) => unknown)(1, 'x')).toBe('object');
  });
});

/* ------------------------------------------------------------------ the property */

type Op =
  | { readonly kind: 'lead'; readonly tenant: number; readonly id: string; readonly expected: number | null; readonly owner: string | null; readonly name: string }
  | { readonly kind: 'customer'; readonly tenant: number; readonly id: string; readonly expected: number | null; readonly owner: string | null; readonly level: string | null }
  | { readonly kind: 'member'; readonly tenant: number; readonly member: string; readonly expected: number }
  | { readonly kind: 'state'; readonly tenant: number; readonly id: string; readonly expected: number; readonly warned: boolean }
  | { readonly kind: 'claim'; readonly tenant: number; readonly id: string; readonly member: string; readonly minute: number; readonly locked: boolean; readonly thenRefuse: boolean }
  | { readonly kind: 'dedupe'; readonly tenant: number; readonly id: string; readonly key: string }
  | { readonly kind: 'payment'; readonly tenant: number; readonly id: string; readonly expected: number | null; readonly customerId: string };

const IDS = ['X-1', 'X-2', 'X-3'];
const MEMBERS = ['rep-li', 'rep-wang'];
const versionArb = fc.option(fc.integer({ min: 1, max: 3 }), { nil: null, freq: 2 });
const opArb = (tenants: number): fc.Arbitrary<Op> => {
  const tenant = fc.integer({ min: 0, max: tenants - 1 });
  const id = fc.constantFrom(...IDS);
  const member = fc.constantFrom(...MEMBERS);
  return fc.oneof(
    fc.record({ kind: fc.constant('lead' as const), tenant, id, expected: versionArb, owner: fc.option(member, { nil: null }), name: fc.constantFrom('张伟', '李娜', 'Zoë') }),
    fc.record({ kind: fc.constant('customer' as const), tenant, id, expected: versionArb, owner: fc.option(member, { nil: null }), level: fc.constantFrom(null, 'important', 'normal') }),
    fc.record({ kind: fc.constant('member' as const), tenant, member, expected: fc.integer({ min: 0, max: 3 }) }),
    fc.record({ kind: fc.constant('state' as const), tenant, id, expected: fc.integer({ min: 0, max: 2 }), warned: fc.boolean() }),
    fc.record({ kind: fc.constant('claim' as const), tenant, id, member, minute: fc.integer({ min: 0, max: 600 }), locked: fc.boolean(), thenRefuse: fc.boolean() }),
    fc.record({ kind: fc.constant('dedupe' as const), tenant, id, key: fc.constantFrom('phone=1', 'phone=2', 'email=a') }),
    fc.record({ kind: fc.constant('payment' as const), tenant, id, expected: versionArb, customerId: fc.constantFrom('C-1', 'C-2') }),
  );
};

interface Tenant {
  readonly store: MemoryStore;
  readonly payments: ReturnType<typeof createMemoryPaymentStore>;
}

/** Runs one operation on a tenant's stores; what the store answered, as a comparable string. */
async function run(op: Op, { store, payments }: Tenant): Promise<string> {
  switch (op.kind) {
    case 'lead': {
      const base = op.expected === null ? null : ((await store.loadLead(op.id)) ?? lead(op.id));
      const version = (op.expected ?? 0) + 1;
      const record = { ...(base ?? lead(op.id)), name: op.name, ownerId: op.owner, status: op.owner === null ? 'unassigned' : 'pending', version } as Lead;
      return codeOf(await store.commit({ leads: [{ record, expectedVersion: op.expected }] }));
    }
    case 'customer': {
      const version = (op.expected ?? 0) + 1;
      const record = customer(op.id, { ownerId: op.owner, ownedSince: op.owner === null ? null : T0, level: op.level, version });
      return codeOf(await store.commit({ customers: [{ record, expectedVersion: op.expected }] }));
    }
    case 'member':
      return codeOf(await store.commit({ members: [{ poolId: 'gh-east', memberId: op.member, expectedVersion: op.expected }] }));
    case 'state': {
      const state = op.warned ? { ownerId: 'rep-li', warning: { ruleId: 'r', warnedAt: T0, reclaimAt: minutes(60) }, extendedUntil: null, extensionPendingUntil: null } : null;
      return codeOf(await store.commit({ leadReclaimStates: [{ leadId: op.id, state, expectedVersion: op.expected }] }));
    }
    case 'claim': {
      if ((await store.loadCustomer(op.id)) === null) return 'no customer';
      if (!op.locked) return codeOf(await store.commit(await claimCommit(store, op.id, op.member, minutes(op.minute))));
      return codeOf(
        await store.withMemberLock('gh-east', op.member, async (locked) => {
          const written = await locked.commit(await claimCommit(locked, op.id, op.member, minutes(op.minute)));
          return written.ok && op.thenRefuse ? refuse('POOL_QUOTA_EXCEEDED', { poolId: 'gh-east', memberId: op.member }) : written;
        }),
      );
    }
    case 'dedupe':
      store.indexForDedupe({ id: op.id, object: 'lead', fields: { name: op.key } }, [op.key]);
      return 'indexed';
    case 'payment': {
      const record = { id: op.id, version: (op.expected ?? 0) + 1, customerId: op.customerId } as unknown as Payment;
      return codeOf(await payments.commit({ payments: [{ record, expectedVersion: op.expected }] }));
    }
  }
}

/** Everything a tenant's stores answer, as plain data. */
async function stateOf({ store, payments }: Tenant) {
  const streamed: unknown[] = [];
  for (const poolId of ['gh-east', 'lp-east']) for await (const v of store.streamPoolRecords(poolId)) streamed.push(v);
  const perId = await Promise.all(
    IDS.map(async (id) => ({
      lead: await store.loadLead(id),
      customer: await store.loadCustomer(id),
      state: await store.loadLeadReclaimState(id),
      payment: await payments.loadPayment(id),
      releases: await Promise.all(MEMBERS.map((m) => store.lastReleaseBy(id, m))),
    })),
  );
  const perMember = await Promise.all(
    MEMBERS.map(async (m) => ({
      version: await store.memberVersion('gh-east', m),
      customers: await store.countHoldings('gh-east', m),
      leads: await store.countHoldings('lp-east', m),
      claims: await store.claimTimesSince('gh-east', m, minutes(0)),
    })),
  );
  const keys = ['phone=1', 'phone=2', 'email=a'];
  return {
    perId,
    perMember,
    streamed,
    candidates: await store.findCandidates(keys),
    counts: [...(await store.countKeys(keys))].sort(),
    log: [...store.poolLog] as PoolEvent[],
    sizes: [store.leads.size, store.customers.size, payments.payments.size],
  };
}

describe('properties', () => {
  it('any interleaving of commits in two tenants sharing ids: each tenant answers and holds exactly what a store given only its own commits would', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb(2), { maxLength: 60 }), async (ops) => {
        const database = createMemoryDatabase();
        const shared: Tenant[] = ['tenant-a', 'tenant-b'].map((tenantId) => ({ store: createMemoryStore({ database, tenantId }), payments: createMemoryPaymentStore({ database, tenantId }) }));
        const alone: Tenant[] = [0, 1].map(() => ({ store: createMemoryStore(), payments: createMemoryPaymentStore() }));
        for (const op of ops) expect(await run(op, shared[op.tenant]!)).toBe(await run(op, alone[op.tenant]!));
        for (const t of [0, 1]) expect(await stateOf(shared[t]!)).toEqual(await stateOf(alone[t]!));
      }),
      { numRuns: 200 },
    );
  });

  it('work under the member lock that answers a refusal leaves the tenant as if it never ran', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb(1), { maxLength: 30 }), fc.constantFrom(...IDS), async (ops, id) => {
        const with_: Tenant = { store: createMemoryStore(), payments: createMemoryPaymentStore() };
        const without: Tenant = { store: createMemoryStore(), payments: createMemoryPaymentStore() };
        for (const op of ops) {
          await run(op, with_);
          await run(op, without);
        }
        with_.store.putCustomer(customer(`${id}-extra`));
        without.store.putCustomer(customer(`${id}-extra`));
        const answer = await with_.store.withMemberLock('gh-east', 'rep-li', async (locked) => {
          must(await locked.commit(await claimCommit(locked, `${id}-extra`, 'rep-li')));
          return refuse('POOL_QUOTA_EXCEEDED', { poolId: 'gh-east', memberId: 'rep-li' });
        });
        expect(codeOf(answer)).toBe('POOL_QUOTA_EXCEEDED');
        expect(await stateOf(with_)).toEqual(await stateOf(without));
      }),
      { numRuns: 100 },
    );
  });
});

/* ------------------------------------------------------------------ the member lock */

describe('withMemberLock on the in-memory store', () => {
  it('50 concurrent claims by one member through the pool service against a quota of 10: exactly 10, no CONFLICT — even without a single retry', async () => {
    for (const maxAttempts of [undefined, 1]) {
      const store = createMemoryStore();
      store.putPolicy(policy(10));
      for (let i = 0; i < 50; i++) store.putCustomer(customer(`C-${i}`));
      let locks = 0;
      const counted: MemoryStore = { ...store, withMemberLock: (p, m, work) => (locks++, store.withMemberLock(p, m, work)) };
      const pools = createPoolService({ store: counted, ...(maxAttempts === undefined ? {} : { maxAttempts }) });
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => pools.claim({ poolId: 'gh-east', recordKind: 'customer', recordId: `C-${i}` }, { now: T0, actor: li })));
      expect(results.filter((r) => r.ok)).toHaveLength(10);
      expect(results.map(codeOf).filter((c) => c !== 'ok')).toEqual(Array(40).fill('POOL_QUOTA_EXCEEDED'));
      expect(await store.countHoldings('gh-east', 'rep-li')).toMatchObject({ total: 10 });
      expect(await store.memberVersion('gh-east', 'rep-li')).toBe(10);
      expect(await store.claimTimesSince('gh-east', 'rep-li', minutes(-1))).toHaveLength(10);
      expect(locks).toBeGreaterThanOrEqual(50);
    }
  });

  it('without the lock the same read-decide-commit works lose races; with it none does', async () => {
    const works = async (store: MemoryStore, locked: boolean) => {
      for (let i = 0; i < 20; i++) store.putCustomer(customer(`C-${i}`));
      const claim = async (s: PoolStore, i: number) => {
        if ((await s.countHoldings('gh-east', 'rep-li')).total >= 10) return refuse('POOL_QUOTA_EXCEEDED', { poolId: 'gh-east', memberId: 'rep-li', quota: 10, holding: 10 });
        return s.commit(await claimCommit(s, `C-${i}`, 'rep-li'));
      };
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (locked ? store.withMemberLock('gh-east', 'rep-li', (s) => claim(s, i)) : claim(store, i))));
      return results.map(codeOf);
    };
    const unlocked = await works(createMemoryStore(), false);
    expect(unlocked.filter((c) => c === 'CONFLICT').length).toBeGreaterThan(0);
    const store = createMemoryStore();
    const locked = await works(store, true);
    expect(locked.filter((c) => c === 'ok')).toHaveLength(10);
    expect(locked.filter((c) => c !== 'ok')).toEqual(Array(10).fill('POOL_QUOTA_EXCEEDED'));
    expect(await store.memberVersion('gh-east', 'rep-li')).toBe(10);
  });

  it('work that answers err leaves nothing applied; work that throws rejects with its error and leaves nothing applied', async () => {
    const store = createMemoryStore();
    store.putCustomer(customer('C-1'));
    const before = await store.loadCustomer('C-1');
    const refused = await store.withMemberLock('gh-east', 'rep-li', async (locked) => {
      must(await locked.commit(await claimCommit(locked, 'C-1', 'rep-li')));
      must(await locked.commit({ leads: [{ record: lead('L-1'), expectedVersion: null }], leadReclaimStates: [{ leadId: 'L-1', state: null, expectedVersion: 0 }] }));
      // inside, the work reads its own writes
      expect((await locked.loadCustomer('C-1'))!.ownerId).toBe('rep-li');
      expect(await locked.memberVersion('gh-east', 'rep-li')).toBe(1);
      expect((await locked.countHoldings('gh-east', 'rep-li')).total).toBe(1);
      expect(await locked.claimTimesSince('gh-east', 'rep-li', minutes(-1))).toEqual([T0]);
      // and nobody else does
      expect(await store.loadCustomer('C-1')).toEqual(before);
      expect(await store.loadLead('L-1')).toBeNull();
      return refuse('POOL_QUOTA_EXCEEDED', { poolId: 'gh-east', memberId: 'rep-li' });
    });
    expect(codeOf(refused)).toBe('POOL_QUOTA_EXCEEDED');
    const failure = new Error('work failed');
    await expect(
      store.withMemberLock('gh-east', 'rep-li', async (locked) => {
        must(await locked.commit(await claimCommit(locked, 'C-1', 'rep-li')));
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await store.loadCustomer('C-1')).toEqual(before);
    expect(await store.loadLead('L-1')).toBeNull();
    expect(await store.loadLeadReclaimState('L-1')).toEqual({ state: null, version: 0 });
    expect(await store.memberVersion('gh-east', 'rep-li')).toBe(0);
    expect(store.poolLog).toEqual([]);
  });

  it('what was staged is checked again when work ends: a record changed meanwhile makes the answer CONFLICT, nothing of the work applied', async () => {
    const store = createMemoryStore();
    store.putCustomer(customer('C-1'));
    store.putCustomer(customer('C-2'));
    const answer = await store.withMemberLock('gh-east', 'rep-li', async (locked) => {
      must(await locked.commit(await claimCommit(locked, 'C-1', 'rep-li')));
      // another member claims C-1 outside the lock while the work runs
      must(await store.commit(await claimCommit(store, 'C-1', 'rep-wang')));
      return { ok: true as const, value: 'done' };
    });
    expect(answer).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { entity: 'customer', id: 'C-1' } } });
    expect((await store.loadCustomer('C-1'))!.ownerId).toBe('rep-wang');
    expect(await store.memberVersion('gh-east', 'rep-li')).toBe(0);
    // a refused commit inside the work is not staged; the work may still answer ok with the rest
    const rest = await store.withMemberLock('gh-east', 'rep-li', async (locked) => {
      expect(codeOf(await locked.commit({ customers: [{ record: customer('C-2'), expectedVersion: null }] }))).toBe('CONFLICT');
      return locked.commit(await claimCommit(locked, 'C-2', 'rep-li'));
    });
    expect(codeOf(rest)).toBe('ok');
    expect((await store.loadCustomer('C-2'))!.ownerId).toBe('rep-li');
  });

  it('one member’s works run one at a time in arrival order; other members and other tenants are not held up', async () => {
    const database = createMemoryDatabase();
    const store = createMemoryStore({ database, tenantId: 'tenant-a' });
    const sameTenant = createMemoryStore({ database, tenantId: 'tenant-a' });
    const otherTenant = createMemoryStore({ database, tenantId: 'tenant-b' });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const order: string[] = [];
    const holding = store.withMemberLock('gh-east', 'rep-li', async () => {
      order.push('first in');
      await gate;
      order.push('first out');
      return { ok: true as const, value: 1 };
    });
    // another store of the same tenant queues on the same lock
    const queued = [sameTenant, store].map((s, i) =>
      s.withMemberLock('gh-east', 'rep-li', async () => {
        order.push(`queued ${i}`);
        return { ok: true as const, value: 2 };
      }),
    );
    const free = [
      store.withMemberLock('gh-east', 'rep-wang', async () => (order.push('rep-wang'), { ok: true as const, value: 3 })),
      store.withMemberLock('gh-west', 'rep-li', async () => (order.push('gh-west'), { ok: true as const, value: 4 })),
      otherTenant.withMemberLock('gh-east', 'rep-li', async () => (order.push('tenant-b'), { ok: true as const, value: 5 })),
    ];
    await Promise.all(free);
    await settle();
    expect(order).toEqual(['first in', 'rep-wang', 'gh-west', 'tenant-b']);
    release();
    await Promise.all([holding, ...queued]);
    expect(order.slice(4)).toEqual(['first out', 'queued 0', 'queued 1']);
  });

  it('the store handed to work fails once the work has ended; arguments it cannot use are INVALID_INPUT', async () => {
    const store = createMemoryStore();
    store.putCustomer(customer('C-1'));
    let leaked: PoolStore | null = null;
    must(
      await store.withMemberLock('gh-east', 'rep-li', async (locked) => {
        leaked = locked;
        return { ok: true as const, value: undefined };
      }),
    );
    await expect(leaked!.loadCustomer('C-1')).rejects.toBeInstanceOf(InvariantError);
    await expect(leaked!.commit({ members: [{ poolId: 'gh-east', memberId: 'rep-li', expectedVersion: 0 }] })).rejects.toBeInstanceOf(InvariantError);
    await expect(leaked!.streamPoolRecords('gh-east')[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(InvariantError);
    expect(await store.memberVersion('gh-east', 'rep-li')).toBe(0);
    const conflict = () => refuse('CONFLICT', { entity: 'pool member', id: 'gh-east/rep-li', expectedVersion: 0, actualVersion: 1 });
    for (const args of [[1, 'rep-li', async () => conflict()], ['gh-east', null, async () => conflict()], ['gh-east', 'rep-li', 'work']] as const) {
      expect(codeOf(await store.withMemberLock(...(args as unknown as Parameters<MemoryStore['withMemberLock']>)))).toBe('INVALID_INPUT');
    }
  });
});

describe('compareCodePoints (the order both stores list ids in)', () => {
  it('orders strings by code point, as PostgreSQL’s COLLATE "C" does, not by UTF-16 code unit', () => {
    expect(['SO-𠮷', 'SO-２', 'SO-a'].sort(compareCodePoints)).toEqual(['SO-a', 'SO-２', 'SO-𠮷']);
    const byPoints = (a: string, b: string) => {
      const x = Array.from(a, (c) => c.codePointAt(0)!);
      const y = Array.from(b, (c) => c.codePointAt(0)!);
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
      return x.length - y.length;
    };
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        expect(Math.sign(compareCodePoints(a, b))).toBe(Math.sign(byPoints(a, b)));
      }),
      { numRuns: 2000 },
    );
  });
});
