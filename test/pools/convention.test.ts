import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createMemoryStore } from '../../src/adapters/memory/index.js';
import { createLeadService } from '../../src/leads/index.js';
import { createPoolClaimGate, createPoolService, type PoolPolicyInput, type PoolService, type ReclaimExtensionRequest } from '../../src/pools/index.js';
import type { ActorInput, CrmError, Result } from '../../src/core/index.js';
import { error, value } from '../support.js';
import { storedCustomer } from './fixtures.js';

// The calling convention (subject, command?, context last) against the deprecated one-object
// requests of 0.1: the same operations on two identical stores give the same answers and
// leave the same stores.

const sh = (local: string) => new Date(`${local}+08:00`);
const day = (n: number) => new Date(sh('2026-05-01T10:00:00').getTime() + n * 86_400_000);

const policy = (id: string): PoolPolicyInput => ({
  id,
  kind: 'customer',
  zone: 'Asia/Shanghai',
  admins: ['admin-zhou'],
  members: { users: ['rep-li'], departments: ['dept-south'] },
  holding: { quota: 2 },
  claimLimit: { max: 4, periodDays: 1 },
  cooldownDays: 2,
  reclaimRules: [
    {
      id: 'important-10d',
      condition: { all: [{ field: 'level', op: 'eq', value: 'important' }] },
      trigger: { kind: 'noFollowUp', days: 10 },
      noticeDays: 3,
      extension: { allowed: true, maxDays: 7, approvalRequired: true },
    },
  ],
});

const people = {
  li: { id: 'rep-li', departmentIds: [] },
  wang: { id: 'rep-wang', departmentIds: ['dept-south'] }, // a member by department
  zhao: { id: 'rep-zhao', departmentIds: ['dept-north'] }, // not a member
  admin: { id: 'admin-zhou', departmentIds: [] },
} as const;
type Who = keyof typeof people;

function world() {
  const store = createMemoryStore();
  store.putPolicy(policy('gh-east'));
  store.putPolicy(policy('gh-west'));
  for (let i = 0; i < 6; i++) store.putCustomer(storedCustomer(`C-${i}`, { level: i % 2 === 0 ? 'important' : null }));
  return { store, pools: createPoolService({ store }) };
}

type Op =
  | { op: 'claim' | 'reclaim'; who: Who; rec: number; at: number }
  | { op: 'assign' | 'changeOwner'; who: Who; to: Who; rec: number; at: number; override: boolean }
  | { op: 'returnRecord'; who: Who; rec: number; at: number; toWest: boolean; reason: string | null; byOwner: boolean }
  | { op: 'transfer'; who: Who; rec: number; at: number; toWest: boolean }
  | { op: 'requestExtension'; who: Who; rec: number; at: number; days: number; byOwner: boolean }
  | { op: 'decideExtension'; who: Who; at: number; approve: boolean }
  | { op: 'runReclaim'; at: number };

// mostly the one an operation is for (a member claims, an admin assigns), sometimes anyone
const who = fc.constantFrom<Who>('li', 'li', 'wang', 'zhao', 'admin');
const admin = fc.constantFrom<Who>('admin', 'admin', 'admin', 'li');
const rec = fc.integer({ min: 0, max: 2 });
const at = fc.integer({ min: 0, max: 20 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('claim' as const), who, rec, at }),
  fc.record({ op: fc.constant('reclaim' as const), who: admin, rec, at }),
  fc.record({ op: fc.constantFrom('assign' as const, 'changeOwner' as const), who: admin, to: who, rec, at, override: fc.boolean() }),
  fc.record({ op: fc.constant('returnRecord' as const), who, rec, at, toWest: fc.boolean(), reason: fc.constantFrom(null, 'unreachable', 'bored'), byOwner: fc.boolean() }),
  fc.record({ op: fc.constant('transfer' as const), who, rec, at, toWest: fc.boolean() }),
  fc.record({ op: fc.constant('requestExtension' as const), who, rec, at, days: fc.integer({ min: 0, max: 9 }), byOwner: fc.boolean() }),
  fc.record({ op: fc.constant('decideExtension' as const), who: admin, at, approve: fc.boolean() }),
  fc.record({ op: fc.constant('runReclaim' as const), at }),
);

