import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_ERROR_CODES, type ErrorCode } from '../../src/core/codes.js';
import { messagesEn, messagesZhCn } from '../../src/core/messages.js';
import { HOST_RELATIONS, type Actor, type HostRelation } from '../../src/core/permissions.js';
import type { Result } from '../../src/core/result.js';
import {
  advanceOpportunity,
  availableOpportunityOperations,
  canOpportunity,
  closeOpportunity,
  decideOpportunity,
  DEFAULT_OPPORTUNITY_STAGES,
  moveOpportunityToStage,
  openOpportunity,
  OPPORTUNITY_OPERATIONS,
  OPPORTUNITY_TRANSITIONS,
  parseOpportunity,
  parseOpportunityConfig,
  reopenOpportunity,
  stepBackOpportunity,
  type OpenOpportunity,
  type Opportunity,
  type OpportunityCommandInput,
  type OpportunityConfigInput,
  type OpportunityDecision,
} from '../../src/leads/opportunity.js';

const T0 = new Date('2026-03-02T01:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const rep: Actor = { id: 'rep', relations: [] };
const boss: Actor = { id: 'boss', relations: ['ownerSuperior'] };
const admin: Actor = { id: 'admin', relations: ['crmAdmin'] };
const stranger: Actor = { id: 'stranger', relations: [] };

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}
function code(r: Result<unknown>): string {
  if (r.ok) throw new Error('expected a refusal');
  return r.error.code;
}
function error(r: Result<unknown>) {
  if (r.ok) throw new Error('expected a refusal');
  return r.error;
}

function opened(extra: Partial<Parameters<typeof openOpportunity>[0]> = {}, config?: OpportunityConfigInput): OpenOpportunity {
  return value(openOpportunity({ id: 'O1', name: 'ERP 升级项目', customerId: 'C1', ...extra }, { now: T0, actor: rep, config })).opportunity;
}

describe('openOpportunity', () => {
  it('opens at the first stage with its probability, owned by the actor, version 1', () => {
    const r = value(openOpportunity({ id: 'O1', name: 'ERP 升级项目', customerId: 'C1', sourceLeadId: 'L7' }, { now: T0, actor: rep }));
    expect(r.opportunity).toMatchObject({
      id: 'O1',
      status: 'open',
      stageId: 'qualify',
      probability: 10,
      ownerId: 'rep',
      createdBy: 'rep',
      version: 1,
      sourceLeadId: 'L7',
      closeReason: null,
      closedAt: null,
      amount: null,
    });
    expect(r.opportunity.createdAt).toEqual(T0);
    expect(Object.isFrozen(r.opportunity)).toBe(true);
    expect(r.events).toHaveLength(1);
    expect(r.events[0]).toMatchObject({ type: 'opportunity.opened', actorId: 'rep', version: 1, subject: { kind: 'opportunity', id: 'O1' } });
    expect(parseOpportunity(structuredClone(r.opportunity)).ok).toBe(true);
  });

  it('opens at a given stage, for another owner, with an amount in minor units', () => {
    const o = opened({ stageId: 'proposal', ownerId: 'rep2', amount: { minor: 12_345_600, currency: 'CNY' }, expectedCloseDate: '2026-06-30T16:00:00Z' });
    expect(o).toMatchObject({ stageId: 'proposal', probability: 60, ownerId: 'rep2', createdBy: 'rep', amount: { minor: 12_345_600, currency: 'CNY' } });
    expect(o.expectedCloseDate).toEqual(new Date('2026-06-30T16:00:00Z'));
  });

  it('refuses an unknown stage', () => {
    const r = openOpportunity({ id: 'O1', name: 'x', customerId: 'C1', stageId: 'closing' }, { now: T0, actor: rep });
    expect(code(r)).toBe('OPPORTUNITY_STAGE_UNKNOWN');
    expect(error(r).details).toMatchObject({ stageId: 'closing', knownStages: ['qualify', 'needs_confirmed', 'proposal', 'negotiation'] });
  });

  it('refuses a float amount, a bad currency and unknown keys with their paths', () => {
    const r = openOpportunity({ id: 'O1', name: 'x', customerId: 'C1', amount: { minor: 12.5, currency: 'yuan' }, color: 'red' } as never, {
      now: T0,
      actor: rep,
    });
    expect(code(r)).toBe('INVALID_INPUT');
    const paths = (error(r).details.issues as { path: unknown[] }[]).map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['input.amount.minor', 'input.amount.currency', 'input']));
  });
});

