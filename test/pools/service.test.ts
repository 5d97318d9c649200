import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createMemoryStore } from '../../src/adapters/memory/index.js';
import { createLeadService } from '../../src/leads/index.js';
import { createPoolClaimGate, createPoolService, type PoolCustomer, type PoolPolicyInput } from '../../src/pools/index.js';
import { error, value } from '../support.js';
import { storedCustomer } from './fixtures.js';

const sh = (local: string) => new Date(`${local}+08:00`);
const NOW = sh('2026-05-06T10:00:00');

const policy: PoolPolicyInput = {
  id: 'gh-east',
  kind: 'customer',
  zone: 'Asia/Shanghai',
  admins: ['admin-zhou'],
  members: { users: ['rep-li', 'rep-wang'], departments: ['dept-south'] },
  holding: { quota: 10 },
  cooldownDays: 7,
};
const li = { id: 'rep-li', departmentIds: [] };
const wang = { id: 'rep-wang', departmentIds: [] };
const admin = { id: 'admin-zhou', departmentIds: [] };

const customer = (id: string, extra: Partial<PoolCustomer> = {}): PoolCustomer => storedCustomer(id, extra);

function setup(p: PoolPolicyInput = policy, n = 60) {
  const store = createMemoryStore();
  store.putPolicy(p);
  for (let i = 0; i < n; i++) store.putCustomer(customer(`C-${i}`));
  return { store, pools: createPoolService({ store }) };
}
const ref = (recordId: string, now = NOW) => ({ poolId: 'gh-east', recordKind: 'customer' as const, recordId, now });

describe('pool service over the in-memory store', () => {
  it('a claim saves the customer with its new owner and writes the pool log', async () => {
    const { store, pools } = setup();
    const r = value(await pools.claim({ ...ref('C-1'), member: li }));
    expect(r.customer).toMatchObject({ ownerId: 'rep-li', ownedSince: NOW, version: 2 });
    expect(await store.loadCustomer('C-1')).toEqual(r.customer);
    expect(store.poolLog.map((e) => [e.type, e.subject.id, e.type === 'pool.reclaimWarned' ? null : e.data.ownerTo])).toEqual([['pool.claimed', 'C-1', 'rep-li']]);
  });

  it('50 concurrent claims by one member with quota 10 give exactly 10 holdings', async () => {
    const { store, pools } = setup();
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => pools.claim({ ...ref(`C-${i}`), member: li })));
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual(Array(40).fill('POOL_QUOTA_EXCEEDED'));
    expect(await store.countHoldings('gh-east', 'rep-li')).toMatchObject({ total: 10 });
  });

  it('two members racing for one customer: one owns it, the other is told it is taken', async () => {
    const { store, pools } = setup();
    const [a, b] = await Promise.all([pools.claim({ ...ref('C-1'), member: li }), pools.claim({ ...ref('C-1'), member: wang })]);
    expect([a, b].filter((r) => r.ok)).toHaveLength(1);
    expect([a, b].map((r) => (r.ok ? 'ok' : r.error.code)).sort()).toEqual(['POOL_RECORD_OWNED', 'ok']);
    expect((await store.loadCustomer('C-1'))!.version).toBe(2);
  });

  it('a returned customer cannot be claimed back by the same rep during the cooldown (from the pool log)', async () => {
    const { pools } = setup();
    value(await pools.claim({ ...ref('C-1'), member: li }));
    value(await pools.returnRecord({ ...ref('C-1', sh('2026-05-06T11:00:00')), owner: li }));
    const again = error(await pools.claim({ ...ref('C-1', sh('2026-05-06T11:01:00')), member: li }));
    expect(again).toMatchObject({ code: 'POOL_COOLDOWN_ACTIVE', details: { retryAfter: sh('2026-05-13T00:00:00') } });
    expect((await pools.claim({ ...ref('C-1', sh('2026-05-06T11:02:00')), member: wang })).ok).toBe(true);
  });

  it('the claim limit reads the member’s claims from the log', async () => {
    const { pools } = setup({ ...policy, claimLimit: { max: 2, periodDays: 1 } });
    value(await pools.claim({ ...ref('C-1'), member: li }));
    value(await pools.claim({ ...ref('C-2'), member: li }));
    expect(error(await pools.claim({ ...ref('C-3'), member: li })).code).toBe('POOL_CLAIM_LIMIT_REACHED');
    expect((await pools.claim({ ...ref('C-3', sh('2026-05-07T00:00:00')), member: li })).ok).toBe(true);
  });

  it('an admin’s quota override is kept in the pool log', async () => {
    const { store, pools } = setup({ ...policy, holding: { quota: 1 } });
    value(await pools.claim({ ...ref('C-1'), member: li }));
    expect(error(await pools.assign({ ...ref('C-2'), admin, assignee: li })).code).toBe('POOL_QUOTA_EXCEEDED');
    value(await pools.assign({ ...ref('C-2'), admin, assignee: li, override: { reason: 'VIP 客户由李负责' } }));
    const last = store.poolLog.at(-1)!;
    expect(last.type === 'pool.assigned' && last.data.override).toEqual({ by: 'admin-zhou', reason: 'VIP 客户由李负责', exceeded: ['POOL_QUOTA_EXCEEDED'] });
  });

  it('owner change, transfer and manual reclaim go through the same door', async () => {
    const { store, pools } = setup();
    store.putPolicy({ ...policy, id: 'gh-west' });
    store.putPolicy({ ...policy, id: 'lp-x', kind: 'lead' });
    value(await pools.claim({ ...ref('C-1'), member: li }));
    expect(value(await pools.changeOwner({ ...ref('C-1'), admin, newOwner: wang })).customer).toMatchObject({ ownerId: 'rep-wang' });
    expect(value(await pools.reclaim({ ...ref('C-1'), admin })).customer).toMatchObject({ ownerId: null, ownedSince: null });
    expect(error(await pools.transfer({ ...ref('C-1'), actor: admin, toPoolId: 'gh-nowhere' })).code).toBe('NOT_FOUND');
    expect(error(await pools.transfer({ ...ref('C-1'), actor: admin, toPoolId: 'lp-x' })).code).toBe('POOL_TARGET_KIND_MISMATCH');
    expect(value(await pools.transfer({ ...ref('C-1'), actor: admin, toPoolId: 'gh-west' })).customer).toMatchObject({ poolId: 'gh-west' });
    expect(store.poolLog.map((e) => e.type)).toEqual(['pool.claimed', 'pool.ownerChanged', 'pool.reclaimed', 'pool.transferred']);
    expect(error(await pools.claim({ ...ref('C-404'), member: li })).code).toBe('NOT_FOUND');
    expect(error(await pools.claim({ ...ref('C-1'), poolId: 'nowhere', member: li })).code).toBe('NOT_FOUND');
  });
});

