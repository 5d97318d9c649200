import { describe, expect, it } from 'vitest';
import { applyScoreEvent, parseScoringModel, scoreFromState, scoreLead, startScore, type ScoreState, type ScoringModel } from '../../src/scoring/index.js';
import { EVENTS, LEAD, MODEL, NOW } from './scenario.js';
import { value as unwrap } from '../support.js';

const model = (): ScoringModel => {
  const m = parseScoringModel(MODEL);
  if (!m.ok) throw new Error(m.error.message);
  return m.value;
};

describe('a trade-show lead from a retail company in East China, scored with its reasons', () => {
  it('the hand-computed score, grade, MQL flag and reasons', () => {
    const s = unwrap(scoreLead(model(), LEAD, EVENTS, NOW));
    // fit: retail 20 + east 10 + trade show 15 + 800 employees 10 = 55 (not consulting)
    // follow-ups (5 each, half-life 30 days, cap 20): 2 March 5, 10 March 5, 15 January 64 days
    //   before — halved twice, 1.25 → 1: 11 (25 March is after now: not yet)
    // visits (15, expires after 90 days): 10 March → 15; forms (10 each, cap 30): 4 → 40 → 30
    // unsubscribed: −25. 55 + 11 + 15 + 30 − 25 = 86: grade B (60–99), an MQL (≥ 60)
    expect(s.score).toBe(86);
    expect(s.grade).toBe('B');
    expect(s.mql).toBe(true);
    expect(s.reasons.map((r) => [r.ruleId, r.points, r.events, r.capped])).toEqual([
      ['retail', 20, null, false],
      ['east-china', 10, null, false],
      ['trade-show', 15, null, false],
      ['large-company', 10, null, false],
      ['follow-ups', 11, 3, false],
      ['visits', 15, 1, false],
      ['form-fills', 30, 4, true],
      ['unsubscribed', -25, 1, false],
    ]);
    expect(s.reasons.reduce((a, r) => a + r.points, 0)).toBe(s.score);
    expect(s.reasons[5]!.label).toBe('上门拜访');
    expect(s.reasons[5]!.eventTypes).toEqual(['lead.followedUp']);
    expect(s.asOf.toISOString()).toBe('2026-03-20T02:00:00.000Z');
    expect(Object.isFrozen(s) && Object.isFrozen(s.reasons[0]) && Object.isFrozen(s.reasons[0]!.conditions)).toBe(true);
  });

  it('reasons show a condition’s values only for the fields the viewer may see', () => {
    const hidden = unwrap(scoreLead(model(), LEAD, EVENTS, NOW));
    expect(hidden.reasons[0]!.conditions).toEqual([{ field: 'attribute:industry', op: 'in', values: null }]);
    expect(hidden.reasons[5]!.conditions).toEqual([{ field: 'data.followUp.channel', op: 'in', values: null }]);
    const shown = unwrap(scoreLead(model(), LEAD, EVENTS, NOW, { visibleFields: ['attribute:industry', 'data.followUp.channel', 'attribute:employees'] }));
    expect(shown.reasons[0]!.conditions).toEqual([{ field: 'attribute:industry', op: 'in', values: ['retail'] }]);
    expect(shown.reasons[1]!.conditions).toEqual([{ field: 'attribute:region', op: 'in', values: null }]);
    expect(shown.reasons[3]!.conditions).toEqual([{ field: 'attribute:employees', op: 'atLeast', values: [500] }]);
    expect(shown.reasons[5]!.conditions).toEqual([{ field: 'data.followUp.channel', op: 'in', values: ['visit'] }]);
    // the rule's id and label are the admin's words; the conditions say nothing of the values
    expect(JSON.stringify(hidden.reasons.map((r) => r.conditions))).not.toMatch(/"(retail|east|tradeShow|visit)"|500/);
  });

  it('time fades behaviour: the next half-life, the visit expiring, an event counting from its own day', () => {
    // 1 April: 15 January is 76 days back (still 2 halvings), 2 March 30 days back (halved: 2.5 → 3)
    expect(unwrap(scoreLead(model(), LEAD, EVENTS, '2026-04-01T10:00:00+08:00')).reasons.find((r) => r.ruleId === 'follow-ups')!.points).toBe(1 + 3 + 5 + 5);
    // the visit of 10 March counts for 90 days: through 7 June, not on 8 June
    const visits = (now: string) => unwrap(scoreLead(model(), LEAD, EVENTS, now)).reasons.find((r) => r.ruleId === 'visits')?.points ?? 0;
    expect(visits('2026-06-07T23:59:59+08:00')).toBe(15);
    expect(visits('2026-06-08T00:00:00+08:00')).toBe(0);
    // the follow-up of 25 March counts from that day (at any hour of it)
    const followUps = (now: string) => unwrap(scoreLead(model(), LEAD, EVENTS, now)).reasons.find((r) => r.ruleId === 'follow-ups')!;
    expect(followUps('2026-03-24T23:59:59+08:00').events).toBe(3);
    expect(followUps('2026-03-25T00:00:00+08:00').events).toBe(4);
  });

  it('the grade bands and the MQL threshold at their edges; a lead under every band with a catch-all', () => {
    const flat = (points: number) =>
      unwrap(
        scoreLead(
          { ...MODEL, rules: [{ id: 'p', kind: 'behaviour', events: ['x'], points: 1, cap: null }], grades: [{ grade: 'A', min: 100 }, { grade: 'B', min: 60 }], mqlThreshold: 60 },
          LEAD,
          Array.from({ length: points }, () => ({ type: 'x', at: '2026-03-01T00:00:00Z' })),
          NOW,
        ),
      );
    expect([flat(100).grade, flat(99).grade, flat(60).grade, flat(59).grade]).toEqual(['A', 'B', 'B', null]);
    expect([flat(60).mql, flat(59).mql]).toEqual([true, false]);
    expect(flat(0)).toMatchObject({ score: 0, reasons: [] });
  });

  it('a negative rule, a cap on negative points, and a missing value meeting notIn and missing', () => {
    const m = unwrap(
      parseScoringModel({
        id: 'm',
        version: 3,
        zone: 'UTC',
        rules: [
          { id: 'no-email', kind: 'fit', when: [{ field: 'email', op: 'missing' }], points: -5 },
          { id: 'not-gov', kind: 'fit', when: [{ field: 'attribute:sector', op: 'notIn', values: ['government'] }], points: 3 },
          { id: 'bounces', kind: 'behaviour', events: ['email.bounced'], points: -10, cap: 15 },
        ],
        grades: [{ grade: 'any' }],
      }),
    );
    const bounce = { type: 'email.bounced', at: '2026-01-01T00:00:00Z' };
    const s = unwrap(scoreLead(m, { id: 'L1', email: '' }, [bounce, bounce, bounce], '2026-02-01T00:00:00Z'));
    expect(s.reasons.map((r) => [r.ruleId, r.points, r.capped])).toEqual([
      ['no-email', -5, false],
      ['not-gov', 3, false],
      ['bounces', -15, true],
    ]);
    expect(s).toMatchObject({ score: -17, grade: 'any', mql: false });
  });
});

