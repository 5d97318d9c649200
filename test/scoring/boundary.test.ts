import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as scoring from '../../src/scoring/index.js';
import { functionsOf, fuzzExports, type ExportSpec } from '../leads/boundary.harness.js';
import { eventArb, leadArb, modelArb, nowArb } from './arbitraries.js';

/*
 * Every function the scoring door exports, called with anything and with valid inputs mutated
 * (see the leads suite): a Result, never a throw, no input changed or frozen, ok outputs
 * deep-frozen. Valid inputs are generated models (as written, and parsed), leads, events and
 * stored states (as returned, and through JSON).
 */

const parsedOrRaw = modelArb.chain((m) => fc.constantFrom(m, (scoring.parseScoringModel(m) as { ok: true; value: unknown }).value));
const stateArb = fc.tuple(modelArb, leadArb, fc.array(eventArb, { maxLength: 8 }), fc.boolean()).map(([m, lead, events, json]) => {
  const state = scoring.startScore(m, lead.id, events);
  if (!state.ok) throw new Error(state.error.message);
  return [m, json ? (JSON.parse(JSON.stringify(state.value)) as unknown) : state.value, lead] as const;
});
const optionsArb = fc.constantFrom(undefined, { visibleFields: ['attribute:industry', 'data.followUp.channel'] }, { visibleFields: [] });

const SPECS: Record<string, ExportSpec> = {
  parseScoringModel: { returns: { kind: 'result' }, valid: modelArb.map((m) => [m]) },
  scoreLead: { returns: { kind: 'result' }, valid: fc.tuple(parsedOrRaw, leadArb, fc.array(eventArb, { maxLength: 10 }), nowArb, optionsArb) },
  scoreLeads: {
    returns: { kind: 'result' },
    valid: fc.tuple(
      parsedOrRaw,
      fc.array(fc.record({ lead: leadArb, events: fc.array(eventArb, { maxLength: 6 }) }), { maxLength: 4 }),
      nowArb,
      fc.constantFrom(undefined, { reasons: false }, { reasons: true, visibleFields: ['attribute:industry'] }),
    ),
  },
  startScore: { returns: { kind: 'result' }, valid: fc.tuple(parsedOrRaw, leadArb.map((l) => l.id), fc.array(eventArb, { maxLength: 10 })) },
  applyScoreEvent: { returns: { kind: 'result' }, valid: fc.tuple(stateArb, eventArb).map(([[m, state], e]) => [m, state, e]) },
  scoreFromState: { returns: { kind: 'result' }, valid: fc.tuple(stateArb, nowArb, optionsArb).map(([[m, state, lead], now, o]) => [m, state, lead, now, o]) },
};

const exported = functionsOf(scoring as unknown as Record<string, unknown>);
const call = (name: string) => (scoring as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!;

describe('the scoring door, fuzzed', () => {
  let oks = 0;
  fuzzExports(exported, SPECS, call, (out) => {
    if (out !== null && typeof out === 'object' && (out as { ok?: unknown }).ok === true) oks++;
  });
  it('the valid inputs reach the success paths', () => {
    expect(oks).toBeGreaterThan(150);
  });
});
