import fc from 'fast-check';
import * as kit from '../../src/testing/index.js';
import { OPPORTUNITY_OPERATIONS } from '../../src/leads/index.js';
import { ASSIGNMENT_STRATEGIES, POOL_KINDS } from '../../src/pools/index.js';
import { HOST_RELATIONS, RELATIONS } from '../../src/core/permissions.js';
import type { SchemaName } from '../../src/schemas/index.js';
import { startScore, type ScoreState } from '../../src/scoring/index.js';
import { eventArb, leadArb, modelArb } from '../scoring/arbitraries.js';

/*
 * Values of every published schema for the property tests: the testing kit's arbitraries where
 * it has them (valid and invalid twins, looked up by name so the kit can grow), and small
 * generators here for the rest.
 */

type Arb = fc.Arbitrary<unknown>;
const kitArb = (name: string): Arb | undefined => {
  const make = (kit as Record<string, unknown>)[name];
  if (typeof make !== 'function') return undefined;
  const arb = (make as () => unknown)();
  return arb instanceof fc.Arbitrary ? (arb as Arb) : undefined;
};

const USERS = ['rep-li', 'rep-wang', 'admin-zhou', 'crm-admin'] as const;
const id = (prefix: string) => fc.integer({ min: 1, max: 999 }).map((n) => `${prefix}-${n}`);
const instant = fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true });
const zone = fc.constantFrom('Asia/Shanghai', 'UTC', 'Asia/Singapore', 'America/New_York');
const member = fc.record({ id: fc.constantFrom(...USERS), departmentIds: fc.array(id('dept'), { maxLength: 2 }) });
const relations = fc.uniqueArray(fc.constantFrom(...RELATIONS), { maxLength: 3 });

/** A pool request of one operation of the pool service, from the kit's `poolRequestArb`. */
const poolRequest = (operation: string): Arb =>
  (kit.poolRequestArb() as fc.Arbitrary<{ operation: string; request: unknown }>).filter((r) => r.operation === operation).map((r) => r.request);
const invalidPoolRequest = (operation: string): Arb =>
  (kit.invalidPoolRequestArb() as fc.Arbitrary<{ operation: string; request: unknown }>).filter((r) => r.operation === operation).map((r) => r.request);

const ref = fc.record({ poolId: fc.constantFrom('gh-east', 'lp-south'), recordKind: fc.constantFrom(...POOL_KINDS), recordId: id('C'), now: instant });

const extensionRequest = fc
  .record({
    status: fc.constantFrom('pending', 'approved', 'rejected'),
    recordId: id('C'),
    kind: fc.constantFrom(...POOL_KINDS),
    poolId: fc.constant('gh-east'),
    ruleId: fc.constant('r-15d'),
    ownerId: fc.constantFrom(...USERS),
    requestedBy: fc.constantFrom(...USERS),
    requestedAt: instant,
    days: fc.integer({ min: 1, max: 30 }),
    reason: fc.option(fc.constantFrom('客户出差', 'waiting for budget')),
    reclaimAt: instant,
    extendedUntil: instant,
    approvers: fc.uniqueArray(fc.constantFrom(...USERS), { minLength: 1, maxLength: 2 }),
    recordVersion: fc.nat(50),
    decidedBy: fc.option(fc.constantFrom(...USERS)),
    decidedAt: fc.option(instant),
    note: fc.option(fc.constant('请先跟进')),
  });
const actor = fc.record({ id: fc.constantFrom(...USERS), relations: fc.uniqueArray(fc.constantFrom(...HOST_RELATIONS), { maxLength: 3 }), departmentIds: fc.array(id('dept'), { maxLength: 2 }) }, { requiredKeys: ['id'] });
const key = fc.record({ poolId: fc.constantFrom('gh-east', 'lp-south'), recordKind: fc.constantFrom(...POOL_KINDS), recordId: id('C') });
const override = fc.record({ reason: fc.constantFrom('大客户，经理批准', 'VIP') });
const verdict = fc.record({ approve: fc.boolean(), by: fc.constantFrom(...USERS), note: fc.constantFrom('请先跟进', 'ok') }, { requiredKeys: ['approve', 'by'] });

const amount = fc.oneof(
  fc.record({ currency: fc.constant('CNY'), amount: fc.constantFrom('0', '1000.00', '99.5', '123456.78') }),
  fc.record({ currency: fc.constant('JPY'), minor: fc.nat(1_000_000) }),
);

const stage = fc.record({ id: fc.constantFrom('s1', 's2', 's3', 's4'), name: fc.constantFrom('验证客户', '方案/报价', 'Negotiation'), probability: fc.integer({ min: 0, max: 100 }) });

/* ------------------------------------------------------------------ metrics */

const PERIODS = ['day', 'week', 'month', 'quarter', 'year'] as const;
const ATTRIBUTES = ['attribute:industry', 'attribute:region', 'attribute:campaign', 'attribute:客户等级'] as const;
const DAY = 86_400_000;

/** A window [from, to): a quarter, a month, a week or a year, from a day start in Shanghai or UTC, as Dates or as ISO strings with an offset. */
const metricWindow = fc
  .tuple(fc.integer({ min: 0, max: 900 }), fc.constantFrom(1, 7, 31, 90, 91, 365), fc.constantFrom('+08:00', 'Z'), fc.boolean())
  .map(([day, days, offset, asText]) => {
    const start = Date.UTC(2025, 0, 1) + day * DAY - (offset === 'Z' ? 0 : 8 * 3_600_000);
    const at = (ms: number) => (asText ? new Date(ms + (offset === 'Z' ? 0 : 8 * 3_600_000)).toISOString().replace(/\.\d{3}Z$/, offset) : new Date(ms));
    return { from: at(start), to: at(start + days * DAY) };
  });
/** Each member in at most one team. */
const teams = fc.uniqueArray(fc.record({ memberId: fc.constantFrom(...USERS, 'rep-zhao'), teamId: fc.constantFrom('east', 'south', 'key-accounts') }), { maxLength: 4, selector: (t) => t.memberId });
/** A groupBy of the dimensions given (each at most once, in any order) and at most one period. */
const dimensions = (named: readonly string[], periods: boolean) =>
  fc
    .tuple(fc.shuffledSubarray([...named], { maxLength: 3 }), periods ? fc.option(fc.constantFrom(...PERIODS), { nil: undefined }) : fc.constant(undefined))
    .map(([ds, period]) => (period === undefined ? ds : [...ds, period]));
/** The scope every windowed query has, with a groupBy of these dimensions. */
const scope = (groupBy: fc.Arbitrary<string[]>) =>
  fc
    .tuple(
      metricWindow,
      fc.record({ zone, weekStartsOn: fc.constantFrom('monday', 'sunday'), teams, onInvalid: fc.constantFrom('refuse', 'skip'), groupBy }, { requiredKeys: ['zone'] }),
    )
    .map(([w, rest]) => ({ ...w, ...rest }));
