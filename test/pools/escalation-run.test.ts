import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/adapters/memory/index.js';
import { createLeadService } from '../../src/leads/index.js';
import { createPoolService, decideEscalation, escalationLeadOf, type EscalationLadderInput, type PoolPolicyInput, type PoolStore } from '../../src/pools/index.js';
import { INBOUND_LADDER } from './fixtures.js';
import { value } from '../support.js';

/* The hourly job of tiered distribution (阶梯式分配) over the ports: 4 working hours in the East China pool, 8 in the national pool, then the sales manager. */
const LADDER = INBOUND_LADDER;
const sh = (local: string) => new Date(`${local}+08:00`);
const pool = (id: string, extra: Partial<PoolPolicyInput> = {}): PoolPolicyInput => ({
  id,
  kind: 'lead',
  zone: 'Asia/Shanghai',
  admins: ['admin-zhou'],
  members: { users: ['rep-li', 'rep-wang'], departments: [] },
  holding: { quota: 50 },
  ...extra,
});
const importer = { id: 'admin-zhou', relations: ['poolAdmin' as const] };

async function setup(policies: PoolPolicyInput[] = [pool('pool-east'), pool('pool-national'), pool('pool-south')]) {
  const store = createMemoryStore();
  for (const p of policies) store.putPolicy(p);
  const leads = createLeadService({ store });
  const pools = createPoolService({ store });
  const importLead = async (id: string, poolId: string, at: Date) =>
    value(await leads.create({ id, source: 'import', name: '张伟', company: '上海华联超市有限公司', poolId }, { now: at, actor: importer }));
  return { store, leads, pools, importLead };
}

