import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import * as metrics from '../../src/metrics/index.js';
import { calls, functionsOf, fuzzExports, type ExportSpec } from '../leads/boundary.harness.js';
import { dayOfSpan, journeysArb, opportunityJourneysArb } from './arbitraries.js';
import { paymentPlanArb } from '../../src/testing/index.js';

/*
 * Every function the metrics door exports, called with anything and with valid inputs mutated
 * (see the leads suite for the kinds of mutation): a Result, never a throw but the caller's
 * own, no input changed or frozen, ok outputs deep-frozen. Valid inputs are generated journeys
 * (arrays, or pages through an async iterable) and queries over every reading and grouping.
 */

const queryArb = fc.record({
  reading: fc.constantFrom('cohort' as const, 'period' as const),
  from: fc.constant(dayOfSpan(10)),
  to: fc.constantFrom(dayOfSpan(40), dayOfSpan(90)),
  zone: fc.constantFrom('Asia/Shanghai', 'UTC', 'America/New_York'),
  weekStartsOn: fc.constantFrom('monday' as const, 'sunday' as const),
  groupBy: fc.subarray(['owner', 'channel', 'team', 'attribute:industry', 'month'] as const).map((d) => [...d]),
  teams: fc.constant([{ memberId: 'rep-li', teamId: 'east' }]),
  onInvalid: fc.constantFrom('refuse' as const, 'skip' as const),
});

const scopeArb = fc.record({
  from: fc.constant(dayOfSpan(10)),
  to: fc.constantFrom(dayOfSpan(40), dayOfSpan(90)),
  zone: fc.constantFrom('Asia/Shanghai', 'UTC', 'America/New_York'),
  groupBy: fc.subarray(['owner', 'stage', 'team', 'customer', 'month'] as const).map((d) => [...d]),
  teams: fc.constant([{ memberId: 'rep-li', teamId: 'east' }]),
  onInvalid: fc.constantFrom('refuse' as const, 'skip' as const),
});
const pipelineQueryArb = fc.record({
  zone: fc.constantFrom('Asia/Shanghai', 'UTC'),
  groupBy: fc.subarray(['owner', 'stage', 'channel'] as const).map((d) => [...d]),
  staleAfterDays: fc.integer({ min: 1, max: 90 }),
});
const forecastQueryArb = fc.tuple(scopeArb, fc.boolean()).map(([scope, convert]) =>
  convert ? { ...scope, reportingCurrency: 'CNY', rates: [{ currency: 'USD', rate: '7.1234' }], categories: { byStage: [{ stageId: 'qualify', category: 'omitted' as const }] } } : scope,
);
const nowArb = fc.constantFrom(dayOfSpan(50), dayOfSpan(100));

const planArb = fc.record(
  {
    fiscalYear: fc.constantFrom(2026, 2027),
    startMonth: fc.constantFrom(1, 4),
    total: fc.constantFrom({ currency: 'CNY', amount: '1200000.00' }, { count: 120 }, { currency: 'JPY', minor: 7 }),
    seasonality: fc.constant([1, 1, 2, 1, 1, 2, 1, 1, 2, 2, 2, 4]),
    root: fc.constant({ id: 'co', children: [{ id: 'east', weight: 2, children: [{ id: 'li' }, { id: 'wang', weight: '0.5' }] }, { id: 'south' }] }),
  },
  { requiredKeys: ['fiscalYear', 'total', 'root'] },
);
const actualsArb = fc.array(
  fc.record({
    nodeId: fc.constantFrom('co', 'east', 'li', 'wang', 'south'),
    at: fc.constantFrom(dayOfSpan(10), '2026-06-30T16:30:00Z', '2027-02-01T00:00:00+08:00'),
    amount: fc.constantFrom({ currency: 'CNY', amount: '100.00' }, { currency: 'JPY', minor: 3 }),
    count: fc.constantFrom(1, 2),
  }),
  { maxLength: 8 },
);