describe('a 纷享销客 opportunity: qualify → needs_confirmed → proposal → negotiation → won', () => {
  it('walks every stage with its probability, then wins', () => {
    let o: Opportunity = opened();
    const seen: [string, number][] = [[o.stageId, o.probability]];
    for (let i = 1; i <= 3; i++) {
      const d: OpportunityDecision = value(advanceOpportunity(o as OpenOpportunity, { now: at(i), actor: rep }));
      expect(d.opportunity.version).toBe(o.version + 1);
      expect(d.events[0]).toMatchObject({ type: 'opportunity.advanced', data: { fromStageId: o.stageId, toStageId: d.opportunity.stageId } });
      o = d.opportunity;
      seen.push([o.stageId, o.probability]);
    }
    expect(seen).toEqual([
      ['qualify', 10],
      ['needs_confirmed', 30],
      ['proposal', 60],
      ['negotiation', 80],
    ]);
    const last = advanceOpportunity(o as OpenOpportunity, { now: at(4), actor: rep });
    expect(code(last)).toBe('OPPORTUNITY_NO_NEXT_STAGE');
    expect(error(last).details).toMatchObject({ stageId: 'negotiation' });

    const won = value(closeOpportunity(o as OpenOpportunity, { outcome: 'won' }, { now: at(5), actor: rep }));
    expect(won.opportunity).toMatchObject({ status: 'won', probability: 100, stageId: 'negotiation', closeReason: null, closedBy: 'rep', version: 5 });
    expect(won.opportunity.closedAt).toEqual(at(5));
    expect(won.events[0]).toMatchObject({ type: 'opportunity.closed', data: { outcome: 'won', from: 'open', to: 'won' } });
  });

  it('steps back, but not before the first stage', () => {
    const o = opened({ stageId: 'proposal' });
    const back = value(stepBackOpportunity(o, { now: at(1), actor: rep }));
    expect(back.opportunity).toMatchObject({ stageId: 'needs_confirmed', probability: 30 });
    expect(back.events[0]!.type).toBe('opportunity.steppedBack');
    const first = opened();
    const r = stepBackOpportunity(first, { now: at(1), actor: rep });
    expect(code(r)).toBe('OPPORTUNITY_NO_PREVIOUS_STAGE');
    expect(error(r).details).toMatchObject({ stageId: 'qualify' });
  });
});

describe('moveToStage', () => {
  it('moves one stage forward, or back any distance', () => {
    const o = opened({ stageId: 'needs_confirmed' });
    expect(value(moveOpportunityToStage(o, { stageId: 'proposal' }, { now: at(1), actor: rep })).opportunity.probability).toBe(60);
    const late = opened({ stageId: 'negotiation' });
    const d = value(moveOpportunityToStage(late, { stageId: 'qualify' }, { now: at(1), actor: rep }));
    expect(d.opportunity).toMatchObject({ stageId: 'qualify', probability: 10 });
    expect(d.events[0]).toMatchObject({ type: 'opportunity.movedToStage', data: { fromStageId: 'negotiation', toStageId: 'qualify' } });
  });

  it('refuses a forward jump over stages unless the config allows skipping', () => {
    const o = opened();
    const r = moveOpportunityToStage(o, { stageId: 'negotiation' }, { now: at(1), actor: rep });
    expect(code(r)).toBe('OPPORTUNITY_STAGE_SKIP_NOT_ALLOWED');
    expect(error(r).details).toMatchObject({ from: 'qualify', to: 'negotiation', skipped: ['needs_confirmed', 'proposal'] });
    const overOne = moveOpportunityToStage(o, { stageId: 'proposal' }, { now: at(1), actor: rep });
    expect(error(overOne)).toMatchObject({ code: 'OPPORTUNITY_STAGE_SKIP_NOT_ALLOWED', details: { skipped: ['needs_confirmed'] } });
    const ok = moveOpportunityToStage(o, { stageId: 'negotiation' }, { now: at(1), actor: rep, config: { allowSkip: true } });
    expect(value(ok).opportunity).toMatchObject({ stageId: 'negotiation', probability: 80 });
  });

  it('refuses an unknown stage and the current stage', () => {
    const o = opened();
    const unknown = moveOpportunityToStage(o, { stageId: 'closed' }, { now: at(1), actor: rep });
    expect(code(unknown)).toBe('OPPORTUNITY_STAGE_UNKNOWN');
    expect(error(unknown).details).toMatchObject({ stageId: 'closed' });
    expect(code(moveOpportunityToStage(o, { stageId: 'qualify' }, { now: at(1), actor: rep }))).toBe('OPPORTUNITY_STAGE_UNCHANGED');
  });

  it('uses a custom stage list with its own probabilities', () => {
    const config = {
      stages: [
        { id: 'lead_in', name: '初步接洽', probability: 5 },
        { id: 'demo', name: '产品演示', probability: 40 },
        { id: 'contract', name: '合同', probability: 90 },
      ],
    };
    const o = opened({}, config);
    expect(o).toMatchObject({ stageId: 'lead_in', probability: 5 });
    const d = value(advanceOpportunity(o, { now: at(1), actor: rep, config }));
    expect(d.opportunity).toMatchObject({ stageId: 'demo', probability: 40 });
  });
});

