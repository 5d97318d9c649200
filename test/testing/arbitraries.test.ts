import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/adapters/memory/index.js';
import { blockingKeys, createDedupeService, DEFAULT_RULE_SETS, dedupeRecordSchema, ruleSetSchema } from '../../src/dedupe/index.js';
import {
  createLead,
  createLeadInputSchema,
  decideLead,
  leadCommandSchema,
  leadPolicySchema,
  parseLead,
  parseOpportunity,
} from '../../src/leads/index.js';
import {
  createPoolService,
  parsePoolPolicy,
  poolCustomerSchema,
  poolMemberSchema,
  poolRecordViewSchema,
  reclaimExtensionCommandSchema,
  type PoolPolicyInput,
} from '../../src/pools/index.js';
import * as kit from '../../src/testing/index.js';

const accepts = (schema: { safeParse(x: unknown): { success: boolean } }) => (x: unknown) => schema.safeParse(x).success;
const runs = { numRuns: 150 };

describe('arbitraries: valid values pass the modules’ own doors, invalid ones never do', () => {
  const pairs: [string, fc.Arbitrary<unknown>, fc.Arbitrary<unknown>, (x: unknown) => boolean][] = [
    ['create-lead input', kit.createLeadInputArb(), kit.invalidCreateLeadInputArb(), accepts(createLeadInputSchema)],
    ['lead command', kit.leadCommandArb(), kit.invalidLeadCommandArb(), accepts(leadCommandSchema)],
    ['lead', kit.leadArb(), kit.invalidLeadArb(), (x) => parseLead(x as never).ok],
    ['lead policy', kit.leadPolicyArb(), kit.invalidLeadPolicyArb(), accepts(leadPolicySchema)],
    ['opportunity', kit.opportunityArb(), kit.invalidOpportunityArb(), (x) => parseOpportunity(x).ok],
    ['pool policy', kit.poolPolicyArb(), kit.invalidPoolPolicyArb(), (x) => parsePoolPolicy(x as PoolPolicyInput).ok],
    ['pool member', kit.poolMemberArb(), kit.invalidPoolMemberArb(), accepts(poolMemberSchema)],
    ['pool customer', kit.poolCustomerArb(), kit.invalidPoolCustomerArb(), accepts(poolCustomerSchema)],
    ['pool record view', kit.poolRecordViewArb(), kit.invalidPoolRecordViewArb(), accepts(poolRecordViewSchema)],
    ['reclaim extension command', kit.reclaimExtensionCommandArb(), kit.invalidReclaimExtensionCommandArb(), accepts(reclaimExtensionCommandSchema)],
    ['dedupe record', kit.dedupeRecordArb(), kit.invalidDedupeRecordArb(), accepts(dedupeRecordSchema)],
    ['rule set', kit.ruleSetArb(), kit.invalidRuleSetArb(), accepts(ruleSetSchema)],
  ];
  for (const [name, valid, invalid, check] of pairs) {
    it(name, () => {
      fc.assert(fc.property(valid, (x) => check(x)), runs);
      fc.assert(fc.property(invalid, (x) => !check(x)), runs);
    });
  }

  it('leads walked through the rules reach many statuses', () => {
    const statuses = new Set(fc.sample(kit.leadArb(), 400).map((l) => l.status));
    expect([...statuses].sort()).toEqual(['converted', 'following', 'invalid', 'pending', 'unassigned', 'voided']);
  });

  it('created leads and decided commands never throw: every answer is a Result', () => {
    fc.assert(
      fc.property(kit.leadArb({ maxSteps: 3 }), kit.leadCommandArb(), kit.actorArb(), kit.instantArb({ min: new Date('2027-06-01T00:00:00Z') }), (lead, command, actor, now) => {
        const r = decideLead(lead, command, { now, actor });
        expect(typeof r.ok).toBe('boolean');
      }),
      runs,
    );
    fc.assert(fc.property(kit.createLeadInputArb(), kit.actorArb(), kit.instantArb(), (input, actor, now) => typeof createLead(input, { now, actor }).ok === 'boolean'), runs);
  });
});

describe('pool requests against the service', () => {
  const policy: PoolPolicyInput = { id: 'gh-east', kind: 'customer', zone: 'Asia/Shanghai', admins: ['admin-zhou'], members: { users: ['rep-li', 'rep-wang'] } };
  const forms = [
    {
      form: 'the calling convention (poolCallArb)',
      good: kit.poolCallArb({ poolId: 'gh-east', recordKind: 'customer', recordIds: ['C-1', 'C-2'] }),
      bad: kit.invalidPoolCallArb(),
      argsOf: (c: kit.PoolServiceCall): readonly unknown[] => c.args,
    },
    {
      form: 'the deprecated one-object requests (poolRequestArb)',
      good: kit.poolRequestArb({ poolId: 'gh-east', recordKind: 'customer', recordIds: ['C-1', 'C-2'] }),
      bad: kit.invalidPoolRequestArb(),
      argsOf: (r: { request: unknown }): readonly unknown[] => [r.request],
    },
  ] as const;
  for (const { form, good: goodArb, bad: badArb, argsOf } of forms) {
    it(`${form}: a well-formed call is never INVALID_INPUT; a malformed one always is, and writes nothing`, async () => {
      await fc.assert(
        fc.asyncProperty(goodArb as fc.Arbitrary<never>, badArb as fc.Arbitrary<never>, async (good: { operation: string }, bad: { operation: string }) => {
          const store = createMemoryStore();
          store.putPolicy(policy);
          store.putPolicy({ ...policy, id: 'gh-north' });
          for (const id of ['C-1', 'C-2']) store.putCustomer(kit_customer(id));
          const pools = createPoolService({ store });
          const call = (r: { operation: string }) =>
            (pools as unknown as Record<string, (...x: unknown[]) => Promise<{ ok: boolean; error?: { code: string } }>>)[r.operation]!(...(argsOf as (x: unknown) => readonly unknown[])(r));
          const g = await call(good);
          expect(g.ok || g.error!.code !== 'INVALID_INPUT').toBe(true);
          const before = store.poolLog.length;
          const b = await call(bad);
          expect(b.ok ? 'ok' : b.error!.code).toBe('INVALID_INPUT');
          expect(store.poolLog.length).toBe(before);
        }),
        { numRuns: 100 },
      );
    });
  }
});

describe('duplicate pairs', () => {
  it('the default rules find the second of a pair as a duplicate of the first', async () => {
    await fc.assert(
      fc.asyncProperty(kit.duplicateLeadPairArb(), async ([a, b]) => {
        const store = createMemoryStore();
        const keys = blockingKeys(a, DEFAULT_RULE_SETS.lead);
        if (!keys.ok) throw new Error(keys.error.message);
        store.indexForDedupe(a, keys.value);
        const r = await createDedupeService({ store }).check(b);
        expect(r.ok && r.value.duplicates.map((d) => d.candidateId)).toEqual([a.id]);
      }),
      { numRuns: 100 },
    );
  });
});

function kit_customer(id: string) {
  return fc.sample(kit.poolCustomerArb(), { seed: id.length, numRuns: 1 }).map((c) => ({ ...c, id, poolId: 'gh-east', ownerId: null, ownedSince: null, warning: null, extendedUntil: null }))[0]!;
}