describe('the escalation run over the pool service', () => {
  it('a lead unclaimed from Friday 16:00 moves to the national pool on Monday 11:00, then to the manager on Tuesday 10:00', async () => {
    const { store, pools, importLead } = await setup();
    await importLead('L-1', 'pool-east', sh('2026-03-20T16:00:00'));
    await importLead('L-2', 'pool-east', sh('2026-03-20T16:00:00'));
    await importLead('L-3', 'pool-south', sh('2026-03-20T09:00:00')); // not on the ladder
    // L-2 is claimed before it runs out
    value(await pools.claim({ poolId: 'pool-east', recordKind: 'lead', recordId: 'L-2' }, { now: sh('2026-03-23T09:30:00'), actor: { id: 'rep-li', departmentIds: [] } }));

    const early = value(await pools.runEscalation(LADDER, { now: sh('2026-03-23T10:59:00') }));
    expect(early).toMatchObject({ escalated: 0, assigned: 0, aborted: false, refused: [], events: [] });

    const monday = value(await pools.runEscalation(LADDER, { now: sh('2026-03-23T11:00:00') }));
    expect(monday).toMatchObject({ escalated: 1, assigned: 0, refused: [] });
    const moved = (await store.loadLead('L-1'))!;
    expect(moved).toMatchObject({ poolId: 'pool-national', ownerId: null, status: 'unassigned', pooledAt: sh('2026-03-23T11:00:00'), version: 2 });
    expect(monday.events.map((e) => e.type)).toEqual(['pool.transferred', 'lead.transferred']);
    expect(monday.events[0]).toMatchObject({ actorId: 'system:escalation', data: { ruleId: 'inbound', poolFrom: 'pool-east', poolTo: 'pool-national' } });
    // the next run the same minute does not move it again: the national clock starts at 11:00
    expect(value(await pools.runEscalation(LADDER, { now: sh('2026-03-23T11:00:00') }))).toMatchObject({ escalated: 0, assigned: 0 });
    expect((await store.loadLead('L-2'))!.ownerId).toBe('rep-li');
    expect((await store.loadLead('L-3'))!).toMatchObject({ poolId: 'pool-south', version: 1 });

    // 8 working hours from Monday 11:00: 7 on Monday (to 18:00), 1 on Tuesday (from 09:00)
    expect(value(await pools.runEscalation(LADDER, { now: sh('2026-03-24T09:59:00') })).assigned).toBe(0);
    const tuesday = value(await pools.runEscalation(LADDER, { now: sh('2026-03-24T10:00:00') }));
    expect(tuesday).toMatchObject({ escalated: 0, assigned: 1, refused: [] });
    expect(await store.loadLead('L-1')).toMatchObject({ poolId: 'pool-national', ownerId: 'mgr-zhou', status: 'pending', pooledAt: null, ownedSince: sh('2026-03-24T10:00:00') });
    expect(tuesday.events.map((e) => e.type)).toEqual(['pool.assigned', 'lead.assigned']);
    expect(value(await pools.runEscalation(LADDER, { now: sh('2026-04-30T11:00:00') }))).toMatchObject({ escalated: 0, assigned: 0, refused: [] });
  });

  it('the last tier\'s owner at quota keeps the lead waiting, refused with why, until a later run', async () => {
    const { store, pools, importLead } = await setup([pool('pool-east'), pool('pool-national', { holding: { quota: 1 } })]);
    const ladder: EscalationLadderInput = { id: 'quick', version: 1, tiers: [{ kind: 'pool', poolId: 'pool-national', hours: 1 }, { kind: 'owner', ownerId: 'mgr-zhou' }] };
    const t0 = sh('2026-03-23T09:00:00');
    await importLead('L-1', 'pool-national', t0);
    await importLead('L-2', 'pool-national', t0);
    const run = value(await pools.runEscalation(ladder, { now: sh('2026-03-23T10:00:00') }));
    expect(run.assigned).toBe(1);
    expect(run.refused.map((r) => [r.recordId, r.error.code])).toEqual([['L-2', 'POOL_QUOTA_EXCEEDED']]);
    expect(await store.loadLead('L-2')).toMatchObject({ ownerId: null, poolId: 'pool-national', version: 1 });
  });

  it('a pool of the ladder without a policy, or holding customers, is reported and the rest still runs', async () => {
    const { store, pools, importLead } = await setup([pool('pool-national'), { ...pool('gh-east'), kind: 'customer' }]);
    const ladder: EscalationLadderInput = {
      id: 'mixed',
      version: 1,
      tiers: [{ kind: 'pool', poolId: 'pool-missing', hours: 1 }, { kind: 'pool', poolId: 'gh-east', hours: 1 }, { kind: 'pool', poolId: 'pool-national', hours: 1 }, { kind: 'owner', ownerId: 'mgr-zhou' }],
    };
    await importLead('L-1', 'pool-national', sh('2026-03-23T09:00:00'));
    const run = value(await pools.runEscalation(ladder, { now: sh('2026-03-23T10:00:00') }));
    expect(run.refused.map((r) => [r.recordId, r.error.code])).toEqual([
      [null, 'NOT_FOUND'],
      [null, 'INVALID_INPUT'],
    ]);
    expect(run.refused[1]!.error.details.issues).toEqual([expect.objectContaining({ path: ['ladder', 'tiers', 1, 'poolId'], message: 'is a customer pool: an escalation ladder moves leads' })]);
    expect(run.assigned).toBe(1);
    expect((await store.loadLead('L-1'))!.ownerId).toBe('mgr-zhou');
  });

  it('refuses at the door: a malformed ladder or context, a store that cannot list pooled leads; stops on its signal', async () => {
    const { store, pools, importLead } = await setup();
    const bad = await pools.runEscalation({ ...LADDER, tiers: [] } as never, { now: sh('2026-03-23T10:00:00') });
    expect(!bad.ok && bad.error.code).toBe('INVALID_INPUT');
    const noNow = await pools.runEscalation(LADDER, {} as never);
    expect(!noNow.ok && noNow.error.details.issues).toEqual([expect.objectContaining({ path: ['context', 'now'] })]);
    const { streamPooledLeads: _omitted, ...rest } = store as PoolStore;
    const bare = createPoolService({ store: rest as PoolStore });
    const refused = await bare.runEscalation(LADDER, { now: sh('2026-03-23T10:00:00') });
    expect(!refused.ok && refused.error.details.issues).toEqual([expect.objectContaining({ path: ['deps', 'store', 'streamPooledLeads'] })]);
    for (let i = 0; i < 3; i++) await importLead(`L-${i}`, 'pool-east', sh('2026-03-20T09:00:00'));
    const stop = new AbortController();
    stop.abort();
    expect(value(await pools.runEscalation(LADDER, { now: sh('2026-03-23T10:00:00'), signal: stop.signal }))).toMatchObject({ aborted: true, escalated: 0 });
    const progress: number[] = [];
    const done = value(await pools.runEscalation(LADDER, { now: sh('2026-03-23T18:00:00'), onProgress: (p) => progress.push(p.done) }));
    expect(done).toMatchObject({ aborted: false, escalated: 3 });
    // six looked at: three in the East China pool, the same three again in the national pool (just arrived: waiting)
    expect(progress.at(-1)).toBe(6);
  });

  it('a lead claimed, marked invalid or moved between the scan and its move is left alone, not refused', async () => {
    const { store, leads, pools, importLead } = await setup();
    const t0 = sh('2026-03-20T09:00:00');
    const stale = [await importLead('L-1', 'pool-east', t0), await importLead('L-2', 'pool-east', t0), await importLead('L-3', 'pool-east', t0)].map((c) => c.lead);
    value(await leads.execute('L-1', { type: 'markInvalid', reason: '空号' }, { now: t0, actor: importer }));
    value(await leads.execute('L-2', { type: 'transfer', toPoolId: 'pool-south' }, { now: t0, actor: importer }));
    value(await leads.execute('L-3', { type: 'assign', ownerId: 'rep-li' }, { now: t0, actor: importer }));
    // a store whose scan still holds the leads as they were
    const scanning: PoolStore = { ...(store as PoolStore), async *streamPooledLeads() { yield* stale; } };
    const run = value(await createPoolService({ store: scanning }).runEscalation(LADDER, { now: sh('2026-03-23T18:00:00') }));
    expect(run).toMatchObject({ escalated: 0, assigned: 0, refused: [], aborted: false });
    expect((await store.loadLead('L-1'))!.status).toBe('invalid');
  });

  it('a store that fails mid-run: what was moved is answered (and told), the failure is refused, the run stops', async () => {
    const { store, importLead } = await setup();
    await importLead('L-1', 'pool-east', sh('2026-03-20T09:00:00'));
    await importLead('L-2', 'pool-east', sh('2026-03-20T09:00:00'));
    const failing: PoolStore = {
      ...(store as PoolStore),
      async *streamPooledLeads(poolId: string) {
        let n = 0;
        for await (const lead of store.streamPooledLeads!(poolId)) {
          if (n++ === 1) throw new Error('connection lost');
          yield lead;
        }
      },
    };
    const told: string[] = [];
    const run = value(await createPoolService({ store: failing, onEvent: (e) => { told.push(e.type); } }).runEscalation(LADDER, { now: sh('2026-03-23T18:00:00') }));
    expect(run).toMatchObject({ escalated: 1, aborted: true });
    expect(run.refused.map((r) => [r.recordId, r.error.code, r.error.details.operation])).toEqual([[null, 'STORE_UNAVAILABLE', 'runEscalation']]);
    expect(told).toEqual(['pool.transferred', 'lead.transferred']);
    expect((await store.loadLead('L-1'))!.poolId).toBe('pool-national');
  });

  it('a lead stored before leads kept pooledAt counts from its last release into the pool, else its creation', async () => {
    const { store, importLead } = await setup();
    const lead = await importLead('L-1', 'pool-east', sh('2026-03-20T16:00:00'));
    const { pooledAt: _dropped, ...legacy } = structuredClone(lead.lead);
    expect(value(escalationLeadOf(legacy))).toEqual({ id: 'L-1', poolId: 'pool-east', ownerId: null, pooledAt: sh('2026-03-20T16:00:00') });
    expect(value(escalationLeadOf(lead.lead)).pooledAt).toEqual(sh('2026-03-20T16:00:00'));
    expect(escalationLeadOf({ id: 'x' }).ok).toBe(false);
    // the answer's Date is its own: changing it changes nothing of the lead's
    const view = value(escalationLeadOf(lead.lead));
    expect(view.pooledAt).not.toBe(lead.lead.pooledAt);
    expect(Object.isFrozen(view.pooledAt)).toBe(true);
    expect(store).toBeDefined();
  });
});

