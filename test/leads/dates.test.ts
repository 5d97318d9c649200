import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  buildFollowUpAgenda,
  createLead,
  createLeadService,
  decideLead,
  decideOpportunity,
  openOpportunity,
  parseLead,
  parseOpportunity,
  planRenewal,
  planRenewals,
  renewalDueDate,
  type Lead,
  type LeadCommandInput,
  type Opportunity,
  type OpportunityCommandInput,
} from '../../src/leads/index.js';
import { createMemoryLeadStore } from '../../src/adapters/memory/index.js';
import { HOST_RELATIONS, MAX_INSTANT_MS, MIN_INSTANT_MS, type Actor, type HostRelation, type Result } from '../../src/core/index.js';
import { actorArb, createLeadInputArb, instantArb, leadArb, leadCommandArb, opportunityArb } from '../../src/testing/index.js';
import { error, issuePaths, value } from '../support.js';
import { at, ctx, rep } from './fixtures.js';

/*
 * Every Date reachable from an answer is a Date of its own: never one of the caller's (the
 * input record's, the command's, the context's), never shared by two fields or two parts of an
 * answer (the next record, its events, a plan). Changing one with `setTime` changes nothing
 * else; and a record the rules trust, once one of its Dates was changed, is parsed again.
 */

interface Found {
  readonly path: string;
  readonly date: Date;
}

/** Every Date reachable from a value (own enumerable keys), each place it is reached. */
function datesIn(x: unknown, path = '', out: Found[] = []): Found[] {
  if (x instanceof Date) out.push({ path, date: x });
  else if (typeof x === 'object' && x !== null) for (const k of Object.keys(x)) datesIn((x as Record<string, unknown>)[k], `${path}.${k}`, out);
  return out;
}

/** A deep copy of plain data, Dates copied: what a database would hand back. */
function copy<T>(x: T): T {
  if (x instanceof Date) return new Date(x.getTime()) as T;
  if (Array.isArray(x)) return x.map(copy) as T;
  if (typeof x === 'object' && x !== null) return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, copy(v)])) as T;
  return x;
}

const TIMES = [Number.NaN, 0, -8.64e15, 8.64e15, MIN_INSTANT_MS, MAX_INSTANT_MS, Date.parse('2031-06-01T00:00:00Z')] as const;

/**
 * The property itself: no Date of `output` is a Date of `inputs` or one reached twice; then
 * the Date at `pick` is set to `time`, and no other Date — of the inputs or of the output —
 * moved. Returns the Date that was set (or null when the output holds none).
 */
function expectOwnDates(inputs: unknown, output: unknown, pick: number, time: number): Found | null {
  const given = datesIn(inputs);
  const answered = datesIn(output);
  const theirs = new Set(given.map((f) => f.date));
  for (const f of answered) expect(theirs.has(f.date), `${f.path} is a Date of the input`).toBe(false);
  const seen = new Map<Date, string>();
  for (const f of answered) {
    expect(seen.get(f.date), `${f.path} is the Date of ${seen.get(f.date)} too`).toBeUndefined();
    seen.set(f.date, f.path);
  }
  if (answered.length === 0) return null;
  const target = answered[pick % answered.length]!;
  const others = [...given, ...answered.filter((f) => f !== target)].map((f) => [f, f.date.getTime()] as const);
  target.date.setTime(time);
  for (const [f, t] of others) expect(f.date.getTime(), `${f.path} moved when ${target.path} was set`).toBe(t);
  return target;
}

/** A trusted record one of whose Dates was set answers like a fresh copy of it: parsed again. */
function expectParsedAgain<T>(parse: (x: unknown) => Result<T>, record: T, time: number): void {
  const again = parse(record);
  const fresh = parse(copy(record));
  expect(again.ok).toBe(fresh.ok);
  if (again.ok && fresh.ok) {
    expect(again.value).not.toBe(record); // parsed again, not taken as it is
    expect(again.value).toEqual(fresh.value);
  }
  if (!(time >= MIN_INSTANT_MS && time <= MAX_INSTANT_MS)) expect(again.ok).toBe(false);
}

