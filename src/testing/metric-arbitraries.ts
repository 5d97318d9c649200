import * as fc from 'fast-check';
import type { HostRelation } from '../core/index.js';
import { closeOpportunity, createLead, openOpportunity, type Lead, type Opportunity } from '../leads/index.js';
import type { LeadJourney, MetricEvent } from '../metrics/index.js';
import { createLeadInputArb, instantArb, leadCommandArb, option, walkLead } from './arbitraries.js';

const USERS = ['rep-li', 'rep-wang', 'rep-chen', 'mgr-zhao'] as const;
const CHANNELS = ['tradeShow', 'websiteForm', 'referral', 'coldCall', null] as const;

/**
 * A lead's journey as the rules write it, for the metrics (`measureFunnel`, `measureActivity`,
 * `measureMarketing`): a lead created and walked through the real lead rules, every event they
 * returned collected; when it converted with an opportunity, that opportunity opened and — some
 * of the time — closed won or lost by the real opportunity rules, its events in the journey and
 * its record as `opportunity`. So a host's property test can feed its own metrics, or ours,
 * journeys no rule would refuse.
 *
 * @example
 * fc.assert(fc.asyncProperty(fc.array(leadJourneyArb()), async (js) => (await measureFunnel(js, query, now)).ok))
 */
export function leadJourneyArb(options: { readonly maxSteps?: number } = {}): fc.Arbitrary<LeadJourney> {
  const given = option(options, 'maxSteps');
  const maxSteps = Number.isSafeInteger(given) && (given as number) >= 0 && (given as number) <= 1000 ? (given as number) : 10;
  const relations: HostRelation[] = ['poolMember', 'poolAdmin', 'crmAdmin'];
  const stepArb = fc.record({ command: leadCommandArb(), asOwner: fc.boolean(), other: fc.constantFrom(...USERS), minutes: fc.integer({ min: 1, max: 60 * 24 * 5 }) });
  return fc
    .tuple(
      createLeadInputArb(),
      fc.constantFrom(...CHANNELS),
      instantArb({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z') }),
      fc.array(stepArb, { maxLength: maxSteps }),
      fc.constantFrom('won' as const, 'lost' as const, null),
      fc.option(fc.record({ minor: fc.integer({ min: 0, max: 500_000_00 }), currency: fc.constantFrom('CNY', 'USD') }), { nil: null }),
    )
    .map(([input, channel, start, steps, outcome, amount]) => {
      const created = createLead({ ...input, channel }, { now: start, actor: { id: 'admin-zhou', relations } });
      if (!created.ok) throw new Error(`leadJourneyArb: ${created.error.message}`);
      const events: MetricEvent[] = [...created.value.events];
      const lead: Lead = walkLead(created.value.lead, start, steps, relations, events);
      const conversion = lead.conversion;
      if (conversion === null || conversion.opportunityId === null) return { lead, events };
      const actor = { id: lead.ownerId ?? 'rep-li', relations: ['crmAdmin'] as HostRelation[] };
      const opened = openOpportunity(
        { id: conversion.opportunityId, name: `${lead.name} 的商机`, customerId: conversion.customerId, sourceLeadId: lead.id, ...(amount ? { amount } : {}) },
        { now: conversion.at, actor },
      );
      if (!opened.ok) return { lead, events };
      let opportunity: Opportunity = opened.value.opportunity;
      events.push(...opened.value.events);
      if (outcome !== null) {
        const closed = closeOpportunity(opportunity as never, outcome === 'won' ? { outcome } : { outcome, reason: '预算取消' }, { now: new Date(conversion.at.getTime() + 7 * 86_400_000), actor });
        if (closed.ok) {
          opportunity = closed.value.opportunity;
          events.push(...closed.value.events);
        }
      }
      return { lead, events, opportunity };
    });
}

/**
 * A lead journey the metrics refuse (`INVALID_INPUT` at `journeys.<index>`): a lead without an
 * id, a creation time that is no instant, events that are no array, an event at no instant, a
 * conversion to a stage a conversion cannot reach.
 *
 * @example
 * fc.assert(fc.asyncProperty(invalidLeadJourneyArb(), async (j) => !(await measureFunnel([j], query, now)).ok))
 */
export function invalidLeadJourneyArb(): fc.Arbitrary<unknown> {
  const breakers: readonly ((j: LeadJourney) => unknown)[] = [
    (j) => ({ ...j, lead: { ...j.lead, id: undefined } }),
    (j) => ({ ...j, lead: { ...j.lead, createdAt: 'yesterday' } }),
    (j) => ({ ...j, events: 'all of them' }),
    (j) => ({ ...j, events: [...(j.events ?? []), { type: 'lead.markedMql', at: 'soon', data: { stageTo: 'mql' } }] }),
    (j) => ({ ...j, events: [...(j.events ?? []), { type: 'lead.converted', at: j.lead.createdAt, data: { stageTo: 'mql' } }] }),
    () => ({ events: [] }),
  ];
  return fc.tuple(leadJourneyArb({ maxSteps: 3 }), fc.integer({ min: 0, max: breakers.length - 1 })).map(([j, i]) => breakers[i]!(j));
}