describe('close', () => {
  it('a lost deal needs a reason (blank is no reason)', () => {
    const o = opened({ stageId: 'proposal' });
    for (const reason of [undefined, null, '', '   ']) {
      const r = closeOpportunity(o, { outcome: 'lost', reason }, { now: at(1), actor: rep });
      expect(code(r)).toBe('OPPORTUNITY_CLOSE_REASON_REQUIRED');
      expect(error(r).details).toMatchObject({ outcome: 'lost' });
    }
    const lost = value(closeOpportunity(o, { outcome: 'lost', reason: '  客户选择了竞品  ' }, { now: at(1), actor: rep }));
    expect(lost.opportunity).toMatchObject({ status: 'lost', probability: 0, closeReason: '客户选择了竞品', stageId: 'proposal' });
  });

  it('an invalid opportunity needs a reason too; won does not', () => {
    const o = opened();
    expect(code(closeOpportunity(o, { outcome: 'invalid' }, { now: at(1), actor: rep }))).toBe('OPPORTUNITY_CLOSE_REASON_REQUIRED');
    expect(value(closeOpportunity(o, { outcome: 'invalid', reason: '重复商机' }, { now: at(1), actor: rep })).opportunity).toMatchObject({
      status: 'invalid',
      probability: 0,
    });
    expect(value(closeOpportunity(o, { outcome: 'won', reason: '签约' }, { now: at(1), actor: rep })).opportunity.closeReason).toBe('签约');
  });

  it('cannot close twice or move a closed opportunity', () => {
    const won = value(closeOpportunity(opened(), { outcome: 'won' }, { now: at(1), actor: rep })).opportunity;
    for (const command of [{ type: 'close', outcome: 'lost', reason: 'x' }, { type: 'advance' }, { type: 'stepBack' }, { type: 'moveToStage', stageId: 'proposal' }] as const) {
      const r = decideOpportunity(won, command, { now: at(2), actor: rep });
      expect(code(r)).toBe('OPPORTUNITY_TRANSITION_NOT_ALLOWED');
      expect(error(r).details).toMatchObject({ from: 'won', operation: command.type, allowedFrom: ['open'] });
    }
  });
});

