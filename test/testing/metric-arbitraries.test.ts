import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { measureActivity, measureFunnel, measureMarketing } from '../../src/metrics/index.js';
import { invalidLeadJourneyArb, leadJourneyArb } from '../../src/testing/index.js';
import type { Lead } from '../../src/leads/index.js';

const WIDE = { from: '2024-01-01T00:00:00Z', to: '2028-01-01T00:00:00Z', zone: 'Asia/Shanghai' } as const;
const NOW = '2027-12-31T00:00:00Z';

describe('the kit builds lead journeys for the metrics', () => {
  it('a journey the rules wrote is read by every metric on journeys, and counted once in a wide cohort', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(leadJourneyArb(), { maxLength: 6 }).map((js) => js.map((j, i) => ({ ...j, lead: { ...j.lead, id: `${j.lead.id}-${i}` } }))), async (journeys) => {
        const funnel = await measureFunnel(journeys, { reading: 'cohort', ...WIDE }, NOW);
        if (!funnel.ok) throw new Error(funnel.error.message);
        expect(funnel.value.records.skipped).toBe(0);
        const voided = journeys.filter((j) => (j.lead as Lead).status === 'voided').length;
        expect(funnel.value.records.excluded).toBe(voided);
        expect(funnel.value.total.stages[0]!.count).toBe(journeys.length - voided);
        expect((await measureActivity(journeys, WIDE, NOW)).ok).toBe(true);
        expect((await measureMarketing(journeys, WIDE, NOW)).ok).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('reaches conversions, opportunities and wins', () => {
    const sample = fc.sample(leadJourneyArb({ maxSteps: 12 }), 300);
    expect(sample.some((j) => (j.lead as Lead).status === 'converted')).toBe(true);
    expect(sample.some((j) => (j.events ?? []).some((e) => e.type === 'opportunity.closed'))).toBe(true);
  });

  it('its invalid twin is always refused', async () => {
    await fc.assert(
      fc.asyncProperty(invalidLeadJourneyArb(), async (j) => {
        const r = await measureFunnel([j as never], { reading: 'cohort', ...WIDE }, NOW);
        expect(r.ok).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});
