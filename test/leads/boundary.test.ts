import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as leads from '../../src/leads/index.js';
import {
  DEFAULT_OPPORTUNITY_STAGES,
  LEAD_OPERATIONS,
  LEAD_STAGES,
  OPPORTUNITY_OPERATIONS,
  type Lead,
  type LeadCommandInput,
  type LeadStore,
  type Opportunity,
} from '../../src/leads/index.js';
import { HOST_RELATIONS, ok, type Actor } from '../../src/core/index.js';
import { actorArb, createLeadInputArb, leadArb, leadCommandArb, leadPolicyArb, opportunityArb } from '../../src/testing/index.js';
import {
  calls,
  checkCall,
  frozenArrayOf,
  functionsOf,
  garbageArb,
  materialize,
  mutate,
  mutationArb,
  notDeepFrozen,
  oneOf,
  runs,
  tamperDates,
  type Returns,
} from './boundary.harness.js';

/*
 * Every function the leads door exports, called with anything (fc.anything and hostile values)
 * and with valid inputs mutated (a field removed or replaced by NaN, a bigint, a lone surrogate,
 * an Invalid or extreme Date, a Date-like object, a throwing getter, a proxy, a frozen or
 * null-prototype object, a `__proto__` key): a Result or the documented return, never a throw
 * (but the caller's own), no input changed or frozen, ok outputs deep-frozen and valid.
 */

const after = (d: Date, minutes: number) => new Date(d.getTime() + minutes * 60_000);
const minutesArb = fc.integer({ min: 0, max: 60 * 24 * 30 });
const anyActorArb: fc.Arbitrary<Actor> = fc.record({
  id: fc.constantFrom('rep-li', 'rep-wang', 'mgr-zhao', 'admin-zhou', 'crm-admin'),
  relations: fc.subarray([...HOST_RELATIONS]),
});
const ctxAfter = (lead: { updatedAt: Date }) =>
  fc.tuple(anyActorArb, minutesArb, fc.option(leadPolicyArb(), { nil: undefined })).map(([actor, m, policy]) => ({
    now: after(lead.updatedAt, m),
    actor,
    ...(policy ? { policy } : {}),
  }));
const leadCtxArb = leadArb({ maxSteps: 6 }).chain((lead) => fc.tuple(fc.constant(lead), ctxAfter(lead)));
const decideArgs = leadCtxArb.chain(([lead, ctx]) => fc.tuple(fc.constant(lead), leadCommandArb(), fc.constant(ctx)));
const typedDoor = (type: LeadCommandInput['type']) =>
  fc.tuple(leadCtxArb, leadCommandArb().filter((c) => c.type === type)).map(([[lead, ctx], cmd]) => {
    const { type: _t, ...rest } = cmd;
    return [lead, rest, ctx];
  });
const typedDoorNoCommand = leadCtxArb.map(([lead, ctx]) => [lead, ctx]);

const oppCtx = (opp: { updatedAt: Date; ownerId: string }) =>
  fc.tuple(fc.subarray([...HOST_RELATIONS]), fc.boolean(), minutesArb, fc.boolean()).map(([relations, asOwner, m, skip]) => ({
    now: after(opp.updatedAt, m),
    actor: { id: asOwner ? opp.ownerId : 'mgr-zhao', relations },
    ...(skip ? { config: { allowSkip: true } } : {}),
  }));