describe('reopen with permission', () => {
  const lost = () => value(closeOpportunity(opened({ stageId: 'negotiation' }), { outcome: 'lost', reason: '预算冻结' }, { now: at(1), actor: rep })).opportunity;

  it('a rep cannot reopen their own lost deal', () => {
    const r = reopenOpportunity(lost(), {}, { now: at(2), actor: rep });
    expect(code(r)).toBe('OPPORTUNITY_PERMISSION_DENIED');
    expect(error(r).details).toMatchObject({ operation: 'reopen', allowedRelations: ['ownerSuperior', 'crmAdmin'] });
  });

  it('their superior can: back to the stage it was closed from, with its probability', () => {
    const d = value(reopenOpportunity(lost(), { reason: '客户重新询价' }, { now: at(2), actor: boss }));
    expect(d.opportunity).toMatchObject({ status: 'open', stageId: 'negotiation', probability: 80, closeReason: null, closedAt: null, closedBy: null, version: 3 });
    expect(d.events[0]).toMatchObject({ type: 'opportunity.reopened', actorId: 'boss', data: { closedAs: 'lost', previousCloseReason: '预算冻结', reason: '客户重新询价' } });
  });

  it('a CRM admin can reopen at another stage; an unknown stage is refused', () => {
    expect(value(reopenOpportunity(lost(), { stageId: 'qualify' }, { now: at(2), actor: admin })).opportunity).toMatchObject({ stageId: 'qualify', probability: 10 });
    expect(code(reopenOpportunity(lost(), { stageId: 'nope' }, { now: at(2), actor: admin }))).toBe('OPPORTUNITY_STAGE_UNKNOWN');
  });

  it('reopening an open opportunity is not a transition', () => {
    const r = decideOpportunity(opened(), { type: 'reopen' }, { now: at(1), actor: admin });
    expect(code(r)).toBe('OPPORTUNITY_TRANSITION_NOT_ALLOWED');
    expect(error(r).details).toMatchObject({ from: 'open', operation: 'reopen', allowedFrom: ['won', 'lost', 'invalid'] });
  });
});

describe('permissions and time', () => {
  it('owner, superior, read-write team, their superior, read-write shares and the CRM admin move a deal; others do not', () => {
    const o = opened();
    const allowed: HostRelation[] = ['ownerSuperior', 'teamMemberReadWrite', 'teamMemberSuperior', 'sharedReadWrite', 'crmAdmin'];
    for (const relation of allowed) {
      expect(advanceOpportunity(o, { now: at(1), actor: { id: 'x', relations: [relation] } }).ok).toBe(true);
    }
    for (const relation of ['poolAdmin', 'poolMember', 'automation'] as const) {
      const r = advanceOpportunity(o, { now: at(1), actor: { id: 'x', relations: [relation] } });
      expect(code(r)).toBe('OPPORTUNITY_PERMISSION_DENIED');
    }
    expect(code(advanceOpportunity(o, { now: at(1), actor: stranger }))).toBe('OPPORTUNITY_PERMISSION_DENIED');
  });

  it('the config may change who does what', () => {
    const config = { permissions: { reopen: ['owner' as const] } };
    const lost = value(closeOpportunity(opened(), { outcome: 'lost', reason: 'x' }, { now: at(1), actor: rep, config })).opportunity;
    expect(reopenOpportunity(lost, {}, { now: at(2), actor: rep, config }).ok).toBe(true);
    expect(code(reopenOpportunity(lost, {}, { now: at(2), actor: boss, config }))).toBe('OPPORTUNITY_PERMISSION_DENIED');
  });

  it('refuses a time before the last change', () => {
    const o = value(advanceOpportunity(opened(), { now: at(10), actor: rep })).opportunity as OpenOpportunity;
    const r = advanceOpportunity(o, { now: at(5), actor: rep });
    expect(code(r)).toBe('OPPORTUNITY_TIME_BEFORE_LAST_CHANGE');
    expect(error(r).details).toMatchObject({ now: at(5), updatedAt: at(10) });
  });
});

describe('questions: canOpportunity, availableOpportunityOperations', () => {
  it('answers from status, permission and the stage list', () => {
    const o = opened();
    expect(availableOpportunityOperations(o, rep)).toEqual(['advance', 'moveToStage', 'close']);
    expect(availableOpportunityOperations(opened({ stageId: 'negotiation' }), rep)).toEqual(['stepBack', 'moveToStage', 'close']);
    expect(availableOpportunityOperations(o, stranger)).toEqual([]);
    const won = value(closeOpportunity(o, { outcome: 'won' }, { now: at(1), actor: rep })).opportunity;
    expect(canOpportunity(won, 'reopen', rep)).toBe(false);
    expect(canOpportunity(won, 'reopen', boss)).toBe(true);
    expect(availableOpportunityOperations(won, admin)).toEqual(['reopen']);
    expect(canOpportunity({ ...o, status: 'bogus' } as never, 'advance', rep)).toBe(false);
  });

  it('exports the transition table as data', () => {
    expect(Object.keys(OPPORTUNITY_TRANSITIONS)).toEqual([...OPPORTUNITY_OPERATIONS]);
    expect(OPPORTUNITY_TRANSITIONS.close).toEqual({ from: ['open'], to: ['won', 'lost', 'invalid'] });
    expect(DEFAULT_OPPORTUNITY_STAGES.map((s) => s.probability)).toEqual([10, 30, 60, 80]);
  });
});