const ADMINS: HostRelation[] = ['poolMember', 'poolAdmin', 'crmAdmin'];

/** Commands with Dates in them (as Dates), besides the usual ones. */
const datedCommandArb: fc.Arbitrary<LeadCommandInput> = fc.oneof(
  leadCommandArb(),
  fc.record({ type: fc.constant('followUp' as const), followUpId: fc.constant('F-1'), result: fc.constant('电话沟通'), nextFollowUpAt: instantArb({ min: new Date('2028-01-02T00:00:00Z'), max: new Date('2029-01-01T00:00:00Z') }) }),
  fc.record({ type: fc.constant('markMql' as const), followUpId: fc.constant('F-2'), result: fc.constant('预算确认'), nextFollowUpAt: instantArb({ min: new Date('2028-01-02T00:00:00Z'), max: new Date('2029-01-01T00:00:00Z') }) }),
  fc.record({
    type: fc.constant('convert' as const),
    customer: fc.constant({ kind: 'existing' as const, customerId: 'C-1' }),
    opportunity: fc.record({ opportunityId: fc.constant('O-1'), name: fc.constant('CRM 采购'), expectedCloseDate: instantArb({ min: new Date('2028-02-01T00:00:00Z'), max: new Date('2029-01-01T00:00:00Z') }) }),
  }),
);