/** Queries every windowed metric refuses: the window reversed or empty, a dimension twice, two periods, an unknown dimension or zone, an extra key. */
const BAD_SCOPES: readonly Record<string, unknown>[] = [
  { from: '2026-04-01T00:00:00+08:00', to: '2026-01-01T00:00:00+08:00', zone: 'Asia/Shanghai' },
  { from: '2026-01-01T00:00:00+08:00', to: '2026-01-01T00:00:00+08:00', zone: 'Asia/Shanghai' },
  { from: '2026-01-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', zone: 'Asia/Shanghai', groupBy: ['owner', 'owner'] },
  { from: '2026-01-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', zone: 'Asia/Shanghai', groupBy: ['month', 'quarter'] },
  { from: '2026-01-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', zone: 'Asia/Shanghai', groupBy: ['region'] },
  { from: '2026-01-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', zone: 'Asia/Shanghai', groupBy: ['attribute:'] },
  { from: '2026-01-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', zone: '' },
  { from: '2026-01-01', to: '2026-04-01', zone: 'Asia/Shanghai' },
  { from: '2026-01-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', zone: 'Asia/Shanghai', weekStartsOn: 'saturday' },
  { from: '2026-01-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', zone: 'Asia/Shanghai', teams: [{ memberId: 'rep-li', teamId: 'east' }, { memberId: 'rep-li', teamId: 'south' }] },
  { from: '2026-01-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', zone: 'Asia/Shanghai', onInvalid: 'ignore' },
  { from: '2026-01-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', zone: 'Asia/Shanghai', now: '2026-05-06T10:00:00+08:00' },
];
const withBadScopes = (...more: Record<string, unknown>[]) => fc.constantFrom(...BAD_SCOPES, ...more);

const funnelQuery = fc.tuple(fc.constantFrom('cohort', 'period'), scope(dimensions(['owner', 'team', 'pool', 'channel', ...ATTRIBUTES], true))).map(([reading, q]) => ({ reading, ...q }));
const opportunitiesQuery = scope(dimensions(['owner', 'team', 'channel', 'customer', 'stage'], true));
const pipelineQuery = fc.record(
  { zone, groupBy: dimensions(['owner', 'team', 'channel', 'customer', 'stage'], false), teams, onInvalid: fc.constantFrom('refuse', 'skip'), staleAfterDays: fc.constantFrom(1, 7, 14, 30, 90, 3660) },
  { requiredKeys: ['zone'] },
);
const RATES = [
  { currency: 'USD', rate: '7.1234' },
  { currency: 'JPY', rate: '0.0478' },
  { currency: 'EUR', rate: '7.82' },
  { currency: 'HKD', rate: 1 },
] as const;
const forecastQuery = fc
  .tuple(
    scope(dimensions(['owner', 'team', 'channel', 'customer', 'stage'], true)),
    fc.option(
      fc
        .tuple(fc.integer({ min: 0, max: 100 }), fc.nat(100), fc.uniqueArray(fc.record({ stageId: fc.constantFrom('qualify', 'proposal', 'negotiation', 'won'), category: fc.constantFrom('pipeline', 'bestCase', 'commit', 'omitted') }), { maxLength: 3, selector: (s) => s.stageId }))
        .map(([commitFrom, below, byStage]) => ({ commitFrom, bestCaseFrom: Math.min(below, commitFrom), byStage })),
      { nil: undefined },
    ),
    fc.option(fc.subarray([...RATES]), { nil: undefined }),
  )
  .map(([q, categories, rates]) => ({ ...q, ...(categories ? { categories } : {}), ...(rates ? { reportingCurrency: 'CNY', rates } : {}) }));
const attainmentQuery = fc.record({ zone, onInvalid: fc.constantFrom('refuse', 'skip') }, { requiredKeys: ['zone'] });
const collectionQuery = fc
  .tuple(scope(dimensions(['owner', 'team', 'customer'], true)), fc.option(fc.oneof(kitArb('paymentPolicyArb')!, fc.constant({ zone: 'Asia/Shanghai', agingBuckets: [30, 60, 90, 180] })), { nil: undefined }))
  .map(([q, policy]) => (policy === undefined ? q : { ...q, policy }));
const activityQuery = fc
  .tuple(
    scope(dimensions(['owner', 'team', 'pool', 'channel', ...ATTRIBUTES], true)),
    fc.record({ followUpWithinDays: fc.integer({ min: 0, max: 365 }), invitationChannels: fc.subarray(['visit', 'meeting', 'wechat', 'phone', '上门拜访']) }, { requiredKeys: [] }),
  )
  .map(([q, more]) => ({ ...q, ...more }));
/** A value of one dimension of a marketing group (a channel, a campaign, a rep, a month…, or null: none). */
const groupValue = fc.constantFrom('tradeShow', 'webinar', 'referral', '2026 春季展', 'rep-li', '2026-03', null, 2026, true);
// groupBy is optional in every scope: without it, marketing groups by channel
const marketingQuery = scope(dimensions(['channel', 'owner', 'team', 'pool', ...ATTRIBUTES], true)).chain((q) => {
  const length = q.groupBy === undefined ? 1 : q.groupBy.length;
  const cost = fc.record({ group: fc.array(groupValue, { minLength: length, maxLength: length }), amount: fc.constantFrom({ currency: 'CNY', amount: '80000.00' }, { currency: 'CNY', amount: '0' }, { currency: 'USD', minor: 1_250_000 }) });
    return fc.uniqueArray(cost, { maxLength: 4, selector: (c) => JSON.stringify(c.group) }).map((costs) => ({ ...q, costs }));
});