describe('bad input → INVALID_INPUT with paths', () => {
  const issuePaths = (r: Result<unknown>) => (error(r).details.issues as { path: unknown[] }[]).map((i) => i.path.join('.'));

  it('unknown keys in the command and the context', () => {
    const o = opened();
    const r1 = decideOpportunity(o, { type: 'advance', force: true } as never, { now: at(1), actor: rep });
    expect(code(r1)).toBe('INVALID_INPUT');
    expect(error(r1).details.issues).toEqual([expect.objectContaining({ path: ['command'], code: 'unrecognized_keys' })]);
    const r2 = decideOpportunity(o, { type: 'advance' }, { now: at(1), actor: rep, tenant: 't1' } as never);
    expect(issuePaths(r2)).toEqual(['context']);
  });

  it('garbage dates', () => {
    const o = opened();
    expect(issuePaths(decideOpportunity(o, { type: 'advance' }, { now: 'next tuesday', actor: rep }))).toEqual(['context.now']);
    expect(issuePaths(decideOpportunity(o, { type: 'advance' }, { now: new Date('nope'), actor: rep }))).toEqual(['context.now']);
    expect(issuePaths(decideOpportunity({ ...o, updatedAt: '2026-13-45' } as never, { type: 'advance' }, { now: at(1), actor: rep }))).toEqual([
      'opportunity.updatedAt',
    ]);
  });

  it('unknown status, unknown command type, unknown outcome, owner relation from the host', () => {
    const o = opened();
    expect(issuePaths(decideOpportunity({ ...o, status: 'paused' } as never, { type: 'advance' }, { now: at(1), actor: rep }))).toEqual([
      'opportunity.status',
    ]);
    expect(issuePaths(decideOpportunity(o, { type: 'win' } as never, { now: at(1), actor: rep }))).toEqual(['command.type']);
    expect(issuePaths(decideOpportunity(o, { type: 'close', outcome: 'maybe' } as never, { now: at(1), actor: rep }))).toEqual(['command.outcome']);
    expect(issuePaths(decideOpportunity(o, { type: 'advance' }, { now: at(1), actor: { id: 'x', relations: ['owner'] } } as never))).toEqual([
      'context.actor.relations.0',
    ]);
  });

  it('a stored opportunity that breaks its own rules', () => {
    const o = opened();
    expect(issuePaths(parseOpportunity({ ...o, status: 'lost', probability: 0, closeReason: null, closedAt: at(1), closedBy: 'rep', updatedAt: at(1) }))).toEqual([
      'opportunity.closeReason',
    ]);
    expect(issuePaths(parseOpportunity({ ...o, status: 'won', probability: 80, closeReason: null, closedAt: at(0), closedBy: 'rep' }))).toEqual([
      'opportunity.probability',
    ]);
    expect(issuePaths(parseOpportunity({ ...o, closedAt: at(0) }))).toEqual(['opportunity.closedAt']);
    expect(issuePaths(parseOpportunity({ ...o, updatedAt: new Date(T0.getTime() - 1) }))).toEqual(['opportunity.updatedAt']);
  });

  it('a config with duplicate stage ids or a probability over 100', () => {
    const r = parseOpportunityConfig({
      stages: [
        { id: 'a', name: 'A', probability: 10 },
        { id: 'a', name: 'A2', probability: 101 },
      ],
    });
    expect(code(r)).toBe('INVALID_INPUT');
    expect(issuePaths(r)).toEqual(expect.arrayContaining(['config.stages.1.probability']));
    expect(code(parseOpportunityConfig({ stages: [{ id: 'a', name: 'A', probability: 1 }, { id: 'a', name: 'B', probability: 2 }] }))).toBe('INVALID_INPUT');
    expect(code(parseOpportunityConfig({ stages: [] }))).toBe('INVALID_INPUT');
  });

  it('type-level: a closed opportunity is not a valid input to advance', () => {
    const won = value(closeOpportunity(opened(), { outcome: 'won' }, { now: at(1), actor: rep })).opportunity;
    // @ts-expect-error a won opportunity cannot be advanced
    expect(code(advanceOpportunity(won, { now: at(2), actor: rep }))).toBe('OPPORTUNITY_TRANSITION_NOT_ALLOWED');
    // @ts-expect-error an open opportunity cannot be reopened
    expect(code(reopenOpportunity(opened(), {}, { now: at(2), actor: admin }))).toBe('OPPORTUNITY_TRANSITION_NOT_ALLOWED');
  });
});

