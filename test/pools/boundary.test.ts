import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as pools from '../../src/pools/index.js';
import { parsePoolPolicy, type PoolCustomer, type PoolPolicyInput, type PoolStore } from '../../src/pools/index.js';
import { createLead, createLeadService, type Lead } from '../../src/leads/index.js';
import { createMemoryLeadStore } from '../../src/adapters/memory/index.js';
import { ok } from '../../src/core/index.js';
import { leadArb, poolMemberArb } from '../../src/testing/index.js';
import { customerArb, extensionRequestArb, holdingsArb, instant, leadFor, member, nowArb, planArb, policyArb, ruleArb, stateArb, statsArb, viewArb } from './arbitraries.js';
import {
  calls,
  checkCall,
  frozenArrayOf,
  functionsOf,
  garbageArb,
  materialize,
  mutate,
  mutationArb,
  notDeepFrozen,
  oneOf,
  runs,
  type Returns,
} from '../leads/boundary.harness.js';

/*
 * Every function the pools door exports, called with anything and with valid inputs mutated
 * (see the leads suite for the kinds of mutation): a Result or the documented return, never a
 * throw but the caller's own, no input changed or frozen, ok outputs deep-frozen and valid.
 */

const itemArb = fc.record({ id: fc.constantFrom('L-1', 'L-2', 'L-3', 'L-4'), priority: fc.integer({ min: 0, max: 3 }), territory: fc.constantFrom('shenzhen', 'beijing', null), skills: fc.subarray(['en', 'ja']) });
const assigneeArb = fc.record({
  id: fc.constantFrom('rep-li', 'rep-wang', 'rep-chen'),
  capacity: fc.integer({ min: 0, max: 3 }),
  weight: fc.integer({ min: 1, max: 5 }),
  optedOut: fc.boolean(),
  eligible: fc.record({ territories: fc.subarray(['shenzhen', 'beijing']) }),
});
const optionsArb = fc.record({ strategy: fc.constantFrom('roundRobin' as const, 'leastLoaded' as const, 'weighted' as const, 'weightedRandom' as const), cursor: fc.constantFrom('rep-li', null), seed: fc.integer(), overflow: fc.constantFrom(null, { memberId: 'mgr-zhao' }) });

const R: Returns = { kind: 'result' };
const ladderArb = fc.record({
  id: fc.constant('inbound'),
  version: fc.constant(1),
  tiers: fc.constantFrom(
    [{ kind: 'pool', poolId: 'gh-east', hours: 4 }, { kind: 'owner', ownerId: 'admin-zhou' }],
    [{ kind: 'pool', poolId: 'gh-east', hours: 2 }, { kind: 'pool', poolId: 'gh-west', hours: null }],
  ),
  workingHours: fc.constantFrom(null, { zone: 'Asia/Shanghai', days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }, { zone: 'America/New_York', days: [6], from: '22:00', to: '24:00' }),
});
const escalationLeadArb = fc.record({ id: fc.constantFrom('L-1', 'L-2'), poolId: fc.constantFrom('gh-east', 'gh-west', null), ownerId: fc.constantFrom(null, 'rep-li'), pooledAt: instant(-10, 0) });
const routingPolicyArb = fc.record({
  id: fc.constant('inbound'),
  version: fc.constant(1),
  mode: fc.constantFrom('firstMatch', 'bestMatch'),
  rules: fc.constantFrom(
    [],
    [{ id: 'east', when: [{ field: 'attribute:region', op: 'in', values: ['east'] }], poolId: 'gh-east' }, { id: 'hot', when: [{ field: 'score', op: 'atLeast', value: 60 }, { field: 'grade', op: 'exists' }], poolId: 'gh-west', priority: 2 }],
  ),
  defaultPoolId: fc.constantFrom('gh-east', null),
});
const isObject = (out: unknown) => (typeof out === 'object' && out !== null ? null : `returned ${String(out)}`);

/**
 * A mapping (not a validation) of anything: an object frozen all the way down, with no getter
 * (its Dates, even an Invalid Date copied from the input, are left for the rules' doors).
 */
function frozenMapping(out: unknown): string | null {
  return typeof out === 'object' && out !== null ? frozenAll(out, '(value)', new Set()) : `returned ${String(out)}`;
}

function frozenAll(out: unknown, path: string, seen: Set<unknown>): string | null {
  if (typeof out !== 'object' || out === null || seen.has(out) || out instanceof Date) return null;
  seen.add(out);
  if (!Object.isFrozen(out)) return `${path} is not frozen`;
  for (const key of Reflect.ownKeys(out)) {
    const d = Reflect.getOwnPropertyDescriptor(out, key)!;
    if (!('value' in d)) return `${path}.${String(key)} is a getter`;
    const bad = frozenAll(d.value, `${path}.${String(key)}`, seen);
    if (bad) return bad;
  }
  return null;
}