describe('incremental scoring', () => {
  it('a stored state with the new events applied one at a time scores as the full rescore', () => {
    const m = model();
    let state: ScoreState = unwrap(startScore(m, LEAD.id, EVENTS.slice(0, 4)));
    for (const e of EVENTS.slice(4)) state = unwrap(applyScoreEvent(m, state, e));
    expect(state).toEqual(unwrap(startScore(m, LEAD.id, EVENTS)));
    expect(unwrap(scoreFromState(m, state, LEAD, NOW))).toEqual(unwrap(scoreLead(m, LEAD, EVENTS, NOW)));
    // the state is plain JSON: stored and read back, it scores the same
    const stored = JSON.parse(JSON.stringify(state)) as unknown;
    expect(unwrap(scoreFromState(m, stored, LEAD, NOW)).score).toBe(86);
    expect(state.tallies.find((t) => t.ruleId === 'follow-ups')!.days).toEqual([
      ['2026-01-15', 1],
      ['2026-03-02', 1],
      ['2026-03-10', 1],
      ['2026-03-25', 1],
    ]);
  });

  it('the fit part follows the lead as it is now; an event no rule counts leaves the state as it was', () => {
    const m = model();
    const state = unwrap(startScore(m, LEAD.id, EVENTS));
    const moved = { ...LEAD, attributes: { ...LEAD.attributes, region: 'south' } };
    expect(unwrap(scoreFromState(m, state, moved, NOW)).score).toBe(76);
    expect(unwrap(applyScoreEvent(m, state, { type: 'task.created', at: NOW, data: {} }))).toEqual(state);
  });

  it('a state kept under another model version is SCORE_MODEL_CHANGED; another lead’s state or a bad one is INVALID_INPUT', () => {
    const m = model();
    const state = unwrap(startScore(m, LEAD.id, EVENTS));
    const next = unwrap(parseScoringModel({ ...MODEL, version: 2 }));
    const changed = applyScoreEvent(next, state, EVENTS[0]);
    expect(changed.ok ? null : changed.error).toMatchObject({ code: 'SCORE_MODEL_CHANGED', details: { modelVersion: 2, stateModelVersion: 1 } });
    const other = scoreFromState(m, state, { ...LEAD, id: 'L-other' }, NOW);
    expect(other.ok ? null : other.error.code).toBe('INVALID_INPUT');
    const unknownRule = scoreFromState(m, { ...state, tallies: [{ ruleId: 'retail', days: [['2026-01-01', 1]] }] }, LEAD, NOW);
    expect(unknownRule.ok ? null : unknownRule.error.details).toMatchObject({ issues: [{ path: ['state', 'tallies', 0, 'ruleId'] }] });
    const badDay = scoreFromState(m, { ...state, tallies: [{ ruleId: 'visits', days: [['2026-02-30', 1]] }] }, LEAD, NOW);
    expect(badDay.ok ? null : badDay.error.details).toMatchObject({ issues: [{ path: ['state', 'tallies', 0, 'days', 0, 0] }] });
  });
});