describe('lead pools', () => {
  const leadPolicy: PoolPolicyInput = { ...policy, id: 'lp-1', kind: 'lead', holding: { quota: 2 } };

  async function leadSetup() {
    const store = createMemoryStore();
    store.putPolicy(leadPolicy);
    const leads = createLeadService({ store });
    for (const id of ['L-1', 'L-2', 'L-3']) {
      value(await leads.create({ id, source: 'import', name: id, poolId: 'lp-1' }, { now: sh('2026-05-01T09:00:00'), actor: { id: 'admin-zhou', relations: ['poolAdmin'] } }));
    }
    return { store, pools: createPoolService({ store }) };
  }
  const leadRef = (recordId: string, now = NOW) => ({ poolId: 'lp-1', recordKind: 'lead' as const, recordId, now });

  it('claims a lead through the lead rules, with the pool’s quota', async () => {
    const { store, pools } = await leadSetup();
    const r = value(await pools.claim({ ...leadRef('L-1'), member: li }));
    expect(r.lead).toMatchObject({ status: 'pending', ownerId: 'rep-li', version: 2 });
    expect(r.events.map((e) => e.type)).toEqual(['pool.claimed', 'lead.claimed']);
    value(await pools.claim({ ...leadRef('L-2'), member: li }));
    expect(error(await pools.claim({ ...leadRef('L-3'), member: li })).code).toBe('POOL_QUOTA_EXCEEDED');
    expect((await store.loadLead('L-3'))!.status).toBe('unassigned');
  });

  it('a lead returned to the pool needs the lead’s reason; the lead rules still have their say', async () => {
    const { store, pools } = await leadSetup();
    value(await pools.claim({ ...leadRef('L-1'), member: li }));
    expect(error(await pools.returnRecord({ ...leadRef('L-1'), owner: li, reason: { code: 'bored' } })).code).toBe('LEAD_RETURN_REASON_UNKNOWN');
    value(await pools.returnRecord({ ...leadRef('L-1'), owner: li, reason: { code: 'unreachable' } }));
    expect(await store.loadLead('L-1')).toMatchObject({ status: 'unassigned', ownerId: null, lastRelease: { kind: 'returned' } });
  });

  it('a customer in a lead pool is refused', async () => {
    const { store, pools } = await leadSetup();
    store.putCustomer({ ...customer('C-9'), poolId: 'lp-1' });
    expect(error(await pools.claim({ poolId: 'lp-1', recordKind: 'customer', recordId: 'C-9', now: NOW, member: li })).code).toBe('POOL_RECORD_NOT_IN_POOL');
  });
});

