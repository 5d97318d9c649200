import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  availableLeadOperations,
  availableOpportunityOperations,
  canLead,
  canOpportunity,
  decideLead,
  decideOpportunity,
  DEFAULT_LEAD_POLICY,
  DEFAULT_OPPORTUNITY_CONFIG,
  LEAD_OPERATIONS,
  leadOperationRelations,
  leadPolicySchema,
  OPPORTUNITY_OPERATIONS,
  opportunityConfigSchema,
  opportunityOperationRelations,
  parseLeadPolicy,
  parseOpportunityConfig,
  type Lead,
  type LeadPolicy,
  type Opportunity,
  type OpportunityConfig,
} from '../../src/leads/index.js';
import { HOST_RELATIONS } from '../../src/core/index.js';
import { actorArb, leadArb, leadCommandArb, leadPolicyArb, opportunityArb } from '../../src/testing/index.js';
import { error, issuePaths, value } from '../support.js';
import { crmAdmin, ctx, leadIn, rep } from './fixtures.js';

/*
 * A policy (or an opportunity configuration) the library returned, or any copy of it, works
 * like the original: the parse of a copy gives the same policy, and the parsed value itself is
 * taken back as it is, without a parse.
 */

const codeOf = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code);

/** The copies a host makes of a parsed policy: a spread, a JSON round trip (a database), a structured clone. */
const copiesOf = <T extends object>(p: T): T[] => [{ ...p }, JSON.parse(JSON.stringify(p)) as T, structuredClone(p)];

/** What the menus and the rules answer under a policy, for one lead and actor. */
function leadAnswers(lead: Lead, actor: Parameters<typeof canLead>[2], policy: unknown) {
  const p = policy as LeadPolicy;
  return {
    can: LEAD_OPERATIONS.map((op) => canLead(lead, op, actor, p)),
    available: availableLeadOperations(lead, actor, p),
    relations: LEAD_OPERATIONS.map((op) => leadOperationRelations(op, p)),
  };
}

