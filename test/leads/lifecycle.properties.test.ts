import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  canLead,
  createLead,
  decideLead,
  LEAD_TRANSITIONS,
  leadCommandSchema,
  leadStageRank,
  leadTransitionEdges,
  parseLead,
  type Lead,
  type LeadCommandInput,
} from '../../src/leads/index.js';
import { ALL_ERROR_CODES, HOST_RELATIONS, type Actor } from '../../src/core/index.js';

const T0 = Date.parse('2026-03-02T01:00:00Z');
const USERS = ['rep-li', 'rep-wang', 'mgr-zhao', 'pool-admin', 'crm-admin', 'system'] as const;
const POOLS = ['pool-east', 'pool-west'] as const;
const EDGES = new Set(leadTransitionEdges().map((e) => `${e.operation}:${e.from}:${e.to}`));

const actorArb: fc.Arbitrary<Actor> = fc.record({
  id: fc.constantFrom(...USERS),
  relations: fc.subarray([...HOST_RELATIONS]),
});

const idArb = fc.constantFrom('a', 'b', 'c');
const textArb = fc.constantFrom('called', '客户有意向', ' ', 'x'.repeat(3));
const commandArb: fc.Arbitrary<LeadCommandInput> = fc.oneof(
  fc.record({ type: fc.constant('assign' as const), ownerId: fc.constantFrom(...USERS) }),
  fc.constant({ type: 'claim' as const }),
  fc.record({ type: fc.constantFrom('followUp' as const, 'markMql' as const), followUpId: idArb, result: textArb }),
  fc.record({ type: fc.constant('markInvalid' as const), reason: textArb }),
  fc.constant({ type: 'reopen' as const }),
  fc.record({
    type: fc.constant('return' as const),
    reason: fc.record({ code: fc.constantFrom('unreachable', 'no_need', 'other', 'bogus') }, { requiredKeys: ['code'] }),
  }),
  fc.record({ type: fc.constant('reclaim' as const), ruleId: idArb }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('transfer' as const), toPoolId: fc.constantFrom(...POOLS) }),
  fc.record(
    {
      type: fc.constant('convert' as const),
      customer: fc.oneof(
        fc.record({ kind: fc.constant('new' as const), customerId: idArb, name: fc.constant('腾飞科技') }),
        fc.record({ kind: fc.constant('existing' as const), customerId: idArb }),
      ),
      opportunity: fc.record({ opportunityId: idArb, name: fc.constant('采购') }),
    },
    { requiredKeys: ['type', 'customer'] },
  ),
  fc.record({ type: fc.constant('void' as const) }),
  fc.constant({ type: 'restore' as const }),
  fc.record({ type: fc.constant('correctStage' as const), stage: fc.constantFrom('lead', 'mql', 'sql', 'opportunity'), reason: fc.constant('fix') }),
  fc.record({ type: fc.constant('linkOpportunity' as const), opportunityId: idArb }),
  fc.record({ type: fc.constant('changeOwner' as const), ownerId: fc.constantFrom(...USERS) }),
);

const stepArb = fc.record({ command: commandArb, actor: actorArb, minutes: fc.integer({ min: 0, max: 60 * 24 * 3 }) });

const startArb = fc.record({
  source: fc.constantFrom('manual' as const, 'import' as const),
  creator: actorArb,
  poolId: fc.option(fc.constantFrom(...POOLS), { nil: null }),
});

function start(s: { source: 'manual' | 'import'; creator: Actor; poolId: string | null }): Lead {
  const input = { id: 'L-1', source: s.source, name: '张伟', poolId: s.poolId ?? (s.source === 'import' ? 'pool-east' : null) };
  const created = createLead(input, { now: new Date(T0), actor: { ...s.creator, relations: ['poolAdmin'] } });
  if (!created.ok) throw new Error(created.error.message);
  return created.value.lead;
}

const KNOWN_CODES = new Set<string>(ALL_ERROR_CODES);