describe('properties', () => {
  it('concurrent claims and assigns by several members never pass the quota without an override in the log', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 5 }),
        fc.array(
          fc.record({ who: fc.constantFrom(li, wang), rec: fc.integer({ min: 0, max: 19 }), assign: fc.boolean(), override: fc.boolean() }),
          { minLength: 1, maxLength: 40 },
        ),
        async (quota, ops) => {
          const { store, pools } = setup({ ...policy, holding: { quota } }, 20);
          await Promise.all(
            ops.map((op) =>
              op.assign
                ? pools.assign({ ...ref(`C-${op.rec}`), admin, assignee: op.who, ...(op.override ? { override: { reason: 'test' } } : {}) })
                : pools.claim({ ...ref(`C-${op.rec}`), member: op.who }),
            ),
          );
          for (const m of [li, wang]) {
            const held = (await store.countHoldings('gh-east', m.id)).total;
            const overrides = store.poolLog.filter((e) => e.type !== 'pool.reclaimWarned' && e.data.ownerTo === m.id && e.data.override !== null).length;
            expect(held - overrides).toBeLessThanOrEqual(quota);
          }
          // every customer has at most one owner and a version that counts its writes
          const owners = store.poolLog.length;
          expect([...store.customers.values()].reduce((n, c) => n + (c.version - 1), 0)).toBe(owners);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('the claim gate for the lead service', () => {
  it('applies the lead pool’s quota and cooldown to claims made through the lead service', async () => {
    const store = createMemoryStore();
    store.putPolicy({ ...policy, id: 'lp-2', kind: 'lead', holding: { quota: 1 } });
    const leads = createLeadService({ store, claimGate: createPoolClaimGate({ store }) });
    const adminActor = { id: 'admin-zhou', relations: ['poolAdmin' as const] };
    for (const id of ['L-1', 'L-2']) value(await leads.create({ id, source: 'import', name: id, poolId: 'lp-2' }, { now: sh('2026-05-01T09:00:00'), actor: adminActor }));
    const rep = { id: 'rep-li', relations: ['poolMember' as const] };
    value(await leads.execute('L-1', { type: 'claim' }, { now: NOW, actor: rep }));
    expect(error(await leads.execute('L-2', { type: 'claim' }, { now: NOW, actor: rep })).code).toBe('POOL_QUOTA_EXCEEDED');
    const outsider = { id: 'rep-x', relations: [] };
    expect(error(await leads.execute('L-2', { type: 'claim' }, { now: NOW, actor: outsider })).code).toBe('LEAD_PERMISSION_DENIED');
  });
});

describe('the nightly reclaim run', () => {
  // 纷享销客: an important customer not followed up for 15 days goes back to the pool, and the
  // owner and the team hear of it 3 days before.
  const rulePolicy: PoolPolicyInput = {
    ...policy,
    reclaimRules: [
      {
        id: 'important-15d',
        condition: { all: [{ field: 'level', op: 'eq', value: 'important' }] },
        trigger: { kind: 'noFollowUp', days: 15 },
        noticeDays: 3,
        notify: ['owner', 'team'],
      },
    ],
  };
  const day = (n: number, hhmm = '10:00') => new Date(sh(`2026-05-01T${hhmm}:00`).getTime() + n * 86_400_000);

  it('a run stopped by its signal says so, keeps what it did, and the next run does the rest', async () => {
    const store = createMemoryStore();
    store.putPolicy(rulePolicy);
    for (let i = 0; i < 250; i++) store.putCustomer(customer(`C-${i}`, { level: 'important', ownerId: 'rep-li', ownedSince: day(0) }));
    const pools = createPoolService({ store });
    const c = new AbortController();
    const seen: { phase: string; done: number; total?: number }[] = [];
    const first = value(
      await pools.runReclaim({
        poolId: 'gh-east',
        now: day(15),
        signal: c.signal,
        onProgress: (p) => {
          seen.push(p);
          if (p.done >= 100) c.abort();
        },
      }),
    );
    expect(first).toMatchObject({ aborted: true, warned: 100, reclaimed: 0 });
    expect(first.events).toHaveLength(100);
    expect(seen).toEqual([
      { phase: 'scanning', done: 100 },
      { phase: 'scanning', done: 100 },
    ]);
    // a record is warned before it is reclaimed (the promised date holds): 100 warned so far
    const warnedCount = async () => (await Promise.all(Array.from({ length: 250 }, (_, i) => store.loadCustomer(`C-${i}`)))).filter((x) => x!.warning !== null).length;
    expect(await warnedCount()).toBe(100);
    const second = value(await pools.runReclaim({ poolId: 'gh-east', now: day(15), onProgress: (p) => seen.push(p) }));
    expect(second).toMatchObject({ aborted: false, warned: 150, reclaimed: 0 });
    expect(seen.at(-1)).toEqual({ phase: 'scanning', done: 250, total: 250 });
    expect(await warnedCount()).toBe(250);
    // an aborted signal stops the run before it starts; a signal that is not one is refused
    const done = new AbortController();
    done.abort();
    expect(value(await pools.runReclaim({ poolId: 'gh-east', now: day(30), signal: done.signal }))).toMatchObject({ aborted: true, reclaimed: 0, events: [] });
    expect(value(await pools.runReclaim({ poolId: 'gh-east', now: day(30) }))).toMatchObject({ aborted: false, reclaimed: 250 });
    expect(error(await pools.runReclaim({ poolId: 'gh-east', now: day(15), signal: 'stop' as never })).code).toBe('INVALID_INPUT');
  });

  it('a store failing mid-run: what was done is answered, the failure refused, the run stopped (before anything is done: the run is refused)', async () => {
    const store = createMemoryStore();
    store.putPolicy(rulePolicy);
    for (let i = 0; i < 3; i++) store.putCustomer(customer(`C-${i}`, { level: 'important', ownerId: 'rep-li', ownedSince: day(0) }));
    const failing = {
      ...store,
      async *streamPoolRecords(poolId: string) {
        let n = 0;
        for await (const view of store.streamPoolRecords(poolId)) {
          if (n++ === 2) throw new Error('connection lost');
          yield view;
        }
      },
    };
    const run = value(await createPoolService({ store: failing }).runReclaim('gh-east', { now: day(15) }));
    expect(run).toMatchObject({ warned: 2, aborted: true });
    expect(run.refused.map((r) => [r.recordId, r.error.code])).toEqual([[null, 'STORE_UNAVAILABLE']]);
    const atOnce = { ...store, async *streamPoolRecords() { throw new Error('connection lost'); } };
    expect(error(await createPoolService({ store: atOnce }).runReclaim('gh-east', { now: day(15) })).code).toBe('STORE_UNAVAILABLE');
  });

  it('warns on day 12, once, and reclaims on day 15 (customer)', async () => {
    const store = createMemoryStore();
    store.putPolicy(rulePolicy);
    store.putCustomer(customer('C-1', { level: 'important', teamIds: ['rep-chen'] }));
    store.putCustomer(customer('C-2', { level: 'normal' }));
    const pools = createPoolService({ store });
    value(await pools.claim({ ...ref('C-1', day(0)), member: li }));
    value(await pools.claim({ ...ref('C-2', day(0)), member: li }));
    expect(value(await pools.runReclaim({ poolId: 'gh-east', now: day(11) }))).toMatchObject({ warned: 0, reclaimed: 0 });
    const d12 = value(await pools.runReclaim({ poolId: 'gh-east', now: day(12) }));
    expect(d12).toMatchObject({ warned: 1, reclaimed: 0 });
    expect(d12.events[0]).toMatchObject({
      type: 'pool.reclaimWarned',
      subject: { id: 'C-1' },
      data: { ruleId: 'important-15d', reclaimAt: sh('2026-05-16T00:00:00'), notify: ['rep-li', 'rep-chen'] },
    });
    expect((await store.loadCustomer('C-1'))!.warning).toMatchObject({ ruleId: 'important-15d', reclaimAt: sh('2026-05-16T00:00:00') });
    expect(value(await pools.runReclaim({ poolId: 'gh-east', now: day(13) }))).toMatchObject({ warned: 0, reclaimed: 0 });
    expect(value(await pools.runReclaim({ poolId: 'gh-east', now: sh('2026-05-15T23:59:59') }))).toMatchObject({ reclaimed: 0 });
    const d15 = value(await pools.runReclaim({ poolId: 'gh-east', now: day(15) }));
    expect(d15).toMatchObject({ warned: 0, reclaimed: 1 });
    expect(await store.loadCustomer('C-1')).toMatchObject({ ownerId: null, warning: null, ownedSince: null });
    expect(store.poolLog.at(-1)).toMatchObject({ type: 'pool.reclaimed', actorId: 'system:reclaim', data: { ruleId: 'important-15d', ownerFrom: 'rep-li' } });
    expect((await store.loadCustomer('C-2'))!.ownerId).toBe('rep-li'); // no rule covers a normal customer
    // running again at the same time changes nothing
    expect(value(await pools.runReclaim({ poolId: 'gh-east', now: day(15) }))).toMatchObject({ warned: 0, reclaimed: 0 });
    // Li lost it to a reclaim: the cooldown binds him too
    expect(error(await pools.claim({ ...ref('C-1', day(16)), member: li })).code).toBe('POOL_COOLDOWN_ACTIVE');
  });

  it('a follow-up logged after the warning stops the reclaim', async () => {
    const store = createMemoryStore();
    store.putPolicy(rulePolicy);
    store.putCustomer(customer('C-1', { level: 'important' }));
    const pools = createPoolService({ store });
    value(await pools.claim({ ...ref('C-1', day(0)), member: li }));
    value(await pools.runReclaim({ poolId: 'gh-east', now: day(12) }));
    const c = (await store.loadCustomer('C-1'))!;
    await store.commit({ customers: [{ record: { ...c, lastFollowUpAt: day(14), version: c.version + 1 }, expectedVersion: c.version }] });
    expect(value(await pools.runReclaim({ poolId: 'gh-east', now: day(15) }))).toMatchObject({ reclaimed: 0 });
    expect((await store.loadCustomer('C-1'))!.ownerId).toBe('rep-li');
  });

  it('reclaims a lead through the lead rules, with the rule on the lead’s release', async () => {
    const store = createMemoryStore();
    store.putPolicy({ ...rulePolicy, id: 'lp-9', kind: 'lead' });
    const leads = createLeadService({ store });
    value(
      await leads.create(
        { id: 'L-1', source: 'import', name: '张伟', poolId: 'lp-9', attributes: { level: 'important' } },
        { now: day(-1), actor: { id: 'admin-zhou', relations: ['poolAdmin'] } },
      ),
    );
    const pools = createPoolService({ store });
    value(await pools.claim({ poolId: 'lp-9', recordKind: 'lead', recordId: 'L-1', now: day(0), member: li }));
    expect(value(await pools.runReclaim({ poolId: 'lp-9', now: day(12) })).warned).toBe(1);
    expect((await store.loadLeadReclaimState('L-1')).state).toMatchObject({ ownerId: 'rep-li', warning: { ruleId: 'important-15d' } });
    const run = value(await pools.runReclaim({ poolId: 'lp-9', now: day(15) }));
    expect(run.reclaimed).toBe(1);
    expect(run.events.map((e) => e.type)).toEqual(['pool.reclaimed', 'lead.reclaimed']);
    expect(await store.loadLead('L-1')).toMatchObject({ status: 'unassigned', ownerId: null, lastRelease: { kind: 'reclaimed', ruleId: 'important-15d' } });
    expect((await store.loadLeadReclaimState('L-1')).state).toBeNull();
  });
});

describe('review fixes', () => {
  it('a request that is not an object is INVALID_INPUT, not a crash', async () => {
    const { pools } = setup();
    for (const method of ['claim', 'assign', 'returnRecord', 'transfer', 'changeOwner', 'reclaim', 'runReclaim'] as const) {
      const r = await (pools[method] as (x: unknown) => Promise<{ ok: boolean; error?: { code: string } }>)(null);
      expect([method, r.ok ? 'ok' : r.error!.code]).toEqual([method, 'INVALID_INPUT']);
    }
  });

  it('without any limit, concurrent gains by one member do not conflict', async () => {
    const { pools } = setup({ ...policy, holding: { quota: null }, cooldownDays: 0 }, 100);
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => pools.claim({ ...ref(`C-${i}`), member: li })));
    expect(results.every((r) => r.ok)).toBe(true);
  });

  it('the cooldown also reads a lead released through the lead service', async () => {
    const store = createMemoryStore();
    store.putPolicy({ ...policy, id: 'lp-3', kind: 'lead', holding: { quota: 5 }, cooldownDays: 7 });
    const leads = createLeadService({ store, claimGate: createPoolClaimGate({ store }) });
    value(await leads.create({ id: 'L-1', source: 'import', name: 'n', poolId: 'lp-3' }, { now: sh('2026-05-01T09:00:00'), actor: { id: 'admin-zhou', relations: ['poolAdmin'] } }));
    const rep = { id: 'rep-li', relations: ['poolMember' as const] };
    value(await leads.execute('L-1', { type: 'claim' }, { now: NOW, actor: rep }));
    value(await leads.execute('L-1', { type: 'return', reason: { code: 'no_need' } }, { now: NOW, actor: rep }));
    expect(error(await leads.execute('L-1', { type: 'claim' }, { now: NOW, actor: rep })).code).toBe('POOL_COOLDOWN_ACTIVE');
    const pools = createPoolService({ store });
    expect(error(await pools.claim({ poolId: 'lp-3', recordKind: 'lead', recordId: 'L-1', now: NOW, member: li })).code).toBe('POOL_COOLDOWN_ACTIVE');
  });

  it('a warning is not written for a record returned after the scan began', async () => {
    const store = createMemoryStore();
    store.putPolicy({
      ...policy,
      reclaimRules: [{ id: 'r', trigger: { kind: 'noFollowUp', days: 15 }, noticeDays: 3 }],
    });
    store.putCustomer(customer('C-1'));
    const pools = createPoolService({ store });
    value(await pools.claim({ ...ref('C-1', sh('2026-05-01T10:00:00')), member: li }));
    // the scan sees C-1 owned; the owner returns it before the warning is written
    const original = store.streamPoolRecords.bind(store);
    store.streamPoolRecords = async function* (poolId: string) {
      for await (const r of original(poolId)) {
        await pools.returnRecord({ ...ref('C-1', sh('2026-05-13T10:00:00')), owner: li });
        yield r; // the view read before the return: stale
      }
    };
    const run = value(await pools.runReclaim({ poolId: 'gh-east', now: sh('2026-05-13T10:00:00') }));
    expect(run.warned).toBe(0);
    expect((await store.loadCustomer('C-1'))!.warning).toBeNull();
  });

  it('a policy object changed by its host is read again, never from a stale cache', async () => {
    const { decideClaim } = await import('../../src/pools/index.js');
    const mutable = { ...policy, holding: { quota: 5 } } as { holding: { quota: number } } & PoolPolicyInput;
    const record = { id: 'C-1', kind: 'customer' as const, poolId: 'gh-east', ownerId: null, level: null, won: false, openOpportunityCount: 0, ownedSince: null, lastFollowUpAt: null, lastDealAt: null, lastOpenOpportunityAt: null, teamIds: [], attributes: {}, extendedUntil: null, extensionPendingUntil: null, warning: null };
    const stats = { holdings: { total: 3, won: 0, byLevel: {} }, claimTimes: [], lastRelease: null };
    expect(decideClaim(mutable, record, li, stats, NOW).ok).toBe(true);
    mutable.holding.quota = 1;
    expect(decideClaim(mutable, record, li, stats, NOW).ok).toBe(false);
  });
});