describe('messages', () => {
  it('every opportunity code has an English and a Chinese message', () => {
    const codes = ALL_ERROR_CODES.filter((c) => c.startsWith('OPPORTUNITY_'));
    expect(codes).toContain('OPPORTUNITY_TIME_BEFORE_LAST_CHANGE');
    for (const c of codes) {
      expect(messagesEn[c]).toBeTruthy();
      expect(messagesZhCn[c]).toBeTruthy();
    }
  });
});

/* ------------------------------------------------------------------------ properties */

const stageConfigArb = fc
  .record({
    probabilities: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 6 }),
    allowSkip: fc.boolean(),
  })
  .map(({ probabilities, allowSkip }) => ({
    stages: probabilities.map((probability, i) => ({ id: `s${i}`, name: `Stage ${i}`, probability })),
    allowSkip,
  }));

const actorArb: fc.Arbitrary<Actor> = fc.record({
  id: fc.constantFrom('rep', 'other'),
  relations: fc.subarray([...HOST_RELATIONS]),
});

const commandArb: fc.Arbitrary<OpportunityCommandInput> = fc.oneof(
  fc.constant({ type: 'advance' as const }),
  fc.constant({ type: 'stepBack' as const }),
  fc.record({ type: fc.constant('moveToStage' as const), stageId: fc.constantFrom('s0', 's1', 's2', 's3', 's4', 's5', 'nope') }),
  fc.record(
    { type: fc.constant('close' as const), outcome: fc.constantFrom('won' as const, 'lost' as const, 'invalid' as const), reason: fc.constantFrom('', '  ', '价格太高', null) },
    { requiredKeys: ['type', 'outcome'] },
  ),
  fc.record(
    { type: fc.constant('reopen' as const), stageId: fc.constantFrom('s0', 's2', 'nope'), reason: fc.constant('重新评估') },
    { requiredKeys: ['type'] },
  ),
);

const stepArb = fc.record({
  command: commandArb,
  actor: actorArb,
  // mostly forward in time, sometimes (refused) backward
  minutes: fc.integer({ min: -30, max: 3 * 24 * 60 }),
});

const KNOWN_REFUSALS: ErrorCode[] = [
  'OPPORTUNITY_TRANSITION_NOT_ALLOWED',
  'OPPORTUNITY_PERMISSION_DENIED',
  'OPPORTUNITY_STAGE_UNKNOWN',
  'OPPORTUNITY_NO_NEXT_STAGE',
  'OPPORTUNITY_NO_PREVIOUS_STAGE',
  'OPPORTUNITY_CLOSE_REASON_REQUIRED',
  'OPPORTUNITY_STAGE_UNCHANGED',
  'OPPORTUNITY_STAGE_SKIP_NOT_ALLOWED',
  'OPPORTUNITY_TIME_BEFORE_LAST_CHANGE',
];

function expectedProbability(o: Opportunity, config: { stages: { id: string; probability: number }[] }): number {
  if (o.status === 'won') return 100;
  if (o.status !== 'open') return 0;
  const stage = config.stages.find((s) => s.id === o.stageId);
  if (!stage) throw new Error(`open opportunity at unknown stage ${o.stageId}`);
  return stage.probability;
}