const oppArgs = opportunityArb().chain((o) => fc.tuple(fc.constant(o), oppCtx(o)));
const oppCommandArb = fc.oneof(
  fc.constant({ type: 'advance' as const }),
  fc.constant({ type: 'stepBack' as const }),
  fc.record({ type: fc.constant('moveToStage' as const), stageId: fc.constantFrom(...DEFAULT_OPPORTUNITY_STAGES.map((s) => s.id)) }),
  fc.record({ type: fc.constant('close' as const), outcome: fc.constantFrom('won' as const, 'lost' as const, 'invalid' as const), reason: fc.constant('预算取消') }),
  fc.record({ type: fc.constant('reopen' as const), reason: fc.constant('客户重新询价') }),
);
const amountArb = fc.oneof(
  fc.record({ minor: fc.integer({ min: 0, max: 1e12 }), currency: fc.constantFrom('CNY', 'USD', 'JPY', 'KWD') }),
  fc.record({ amount: fc.constantFrom('1234.56', '0.01', '0'), currency: fc.constantFrom('CNY', 'USD') }),
);
const openInputArb = fc.record(
  {
    id: fc.constantFrom('O-1', 'O-2'),
    name: fc.constantFrom('腾飞 CRM 采购', 'ERP upgrade'),
    customerId: fc.constant('C-1'),
    ownerId: fc.constantFrom('rep-li', 'rep-wang'),
    stageId: fc.constantFrom(...DEFAULT_OPPORTUNITY_STAGES.map((s) => s.id)),
    expectedCloseDate: fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-01-01T00:00:00Z'), noInvalidDate: true }),
    amount: fc.option(amountArb, { nil: null }),
  },
  { requiredKeys: ['id', 'name', 'customerId'] },
);
const nowArb = fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true });
const orderArb = fc.record(
  {
    id: fc.constantFrom('SO-1', 'SO-2', 'SO-3'),
    customerId: fc.constant('C-1'),
    ownerId: fc.constant('rep-li'),
    name: fc.constantFrom('年度订阅', 'Annual plan'),
    serviceEndDate: fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2028-01-01T00:00:00Z'), noInvalidDate: true }),
    amount: fc.option(amountArb, { nil: null }),
  },
  { requiredKeys: ['id', 'customerId', 'ownerId', 'name', 'serviceEndDate'] },
);
const renewalPolicyArb = fc.record({ leadDays: fc.integer({ min: 0, max: 90 }), zone: fc.constantFrom('Asia/Shanghai', 'America/New_York', 'UTC'), namePrefix: fc.constant('续约 - ') }, { requiredKeys: ['leadDays', 'zone'] });
const renewalCtxArb = fc.tuple(nowArb, anyActorArb).map(([now, actor]) => ({ now, actor }));

const isOperation = (x: unknown) => (LEAD_OPERATIONS as readonly unknown[]).includes(x);
const isRelation = (x: unknown) => typeof x === 'string';
const isService = (methods: readonly string[]) => (out: unknown) =>
  typeof out === 'object' && out !== null && methods.every((m) => typeof (out as Record<string, unknown>)[m] === 'function') ? null : 'not a service';

const R: Returns = { kind: 'result' };

