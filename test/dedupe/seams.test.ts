import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/adapters/memory/index.js';
import { blockingKeys, createDedupeCustomerCheck, createDedupeService, DEFAULT_RULE_SETS, type DedupeRecordInput } from '../../src/dedupe/index.js';
import { createLeadService } from '../../src/leads/index.js';
import { error, issuePaths, value } from '../support.js';
import { ctx, poolAdmin, rep } from '../leads/fixtures.js';

// The lead service's duplicate-customer seam answered by the duplicate check: the customer a
// conversion would create is checked against the customers already indexed.

const customers: DedupeRecordInput[] = [
  { id: 'C-9', object: 'customer', fields: { company: '福州某某科技有限公司', taxId: '91350100M000100Y43' } },
  { id: 'C-8', object: 'customer', fields: { company: '深圳市腾飞科技有限公司', phone: '0755-86013388' } },
];

function world() {
  const store = createMemoryStore();
  for (const r of customers) store.indexForDedupe(r, value(blockingKeys(r, DEFAULT_RULE_SETS.customer)));
  const dedupe = createDedupeService({ store });
  const leads = createLeadService({ store, customerCheck: createDedupeCustomerCheck({ dedupe }) });
  return { store, leads };
}

async function converting(leads: ReturnType<typeof world>['leads'], lead: { company: string; taxId?: string }, name: string, confirmNew?: boolean) {
  value(await leads.create({ id: 'L-1', source: 'import', name: '张伟', poolId: 'pool-east', ...lead }, ctx(poolAdmin, 0)));
  value(await leads.execute('L-1', { type: 'claim' }, ctx(rep, 1)));
  return leads.execute('L-1', { type: 'convert', customer: { kind: 'new', customerId: 'C-new', name, ...(confirmNew === undefined ? {} : { confirmNew }) } }, ctx(rep, 2));
}

describe('createDedupeCustomerCheck', () => {
  it('a new customer with an indexed customer’s tax id is refused, naming it', async () => {
    const { leads } = world();
    const r = error(await converting(leads, { company: '福州某某', taxId: '91350100m000100y43' }, '福州某某科技有限公司'));
    expect(r).toMatchObject({ code: 'LEAD_CUSTOMER_EXISTS', details: { customerId: 'C-9', taxId: '91350100M000100Y43' } });
  });

  it('the same company by name is offered (a prompt) until the rep confirms a new customer', async () => {
    const first = world();
    expect(error(await converting(first.leads, { company: '腾飞科技' }, '深圳市腾飞科技有限公司'))).toMatchObject({ code: 'LEAD_CUSTOMER_MAY_EXIST', details: { customerIds: ['C-8'] } });
    const second = world();
    expect(value(await converting(second.leads, { company: '腾飞科技' }, '深圳市腾飞科技有限公司', true)).lead.status).toBe('converted');
  });

  it('another company converts without a prompt', async () => {
    const { leads } = world();
    expect(value(await converting(leads, { company: '杭州云帆网络' }, '杭州云帆网络技术有限公司')).lead.status).toBe('converted');
  });

  it('a dedupe service answering something else is INVALID_INPUT at dedupe.check; one that rejects is STORE_UNAVAILABLE (found in review)', async () => {
    const request = { lead: { phone: null, email: null } as never, customer: { customerId: 'C-1', name: '某某', taxId: null } };
    for (const answer of [{ ok: true, value: {} }, null, { ok: true, value: { duplicates: [{ candidateId: 'C-2', duplicate: true, fields: null }] } }]) {
      const check = createDedupeCustomerCheck({ dedupe: { check: async () => answer, prepare: () => answer } as never });
      expect(issuePaths(await check.find(request))[0]).toMatch(/^dedupe\.check/);
    }
    const rejecting = createDedupeCustomerCheck({ dedupe: { check: async () => Promise.reject(new Error('down')), prepare: () => null } as never });
    expect(error(await rejecting.find(request)).code).toBe('STORE_UNAVAILABLE');
    expect(issuePaths(await createDedupeCustomerCheck({ dedupe: { check: async () => null } as never, fields: { company: 'x', taxId: 'x' } }).find(request))).toEqual(['deps.fields']);
  });

  it('malformed dependencies answer INVALID_INPUT at deps, never a throw', async () => {
    const check = createDedupeCustomerCheck({ dedupe: null as never });
    expect(issuePaths(await check.find({ lead: {} as never, customer: { customerId: 'C-1', name: 'x', taxId: null } }))).toEqual(['deps.dedupe']);
    const bad = createDedupeCustomerCheck({ dedupe: createDedupeService({ store: createMemoryStore() }) });
    expect(error(await bad.find(42 as never)).code).toBe('INVALID_INPUT');
  });
});