describe('properties', () => {
  it('random operations by random actors stay inside the transition table and keep every invariant', () => {
    fc.assert(
      fc.property(stageConfigArb, fc.array(stepArb, { minLength: 1, maxLength: 40 }), (config, steps) => {
        let opp: Opportunity = value(openOpportunity({ id: 'O1', name: 'deal', customerId: 'C1' }, { now: T0, actor: rep, config })).opportunity;
        let now = T0;
        expect(opp.probability).toBe(expectedProbability(opp, config));
        for (const { command, actor, minutes } of steps) {
          now = new Date(now.getTime() + minutes * 60_000);
          const before = structuredClone(opp);
          const commandBefore = structuredClone(command);
          const ctx = { now, actor, config };
          const r: Result<OpportunityDecision> = decideOpportunity(opp, command, ctx);
          expect(opp).toEqual(before);
          expect(command).toEqual(commandBefore);
          const row = OPPORTUNITY_TRANSITIONS[command.type];
          if (r.ok) {
            const next = r.value.opportunity;
            expect(row.from).toContain(opp.status);
            expect(row.to).toContain(next.status);
            expect(next.version).toBe(opp.version + 1);
            expect(r.value.events.length).toBeGreaterThanOrEqual(1);
            for (const e of r.value.events) {
              expect(e.version).toBe(next.version);
              expect(e.subject).toEqual({ kind: 'opportunity', id: 'O1' });
              expect(e.at).toEqual(now);
            }
            expect(next.probability).toBe(expectedProbability(next, config));
            expect(Object.isFrozen(next)).toBe(true);
            expect(parseOpportunity(structuredClone(next)).ok).toBe(true);
            expect(canOpportunity(opp, command.type, actor, config)).toBe(true);
            if (next.status === 'lost' || next.status === 'invalid') expect(next.closeReason?.trim()).toBeTruthy();
            const index = (id: string) => config.stages.findIndex((st) => st.id === id);
            if (command.type === 'advance') expect(index(next.stageId)).toBe(index(opp.stageId) + 1);
            if (command.type === 'stepBack') expect(index(next.stageId)).toBe(index(opp.stageId) - 1);
            if (command.type === 'moveToStage') {
              expect(next.stageId).toBe(command.stageId);
              if (!config.allowSkip) expect(index(next.stageId)).toBeLessThanOrEqual(index(opp.stageId) + 1);
            }
            if (command.type !== 'close') expect(next.stageId === opp.stageId).toBe(command.type === 'reopen' && (command.stageId ?? opp.stageId) === opp.stageId);
            opp = next;
          } else {
            expect(KNOWN_REFUSALS).toContain(r.error.code);
            if (!row.from.includes(opp.status)) expect(r.error.code).toBe('OPPORTUNITY_TRANSITION_NOT_ALLOWED');
            else if (r.error.code === 'OPPORTUNITY_TRANSITION_NOT_ALLOWED') throw new Error('refused a transition the table allows');
            if (r.error.code === 'OPPORTUNITY_TIME_BEFORE_LAST_CHANGE') expect(now.getTime()).toBeLessThan(opp.updatedAt.getTime());
            if (now.getTime() < opp.updatedAt.getTime()) now = opp.updatedAt;
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('canOpportunity is false exactly when no command of that operation could succeed for that actor', () => {
    fc.assert(
      fc.property(stageConfigArb, fc.array(stepArb, { maxLength: 15 }), actorArb, (config, steps, probe) => {
        let opp: Opportunity = value(openOpportunity({ id: 'O1', name: 'deal', customerId: 'C1' }, { now: T0, actor: rep, config })).opportunity;
        let now = T0;
        for (const { command, actor, minutes } of steps) {
          now = new Date(now.getTime() + Math.abs(minutes) * 60_000);
          const r = decideOpportunity(opp, command, { now, actor, config });
          if (r.ok) opp = r.value.opportunity;
        }
        const later = new Date(now.getTime() + 60_000);
        const candidates: OpportunityCommandInput[] = [
          { type: 'advance' },
          { type: 'stepBack' },
          ...config.stages.map((s) => ({ type: 'moveToStage' as const, stageId: s.id })),
          { type: 'close', outcome: 'lost', reason: 'r' },
          { type: 'reopen' },
          ...config.stages.map((s) => ({ type: 'reopen' as const, stageId: s.id })),
        ];
        for (const operation of OPPORTUNITY_OPERATIONS) {
          const anySucceeds = candidates
            .filter((c) => c.type === operation)
            .some((c) => decideOpportunity(opp, c, { now: later, actor: probe, config }).ok);
          expect(canOpportunity(opp, operation, probe, config)).toBe(anySucceeds);
        }
      }),
      { numRuns: 200 },
    );
  });
});
