import fc from 'fast-check';
import * as pools from '../../src/pools/index.js';
import type { Holdings, PoolCustomer, PoolPlan, PoolPolicyInput, PoolRecordView } from '../../src/pools/index.js';
import { createLead } from '../../src/leads/index.js';
import { poolCustomerArb } from '../../src/testing/index.js';

/*
 * Valid inputs of the pools rules, for the fuzzed door (boundary.test.ts) and the properties of
 * the module's outputs (dates.test.ts): a customer pool in Shanghai or New York around May 2026.
 */

export const SH = 'Asia/Shanghai';
export const DAY = 86_400_000;
export const T0 = Date.parse('2026-05-01T02:00:00Z');

export const ruleArb = fc.record(
  {
    id: fc.constantFrom('r-important', 'r-all', 'r-deal'),
    name: fc.constant('15天未跟进收回'),
    condition: fc.constantFrom({ all: [] }, { all: [{ field: 'level', op: 'eq', value: 'important' }] }, { all: [{ field: 'employees', op: 'gte', value: 100 }] }),
    trigger: fc.record({ kind: fc.constantFrom('noFollowUp' as const, 'noDeal' as const, 'noOpenOpportunity' as const), days: fc.integer({ min: 1, max: 30 }) }),
    noticeDays: fc.integer({ min: 0, max: 5 }),
    notify: fc.subarray(['owner' as const, 'team' as const, 'admins' as const]),
    exemptWon: fc.boolean(),
    extension: fc.record({ allowed: fc.boolean(), maxDays: fc.integer({ min: 1, max: 14 }), approvalRequired: fc.boolean() }),
  },
  { requiredKeys: ['id', 'trigger'] },
);

export const policyArb: fc.Arbitrary<PoolPolicyInput> = fc.record(
  {
    id: fc.constant('gh-east'),
    kind: fc.constant('customer' as const),
    zone: fc.constantFrom(SH, 'America/New_York'),
    admins: fc.constant(['admin-zhou']),
    members: fc.record({ users: fc.subarray(['rep-li', 'rep-wang']), departments: fc.subarray(['dept-south']) }),
    claimMode: fc.constantFrom('claim' as const, 'assignOnly' as const),
    holding: fc.record({ quota: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }), countWon: fc.boolean(), perLevel: fc.constantFrom({}, { important: 1 }, { constructor: 1 }) }),
    claimLimit: fc.option(fc.record({ max: fc.integer({ min: 1, max: 3 }), periodDays: fc.integer({ min: 1, max: 7 }) }), { nil: null }),
    cooldownDays: fc.integer({ min: 0, max: 7 }),
    reclaimRules: fc.uniqueArray(ruleArb, { maxLength: 3, selector: (r) => r.id }),
    reminderRules: fc.constantFrom([], [{ id: 'remind-3d', trigger: { kind: 'noFollowUp' as const, days: 3 }, notify: ['owner' as const] }]),
    visibility: fc.record({ publicFields: fc.subarray(['name', 'industry', 'constructor']), showRelated: fc.boolean(), showPoolLog: fc.boolean() }),
  },
  { requiredKeys: ['id', 'kind', 'zone', 'admins'] },
) as fc.Arbitrary<PoolPolicyInput>;