describe('escalation run properties', () => {
  it('hourly runs never skip a tier: each run moves a lead at most one tier, exactly when decideEscalation says it is due, down the ladder in order', async () => {
    const ladderArb = fc.record({
      hours: fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 3 }),
      owner: fc.boolean(),
      working: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(ladderArb, fc.array(fc.integer({ min: 0, max: 72 * 60 }), { minLength: 1, maxLength: 4 }), fc.array(fc.integer({ min: 1, max: 20 * 60 }), { minLength: 1, maxLength: 12 }), async (l, starts, gaps) => {
        const pools = l.hours.map((_, i) => `pool-${i}`);
        const last = l.owner ? { kind: 'owner' as const, ownerId: 'mgr-zhou' } : { kind: 'pool' as const, poolId: 'pool-last', hours: null };
        const ladder: EscalationLadderInput = {
          id: 'prop',
          version: 1,
          tiers: [...l.hours.map((hours, i) => ({ kind: 'pool' as const, poolId: pools[i]!, hours })), last],
          ...(l.working ? { workingHours: { zone: 'Asia/Shanghai', days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' } } : {}),
        };
        const order = [...pools, ...(l.owner ? [] : ['pool-last'])];
        const { store, pools: service, importLead } = await setup(order.map((id) => pool(id)));
        const t0 = sh('2026-03-20T08:00:00').getTime();
        for (let i = 0; i < starts.length; i++) await importLead(`L-${i}`, 'pool-0', new Date(t0 + starts[i]! * 60_000));
        let now = t0 + 72 * 60 * 60_000;
        for (const gap of gaps) {
          now += gap * 60_000;
          const before = await Promise.all(starts.map(async (_, i) => (await store.loadLead(`L-${i}`))!));
          const expected = before.map((lead) => value(decideEscalation(ladder, value(escalationLeadOf(lead)), new Date(now))));
          const run = value(await service.runEscalation(ladder, { now: new Date(now) }));
          expect(run.refused).toEqual([]);
          for (let i = 0; i < starts.length; i++) {
            const after = (await store.loadLead(`L-${i}`))!;
            const d = expected[i]!;
            const tierBefore = order.indexOf(before[i]!.poolId!);
            if (d.kind === 'escalate') {
              expect(after).toMatchObject({ poolId: order[tierBefore + 1], ownerId: null, pooledAt: new Date(now) });
            } else if (d.kind === 'assign') {
              expect(after).toMatchObject({ poolId: before[i]!.poolId, ownerId: 'mgr-zhou' });
              expect(tierBefore).toBe(l.hours.length - 1);
            } else expect(after).toEqual(before[i]);
          }
          expect(run.escalated).toBe(expected.filter((d) => d.kind === 'escalate').length);
          expect(run.assigned).toBe(expected.filter((d) => d.kind === 'assign').length);
        }
      }),
      { numRuns: 60 },
    );
  });
});