describe('refusals at the door', () => {
  it('a model that does not read, with every issue', () => {
    const r = parseScoringModel({ ...MODEL, rules: [...(MODEL.rules as object[]), { id: 'retail', kind: 'fit', when: [{ field: 'attribute:x', op: 'between', min: 5, max: 1 }], points: 0 }], grades: [{ grade: 'A' }, { grade: 'B', min: 5 }] });
    expect(r.ok).toBe(false);
    const paths = r.ok ? [] : (r.error.details as unknown as { issues: { path: unknown[] }[] }).issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['model.rules', 'model.rules.9.points', 'model.rules.9.when.0.max', 'model.grades']));
  });

  it('a lead or event that does not read is INVALID_INPUT at its path; an event type no rule counts is not read', () => {
    const m = model();
    const at = (r: ReturnType<typeof scoreLead>) => (r.ok ? null : (r.error.details as unknown as { issues: { path: unknown[] }[] }).issues[0]!.path);
    expect(at(scoreLead(m, { ...LEAD, attributes: { industry: { name: 'retail' } } }, [], NOW))).toEqual(['lead', 'attributes', 'industry']);
    expect(at(scoreLead(m, LEAD, [{ type: 'form.submitted', at: 'yesterday' }], NOW))).toEqual(['events', 0, 'at']);
    expect(at(scoreLead(m, LEAD, [EVENTS[0], { type: 'lead.followedUp', at: NOW, data: { followUp: { channel: Number.NaN } } }], NOW))).toEqual(['events', 1, 'data', 'followUp', 'channel']);
    expect(scoreLead(m, LEAD, [{ type: 'task.created', at: 'whenever' }], NOW).ok).toBe(true);
    expect(at(scoreLead(m, { ...LEAD, id: '' }, [], NOW))).toEqual(['lead', 'id']);
    expect(at(scoreLead(m, LEAD, [], 'soon'))).toEqual(['now']);
    const getter = { id: 'L1', attributes: Object.defineProperty({}, 'industry', { get: () => 'retail', enumerable: true }) };
    expect(at(scoreLead(m, getter, [], NOW))).toEqual(['lead', 'attributes', 'industry']);
  });
});

