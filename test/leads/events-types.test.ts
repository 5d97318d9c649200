/**
 * Typed contracts of the leads module: events are a discriminated union (a `switch` on `type`
 * narrows `data`), construction sites emit exactly what the types list, and the policy helpers
 * keep a policy literal typed. Type-level checks run under `tsc --noEmit`; the runtime checks
 * compare real decisions' events with key lists written from the types.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Actor } from '../../src/core/index.js';
import {
  createLead,
  decideLead,
  decideOpportunity,
  defineLeadPolicy,
  defineOpportunityConfig,
  openOpportunity,
  planRenewal,
  type Lead,
  type LeadCommandInput,
  type LeadEvent,
  type LeadEventDataByType,
  type LeadEventType,
  type LeadPolicyInput,
  type LeadStatus,
  type OpportunityCommandInput,
  type OpportunityConfigInput,
  type OpportunityEvent,
  type OpportunityEventDataByType,
  type OpportunityEventType,
  type Opportunity,
  type OpportunityStatus,
} from '../../src/leads/index.js';
import { value } from '../support.js';
import { expectDataKeys, type AllTrue, type Covers, type KeyLists } from '../event-keys.js';
import { at, ctx, imported, poolAdmin, rep, robot } from './fixtures.js';

const admin: Actor = { id: 'admin', relations: ['poolAdmin', 'crmAdmin'] };

/** The keys of each lead event's data, from `LeadEventDataByType`. */
const LEAD_KEYS = {
  'lead.created': ['source', 'status', 'ownerId', 'poolId', 'channel'],
  'lead.assigned': ['from', 'to', 'ownerId', 'poolId'],
  'lead.claimed': ['from', 'to', 'ownerId', 'poolId'],
  'lead.followedUp': ['from', 'to', 'followUp'],
  'lead.markedMql': ['from', 'to', 'stageFrom', 'stageTo', 'followUp'],
  'lead.markedInvalid': ['from', 'to', 'reason'],
  'lead.reopened': ['from', 'to'],
  'lead.returned': ['from', 'to', 'poolId', 'previousOwnerId', 'reasonCode', 'reasonText'],
  'lead.reclaimed': ['from', 'to', 'poolId', 'previousOwnerId', 'ruleId', 'note'],
  'lead.transferred': ['from', 'to', 'fromPoolId', 'toPoolId', 'previousOwnerId'],
  'lead.converted': ['from', 'to', 'stageFrom', 'stageTo', 'customerId', 'customerIsNew', 'taxId', 'channel', 'contactId', 'opportunityId'],
  'lead.voided': ['from', 'to', 'reason'],
  'lead.restored': ['from', 'to'],
  'lead.stageCorrected': ['from', 'to', 'stageFrom', 'stageTo', 'reason'],
  'lead.opportunityLinked': ['from', 'to', 'stageFrom', 'stageTo', 'opportunityId'],
  'lead.ownerChanged': ['from', 'to', 'ownerFrom', 'ownerTo'],
} as const satisfies KeyLists<LeadEventDataByType>;

/** The keys of each opportunity event's data (the renewal fields of `opportunity.opened` are optional). */
const OPPORTUNITY_KEYS = {
  'opportunity.opened': ['to', 'stageId', 'probability', 'ownerId', 'customerId', 'sourceLeadId', 'duplicateOf'],
  'opportunity.advanced': ['from', 'to', 'fromStageId', 'toStageId', 'previousProbability', 'probability'],
  'opportunity.steppedBack': ['from', 'to', 'fromStageId', 'toStageId', 'previousProbability', 'probability'],
  'opportunity.movedToStage': ['from', 'to', 'fromStageId', 'toStageId', 'previousProbability', 'probability'],
  'opportunity.closed': ['from', 'to', 'outcome', 'reason', 'stageId', 'previousProbability', 'probability'],
  'opportunity.reopened': ['from', 'to', 'closedAs', 'previousCloseReason', 'fromStageId', 'toStageId', 'probability', 'reason'],
} as const satisfies KeyLists<OpportunityEventDataByType>;