/** Per exported function: what it returns, and valid arguments to mutate. */
const SPECS: Record<string, { readonly returns: Returns; readonly valid: fc.Arbitrary<readonly unknown[]> }> = {
  parseLead: { returns: R, valid: leadArb().map((l) => [l]) },
  parseLeadPolicy: { returns: R, valid: leadPolicyArb().map((p) => [p]) },
  canLead: { returns: { kind: 'value', check: oneOf(true, false) }, valid: fc.tuple(leadArb(), fc.constantFrom(...LEAD_OPERATIONS), anyActorArb) },
  availableLeadOperations: { returns: { kind: 'value', check: frozenArrayOf(isOperation) }, valid: fc.tuple(leadArb(), anyActorArb) },
  leadOperationRelations: {
    returns: { kind: 'value', check: frozenArrayOf(isRelation) },
    valid: fc.tuple(fc.constantFrom(...LEAD_OPERATIONS), leadPolicyArb()).map(([op, p]) => [op, leads.parseLeadPolicy(p).ok ? (leads.parseLeadPolicy(p) as { value: unknown }).value : undefined]),
  },
  leadStageRank: { returns: { kind: 'value', check: oneOf(-1, 0, 1, 2, 3) }, valid: fc.constantFrom(...LEAD_STAGES).map((s) => [s]) },
  leadTransitionEdges: { returns: { kind: 'value', check: (out) => notDeepFrozen(out) }, valid: fc.constant([]) },
  createLead: { returns: R, valid: fc.tuple(createLeadInputArb(), renewalCtxArb) },
  decideLead: { returns: R, valid: decideArgs },
  assignLead: { returns: R, valid: typedDoor('assign') },
  claimLead: { returns: R, valid: typedDoorNoCommand },
  followUpLead: { returns: R, valid: typedDoor('followUp') },
  markLeadMql: { returns: R, valid: typedDoor('markMql') },
  markLeadInvalid: { returns: R, valid: typedDoor('markInvalid') },
  reopenLead: { returns: R, valid: typedDoorNoCommand },
  returnLead: { returns: R, valid: typedDoor('return') },
  reclaimLead: { returns: R, valid: typedDoor('reclaim') },
  transferLead: { returns: R, valid: typedDoor('transfer') },
  convertLead: { returns: R, valid: typedDoor('convert') },
  voidLead: { returns: R, valid: typedDoor('void') },
  restoreLead: { returns: R, valid: typedDoorNoCommand },
  correctLeadStage: { returns: R, valid: typedDoor('correctStage') },
  linkLeadOpportunity: { returns: R, valid: typedDoor('linkOpportunity') },
  changeLeadOwner: { returns: R, valid: typedDoor('changeOwner') },
  parseOpportunity: { returns: R, valid: opportunityArb().map((o) => [o]) },
  parseOpportunityConfig: {
    returns: R,
    valid: fc.record({ allowSkip: fc.boolean(), stages: fc.constant([{ id: 'demo', name: 'Demo', probability: 50 }, { id: 'deal', name: 'Deal', probability: 90 }]) }, { requiredKeys: [] }).map((c) => [c]),
  },
  openOpportunity: { returns: R, valid: fc.tuple(openInputArb, renewalCtxArb) },
  decideOpportunity: { returns: R, valid: fc.tuple(oppArgs, oppCommandArb).map(([[o, c], cmd]) => [o, cmd, c]) },
  advanceOpportunity: { returns: R, valid: oppArgs },
  stepBackOpportunity: { returns: R, valid: oppArgs },
  moveOpportunityToStage: { returns: R, valid: fc.tuple(oppArgs, fc.constantFrom(...DEFAULT_OPPORTUNITY_STAGES.map((s) => s.id))).map(([[o, c], stageId]) => [o, { stageId }, c]) },
  closeOpportunity: { returns: R, valid: fc.tuple(oppArgs, fc.constantFrom('won', 'lost')).map(([[o, c], outcome]) => [o, { outcome, reason: '选择了竞品' }, c]) },
  reopenOpportunity: { returns: R, valid: oppArgs.map(([o, c]) => [o, { reason: '客户重新询价' }, c]) },
  canOpportunity: { returns: { kind: 'value', check: oneOf(true, false) }, valid: fc.tuple(oppArgs, fc.constantFrom(...OPPORTUNITY_OPERATIONS)).map(([[o, c], op]) => [o, op, c.actor]) },
  availableOpportunityOperations: {
    returns: { kind: 'value', check: frozenArrayOf((x) => (OPPORTUNITY_OPERATIONS as readonly unknown[]).includes(x)) },
    valid: oppArgs.map(([o, c]) => [o, c.actor]),
  },
  opportunityOperationRelations: { returns: { kind: 'value', check: frozenArrayOf(isRelation) }, valid: fc.constantFrom(...OPPORTUNITY_OPERATIONS).map((op) => [op]) },
  planRenewal: { returns: R, valid: fc.tuple(orderArb, renewalPolicyArb, fc.constant({ opportunityId: 'O-9' }), renewalCtxArb) },
  planRenewals: {
    returns: R,
    valid: fc
      .tuple(fc.uniqueArray(orderArb, { maxLength: 4, selector: (o) => o.id }), fc.subarray(['SO-1', 'SO-2']), renewalPolicyArb, renewalCtxArb)
      .map(([orders, existing, policy, ctx]) => [orders, existing, policy, (id: string) => `renewal-${id}`, ctx]),
  },
  renewalDueDate: { returns: R, valid: fc.tuple(nowArb, renewalPolicyArb) },
  buildFollowUpAgenda: {
    returns: R,
    valid: fc
      .tuple(fc.uniqueArray(leadArb({ maxSteps: 4 }), { maxLength: 6, selector: (l) => l.id }), nowArb, fc.constantFrom('rep-li', 'admin-zhou'))
      .map(([ls, now, userId]) => [ls, { userId, now, zone: 'Asia/Shanghai' }]),
  },
  // identities (they hand their argument back: events-types.test.ts checks that); here: no throw, nothing changed or frozen
  defineLeadPolicy: { returns: { kind: 'value', check: () => null }, valid: leadPolicyArb().map((p) => [p]) },
  defineOpportunityConfig: {
    returns: { kind: 'value', check: () => null },
    valid: fc.record({ allowSkip: fc.boolean(), stages: fc.constant([{ id: 'demo', name: 'Demo', probability: 50 }]) }, { requiredKeys: [] }).map((c) => [c]),
  },
  createLeadService: { returns: { kind: 'value', check: isService(['create', 'execute']) }, valid: fc.constant([{ store: memoryStore() }]) },
  createOpportunityService: { returns: { kind: 'value', check: isService(['open', 'execute']) }, valid: fc.constant([{ store: memoryStore() }]) },
};