/** Twelve month weights: equal, a year-end push, a 618 and Double 11 retail year, decimals. */
const seasonality = fc.constantFrom([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 2, 1, 1, 2, 1, 1, 2, 2, 2, 4], ['0.8', '0.8', '1', '1', '1', '1.5', '1', '1', '1', '1', '2.5', '1.4'], [0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
const weight = fc.constantFrom(1, 2, 3, '0.5', '1.25', '40');
const REPS = ['李雷', '韩梅梅', '王强', 'Alice Chen'] as const;
/** A target tree: the company → departments (regions, product lines) → reps, ids unique. */
const targetRoot = fc
  .uniqueArray(fc.record({ id: fc.constantFrom('east', 'south', 'north', 'key-accounts', 'saas-line'), name: fc.constantFrom('华东大区', '华南大区', '大客户部', 'SaaS 产品线'), weight, seasonality, reps: fc.integer({ min: 0, max: 3 }) }, { requiredKeys: ['id', 'reps'] }), { minLength: 1, maxLength: 3, selector: (d) => d.id })
  .chain((departments) =>
    fc.tuple(fc.constant(departments), fc.array(fc.tuple(fc.constantFrom(...REPS), weight), { minLength: 12, maxLength: 12 })).map(([ds, reps]) => ({
      id: 'company',
      name: '总公司',
      children: ds.map(({ reps: n, ...d }, i) => ({ ...d, ...(n > 0 ? { children: reps.slice(3 * i, 3 * i + n).map(([name, w], k) => ({ id: `${d.id}-rep-${k + 1}`, name, weight: w })) } : {}) })),
    })),
  );
const targetPlan = fc.record(
  {
    fiscalYear: fc.constantFrom(2026, 2027),
    startMonth: fc.constantFrom(1, 4, 7),
    total: fc.constantFrom({ currency: 'CNY', amount: '12000000.00' }, { currency: 'CNY', minor: 3_600_000_000 }, { currency: 'USD', amount: '2500000' }, { count: 120 }),
    root: targetRoot,
    seasonality,
  },
  { requiredKeys: ['fiscalYear', 'total', 'root'] },
);
const PLAN = { fiscalYear: 2026, total: { currency: 'CNY', amount: '1200.00' } };
const INVALID_PLANS: readonly Record<string, unknown>[] = [
  { ...PLAN, fiscalYear: 0, root: { id: 'co' } },
  { ...PLAN, startMonth: 13, root: { id: 'co' } },
  { ...PLAN, total: { currency: 'CNY', amount: '-1.00' }, root: { id: 'co' } },
  { ...PLAN, total: { count: 1.5 }, root: { id: 'co' } },
  { ...PLAN, root: { name: '总公司' } },
  { ...PLAN, root: { id: 'co', children: [{ id: 'east', weight: 0 }, { id: 'south', weight: '0.00' }] } },
  { ...PLAN, root: { id: 'co', children: [{ id: 'east', weight: '-1' }] } },
  { ...PLAN, root: { id: 'co', seasonality: [1, 1, 1] } },
  { ...PLAN, root: { id: 'co' }, seasonality: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
  { ...PLAN, root: { id: 'co', children: [{ id: 'east' }, { id: 'east' }] } },
  { ...PLAN, root: { id: 'co', owner: 'rep-li' } },
];

/* ------------------------------------------------------------------ pools: routing and escalation */

/** East China retail routing an admin might write: by industry and region, key leads by grade and score; every kind of condition, optional parts left out. */
const ROUTING_POLICY = {
  id: 'inbound-east',
  version: 3,
  mode: 'bestMatch',
  rules: [
    { id: 'east-retail-a', label: '华东零售 A 级线索', when: [{ field: 'attribute:industry', op: 'in', values: ['retail', '零售'] }, { field: 'attribute:region', op: 'in', values: ['华东', '上海', '江苏', '浙江'] }, { field: 'grade', op: 'in', values: ['A'] }], poolId: 'pool-key-leads', priority: 10 },
    { id: 'east-retail', label: '华东零售线索池', when: [{ field: 'attribute:industry', op: 'in', values: ['retail', '零售'] }, { field: 'attribute:region', op: 'in', values: ['华东'] }], poolId: 'pool-east-retail' },
    { id: 'east-hot', when: [{ field: 'attribute:region', op: 'in', values: ['华东'] }, { field: 'score', op: 'atLeast', value: 60 }], poolId: 'pool-east', priority: 5 },
    { id: 'chain-stores', label: null, when: [{ field: 'attribute:门店数', op: 'between', min: 50, max: 50 }, { field: 'attribute:连锁', op: 'in', values: [true] }], poolId: 'pool-ka' },
    { id: 'no-phone', when: [{ field: 'phone', op: 'missing' }, { field: 'channel', op: 'notIn', values: ['tradeShow', 'referral'] }, { field: 'score', op: 'atMost', value: 19.5 }], poolId: 'pool-nurture', priority: -1 },
    { id: 'east-any', when: [{ field: 'attribute:region', op: 'exists' }], poolId: 'pool-east' },
    { id: 'everything-else', poolId: 'pool-general', priority: -1_000_000 },
  ],
  defaultPoolId: null,
};
const REGION_VALUES = ['华东', '上海', '江苏', '浙江', '华南', 'east'] as const;
const routingCondition = fc.oneof(
  fc.record({ field: fc.constantFrom('attribute:industry', 'attribute:行业'), op: fc.constantFrom('in', 'notIn'), values: fc.subarray(['retail', '零售', '快消', 'finance'], { minLength: 1 }) }),
  fc.record({ field: fc.constant('attribute:region'), op: fc.constantFrom('in', 'notIn'), values: fc.subarray([...REGION_VALUES], { minLength: 1 }) }),
  fc.record({ field: fc.constantFrom('grade', 'quality', 'channel'), op: fc.constantFrom('in', 'notIn'), values: fc.subarray(['A', 'B', 'C', 'high', 'tradeShow', 'websiteForm'], { minLength: 1 }) }),
  fc.record({ field: fc.constantFrom('score', 'attribute:门店数'), op: fc.constantFrom('atLeast', 'atMost'), value: fc.integer({ min: -100, max: 1000 }) }),
  fc.tuple(fc.constantFrom('score', 'attribute:员工人数'), fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 500 })).map(([field, a, b]) => ({ field, op: 'between', min: Math.min(a, b), max: Math.max(a, b) })),
  fc.record({ field: fc.constantFrom('phone', 'email', 'company', 'ownerId', 'attribute:region'), op: fc.constantFrom('exists', 'missing') }),
);
const routingRule = fc.record(
  {
    id: fc.constantFrom('east-retail', 'east-retail-a', 'east', 'south', 'key-leads', 'shows', 'nurture', 'r-1', 'r-2', 'r-3'),
    label: fc.option(fc.constantFrom('华东零售线索池', '重点线索', 'Trade shows')),
    when: fc.array(routingCondition, { maxLength: 4 }),
    poolId: fc.constantFrom('pool-east-retail', 'pool-east', 'pool-key-leads', 'pool-south', 'pool-general'),
    priority: fc.integer({ min: -10, max: 10 }),
  },
  { requiredKeys: ['id', 'poolId'] },
);
const routingPolicy = fc.oneof(
  {
    arbitrary: fc.record(
      {
        id: fc.constantFrom('inbound', 'inbound-east', 'import-2026'),
        version: fc.integer({ min: 1, max: 1_000 }),
        mode: fc.constantFrom('firstMatch', 'bestMatch'),
        rules: fc.uniqueArray(routingRule, { maxLength: 6, selector: (r) => r.id }),
        defaultPoolId: fc.option(fc.constantFrom('pool-general', 'pool-east')),
      },
      { requiredKeys: ['id', 'version', 'rules'] },
    ),
    weight: 4,
  },
  { arbitrary: fc.constant(ROUTING_POLICY), weight: 1 },
);
const routingRule0 = ROUTING_POLICY.rules[1]!;
/** Policies the door refuses: the schema too, but for its limits (rule ids, a between's order). */
const INVALID_ROUTING_POLICIES: readonly unknown[] = [
  { ...ROUTING_POLICY, version: 0 },
  { ...ROUTING_POLICY, mode: 'random' },
  { ...ROUTING_POLICY, defaultPoolId: '' },
  { ...ROUTING_POLICY, zone: 'Asia/Shanghai' },
  { id: 'inbound', version: 1 },
  { ...ROUTING_POLICY, rules: [routingRule0, { ...routingRule0, label: '重复的规则' }] },
  { ...ROUTING_POLICY, rules: [{ ...routingRule0, when: [{ field: 'attribute:门店数', op: 'between', min: 500, max: 50 }] }] },
  { ...ROUTING_POLICY, rules: [{ ...routingRule0, when: [{ field: 'industry', op: 'in', values: ['retail'] }] }] },
  { ...ROUTING_POLICY, rules: [{ ...routingRule0, when: [{ field: 'poolId', op: 'in', values: ['pool-east'] }] }] },
  { ...ROUTING_POLICY, rules: [{ ...routingRule0, when: [{ field: 'attribute:', op: 'exists' }] }] },
  { ...ROUTING_POLICY, rules: [{ ...routingRule0, when: [{ field: 'attribute:__proto__', op: 'exists' }] }] },
  { ...ROUTING_POLICY, rules: [{ ...routingRule0, when: [{ field: 'attribute:region', op: 'in', values: [] }] }] },
  { ...ROUTING_POLICY, rules: [{ ...routingRule0, when: [{ field: 'attribute:region', op: 'in', values: [null] }] }] },
  { ...ROUTING_POLICY, rules: [{ ...routingRule0, when: [{ field: 'phone', op: 'exists', values: ['x'] }] }] },
  { ...ROUTING_POLICY, rules: [{ ...routingRule0, when: [{ field: 'score', op: 'atLeast', value: '60' }] }] },
  { ...ROUTING_POLICY, rules: [{ ...routingRule0, when: [{ field: 'score', op: 'between', min: 60 }] }] },
  { ...ROUTING_POLICY, rules: [{ ...routingRule0, priority: 1.5 }] },
  { ...ROUTING_POLICY, rules: [{ ...routingRule0, label: '' }] },
  { ...ROUTING_POLICY, rules: [{ ...routingRule0, poolId: undefined }] },
  { ...ROUTING_POLICY, rules: [{ ...routingRule0, pool: 'pool-east' }] },
];

/** The seed's ladder: pool-east for 4 working hours, then pool-national for 8, then the East China manager; Monday to Friday, 09:00–18:00 in Shanghai. */
const ESCALATION_LADDER = {
  id: 'inbound-east',
  version: 2,
  tiers: [
    { kind: 'pool', poolId: 'pool-east', hours: 4 },
    { kind: 'pool', poolId: 'pool-national', hours: 8 },
    { kind: 'owner', ownerId: 'mgr-zhou' },
  ],
  workingHours: { zone: 'Asia/Shanghai', days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' },
};
const timeOfDay = (minutes: number) => (minutes === 1440 ? '24:00' : `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`);
const workingHours = fc
  .tuple(zone, fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }), fc.integer({ min: 0, max: 1380 }), fc.integer({ min: 60, max: 1440 }))
  .map(([z, days, from, length]) => ({ zone: z, days, from: timeOfDay(from), to: timeOfDay(Math.min(1440, from + length)) }));
