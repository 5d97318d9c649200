import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRoutingPolicy, routeLead, type RoutingPolicy, type RoutingPolicyInput } from '../../src/pools/index.js';
import { parseScoringModel, scoreLead } from '../../src/scoring/index.js';
import { EVENTS, LEAD, MODEL, NOW } from '../scoring/scenario.js';
import { value as unwrap } from '../support.js';


/* The sales-module teardown's inbound routing: new leads into lead pools by industry or region, key leads by their grade. */
const INBOUND: RoutingPolicyInput = {
  id: 'inbound',
  version: 1,
  rules: [
    { id: 'east-retail', label: '华东零售线索池', when: [{ field: 'attribute:industry', op: 'in', values: ['retail'] }, { field: 'attribute:region', op: 'in', values: ['east'] }], poolId: 'pool-east-retail' },
    { id: 'east', when: [{ field: 'attribute:region', op: 'in', values: ['east'] }], poolId: 'pool-east' },
    { id: 'key-leads', when: [{ field: 'grade', op: 'in', values: ['A'] }], poolId: 'pool-key-accounts', priority: 10 },
    { id: 'shows', when: [{ field: 'channel', op: 'in', values: ['tradeShow'] }, { field: 'score', op: 'atLeast', value: 50 }], poolId: 'pool-events' },
  ],
  defaultPoolId: 'pool-general',
};

describe('routing new leads into pools', () => {
  it('the trade-show lead from a retail company in East China goes to that pool, with the rule and its conditions', () => {
    const r = unwrap(routeLead(unwrap(parseRoutingPolicy(INBOUND)), LEAD, { visibleFields: ['attribute:region'] }));
    expect(r).toMatchObject({ leadId: LEAD.id, poolId: 'pool-east-retail', by: 'rule', ruleId: 'east-retail', label: '华东零售线索池', matched: ['east-retail'] });
    expect(r.conditions).toEqual([
      { field: 'attribute:industry', op: 'in', values: null },
      { field: 'attribute:region', op: 'in', values: ['east'] },
    ]);
    expect(Object.isFrozen(r) && Object.isFrozen(r.conditions) && Object.isFrozen(r.matched)).toBe(true);
  });

  it('scored first, then routed: best match takes the key-leads pool for an A lead, the most specific rule for a B lead', () => {
    const model = unwrap(parseScoringModel(MODEL));
    const s = unwrap(scoreLead(model, LEAD, EVENTS, NOW)); // 86, grade B
    const best = unwrap(parseRoutingPolicy({ ...INBOUND, mode: 'bestMatch' }));
    const b = unwrap(routeLead(best, LEAD, { score: s.score, grade: s.grade }));
    expect(b).toMatchObject({ poolId: 'pool-east-retail', matched: ['east-retail', 'east', 'shows'] });
    const a = unwrap(routeLead(best, LEAD, { score: 120, grade: 'A' }));
    expect(a).toMatchObject({ poolId: 'pool-key-accounts', ruleId: 'key-leads', matched: ['east-retail', 'east', 'key-leads', 'shows'] });
    // first match reads the rules in order
    expect(unwrap(routeLead(unwrap(parseRoutingPolicy(INBOUND)), LEAD, { score: 120, grade: 'A' })).ruleId).toBe('east-retail');
  });

  it('a lead no rule takes goes to the default pool, or nowhere without one; a missing attribute meets no in', () => {
    const south = { id: 'L-9', channel: 'websiteForm', attributes: { industry: 'retail', region: 'south' } };
    expect(unwrap(routeLead(INBOUND, south))).toMatchObject({ poolId: 'pool-general', by: 'default', ruleId: null, conditions: [], matched: [] });
    expect(unwrap(routeLead({ ...INBOUND, defaultPoolId: null }, south))).toMatchObject({ poolId: null, by: 'none' });
    expect(unwrap(routeLead(INBOUND, { id: 'L-10' })).by).toBe('default');
    // the score condition needs a score: none given, the rule does not hold
    expect(unwrap(routeLead({ ...INBOUND, rules: [INBOUND.rules[3]!] }, { id: 'L-11', channel: 'tradeShow' })).by).toBe('default');
  });

  it('refusals: a policy, a lead or options that do not read', () => {
    const bad = parseRoutingPolicy({ ...INBOUND, rules: [...INBOUND.rules, { id: 'east', poolId: 'p' }], mode: 'random' });
    expect(bad.ok ? [] : (bad.error.details as unknown as { issues: { path: unknown[] }[] }).issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['policy.mode', 'policy.rules']));
    const at = (r: ReturnType<typeof routeLead>) => (r.ok ? null : (r.error.details as unknown as { issues: { path: unknown[] }[] }).issues[0]!.path);
    expect(at(routeLead(INBOUND, { id: 'L-1', attributes: { region: ['east'] } }))).toEqual(['lead', 'attributes', 'region']);
    expect(at(routeLead(INBOUND, { id: 'L-1', channel: { x: 1 } }))).toEqual(['lead', 'channel']);
    expect(at(routeLead(INBOUND, { channel: 'tradeShow' }))).toEqual(['lead', 'id']);
    expect(at(routeLead(INBOUND, LEAD, { score: Number.NaN }))).toEqual(['options', 'score']);
  });
});