describe('extensions through the service', () => {
  const extPolicy: PoolPolicyInput = {
    ...policy,
    reclaimRules: [
      {
        id: 'important-15d',
        condition: { all: [{ field: 'level', op: 'eq', value: 'important' }] },
        trigger: { kind: 'noFollowUp', days: 15 },
        noticeDays: 3,
        extension: { allowed: true, maxDays: 7, approvalRequired: true },
      },
    ],
  };
  const d = (n: number) => new Date(sh('2026-05-01T10:00:00').getTime() + n * 86_400_000);

  it('a pending request holds the reclaim; the admin’s approval moves the date', async () => {
    const store = createMemoryStore();
    store.putPolicy(extPolicy);
    store.putCustomer(customer('C-1', { level: 'important' }));
    const pools = createPoolService({ store });
    value(await pools.claim({ ...ref('C-1', d(0)), member: li }));
    value(await pools.runReclaim({ poolId: 'gh-east', now: d(12) }));
    const asked = value(await pools.requestExtension({ ...ref('C-1', d(13)), requestedBy: 'rep-li', days: 5, reason: '客户出差' }));
    expect(asked.status).toBe('pending');
    expect((await store.loadCustomer('C-1'))!.extensionPendingUntil).toEqual(sh('2026-05-21T00:00:00'));
    expect(value(await pools.runReclaim({ poolId: 'gh-east', now: d(15) })).reclaimed).toBe(0); // held while pending
    expect(error(await pools.decideExtension({ request: asked.request, verdict: { approve: true, by: 'rep-li' }, now: d(15) })).code).toBe('POOL_NOT_AN_ADMIN');
    value(await pools.decideExtension({ request: asked.request, verdict: { approve: true, by: 'admin-zhou' }, now: d(15) }));
    expect(await store.loadCustomer('C-1')).toMatchObject({ extendedUntil: sh('2026-05-21T00:00:00'), extensionPendingUntil: null });
    // 18 May: inside the new date's notice window: a fresh warning for 21 May
    expect(value(await pools.runReclaim({ poolId: 'gh-east', now: d(17) }))).toMatchObject({ warned: 1, reclaimed: 0 });
    expect(value(await pools.runReclaim({ poolId: 'gh-east', now: d(18) }))).toMatchObject({ warned: 0, reclaimed: 0 });
    expect(value(await pools.runReclaim({ poolId: 'gh-east', now: d(20) })).reclaimed).toBe(1);
  });
});