describe('types: a switch on the event type narrows its data', () => {
  it('lead events', () => {
    expectTypeOf<LeadEvent['type']>().toEqualTypeOf<LeadEventType>();
    expectTypeOf<Covers<LeadEventDataByType, typeof LEAD_KEYS>>().toEqualTypeOf<AllTrue<LeadEventDataByType>>();
    const seen = (e: LeadEvent): string => {
      switch (e.type) {
        case 'lead.claimed':
          expectTypeOf(e.data.poolId).toEqualTypeOf<string | null>();
          expectTypeOf(e.data.ownerId).toEqualTypeOf<string>();
          expectTypeOf(e.data.from).toEqualTypeOf<LeadStatus>();
          // @ts-expect-error a claim carries no reason
          return e.data.reasonCode;
        case 'lead.returned':
          expectTypeOf(e.data.reasonText).toEqualTypeOf<string | null>();
          return e.data.reasonCode;
        case 'lead.followedUp':
          expectTypeOf(e.data.followUp.nextFollowUpAt).toEqualTypeOf<Date | null>();
          return e.data.followUp.result;
        case 'lead.created':
          expectTypeOf(e.data.status).toEqualTypeOf<'unassigned' | 'pending'>();
          // @ts-expect-error a creation has no status change
          return e.data.from;
        default:
          return e.type;
      }
    };
    expect(seen).toBeTypeOf('function');
  });

  it('opportunity events', () => {
    expectTypeOf<OpportunityEvent['type']>().toEqualTypeOf<OpportunityEventType>();
    expectTypeOf<Covers<OpportunityEventDataByType, typeof OPPORTUNITY_KEYS>>().toEqualTypeOf<AllTrue<OpportunityEventDataByType>>();
    const seen = (e: OpportunityEvent): unknown => {
      switch (e.type) {
        case 'opportunity.closed':
          expectTypeOf(e.data.outcome).toEqualTypeOf<'won' | 'lost' | 'invalid'>();
          return e.data.reason;
        case 'opportunity.reopened':
          expectTypeOf(e.data.closedAs).toEqualTypeOf<OpportunityStatus>();
          return e.data.toStageId;
        case 'opportunity.opened':
          expectTypeOf(e.data.serviceEndDate).toEqualTypeOf<Date | undefined>();
          // @ts-expect-error an opening has no previous probability
          return e.data.previousProbability;
        default:
          return e.data.toStageId;
      }
    };
    expect(seen).toBeTypeOf('function');
  });

  it('the event types of a decision, not `string`', () => {
    const { events } = value(createLead({ id: 'L-9', source: 'manual', name: '王芳' }, ctx(rep, 0)));
    expectTypeOf(events[0]!).toEqualTypeOf<LeadEvent>();
    // @ts-expect-error no such event type
    expect(events.filter((e) => e.type === 'lead.deleted')).toEqual([]);
  });
});

describe('types: a policy kept in a const', () => {
  it('widens to string and no longer fits; the define helpers keep it typed', () => {
    const widened = { permissions: { return: ['owner', 'ownerSuperior'] } };
    // @ts-expect-error `string[]` is not a list of relations
    const asInput: LeadPolicyInput = widened;
    expect(asInput).toBe(widened);
    const policy = defineLeadPolicy({ permissions: { return: ['owner', 'ownerSuperior'] } });
    expectTypeOf(policy).toEqualTypeOf<LeadPolicyInput>();
    // @ts-expect-error a misspelt key is caught
    defineLeadPolicy({ permisions: {} });
    const config = defineOpportunityConfig({ allowSkip: true, permissions: { reopen: ['ownerSuperior', 'crmAdmin'] } });
    expectTypeOf(config).toEqualTypeOf<OpportunityConfigInput>();
    const lead = imported();
    expect(value(decideLead(lead, { type: 'claim' }, { now: at(1), actor: rep, policy })).lead.status).toBe('pending');
  });

  it('the helpers return their argument as it is: not copied, not frozen, not validated, never a throw', () => {
    const policy = { permissions: { return: ['owner' as const] } };
    expect(defineLeadPolicy(policy)).toBe(policy);
    expect(Object.isFrozen(policy)).toBe(false);
    const bad = { stages: 'nope' } as unknown as OpportunityConfigInput;
    expect(defineOpportunityConfig(bad)).toBe(bad);
    expect(defineLeadPolicy(null as never)).toBe(null);
  });
});