describe('every Date in an answer is its own', () => {
  it('createLead: the lead and its event share no Date with the context or with each other', () => {
    fc.assert(
      fc.property(createLeadInputArb(), instantArb(), fc.nat(), fc.constantFrom(...TIMES), (input, now, pick, time) => {
        const context = { now, actor: { id: 'admin-zhou', relations: ADMINS } };
        const decision = value(createLead(input, context));
        const set = expectOwnDates({ input, context }, decision, pick, time);
        if (set?.path.startsWith('.lead.')) expectParsedAgain(parseLead, decision.lead, time);
        else expect(value(parseLead(decision.lead))).toBe(decision.lead); // still trusted
      }),
      { numRuns: 150 },
    );
  });

  it('decideLead: the next lead shares no Date with the lead it came from (untouched fields included), the command, the context, its events or its plan', () => {
    fc.assert(
      fc.property(
        leadArb({ maxSteps: 6 }),
        datedCommandArb,
        actorArb({ relations: ADMINS }),
        fc.boolean(),
        fc.nat(),
        fc.constantFrom(...TIMES),
        (lead: Lead, command, actor, asOwner, pick, time) => {
          const context = { now: new Date('2028-01-01T00:00:00Z'), actor: asOwner && lead.ownerId !== null ? { ...actor, id: lead.ownerId } : actor };
          const decided = decideLead(lead, command, context);
          if (!decided.ok) return;
          const set = expectOwnDates({ lead, command, context }, decided.value, pick, time);
          expect(value(parseLead(lead))).toBe(lead); // the input, untouched, is still trusted
          if (set?.path.startsWith('.lead.')) expectParsedAgain(parseLead, decided.value.lead, time);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('openOpportunity and decideOpportunity: the opportunity shares no Date with its input, the context or its events', () => {
    const commandArb: fc.Arbitrary<OpportunityCommandInput> = fc.oneof(
      fc.constant({ type: 'advance' as const }),
      fc.constant({ type: 'stepBack' as const }),
      fc.record({ type: fc.constant('close' as const), outcome: fc.constantFrom('won' as const, 'lost' as const), reason: fc.constant('预算取消') }),
      fc.record({ type: fc.constant('reopen' as const), reason: fc.constant('客户重新询价') }),
    );
    fc.assert(
      fc.property(opportunityArb(), commandArb, fc.nat(), fc.constantFrom(...TIMES), (opp: Opportunity, command, pick, time) => {
        const context = { now: new Date('2029-01-01T00:00:00Z'), actor: { id: opp.ownerId, relations: ['crmAdmin'] } } as const;
        const decided = decideOpportunity(opp, command, context);
        if (decided.ok) {
          const set = expectOwnDates({ opp, context }, decided.value, pick, time);
          expect(value(parseOpportunity(opp))).toBe(opp);
          if (set?.path.startsWith('.opportunity.')) expectParsedAgain(parseOpportunity, decided.value.opportunity, time);
        }
        const input = { id: 'O-9', name: 'ERP 升级', customerId: 'C-1', expectedCloseDate: opp.expectedCloseDate };
        const opened = value(openOpportunity(input, context));
        const set = expectOwnDates({ input, context }, opened, pick + 1, time);
        if (set?.path.startsWith('.opportunity.')) expectParsedAgain(parseOpportunity, opened.opportunity, time);
      }),
      { numRuns: 200 },
    );
  });

  it('planRenewal, planRenewals and renewalDueDate: plans share no Date with the orders, the context or each other', () => {
    const zones = ['Asia/Shanghai', 'UTC', 'America/New_York', 'Pacific/Kiritimati', 'Pacific/Honolulu'];
    fc.assert(
      fc.property(
        fc.array(instantArb({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z') }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 400 }),
        fc.constantFrom(...zones),
        fc.nat(),
        fc.constantFrom(...TIMES),
        (ends, leadDays, zone, pick, time) => {
          const orders = ends.map((serviceEndDate, i) => ({ id: `SO-${i}`, customerId: 'C-1', ownerId: 'rep-li', name: '年度订阅', serviceEndDate }));
          const policy = { leadDays, zone };
          const context = { now: new Date('2026-06-01T00:00:00Z'), actor: { id: 'renewal-bot', relations: ['automation'] } } as const;
          const due = value(renewalDueDate(ends[0]!, policy));
          expect(due).not.toBe(ends[0]);
          const one = value(planRenewal(orders[0]!, policy, { opportunityId: 'O-0' }, context));
          expectOwnDates({ orders, context }, one, pick, time);
          const batch = value(planRenewals(orders, [], policy, (id) => `R-${id}`, context));
          expectOwnDates({ orders, context, one }, batch, pick, time);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('buildFollowUpAgenda: entries share no Date with the leads or the options', () => {
    fc.assert(
      fc.property(fc.uniqueArray(leadArb({ maxSteps: 4 }), { maxLength: 6, selector: (l) => l.id }), fc.nat(), fc.constantFrom(...TIMES), (leads, pick, time) => {
        const options = { userId: leads[0]?.ownerId ?? 'rep-li', now: new Date('2027-06-01T01:00:00Z'), zone: 'Asia/Shanghai' };
        const agenda = value(buildFollowUpAgenda(leads, options));
        expectOwnDates({ leads, options }, agenda, pick, time);
        for (const lead of leads) expect(value(parseLead(lead))).toBe(lead);
      }),
      { numRuns: 100 },
    );
  });

  /** A store holding lead L-1, created and moved by the service itself (version 1: unassigned). */
  async function seeded() {
    const store = createMemoryLeadStore();
    value(await createLeadService({ store }).create({ id: 'L-1', source: 'import', name: '张伟', poolId: 'pool-east' }, { now: at(0), actor: { id: 'pool-admin', relations: ['poolAdmin'] } }));
    return store;
  }

  it('the service: a conversion with an opportunity answers the lead, the plan, the opportunity and every event with Dates of their own', async () => {
    const store = await seeded();
    const service = createLeadService({ store });
    value(await service.execute('L-1', { type: 'claim' }, ctx(rep, 1)));
    const lead = (await store.loadLead('L-1'))!;
    const expectedCloseDate = at(60 * 24 * 30);
    const command = { type: 'convert' as const, customer: { kind: 'new' as const, customerId: 'C-1', name: '腾飞科技' }, opportunity: { opportunityId: 'O-1', name: 'CRM 采购', expectedCloseDate } };
    const context = ctx(rep, 10);
    const saved = value(await service.execute('L-1', command, context));
    expect(saved.opportunity).toBeDefined();
    expect(datesIn(saved).length).toBeGreaterThan(6);
    for (let pick = 0; pick < datesIn(saved).length; pick++) expectOwnDates({ lead, command, context }, saved, pick, at(20 + pick).getTime());
  });

  it('the claim gate is asked with copies: what it changes reaches neither the decision nor the stored lead', async () => {
    const store = await seeded();
    const lead = (await store.loadLead('L-1'))!;
    const actor: Actor = { id: 'rep-li', relations: ['poolMember'] };
    const service = createLeadService({
      store,
      claimGate: {
        async check(request) {
          (request.lead.updatedAt as Date).setTime(Number.NaN);
          (request.lead.createdAt as Date).setTime(0);
          request.now.setTime(0);
          (request.actor.relations as HostRelation[]).push(...HOST_RELATIONS);
          return { ok: true, value: null };
        },
      },
    });
    const decided = value(await service.execute('L-1', { type: 'claim' }, { now: at(5), actor }));
    expect(decided.lead.createdAt.getTime()).toBe(at(0).getTime());
    expect(decided.lead.updatedAt.getTime()).toBe(at(5).getTime());
    expect(decided.lead.ownerId).toBe('rep-li');
    expect(lead.updatedAt.getTime()).toBe(at(0).getTime());
    expect(actor.relations).toEqual(['poolMember']);
  });

  it('a stored lead whose Date is changed while the gate is asked is read again: refused, never decided on', async () => {
    const store = await seeded();
    const stored = await store.loadLead('L-1');
    const service = createLeadService({
      store: { ...store, loadLead: async () => stored, commit: store.commit, loadOpportunity: store.loadOpportunity },
      claimGate: {
        async check() {
          (stored!.updatedAt as Date).setTime(Number.NaN);
          return { ok: true, value: null };
        },
      },
    });
    expect(issuePaths(await service.execute('L-1', { type: 'claim' }, { now: at(5), actor: rep }))).toEqual(['store.lead.updatedAt']);
  });
});

describe('instants at the edges of the supported range (0001-01-01 … 9999-12-31 UTC)', () => {
  const owner = { id: 'rep-li', relations: [] };
  const order = (serviceEndDate: string) => ({ id: 'SO-1', customerId: 'C-1', ownerId: 'rep-li', name: '年度订阅', serviceEndDate });

  it('a renewal due day that starts before 0001-01-01 is INVALID_INPUT at the end date, never an instant no door takes back', () => {
    expect(issuePaths(renewalDueDate('0001-01-01T00:00:00Z', { leadDays: 0, zone: 'Pacific/Honolulu' }))).toEqual(['serviceEndDate']);
    expect(issuePaths(renewalDueDate('0001-01-01T00:00:00Z', { leadDays: 0, zone: 'Pacific/Kiritimati' }))).toEqual(['serviceEndDate']);
    expect(issuePaths(renewalDueDate('0001-01-20T00:00:00Z', { leadDays: 30, zone: 'UTC' }))).toEqual(['serviceEndDate']);
    expect(value(renewalDueDate('0001-01-01T00:00:00Z', { leadDays: 0, zone: 'UTC' })).getTime()).toBe(MIN_INSTANT_MS);
    const ctx0 = { now: '2026-01-01T00:00:00Z', actor: owner };
    expect(issuePaths(planRenewal(order('0001-01-20T00:00:00Z'), { leadDays: 30, zone: 'UTC' }, { opportunityId: 'O-1' }, ctx0))).toEqual(['order.SO-1.serviceEndDate']);
    // a day that started before 0001-01-01 is no "today" either
    const early = planRenewal(order('0001-06-01T00:00:00Z'), { leadDays: 0, zone: 'Pacific/Honolulu' }, { opportunityId: 'O-1' }, { now: '0001-01-01T00:00:00Z', actor: owner });
    expect(issuePaths(early)).toEqual(['context.now']);
    const batch = value(planRenewals([order('0001-01-20T00:00:00Z')], [], { leadDays: 30, zone: 'UTC' }, () => 'O-1', ctx0));
    expect(batch.skipped.map((s) => s.reason.code)).toEqual(['INVALID_INPUT']);
  });

  it('renewals from the last days of 9999 stay inside the range, in zones ahead of and behind UTC', () => {
    for (const zone of ['Pacific/Kiritimati', 'Pacific/Honolulu', 'UTC']) {
      for (const end of ['9999-12-30T00:00:00Z', '9999-12-31T23:59:59.999Z']) {
        const due = value(renewalDueDate(end, { leadDays: 0, zone }));
        expect(due.getTime()).toBeLessThanOrEqual(Date.parse(end));
        const plan = value(planRenewal(order(end), { leadDays: 0, zone }, { opportunityId: 'O-1' }, { now: '9999-12-31T23:59:59.999Z', actor: owner }));
        for (const f of datesIn(plan)) expect(f.date.getTime(), `${zone} ${end} ${f.path}`).toBeLessThanOrEqual(MAX_INSTANT_MS);
        expect(parseOpportunity(copy(plan.opportunity)).ok).toBe(true);
      }
    }
    // the end of 9999 in Kiritimati is Jan 1 10000 there: due that day, which starts at 9999-12-31T10:00Z
    expect(value(renewalDueDate('9999-12-31T23:59:59.999Z', { leadDays: 0, zone: 'Pacific/Kiritimati' })).toISOString()).toBe('9999-12-31T10:00:00.000Z');
  });

  it('an agenda day that starts or ends outside the range is INVALID_INPUT at options.now; the last and first whole days are ok', () => {
    const agenda = (now: string, zone: string) => buildFollowUpAgenda([], { userId: 'rep-li', now, zone });
    expect(issuePaths(agenda('9999-12-31T12:00:00Z', 'Pacific/Honolulu'))).toEqual(['options.now']); // ends in 10000 (UTC)
    expect(issuePaths(agenda('9999-12-31T10:00:00Z', 'Pacific/Kiritimati'))).toEqual(['options.now']); // Jan 1 10000 there
    expect(issuePaths(agenda('0001-01-01T00:00:00Z', 'Pacific/Honolulu'))).toEqual(['options.now']); // started in year 0 (UTC)
    expect(value(agenda('9999-12-31T09:59:59.999Z', 'Pacific/Kiritimati')).date).toBe('9999-12-31');
    expect(value(agenda('9999-12-31T23:59:59.999Z', 'UTC')).date).toBe('9999-12-31');
    expect(value(agenda('0001-01-01T00:00:00Z', 'UTC')).date).toBe('0001-01-01');
    expect(value(agenda('0001-01-01T12:00:00Z', 'Pacific/Honolulu')).date).toBe('0001-01-01');
    expect(error(agenda('9999-12-31T12:00:00Z', 'Pacific/Honolulu')).code).toBe('INVALID_INPUT');
  });

  it('at any instant near either edge, in any of these zones: a refusal or an answer whose every Date is inside the range, never a throw', () => {
    const zones = ['Pacific/Kiritimati', 'Pacific/Honolulu', 'UTC', 'Asia/Shanghai', 'America/Los_Angeles', 'Pacific/Apia'];
    const edge = fc.oneof(fc.integer({ min: MIN_INSTANT_MS, max: MIN_INSTANT_MS + 3 * 86_400_000 }), fc.integer({ min: MAX_INSTANT_MS - 3 * 86_400_000, max: MAX_INSTANT_MS }));
    fc.assert(
      fc.property(edge, edge, fc.constantFrom(...zones), fc.integer({ min: 0, max: 3 }), (end, now, zone, leadDays) => {
        const answers = [
          renewalDueDate(new Date(end), { leadDays, zone }),
          planRenewal(order(new Date(end).toISOString()), { leadDays, zone }, { opportunityId: 'O-1' }, { now: new Date(now), actor: owner }),
          buildFollowUpAgenda([], { userId: 'rep-li', now: new Date(now), zone }),
        ];
        for (const r of answers) {
          if (!r.ok) {
            expect(r.error.code).toBe('INVALID_INPUT');
            continue;
          }
          for (const f of datesIn(r.value)) expect(f.date.getTime() >= MIN_INSTANT_MS && f.date.getTime() <= MAX_INSTANT_MS, f.path).toBe(true);
          if (r.value instanceof Date) expect(r.value.getTime() >= MIN_INSTANT_MS && r.value.getTime() <= MAX_INSTANT_MS).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