describe('what the store answers is copied before it reaches the caller', () => {
  /** A store whose commits all answer the given refusal. */
  function refusingStore(answer: unknown) {
    const store = createMemoryStore();
    store.putPolicy(policy);
    store.putCustomer(customer('C-1'));
    // without the member lock, so the claim's own commit meets the answer
    const { withMemberLock: _lock, ...rest } = store as typeof store & { withMemberLock?: unknown };
    return { ...rest, commit: async () => answer as never };
  }

  it('a refusal’s details are copied all the way down: nothing the store holds ends in the caller’s refusal', async () => {
    const at = new Date('2026-05-01T00:00:00Z');
    const details = { entity: 'customer', id: 'C-1', why: { ids: ['a', 'b'], at } };
    const answer = { ok: false, error: { code: 'NOT_FOUND', message: 'gone', details } };
    const r = error(await createPoolService({ store: refusingStore(answer) }).claim({ ...ref('C-1'), member: li }));
    expect(r.code).toBe('NOT_FOUND');
    expect(r.details).toEqual(details);
    const why = r.details.why as typeof details.why;
    expect(why).not.toBe(details.why);
    expect(why.ids).not.toBe(details.why.ids);
    expect(why.at).not.toBe(at);
    expect(Object.isFrozen(why) && Object.isFrozen(why.ids)).toBe(true);
    // the store's objects are neither frozen nor tied to the refusal
    expect(Object.isFrozen(details.why) || Object.isFrozen(details.why.ids)).toBe(false);
    details.why.ids.push('c');
    at.setTime(0);
    expect(why.ids).toEqual(['a', 'b']);
    expect(why.at.getTime()).toBe(Date.parse('2026-05-01T00:00:00Z'));
  });

  it('details that are not data (a Map, a getter) are INVALID_INPUT at their path, the getter never called', async () => {
    let called = 0;
    const withMap = { ok: false, error: { code: 'NOT_FOUND', message: 'gone', details: { extra: { m: new Map() } } } };
    const r = await createPoolService({ store: refusingStore(withMap) }).claim({ ...ref('C-1'), member: li });
    expect(error(r).details.issues).toMatchObject([{ path: ['store', 'commit', 'error', 'details', 'extra', 'm'] }]);
    const withGetter = { ok: false, error: { code: 'NOT_FOUND', message: 'gone', details: { extra: { get x() { return called++; } } } } };
    expect(error(await createPoolService({ store: refusingStore(withGetter) }).claim({ ...ref('C-1'), member: li })).code).toBe('INVALID_INPUT');
    expect(called).toBe(0);
  });
});