/** Runs one operation in the deprecated one-object form. */
function oldForm(pools: PoolService, op: Op, pending: ReclaimExtensionRequest | null, poolId: string) {
  const now = day(op.at);
  if (op.op === 'runReclaim') return pools.runReclaim({ poolId, now });
  if (op.op === 'decideExtension') {
    if (pending === null) return null;
    return pools.decideExtension({ request: pending, verdict: { approve: op.approve, by: people[op.who].id }, now });
  }
  const ref = { poolId, recordKind: 'customer' as const, recordId: `C-${op.rec}`, now };
  const me = people[op.who];
  switch (op.op) {
    case 'claim':
      return pools.claim({ ...ref, member: me });
    case 'reclaim':
      return pools.reclaim({ ...ref, admin: me });
    case 'assign':
      return pools.assign({ ...ref, admin: me, assignee: people[op.to], ...(op.override ? { override: { reason: '大客户指定' } } : {}) });
    case 'changeOwner':
      return pools.changeOwner({ ...ref, admin: me, newOwner: people[op.to], ...(op.override ? { override: { reason: '大客户指定' } } : {}) });
    case 'returnRecord':
      return pools.returnRecord({ ...ref, owner: me, ...(op.toWest ? { toPoolId: 'gh-west' } : {}), ...(op.reason ? { reason: { code: op.reason } } : {}) });
    case 'transfer':
      return pools.transfer({ ...ref, actor: me, toPoolId: op.toWest ? 'gh-west' : 'gh-east' });
    case 'requestExtension':
      return pools.requestExtension({ ...ref, requestedBy: me.id, days: op.days });
  }
}

/** The same operation in the calling convention. */
function newForm(pools: PoolService, op: Op, pending: ReclaimExtensionRequest | null, poolId: string) {
  const now = day(op.at);
  if (op.op === 'runReclaim') return pools.runReclaim(poolId, { now });
  const ctx = { now, actor: people[op.who] };
  if (op.op === 'decideExtension') return pending === null ? null : pools.decideExtension(pending, { approve: op.approve }, ctx);
  const ref = { poolId, recordKind: 'customer' as const, recordId: `C-${op.rec}` };
  switch (op.op) {
    case 'claim':
      return pools.claim(ref, ctx);
    case 'reclaim':
      return pools.reclaim(ref, ctx);
    case 'assign':
      return pools.assign(ref, { assignee: people[op.to], ...(op.override ? { override: { reason: '大客户指定' } } : {}) }, ctx);
    case 'changeOwner':
      return pools.changeOwner(ref, { newOwner: people[op.to], ...(op.override ? { override: { reason: '大客户指定' } } : {}) }, ctx);
    case 'returnRecord':
      return pools.returnRecord(ref, { ...(op.toWest ? { toPoolId: 'gh-west' } : {}), ...(op.reason ? { reason: { code: op.reason } } : {}) }, ctx);
    case 'transfer':
      return pools.transfer(ref, { toPoolId: op.toWest ? 'gh-west' : 'gh-east' }, ctx);
    case 'requestExtension':
      return pools.requestExtension(ref, { days: op.days }, ctx);
  }
}