describe('a copy of a valid lead policy works like the original', () => {
  it('a spread copy of DEFAULT_LEAD_POLICY answers like the default (it used to answer "no" to everything)', () => {
    const lead = leadIn('unassigned');
    expect(canLead(lead, 'claim', rep, { ...DEFAULT_LEAD_POLICY })).toBe(true);
    expect(availableLeadOperations(lead, rep, { ...DEFAULT_LEAD_POLICY })).toEqual(availableLeadOperations(lead, rep));
    expect(leadOperationRelations('restore', { ...DEFAULT_LEAD_POLICY })).toEqual(['crmAdmin']);
    expect(value(parseLeadPolicy({ ...DEFAULT_LEAD_POLICY }))).toEqual(DEFAULT_LEAD_POLICY);
  });

  it('a parsed policy in a context is accepted (it used to be refused: "unrecognized keys restore, correctStage")', () => {
    const policy = value(parseLeadPolicy({ permissions: { claim: ['poolMember', 'ownerSuperior'] } }));
    expect(codeOf(decideLead(leadIn('unassigned'), { type: 'claim' }, { ...ctx(rep, 5), policy }))).toBe('ok');
    expect(codeOf(decideLead(leadIn('voided'), { type: 'restore' }, { ...ctx(crmAdmin, 10), policy: JSON.parse(JSON.stringify(policy)) }))).toBe('ok');
  });

  it('restore and correctStage may be named only with the relations they keep', () => {
    expect(value(parseLeadPolicy({ permissions: { restore: ['crmAdmin'], correctStage: ['crmAdmin', 'crmAdmin'] } })).permissions.restore).toEqual(['crmAdmin']);
    expect(issuePaths(parseLeadPolicy({ permissions: { restore: ['crmAdmin', 'owner'] } }))).toEqual(['policy.permissions']);
    expect(issuePaths(parseLeadPolicy({ permissions: { correctStage: [] } }))).toEqual(['policy.permissions']);
    expect(error(parseLeadPolicy({ permissions: { correctStage: ['owner'] } })).message).toContain('correctStage stays with the CRM admin');
    expect(issuePaths(parseLeadPolicy({ permissions: { archive: ['owner'] } } as never))).toEqual(['policy.permissions.archive']);
    expect(issuePaths(parseLeadPolicy({ permissions: JSON.parse('{"__proto__": ["owner"]}') }))).toEqual(['policy.permissions.__proto__']);
  });

  it('a parsed policy is taken back as it is, never parsed again (its own arrays come back)', () => {
    const policy = value(parseLeadPolicy({ permissions: { claim: ['poolMember'] } }));
    expect(value(parseLeadPolicy(policy))).toBe(policy);
    expect(leadPolicySchema.parse(policy)).toBe(policy);
    for (const op of LEAD_OPERATIONS) expect(leadOperationRelations(op, policy)).toBe(policy.permissions[op]);
    expect(leadOperationRelations('claim')).toBe(DEFAULT_LEAD_POLICY.permissions.claim);
    // in a context too: the refusal names the policy's own list
    const denied = decideLead(leadIn('unassigned'), { type: 'claim' }, { now: new Date('2027-01-01T00:00:00Z'), actor: { id: 'x', relations: [] }, policy });
    expect(error(denied).details.allowedRelations).toBe(policy.permissions.claim);
    // a copy is parsed (a new value), and that one is trusted in turn
    const copy = value(parseLeadPolicy({ ...policy }));
    expect(copy).not.toBe(policy);
    expect(copy).toEqual(policy);
    expect(value(parseLeadPolicy(copy))).toBe(copy);
  });

  it('property: any policy the parser accepts — passed back, spread, through JSON or cloned — gives the same answers as the parsed one', () => {
    fc.assert(
      fc.property(
        leadPolicyArb(),
        leadArb({ maxSteps: 5 }),
        actorArb({ relations: [...HOST_RELATIONS] }),
        fc.boolean(),
        leadCommandArb(),
        (input, lead: Lead, actor, asOwner, command) => {
          const parsed = value(parseLeadPolicy(input));
          const who = asOwner && lead.ownerId !== null ? { ...actor, id: lead.ownerId } : actor;
          const expected = leadAnswers(lead, who, parsed);
          const context = { now: new Date('2028-01-01T00:00:00Z'), actor: who };
          const decided = decideLead(lead, command, { ...context, policy: parsed });
          expect(codeOf(decided)).not.toBe('INVALID_INPUT');
          for (const policy of [parsed, input, ...copiesOf(parsed)]) {
            expect(value(parseLeadPolicy(policy))).toEqual(parsed);
            expect(leadAnswers(lead, who, policy)).toEqual(expected);
            expect(decideLead(lead, command, { ...context, policy })).toEqual(decided);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('a copy of a valid opportunity configuration works like the original', () => {
  const owner = (o: Opportunity) => ({ id: o.ownerId, relations: [] });

  it('a parsed configuration is taken back as it is; a spread copy of the default answers like the default', () => {
    const config = value(parseOpportunityConfig({ allowSkip: true, permissions: { reopen: ['owner'] } }));
    expect(value(parseOpportunityConfig(config))).toBe(config);
    expect(opportunityConfigSchema.parse(config)).toBe(config);
    expect(opportunityOperationRelations('reopen', config)).toBe(config.permissions.reopen);
    expect(opportunityOperationRelations('advance', { ...DEFAULT_OPPORTUNITY_CONFIG })).toEqual(DEFAULT_OPPORTUNITY_CONFIG.permissions.advance);
    expect(value(parseOpportunityConfig({ ...DEFAULT_OPPORTUNITY_CONFIG }))).toEqual(DEFAULT_OPPORTUNITY_CONFIG);
    expect(issuePaths(parseOpportunityConfig({ permissions: { archive: [] } } as never))).toEqual(['config.permissions.archive']);
  });

  it('property: any parsed configuration — passed back, spread, through JSON or cloned — gives the same answers', () => {
    const configArb = fc.record(
      {
        allowSkip: fc.boolean(),
        permissions: fc.dictionary(fc.constantFrom(...OPPORTUNITY_OPERATIONS), fc.subarray(['owner' as const, ...HOST_RELATIONS]), { maxKeys: 3 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(configArb, opportunityArb(), fc.constantFrom(...OPPORTUNITY_OPERATIONS), (input, opp: Opportunity, op) => {
        const parsed = value(parseOpportunityConfig(input));
        const answers = (config: OpportunityConfig) => ({
          available: availableOpportunityOperations(opp, owner(opp), config),
          can: canOpportunity(opp, op, owner(opp), config),
          relations: opportunityOperationRelations(op, config),
          decided: codeOf(decideOpportunity(opp, { type: 'advance' }, { now: new Date('2029-01-01T00:00:00Z'), actor: owner(opp), config })),
        });
        const expected = answers(parsed);
        expect(expected.decided).not.toBe('INVALID_INPUT');
        for (const config of [parsed, ...copiesOf(parsed)]) expect(answers(config)).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });
});