/** A small in-memory LeadStore (versions checked), for the service doors. */
function memoryStore(seed: readonly Lead[] = [], opportunities: readonly Opportunity[] = []): LeadStore {
  const ls = new Map<string, Lead>(seed.map((l) => [l.id, l]));
  const os = new Map<string, Opportunity>(opportunities.map((o) => [o.id, o]));
  return {
    async loadLead(id) {
      return ls.get(id) ?? null;
    },
    async loadOpportunity(id) {
      return os.get(id) ?? null;
    },
    async commit(c) {
      for (const w of c.leads ?? []) ls.set(w.record.id, w.record);
      for (const w of c.opportunities ?? []) os.set(w.record.id, w.record);
      return ok(undefined);
    },
  };
}

const exported = functionsOf(leads as unknown as Record<string, unknown>);
const call = (name: string) => (leads as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!;

describe('the leads door, fuzzed', () => {
  afterAll(() => {
    if (process.env.FUZZ_RUNS) console.log(`leads boundary: ${calls.count.toLocaleString('en-US')} calls checked, 0 failures`);
  });

  it('every exported function has a spec (a new export is fuzzed or this fails)', () => {
    expect(exported.filter((n) => !(n in SPECS))).toEqual([]);
    expect(Object.keys(SPECS).filter((n) => !exported.includes(n))).toEqual([]);
  });

  for (const name of exported) {
    const spec = SPECS[name];
    if (!spec) continue;
    it(`${name}: anything, and valid inputs mutated`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(garbageArb, { maxLength: 7 }), async (args) => checkCall(name, call(name), args, spec.returns)),
        { numRuns: runs(60) },
      );
      await fc.assert(
        fc.asyncProperty(spec.valid, fc.array(mutationArb, { minLength: 1, maxLength: 3 }), async (valid, mutations) =>
          checkCall(name, call(name), mutate(valid, mutations), spec.returns),
        ),
        { numRuns: runs(120) },
      );
      // The valid inputs themselves: the same checks, and most of them answered.
      await fc.assert(fc.asyncProperty(spec.valid, async (valid) => checkCall(name, call(name), valid, spec.returns)), { numRuns: runs(30) });
    }, 600_000);
  }

  it('the services answer every request with a Result, whatever the request or the store holds', async () => {
    await fc.assert(
      fc.asyncProperty(
        leadArb({ maxSteps: 5 }),
        opportunityArb(),
        leadCommandArb(),
        fc.array(mutationArb, { maxLength: 3 }),
        garbageArb,
        async (lead, opp, command, mutations, junk) => {
          const store = memoryStore([lead], [opp]);
          const ctx = { now: after(lead.updatedAt, 60), actor: { id: lead.ownerId ?? 'rep-li', relations: ['poolMember', 'crmAdmin'] } as Actor };
          const leadService = leads.createLeadService({ store });
          const oppService = leads.createOpportunityService({ store });
          await checkCall('LeadService.execute', leadService.execute as never, mutate([lead.id, command, ctx], mutations), { kind: 'promiseResult' });
          await checkCall('LeadService.create', leadService.create as never, mutate([{ id: 'L-new', source: 'manual', name: '王芳' }, ctx], mutations), { kind: 'promiseResult' });
          await checkCall('OpportunityService.execute', oppService.execute as never, mutate([opp.id, { type: 'advance' }, { ...ctx, now: after(opp.updatedAt, 1) }], mutations), {
            kind: 'promiseResult',
          });
          await checkCall('OpportunityService.open', oppService.open as never, [junk, junk], { kind: 'promiseResult' });
          await checkCall('LeadService.execute (junk)', leadService.execute as never, [junk, junk, junk], { kind: 'promiseResult' });
          // A store that answers garbage: refused, never a throw.
          const junkStore: LeadStore = { loadLead: async () => materialize(junk) as Lead, loadOpportunity: async () => materialize(junk) as Opportunity, commit: async () => materialize(junk) as never };
          await checkCall('LeadService.execute (junk store)', leads.createLeadService({ store: junkStore }).execute as never, [lead.id, command, ctx], { kind: 'promiseResult' });
          await checkCall('createLeadService (junk deps)', (d: unknown) => leads.createLeadService(d as never).execute(lead.id, command, ctx), [junk], { kind: 'promiseResult' });
        },
      ),
      { numRuns: runs(80) },
    );
  }, 600_000);
});