describe('the pools calling convention: (ref, command?, { now, actor })', () => {
  /** Runs the operations (in time order) in both forms on two identical worlds, compares each answer and the stores; counts what happened. */
  async function runBoth(ops: readonly Op[], seen: Map<string, number>): Promise<void> {
    const a = world();
    const b = world();
    let pendingA: ReclaimExtensionRequest | null = null;
    let pendingB: ReclaimExtensionRequest | null = null;
    for (const op of [...ops].sort((x, y) => x.at - y.at).map((o) => ({ ...o }))) {
      // a record moved west is worked there
      const poolId = op.op !== 'runReclaim' && op.op !== 'decideExtension' && (await a.store.loadCustomer(`C-${op.rec}`))?.poolId === 'gh-west' ? 'gh-west' : 'gh-east';
      // the owner acts when the operation says so (a return, an extension asked by whoever holds the record)
      if ((op.op === 'returnRecord' || op.op === 'requestExtension') && op.byOwner) {
        const owner = (await a.store.loadCustomer(`C-${op.rec}`))?.ownerId;
        const found = (Object.keys(people) as Who[]).find((k) => people[k].id === owner);
        if (found) op.who = found;
      }
      const x = await oldForm(a.pools, op, pendingA, poolId);
      const y = await newForm(b.pools, op, pendingB, poolId);
      // the same answer; a refused input names its own argument (request.days, command.days)
      if (x && !x.ok && x.error.code === 'INVALID_INPUT') expect(y && !y.ok && y.error.code).toBe('INVALID_INPUT');
      else expect(y).toEqual(x);
      const what = x === null ? 'skipped' : x.ok ? `ok:${op.op}` : x.error.code;
      seen.set(what, (seen.get(what) ?? 0) + 1);
      if (x?.ok && 'request' in x.value && 'status' in x.value && x.value.status === 'pending') pendingA = x.value.request;
      if (y?.ok && 'request' in y.value && 'status' in y.value && y.value.status === 'pending') pendingB = y.value.request;
    }
    expect([...b.store.customers.values()]).toEqual([...a.store.customers.values()]);
    expect(b.store.poolLog).toEqual(a.store.poolLog);
  }

  it('a working day in both forms: every operation succeeds and refuses alike, and the stores end the same', async () => {
    const seen = new Map<string, number>();
    const ops: Op[] = [
      { op: 'claim', who: 'li', rec: 0, at: 0 },
      { op: 'claim', who: 'li', rec: 2, at: 0 },
      { op: 'claim', who: 'li', rec: 1, at: 0 }, // over the quota of 2
      { op: 'assign', who: 'admin', to: 'wang', rec: 1, at: 1, override: false },
      { op: 'changeOwner', who: 'admin', to: 'li', rec: 1, at: 1, override: true },
      { op: 'returnRecord', who: 'li', rec: 1, at: 2, toWest: false, reason: 'unreachable', byOwner: false },
      { op: 'reclaim', who: 'admin', rec: 2, at: 2 },
      { op: 'claim', who: 'li', rec: 1, at: 3 }, // in the cooldown
      { op: 'transfer', who: 'admin', rec: 1, at: 3, toWest: true },
      { op: 'runReclaim', at: 8 },
      { op: 'requestExtension', who: 'li', rec: 0, at: 8, days: 5, byOwner: false },
      { op: 'decideExtension', who: 'admin', at: 9, approve: true },
      { op: 'runReclaim', at: 20 },
    ];
    await runBoth(ops, seen);
    for (const op of ['claim', 'assign', 'returnRecord', 'transfer', 'changeOwner', 'reclaim', 'requestExtension', 'decideExtension', 'runReclaim']) expect(seen.get(`ok:${op}`), op).toBeGreaterThan(0);
    expect(seen.get('POOL_QUOTA_EXCEEDED')).toBe(1);
    expect(seen.get('POOL_COOLDOWN_ACTIVE')).toBe(1);
  });

  it('every operation gives the answer its deprecated one-object form gives, and leaves the same store (random sequences)', async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 40 }), (ops) => runBoth(ops, seen)),
      { numRuns: 150 },
    );
    // the sequences reach successes and the rules' refusals, not only bad input
    for (const op of ['claim', 'assign', 'transfer', 'reclaim', 'runReclaim']) expect(seen.get(`ok:${op}`) ?? 0, op).toBeGreaterThan(0);
    for (const code of ['POOL_NOT_A_MEMBER', 'POOL_NOT_AN_ADMIN', 'POOL_NOT_THE_OWNER']) expect(seen.get(code) ?? 0, code).toBeGreaterThan(0);
  });

  it('the calling convention’s issues are named at the argument that carries them', async () => {
    const { pools } = world();
    const ref = { poolId: 'gh-east', recordKind: 'customer' as const, recordId: 'C-1' };
    const ctx = { now: day(0), actor: people.li };
    const pathOf = (r: Result<unknown, CrmError>) => {
      const e = error(r);
      expect(e.code).toBe('INVALID_INPUT');
      return (e.details as { issues: { path: (string | number)[] }[] }).issues[0]!.path;
    };
    // a call that forgot its context is told so (not read as a one-object request)
    expect(pathOf(await (pools.claim as (...a: unknown[]) => ReturnType<PoolService['claim']>)(ref))).toEqual(['context']);
    expect(pathOf(await pools.claim({ ...ref, recordKind: 'deal' as 'lead' }, ctx))).toEqual(['ref', 'recordKind']);
    expect(pathOf(await pools.claim({ ...ref, now: day(0) } as typeof ref, ctx))).toEqual(['ref']); // strict: an unknown key is refused, never dropped
    expect(pathOf(await pools.claim(ref, { now: 'soon', actor: people.li }))).toEqual(['context', 'now']);
    expect(pathOf(await pools.claim(ref, { now: day(0), actor: { id: '' } }))).toEqual(['context', 'actor', 'id']);
    expect(pathOf(await pools.assign(ref, { assignee: { id: 'rep-li', departmentIds: [7 as unknown as string] } }, { ...ctx, actor: people.admin }))).toEqual([
      'command',
      'assignee',
      'departmentIds',
      0,
    ]);
    expect(pathOf(await pools.transfer(ref, {} as { toPoolId: string }, ctx))).toEqual(['command', 'toPoolId']);
    expect(pathOf(await pools.runReclaim('', { now: day(0) }))).toEqual(['poolId']);
    expect(pathOf(await pools.runReclaim('gh-east', { now: day(0), signal: 'stop' as unknown as AbortSignal }))).toEqual(['context', 'signal']);
    // the deprecated form keeps its own paths
    expect(pathOf(await pools.claim({ ...ref, now: day(0), member: { id: '', departmentIds: [] } }))).toEqual(['request', 'member', 'id']);
  });

  it('a verdict is decided by the context’s actor: `by` defaults to it, and another `by` is refused', async () => {
    const { store, pools } = world();
    store.putCustomer(storedCustomer('C-9', { level: 'important' }));
    const ref = { poolId: 'gh-east', recordKind: 'customer' as const, recordId: 'C-9' };
    value(await pools.claim(ref, { now: day(0), actor: people.li }));
    value(await pools.runReclaim('gh-east', { now: day(8), actor: { id: 'nightly' } }));
    const asked = value(await pools.requestExtension(ref, { days: 5, reason: '客户出差' }, { now: day(8), actor: people.li }));
    expect(asked).toMatchObject({ status: 'pending', request: { requestedBy: 'rep-li' } });
    const other = error(await pools.decideExtension(asked.request, { approve: true, by: 'someone-else' }, { now: day(9), actor: people.admin }));
    expect(other.details).toMatchObject({ issues: [{ path: ['verdict', 'by'] }] });
    // the owner may not approve their own request: the rule still decides who may
    expect(error(await pools.decideExtension(asked.request, { approve: true }, { now: day(9), actor: people.li })).code).toBe('POOL_NOT_AN_ADMIN');
    const approved = value(await pools.decideExtension(asked.request, { approve: true, note: '同意' }, { now: day(9), actor: people.admin }));
    expect(approved.events.map((e) => [e.type, e.actorId])).toEqual([['pool.extensionApproved', 'admin-zhou']]);
  });

  it('a verdict that cannot be read is refused, never passed on with someone else’s `by` (found in review)', async () => {
    const { store, pools } = world();
    store.putCustomer(storedCustomer('C-9', { level: 'important' }));
    const ref = { poolId: 'gh-east', recordKind: 'customer' as const, recordId: 'C-9' };
    value(await pools.claim(ref, { now: day(0), actor: people.li }));
    value(await pools.runReclaim('gh-east', { now: day(8) }));
    const asked = value(await pools.requestExtension(ref, { days: 5 }, { now: day(8), actor: people.li }));
    let first = true;
    const sly = {
      approve: true,
      by: 'admin-zhou',
      get note() {
        if (first) {
          first = false;
          throw new Error('once');
        }
        return undefined;
      },
    };
    const refused = error(await pools.decideExtension(asked.request, sly, { now: day(9), actor: people.li }));
    expect(refused.details).toMatchObject({ issues: [{ path: ['verdict'] }] });
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(error(await pools.decideExtension(asked.request, revoked.proxy as never, { now: day(9), actor: people.admin })).code).toBe('INVALID_INPUT');
    expect((await store.loadCustomer('C-9'))!.extendedUntil).toBeNull();
  });

  it('a one-object request is known by its `now` or its actor’s key, own or inherited, with nothing (or null) after it (found in review)', async () => {
    const oneObject = async (make: (pools: PoolService) => ReturnType<PoolService['claim']>) => {
      const { pools } = world();
      return make(pools);
    };
    const plain = value(await oneObject((p) => p.claim({ poolId: 'gh-east', recordKind: 'customer', recordId: 'C-1', now: day(0), member: people.li })));
    class ClaimRequest {
      readonly poolId = 'gh-east';
      readonly recordKind = 'customer' as const;
      readonly recordId = 'C-1';
      readonly member = people.li;
      get now() {
        return day(0);
      }
    }
    expect(value(await oneObject((p) => p.claim(new ClaimRequest())))).toEqual(plain);
    const request = { poolId: 'gh-east', recordKind: 'customer' as const, recordId: 'C-1', now: day(0), member: people.li };
    expect(value(await oneObject((p) => (p.claim as (...a: unknown[]) => ReturnType<PoolService['claim']>)(request, null)))).toEqual(plain);
    // an old request that lost its `now` is still told so in its own terms
    const { now: _now, ...noTime } = request;
    const lost = error(await oneObject((p) => (p.claim as (...a: unknown[]) => ReturnType<PoolService['claim']>)(noTime)));
    expect(lost.details).toMatchObject({ issues: [{ path: ['request', 'now'] }] });
  });

  it('a `now` the pool’s claim window cannot start from is named where the caller gave it (found in review)', async () => {
    const { pools } = world();
    const early = { now: '0001-01-01T12:00:00Z', actor: people.li };
    const ref = { poolId: 'gh-east', recordKind: 'customer' as const, recordId: 'C-1' };
    expect(error(await pools.claim(ref, early)).details).toMatchObject({ issues: [{ path: ['context', 'now'] }] });
    expect(error(await pools.claim({ ...ref, now: early.now, member: people.li })).details).toMatchObject({ issues: [{ path: ['request', 'now'] }] });
  });

  it('the reclaim run’s actor and hooks come from its context', async () => {
    const { store, pools } = world();
    for (let i = 0; i < 6; i += 2) store.putCustomer(storedCustomer(`C-${i}`, { level: 'important', ownerId: 'rep-li', ownedSince: day(0) }));
    const seen: number[] = [];
    const run = value(await pools.runReclaim('gh-east', { now: day(20), actor: { id: 'ops-night' }, onProgress: (p) => seen.push(p.done) }));
    expect(run.reclaimed + run.warned).toBeGreaterThan(0);
    expect(new Set(run.events.filter((e) => e.type.startsWith('pool.')).map((e) => e.actorId))).toEqual(new Set(['ops-night']));
    expect(seen.at(-1)).toBe(3);
    const stopped = new AbortController();
    stopped.abort();
    expect(value(await pools.runReclaim('gh-east', { now: day(21), signal: stopped.signal })).aborted).toBe(true);
  });

  it('one actor object, built once per request, serves every service (each reads what it decides with)', async () => {
    const store = createMemoryStore();
    store.putPolicy({ ...policy('lp-south'), kind: 'lead', reclaimRules: [] });
    const actor: ActorInput = { id: 'rep-wang', relations: [], departmentIds: ['dept-south'] };
    const leads = createLeadService({ store, claimGate: createPoolClaimGate({ store }) });
    value(await leads.create({ id: 'L-1', source: 'import', name: '深圳前海科技', poolId: 'lp-south' }, { now: day(0), actor: { id: 'admin-zhou', relations: ['poolAdmin'] } }));
    value(await leads.create({ id: 'L-2', source: 'import', name: '深圳南山贸易', poolId: 'lp-south' }, { now: day(0), actor: { id: 'admin-zhou', relations: ['poolAdmin'] } }));
    // the claim gate reads the departments the actor carries: a member by department needs no host relation
    const gate = createPoolClaimGate({ store });
    const lead = await store.loadLead('L-1');
    value(await gate.check({ lead: lead!, actor: { id: actor.id, relations: [], departmentIds: ['dept-south'] }, now: day(1) }) as never);
    expect(error((await gate.check({ lead: lead!, actor: { id: actor.id, relations: [], departmentIds: ['dept-north'] }, now: day(1) })) as never).code).toBe('POOL_NOT_A_MEMBER');
    // the lead rules still decide with the relations the host resolved
    expect(error(await leads.execute('L-1', { type: 'claim' }, { now: day(1), actor })).code).toBe('LEAD_PERMISSION_DENIED');
    value(await leads.execute('L-1', { type: 'claim' }, { now: day(1), actor: { ...actor, relations: ['poolMember'] } }));
    const pools = createPoolService({ store });
    const claimed = value(await pools.claim({ poolId: 'lp-south', recordKind: 'lead', recordId: 'L-2' }, { now: day(1), actor }));
    expect(claimed.lead).toMatchObject({ ownerId: 'rep-wang' });
    const outsider = error(await pools.claim({ poolId: 'lp-south', recordKind: 'lead', recordId: 'L-1' }, { now: day(1), actor: { ...actor, departmentIds: ['dept-north'] } }));
    expect(outsider.code).toBe('POOL_NOT_A_MEMBER');
  });
});