describe('runtime: each event carries exactly the keys its type lists', () => {
  const step = (lead: Lead, command: LeadCommandInput, actor: Actor, minutes: number) => value(decideLead(lead, command, ctx(actor, minutes)));

  it('every lead event type, from real decisions', () => {
    const events: LeadEvent[] = [];
    const track = <D extends { readonly lead: Lead; readonly events: readonly LeadEvent[] }>(d: D): Lead => {
      events.push(...d.events);
      return d.lead;
    };
    track(value(createLead({ id: 'L-9', source: 'manual', name: '王芳' }, ctx(rep, 0))));
    const unassigned = imported();
    track(step(unassigned, { type: 'assign', ownerId: 'rep-wang' }, poolAdmin, 1));
    const pending = track(step(unassigned, { type: 'claim' }, rep, 1));
    const following = track(step(pending, { type: 'followUp', followUpId: 'f-1', result: '电话沟通', channel: 'call', nextFollowUpAt: at(60 * 24) }, rep, 2));
    track(step(following, { type: 'markMql', followUpId: 'f-2', result: '有预算' }, rep, 3));
    const invalid = track(step(following, { type: 'markInvalid', reason: '空号' }, rep, 3));
    track(step(invalid, { type: 'reopen' }, rep, 4));
    track(step(following, { type: 'return', reason: { code: 'other', text: '客户已有供应商' } }, rep, 3));
    track(step(following, { type: 'reclaim', ruleId: 'r-15' }, robot, 3));
    track(step(following, { type: 'transfer', toPoolId: 'pool-west' }, rep, 3));
    const converted = track(step(following, { type: 'convert', customer: { kind: 'new', customerId: 'C-1', name: '腾飞科技' } }, rep, 3));
    track(step(converted, { type: 'linkOpportunity', opportunityId: 'O-1' }, rep, 4));
    const voided = track(step(following, { type: 'void', reason: '重复录入' }, rep, 3));
    track(step(voided, { type: 'restore' }, admin, 4));
    track(step(following, { type: 'correctStage', stage: 'mql', reason: '市场部已确认' }, admin, 3));
    track(step(following, { type: 'changeOwner', ownerId: 'rep-wang' }, admin, 3));
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(Object.keys(LEAD_KEYS)));
    for (const e of events) expectDataKeys(e, LEAD_KEYS);
    const followedUp = events.find((e) => e.type === 'lead.followedUp');
    expect(followedUp?.type === 'lead.followedUp' && Object.keys(followedUp.data.followUp).sort()).toEqual(['channel', 'id', 'nextFollowUpAt', 'result']);
  });

  it('every opportunity event type, a renewal’s opening with its optional fields', () => {
    const now = new Date('2026-03-02T01:00:00Z');
    const owner: Actor = { id: 'rep', relations: [] };
    const boss: Actor = { id: 'boss', relations: ['ownerSuperior'] };
    const events: OpportunityEvent[] = [];
    let minutes = 0;
    const next = (o: Opportunity, command: OpportunityCommandInput, actor: Actor = owner): Opportunity => {
      const d = value(decideOpportunity(o, command, { now: new Date(now.getTime() + ++minutes * 60_000), actor }));
      events.push(...d.events);
      return d.opportunity;
    };
    const opened = value(openOpportunity({ id: 'O1', name: 'ERP 升级项目', customerId: 'C1' }, { now, actor: owner }));
    events.push(...opened.events);
    let o = next(opened.opportunity, { type: 'advance' });
    o = next(o, { type: 'stepBack' });
    o = next(o, { type: 'moveToStage', stageId: 'needs_confirmed' });
    o = next(o, { type: 'close', outcome: 'lost', reason: '预算取消' });
    next(o, { type: 'reopen', reason: '客户恢复预算' }, boss);
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(Object.keys(OPPORTUNITY_KEYS)));
    for (const e of events) expectDataKeys(e, OPPORTUNITY_KEYS);

    const renewal = value(
      planRenewal(
        { id: 'SO-1', customerId: 'C-1', ownerId: 'rep', name: '年度订阅', serviceEndDate: '2026-12-31T16:00:00Z' },
        { leadDays: 30, zone: 'Asia/Shanghai' },
        { opportunityId: 'O-R1' },
        { now: '2026-06-01T00:00:00Z', actor: { id: 'renewal-bot', relations: ['automation'] } },
      ),
    );
    expect(renewal.events).toHaveLength(1);
    expectDataKeys(renewal.events[0]!, OPPORTUNITY_KEYS, ['origin', 'renewalOfOrderId', 'serviceEndDate', 'dueDate', 'late']);
  });
});
