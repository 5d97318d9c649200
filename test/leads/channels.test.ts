import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createLead, decideLead, DEFAULT_LEAD_CHANNELS, parseLead, type Lead, type ExistingCustomer } from '../../src/leads/index.js';
import { createLeadService, createOpportunityService } from '../../src/leads/index.js';
import { createMemoryLeadStore } from '../../src/adapters/memory/index.js';
import { ok } from '../../src/core/index.js';
import { isUnifiedSocialCreditCode } from '../../src/dedupe/index.js';
import { error, issuePaths, value } from '../support.js';
import { at, ctx, poolAdmin, rep } from './fixtures.js';

// Where a lead came from (线索来源) and the company's tax id (统一社会信用代码): recorded on the
// lead, checked, and settled at conversion, where a second customer with the same tax id is
// refused (简道云: conversion is where the standard company name and tax id are settled).

const VALID = '91350100M000100Y43';
const MISTYPED = '91350100M000100Y44';

const claimed = (extra: Record<string, unknown> = {}): Lead => {
  const created = value(createLead({ id: 'L-1', source: 'import', name: '张伟', company: '福州某某科技有限公司', poolId: 'pool-east', ...extra }, ctx(poolAdmin, 0))).lead;
  return value(decideLead(created, { type: 'claim' }, ctx(rep, 1))).lead;
};

describe('lead channels', () => {
  it('a lead records the channel it came from, one the policy lists; the default list is the seeds’ channels', () => {
    expect(DEFAULT_LEAD_CHANNELS).toEqual(['websiteForm', 'socialMedia', 'tradeShow', 'advertising', 'referral', 'coldCall', 'partner', 'import']);
    const made = value(createLead({ id: 'L-1', source: 'manual', name: '张伟', channel: 'tradeShow' }, ctx(rep, 0)));
    expect(made.lead.channel).toBe('tradeShow');
    expect(made.events[0]!.data).toMatchObject({ channel: 'tradeShow' });
    expect(value(createLead({ id: 'L-2', source: 'manual', name: '李娜' }, ctx(rep, 0))).lead.channel).toBeNull();
    const unknown = error(createLead({ id: 'L-3', source: 'manual', name: '王芳', channel: 'billboard' }, ctx(rep, 0)));
    expect(unknown).toMatchObject({ code: 'LEAD_CHANNEL_UNKNOWN', details: { channel: 'billboard', channels: [...DEFAULT_LEAD_CHANNELS] } });
    // a company lists its own
    const own = { channels: ['billboard', 'wechatOfficialAccount'] };
    expect(value(createLead({ id: 'L-3', source: 'manual', name: '王芳', channel: 'billboard' }, ctx(rep, 0, { policy: own }))).lead.channel).toBe('billboard');
    expect(error(createLead({ id: 'L-4', source: 'manual', name: '赵强', channel: 'tradeShow' }, ctx(rep, 0, { policy: own }))).code).toBe('LEAD_CHANNEL_UNKNOWN');
    expect(issuePaths(createLead({ id: 'L-5', source: 'manual', name: '赵强' }, ctx(rep, 0, { policy: { channels: ['a', 'a'] } })))).toEqual(['context.policy.channels']);
  });

  it('a lead stored before channels and tax ids were recorded reads them as null', () => {
    const { channel: _c, taxId: _t, ...old } = claimed() as Lead & { channel: unknown; taxId: unknown };
    const read = value(parseLead(old));
    expect([read.channel, read.taxId]).toEqual([null, null]);
  });

  it('a conversion keeps the channel on the customer plan, the opportunity and the event (first touch)', async () => {
    const store = createMemoryLeadStore();
    const leads = createLeadService({ store });
    value(await leads.create({ id: 'L-1', source: 'import', name: '张伟', poolId: 'pool-east', channel: 'referral' }, ctx(poolAdmin, 0)));
    value(await leads.execute('L-1', { type: 'claim' }, ctx(rep, 1)));
    const converted = value(
      await leads.execute('L-1', { type: 'convert', customer: { kind: 'new', customerId: 'C-1', name: '福州某某科技有限公司' }, opportunity: { opportunityId: 'O-1', name: '年度采购' } }, ctx(rep, 2)),
    );
    expect(converted.conversion?.customer).toMatchObject({ channel: 'referral', taxId: null });
    expect(converted.opportunity?.channel).toBe('referral');
    expect(converted.events.find((e) => e.type === 'lead.converted')!.data).toMatchObject({ channel: 'referral' });
    expect((await createOpportunityService({ store }).execute('O-1', { type: 'advance' }, ctx(rep, 3))).ok).toBe(true);
  });
});