const ladderTiers = fc
  .tuple(fc.shuffledSubarray(['pool-east', 'pool-south', 'pool-national', 'pool-key-leads', 'pool-general', 'pool-1', 'pool-2', 'pool-3', 'pool-4', 'pool-5'], { minLength: 2, maxLength: 10 }), fc.boolean(), fc.array(fc.integer({ min: 1, max: 1_000 }), { minLength: 10, maxLength: 10 }))
  .map(([pools, owner, hours]) => {
    const waiting = pools.slice(0, owner ? pools.length : pools.length - 1).slice(0, 9).map((poolId, i) => ({ kind: 'pool', poolId, hours: hours[i]! }));
    return [...waiting, owner ? { kind: 'owner', ownerId: 'mgr-zhou' } : { kind: 'pool', poolId: pools[pools.length - 1]!, hours: null }];
  });
const escalationLadder = fc.oneof(
  {
    arbitrary: fc.record(
      { id: fc.constantFrom('inbound', 'inbound-east'), version: fc.integer({ min: 1, max: 1_000 }), tiers: ladderTiers, workingHours: fc.option(workingHours) },
      { requiredKeys: ['id', 'version', 'tiers'] },
    ),
    weight: 4,
  },
  { arbitrary: fc.constant(ESCALATION_LADDER), weight: 1 },
);
const [EAST, NATIONAL, OWNER] = ESCALATION_LADDER.tiers;
const HOURS = ESCALATION_LADDER.workingHours;
/** Ladders the door refuses: the schema too, but for its limits (a pool twice, to less than an hour after from, a zone the runtime does not know). */
const INVALID_LADDERS: readonly unknown[] = [
  { ...ESCALATION_LADDER, tiers: [] },
  { ...ESCALATION_LADDER, tiers: [EAST] },
  { ...ESCALATION_LADDER, tiers: [OWNER, EAST] },
  { ...ESCALATION_LADDER, tiers: [EAST, OWNER, NATIONAL] },
  { ...ESCALATION_LADDER, tiers: [{ ...EAST, hours: null }, NATIONAL, OWNER] },
  { ...ESCALATION_LADDER, tiers: [EAST, NATIONAL] },
  { ...ESCALATION_LADDER, tiers: [EAST, { ...EAST, hours: 8 }, OWNER] },
  { ...ESCALATION_LADDER, tiers: [EAST, { ...NATIONAL, hours: 0 }, OWNER] },
  { ...ESCALATION_LADDER, tiers: [EAST, { ...NATIONAL, hours: 4.5 }, OWNER] },
  { ...ESCALATION_LADDER, tiers: [EAST, { kind: 'pool', poolId: 'pool-national' }, OWNER] },
  { ...ESCALATION_LADDER, tiers: [EAST, NATIONAL, { ...OWNER, hours: 8 }] },
  { ...ESCALATION_LADDER, tiers: [EAST, NATIONAL, { kind: 'team', teamId: 'east' }] },
  { ...ESCALATION_LADDER, tiers: Array.from({ length: 11 }, (_, i) => (i === 10 ? OWNER : { kind: 'pool', poolId: `pool-${i}`, hours: 4 })) },
  { ...ESCALATION_LADDER, workingHours: { ...HOURS, from: '9:00' } },
  { ...ESCALATION_LADDER, workingHours: { ...HOURS, to: '18:00:00' } },
  { ...ESCALATION_LADDER, workingHours: { ...HOURS, to: '25:00' } },
  { ...ESCALATION_LADDER, workingHours: { ...HOURS, from: 540 } },
  { ...ESCALATION_LADDER, workingHours: { ...HOURS, to: '09:30' } },
  { ...ESCALATION_LADDER, workingHours: { ...HOURS, from: '18:00', to: '09:00' } },
  { ...ESCALATION_LADDER, workingHours: { ...HOURS, days: [] } },
  { ...ESCALATION_LADDER, workingHours: { ...HOURS, days: [0, 1, 2] } },
  { ...ESCALATION_LADDER, workingHours: { ...HOURS, days: [1, 2, 3, 4, 5, 5] } },
  { ...ESCALATION_LADDER, workingHours: { ...HOURS, zone: '' } },
  { ...ESCALATION_LADDER, workingHours: { ...HOURS, zone: 'Mars/Olympus' } },
  { ...ESCALATION_LADDER, workingHours: { ...HOURS, holidays: ['2026-10-01'] } },
  { ...ESCALATION_LADDER, workingHours: { zone: 'Asia/Shanghai', from: '09:00', to: '18:00' } },
  { ...ESCALATION_LADDER, owner: 'mgr-zhou' },
];

/* ------------------------------------------------------------------ scoring */