describe('lost races, member locks and failing stores', () => {
  /** The memory store without its member lock: the optimistic path, with a commit we control. */
  function optimistic(commit: (c: unknown) => Promise<unknown>) {
    const store = createMemoryStore();
    store.putPolicy(policy);
    store.putCustomer(customer('C-1'));
    const { withMemberLock: _lock, ...rest } = store as typeof store & { withMemberLock?: unknown };
    return { ...rest, commit: commit as never };
  }
  const conflict = { ok: false, error: { code: 'CONFLICT', message: 'changed', details: { entity: 'customer', id: 'C-1', expectedVersion: 1, actualVersion: 2 } } };

  it('a call that keeps losing races decides again until maxAttempts, then answers CONFLICT', async () => {
    let commits = 0;
    const store = optimistic(async () => (commits++, conflict));
    const r = await createPoolService({ store, maxAttempts: 3 }).claim({ ...ref('C-1'), member: li });
    expect(error(r).code).toBe('CONFLICT');
    expect(commits).toBe(3);
  });

  it('without maxAttempts the time budget decides: several tries with backoff, then CONFLICT; a race won on a later try is ok', async () => {
    let commits = 0;
    const losing = optimistic(async () => (commits++, conflict));
    expect(error(await createPoolService({ store: losing, retry: { budgetMs: 40, baseDelayMs: 1, maxDelayMs: 4 } }).claim({ ...ref('C-1'), member: li })).code).toBe('CONFLICT');
    expect(commits).toBeGreaterThan(1);
    let tries = 0;
    const inner = createMemoryStore();
    inner.putPolicy(policy);
    inner.putCustomer(customer('C-1'));
    const { withMemberLock: _lock, ...rest } = inner as typeof inner & { withMemberLock?: unknown };
    const winning = { ...rest, commit: async (c: Parameters<typeof inner.commit>[0]) => (++tries < 3 ? conflict : inner.commit(c)) };
    const won = value(await createPoolService({ store: winning as never, retry: { budgetMs: 60_000 } }).claim({ ...ref('C-1'), member: li }));
    expect(won.customer).toMatchObject({ ownerId: 'rep-li' });
    expect(tries).toBe(3);
  });

  it('retry settings out of range are INVALID_INPUT at deps.retry', async () => {
    for (const retry of [{ budgetMs: -1 }, { baseDelayMs: 1.5 }, { maxDelayMs: 'x' }, { other: 1 }]) {
      const r = await createPoolService({ store: createMemoryStore(), retry: retry as never }).claim({ ...ref('C-1'), member: li });
      expect(error(r).details.issues).toMatchObject([{ path: expect.arrayContaining(['deps', 'retry']) }]);
    }
  });

  it('a store that rejects or throws is STORE_UNAVAILABLE, never a rejected promise', async () => {
    const store = createMemoryStore();
    store.putPolicy(policy);
    const failing = { ...store, loadPolicy: async () => Promise.reject(Object.assign(new Error('Connection terminated unexpectedly\nat line 2'), { code: 'ECONNRESET' })) };
    const r = error(await createPoolService({ store: failing }).claim({ ...ref('C-1'), member: li }));
    expect(r).toMatchObject({ code: 'STORE_UNAVAILABLE', details: { outcome: 'unknown', reason: 'ECONNRESET: Connection terminated unexpectedly' } });
    const throwing = { ...store, streamPoolRecords: () => { throw new Error('boom'); } };
    expect(error(await createPoolService({ store: throwing }).runReclaim({ poolId: 'gh-east', now: NOW })).code).toBe('STORE_UNAVAILABLE');
  });

  it('gains under a holding limit go through withMemberLock, once per try, on the gainer; gains without one and returns do not', async () => {
    const { store } = setup();
    const locked: string[] = [];
    const spied = {
      ...store,
      withMemberLock: <T,>(poolId: string, memberId: string, work: (s: typeof store) => Promise<T>) => {
        locked.push(`${poolId}/${memberId}`);
        return (store as unknown as { withMemberLock: (p: string, m: string, w: typeof work) => Promise<T> }).withMemberLock(poolId, memberId, work);
      },
    };
    const pools = createPoolService({ store: spied as never });
    value(await pools.claim({ ...ref('C-1'), member: li }));
    value(await pools.assign({ ...ref('C-2'), admin, assignee: wang }));
    value(await pools.returnRecord({ ...ref('C-1'), owner: li }));
    expect(locked).toEqual(['gh-east/rep-li', 'gh-east/rep-wang']);
    const free = setup({ ...policy, holding: {} });
    const spiedFree = { ...free.store, withMemberLock: () => Promise.reject(new Error('not for pools without a limit')) };
    value(await createPoolService({ store: spiedFree as never }).claim({ ...ref('C-1'), member: li }));
  });

  it('a member lock that answers ok without running the work, or answers something else, is INVALID_INPUT at store.withMemberLock; its refusal is passed on, copied', async () => {
    const { store } = setup();
    const lying = { ...store, withMemberLock: async () => ({ ok: true, value: undefined }) };
    expect(error(await createPoolService({ store: lying as never }).claim({ ...ref('C-1'), member: li })).details.issues).toMatchObject([{ path: ['store', 'withMemberLock'] }]);
    const garbage = { ...store, withMemberLock: async () => 42 };
    expect(error(await createPoolService({ store: garbage as never }).claim({ ...ref('C-1'), member: li })).details.issues).toMatchObject([{ path: ['store', 'withMemberLock'] }]);
    const details = { operation: 'claim', outcome: 'notApplied', reason: '57P01: terminating connection' };
    const unavailable = { ...store, withMemberLock: async () => ({ ok: false, error: { code: 'STORE_UNAVAILABLE', message: 'down', details } }) };
    const r = error(await createPoolService({ store: unavailable as never }).claim({ ...ref('C-1'), member: li }));
    expect(r).toMatchObject({ code: 'STORE_UNAVAILABLE', details });
    expect(r.details).not.toBe(details);
    expect(await store.loadCustomer('C-1')).toMatchObject({ ownerId: null, version: 1 });
  });
});