/** Per exported function: what it returns, and valid arguments to mutate. */
const SPECS: Record<string, { readonly returns: Returns; readonly valid: fc.Arbitrary<readonly unknown[]> }> = {
  recordField: { returns: { kind: 'value', check: (out) => (out === undefined || out === null || ['string', 'number', 'boolean'].includes(typeof out) ? null : `returned ${String(out)}`) }, valid: fc.tuple(viewArb, fc.constantFrom('level', 'industry', 'employees', 'constructor', 'toString')) },
  matchesCondition: { returns: { kind: 'value', check: oneOf(true, false) }, valid: fc.tuple(ruleArb.map((r) => r.condition), viewArb) },
  poolRelationsOf: { returns: { kind: 'value', check: frozenArrayOf((x) => x === 'poolAdmin' || x === 'poolMember') }, valid: fc.tuple(policyArb, member) },
  poolRecordFromLead: { returns: { kind: 'value', check: frozenMapping }, valid: fc.tuple(leadFor, fc.constant({})) },
  leadPoolView: { returns: { kind: 'value', check: frozenMapping }, valid: fc.tuple(leadFor, fc.option(stateArb, { nil: null })) },
  latestRelease: { returns: R, valid: fc.tuple(fc.option(fc.record({ at: instant(-5, 0), kind: fc.constant('returned' as const) }), { nil: null }), fc.option(leadArb({ maxSteps: 4 }), { nil: null }), fc.constantFrom('rep-li', 'admin-zhou')) },
  parsePoolPolicy: { returns: R, valid: policyArb.map((p) => [p]) },
  parseRoutingPolicy: { returns: R, valid: routingPolicyArb.map((p) => [p]) },
  parseEscalationLadder: { returns: R, valid: ladderArb.map((l) => [l]) },
  decideEscalation: { returns: R, valid: fc.tuple(ladderArb, escalationLeadArb, nowArb) },
  escalationLeadOf: { returns: R, valid: fc.tuple(leadFor) },
  createLeadRouter: { returns: { kind: 'value', check: isObject }, valid: fc.tuple(fc.record({ routing: routingPolicyArb }, { requiredKeys: ['routing'] })) },
  previewEscalation: { returns: R, valid: fc.tuple(ladderArb, fc.array(escalationLeadArb, { maxLength: 4 }), nowArb, fc.integer({ min: 1, max: 72 })) },
  routeLead: {
    returns: R,
    valid: fc.tuple(
      routingPolicyArb.chain((p) => fc.constantFrom(p, (pools.parseRoutingPolicy(p) as { value: unknown }).value)),
      fc.oneof(leadFor, fc.record({ id: fc.constant('L-1'), channel: fc.constantFrom('tradeShow', null), attributes: fc.record({ region: fc.constantFrom('east', 'south'), industry: fc.constant('retail') }) })),
      fc.constantFrom(undefined, { score: 80, grade: 'A' }, { visibleFields: ['attribute:region'] }),
    ),
  },
  // an identity (it hands its argument back: events-types.test.ts checks that); here: no throw, nothing changed or frozen
  definePoolPolicy: { returns: { kind: 'value', check: () => null }, valid: policyArb.map((p) => [p]) },
  decideClaim: { returns: R, valid: fc.tuple(policyArb, viewArb, member, statsArb, nowArb) },
  decideAssign: { returns: R, valid: fc.tuple(policyArb, viewArb, member, member, holdingsArb, nowArb, fc.constantFrom({}, { override: { reason: '大客户专人跟进' } })) },
  decideReturn: { returns: R, valid: fc.tuple(policyArb, viewArb, member, fc.constantFrom('gh-east', 'gh-west'), nowArb) },
  decideTransfer: { returns: R, valid: fc.tuple(policyArb, viewArb, member, fc.constantFrom('gh-east', 'gh-west'), nowArb) },
  decideChangeOwner: { returns: R, valid: fc.tuple(policyArb, viewArb, member, member, holdingsArb, nowArb, fc.constantFrom({}, { override: { reason: '调岗' } })) },
  decideManualReclaim: { returns: R, valid: fc.tuple(policyArb, viewArb, member, nowArb) },
  claimWindowStart: { returns: R, valid: fc.tuple(policyArb.map((p) => (parsePoolPolicy(p) as { value: unknown }).value), nowArb) },
  viewPoolRecord: {
    returns: R,
    valid: fc.tuple(policyArb, fc.record({ id: fc.constant('C-1'), name: fc.constant('腾飞科技'), industry: fc.constant('制造业'), phone: fc.constant('13800138000'), ownerId: fc.constantFrom(null, 'rep-li'), teamIds: fc.constant(['rep-wang']), createdAt: nowArb, tags: fc.constant(['vip', { since: 2019 }]) }), member),
  },
  poolRecordFromCustomer: { returns: { kind: 'value', check: frozenMapping }, valid: customerArb.map((c) => [c]) },
  poolEventOf: { returns: { kind: 'value', check: frozenMapping }, valid: fc.tuple(planArb, fc.constantFrom('customer', 'lead'), fc.integer({ min: 1, max: 9 }), fc.constantFrom({}, { ruleId: 'r-all' })) },
  applyPlanToCustomer: { returns: R, valid: fc.tuple(customerArb, planArb) },
  leadCommandForPlan: { returns: R, valid: fc.tuple(planArb, fc.constantFrom(undefined, { code: 'unreachable' }), fc.constantFrom(undefined, 'r-all')) },
  createPoolService: { returns: { kind: 'value', check: isObject }, valid: fc.constant([{ store: memoryPoolStore() }]) },
  createPoolClaimGate: { returns: { kind: 'value', check: isObject }, valid: fc.constant([{ store: memoryPoolStore() }]) },
  assignBatch: { returns: R, valid: fc.tuple(fc.uniqueArray(itemArb, { selector: (i) => i.id, maxLength: 4 }), fc.uniqueArray(assigneeArb, { selector: (m) => m.id, maxLength: 3 }), optionsArb) },
  assignOne: { returns: R, valid: fc.tuple(itemArb, fc.uniqueArray(assigneeArb, { selector: (m) => m.id, maxLength: 3 }), optionsArb) },
  drawBlind: { returns: R, valid: fc.tuple(fc.uniqueArray(itemArb, { selector: (i) => i.id, maxLength: 5 }), assigneeArb, fc.record({ seed: fc.integer() })) },
  explainUnassigned: {
    returns: { kind: 'value', check: (out) => (typeof out === 'object' && out !== null && typeof (out as { code?: unknown }).code === 'string' && Object.isFrozen(out) ? null : 'not a frozen error') },
    valid: fc.record({ itemId: fc.constant('L-1'), reason: fc.constantFrom('NO_ELIGIBLE_MEMBER', 'ALL_OPTED_OUT', 'ALL_AT_CAPACITY'), counts: fc.constant({ members: 3, eligible: 2, optedOut: 1, atCapacity: 1 }) }).map((e) => [e]),
  },
  decideReclaim: { returns: R, valid: fc.tuple(policyArb, viewArb, nowArb, fc.constantFrom({}, { actorId: 'system:nightly' })) },
  evaluateReclaim: { returns: { kind: 'asyncResults' }, valid: fc.tuple(policyArb, fc.array(viewArb, { maxLength: 4 }), nowArb, fc.constantFrom({}, { only: 'actionable' as const }, { trusted: true }, { uniqueIds: true })) },
  evaluateReclaimPages: { returns: { kind: 'asyncPages' }, valid: fc.tuple(policyArb, fc.array(fc.array(viewArb, { maxLength: 3 }), { maxLength: 3 }), nowArb, fc.constantFrom({}, { only: 'actionable' as const })) },
  previewReclaim: { returns: { kind: 'promiseResult' }, valid: fc.tuple(policyArb, fc.array(viewArb, { maxLength: 4 }), nowArb, fc.integer({ min: 1, max: 20 }), fc.constantFrom({}, { trusted: true })) },
  requestReclaimExtension: { returns: R, valid: fc.tuple(policyArb, viewArb, fc.record({ days: fc.integer({ min: 1, max: 10 }), requestedBy: fc.constantFrom('rep-li', 'rep-wang'), reason: fc.constant('客户出差') }), nowArb) },
  decideReclaimExtension: { returns: R, valid: fc.tuple(extensionRequestArb, fc.record({ approve: fc.boolean(), by: fc.constantFrom('admin-zhou', 'rep-li'), note: fc.constant('同意') }), nowArb) },
  decideReminder: { returns: R, valid: fc.tuple(policyArb, viewArb, nowArb) },
  evaluateReminders: { returns: { kind: 'asyncResults' }, valid: fc.tuple(policyArb, fc.array(viewArb, { maxLength: 4 }), nowArb, fc.constantFrom({}, { only: 'due' as const })) },
};