const SPECS: Record<string, ExportSpec> = {
  breakdownTarget: { returns: { kind: 'result' }, valid: planArb.map((p) => [p]) },
  measureActivity: {
    returns: { kind: 'promiseResult' },
    valid: fc.tuple(journeysArb, fc.record({ from: fc.constant(dayOfSpan(5)), to: fc.constant(dayOfSpan(95)), zone: fc.constantFrom('Asia/Shanghai', 'UTC'), groupBy: fc.constantFrom([], ['owner', 'week'], ['team', 'channel']), teams: fc.constant([{ memberId: 'rep-li', teamId: 'east' }]), followUpWithinDays: fc.integer({ min: 0, max: 3 }) }), nowArb),
  },
  measureMarketing: {
    returns: { kind: 'promiseResult' },
    valid: fc.tuple(
      journeysArb,
      fc.record({ from: fc.constant(dayOfSpan(5)), to: fc.constant(dayOfSpan(95)), zone: fc.constantFrom('Asia/Shanghai', 'UTC'), costs: fc.constantFrom([], [{ group: ['tradeShow'], amount: { currency: 'CNY', amount: '1000.00' } }, { group: [null], amount: { currency: 'USD', minor: 5 } }]) }),
      nowArb,
    ),
  },
  measureCollection: {
    returns: { kind: 'promiseResult' },
    valid: fc.tuple(
      fc.array(paymentPlanArb(), { maxLength: 4 }),
      fc.record({ from: fc.constant('2025-01-01T00:00:00Z'), to: fc.constant('2028-01-01T00:00:00Z'), zone: fc.constantFrom('Asia/Shanghai', 'UTC'), groupBy: fc.constantFrom([], ['owner', 'month'], ['customer']), policy: fc.constantFrom(undefined, { zone: 'Asia/Shanghai', agingBuckets: [15, 45] }) }, { requiredKeys: ['from', 'to', 'zone'] }),
      fc.constantFrom('2026-06-01T00:00:00Z', '2027-03-01T00:00:00+08:00'),
    ),
  },
  measureAttainment: { returns: { kind: 'promiseResult' }, valid: fc.tuple(planArb, actualsArb, fc.constantFrom({ zone: 'Asia/Shanghai' }, { zone: 'UTC', onInvalid: 'skip' as const }), fc.constantFrom('2026-12-31T00:00:00Z', dayOfSpan(100))) },
  measureFunnel: { returns: { kind: 'promiseResult' }, valid: fc.tuple(journeysArb, queryArb, nowArb) },
  measureOpportunities: { returns: { kind: 'promiseResult' }, valid: fc.tuple(opportunityJourneysArb, scopeArb, nowArb) },
  measurePipeline: { returns: { kind: 'promiseResult' }, valid: fc.tuple(opportunityJourneysArb, pipelineQueryArb, nowArb) },
  forecastPipeline: { returns: { kind: 'promiseResult' }, valid: fc.tuple(opportunityJourneysArb, forecastQueryArb, nowArb) },
};

const exported = functionsOf(metrics as unknown as Record<string, unknown>);
const call = (name: string) => (metrics as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!;

describe('the metrics door, fuzzed', () => {
  let oks = 0;
  afterAll(() => {
    if (process.env.FUZZ_RUNS) console.log(`metrics boundary: ${calls.count.toLocaleString('en-US')} calls checked, 0 failures`);
  });

  const answers: Promise<void>[] = [];
  fuzzExports(exported, SPECS, call, (out) => {
    answers.push(
      Promise.resolve(out).then((r) => {
        if (r !== null && typeof r === 'object' && (r as { ok?: unknown }).ok === true) oks++;
      }),
    );
  });

  it('the valid inputs reach the success paths', async () => {
    await Promise.all(answers);
    expect(oks).toBeGreaterThan(80);
  });
});