export const instant = (minDays: number, maxDays: number) => fc.integer({ min: T0 + minDays * DAY, max: T0 + maxDays * DAY }).map((t) => new Date(t));
export const viewArb: fc.Arbitrary<PoolRecordView> = fc
  .record({
    id: fc.constantFrom('C-1', 'C-2', 'C-3'),
    owned: fc.boolean(),
    level: fc.constantFrom('important', 'normal', 'constructor', null),
    won: fc.boolean(),
    open: fc.integer({ min: 0, max: 2 }),
    since: instant(-60, 0),
    followed: fc.option(instant(-30, 0), { nil: null }),
    team: fc.subarray(['rep-wang', 'mgr-zhao']),
    employees: fc.integer({ min: 1, max: 1000 }),
    extended: fc.option(instant(0, 20), { nil: null }),
    pending: fc.option(instant(-2, 10), { nil: null }),
    warned: fc.boolean(),
  })
  .map((r) => ({
    id: r.id,
    kind: 'customer' as const,
    poolId: 'gh-east',
    ownerId: r.owned ? 'rep-li' : null,
    level: r.level,
    won: r.won,
    openOpportunityCount: r.open,
    ownedSince: r.owned ? r.since : null,
    lastFollowUpAt: r.owned ? r.followed : null,
    lastDealAt: null,
    lastOpenOpportunityAt: null,
    teamIds: r.team,
    attributes: { industry: '制造业', employees: r.employees, level: r.level },
    extendedUntil: r.owned ? r.extended : null,
    extensionPendingUntil: r.owned ? r.pending : null,
    warning: r.owned && r.warned ? { ruleId: 'r-important', warnedAt: new Date(r.since.getTime() + 5 * DAY), reclaimAt: new Date(r.since.getTime() + 10 * DAY) } : null,
  }));
export const nowArb = instant(0, 40);
export const member = fc.record({ id: fc.constantFrom('rep-li', 'rep-wang', 'admin-zhou', 'outsider'), departmentIds: fc.subarray(['dept-south']) });
export const holdingsArb: fc.Arbitrary<Holdings> = fc
  .record({ total: fc.integer({ min: 0, max: 6 }), won: fc.integer({ min: 0, max: 6 }), byLevel: fc.constantFrom({}, { important: { total: 1, won: 0 } }) })
  .map((h) => ({ ...h, won: Math.min(h.won, h.total) }) as Holdings);
export const statsArb = fc.record({
  holdings: holdingsArb,
  claimTimes: fc.array(instant(-5, 0), { maxLength: 4 }),
  lastRelease: fc.option(fc.record({ at: instant(-10, 0), kind: fc.constantFrom('returned' as const, 'reclaimed' as const) }), { nil: null }),
});
export const planArb: fc.Arbitrary<PoolPlan> = fc.tuple(policyArb, viewArb, member, nowArb).map(([p, v, m, now]) => {
  const r = pools.decideClaim(p, { ...v, ownerId: null }, m, { holdings: { total: 0, won: 0, byLevel: {} }, claimTimes: [], lastRelease: null }, now);
  return r.ok
    ? r.value
    : { operation: 'reclaim', recordId: v.id, poolId: 'gh-east', actorId: 'admin-zhou', at: now, ownerFrom: 'rep-li', ownerTo: null, poolFrom: 'gh-east', poolTo: 'gh-east', teamIds: ['rep-wang'], override: null };
});
export const customerArb: fc.Arbitrary<PoolCustomer> = poolCustomerArb();
export const leadFor = fc.constantFrom(0, 1).map(() => {
  const r = createLead({ id: 'L-9', source: 'import', name: '张伟', attributes: { level: 'important' }, poolId: 'gh-east' }, { now: new Date(T0), actor: { id: 'admin-zhou', relations: ['poolAdmin'] } });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.lead;
});
export const stateArb = fc.record({ ownerId: fc.constant('rep-li'), warning: fc.constant(null), extendedUntil: fc.option(instant(0, 5), { nil: null }), extensionPendingUntil: fc.constant(null) });
export const extensionRequestArb = fc.tuple(policyArb, viewArb, nowArb, fc.integer({ min: 1, max: 7 })).map(([p, v, now, days]) => {
  const r = pools.requestReclaimExtension(p, { ...v, ownerId: 'rep-li' }, { days, requestedBy: 'rep-li' }, now);
  return r.ok
    ? r.value.request
    : {
        status: 'pending',
        recordId: 'C-1',
        kind: 'customer',
        poolId: 'gh-east',
        ruleId: 'r-all',
        ownerId: 'rep-li',
        requestedBy: 'rep-li',
        requestedAt: now,
        days,
        reason: null,
        reclaimAt: new Date(now.getTime() + DAY),
        extendedUntil: new Date(now.getTime() + 5 * DAY),
        approvers: ['admin-zhou'],
        recordVersion: 3,
        decidedBy: null,
        decidedAt: null,
        note: null,
      };
});