/** A small in-memory PoolStore (versions not checked: the service's own behaviour is tested elsewhere). */
function memoryPoolStore(policy: PoolPolicyInput | null = null, customers: readonly PoolCustomer[] = [], leads: readonly Lead[] = []): PoolStore {
  const cs = new Map(customers.map((c) => [c.id, c]));
  const ls = new Map(leads.map((l) => [l.id, l]));
  return {
    loadPolicy: async () => policy,
    loadCustomer: async (id) => cs.get(id) ?? null,
    loadLead: async (id) => ls.get(id) ?? null,
    countHoldings: async () => ({ total: 0, won: 0, byLevel: {} }),
    claimTimesSince: async () => [],
    lastReleaseBy: async () => null,
    loadLeadReclaimState: async () => ({ state: null, version: 0 }),
    async *streamPoolRecords() {
      for (const c of cs.values()) if (c.ownerId !== null) yield pools.poolRecordFromCustomer(c);
    },
    async *streamPooledLeads() {
      for (const l of ls.values()) if (l.ownerId === null) yield l;
    },
    memberVersion: async () => 0,
    commit: async (c) => {
      for (const w of c.customers ?? []) cs.set(w.record.id, w.record);
      for (const w of c.leads ?? []) ls.set(w.record.id, w.record);
      return ok(undefined);
    },
  };
}