describe('tax ids', () => {
  it('are folded (full-width, lower case, separators) and a mistyped credit code is refused, on the lead and at conversion', () => {
    expect(claimed({ taxId: ' ９１３５-０１００ m０００１００y４３ ' }).taxId).toBe(VALID);
    expect(issuePaths(createLead({ id: 'L-1', source: 'manual', name: '张伟', taxId: MISTYPED }, ctx(rep, 0)))).toEqual(['input.taxId']);
    // another registration number (not a credit code's shape) is kept as given, folded
    expect(claimed({ taxId: 'de 123-456-789' }).taxId).toBe('DE123456789');
    const lead = claimed();
    expect(issuePaths(decideLead(lead, { type: 'convert', customer: { kind: 'new', customerId: 'C-1', name: '某某', taxId: MISTYPED } }, ctx(rep, 2)))).toEqual(['command.customer.taxId']);
  });

  it('conversion settles the tax id: the command’s, else the lead’s; into an existing customer none is recorded', () => {
    const lead = claimed({ taxId: VALID });
    const fromLead = value(decideLead(lead, { type: 'convert', customer: { kind: 'new', customerId: 'C-1', name: '福州某某科技有限公司' } }, ctx(rep, 2)));
    expect(fromLead.conversion!.customer.taxId).toBe(VALID);
    expect(fromLead.lead.conversion).toMatchObject({ taxId: VALID });
    expect(fromLead.events[0]!.data).toMatchObject({ taxId: VALID });
    const given = value(decideLead(lead, { type: 'convert', customer: { kind: 'new', customerId: 'C-1', name: '福州某某', taxId: '91440300708461136T' } }, ctx(rep, 2)));
    expect(given.conversion!.customer.taxId).toBe('91440300708461136T');
    const cleared = value(decideLead(lead, { type: 'convert', customer: { kind: 'new', customerId: 'C-1', name: '福州某某', taxId: null } }, ctx(rep, 2)));
    expect(cleared.conversion!.customer.taxId).toBeNull();
    const linked = value(decideLead(lead, { type: 'convert', customer: { kind: 'existing', customerId: 'C-7' } }, ctx(rep, 2)));
    expect(linked.conversion!.customer).toMatchObject({ isNew: false, taxId: null });
  });
});