const REGIONS = ['east', 'south', 'north'];
const INDUSTRIES = ['retail', 'finance'];
const condition = fc.oneof(
  fc.record({ field: fc.constant('attribute:region'), op: fc.constantFrom('in' as const, 'notIn' as const), values: fc.subarray(REGIONS, { minLength: 1 }) }),
  fc.record({ field: fc.constant('attribute:industry'), op: fc.constantFrom('in' as const, 'notIn' as const), values: fc.subarray(INDUSTRIES, { minLength: 1 }) }),
  fc.record({ field: fc.constant('score'), op: fc.constantFrom('atLeast' as const, 'atMost' as const), value: fc.integer({ min: 0, max: 100 }) }),
  fc.record({ field: fc.constant('grade'), op: fc.constantFrom('in' as const, 'missing' as const), values: fc.constant(['A']) }).map((c) => (c.op === 'missing' ? { field: c.field, op: c.op } : c)),
);
const policyArb = fc
  .record({
    mode: fc.constantFrom('firstMatch' as const, 'bestMatch' as const),
    rules: fc.array(fc.record({ when: fc.array(condition, { maxLength: 3 }), poolId: fc.constantFrom('p1', 'p2', 'p3'), priority: fc.integer({ min: 0, max: 3 }) }), { maxLength: 6 }),
    defaultPoolId: fc.option(fc.constant('p-default'), { nil: null }),
  })
  .map((p) => ({ id: 'r', version: 1, ...p, rules: p.rules.map((r, i) => ({ id: `r${i}`, ...r })) }) as RoutingPolicyInput);
const leadArb = fc.record({ id: fc.constant('L'), attributes: fc.record({ region: fc.constantFrom(...REGIONS), industry: fc.constantFrom(...INDUSTRIES) }, { requiredKeys: [] }) });
const optionsArb = fc.record({ score: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }), grade: fc.option(fc.constantFrom('A', 'B'), { nil: null }) });

describe('properties of routing', () => {
  it('the chosen rule is the written one (first in order, or the best by priority, then conditions, then order), its conditions all hold, and every lead lands in a rule’s pool, the default, or none', () => {
    fc.assert(
      fc.property(policyArb, leadArb, optionsArb, (input, lead, options) => {
        const policy: RoutingPolicy = unwrap(parseRoutingPolicy(input));
        const r = unwrap(routeLead(policy, lead, options));
        const value = (field: string) => (field === 'score' ? (options.score ?? undefined) : field === 'grade' ? (options.grade ?? undefined) : (lead.attributes as Record<string, string | undefined>)[field.slice(10)]);
        const holds = (c: RoutingPolicy['rules'][number]['when'][number]) => {
          const v = value(c.field);
          return c.op === 'in' ? v !== undefined && c.values.includes(v) : c.op === 'notIn' ? v === undefined || !c.values.includes(v) : c.op === 'missing' ? v === undefined : typeof v !== 'number' ? false : c.op === 'atLeast' ? v >= c.value : c.op === 'atMost' ? v <= (c as { value: number }).value : true;
        };
        const matching = policy.rules.filter((rule) => rule.when.every(holds));
        let expected = matching[0];
        if (policy.mode === 'bestMatch') for (const m of matching) if (m.priority > expected!.priority || (m.priority === expected!.priority && m.when.length > expected!.when.length)) expected = m;
        expect(r.ruleId).toBe(expected?.id ?? null);
        expect(r.poolId).toBe(expected?.poolId ?? policy.defaultPoolId);
        expect(r.by).toBe(expected !== undefined ? 'rule' : policy.defaultPoolId !== null ? 'default' : 'none');
        expect(r.matched).toEqual(policy.mode === 'bestMatch' ? matching.map((m) => m.id) : matching.slice(0, 1).map((m) => m.id));
        expect(r.conditions.length).toBe(expected?.when.length ?? 0);
      }),
      { numRuns: 500 },
    );
  });

  it('deterministic: the same lead routed twice, or with its attributes in another order, goes to the same pool', () => {
    fc.assert(
      fc.property(policyArb, leadArb, optionsArb, (input, lead, options) => {
        const reordered = { id: lead.id, attributes: Object.fromEntries(Object.entries(lead.attributes).reverse()) };
        expect(unwrap(routeLead(input, reordered, options))).toEqual(unwrap(routeLead(input, lead, options)));
      }),
      { numRuns: 200 },
    );
  });
});
