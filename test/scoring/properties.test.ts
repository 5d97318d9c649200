import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyScoreEvent, parseScoringModel, scoreFromState, scoreLead, scoreLeads, startScore, type LeadScore, type ScoreState, type ScoringModel } from '../../src/scoring/index.js';
import { eventArb, leadArb, modelArb, nowArb } from './arbitraries.js';
import { value as unwrap } from '../support.js';

const parsed = modelArb.map((m) => unwrap(parseScoringModel(m)));

/** An independent reading of the written rule: every event counted on its own day, the rule's total faded, capped and summed. */
function reference(model: ScoringModel, lead: { attributes?: Record<string, unknown>; channel?: unknown }, events: readonly { type: string; at: Date | string; data?: unknown }[], now: Date): number {
  const dayOf = (t: Date | string) => {
    const parts = new Intl.DateTimeFormat('en-CA', { timeZone: model.zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(t));
    return Date.parse(`${parts}T00:00:00Z`) / 86_400_000;
  };
  const valueOf = (field: string): unknown => {
    const raw = field.startsWith('attribute:') ? lead.attributes?.[field.slice(10)] : (lead as Record<string, unknown>)[field];
    return raw === null || raw === undefined || raw === '' ? undefined : raw;
  };
  const holds = (v: unknown, c: { op: string; values?: readonly unknown[]; value?: number; min?: number; max?: number }) =>
    c.op === 'in' ? v !== undefined && c.values!.includes(v) : c.op === 'notIn' ? v === undefined || !c.values!.includes(v) : c.op === 'exists' ? v !== undefined : c.op === 'missing' ? v === undefined : typeof v !== 'number' ? false : c.op === 'atLeast' ? v >= c.value! : c.op === 'atMost' ? v <= c.value! : v >= c.min! && v <= c.max!;
  const today = dayOf(now);
  let score = 0;
  for (const rule of model.rules) {
    if (rule.kind === 'fit') {
      if (rule.when.every((c) => holds(valueOf(c.field), c))) score += rule.points;
      continue;
    }
    const perDay = new Map<number, number>();
    for (const e of events) {
      if (!rule.events.includes(e.type)) continue;
      const channel = (e.data as { followUp?: { channel?: unknown } } | undefined)?.followUp?.channel;
      if (!rule.where.every((c) => holds(channel ?? undefined, c))) continue;
      const day = dayOf(e.at);
      if (day <= today) perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    let total = 0;
    for (const [day, count] of perDay) {
      const age = today - day;
      const full = count * rule.points;
      if (rule.decay === null) total += full;
      else if (rule.decay.kind === 'expires') total += age < rule.decay.days ? full : 0;
      else {
        // each event fades on its own: its points halved, rounded half away from zero
        const x = rule.points / 2 ** Math.floor(age / rule.decay.days);
        total += count * Math.sign(x) * Math.round(Math.abs(x));
      }
    }
    if (rule.cap !== null) total = Math.max(-rule.cap, Math.min(rule.cap, total));
    score += total;
  }
  return score;
}

describe('properties of lead scoring', () => {
  it('the score is the written rule’s (an independent reading), its reasons sum to it, none is 0, a capped rule is at its cap', () => {
    fc.assert(
      fc.property(parsed, leadArb, fc.array(eventArb, { maxLength: 30 }), nowArb, (model, lead, events, now) => {
        const s: LeadScore = unwrap(scoreLead(model, lead, events, now));
        expect(s.score).toBe(reference(model, lead, events, now));
        expect(s.reasons.reduce((a, r) => a + r.points, 0)).toBe(s.score);
        for (const r of s.reasons) {
          expect(r.points).not.toBe(0);
          const rule = model.rules.find((x) => x.id === r.ruleId)!;
          if (rule.kind === 'behaviour' && rule.cap !== null) expect(Math.abs(r.points) <= rule.cap && (!r.capped || Math.abs(r.points) === rule.cap)).toBe(true);
        }
        const band = model.grades.find((g) => g.min === null || s.score >= g.min);
        expect(s.grade).toBe(band?.grade ?? null);
        expect(s.mql).toBe(model.mqlThreshold !== null && s.score >= model.mqlThreshold);
      }),
      { numRuns: 400 },
    );
  });

  it('deterministic and order-free: the events in any order give the same score and the same state', () => {
    fc.assert(
      fc.property(parsed, leadArb, fc.array(eventArb, { maxLength: 25 }).chain((es) => fc.tuple(fc.constant(es), fc.shuffledSubarray(es, { minLength: es.length, maxLength: es.length }))), nowArb, (model, lead, [events, shuffled], now) => {
        expect(unwrap(scoreLead(model, lead, shuffled, now))).toEqual(unwrap(scoreLead(model, lead, events, now)));
        expect(unwrap(startScore(model, lead.id, shuffled))).toEqual(unwrap(startScore(model, lead.id, events)));
      }),
      { numRuns: 300 },
    );
  });

  it('incremental equals full: a state started from some events, the rest applied one at a time (through JSON), scores as scoreLead over all', () => {
    fc.assert(
      fc.property(parsed, leadArb, fc.array(eventArb, { maxLength: 25 }), fc.nat(), nowArb, (model, lead, events, cut, now) => {
        const k = events.length === 0 ? 0 : cut % (events.length + 1);
        let state: unknown = unwrap(startScore(model, lead.id, events.slice(0, k)));
        for (const e of events.slice(k)) state = JSON.parse(JSON.stringify(unwrap(applyScoreEvent(model, state, e))));
        expect(state).toEqual(JSON.parse(JSON.stringify(unwrap(startScore(model, lead.id, events)))));
        expect(unwrap(scoreFromState(model, state as ScoreState, lead, now))).toEqual(unwrap(scoreLead(model, lead, events, now)));
      }),
      { numRuns: 300 },
    );
  });

  it('with no new event, a model of positive behaviour only never scores a lead higher later', () => {
    const positive = parsed.filter((m) => m.rules.every((r) => r.kind === 'fit' || r.points > 0));
    fc.assert(
      fc.property(positive, leadArb, fc.array(eventArb, { maxLength: 20 }), nowArb, fc.integer({ min: 1, max: 200 }), (model, lead, events, now, later) => {
        const seen = events.filter((e) => new Date(e.at).getTime() <= now.getTime() - 86_400_000);
        const a = unwrap(scoreLead(model, lead, seen, now)).score;
        const b = unwrap(scoreLead(model, lead, seen, new Date(now.getTime() + later * 86_400_000))).score;
        expect(b).toBeLessThanOrEqual(a);
      }),
      { numRuns: 200 },
    );
  });

  it('a batch scores each journey as scoreLead does (reasons or not), refuses the ones that do not read by index, and shares one tally safely', () => {
    const journeyArb = fc.oneof(
      { weight: 5, arbitrary: fc.record({ lead: leadArb, events: fc.array(eventArb, { maxLength: 40 }) }) },
      { weight: 1, arbitrary: fc.constantFrom({ lead: { name: 'no id' }, events: [] }, { lead: { id: 'L-x' }, events: [{ type: 'lead.followedUp', at: 'yesterday' }] }, null) },
    );
    fc.assert(
      fc.property(modelArb, fc.array(journeyArb, { maxLength: 12 }), nowArb, fc.boolean(), (m, journeys, now, reasons) => {
        const model = unwrap(parseScoringModel(m));
        const batch = unwrap(scoreLeads(model, journeys as never, now, { reasons }));
        expect(batch.scores).toHaveLength(journeys.length);
        const refusedAt: number[] = [];
        journeys.forEach((j, i) => {
          const one = j === null ? null : scoreLead(model, j.lead, j.events, now);
          const got = batch.scores[i];
          if (one === null || !one.ok) {
            refusedAt.push(i);
            expect(got).toBeNull();
            return;
          }
          expect(got).toEqual(reasons ? one.value : { ...one.value, reasons: [] });
        });
        expect(batch.refused.map((r) => r.index)).toEqual(refusedAt);
        for (const r of batch.refused) {
          expect(r.error.code).toBe('INVALID_INPUT');
          expect((r.error.details.issues as { path: unknown[] }[])[0]!.path.slice(0, 2)).toEqual(['journeys', r.index]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('inputs are never changed or frozen', () => {
    fc.assert(
      fc.property(modelArb, leadArb, fc.array(eventArb, { maxLength: 10 }), nowArb, (model, lead, events, now) => {
        const before = JSON.stringify([model, lead, events]);
        const r = scoreLead(model, lead, events, now);
        expect(r.ok).toBe(true);
        expect(JSON.stringify([model, lead, events])).toBe(before);
        expect(Object.isFrozen(model) || Object.isFrozen(lead) || events.some((e) => Object.isFrozen(e))).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});