describe('lead lifecycle properties', () => {
  it('random operations by random actors stay inside the table, keep every invariant, and never touch their input', () => {
    fc.assert(
      fc.property(startArb, fc.array(stepArb, { minLength: 1, maxLength: 40 }), (s, steps) => {
        let lead = start(s);
        let clock = T0;
        for (const { command, actor, minutes } of steps) {
          clock += minutes * 60_000;
          const before = structuredClone(lead);
          const result = decideLead(lead, command, { now: new Date(clock), actor });
          expect(lead).toEqual(before); // the input is untouched whatever happened
          const op = command.type;
          const allowedByTable = LEAD_TRANSITIONS[op].from.includes(lead.status);
          if (!leadCommandSchema.safeParse(command).success) {
            expect(!result.ok && result.error.code).toBe('INVALID_INPUT');
            continue;
          }
          if (!result.ok) {
            expect(KNOWN_CODES.has(result.error.code)).toBe(true);
            expect(result.error.code).not.toBe('INVALID_INPUT');
            if (!allowedByTable) expect(result.error.code).toBe('LEAD_TRANSITION_NOT_ALLOWED');
            else expect(result.error.code).not.toBe('LEAD_TRANSITION_NOT_ALLOWED');
            if (allowedByTable && !canLead(lead, op, actor)) {
              // canLead also folds in the one stage guard of the table (markMql needs stage "lead")
              expect(['LEAD_PERMISSION_DENIED', 'LEAD_ALREADY_MQL', 'LEAD_OPPORTUNITY_ALREADY_LINKED']).toContain(result.error.code);
            }
            continue;
          }
          const next = result.value.lead;
          expect(canLead(lead, op, actor)).toBe(true);
          expect(EDGES.has(`${op}:${lead.status}:${next.status}`)).toBe(true);
          expect(next.version).toBe(lead.version + 1);
          expect(result.value.events.length).toBeGreaterThanOrEqual(1);
          expect(result.value.events.every((e) => e.version === next.version && e.subject.id === lead.id)).toBe(true);
          expect(lead.status === 'converted' ? next.status : 'n/a').toBe(lead.status === 'converted' ? 'converted' : 'n/a');
          if (op === 'restore') {
            expect(actor.relations).toContain('crmAdmin');
            expect(lead.status === 'voided' && next.status).toBe(lead.status === 'voided' && lead.voiding.from);
          }
          if (op !== 'correctStage') expect(leadStageRank(next.stage)).toBeGreaterThanOrEqual(leadStageRank(lead.stage));
          else expect(actor.relations).toContain('crmAdmin');
          // pooledAt: set to this step's time exactly when the lead lands unowned in a pool, cleared by an owner
          // (a lead reopened or restored to unassigned re-enters its pool's queue)
          const landed = op === 'return' || op === 'reclaim' || op === 'transfer' || ((op === 'reopen' || op === 'restore') && next.status === 'unassigned');
          if (landed) expect(next.pooledAt).toEqual(new Date(clock));
          else if (next.ownerId !== null) expect(next.pooledAt).toBeNull();
          else expect(next.pooledAt).toEqual(lead.pooledAt);
          expect(parseLead(structuredClone(next)).ok).toBe(true); // a copy: validated in full, not trusted
          expect(Object.isFrozen(next)).toBe(true);
          lead = next;
        }
      }),
      { numRuns: 400 },
    );
  });

  it('a voided lead restored by a CRM admin comes back exactly as it was, but for version and time', () => {
    fc.assert(
      fc.property(startArb, fc.array(stepArb, { maxLength: 15 }), actorArb, (s, steps, voider) => {
        let lead = start(s);
        let clock = T0;
        for (const { command, actor, minutes } of steps) {
          clock += minutes * 60_000;
          const r = decideLead(lead, command, { now: new Date(clock), actor });
          if (r.ok) lead = r.value.lead;
        }
        const voided = decideLead(lead, { type: 'void' }, { now: new Date(clock + 1), actor: { ...voider, relations: ['crmAdmin'] } });
        if (!voided.ok) {
          expect(['voided', 'converted']).toContain(lead.status);
          return;
        }
        const restored = decideLead(voided.value.lead, { type: 'restore' }, { now: new Date(clock + 2), actor: { id: 'crm-admin', relations: ['crmAdmin'] } });
        expect(restored.ok).toBe(true);
        if (!restored.ok) return;
        const { version, updatedAt, pooledAt, ...rest } = restored.value.lead;
        const { version: v0, updatedAt: u0, pooledAt: p0, ...original } = lead;
        expect(rest).toEqual(original);
        // back in its pool unowned, it re-enters the queue now; otherwise pooledAt is as it was
        expect(pooledAt).toEqual(lead.status === 'unassigned' ? new Date(clock + 2) : p0);
        expect(version).toBe(v0 + 2);
      }),
      { numRuns: 200 },
    );
  });

  it('garbage in any field is INVALID_INPUT, never a throw', () => {
    const valid = start({ source: 'import', creator: { id: 'pool-admin', relations: [] }, poolId: 'pool-east' });
    const keys = Object.keys(valid);
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.anything(), commandArb, actorArb, (key, junk, command, actor) => {
        const bad = { ...valid, [key]: junk };
        const parsed = parseLead(bad);
        const r = decideLead(bad as Lead, command, { now: new Date(T0 + 60_000), actor });
        if (!parsed.ok) expect(!r.ok && r.error.code).toBe('INVALID_INPUT');
      }),
      { numRuns: 500 },
    );
  });
});
