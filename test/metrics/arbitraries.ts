import fc from 'fast-check';
import type { LeadJourney, MetricEvent } from '../../src/metrics/index.js';

/** Instants over 120 days from 2026-01-01 (UTC), to the minute. */
export const START = Date.UTC(2026, 0, 1);
const SPAN_MINUTES = 120 * 24 * 60;
const instant = fc.integer({ min: 0, max: SPAN_MINUTES }).map((m) => START + m * 60_000);

const eventArb: fc.Arbitrary<MetricEvent> = fc.oneof(
  fc.record({ type: fc.constant('lead.markedMql'), at: instant, data: fc.constant({ stageTo: 'mql' }) }),
  fc.record({ type: fc.constant('lead.converted'), at: instant, data: fc.record({ stageTo: fc.constantFrom('sql', 'opportunity') }) }),
  fc.record({ type: fc.constant('lead.opportunityLinked'), at: instant, data: fc.constant({ stageTo: 'opportunity' }) }),
  fc.record({ type: fc.constant('lead.stageCorrected'), at: instant, data: fc.record({ stageTo: fc.constantFrom('lead', 'mql', 'sql', 'opportunity') }) }),
  fc.record({ type: fc.constant('opportunity.closed'), at: instant, data: fc.record({ outcome: fc.constantFrom('won', 'lost', 'invalid') }) }),
  fc.record({ type: fc.constant('opportunity.reopened'), at: instant, data: fc.record({ closedAs: fc.constantFrom('won', 'lost'), toStageId: fc.constantFrom('proposal', 'negotiation') }) }),
  fc.record({ type: fc.constantFrom('lead.voided', 'lead.restored', 'lead.markedInvalid', 'lead.reopened', 'lead.followedUp'), at: instant, data: fc.constant({}) }),
  // the activities: follow-ups with an actor and a channel, owners given and taken away
  fc.record(
    { type: fc.constantFrom('lead.followedUp', 'lead.markedMql'), at: instant, actorId: fc.constantFrom('rep-li', 'rep-wang'), data: fc.record({ stageTo: fc.constant('mql'), followUp: fc.record({ id: fc.constant('F'), result: fc.constant('已沟通'), channel: fc.constantFrom('call', 'visit', 'meeting', null) }) }) },
    { requiredKeys: ['type', 'at', 'data'] },
  ),
  fc.record({ type: fc.constantFrom('lead.assigned', 'lead.claimed', 'lead.created'), at: instant, data: fc.record({ ownerId: fc.constantFrom('rep-li', 'rep-wang', 'rep-zhao', null) }) }),
  fc.record({ type: fc.constant('lead.ownerChanged'), at: instant, data: fc.record({ ownerTo: fc.constantFrom('rep-li', 'rep-wang') }) }),
  fc.record({ type: fc.constantFrom('lead.returned', 'lead.reclaimed', 'lead.transferred'), at: instant, data: fc.constant({}) }),
).map((e) => ({ ...e, at: new Date(e.at) }));

/** A lead's journey: a lead created in the span, owned by one of four reps, and up to 8 events in any order. */
export const journeyArb = (id: fc.Arbitrary<string> = fc.uuid()): fc.Arbitrary<LeadJourney> =>
  fc.record({
    lead: fc.record({
      id,
      createdAt: instant.map((t) => new Date(t)),
      ownerId: fc.constantFrom('rep-li', 'rep-wang', 'rep-zhao', null),
      channel: fc.constantFrom('tradeShow', 'websiteForm', 'referral', null),
      poolId: fc.constantFrom('pool-east', 'pool-south'),
      attributes: fc.record({ industry: fc.constantFrom('retail', 'manufacturing', 7, true, null) }, { requiredKeys: [] }),
    }),
    events: fc.array(eventArb, { maxLength: 8 }),
  });

/** Journeys with distinct lead ids. */
export const journeysArb = fc.uniqueArray(journeyArb(fc.string({ minLength: 1, maxLength: 6 })), { maxLength: 40, selector: (j) => j.lead.id });

/** The day number (UTC) of the span's day `d`, as an ISO instant. */
export const dayOfSpan = (d: number): string => new Date(START + d * 86_400_000).toISOString();

const STAGES = [
  { id: 'qualify', probability: 10 },
  { id: 'needs_confirmed', probability: 30 },
  { id: 'proposal', probability: 60 },
  { id: 'negotiation', probability: 80 },
] as const;

/** A stored opportunity in the span: open, won, lost or invalid, in CNY, USD or JPY or with no amount. */
export const opportunityArb = (id: fc.Arbitrary<string> = fc.uuid()) =>
  fc
    .record({
      id,
      status: fc.constantFrom('open', 'won', 'lost', 'invalid'),
      stage: fc.constantFrom(...STAGES),
      owner: fc.constantFrom('rep-li', 'rep-wang', 'rep-zhao'),
      created: fc.integer({ min: 0, max: SPAN_MINUTES / 2 }),
      life: fc.integer({ min: 0, max: SPAN_MINUTES / 2 }),
      amount: fc.option(fc.record({ currency: fc.constantFrom('CNY', 'USD', 'JPY'), minor: fc.integer({ min: 0, max: 1e12 }) }), { nil: null }),
      expected: fc.option(fc.integer({ min: 0, max: SPAN_MINUTES }), { nil: null }),
      reason: fc.constantFrom('价格太高', '选择了竞品', '预算取消'),
    })
    .map((o) => {
      const createdAt = new Date(START + o.created * 60_000);
      const end = new Date(createdAt.getTime() + o.life * 60_000);
      const closed = o.status !== 'open';
      return {
        id: o.id,
        version: 1,
        name: `商机 ${o.id}`,
        customerId: 'C-1',
        ownerId: o.owner,
        stageId: o.stage.id,
        probability: o.status === 'won' ? 100 : closed ? 0 : o.stage.probability,
        sourceLeadId: null,
        channel: 'referral',
        expectedCloseDate: o.expected === null ? null : new Date(START + o.expected * 60_000),
        amount: o.amount,
        createdAt,
        createdBy: o.owner,
        updatedAt: end,
        status: o.status,
        closeReason: o.status === 'won' ? null : closed ? o.reason : null,
        closedAt: closed ? end : null,
        closedBy: closed ? o.owner : null,
      };
    });

/** Opportunity journeys with distinct ids (no events). */
export const opportunityJourneysArb = fc.uniqueArray(opportunityArb(fc.string({ minLength: 1, maxLength: 6 })), { maxLength: 30, selector: (o) => o.id }).map((os) => os.map((opportunity) => ({ opportunity })));
