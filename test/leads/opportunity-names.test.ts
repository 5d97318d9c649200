import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createLeadService, createOpportunityService, DUPLICATE_OPPORTUNITY_NAME_RELATIONS, openOpportunity, planRenewals, type OpportunitySibling } from '../../src/leads/index.js';
import { createMemoryLeadStore } from '../../src/adapters/memory/index.js';
import { opportunityNameKey } from '../../src/dedupe/index.js';
import { error, issuePaths, value } from '../support.js';
import { at, crmAdmin, ctx, poolAdmin, rep, superior } from './fixtures.js';

// Two reps chasing one project: a new opportunity named like an open one of the same customer
// is refused (the duplicate-opportunity check of the dedupe seed), unless a superior or the CRM
// admin opens it on purpose.

const open = (name: string, siblings: readonly OpportunitySibling[], actor = rep, allowDuplicateName?: boolean) =>
  openOpportunity({ id: 'O-2', name, customerId: 'C-1', ...(allowDuplicateName === undefined ? {} : { allowDuplicateName }) }, { ...ctx(actor, 5), siblings });

describe('opportunity names under one customer', () => {
  const siblings = [{ id: 'O-1', name: 'CRM 年度采购', status: 'open' as const }];

  it('a name like an open one’s is refused, naming it; a won or lost one, or another customer’s, does not clash', () => {
    expect(error(open('crm年度采购', siblings))).toMatchObject({
      code: 'OPPORTUNITY_NAME_EXISTS',
      details: { opportunityId: 'O-1', customerId: 'C-1', name: 'crm年度采购', allowedRelations: [...DUPLICATE_OPPORTUNITY_NAME_RELATIONS] },
    });
    expect(error(open('ＣＲＭ — 年度采购', siblings)).code).toBe('OPPORTUNITY_NAME_EXISTS');
    expect(value(open('CRM 年度采购', [{ ...siblings[0]!, status: 'lost' }])).opportunity.name).toBe('CRM 年度采购');
    expect(value(open('CRM 年度采购', [{ ...siblings[0]!, customerId: 'C-9' }])).events[0]!.data).toMatchObject({ duplicateOf: null });
    expect(value(open('CRM 二期', siblings)).opportunity.status).toBe('open');
  });

  it('a superior or the CRM admin may open it anyway, and the event says which it duplicates; a rep may not', () => {
    expect(error(open('CRM 年度采购', siblings, rep, true)).code).toBe('OPPORTUNITY_NAME_EXISTS');
    for (const actor of [superior, crmAdmin]) expect(value(open('CRM 年度采购', siblings, actor, true)).events[0]!.data).toMatchObject({ duplicateOf: 'O-1' });
    expect(issuePaths(openOpportunity({ id: 'O-2', name: 'x', customerId: 'C-1' }, { ...ctx(rep, 5), siblings: [{ id: '', name: 'x' }] }))).toEqual(['context.siblings.0.id']);
  });

  it('property: refused exactly when an open sibling (other id, same customer) has the same name key and no permitted override', () => {
    const names = fc.constantFrom('CRM 年度采购', 'crm年度采购', 'CRM 二期', '腾飞 ERP');
    fc.assert(
      fc.property(
        names,
        fc.array(fc.record({ id: fc.constantFrom('O-1', 'O-2', 'O-3'), name: names, status: fc.constantFrom('open' as const, 'won' as const, 'lost' as const, undefined), customerId: fc.constantFrom('C-1', 'C-2', undefined) }, { requiredKeys: ['id', 'name'] }), { maxLength: 5 }),
        fc.constantFrom(rep, superior, poolAdmin),
        fc.boolean(),
        (name, sibs, actor, force) => {
          const r = open(name, sibs as OpportunitySibling[], actor, force);
          const clash = sibs.some((s) => s.id !== 'O-2' && (s.status ?? 'open') === 'open' && (s.customerId ?? 'C-1') === 'C-1' && opportunityNameKey(s.name) === opportunityNameKey(name));
          const permitted = force && actor === superior;
          expect(r.ok ? 'ok' : r.error.code).toBe(clash && !permitted ? 'OPPORTUNITY_NAME_EXISTS' : 'ok');
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('found in review', () => {
  it('names that differ in what they mean do not clash; a name of punctuation only names nothing', () => {
    for (const [a, b] of [['v1.1 升级', 'v11 升级'], ['1.5期', '15期'], ['C++ 项目', 'C 项目'], ['C# 培训', 'C 培训'], ['$100k', '100k']] as const) {
      expect(opportunityNameKey(a)).not.toBe(opportunityNameKey(b));
      expect(value(open(a, [{ id: 'O-1', name: b }])).opportunity.name).toBe(a);
    }
    expect(value(open('—', [{ id: 'O-1', name: '???' }])).opportunity.name).toBe('—');
    expect(opportunityNameKey('CRM, 1,5 期')).toBe('crm1.5期');
  });

  it('the renewal planner does not read a context’s siblings across its batch', () => {
    const orders = ['C-1', 'C-2'].map((customerId, i) => ({ id: `SO-${i}`, customerId, ownerId: 'rep-li', name: '年度订阅', serviceEndDate: '2027-03-31T23:59:59+08:00' }));
    const planned = value(planRenewals(orders, [], { leadDays: 60, zone: 'Asia/Shanghai' }, (orderId) => `R-${orderId}`, { ...ctx(rep, 1), siblings: [{ id: 'O-9', name: '续约 - 年度订阅' }, { id: 'O-8', name: '年度订阅' }] }));
    expect(planned.skipped).toEqual([]);
    expect(planned.planned).toHaveLength(2);
  });

  it('a conversion into a “new” customer whose id already has an open opportunity of that name is refused', async () => {
    const store = createMemoryLeadStore();
    value(await createOpportunityService({ store }).open({ id: 'O-1', name: 'CRM 采购', customerId: 'C-1' }, ctx(rep, 1)));
    const leads = createLeadService({ store });
    value(await leads.create({ id: 'L-1', source: 'manual', name: '张伟' }, ctx(rep, 2)));
    const r = await leads.execute('L-1', { type: 'convert', customer: { kind: 'new', customerId: 'C-1', name: '某某' }, opportunity: { opportunityId: 'O-2', name: 'crm采购' } }, ctx(rep, 3));
    expect(error(r).code).toBe('OPPORTUNITY_NAME_EXISTS');
  });
});

describe('the services read the customer’s opportunities from the store', () => {
  it('opening through the opportunity service, and a conversion into an existing customer, check the stored siblings', async () => {
    const store = createMemoryLeadStore();
    const opportunities = createOpportunityService({ store });
    value(await opportunities.open({ id: 'O-1', name: 'CRM 年度采购', customerId: 'C-1' }, ctx(rep, 1)));
    // the caller's own (empty) list is not trusted when the store lists them
    expect(error(await opportunities.open({ id: 'O-2', name: 'crm 年度采购', customerId: 'C-1' }, { ...ctx(rep, 2), siblings: [] })).code).toBe('OPPORTUNITY_NAME_EXISTS');
    value(await opportunities.open({ id: 'O-2', name: 'crm 年度采购', customerId: 'C-2' }, ctx(rep, 2)));
    const leads = createLeadService({ store });
    value(await leads.create({ id: 'L-1', source: 'manual', name: '张伟' }, ctx(rep, 3)));
    const into = { type: 'convert' as const, customer: { kind: 'existing' as const, customerId: 'C-1' }, opportunity: { opportunityId: 'O-3', name: 'CRM年度采购' } };
    expect(error(await leads.execute('L-1', into, { now: at(4), actor: rep })).code).toBe('OPPORTUNITY_NAME_EXISTS');
    expect((await store.loadLead('L-1'))!.status).toBe('pending'); // nothing written
    value(await leads.execute('L-1', { ...into, opportunity: { opportunityId: 'O-3', name: 'CRM 二期' } }, ctx(rep, 5)));
  });

  it('a store answering something else for the list is INVALID_INPUT at store.listOpenOpportunitiesOfCustomer', async () => {
    const store = createMemoryLeadStore();
    const odd = Object.assign(Object.create(null), { loadLead: store.loadLead, loadOpportunity: store.loadOpportunity, commit: store.commit, listOpenOpportunitiesOfCustomer: async () => [{ id: 7 }] });
    const r = await createOpportunityService({ store: odd }).open({ id: 'O-1', name: 'x', customerId: 'C-1' }, ctx(rep, 1));
    expect(issuePaths(r)[0]).toMatch(/^store\.listOpenOpportunitiesOfCustomer/);
  });
});
