import type { LeadJourney, MetricEvent } from '../../src/metrics/index.js';
import { createMemoryPaymentStore } from '../../src/adapters/memory/index.js';
import { createPaymentService, type PaymentPlan } from '../../src/payments/index.js';

/**
 * A month of leads at a company selling to retailers and manufacturers in East China (March
 * 2026, Asia/Shanghai), with every case the funnel's written rule names: a conversion with and
 * without an opportunity, a skipped MQL, an invalid lead reopened, a voided lead, a voided lead
 * restored, a won deal reopened, a stage corrected down, a lead created just after midnight on
 * April 1 in Shanghai (still March 31 in UTC), and a February lead that moved in March.
 */
export const ZONE = 'Asia/Shanghai';
/** Shanghai wall time → ISO instant. */
export const sh = (wall: string): string => `${wall}+08:00`;
export const NOW = sh('2026-04-05T09:00:00');

const ev = (type: string, wall: string, data: Record<string, unknown> = {}): MetricEvent => ({ type, at: sh(wall), data });
const mql = (wall: string) => ev('lead.markedMql', wall, { stageTo: 'mql' });
const convert = (wall: string, withOpportunity: boolean) => ev('lead.converted', wall, { stageTo: withOpportunity ? 'opportunity' : 'sql' });
const closed = (wall: string, outcome: 'won' | 'lost') => ev('opportunity.closed', wall, { outcome });

function journey(id: string, created: string, ownerId: string, channel: string, industry: string | null, events: MetricEvent[]): LeadJourney {
  return { lead: { id, createdAt: sh(created), ownerId, channel, poolId: 'pool-east', attributes: industry === null ? {} : { industry } }, events };
}

export const SCENARIO: readonly LeadJourney[] = [
  journey('L1', '2026-03-02T09:00:00', 'rep-li', 'tradeShow', 'retail', [
    mql('2026-03-03T09:00:00'),
    convert('2026-03-05T09:00:00', true),
    closed('2026-03-20T09:00:00', 'won'),
  ]),
  journey('L2', '2026-03-02T10:00:00', 'rep-li', 'tradeShow', 'retail', [
    mql('2026-03-04T10:00:00'),
    convert('2026-03-06T10:00:00', false),
    ev('lead.opportunityLinked', '2026-03-09T10:00:00', { stageTo: 'opportunity' }),
    closed('2026-03-25T10:00:00', 'lost'),
  ]),
  // converted without ever being an MQL
  journey('L3', '2026-03-10T09:00:00', 'rep-wang', 'tradeShow', 'manufacturing', [convert('2026-03-11T09:00:00', false)]),
  // invalid, then reopened: stays an MQL
  journey('L4', '2026-03-15T09:00:00', 'rep-wang', 'websiteForm', 'retail', [
    mql('2026-03-16T09:00:00'),
    ev('lead.markedInvalid', '2026-03-20T09:00:00', { reason: '空号' }),
    ev('lead.reopened', '2026-03-22T09:00:00'),
  ]),
  // April 1 in Shanghai, March 31 in UTC
  journey('L5', '2026-04-01T00:30:00', 'rep-li', 'websiteForm', null, []),
  // voided: left out
  journey('L6', '2026-03-05T09:00:00', 'rep-li', 'websiteForm', null, [mql('2026-03-06T09:00:00'), ev('lead.voided', '2026-03-07T09:00:00', { reason: '重复录入' })]),
  // won, then the win reopened: stands at opportunity (events given out of order)
  journey('L7', '2026-03-03T09:00:00', 'rep-li', 'tradeShow', 'retail', [
    ev('opportunity.reopened', '2026-03-28T09:00:00', { closedAs: 'won', toStageId: 'negotiation' }),
    mql('2026-03-04T09:00:00'),
    closed('2026-03-18T09:00:00', 'won'),
    convert('2026-03-08T09:00:00', true),
  ]),
  // marked an MQL by mistake, corrected back to a lead
  journey('L8', '2026-03-12T09:00:00', 'rep-wang', 'tradeShow', 'manufacturing', [
    mql('2026-03-13T09:00:00'),
    ev('lead.stageCorrected', '2026-03-14T09:00:00', { stageTo: 'lead', reason: '误标' }),
  ]),
  // voided and restored: counts
  journey('L9', '2026-03-20T09:00:00', 'rep-wang', 'websiteForm', null, [
    ev('lead.voided', '2026-03-21T09:00:00'),
    ev('lead.restored', '2026-03-22T09:00:00'),
    mql('2026-03-23T09:00:00'),
  ]),
  // a February lead that moved in March
  journey('L10', '2026-02-20T09:00:00', 'rep-li', 'tradeShow', 'retail', [
    mql('2026-03-02T09:00:00'),
    convert('2026-03-10T09:00:00', true),
    closed('2026-03-30T09:00:00', 'won'),
  ]),
];

/** March 2026 in Shanghai. */
export const MARCH = { from: sh('2026-03-01T00:00:00'), to: sh('2026-04-01T00:00:00'), zone: ZONE } as const;

/*
 * The retrospective's sales rates (跟进量、邀约量、签单量、邀约率、签约率) and 简道云's
 * follow-up rate and SQL conversion rate, for two reps in March 2026 (Shanghai).
 */