describe('found in review', () => {
  it('a tax id longer than 100 characters once folded is refused at the door, never stored unreadable', () => {
    expect(issuePaths(createLead({ id: 'L-1', source: 'manual', name: '张伟', taxId: 'ﷺ'.repeat(7) }, ctx(rep, 0)))).toEqual(['input.taxId']);
    expect(issuePaths(createLead({ id: 'L-1', source: 'manual', name: '张伟', taxId: 'A'.repeat(101) }, ctx(rep, 0)))).toEqual(['input.taxId']);
    const lead = claimed();
    expect(issuePaths(decideLead(lead, { type: 'convert', customer: { kind: 'new', customerId: 'C-1', name: '某某', taxId: 'x'.repeat(101) } }, ctx(rep, 2)))).toEqual(['command.customer.taxId']);
    // what is accepted reads back: a JSON copy of the lead parses
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (raw) => {
        const made = createLead({ id: 'L-1', source: 'manual', name: '张伟', taxId: raw }, ctx(rep, 0));
        if (made.ok) expect(parseLead(JSON.parse(JSON.stringify(made.value.lead))).ok).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('the customer being created is not its own duplicate (a check asked again on a retry)', () => {
    const lead = claimed({ taxId: VALID });
    const r = decideLead(lead, { type: 'convert', customer: { kind: 'new', customerId: 'C-new', name: '某某' } }, ctx(rep, 2, { existingCustomers: [{ customerId: 'C-new', taxId: VALID }] }));
    expect(value(r).conversion!.customer.customerId).toBe('C-new');
  });

  it('the service asks its customer check only for a conversion the rules allow', async () => {
    let asked = 0;
    const leads = createLeadService({
      store: createMemoryLeadStore(),
      customerCheck: {
        async find() {
          asked++;
          return ok([]);
        },
      },
    });
    value(await leads.create({ id: 'L-1', source: 'import', name: '张伟', poolId: 'pool-east' }, ctx(poolAdmin, 0)));
    value(await leads.execute('L-1', { type: 'claim' }, ctx(rep, 1)));
    const convert = { type: 'convert' as const, customer: { kind: 'new' as const, customerId: 'C-1', name: '某某' } };
    expect(error(await leads.execute('L-1', convert, { now: at(2), actor: { id: 'stranger', relations: [] } })).code).toBe('LEAD_PERMISSION_DENIED');
    expect(asked).toBe(0);
    value(await leads.execute('L-1', convert, ctx(rep, 2)));
    expect(asked).toBe(1);
  });
});

describe('duplicate customers at conversion', () => {
  const convertNew = (lead: Lead, existingCustomers: readonly ExistingCustomer[], confirmNew?: boolean) =>
    decideLead(lead, { type: 'convert', customer: { kind: 'new', customerId: 'C-new', name: '福州某某科技有限公司', ...(confirmNew === undefined ? {} : { confirmNew }) } }, ctx(rep, 2, { existingCustomers }));

  it('a customer with the same tax id is this company: a new one is refused, naming it', () => {
    const lead = claimed({ taxId: VALID });
    const refused = error(convertNew(lead, [{ customerId: 'C-9', name: '福州某某科技', taxId: VALID.toLowerCase() }], true));
    expect(refused).toMatchObject({ code: 'LEAD_CUSTOMER_EXISTS', details: { leadId: 'L-1', customerId: 'C-9', taxId: VALID } });
    // converting into it is the way
    expect(value(decideLead(lead, { type: 'convert', customer: { kind: 'existing', customerId: 'C-9' } }, ctx(rep, 2))).lead.status).toBe('converted');
  });

  it('customers the check offers are a prompt: refused until the rep confirms a new customer', () => {
    const lead = claimed();
    const offered = [{ customerId: 'C-3', name: '福州某某科技' }, { customerId: 'C-4' }, { customerId: 'C-3' }];
    expect(error(convertNew(lead, offered))).toMatchObject({ code: 'LEAD_CUSTOMER_MAY_EXIST', details: { customerIds: ['C-3', 'C-4'] } });
    expect(value(convertNew(lead, offered, true)).conversion!.customer).toMatchObject({ customerId: 'C-new', isNew: true });
    expect(value(convertNew(lead, [])).lead.status).toBe('converted');
  });

  it('property: a new customer is refused exactly when a found one shares its tax id, or one is offered and not confirmed', () => {
    const ids = fc.constantFrom(VALID, '91440300708461136T', 'DE123456789', null);
    fc.assert(
      fc.property(
        ids,
        fc.array(fc.record({ customerId: fc.constantFrom('C-1', 'C-2', 'C-3'), taxId: ids }), { maxLength: 4 }),
        fc.boolean(),
        (taxId, found, confirmNew) => {
          const lead = claimed(taxId === null ? {} : { taxId });
          const r = convertNew(lead, found, confirmNew);
          const same = taxId !== null && found.some((c) => c.taxId === taxId);
          const expected = same ? 'LEAD_CUSTOMER_EXISTS' : found.length > 0 && !confirmNew ? 'LEAD_CUSTOMER_MAY_EXIST' : 'ok';
          expect(r.ok ? 'ok' : r.error.code).toBe(expected);
          if (r.ok) expect(r.value.conversion!.customer.taxId).toBe(taxId);
        },
      ),
      { numRuns: 300 },
    );
    expect(isUnifiedSocialCreditCode('91440300708461136T')).toBe(true);
  });

  it('the service asks its customer check, which is the authority over the caller’s own list', async () => {
    const store = createMemoryLeadStore();
    const asked: unknown[] = [];
    const leads = createLeadService({
      store,
      customerCheck: {
        async find(request) {
          asked.push(request);
          return ok(request.customer.taxId === VALID ? [{ customerId: 'C-9', taxId: VALID }] : []);
        },
      },
    });
    value(await leads.create({ id: 'L-1', source: 'import', name: '张伟', poolId: 'pool-east', taxId: VALID }, ctx(poolAdmin, 0)));
    value(await leads.execute('L-1', { type: 'claim' }, ctx(rep, 1)));
    const convert = { type: 'convert' as const, customer: { kind: 'new' as const, customerId: 'C-1', name: '福州某某科技有限公司' } };
    // the caller's own (empty) list is not trusted when a check is configured
    expect(error(await leads.execute('L-1', convert, { now: at(2), actor: rep, existingCustomers: [] })).code).toBe('LEAD_CUSTOMER_EXISTS');
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ customer: { customerId: 'C-1', name: '福州某某科技有限公司', taxId: VALID }, lead: { id: 'L-1' } });
    // another tax id: nothing found, converted
    expect(value(await leads.execute('L-1', { ...convert, customer: { ...convert.customer, taxId: null } }, ctx(rep, 3))).lead.status).toBe('converted');
    // a check that answers garbage is INVALID_INPUT at customerCheck, never trusted
    const broken = createLeadService({ store: createMemoryLeadStore(), customerCheck: { find: async () => 'yes' as never } });
    value(await broken.create({ id: 'L-1', source: 'manual', name: '张伟' }, ctx(rep, 0)));
    expect(issuePaths(await broken.execute('L-1', convert, ctx(rep, 2)))[0]).toMatch(/^customerCheck/);
  });
});