/** A model an admin might write: Chinese labels, every kind of condition and decay, a catch-all grade, optional parts left out. */
const SCORING_MODEL = {
  id: 'default',
  version: 3,
  zone: 'Asia/Shanghai',
  rules: [
    { id: 'retail-east', kind: 'fit', label: '华东零售企业', when: [{ field: 'attribute:industry', op: 'in', values: ['retail', '零售'] }, { field: 'attribute:region', op: 'in', values: ['华东'] }], points: 20 },
    { id: 'big', kind: 'fit', when: [{ field: 'attribute:员工人数', op: 'between', min: 500, max: 500 }], points: 10 },
    { id: 'no-phone', kind: 'fit', label: null, when: [{ field: 'phone', op: 'missing' }, { field: 'channel', op: 'notIn', values: ['tradeShow'] }], points: -5 },
    { id: 'trade-show', kind: 'behaviour', label: '展会到访', events: ['lead.created'], where: [{ path: ['source', 'kind'], op: 'in', values: ['tradeShow', true, 3] }], points: 15, cap: 15 },
    { id: 'visits', kind: 'behaviour', label: '拜访', events: ['lead.followedUp'], where: [{ path: ['followUp', 'channel'], op: 'in', values: ['visit'] }], points: 10, cap: 30, decay: { kind: 'halfLife', days: 30 } },
    { id: 'web', kind: 'behaviour', events: ['web.visited', 'form.submitted'], where: [{ path: ['duration'], op: 'atLeast', value: 30.5 }], points: 2, cap: null, decay: { kind: 'expires', days: 90 } },
    { id: 'unsubscribed', kind: 'behaviour', events: ['email.unsubscribed'], points: -1000, decay: null },
  ],
  grades: [{ grade: 'A', min: 60 }, { grade: 'B', min: 30 }, { grade: 'C', min: -1_000_000 }, { grade: '未分级' }],
  mqlThreshold: 50,
};
const scoringModel = fc.oneof({ arbitrary: modelArb, weight: 4 }, { arbitrary: fc.constant(SCORING_MODEL), weight: 1 });
/** Models the door refuses: the schema too, but for its limits (a between's order, rule ids, grades' order). */
const INVALID_SCORING_MODELS: readonly unknown[] = [
  { ...SCORING_MODEL, rules: [] },
  { ...SCORING_MODEL, version: 0 },
  { ...SCORING_MODEL, zone: '' },
  { ...SCORING_MODEL, zone: 'Mars/Olympus' },
  { ...SCORING_MODEL, grades: [] },
  { ...SCORING_MODEL, mqlThreshold: 10.5 },
  { ...SCORING_MODEL, owner: 'admin-zhou' },
  { ...SCORING_MODEL, rules: [{ id: 'r', kind: 'fit', when: [{ field: 'channel', op: 'in', values: ['tradeShow'] }], points: 0 }] },
  { ...SCORING_MODEL, rules: [{ id: 'r', kind: 'fit', when: [{ field: 'industry', op: 'in', values: ['retail'] }], points: 5 }] },
  { ...SCORING_MODEL, rules: [{ id: 'r', kind: 'fit', when: [{ field: 'attribute:', op: 'exists' }], points: 5 }] },
  { ...SCORING_MODEL, rules: [{ id: 'r', kind: 'fit', when: [{ field: 'attribute:__proto__', op: 'exists' }], points: 5 }] },
  { ...SCORING_MODEL, rules: [{ id: 'r', kind: 'fit', when: [{ field: 'channel', op: 'in', values: [] }], points: 5 }] },
  { ...SCORING_MODEL, rules: [{ id: 'r', kind: 'fit', when: [{ field: 'channel', op: 'exists', values: ['x'] }], points: 5 }] },
  { ...SCORING_MODEL, rules: [{ id: 'r', kind: 'fit', when: [{ field: 'attribute:employees', op: 'between', min: 500, max: 50 }], points: 5 }] },
  { ...SCORING_MODEL, rules: [{ id: 'r', kind: 'behaviour', events: ['web.visited'], where: [{ path: ['duration'], op: 'between', min: 60, max: 30 }], points: 1 }] },
  { ...SCORING_MODEL, rules: [{ id: 'r', kind: 'behaviour', events: ['web.visited', 'web.visited'], points: 1 }] },
  { ...SCORING_MODEL, rules: [{ id: 'r', kind: 'behaviour', events: [], points: 1 }] },
  { ...SCORING_MODEL, rules: [{ id: 'r', kind: 'behaviour', events: ['web.visited'], points: 1, cap: 0 }] },
  { ...SCORING_MODEL, rules: [{ id: 'r', kind: 'behaviour', events: ['web.visited'], points: 1, decay: { kind: 'halfLife', days: 0 } }] },
  { ...SCORING_MODEL, rules: [{ id: 'r', kind: 'behaviour', events: ['web.visited'], points: 1, decay: { kind: 'linear', days: 30 } }] },
  { ...SCORING_MODEL, rules: [{ id: 'r', kind: 'behaviour', events: ['web.visited'], where: [{ path: [], op: 'exists' }], points: 1 }] },
  { ...SCORING_MODEL, rules: [{ id: 'r', kind: 'behaviour', events: ['web.visited'], when: [{ field: 'channel', op: 'exists' }], points: 1 }] },
  { ...SCORING_MODEL, rules: [{ id: 'r', kind: 'fit', when: [{ field: 'channel', op: 'exists' }], points: 1 }, { id: 'r', kind: 'behaviour', events: ['web.visited'], points: 1 }] },
  { ...SCORING_MODEL, grades: [{ grade: 'B', min: 30 }, { grade: 'A', min: 60 }] },
  { ...SCORING_MODEL, grades: [{ grade: 'A' }, { grade: 'B', min: 30 }] },
  { ...SCORING_MODEL, grades: [{ grade: 'A', min: 60 }, { grade: 'A', min: 30 }] },
  { ...SCORING_MODEL, grades: [{ grade: '', min: 60 }] },
];

/** A lead's score state as startScore keeps it, from a generated model and events. */
const scoreState = fc
  .tuple(modelArb, leadArb, fc.array(eventArb, { maxLength: 12 }))
  .map(([model, lead, events]) => startScore(model, lead.id, events))
  .filter((r) => r.ok)
  .map((r) => (r as { ok: true; value: ScoreState }).value);
const STATE = { modelId: 'default', modelVersion: 3, leadId: 'L-1', tallies: [{ ruleId: 'visits', days: [['2026-03-18', 1], ['2026-03-20', 2]] }] };
const INVALID_SCORE_STATES: readonly unknown[] = [
  { ...STATE, modelVersion: 0 },
  { ...STATE, leadId: '' },
  { modelId: 'default', modelVersion: 3, tallies: [] },
  { ...STATE, score: 35 },
  { ...STATE, tallies: [{ ruleId: 'visits', days: [['2026-03-18', 0]] }] },
  { ...STATE, tallies: [{ ruleId: 'visits', days: [['2026-3-18', 1]] }] },
  { ...STATE, tallies: [{ ruleId: 'visits', days: [['2026-03-18T00:00:00+08:00', 1]] }] },
  { ...STATE, tallies: [{ ruleId: 'visits', days: [['2026-03-18', 1, 2]] }] },
  { ...STATE, tallies: [{ ruleId: 'visits', days: [['2026-03-18', 1.5]] }] },
  { ...STATE, tallies: [{ ruleId: 'visits', days: [{ day: '2026-03-18', count: 1 }] }] },
  { ...STATE, tallies: [{ days: [] }] },
];