const exported = functionsOf(pools as unknown as Record<string, unknown>);
const call = (name: string) => (pools as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!;

describe('the pools door, fuzzed', () => {
  afterAll(() => {
    if (process.env.FUZZ_RUNS) console.log(`pools boundary: ${calls.count.toLocaleString('en-US')} calls checked, 0 failures`);
  });

  it('every exported function has a spec (a new export is fuzzed or this fails)', () => {
    expect(exported.filter((n) => !(n in SPECS))).toEqual([]);
    expect(Object.keys(SPECS).filter((n) => !exported.includes(n))).toEqual([]);
  });

  for (const name of exported) {
    const spec = SPECS[name];
    if (!spec) continue;
    it(`${name}: anything, and valid inputs mutated`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(garbageArb, { maxLength: 7 }), async (args) => checkCall(name, call(name), args, spec.returns)),
        { numRuns: runs(60) },
      );
      await fc.assert(
        fc.asyncProperty(spec.valid, fc.array(mutationArb, { minLength: 1, maxLength: 3 }), async (valid, mutations) =>
          checkCall(name, call(name), mutate(valid, mutations), spec.returns),
        ),
        { numRuns: runs(120) },
      );
      await fc.assert(fc.asyncProperty(spec.valid, async (valid) => checkCall(name, call(name), valid, spec.returns)), { numRuns: runs(30) });
    }, 600_000);
  }

  it('the service and the claim gate answer every request with a Result, whatever the request or the store holds', async () => {
    const methods = ['claim', 'assign', 'returnRecord', 'transfer', 'changeOwner', 'reclaim', 'runReclaim', 'requestExtension', 'decideExtension'] as const;
    await fc.assert(
      fc.asyncProperty(
        policyArb,
        customerArb,
        poolMemberArb(),
        nowArb,
        fc.constantFrom(...methods),
        fc.array(mutationArb, { maxLength: 3 }),
        garbageArb,
        async (policy, customer, m, now, method, mutations, junk) => {
          const c = { ...customer, poolId: 'gh-east' };
          const service = pools.createPoolService({ store: memoryPoolStore(policy, [c]) });
          const request = {
            poolId: 'gh-east',
            recordKind: 'customer',
            recordId: c.id,
            now,
            member: m,
            admin: { id: 'admin-zhou', departmentIds: [] },
            assignee: m,
            newOwner: m,
            owner: m,
            actor: m,
            toPoolId: 'gh-east',
            requestedBy: c.ownerId ?? 'rep-li',
            days: 3,
          };
          await checkCall(`PoolService.${method}`, service[method] as never, mutate([request], mutations), { kind: 'promiseResult' });
          await checkCall(`PoolService.${method} (junk)`, service[method] as never, [junk], { kind: 'promiseResult' });
          const j = materialize(junk);
          const junkStore = new Proxy(memoryPoolStore(policy, [c]), {
            get: (target, key) => (key === 'commit' || typeof key === 'symbol' ? Reflect.get(target, key) : async () => j),
          });
          await checkCall(`PoolService.${method} (junk store)`, pools.createPoolService({ store: junkStore })[method] as never, [request], { kind: 'promiseResult' });
          await checkCall('createPoolService (junk deps)', (d: unknown) => (pools.createPoolService(d as never)[method] as (r: unknown) => unknown)(request), [junk], { kind: 'promiseResult' });
          const lead = createLead({ id: 'L-1', source: 'import', name: '张伟', poolId: 'gh-east' }, { now, actor: { id: 'admin-zhou', relations: ['poolAdmin'] } });
          const gate = pools.createPoolClaimGate({ store: memoryPoolStore(policy) });
          if (lead.ok) {
            await checkCall('ClaimGate.check', gate.check as never, mutate([{ lead: lead.value.lead, actor: { id: m.id, relations: ['poolMember'] }, now }], mutations), { kind: 'promiseResult' });
          }
          await checkCall('ClaimGate.check (junk)', gate.check as never, [junk], { kind: 'promiseResult' });
          await checkCall('createPoolClaimGate (junk deps)', (d: unknown) => pools.createPoolClaimGate(d as never).check(junk as never), [junk], { kind: 'promiseResult' });
        },
      ),
      { numRuns: runs(80) },
    );
  }, 600_000);

  it('the lead router, and the lead service asking it, answer every request with a Result', async () => {
    await fc.assert(
      fc.asyncProperty(routingPolicyArb, nowArb, fc.array(mutationArb, { maxLength: 3 }), garbageArb, async (routing, now, mutations, junk) => {
        const router = pools.createLeadRouter({ routing: routing as never });
        const request = { lead: { id: 'L-1', source: 'import', name: '张伟', channel: 'tradeShow', attributes: { region: 'east', industry: 'retail' } }, actor: { id: 'admin-zhou', relations: ['poolAdmin'] }, now };
        await checkCall('LeadRouter.route', router.route as never, mutate([request], mutations), { kind: 'promiseResult' });
        await checkCall('LeadRouter.route (junk)', router.route as never, [junk], { kind: 'promiseResult' });
        await checkCall('createLeadRouter (junk)', (o: unknown) => pools.createLeadRouter(o as never).route(request as never), [junk], { kind: 'promiseResult' });
        const j = materialize(junk);
        for (const r of [router, { route: async () => j }]) {
          const leads = createLeadService({ store: createMemoryLeadStore(), router: r as never });
          await checkCall('LeadService.create (routed)', leads.create as never, mutate([request.lead, { now, actor: request.actor }], mutations), { kind: 'promiseResult' });
        }
      }),
      { numRuns: runs(80) },
    );
  }, 600_000);

  it('the escalation run answers every ladder, context and store with a Result', async () => {
    await fc.assert(
      fc.asyncProperty(policyArb, ladderArb, nowArb, fc.array(mutationArb, { maxLength: 3 }), garbageArb, async (policy, ladder, now, mutations, junk) => {
        const leadPolicy = { ...policy, kind: 'lead' as const };
        const imported = createLead({ id: 'L-1', source: 'import', name: '张伟', poolId: 'gh-east' }, { now: new Date(Date.parse(String(now)) - 30 * 86_400_000), actor: { id: 'admin-zhou', relations: ['poolAdmin'] } });
        const leads = imported.ok ? [imported.value.lead] : [];
        const service = pools.createPoolService({ store: memoryPoolStore(leadPolicy as PoolPolicyInput, [], leads) });
        await checkCall('PoolService.runEscalation', service.runEscalation as never, mutate([ladder, { now }], mutations), { kind: 'promiseResult' });
        await checkCall('PoolService.runEscalation (junk)', service.runEscalation as never, [junk, junk], { kind: 'promiseResult' });
        const j = materialize(junk);
        const junkStore = new Proxy(memoryPoolStore(leadPolicy as PoolPolicyInput, [], leads), {
          get: (target, key) => (key === 'commit' || typeof key === 'symbol' ? Reflect.get(target, key) : async () => j),
        });
        await checkCall('PoolService.runEscalation (junk store)', pools.createPoolService({ store: junkStore }).runEscalation as never, [ladder, { now }], { kind: 'promiseResult' });
        const junkLeads = { ...memoryPoolStore(leadPolicy as PoolPolicyInput), async *streamPooledLeads() { yield j as Lead; } };
        await checkCall('PoolService.runEscalation (junk leads)', pools.createPoolService({ store: junkLeads }).runEscalation as never, [ladder, { now }], { kind: 'promiseResult' });
      }),
      { numRuns: runs(80) },
    );
  }, 600_000);

  it('an ok output never shares an object with the caller (nothing of theirs comes back to be frozen or changed)', () => {
    fc.assert(
      fc.property(policyArb, viewArb, member, nowArb, (p, v, m, now) => {
        const r = pools.viewPoolRecord(p, { ...v, nested: { a: [1, 2] } }, m);
        if (r.ok) expect(notDeepFrozen(r.value)).toBeNull();
      }),
      { numRuns: runs(100) },
    );
  });
});