describe('found by a second reader', () => {
  const m = () => model();
  const at = (r: { ok: boolean; error?: { details: unknown } }) => (r.ok ? null : (r.error!.details as { issues: { path: unknown[] }[] }).issues[0]!.path);

  it('data with an `issue` or `path`/`message` key is data, never taken for a refusal', () => {
    expect(at(scoreLead(m(), { ...LEAD, attributes: { industry: { issue: 'retail' } } }, [], NOW))).toEqual(['lead', 'attributes', 'industry']);
    expect(at(scoreLead(m(), { ...LEAD, attributes: { industry: { path: [], message: 'x' } } }, [], NOW))).toEqual(['lead', 'attributes', 'industry']);
    const ticket = { type: 'lead.followedUp', at: '2026-03-19T09:00:00+08:00', data: { followUp: { channel: 'visit', issue: { path: ['x'], message: 'login fails' } } } };
    expect(unwrap(scoreLead(m(), LEAD, [ticket], NOW)).reasons.find((r) => r.ruleId === 'visits')!.points).toBe(15);
  });

  it('an object at an event condition’s path is present: it meets exists and notIn, not missing or in', () => {
    const rule = (op: 'exists' | 'missing' | 'notIn' | 'in') => ({ ...MODEL, rules: [{ id: 'r', kind: 'behaviour', events: ['x'], where: [op === 'in' || op === 'notIn' ? { path: ['followUp'], op, values: ['visit'] } : { path: ['followUp'], op }], points: 1 }] });
    const event = [{ type: 'x', at: '2026-03-01T00:00:00Z', data: { followUp: { channel: 'visit' } } }];
    const score = (op: 'exists' | 'missing' | 'notIn' | 'in') => unwrap(scoreLead(rule(op), LEAD, event, NOW)).score;
    expect([score('exists'), score('missing'), score('notIn'), score('in')]).toEqual([1, 0, 1, 0]);
  });

  it('half-life fades each event on its own: three events on one day score as three on three days', () => {
    const fading = { ...MODEL, rules: [{ id: 'f', kind: 'behaviour', events: ['x'], points: 5, decay: { kind: 'halfLife', days: 30 } }] };
    const on = (days: string[]) => unwrap(scoreLead(fading, LEAD, days.map((d) => ({ type: 'x', at: `${d}T12:00:00+08:00` })), NOW)).score;
    // 15–17 January are 62–64 days before 20 March: halved twice, 1.25 → 1 each
    expect(on(['2026-01-15', '2026-01-15', '2026-01-15'])).toBe(3);
    expect(on(['2026-01-15', '2026-01-16', '2026-01-17'])).toBe(3);
    // an event whose points faded to nothing is not counted in the reason
    const faded = unwrap(scoreLead({ ...fading, rules: [{ id: 'f', kind: 'behaviour', events: ['x'], points: 1, decay: { kind: 'halfLife', days: 10 } }] }, LEAD, [{ type: 'x', at: '2026-01-01T00:00:00Z' }, { type: 'x', at: NOW }], NOW));
    expect(faded.reasons[0]).toMatchObject({ points: 1, events: 1 });
  });

  it('the answer’s own Date is frozen', () => {
    expect(Object.isFrozen(unwrap(scoreLead(m(), LEAD, EVENTS, NOW)).asOf)).toBe(true);
  });

  it('lead fields are own data read once: a getter is refused uncalled, an inherited field is absent, attributes read once', () => {
    let calls = 0;
    const withGetter = Object.defineProperty({ ...LEAD }, 'channel', { get: () => (calls++, 'tradeShow'), enumerable: true });
    expect(at(scoreLead(m(), withGetter, [], NOW))).toEqual(['lead', 'channel']);
    expect(calls).toBe(0);
    expect(at(scoreLead(m(), Object.create({ id: 'L-1' }) as object, [], NOW))).toEqual(['lead', 'id']);
    let reads = 0;
    const counted = new Proxy({ ...LEAD }, { getOwnPropertyDescriptor: (t, k) => (k === 'attributes' && reads++, Reflect.getOwnPropertyDescriptor(t, k)) });
    expect(unwrap(scoreLead(m(), counted, [], NOW)).score).toBe(55);
    expect(reads).toBe(1);
    expect(at(scoreLead(m(), { ...LEAD, attributes: new Map([['industry', 'retail']]) }, [], NOW))).toEqual(['lead', 'attributes']);
    expect(at(scoreLead(m(), { ...LEAD, attributes: ['retail'] }, [], NOW))).toEqual(['lead', 'attributes']);
  });

  it('a throwing Proxy is refused at its own path', () => {
    const trap = new Proxy({}, { get: () => { throw new Error('boom'); }, getOwnPropertyDescriptor: () => { throw new Error('boom'); } });
    expect(at(scoreLead(m(), { ...LEAD, attributes: trap }, [], NOW))).toEqual(['lead', 'attributes', 'industry']);
    expect(at(scoreLead(m(), LEAD, [EVENTS[0], trap], NOW))).toEqual(['events', 1]);
  });

  it('a state with a day in year 10000 (an instant at the end of 9999 in UTC+14) reads back', () => {
    const kiritimati = unwrap(parseScoringModel({ ...MODEL, zone: 'Pacific/Kiritimati' }));
    const late = [{ type: 'form.submitted', at: '9999-12-31T23:59:59.999Z' }];
    const state = unwrap(startScore(kiritimati, LEAD.id, late));
    expect(state.tallies[0]!.days).toEqual([['10000-01-01', 1]]);
    const stored = JSON.parse(JSON.stringify(state)) as unknown;
    expect(unwrap(scoreFromState(kiritimati, stored, LEAD, '9999-12-31T23:59:59.999Z'))).toEqual(unwrap(scoreLead(kiritimati, LEAD, late, '9999-12-31T23:59:59.999Z')));
  });

  it('two event paths never share a name in reasons', () => {
    const two = unwrap(
      scoreLead(
        { ...MODEL, rules: [{ id: 'dotted', kind: 'behaviour', events: ['x'], where: [{ path: ['a.b'], op: 'exists' }], points: 1 }, { id: 'nested', kind: 'behaviour', events: ['x'], where: [{ path: ['a', 'b'], op: 'exists' }], points: 1 }] },
        LEAD,
        [{ type: 'x', at: '2026-03-01T00:00:00Z', data: { 'a.b': 1, a: { b: 2 } } }],
        NOW,
        { visibleFields: ['data.a.b'] },
      ),
    );
    expect(two.reasons.map((r) => r.conditions[0]!.field)).toEqual(['data["a.b"]', 'data.a.b']);
  });
});