/** A valid value of every schema (what its door accepts, mostly), and where one exists an invalid twin. */
export const ARBITRARIES: Readonly<Record<SchemaName, { readonly valid: Arb; readonly invalid?: Arb }>> = {
  serviceContext: {
    valid: fc.record({ now: instant, actor }),
    invalid: fc.constantFrom({ now: 'soon', actor: { id: 'rep-li' } }, { now: '2026-05-06T10:00:00Z' }, { now: '2026-05-06T10:00:00Z', actor: { id: 'rep-li', relations: ['owner'] } }, { now: '2026-05-06T10:00:00Z', actorId: 'rep-li' }),
  },
  poolPolicy: { valid: kit.poolPolicyArb(), invalid: kit.invalidPoolPolicyArb() },
  reclaimRule: { valid: kit.poolPolicyArb().chain((p) => (p.reclaimRules && p.reclaimRules.length > 0 ? fc.constantFrom(...p.reclaimRules) : fc.constant({ id: 'r1', trigger: { kind: 'noDeal', days: 30 } }))) },
  reminderRule: { valid: kit.poolPolicyArb().chain((p) => (p.reminderRules && p.reminderRules.length > 0 ? fc.constantFrom(...p.reminderRules) : fc.constant({ id: 'm1', trigger: { kind: 'noFollowUp', days: 7 } }))) },
  assignmentOptions: {
    valid: fc.record({ strategy: fc.constantFrom(...ASSIGNMENT_STRATEGIES), cursor: fc.option(fc.constantFrom(...USERS)), seed: fc.integer(), overflow: fc.option(fc.oneof(fc.record({ memberId: fc.constantFrom(...USERS) }), fc.record({ poolId: fc.constant('gh-east') }))) }, { requiredKeys: ['strategy'] }),
    invalid: fc.constantFrom({ strategy: 'weightedRandom' }, { strategy: 'random' }, { strategy: 'roundRobin', cursor: '' }, { strategy: 'weighted', overflow: { memberId: 'a', poolId: 'b' } }),
  },
  routingPolicy: { valid: routingPolicy, invalid: fc.constantFrom(...INVALID_ROUTING_POLICIES) },
  escalationLadder: { valid: escalationLadder, invalid: fc.constantFrom(...INVALID_LADDERS) },
  poolCustomer: { valid: kit.poolCustomerArb(), invalid: kit.invalidPoolCustomerArb() },
  poolRecordView: { valid: kit.poolRecordViewArb(), invalid: kit.invalidPoolRecordViewArb() },
  poolMember: { valid: kit.poolMemberArb(), invalid: kit.invalidPoolMemberArb() },
  poolEvent: {
    valid: fc.record({
      type: fc.constantFrom('pool.claimed', 'pool.assigned', 'pool.returned', 'pool.reclaimed'),
      at: instant,
      actorId: fc.constantFrom(...USERS),
      subject: fc.record({ kind: fc.constantFrom(...POOL_KINDS), id: id('C') }),
      version: fc.nat(20),
      data: fc.dictionary(fc.constantFrom('poolId', 'ownerFrom', 'ownerTo', 'override'), fc.oneof(fc.string(), fc.constant(null), fc.record({ reason: fc.string() }))),
    }),
    invalid: fc.constantFrom({ type: 'pool.deleted', at: '2026-01-01T00:00:00Z', actorId: 'a', subject: { kind: 'lead', id: 'L' }, version: 1, data: {} }),
  },
  reclaimExtensionRequest: { valid: extensionRequest, invalid: extensionRequest.map((r) => ({ ...r, approvers: [] })) },
  reclaimExtensionCommand: { valid: kit.reclaimExtensionCommandArb(), invalid: kit.invalidReclaimExtensionCommandArb() },
  reclaimExtensionVerdict: { valid: verdict, invalid: verdict.map((v) => ({ ...v, approve: 'yes' })) },
  poolRecordKey: { valid: key, invalid: fc.constantFrom({ poolId: '', recordKind: 'lead', recordId: 'L-1' }, { poolId: 'gh-east', recordKind: 'deal', recordId: 'C-1' }, { poolId: 'gh-east', recordKind: 'customer', recordId: 'C-1', now: '2026-05-06T10:00:00Z' }) },
  poolAssignCommand: {
    valid: fc.record({ assignee: actor, override }, { requiredKeys: ['assignee'] }),
    invalid: fc.constantFrom({}, { assignee: { id: '' } }, { assignee: { id: 'rep-li' }, override: { reason: '  ' } }, { assignee: { id: 'rep-li', role: 'x' } }),
  },
  poolReturnCommand: {
    valid: fc.record({ toPoolId: fc.constantFrom('gh-east', 'gh-west'), reason: fc.record({ code: fc.constantFrom('unreachable', 'no_need'), text: fc.constant('空号') }, { requiredKeys: ['code'] }) }, { requiredKeys: [] }),
    invalid: fc.constantFrom({ toPoolId: '' }, { reason: { code: '' } }, { reason: 'unreachable' }, { owner: { id: 'rep-li' } }),
  },
  poolTransferCommand: { valid: fc.record({ toPoolId: fc.constantFrom('gh-east', 'gh-west') }), invalid: fc.constantFrom({}, { toPoolId: '' }, { toPoolId: 'gh-west', actor: { id: 'rep-li' } }) },
  poolChangeOwnerCommand: {
    valid: fc.record({ newOwner: actor, override }, { requiredKeys: ['newOwner'] }),
    invalid: fc.constantFrom({}, { newOwner: { id: '' } }, { newOwner: { id: 'rep-li', departmentIds: [''] } }, { newOwner: { id: 'rep-li' }, admin: { id: 'admin-zhou' } }),
  },
  poolExtensionCommand: {
    valid: fc.record({ days: fc.integer({ min: 1, max: 30 }), reason: fc.constantFrom('客户出差', 'waiting for budget') }, { requiredKeys: ['days'] }),
    invalid: fc.constantFrom({ days: 0 }, { days: 1.5 }, { days: 3, requestedBy: 'rep-li' }, {}),
  },
  poolExtensionVerdict: {
    valid: fc.record({ approve: fc.boolean(), by: fc.constantFrom(...USERS), note: fc.constantFrom('请先跟进', 'ok') }, { requiredKeys: ['approve'] }),
    invalid: fc.constantFrom({}, { approve: 'yes' }, { approve: true, by: '' }, { approve: false, reason: 'x' }),
  },
  poolJobContext: { valid: fc.record({ now: instant, actor }, { requiredKeys: ['now'] }), invalid: fc.constantFrom({ now: 'tonight' }, { now: '2026-05-06T02:00:00Z', actorId: 'system:reclaim' }, { now: '2026-05-06T02:00:00Z', actor: { id: '' } }) },
  poolClaim: { valid: poolRequest('claim'), invalid: invalidPoolRequest('claim') },
  poolAssign: { valid: poolRequest('assign'), invalid: invalidPoolRequest('assign') },
  poolReturn: { valid: poolRequest('returnRecord'), invalid: invalidPoolRequest('returnRecord') },
  poolTransfer: { valid: poolRequest('transfer'), invalid: invalidPoolRequest('transfer') },
  poolChangeOwner: { valid: poolRequest('changeOwner'), invalid: invalidPoolRequest('changeOwner') },
  poolReclaim: { valid: poolRequest('reclaim'), invalid: invalidPoolRequest('reclaim') },
  poolRequestExtension: {
    valid: fc.tuple(ref, fc.constantFrom(...USERS), fc.integer({ min: 1, max: 30 })).map(([r, requestedBy, days]) => ({ ...r, requestedBy, days, reason: '客户出差' })),
    invalid: ref.map((r) => ({ ...r, requestedBy: 'rep-li', days: 0 })),
  },
  poolDecideExtension: { valid: fc.record({ request: extensionRequest, verdict, now: instant }), invalid: fc.record({ request: extensionRequest, verdict: fc.constant({ approve: true }), now: instant }) },
  poolRunReclaim: { valid: fc.record({ poolId: fc.constant('gh-east'), now: instant, actorId: fc.constant('system:reclaim') }, { requiredKeys: ['poolId', 'now'] }), invalid: fc.constant({ poolId: '', now: 'tonight' }) },
  leadPolicy: { valid: kit.leadPolicyArb(), invalid: kit.invalidLeadPolicyArb() },
  opportunityConfig: {
    valid: fc.record({ stages: fc.uniqueArray(stage, { minLength: 1, maxLength: 4, selector: (s) => s.id }), allowSkip: fc.boolean(), permissions: fc.dictionary(fc.constantFrom(...OPPORTUNITY_OPERATIONS), relations, { maxKeys: 3 }) }, { requiredKeys: [] }),
    invalid: fc.constantFrom({ stages: [] }, { allowSkip: 'yes' }, { permissions: { delete: ['owner'] } }, { stages: [{ id: 's', name: 'x', probability: 101 }] }, { extra: 1 }),
  },
  renewalPolicy: {
    valid: fc.record({ leadDays: fc.integer({ min: 0, max: 365 }), zone, namePrefix: fc.constantFrom('续约 - ', 'Renewal: ') }, { requiredKeys: ['leadDays', 'zone'] }),
    invalid: fc.constantFrom({ leadDays: -1, zone: 'UTC' }, { leadDays: 30 }, { leadDays: 30, zone: 'UTC', extra: true }),
  },
  lead: { valid: kit.leadArb(), invalid: kit.invalidLeadArb() },
  opportunity: { valid: kit.opportunityArb(), invalid: kit.invalidOpportunityArb() },
  renewalOrder: {
    valid: fc.record({ id: id('SO'), customerId: id('C'), ownerId: fc.constantFrom(...USERS), name: fc.constantFrom('年度订阅', 'Annual plan'), serviceEndDate: instant, amount: fc.option(amount) }, { requiredKeys: ['id', 'customerId', 'ownerId', 'name', 'serviceEndDate'] }),
    invalid: fc.constantFrom({ id: 'SO-1', customerId: 'C-1', ownerId: 'u', name: '   ', serviceEndDate: '2026-12-31T16:00:00Z' }),
  },
  customerPolicy: { valid: kit.customerPolicyArb(), invalid: kit.invalidCustomerPolicyArb() },
  newCustomer: { valid: kit.createCustomerInputArb(), invalid: kit.invalidCreateCustomerInputArb() },
  customerCommand: { valid: kit.customerCommandArb(), invalid: kit.invalidCustomerCommandArb() },
  newLead: { valid: kit.createLeadInputArb(), invalid: kit.invalidCreateLeadInputArb() },
  leadCommand: { valid: kit.leadCommandArb(), invalid: kit.invalidLeadCommandArb() },
  newOpportunity: {
    valid: fc.record({ id: id('O'), name: fc.constantFrom('ERP 升级', 'CRM rollout'), customerId: id('C'), ownerId: fc.constantFrom(...USERS), stageId: fc.constant('qualify'), sourceLeadId: fc.option(id('L')), expectedCloseDate: fc.option(instant), amount: fc.option(amount) }, { requiredKeys: ['id', 'name', 'customerId'] }),
    invalid: fc.constantFrom({ id: 'O-1', name: ' ', customerId: 'C-1' }, { id: 'O-1', name: 'x', customerId: 'C-1', amount: { currency: 'CNY', amount: '-1' } }),
  },
  opportunityCommand: {
    valid: fc.oneof(
      fc.constant({ type: 'advance' }),
      fc.constant({ type: 'stepBack' }),
      fc.record({ type: fc.constant('moveToStage'), stageId: fc.constant('proposal') }),
      fc.record({ type: fc.constant('close'), outcome: fc.constantFrom('won', 'lost', 'invalid'), reason: fc.option(fc.constant('预算取消')) }, { requiredKeys: ['type', 'outcome'] }),
      fc.record({ type: fc.constant('reopen'), stageId: fc.constant('qualify'), reason: fc.constant('客户回来了') }, { requiredKeys: ['type'] }),
    ),
    invalid: fc.constantFrom({ type: 'win' }, { type: 'close', outcome: 'maybe' }, { type: 'advance', extra: 1 }),
  },
  dedupeRuleSet: { valid: kit.ruleSetArb(), invalid: kit.invalidRuleSetArb() },
  dedupeRecord: { valid: kit.dedupeRecordArb(), invalid: kit.invalidDedupeRecordArb() },
  approvalPolicy: { valid: kitArb('approvalPolicyArb')!, invalid: kitArb('invalidApprovalPolicyArb') },
  quotePricing: { valid: kitArb('quotePricingInputArb')!, invalid: kitArb('invalidQuotePricingInputArb') },
  quote: { valid: kitArb('quoteArb')!, invalid: kitArb('invalidQuoteArb') },
  newQuote: { valid: kitArb('newQuoteInputArb')!, invalid: kitArb('invalidNewQuoteInputArb') },
  quoteEdit: { valid: kitArb('quoteEditArb')!, invalid: kitArb('invalidQuoteEditArb') },
  quoteConversion: { valid: kitArb('conversionInputArb')!, invalid: kitArb('invalidConversionInputArb') },
  paymentPolicy: { valid: kitArb('paymentPolicyArb')!, invalid: kitArb('invalidPaymentPolicyArb') },
  paymentPlan: { valid: kitArb('paymentPlanArb')!, invalid: kitArb('invalidPaymentPlanArb') },
  payment: { valid: kitArb('paymentArb')!, invalid: kitArb('invalidPaymentArb') },
  newPaymentPlan: { valid: kitArb('createPaymentPlanInputArb')!, invalid: kitArb('invalidCreatePaymentPlanInputArb') },
  newPayment: { valid: kitArb('recordPaymentInputArb')!, invalid: kitArb('invalidRecordPaymentInputArb') },
  allocationStrategy: { valid: kitArb('allocationStrategyArb')!, invalid: kitArb('invalidAllocationStrategyArb') },
  orderPolicy: { valid: kit.orderPolicyArb(), invalid: kit.invalidOrderPolicyArb() },
  contract: { valid: kit.contractArb(), invalid: kit.invalidContractArb() },
  order: { valid: kit.orderArb(), invalid: kit.invalidOrderArb() },
  newDocument: { valid: kit.newDocumentInputArb(), invalid: kit.invalidNewDocumentInputArb() },
  documentCommand: { valid: kit.documentCommandArb(), invalid: kit.invalidDocumentCommandArb() },
  refundRequest: { valid: kit.refundRequestArb(), invalid: kit.invalidRefundRequestArb() },
  refundCommand: { valid: kit.refundCommandArb(), invalid: kit.invalidRefundCommandArb() },
  targetPlan: { valid: targetPlan, invalid: fc.constantFrom(...INVALID_PLANS) },
  funnelQuery: { valid: funnelQuery, invalid: withBadScopes({ reading: 'weekly', from: '2026-01-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', zone: 'Asia/Shanghai' }).map((q) => ({ reading: 'cohort', ...q })) },
  opportunitiesQuery: { valid: opportunitiesQuery, invalid: withBadScopes({ from: '2026-01-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', zone: 'Asia/Shanghai', groupBy: ['pool'] }) },
  pipelineQuery: {
    valid: pipelineQuery,
    invalid: fc.constantFrom({}, { zone: 'Asia/Shanghai', groupBy: ['month'] }, { zone: 'Asia/Shanghai', staleAfterDays: 0 }, { zone: 'Asia/Shanghai', groupBy: ['stage', 'stage'] }, { zone: 'Asia/Shanghai', from: '2026-01-01T00:00:00+08:00' }, { zone: 'Mars/Olympus' }),
  },
  forecastQuery: {
    valid: forecastQuery,
    invalid: withBadScopes(
      { from: '2026-01-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', zone: 'Asia/Shanghai', rates: [{ currency: 'USD', rate: '7.1' }] },
      { from: '2026-01-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', zone: 'Asia/Shanghai', reportingCurrency: 'CNY', rates: [{ currency: 'USD', rate: '0' }] },
      { from: '2026-01-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', zone: 'Asia/Shanghai', reportingCurrency: 'CNY', rates: [{ currency: 'CNY', rate: '1' }] },
      { from: '2026-01-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', zone: 'Asia/Shanghai', categories: { commitFrom: 50, bestCaseFrom: 70 } },
      { from: '2026-01-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', zone: 'Asia/Shanghai', categories: { byStage: [{ stageId: 'qualify', category: 'maybe' }] } },
    ),
  },
  attainmentQuery: { valid: attainmentQuery, invalid: fc.constantFrom({}, { zone: '' }, { zone: 'Asia/Shanghai', onInvalid: 'ignore' }, { zone: 'Asia/Shanghai', now: '2026-05-06T10:00:00+08:00' }, { zone: 'Mars/Olympus' }) },
  collectionQuery: {
    valid: collectionQuery,
    invalid: withBadScopes(
      { from: '2026-01-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', zone: 'Asia/Shanghai', policy: null },
      { from: '2026-01-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', zone: 'Asia/Shanghai', policy: { agingBuckets: [30, 60] } },
      { from: '2026-01-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', zone: 'Asia/Shanghai', policy: { zone: 'Asia/Shanghai', agingBuckets: [60, 30] } },
      { from: '2026-01-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', zone: 'Asia/Shanghai', groupBy: ['stage'] },
    ),
  },
  activityQuery: {
    valid: activityQuery,
    invalid: withBadScopes(
      { from: '2026-01-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', zone: 'Asia/Shanghai', followUpWithinDays: -1 },
      { from: '2026-01-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', zone: 'Asia/Shanghai', invitationChannels: ['__proto__'] },
    ),
  },
  marketingQuery: {
    valid: marketingQuery,
    invalid: withBadScopes(
      { from: '2026-01-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', zone: 'Asia/Shanghai', costs: [{ group: ['tradeShow', 'rep-li'], amount: { currency: 'CNY', amount: '100.00' } }] },
      { from: '2026-01-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', zone: 'Asia/Shanghai', costs: [{ group: ['tradeShow'], amount: { currency: 'CNY', amount: '-100.00' } }] },
      { from: '2026-01-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00', zone: 'Asia/Shanghai', groupBy: ['channel', 'attribute:campaign'], costs: [{ group: ['tradeShow', '2026 春季展'], amount: { currency: 'CNY', amount: '80000.00' } }, { group: ['tradeShow', '2026 春季展'], amount: { currency: 'CNY', amount: '1.00' } }] },
    ),
  },
  scoringModel: { valid: scoringModel, invalid: fc.constantFrom(...INVALID_SCORING_MODELS) },
  scoreState: { valid: scoreState, invalid: fc.constantFrom(...INVALID_SCORE_STATES) },
};

