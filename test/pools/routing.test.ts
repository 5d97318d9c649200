import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/adapters/memory/index.js';
import { createLeadService } from '../../src/leads/index.js';
import { createLeadRouter, parseRoutingPolicy, routeLead, type RoutingPolicy, type RoutingPolicyInput } from '../../src/pools/index.js';
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

describe('routing at creation and import (the lead service asks the router)', () => {
  const NEW = { id: 'L-2026-0312', source: 'import' as const, name: '陈静', company: '华联超市（苏州）', channel: 'tradeShow', attributes: { industry: 'retail', region: 'east', employees: 800 } };
  const importer = { id: 'admin-zhou', relations: ['poolAdmin' as const] };
  const now = new Date('2026-03-20T10:00:00+08:00');

  it('the trade-show lead from a retail company in East China is imported into that pool, scored on its own data, the route explained', async () => {
    const store = createMemoryStore();
    const leads = createLeadService({ store, router: createLeadRouter({ routing: INBOUND, scoring: MODEL, visibleFields: ['attribute:region'] }) });
    const created = unwrap(await leads.create(NEW, { now, actor: importer }));
    expect(created.lead).toMatchObject({ poolId: 'pool-east-retail', status: 'unassigned', pooledAt: now });
    // fit only: retail 20 + East China 10 + trade show 15 + 800 employees 10 = 55, grade C (B from 60)
    expect(created.route).toEqual({
      poolId: 'pool-east-retail',
      ownerId: null,
      by: 'rule',
      ruleId: 'east-retail',
      conditions: [
        { field: 'attribute:industry', op: 'in', values: null },
        { field: 'attribute:region', op: 'in', values: ['east'] },
      ],
      score: 55,
      grade: 'C',
    });
    expect(Object.isFrozen(created.route) && Object.isFrozen(created.route!.conditions)).toBe(true);
    expect(await store.loadLead(NEW.id)).toEqual(created.lead);
    // its reasons, from the same model: each fit rule and its points
    const s = unwrap(scoreLead(MODEL, created.lead, [], now));
    expect(s.reasons.map((r) => [r.ruleId, r.points])).toEqual([['retail', 20], ['east-china', 10], ['trade-show', 15], ['large-company', 10]]);
  });

  it('best match on the score: an A lead goes to the key-leads pool; a lead naming its pool is not routed; an import sent nowhere is refused', async () => {
    const store = createMemoryStore();
    const rich = { ...MODEL, rules: [...MODEL.rules, { id: 'vip', kind: 'fit' as const, when: [{ field: 'attribute:employees', op: 'atLeast' as const, value: 500 }], points: 60 }] };
    const leads = createLeadService({ store, router: createLeadRouter({ routing: { ...INBOUND, mode: 'bestMatch' }, scoring: rich }) });
    const a = unwrap(await leads.create(NEW, { now, actor: importer }));
    expect(a.route).toMatchObject({ poolId: 'pool-key-accounts', ruleId: 'key-leads', score: 115, grade: 'A' });
    const named = unwrap(await leads.create({ ...NEW, id: 'L-2', poolId: 'pool-south' }, { now, actor: importer }));
    expect(named).toMatchObject({ route: null, lead: { poolId: 'pool-south' } });
    const nowhere = createLeadService({ store, router: createLeadRouter({ routing: { ...INBOUND, defaultPoolId: null } }) });
    const refused = await nowhere.create({ ...NEW, id: 'L-3', attributes: { region: 'south' } }, { now, actor: importer });
    expect(!refused.ok && refused.error.code).toBe('LEAD_POOL_REQUIRED');
    // a manual lead gets its home pool (where a return sends it), and stays with its creator
    const manual = unwrap(await nowhere.create({ id: 'L-4', source: 'manual', name: '王芳', attributes: { region: 'east' } }, { now, actor: { id: 'rep-li', relations: [] } }));
    expect(manual.lead).toMatchObject({ status: 'pending', ownerId: 'rep-li', poolId: 'pool-east', pooledAt: null });
    expect(await store.loadLead('L-3')).toBeNull();
  });

  it('default assignment (默认分配): a rule naming an owner gives the imported lead to them in the same commit', async () => {
    const store = createMemoryStore();
    const policy: RoutingPolicyInput = { ...INBOUND, rules: [{ ...INBOUND.rules[0]!, ownerId: 'rep-wang' }, ...INBOUND.rules.slice(1)] };
    const leads = createLeadService({ store, router: createLeadRouter({ routing: policy }) });
    const created = unwrap(await leads.create(NEW, { now, actor: importer }));
    expect(created.route).toMatchObject({ poolId: 'pool-east-retail', ownerId: 'rep-wang', ruleId: 'east-retail' });
    expect(created.lead).toMatchObject({ poolId: 'pool-east-retail', ownerId: 'rep-wang', status: 'pending', pooledAt: null, ownedSince: now, version: 1 });
    // one decision, one version: created already assigned
    expect(created.events.map((e) => [e.type, e.version, e.actorId])).toEqual([
      ['lead.created', 1, 'admin-zhou'],
      ['lead.assigned', 1, 'admin-zhou'],
    ]);
    expect(await store.loadLead(NEW.id)).toEqual(created.lead);
    // a rule without an owner, and the default pool, leave the lead waiting
    const south = unwrap(await leads.create({ ...NEW, id: 'L-south', attributes: { region: 'south' } }, { now, actor: importer }));
    expect(south.lead).toMatchObject({ poolId: 'pool-general', ownerId: null, status: 'unassigned' });
    expect(south.route!.ownerId).toBeNull();
    // a manual lead stays with its creator whatever the rule names
    const manual = unwrap(await leads.create({ id: 'L-m', source: 'manual', name: '王芳', attributes: { industry: 'retail', region: 'east' } }, { now, actor: { id: 'rep-li', relations: [] } }));
    expect(manual.lead).toMatchObject({ ownerId: 'rep-li', poolId: 'pool-east-retail', version: 1 });
    // a host router that leaves ownerId out is read as naming none
    const host = createLeadService({ store, router: { route: async () => ({ ok: true as const, value: { poolId: 'pool-x', by: 'rule' as const, ruleId: 'r', conditions: [], score: null, grade: null } as never }) } });
    expect(unwrap(await host.create({ ...NEW, id: 'L-host' }, { now, actor: importer })).lead).toMatchObject({ poolId: 'pool-x', ownerId: null });
  });

  it('the router reads the lead as it will be created: its status, stage and owner (a manual lead is its creator\'s, pending)', async () => {
    const store = createMemoryStore();
    const byState: RoutingPolicyInput = {
      id: 'by-state',
      version: 1,
      rules: [
        { id: 'fresh-imports', when: [{ field: 'status', op: 'in', values: ['unassigned'] }, { field: 'stage', op: 'in', values: ['lead'] }], poolId: 'pool-inbound' },
        { id: 'own', when: [{ field: 'ownerId', op: 'exists' }, { field: 'status', op: 'in', values: ['pending'] }], poolId: 'pool-owned-home' },
      ],
      defaultPoolId: 'pool-general',
    };
    const leads = createLeadService({ store, router: createLeadRouter({ routing: byState }) });
    expect(unwrap(await leads.create(NEW, { now, actor: importer })).route).toMatchObject({ poolId: 'pool-inbound', ruleId: 'fresh-imports' });
    const manual = unwrap(await leads.create({ id: 'L-m', source: 'manual', name: '王芳' }, { now, actor: { id: 'rep-li', relations: [] } }));
    expect(manual.route).toMatchObject({ poolId: 'pool-owned-home', ruleId: 'own' });
    expect(manual.lead).toMatchObject({ ownerId: 'rep-li', poolId: 'pool-owned-home' });
    // an import the actor may not make is refused before the router is asked
    let asked = 0;
    const counting = createLeadService({ store, router: { route: async () => { asked++; return { ok: false, error: { code: 'NOT_FOUND', message: 'x', details: {} } } as never; } } });
    const denied = await counting.create({ ...NEW, id: 'L-d' }, { now, actor: { id: 'rep-li', relations: [] } });
    expect([!denied.ok && denied.error.code, asked]).toEqual(['LEAD_PERMISSION_DENIED', 0]);
  });

  it('a router that throws or rejects is STORE_UNAVAILABLE (operation route), nothing written', async () => {
    const store = createMemoryStore();
    for (const route of [() => { throw new Error('router down'); }, async () => { throw new Error('router down'); }]) {
      const leads = createLeadService({ store, router: { route } as never });
      const r = await leads.create(NEW, { now, actor: importer });
      expect(!r.ok && [r.error.code, r.error.details.operation, r.error.details.outcome]).toEqual(['STORE_UNAVAILABLE', 'route', 'notApplied']);
    }
    expect(await store.loadLead(NEW.id)).toBeNull();
  });

  it('a router that refuses, answers junk or is malformed: the creation is refused, nothing stored', async () => {
    const store = createMemoryStore();
    const refusing = createLeadService({ store, router: createLeadRouter({ routing: { ...INBOUND, mode: 'random' } as never }) });
    const r1 = await refusing.create(NEW, { now, actor: importer });
    expect(!r1.ok && r1.error.code).toBe('INVALID_INPUT');
    const junk = createLeadService({ store, router: { route: async () => ({ ok: true, value: { poolId: 42 } }) } as never });
    const r2 = await junk.create(NEW, { now, actor: importer });
    expect(!r2.ok && (r2.error.details.issues as { path: unknown[] }[])[0]!.path.slice(0, 2)).toEqual(['router', 'route']);
    const host = createLeadService({ store, router: { route: async () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'no such pool', details: { entity: 'pool', id: 'x' } } }) } });
    const r3 = await host.create(NEW, { now, actor: importer });
    expect(!r3.ok && r3.error.code).toBe('NOT_FOUND');
    expect(await store.loadLead(NEW.id)).toBeNull();
  });

  it('property: the service routes exactly as routeLead on the input (after scoring it), and stores the lead in that pool', async () => {
    const regions = ['east', 'south', 'north'];
    const industries = ['retail', 'consulting', 'manufacturing'];
    await fc.assert(
      fc.asyncProperty(
        fc.record({ region: fc.constantFrom(...regions), industry: fc.constantFrom(...industries), employees: fc.integer({ min: 0, max: 2000 }) }),
        fc.constantFrom('tradeShow', 'websiteForm', null),
        fc.constantFrom<'firstMatch' | 'bestMatch'>('firstMatch', 'bestMatch'),
        async (attributes, channel, mode) => {
          const store = createMemoryStore();
          const policy = { ...INBOUND, mode };
          const leads = createLeadService({ store, router: createLeadRouter({ routing: policy, scoring: MODEL }) });
          const input = { id: 'L-p', source: 'import' as const, name: '张伟', channel, attributes };
          const created = unwrap(await leads.create(input, { now, actor: importer }));
          // the lead as created, before its pool was chosen
          const draft = { ...created.lead, poolId: null, pooledAt: null };
          const s = unwrap(scoreLead(MODEL, draft, [], now));
          const expected = unwrap(routeLead(policy, draft, { score: s.score, grade: s.grade }));
          expect(created.lead.poolId).toBe(expected.poolId);
          expect(created.route).toMatchObject({ ruleId: expected.ruleId, by: expected.by, score: s.score, grade: s.grade });
        },
      ),
      { numRuns: 100 },
    );
  });
});