/** An event at a Shanghai wall time, by an actor when given. */
export const activityEvent = (type: string, wall: string, data: Record<string, unknown> = {}, actorId?: string): MetricEvent => ({ type, at: sh(wall), data, ...(actorId ? { actorId } : {}) });
/** A follow-up (or an MQL mark) at a Shanghai wall time, by `actor` through `channel`. */
export const follow = (wall: string, actor: string, channel: string, type = 'lead.followedUp') => activityEvent(type, wall, { followUp: { id: `F-${wall}`, result: '已沟通', channel } }, actor);

export const TEAM: LeadJourney[] = [
  // claimed by Li, followed the same day, visited, an MQL, converted, won
  {
    lead: { id: 'A', createdAt: sh('2026-03-02T09:00:00'), ownerId: 'rep-li', channel: 'tradeShow' },
    events: [
      activityEvent('lead.created', '2026-03-02T09:00:00', { ownerId: null }),
      activityEvent('lead.claimed', '2026-03-02T10:00:00', { ownerId: 'rep-li' }),
      follow('2026-03-02T15:00:00', 'rep-li', 'call'),
      follow('2026-03-04T10:00:00', 'rep-li', 'visit'),
      follow('2026-03-05T10:00:00', 'rep-li', 'call', 'lead.markedMql'),
      activityEvent('lead.converted', '2026-03-06T10:00:00', { stageTo: 'opportunity' }),
      activityEvent('opportunity.closed', '2026-03-20T10:00:00', { outcome: 'won' }, 'mgr-zhao'),
    ],
  },
  // created by Li himself; his first follow-up two days later (late), then a meeting
  {
    lead: { id: 'B', createdAt: sh('2026-03-03T09:00:00'), ownerId: 'rep-li', channel: 'referral' },
    events: [activityEvent('lead.created', '2026-03-03T09:00:00', { ownerId: 'rep-li' }), follow('2026-03-05T10:00:00', 'rep-li', 'call'), follow('2026-03-10T10:00:00', 'rep-li', 'meeting')],
  },
  // assigned to Wang, never followed up
  { lead: { id: 'C', createdAt: sh('2026-03-09T09:00:00'), ownerId: 'rep-wang', channel: 'websiteForm' }, events: [activityEvent('lead.assigned', '2026-03-09T09:30:00', { ownerId: 'rep-wang' })] },
  // claimed by Wang, followed up the same day by Li (helping out)
  {
    lead: { id: 'D', createdAt: sh('2026-03-12T09:00:00'), ownerId: 'rep-wang', channel: 'websiteForm' },
    events: [activityEvent('lead.claimed', '2026-03-12T09:10:00', { ownerId: 'rep-wang' }), follow('2026-03-12T16:00:00', 'rep-li', 'message')],
  },
];

/** When the collection scenario is seen. */
export const COLLECTION_NOW = sh('2026-04-10T10:00:00');

/**
 * Collection (回款) from the payments rules' own plans: a 30-50-20 plan of ¥1,000.01 from
 * March 2 (due March 2, April 1, May 1), ¥500 received and applied oldest first; a ¥600 plan
 * due March 15, written off as bad debt (坏账) on April 8.
 */
export async function collectionPlans(): Promise<PaymentPlan[]> {
  const store = createMemoryPaymentStore();
  const payments = createPaymentService({ store, policy: { zone: 'Asia/Shanghai' } });
  const ctx = (wall: string) => ({ now: sh(wall), actor: { id: 'clerk-wu' } });
  const must = <T,>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  must(
    await payments.createPlan(
      {
        id: 'PP-1', orderId: 'SO-1', customerId: 'C-1', ownerId: 'rep-li', orderDate: sh('2026-03-02T09:30:00'), total: { currency: 'CNY', amount: '1000.01' },
        installments: [{ id: 'I1', percent: 30, due: { kind: 'afterOrder', days: 0 } }, { id: 'I2', percent: 50, due: { kind: 'afterOrder', days: 30 } }, { id: 'I3', percent: 20, due: { kind: 'afterOrder', days: 60 } }],
      },
      ctx('2026-03-02T10:00:00'),
    ),
  );
  must(await payments.recordAndApplyPayment({ id: 'P-1', customerId: 'C-1', amount: { currency: 'CNY', amount: '500.00' }, receivedAt: sh('2026-03-09T10:00:00'), method: 'bankTransfer' }, { kind: 'oldestFirst' }, ctx('2026-03-09T10:00:00')));
  must(
    await payments.createPlan(
      { id: 'PP-2', orderId: 'SO-2', customerId: 'C-2', ownerId: 'rep-wang', orderDate: sh('2026-02-13T09:30:00'), total: { currency: 'CNY', amount: '600.00' }, installments: [{ id: 'J1', percent: 100, due: { kind: 'date', date: '2026-03-15' } }] },
      ctx('2026-02-13T10:00:00'),
    ),
  );
  must(await payments.writeOffBadDebt('PP-2', { reason: '客户破产' }, ctx('2026-04-08T10:00:00')));
  const plans: PaymentPlan[] = [];
  for (const id of ['PP-1', 'PP-2']) plans.push((await store.loadPlan(id)) as PaymentPlan);
  return plans;
}