/**
 * What the library's parser may refuse while the JSON Schema accepts: the messages of the
 * refinements each schema lists as its limits (and nothing else).
 */
export const EXCUSED: Readonly<Partial<Record<SchemaName, RegExp>>> = {
  poolPolicy: /Unknown IANA time zone|reclaim rule ids must be unique|reminder rule ids must be unique/,
  routingPolicy: /a rule id is listed twice|min is at most max/,
  escalationLadder: /Unknown IANA time zone|a pool is on the ladder twice|to is at least an hour after from/,
  poolCustomer: /a voided record is (in no pool|not locked)/,
  poolRecordView: /a voided record is (in no pool|not locked)/,
  leadPolicy: /return reason codes must be unique|channel ids must be unique/,
  opportunityConfig: /stage ids must be unique/,
  renewalPolicy: /Unknown IANA time zone/,
  lead: /updatedAt is before createdAt|pooledAt lies between createdAt and updatedAt|mistyped unified social credit code|not a normalized tax id/,
  newLead: /mistyped unified social credit code/,
  leadCommand: /mistyped unified social credit code/,
  opportunity: /updatedAt is before createdAt|closedAt must lie between createdAt and updatedAt|2\^53/,
  renewalOrder: /2\^53/,
  newOpportunity: /2\^53/,
  dedupeRuleSet: /one field, one kind|m must be above u|could never hold|key combinations/,
  approvalPolicy: /level ids are unique|unknown level/,
  quotePricing: /duplicate line id|first band starts at 0|bands ascend|never rounded silently/,
  quote: /duplicate line id|first band starts at 0|bands ascend|beyond the required levels|never rounded silently|is signed at every level it required|records that decision|a revision is at most the version|updatedAt is before createdAt/,
  newQuote: /duplicate line id|first band starts at 0|bands ascend|never rounded silently/,
  quoteEdit: /duplicate line id|first band starts at 0|bands ascend|never rounded silently/,
  paymentPolicy: /Unknown IANA time zone|bucket bounds must increase/,
  paymentPlan: /Unknown IANA time zone|expected the plan's currency|appears twice|never beyond what it owes|the start of|sum to|updatedAt is before createdAt|bounded by an instant|2\^53/,
  payment: /expected the payment's currency|appears twice|beyond lastSeq|an application of payment|exceed the amount received|oldest first|updatedAt is before createdAt|2\^53/,
  newPaymentPlan: /appears twice|2\^53|only the last installment may be the balance|decimals, the amount has|expected an amount in|outside the years 1900–9999|0001-01-01|9999/,
  newPayment: /2\^53/,
  allocationStrategy: /decimals, the amount has|expected an amount in|2\^53|is listed twice/,
  contract: /duplicate line id|first band starts at 0|bands ascend|never rounded silently|the pricing|the lines|the total|expected the (pricing|document|order)'s currency|a document|a draft is under no approval|level at most once|more signatures than levels|signs here|was approved at every level|records its cancellation|approvedAt|an approved contract|updatedAt is before createdAt|an amount is never negative|2\^53|expected a quantity/,
  order: /duplicate line id|first band starts at 0|bands ascend|never rounded silently|the pricing|the lines|the total|expected the (pricing|document|order)'s currency|a document|a draft is under no approval|level at most once|more signatures than levels|signs here|was approved at every level|records its cancellation|approvedAt|an approved contract|updatedAt is before createdAt|an amount is never negative|2\^53|expected a quantity|shipped|received|returned|return|invoiced|confirmed order|confirmedAt|fulfilled|keeps the stage|credited|unknown line|no returns|every unit/,
  newDocument: /duplicate line id|first band starts at 0|bands ascend|never rounded silently|expected a quantity/,
  documentCommand: /is listed twice|expected a quantity/,
  targetPlan: /is listed twice|at most 16 deep|at most 100000 nodes/,
  funnelQuery: /`from` must be before `to`|a member is listed in two teams|Unknown IANA time zone/,
  opportunitiesQuery: /`from` must be before `to`|a member is listed in two teams|Unknown IANA time zone/,
  pipelineQuery: /a member is listed in two teams|Unknown IANA time zone/,
  forecastQuery: /`from` must be before `to`|a member is listed in two teams|Unknown IANA time zone|the reporting currency needs no rate|bestCaseFrom is at most commitFrom|a stage is listed twice|a currency is listed twice/,
  attainmentQuery: /Unknown IANA time zone/,
  collectionQuery: /`from` must be before `to`|a member is listed in two teams|Unknown IANA time zone|bucket bounds must increase|each level id at most once/,
  activityQuery: /`from` must be before `to`|a member is listed in two teams|Unknown IANA time zone/,
  marketingQuery: /`from` must be before `to`|a member is listed in two teams|Unknown IANA time zone|a group is given two costs/,
  scoringModel: /Unknown IANA time zone|a rule id is listed twice|min is at most max|a grade is listed twice|grades go from the highest min down/,
  refundRequest: /level at most once|more signatures than levels|signs here|names its refund|signed at every level|waits on a level|records its rejection|the level the request waited on|updatedAt is before requestedAt|does not sign their own|one person signs one level|falls between requestedAt and updatedAt|2\^53/,
};
