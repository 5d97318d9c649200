import { ok, refuse, type CrmError, type Result } from '../core/index.js';
import {
  blockingKeys,
  createDedupeService,
  DEFAULT_RULE_SETS,
  type DedupeRecordInput,
  type DedupeStore,
} from '../dedupe/index.js';
import {
  createLead,
  createLeadService,
  createOpportunityService,
  decideLead,
  type Lead,
  type LeadCommandInput,
  type LeadCommit,
  type LeadStore,
} from '../leads/index.js';
import {
  createPoolService,
  poolEventOf,
  poolRecordFromCustomer,
  type LeadReclaimState,
  type PoolCommit,
  type PoolCustomer,
  type PoolMember,
  type PoolPlan,
  type PoolPolicyInput,
  type PoolRecordView,
  type PoolStore,
} from '../pools/index.js';
import { ContractArgumentError, contractArguments, eachTenant, freshStoreCheck, neighbourOf } from './harness.js';
import { createPaymentService, type PaymentStore } from '../payments/index.js';
import { isPaymentStore, paymentSection } from './payment-contract.js';
import { isOrderStore, orderSection } from './order-contract.js';

/**
 * What the contract needs of a store: every port (leads, pools, dedupe) on one object with one
 * `commit`, plus three seeding methods (sync or async) — the shape of `createMemoryStore()` and
 * `createPostgresStore()`. A store that also implements `PaymentStore` (its `commit` then takes
 * payments and plans too) gets the payments section of the contract as well.
 *
 * @example
 * const store: ContractStore = createMemoryStore();
 */
export interface ContractStore extends Omit<LeadStore, 'commit'>, Omit<PoolStore, 'commit'>, DedupeStore {
  commit(commit: LeadCommit & PoolCommit): Promise<Result<void, CrmError>>;
  /** Seeds or replaces a pool policy. */
  putPolicy(policy: PoolPolicyInput): void | Promise<void>;
  /** Seeds a customer with the version it carries, bypassing version checks. */
  putCustomer(customer: PoolCustomer): void | Promise<void>;
  /** Stores a record for duplicate checks with its blocking keys. */
  indexForDedupe(record: DedupeRecordInput, keys: readonly string[]): void | Promise<void>;
}

/**
 * A fresh, empty store for one test, and how to dispose of it — with, for a multi-tenant
 * adapter, a `neighbour`: an empty store of ANOTHER tenant on the same database.
 *
 * @example
 * const harness: ContractHarness = { store: createPostgresStore({ client }), close: () => db.close() };
 *
 * @example
 * const database = createMemoryDatabase();
 * const harness: ContractHarness = {
 *   store: createMemoryStore({ database, tenantId: 'tenant-a' }),
 *   neighbour: createMemoryStore({ database, tenantId: 'tenant-b' }),
 * };
 */
export interface ContractHarness<S extends object = ContractStore> {
  readonly store: S;
  /**
   * A store of another tenant on the same database as `store`, empty too (optional). When
   * given, every check runs its body first on the neighbour and then on the store, with nothing
   * emptied between, so the same ids exist in both tenants when it runs on the store: a create
   * refused as taken, a load answering the other tenant's record, or counts, streams and
   * candidates holding the other's rows fail the check (the failure says on which tenant). The
   * check "two tenants sharing ids see only their own" runs only with a neighbour.
   */
  readonly neighbour?: S;
  close?(): void | Promise<void>;
}

/**
 * One assertion, as vitest's and jest's `expect(x)` give it (the methods the contract uses).
 *
 * @example
 * t.expect(await store.loadLead('L-404')).toBeNull();
 */
export interface ContractAssertion {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toMatchObject(expected: object): void;
  toBeNull(): void;
  toHaveLength(length: number): void;
  toBeInstanceOf(expected: any): void;
  toBeLessThanOrEqual(expected: number): void;
}

/**
 * The test functions the caller passes in, so the library never imports a test runner:
 * vitest's `{ describe, it, expect }` fit as they are; another runner may wrap its own.
 *
 * @example
 * import { describe, it, expect } from 'vitest';
 * const runner: ContractRunner = { describe, it, expect };
 */
export interface ContractRunner {
  describe(name: string, body: () => void): void;
  /** `body` may be handed the runner's test context; a `skip()` on it marks a check as skipped (vitest's does). */
  it(name: string, body: (context?: ContractTestContext) => Promise<void>, timeoutMs?: number): void;
  expect(actual: unknown): ContractAssertion;
}

/**
 * What the contract uses of a runner's per-test context, when the runner passes one: `skip`,
 * to mark the payments checks skipped for a store without the payments port (vitest's context
 * has it; with a runner that has none, those checks pass without checking anything).
 *
 * @example
 * it('…', async (context) => { if (!isPaymentStore(store)) return context?.skip?.('no payments port'); });
 */
export interface ContractTestContext {
  skip?(note?: string): void;
}

/**
 * Sizes and time limits of the contract's heavier checks.
 *
 * @example
 * describeStoreContract('pg', makeStore, { describe, it, expect }, { largePool: 5000, timeoutMs: 120_000 });
 */
export interface ContractOptions {
  /** Customers in the large-pool streaming check (default 1,200). */
  readonly largePool?: number;
  /** Members racing in the several-members quota check, each making `claimsPerMember` claims (default 4 × 20). */
  readonly racingMembers?: number;
  readonly claimsPerMember?: number;
  /** Per-test time limit passed to `it` (default 60 s). */
  readonly timeoutMs?: number;
  /** Clerks applying one payment at once in the payments section (default 8). */
  readonly racingClerks?: number;
  /** Open plans in the payments streaming check (default 240). */
  readonly streamedPlans?: number;
}

/* ------------------------------------------------------------------ realistic data */

const at = (iso: string) => new Date(iso);
/** 10:00 in Shanghai. */
const T0 = at('2026-05-06T02:00:00.000Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
const days = (n: number) => new Date(T0.getTime() + n * 86_400_000);

const li: PoolMember = { id: 'rep-li', departmentIds: [] };
const wang: PoolMember = { id: 'rep-wang', departmentIds: [] };
const admin: PoolMember = { id: 'admin-zhou', departmentIds: ['dept-sales-east'] };
const poolAdminActor = { id: 'admin-zhou', relations: ['poolAdmin' as const] };
const repActor = (id: string) => ({ id, relations: ['poolMember' as const] });

const customerPool = (extra: Partial<PoolPolicyInput> = {}): PoolPolicyInput => ({
  id: 'gh-east',
  kind: 'customer',
  name: '华东公海',
  zone: 'Asia/Shanghai',
  admins: ['admin-zhou'],
  members: { users: ['rep-li', 'rep-wang'], departments: ['dept-sales-east'] },
  holding: { quota: 10 },
  cooldownDays: 7,
  ...extra,
});

const leadPool = (extra: Partial<PoolPolicyInput> = {}): PoolPolicyInput => ({
  id: 'lp-east',
  kind: 'lead',
  name: '华东线索池',
  zone: 'Asia/Shanghai',
  admins: ['admin-zhou'],
  members: { users: ['rep-li', 'rep-wang'], departments: [] },
  holding: { quota: 2 },
  ...extra,
});

const COMPANIES = ['深圳市腾飞科技有限公司', '上海云帆信息技术有限公司', '北京华信达商贸有限公司', '杭州青禾网络科技有限公司', '广州南粤物流有限公司'];

/** An unowned pool customer at version 1. */
function customer(id: string, extra: Partial<PoolCustomer> = {}): PoolCustomer {
  return {
    id,
    poolId: 'gh-east',
    ownerId: null,
    level: null,
    won: false,
    openOpportunityCount: 0,
    ownedSince: null,
    lastFollowUpAt: null,
    lastDealAt: null,
    lastOpenOpportunityAt: null,
    teamIds: [],
    attributes: { industry: 'manufacturing', company: COMPANIES[id.length % COMPANIES.length]! },
    extendedUntil: null,
    extensionPendingUntil: null,
    warning: null,
    version: 1,
    ...extra,
  };
}

/** A customer owned since `since`, at version 2. */
function ownedCustomer(id: string, ownerId: string, extra: Partial<PoolCustomer> = {}): PoolCustomer {
  return customer(id, { ownerId, ownedSince: days(-3), lastFollowUpAt: days(-2), version: 2, ...extra });
}

function must<T>(r: Result<T, CrmError>): T {
  if (!r.ok) throw new Error(`expected success, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** A lead imported into the lead pool (version 1, unassigned). */
function importedLead(id: string, extra: { attributes?: Record<string, string | number | boolean | null>; poolId?: string } = {}): Lead {
  return must(
    createLead(
      {
        id,
        source: 'import',
        name: '张伟',
        company: '深圳市腾飞科技有限公司',
        phone: '13812345678',
        email: 'zhangwei@tengfei.com.cn',
        poolId: extra.poolId ?? 'lp-east',
        attributes: extra.attributes ?? { channel: '展会', imported: '2026-04-30T08:00:00.000Z' },
      },
      { now: days(-5), actor: poolAdminActor },
    ),
  ).lead;
}

function step(lead: Lead, command: LeadCommandInput, actorId: string, at: Date): Lead {
  return must(decideLead(lead, command, { now: at, actor: repActor(actorId) })).lead;
}

/** The versions a lead passes through on its way to a status (each one a committed write). */
function leadHistory(id: string, status: 'unassigned' | 'pending' | 'following' | 'converted' | 'voided', ownerId = 'rep-li', extra: { attributes?: Record<string, string | number | boolean | null>; poolId?: string } = {}): Lead[] {
  const history = [importedLead(id, extra)];
  if (status === 'unassigned') return history;
  history.push(step(history.at(-1)!, { type: 'claim' }, ownerId, days(-4)));
  if (status === 'pending') return history;
  history.push(step(history.at(-1)!, { type: 'followUp', followUpId: `${id}-f1`, result: '电话沟通，客户下月有采购计划', channel: 'call', nextFollowUpAt: days(3) }, ownerId, days(-3)));
  if (status === 'following') return history;
  if (status === 'voided') {
    history.push(step(history.at(-1)!, { type: 'void', reason: '重复录入' }, ownerId, days(-2)));
    return history;
  }
  history.push(step(history.at(-1)!, { type: 'convert', customer: { kind: 'new', customerId: `C-of-${id}`, name: '腾飞科技' } }, ownerId, days(-2)));
  return history;
}

async function saveHistory(store: ContractStore, history: readonly Lead[]): Promise<Lead> {
  for (let i = 0; i < history.length; i++) {
    must(await store.commit({ leads: [{ record: history[i]!, expectedVersion: i === 0 ? null : history[i - 1]!.version }] }));
  }
  return history.at(-1)!;
}

function claimPlan(poolId: string, recordId: string, ownerTo: string, when: Date): PoolPlan {
  return {
    operation: 'claim',
    recordId,
    poolId,
    ownerFrom: null,
    ownerTo,
    poolFrom: poolId,
    poolTo: poolId,
    teamIds: [],
    at: when,
    actorId: ownerTo,
    override: null,
  };
}

function codeOf(r: Result<unknown, CrmError>): string {
  return r.ok ? 'ok' : r.error.code;
}


/** A claim of an unowned customer by `memberId` as one commit over the versions read through `store` (what the pool service writes). */
async function claimCommit(store: Pick<PoolStore, 'loadCustomer' | 'memberVersion'>, customerId: string, memberId: string, when: Date): Promise<PoolCommit> {
  const c = (await store.loadCustomer(customerId))!;
  const poolId = c.poolId ?? 'gh-east';
  const version = await store.memberVersion(poolId, memberId);
  return {
    customers: [{ record: { ...c, ownerId: memberId, ownedSince: when, version: c.version + 1 }, expectedVersion: c.version }],
    members: [{ poolId, memberId, expectedVersion: version }],
    log: [poolEventOf(claimPlan(poolId, customerId, memberId, when), 'customer', c.version + 1)],
  };
}

/** The store's `withMemberLock`, bound, or null when it has none. */
function lockOf(store: ContractStore): NonNullable<PoolStore['withMemberLock']> | null {
  const lock = store.withMemberLock;
  return typeof lock === 'function' ? (lock.bind(store) as NonNullable<PoolStore['withMemberLock']>) : null;
}

async function ids(records: AsyncIterable<{ readonly id: string }> | Promise<readonly { readonly id: string }[]>): Promise<string[]> {
  const out: string[] = [];
  if (Symbol.asyncIterator in records) for await (const r of records) out.push(r.id);
  else for (const r of await records) out.push(r.id);
  return out.sort();
}

/* ------------------------------------------------------------------ the suite */

/**
 * The repository contract: what every store behind the ports must do, checked against a
 * fresh store per test. Covers versions (a stale save is `CONFLICT`, never a lost update; a
 * create on a taken id is `CONFLICT`), atomic multi-record commits (a claim writes the record,
 * the member's version and the log together or not at all), candidates by blocking keys
 * (voided included, unknown keys none) and, for a store with `countKeys`, how many records each
 * key has (as many as it finds: what the duplicate check's caps rely on), streaming a pool for
 * reclaim scans (all of it, nothing of other pools, while the consumer writes), and concurrency
 * through the services (50 concurrent claims against a quota of 10 give exactly 10). When the
 * store implements `PaymentStore` too, it also runs the payments section (see
 * `describePaymentStoreContract`): versions and atomic commits of plans and payments, payment
 * allocation without double-apply, and the open-plan and credit queries; a store without it has
 * those checks skipped. A store with `withMemberLock` is checked for it: work answering ok
 * commits (and reads its own writes), a refusal or a throw after a commit leaves nothing, and
 * one member's read-decide-commit works queue (exactly the quota, no `CONFLICT`, no retry).
 *
 * Tenancy: when `makeStore` returns a `neighbour` (an empty store of another tenant on the same
 * database), every check runs first on the neighbour and then on the store, nothing emptied
 * between, so each id the check uses exists in both tenants — a leak fails it — and the check
 * "two tenants sharing ids see only their own" runs (it is skipped without a neighbour).
 *
 * The caller passes its runner's `describe`, `it` and `expect`, so nothing here imports a
 * test framework. Arguments it cannot use (a runner without those three functions, a
 * `makeStore` that is not a function, an option that is not a positive integer) throw a
 * `ContractArgumentError` naming the argument, at once: test tooling fails loudly rather than
 * run no checks.
 *
 * @throws {ContractArgumentError} when an argument cannot be used (test tooling fails loudly).
 *
 * @example
 * import { describe, it, expect } from 'vitest';
 * import { describeStoreContract } from 'crm-rules/testing';
 * describeStoreContract('my adapter', async () => {
 *   const db = await freshDatabase();
 *   return { store: createMyStore(db), close: () => db.drop() };
 * }, { describe, it, expect });
 */
export function describeStoreContract<S extends ContractStore>(
  name: string,
  makeStore: () => Promise<ContractHarness<S>>,
  t: ContractRunner,
  options: ContractOptions = {},
): void {
  ({ name, makeStore, t, options } = contractArguments<S>(name, makeStore, t, options));
  const { describe, expect } = t;
  const it = freshStoreCheck(t, makeStore, options);
  const conflict = (r: Result<unknown, CrmError>, details?: Record<string, unknown>) => {
    expect(codeOf(r)).toBe('CONFLICT');
    if (details && !r.ok) expect(r.error.details).toMatchObject(details);
  };

  describe(`store contract: ${name}`, () => {
    describe('versions', () => {
      it('a saved lead loads back equal, its instants as Date and its strings as strings', async (store) => {
        const [lead] = leadHistory('L-1001', 'unassigned');
        must(await store.commit({ leads: [{ record: lead!, expectedVersion: null }] }));
        const loaded = await store.loadLead('L-1001');
        expect(loaded).toEqual(lead);
        expect(loaded!.createdAt).toBeInstanceOf(Date);
        expect(loaded!.attributes.imported).toBe('2026-04-30T08:00:00.000Z');
        expect(await store.loadLead('L-404')).toBeNull();
      });

      it('text PostgreSQL cannot hold (a NUL, a lone surrogate) in an id, a text or a key is INVALID_INPUT with nothing written, and a lookup by it finds nothing', async (store) => {
        const lead = importedLead('L-1010');
        const bad = ['a\u0000b', '\uD800', 'x\uDC00y', '\u0000'];
        for (const text of bad) {
          const variants: Lead[] = [
            { ...lead, id: `L-${text}` } as Lead,
            { ...lead, name: text } as Lead,
            { ...lead, attributes: { ...lead.attributes, channel: text } } as Lead,
            { ...lead, attributes: { ...lead.attributes, [`k${text}`]: 'v' } } as Lead,
          ];
          for (const record of variants) {
            const refused = await store.commit({ leads: [{ record, expectedVersion: null }], log: [] });
            expect(codeOf(refused)).toBe('INVALID_INPUT');
            expect(await store.loadLead(record.id)).toBeNull();
          }
          // refused before anything of the commit is written: the good lead beside it is not stored either
          expect(codeOf(await store.commit({ leads: [{ record: lead, expectedVersion: null }, { record: { ...importedLead('L-1011'), name: text } as Lead, expectedVersion: null }] }))).toBe('INVALID_INPUT');
          expect(await store.loadLead('L-1010')).toBeNull();
          expect(await store.loadLead(text)).toBeNull();
          expect(await store.loadCustomer(text)).toBeNull();
          expect(await store.loadPolicy(text)).toBeNull();
          expect(await store.memberVersion(text, text)).toBe(0);
          expect(await store.findCandidates([text, `phone=${text}`])).toEqual([]);
          if (typeof store.countKeys === 'function') expect((await store.countKeys([text])).size).toBe(0);
          expect((await store.countHoldings(text, 'rep-li')).total).toBe(0);
        }
        // the same lead with safe text is stored as ever, supplementary characters (𠮷, emoji) included
        const safe = { ...lead, name: '𠮷野家 🍜' } as Lead;
        must(await store.commit({ leads: [{ record: safe, expectedVersion: null }] }));
        expect(await store.loadLead('L-1010')).toEqual(safe);
      });

      it('a create on a taken id is CONFLICT and leaves the stored record as it was', async (store) => {
        const lead = importedLead('L-1002');
        must(await store.commit({ leads: [{ record: lead, expectedVersion: null }] }));
        const again = { ...importedLead('L-1002'), name: '李娜' } as Lead;
        conflict(await store.commit({ leads: [{ record: again, expectedVersion: null }] }), { entity: 'lead', id: 'L-1002', expectedVersion: null, actualVersion: 1 });
        expect((await store.loadLead('L-1002'))!.name).toBe('张伟');
      });

      it('a stale save is CONFLICT, never a lost update', async (store) => {
        const lead = importedLead('L-1003');
        must(await store.commit({ leads: [{ record: lead, expectedVersion: null }] }));
        const seenByLi = (await store.loadLead('L-1003'))!;
        const seenByWang = (await store.loadLead('L-1003'))!;
        const byLi = step(seenByLi, { type: 'claim' }, 'rep-li', minutes(1));
        const byWang = step(seenByWang, { type: 'claim' }, 'rep-wang', minutes(1));
        must(await store.commit({ leads: [{ record: byLi, expectedVersion: seenByLi.version }] }));
        conflict(await store.commit({ leads: [{ record: byWang, expectedVersion: seenByWang.version }] }), { expectedVersion: 1, actualVersion: 2 });
        expect(await store.loadLead('L-1003')).toMatchObject({ ownerId: 'rep-li', version: 2 });
      });

      it('an update of a record never stored is CONFLICT', async (store) => {
        const lead = importedLead('L-1004');
        conflict(await store.commit({ leads: [{ record: { ...lead, version: 2 } as Lead, expectedVersion: 1 }] }), { expectedVersion: 1, actualVersion: null });
        expect(await store.loadLead('L-1004')).toBeNull();
      });

      it('a write must carry the next version (expected + 1) or it is INVALID_INPUT, and nothing is stored', async (store) => {
        const lead = importedLead('L-1005');
        expect(codeOf(await store.commit({ leads: [{ record: { ...lead, version: 3 } as Lead, expectedVersion: null }] }))).toBe('INVALID_INPUT');
        expect(await store.loadLead('L-1005')).toBeNull();
      });

      it('the same record written twice in one commit is CONFLICT', async (store) => {
        const lead = importedLead('L-1006');
        conflict(await store.commit({ leads: [{ record: lead, expectedVersion: null }, { record: lead, expectedVersion: null }] }));
        expect(await store.loadLead('L-1006')).toBeNull();
      });

      it('opportunities and customers keep versions the same way', async (store) => {
        const opportunities = createOpportunityService({ store });
        const opened = must(await opportunities.open({ id: 'O-2001', name: '腾飞 CRM 采购', customerId: 'C-2001', amount: { minor: 128_000_00, currency: 'CNY' }, expectedCloseDate: days(30) }, { now: T0, actor: repActor('rep-li') }));
        const loaded = await store.loadOpportunity('O-2001');
        expect(loaded).toEqual(opened.opportunity);
        expect(loaded!.expectedCloseDate).toBeInstanceOf(Date);
        must(await opportunities.execute('O-2001', { type: 'advance' }, { now: minutes(5), actor: repActor('rep-li') }));
        conflict(await store.commit({ opportunities: [{ record: { ...opened.opportunity, name: '旧名', version: 2 }, expectedVersion: 1 }] }), { actualVersion: 2 });
        expect(await store.loadOpportunity('O-2001')).toMatchObject({ stageId: 'needs_confirmed', version: 2 });
        // a store that lists a customer's opportunities lists exactly its own, by id, as stored
        if (typeof store.listOpenOpportunitiesOfCustomer === 'function') {
          const second = must(await opportunities.open({ id: 'O-2000', name: '腾飞 ERP 采购', customerId: 'C-2001' }, { now: minutes(6), actor: repActor('rep-li') }));
          must(await opportunities.open({ id: 'O-2002', name: '别家采购', customerId: 'C-2002' }, { now: minutes(6), actor: repActor('rep-li') }));
          const listed = await store.listOpenOpportunitiesOfCustomer('C-2001');
          expect(listed.map((o) => o.id)).toEqual(['O-2000', 'O-2001']);
          expect(listed[0]).toEqual(second.opportunity);
          expect(await store.listOpenOpportunitiesOfCustomer('C-nobody')).toEqual([]);
          // and the service refuses a second open one with the same name under that customer
          const twice = await opportunities.open({ id: 'O-2003', name: '腾飞ERP采购', customerId: 'C-2001' }, { now: minutes(7), actor: repActor('rep-wang') });
          expect(codeOf(twice)).toBe('OPPORTUNITY_NAME_EXISTS');
        }

        await store.putCustomer(customer('C-2001'));
        const c = (await store.loadCustomer('C-2001'))!;
        expect(c).toEqual(customer('C-2001'));
        must(await store.commit({ customers: [{ record: { ...c, level: 'important', version: 2 }, expectedVersion: 1 }] }));
        conflict(await store.commit({ customers: [{ record: { ...c, level: 'normal', version: 2 }, expectedVersion: 1 }] }), { actualVersion: 2 });
        conflict(await store.commit({ customers: [{ record: customer('C-2001'), expectedVersion: null }] }));
        expect(await store.loadCustomer('C-2001')).toMatchObject({ level: 'important', version: 2 });
        expect(await store.loadCustomer('C-404')).toBeNull();
      });

      it('members’ versions and lead reclaim states are versioned too', async (store) => {
        expect(await store.memberVersion('gh-east', 'rep-li')).toBe(0);
        must(await store.commit({ members: [{ poolId: 'gh-east', memberId: 'rep-li', expectedVersion: 0 }] }));
        expect(await store.memberVersion('gh-east', 'rep-li')).toBe(1);
        conflict(await store.commit({ members: [{ poolId: 'gh-east', memberId: 'rep-li', expectedVersion: 0 }] }));
        must(await store.commit({ members: [{ poolId: 'gh-east', memberId: 'rep-li', expectedVersion: 1 }] }));
        expect(await store.memberVersion('gh-east', 'rep-li')).toBe(2);
        expect(await store.memberVersion('gh-west', 'rep-li')).toBe(0);

        expect(await store.loadLeadReclaimState('L-3001')).toEqual({ state: null, version: 0 });
        const state: LeadReclaimState = {
          ownerId: 'rep-li',
          warning: { ruleId: 'no-follow-up-15d', warnedAt: days(12), reclaimAt: days(15) },
          extendedUntil: null,
          extensionPendingUntil: days(20),
        };
        must(await store.commit({ leadReclaimStates: [{ leadId: 'L-3001', state, expectedVersion: 0 }] }));
        const stored = await store.loadLeadReclaimState('L-3001');
        expect(stored).toEqual({ state, version: 1 });
        expect(stored.state!.warning!.reclaimAt).toBeInstanceOf(Date);
        conflict(await store.commit({ leadReclaimStates: [{ leadId: 'L-3001', state: null, expectedVersion: 0 }] }));
        must(await store.commit({ leadReclaimStates: [{ leadId: 'L-3001', state: null, expectedVersion: 1 }] }));
        expect(await store.loadLeadReclaimState('L-3001')).toEqual({ state: null, version: 2 });
      });

      it('12 concurrent claims of one lead through the lead service: one wins, no other claim is saved', async (store) => {
        const leads = createLeadService({ store });
        must(await leads.create({ id: 'L-3002', source: 'import', name: '王芳', company: '上海云帆信息技术有限公司', poolId: 'lp-east' }, { now: T0, actor: poolAdminActor }));
        const results = await Promise.all(
          Array.from({ length: 12 }, (_, i) => leads.execute('L-3002', { type: 'claim' }, { now: minutes(1), actor: repActor(`rep-${i}`) })),
        );
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        // a loser either lost the race at commit (CONFLICT) or loaded after the winner's commit
        // and was refused by the rules (the lead is no longer unassigned): never a second owner
        const losers = results.filter((r) => !r.ok).map(codeOf);
        expect(losers.filter((code) => code !== 'CONFLICT' && code !== 'LEAD_TRANSITION_NOT_ALLOWED')).toEqual([]);
        const winner = results.findIndex((r) => r.ok);
        expect(await store.loadLead('L-3002')).toMatchObject({ version: 2, ownerId: `rep-${winner}`, status: 'pending' });
      });
    });

    describe('atomic commits', () => {
      it('a commit whose second write is stale leaves the first unapplied', async (store) => {
        const first = importedLead('L-4001');
        must(await store.commit({ leads: [{ record: first, expectedVersion: null }] }));
        const fresh = importedLead('L-4002');
        const stale = { ...first, name: '改名', version: 5 } as Lead;
        conflict(await store.commit({ leads: [{ record: fresh, expectedVersion: null }, { record: stale, expectedVersion: 4 }] }));
        expect(await store.loadLead('L-4002')).toBeNull();
        expect(await store.loadLead('L-4001')).toEqual(first);
      });

      it('a claim whose member version is stale changes neither the customer nor the log', async (store) => {
        await store.putPolicy(customerPool());
        await store.putCustomer(customer('C-4001'));
        must(await store.commit({ members: [{ poolId: 'gh-east', memberId: 'rep-li', expectedVersion: 0 }] }));
        const before = (await store.loadCustomer('C-4001'))!;
        const claimed = { ...before, ownerId: 'rep-li', ownedSince: T0, version: 2 };
        const event = poolEventOf(claimPlan('gh-east', 'C-4001', 'rep-li', T0), 'customer', 2);
        conflict(
          await store.commit({
            customers: [{ record: claimed, expectedVersion: 1 }],
            members: [{ poolId: 'gh-east', memberId: 'rep-li', expectedVersion: 0 }],
            log: [event],
          }),
          { entity: 'pool member' },
        );
        expect(await store.loadCustomer('C-4001')).toEqual(before);
        expect(await store.memberVersion('gh-east', 'rep-li')).toBe(1);
        expect(await store.claimTimesSince('gh-east', 'rep-li', days(-1))).toEqual([]);
        // the same claim over the right versions goes through whole
        must(await store.commit({ customers: [{ record: claimed, expectedVersion: 1 }], members: [{ poolId: 'gh-east', memberId: 'rep-li', expectedVersion: 1 }], log: [event] }));
        expect(await store.loadCustomer('C-4001')).toEqual(claimed);
        expect(await store.memberVersion('gh-east', 'rep-li')).toBe(2);
        expect(await store.claimTimesSince('gh-east', 'rep-li', days(-1))).toEqual([T0]);
      });

      it('a claim whose customer is stale leaves the member’s version and the log untouched', async (store) => {
        await store.putCustomer(customer('C-4002', { version: 3 }));
        const event = poolEventOf(claimPlan('gh-east', 'C-4002', 'rep-li', T0), 'customer', 2);
        conflict(
          await store.commit({
            customers: [{ record: customer('C-4002', { ownerId: 'rep-li', ownedSince: T0, version: 2 }), expectedVersion: 1 }],
            members: [{ poolId: 'gh-east', memberId: 'rep-li', expectedVersion: 0 }],
            log: [event],
          }),
          { entity: 'customer', id: 'C-4002', expectedVersion: 1, actualVersion: 3 },
        );
        expect(await store.memberVersion('gh-east', 'rep-li')).toBe(0);
        expect(await store.claimTimesSince('gh-east', 'rep-li', days(-1))).toEqual([]);
        expect(await store.lastReleaseBy('C-4002', 'rep-li')).toBeNull();
      });

      it('a stale reclaim state fails the lead write beside it', async (store) => {
        const history = leadHistory('L-4003', 'pending');
        const lead = await saveHistory(store, history);
        must(await store.commit({ leadReclaimStates: [{ leadId: 'L-4003', state: { ownerId: 'rep-li', warning: null, extendedUntil: days(2), extensionPendingUntil: null }, expectedVersion: 0 }] }));
        const returned = step(lead, { type: 'return', reason: { code: 'unreachable' } }, 'rep-li', minutes(10));
        conflict(await store.commit({ leads: [{ record: returned, expectedVersion: lead.version }], leadReclaimStates: [{ leadId: 'L-4003', state: null, expectedVersion: 0 }] }));
        expect(await store.loadLead('L-4003')).toEqual(lead);
        expect((await store.loadLeadReclaimState('L-4003')).version).toBe(1);
      });

      it('a conversion whose opportunity id is taken changes neither the lead nor the opportunity', async (store) => {
        const leads = createLeadService({ store });
        const opportunities = createOpportunityService({ store });
        must(await leads.create({ id: 'L-4004', source: 'import', name: '陈静', company: '杭州青禾网络科技有限公司', poolId: 'lp-east' }, { now: T0, actor: poolAdminActor }));
        must(await leads.execute('L-4004', { type: 'claim' }, { now: minutes(1), actor: repActor('rep-li') }));
        const existing = must(await opportunities.open({ id: 'O-4004', name: '已有商机', customerId: 'C-9' }, { now: minutes(2), actor: repActor('rep-wang') }));
        const before = await store.loadLead('L-4004');
        const r = await leads.execute(
          'L-4004',
          { type: 'convert', customer: { kind: 'new', customerId: 'C-4004', name: '青禾网络' }, opportunity: { opportunityId: 'O-4004', name: '青禾 CRM 采购' } },
          { now: minutes(3), actor: repActor('rep-li') },
        );
        conflict(r, { entity: 'opportunity', id: 'O-4004' });
        expect(await store.loadLead('L-4004')).toEqual(before);
        expect(await store.loadOpportunity('O-4004')).toEqual(existing.opportunity);
      });
    });

    describe('pool reads', () => {
      it('holdings count a member’s owned customers (won, per level) and held leads of the pool, nothing else', async (store) => {
        await store.putCustomer(ownedCustomer('C-5001', 'rep-li', { level: 'important', won: true }));
        await store.putCustomer(ownedCustomer('C-5002', 'rep-li', { level: 'important' }));
        await store.putCustomer(ownedCustomer('C-5003', 'rep-li'));
        await store.putCustomer(ownedCustomer('C-5004', 'rep-wang', { level: 'important' }));
        await store.putCustomer(ownedCustomer('C-5005', 'rep-li', { poolId: 'gh-west', level: 'important' }));
        await store.putCustomer(customer('C-5006', { level: 'important' }));
        expect(await store.countHoldings('gh-east', 'rep-li')).toEqual({ total: 3, won: 1, byLevel: { important: { total: 2, won: 1 } } });
        expect(await store.countHoldings('gh-east', 'rep-zhang')).toEqual({ total: 0, won: 0, byLevel: {} });

        await saveHistory(store, leadHistory('L-5001', 'pending', 'rep-li', { attributes: { level: 'normal' } }));
        await saveHistory(store, leadHistory('L-5002', 'following', 'rep-li', { attributes: { level: 3 } }));
        await saveHistory(store, leadHistory('L-5003', 'converted', 'rep-li'));
        await saveHistory(store, leadHistory('L-5004', 'voided', 'rep-li'));
        await saveHistory(store, leadHistory('L-5005', 'pending', 'rep-wang'));
        await saveHistory(store, leadHistory('L-5006', 'unassigned'));
        await saveHistory(store, leadHistory('L-5007', 'pending', 'rep-li', { poolId: 'lp-west' }));
        expect(await store.countHoldings('lp-east', 'rep-li')).toEqual({ total: 2, won: 0, byLevel: { normal: { total: 1, won: 0 } } });
      });

      it('the pool log answers claim times and last releases', async (store) => {
        await store.putPolicy(customerPool());
        await store.putCustomer(customer('C-5101'));
        await store.putCustomer(customer('C-5102'));
        const pools = createPoolService({ store });
        must(await pools.claim({ poolId: 'gh-east', recordKind: 'customer', recordId: 'C-5101' }, { now: T0, actor: li }));
        must(await pools.claim({ poolId: 'gh-east', recordKind: 'customer', recordId: 'C-5102' }, { now: minutes(30), actor: li }));
        must(await pools.returnRecord({ poolId: 'gh-east', recordKind: 'customer', recordId: 'C-5101' }, { reason: { code: 'no_need' } }, { now: minutes(60), actor: li }));
        must(await pools.claim({ poolId: 'gh-east', recordKind: 'customer', recordId: 'C-5101' }, { now: minutes(90), actor: wang }));
        const times = await store.claimTimesSince('gh-east', 'rep-li', days(-1));
        expect(times).toEqual([T0, minutes(30)]);
        expect(times[0]).toBeInstanceOf(Date);
        expect(await store.claimTimesSince('gh-east', 'rep-li', minutes(1))).toEqual([minutes(30)]);
        expect(await store.claimTimesSince('gh-west', 'rep-li', days(-1))).toEqual([]);
        expect(await store.lastReleaseBy('C-5101', 'rep-li')).toEqual({ at: minutes(60), kind: 'returned' });
        expect(await store.lastReleaseBy('C-5101', 'rep-wang')).toBeNull();
        expect(await store.lastReleaseBy('C-5102', 'rep-li')).toBeNull();
        // the cooldown reads it: Li may not take C-5101 back for 7 days
        must(await pools.returnRecord({ poolId: 'gh-east', recordKind: 'customer', recordId: 'C-5101' }, { reason: { code: 'unreachable' } }, { now: minutes(120), actor: wang }));
        expect(codeOf(await pools.claim({ poolId: 'gh-east', recordKind: 'customer', recordId: 'C-5101' }, { now: minutes(121), actor: li }))).toBe('POOL_COOLDOWN_ACTIVE');
      });

      it('a policy loads back as put; a put replaces it; an unknown pool is null', async (store) => {
        const policy = customerPool({ claimLimit: { max: 5, periodDays: 1 }, reclaimRules: [{ id: 'no-follow-up-15d', trigger: { kind: 'noFollowUp', days: 15 }, noticeDays: 3 }] });
        await store.putPolicy(policy);
        expect(await store.loadPolicy('gh-east')).toEqual(policy);
        await store.putPolicy({ ...policy, holding: { quota: 20 } });
        expect(await store.loadPolicy('gh-east')).toMatchObject({ holding: { quota: 20 } });
        expect(await store.loadPolicy('gh-404')).toBeNull();
      });

      it('the store lists its pools, sorted by code point, each once', async (store) => {
        if (store.listPools === undefined) throw new Error('the store has no listPools');
        expect(await store.listPools()).toEqual([]);
        await store.putPolicy(customerPool({ id: 'gh-west' }));
        await store.putPolicy(customerPool({ id: 'gh-east' }));
        await store.putPolicy(customerPool({ id: 'gh-east', holding: { quota: 3 } }));
        await store.putPolicy(customerPool({ id: 'Gh-最后' }));
        expect(await store.listPools()).toEqual(['Gh-最后', 'gh-east', 'gh-west'].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      });
    });

    describe('duplicate candidates', () => {
      const records: DedupeRecordInput[] = [
        { id: 'L-6001', object: 'lead', ownerId: 'rep-li', poolId: 'lp-east', updatedAt: days(-1), fields: { name: '张伟', company: '深圳市腾飞科技有限公司', phone: '13812345678' } },
        { id: 'L-6002', object: 'lead', state: 'voided', fields: { name: 'John Doe', email: 'johndoe@gmail.com' } },
        { id: 'L-6003', object: 'lead', fields: { name: '王芳', company: '北京华信达商贸有限公司', phone: '13900001111' } },
        { id: 'L-6004', object: 'lead', state: 'converted', fields: { name: '张伟', company: '腾飞科技', phone: '+86 138 1234 5678', email: 'zw@tengfei.cn' } },
      ];
      const index = async (store: ContractStore) => {
        for (const r of records) await store.indexForDedupe(r, must(blockingKeys(r, DEFAULT_RULE_SETS.lead)));
      };

      it('finds candidates by blocking keys: voided ones included, each once, in id order; unknown keys find none', async (store) => {
        await index(store);
        const probe: DedupeRecordInput = { id: 'new', object: 'lead', fields: { phone: '+86 138-1234-5678', email: 'John.Doe+crm@GoogleMail.com' } };
        const found = await store.findCandidates(must(blockingKeys(probe, DEFAULT_RULE_SETS.lead)));
        expect(found.map((r) => r.id)).toEqual(['L-6001', 'L-6002', 'L-6004']);
        expect(found[0]).toEqual(records[0]);
        expect((found[0] as DedupeRecordInput).updatedAt).toBeInstanceOf(Date);
        expect(await store.findCandidates(['phone=+8600000000000', 'no such key'])).toEqual([]);
        expect(await store.findCandidates([])).toEqual([]);
      });

      it('the duplicate check finds the existing lead through the store', async (store) => {
        await index(store);
        const dedupe = createDedupeService({ store });
        const r = must(await dedupe.check({ id: 'new', object: 'lead', fields: { name: '张伟', phone: '138 1234 5678' } }));
        expect(r.duplicates.map((d) => d.candidateId).sort()).toEqual(['L-6001', 'L-6004']);
        expect(r.candidates).toBe(2);
      });

      it('counts the records under each key, when the store counts keys: as many as findCandidates returns for it, a record indexed twice once', async (store) => {
        if (typeof store.countKeys !== 'function') return;
        await index(store);
        await store.indexForDedupe(records[0]!, must(blockingKeys(records[0]!, DEFAULT_RULE_SETS.lead)));
        const keys = [...new Set(records.flatMap((r) => must(blockingKeys(r, DEFAULT_RULE_SETS.lead))))].sort();
        const counts = await store.countKeys([...keys, 'phone=+8600000000000', 'no such key']);
        for (const key of keys) expect(counts.get(key)).toBe((await store.findCandidates([key])).length);
        expect(counts.get('phone=+8613812345678')).toBe(2);
        expect(counts.get('company=腾飞科技')).toBe(2);
        expect(counts.get('email=johndoe@gmail.com')).toBe(1);
        expect(counts.get('no such key') ?? 0).toBe(0);
        expect(counts.get('phone=+8600000000000') ?? 0).toBe(0);
        expect([...(await store.countKeys([])).keys()]).toEqual([]);
        // the checked record left out (it may be stored already): one fewer under each of its keys
        const own = new Set(must(blockingKeys(records[0]!, DEFAULT_RULE_SETS.lead)));
        const except = await store.countKeys(keys, { except: records[0]!.id });
        for (const key of keys) expect(except.get(key) ?? 0).toBe((counts.get(key) ?? 0) - (own.has(key) ? 1 : 0));
        const unknownRecord = await store.countKeys(keys, { except: 'no such record' });
        for (const key of keys) expect(unknownRecord.get(key)).toBe(counts.get(key));
      });

      it('with counted keys, the check skips a company key shared by more leads than its cap: the same duplicates, the account said to be truncated with its count', async (store) => {
        if (typeof store.countKeys !== 'function') return;
        const colleagues = ['李娜', '王芳', '刘洋', '陈静', '杨磊', '赵敏'];
        const team: DedupeRecordInput[] = colleagues.map((name, i) => ({ id: `L-70${i}`, object: 'lead', fields: { name, company: COMPANIES[0]!, phone: `1390000${String(1000 + i)}` } }));
        for (const r of [...records, ...team]) await store.indexForDedupe(r, must(blockingKeys(r, DEFAULT_RULE_SETS.lead)));
        const capped = createDedupeService({ store, maxCandidatesPerKey: 3 });
        const full = createDedupeService({ store: { findCandidates: (keys) => store.findCandidates(keys) } });
        const probe: DedupeRecordInput = { id: 'new', object: 'lead', fields: { name: '张伟', company: '腾飞科技有限公司', phone: '13812345678' } };
        const a = must(await capped.check(probe));
        const b = must(await full.check(probe));
        expect(a.duplicates).toEqual(b.duplicates);
        expect(a.duplicates.map((d) => d.candidateId).sort()).toEqual(['L-6001', 'L-6004']);
        expect(b.sameAccount).toHaveLength(6);
        expect(a.sameAccount).toEqual([]);
        expect(b.sameAccountTruncated).toBe(false);
        expect(a.sameAccountTruncated).toBe(true);
        expect(a.skipped).toEqual([{ key: 'company=腾飞科技', records: 8, sameAccountGroups: ['same-company'], mayMissDuplicates: false }]);
        expect(a.candidates).toBe(2);
      });
    });

    describe('streaming for reclaim scans', () => {
      it('streams every owned record of the pool, leads with their reclaim state, and nothing else', async (store) => {
        await store.putCustomer(ownedCustomer('C-7001', 'rep-li', { level: 'important', teamIds: ['rep-chen'] }));
        await store.putCustomer(ownedCustomer('C-7002', 'rep-wang', { warning: { ruleId: 'r', warnedAt: days(-1), reclaimAt: days(2) } }));
        await store.putCustomer(customer('C-7003'));
        await store.putCustomer(ownedCustomer('C-7004', 'rep-li', { poolId: 'gh-west' }));
        const owned = new Map<string, PoolRecordView>();
        for (const id of ['C-7001', 'C-7002']) owned.set(id, poolRecordFromCustomer((await store.loadCustomer(id))!));
        const got = new Map<string, PoolRecordView>();
        for await (const view of store.streamPoolRecords('gh-east')) {
          expect(got.has(view.id)).toBe(false);
          got.set(view.id, view);
        }
        expect([...got.keys()].sort()).toEqual(['C-7001', 'C-7002']);
        expect(got.get('C-7001')).toEqual(owned.get('C-7001'));
        expect(got.get('C-7002')!.warning!.reclaimAt).toBeInstanceOf(Date);

        await saveHistory(store, leadHistory('L-7001', 'pending'));
        await saveHistory(store, leadHistory('L-7002', 'following', 'rep-wang'));
        await saveHistory(store, leadHistory('L-7003', 'converted'));
        await saveHistory(store, leadHistory('L-7004', 'unassigned'));
        await saveHistory(store, leadHistory('L-7005', 'pending', 'rep-li', { poolId: 'lp-west' }));
        const state: LeadReclaimState = { ownerId: 'rep-li', warning: { ruleId: 'no-follow-up-15d', warnedAt: days(1), reclaimAt: days(4) }, extendedUntil: null, extensionPendingUntil: null };
        must(await store.commit({ leadReclaimStates: [{ leadId: 'L-7001', state, expectedVersion: 0 }] }));
        const leads = new Map<string, PoolRecordView>();
        for await (const view of store.streamPoolRecords('lp-east')) leads.set(view.id, view);
        expect([...leads.keys()].sort()).toEqual(['L-7001', 'L-7002']);
        expect(leads.get('L-7001')).toMatchObject({ kind: 'lead', ownerId: 'rep-li', warning: state.warning, poolId: 'lp-east' });
        expect(leads.get('L-7002')).toMatchObject({ kind: 'lead', ownerId: 'rep-wang', warning: null });
        expect(leads.get('L-7002')!.lastFollowUpAt).toBeInstanceOf(Date);
        const none: string[] = [];
        for await (const view of store.streamPoolRecords('gh-nowhere')) none.push(view.id);
        expect(none).toEqual([]);
      });

      it("streams a pool's unclaimed leads by id with their pooledAt, nothing else; the escalation run moves them one tier", async (store) => {
        // an optional port: a store without it has nothing to check here (its escalation runs are refused at the door)
        if (store.streamPooledLeads === undefined) return;
        await store.putPolicy(leadPool());
        await store.putPolicy(leadPool({ id: 'lp-national', name: '全国线索池' }));
        await saveHistory(store, leadHistory('L-7102', 'unassigned'));
        await saveHistory(store, leadHistory('L-7101', 'unassigned'));
        await saveHistory(store, leadHistory('L-7103', 'pending'));
        await saveHistory(store, leadHistory('L-7104', 'voided'));
        await saveHistory(store, leadHistory('L-7105', 'unassigned', 'rep-li', { poolId: 'lp-national' }));
        const pooled = async (poolId: string) => {
          const out: Lead[] = [];
          for await (const lead of store.streamPooledLeads!(poolId)) out.push(lead);
          return out;
        };
        const east = await pooled('lp-east');
        expect(east.map((l) => l.id)).toEqual(['L-7101', 'L-7102']);
        expect(east[0]!.pooledAt).toBeInstanceOf(Date);
        expect(east[0]!.pooledAt).toEqual(days(-5));
        expect(await pooled('lp-nowhere')).toEqual([]);
        // a claimed lead keeps no pooledAt
        expect((await store.loadLead('L-7103'))!.pooledAt).toBeNull();
        const ladder = { id: 'inbound', version: 1, tiers: [{ kind: 'pool' as const, poolId: 'lp-east', hours: 24 }, { kind: 'pool' as const, poolId: 'lp-national', hours: 48 }, { kind: 'owner' as const, ownerId: 'admin-zhou' }] };
        const run = must(await createPoolService({ store }).runEscalation(ladder, { now: T0 }));
        // L-7101 and L-7102 (pooled five days ago) move to the national pool; L-7105 (pooled five days ago there) goes to the manager
        expect(run).toMatchObject({ escalated: 2, assigned: 1, refused: [] });
        expect(await store.loadLead('L-7101')).toMatchObject({ poolId: 'lp-national', ownerId: null, pooledAt: T0, version: 2 });
        expect(await store.loadLead('L-7105')).toMatchObject({ poolId: 'lp-national', ownerId: 'admin-zhou', pooledAt: null });
        expect((await pooled('lp-national')).map((l) => l.id)).toEqual(['L-7101', 'L-7102']);
        expect(await pooled('lp-east')).toEqual([]);
      });

      it('a large pool streams each record once while the consumer writes, and a stream left early releases the store', async (store) => {
        const n = options.largePool ?? 1200;
        for (let i = 0; i < n; i++) await store.putCustomer(ownedCustomer(`C-8${String(i).padStart(5, '0')}`, i % 2 === 0 ? 'rep-li' : 'rep-wang'));
        await store.putCustomer(ownedCustomer('C-other', 'rep-li', { poolId: 'gh-west' }));
        const seen = new Set<string>();
        let written = 0;
        for await (const view of store.streamPoolRecords('gh-east')) {
          expect(seen.has(view.id)).toBe(false);
          seen.add(view.id);
          if (seen.size % 97 === 0) {
            // as the reclaim run does: write while reading
            const c = (await store.loadCustomer(view.id))!;
            must(await store.commit({ customers: [{ record: { ...c, lastFollowUpAt: T0, version: c.version + 1 }, expectedVersion: c.version }] }));
            written++;
          }
        }
        expect(seen.size).toBe(n);
        expect(written).toBe(Math.floor(n / 97));
        let taken = 0;
        for await (const _ of store.streamPoolRecords('gh-east')) if (++taken === 10) break;
        expect(taken).toBe(Math.min(10, n));
        const c = (await store.loadCustomer('C-800000'))!;
        must(await store.commit({ customers: [{ record: { ...c, level: 'vip', version: c.version + 1 }, expectedVersion: c.version }] }));
      });

      it('the nightly reclaim run warns, then reclaims, through the stream', async (store) => {
        await store.putPolicy(
          customerPool({
            reclaimRules: [
              {
                id: 'important-15d',
                condition: { all: [{ field: 'level', op: 'eq', value: 'important' }] },
                trigger: { kind: 'noFollowUp', days: 15 },
                noticeDays: 3,
                notify: ['owner', 'team'],
              },
            ],
          }),
        );
        await store.putCustomer(customer('C-9001', { level: 'important', teamIds: ['rep-chen'] }));
        await store.putCustomer(customer('C-9002', { level: 'normal' }));
        const pools = createPoolService({ store });
        must(await pools.claim({ poolId: 'gh-east', recordKind: 'customer', recordId: 'C-9001' }, { now: T0, actor: li }));
        must(await pools.claim({ poolId: 'gh-east', recordKind: 'customer', recordId: 'C-9002' }, { now: T0, actor: li }));
        expect(must(await pools.runReclaim('gh-east', { now: days(12) }))).toMatchObject({ warned: 1, reclaimed: 0 });
        expect((await store.loadCustomer('C-9001'))!.warning).toMatchObject({ ruleId: 'important-15d' });
        expect(must(await pools.runReclaim('gh-east', { now: days(13) }))).toMatchObject({ warned: 0, reclaimed: 0 });
        const run = must(await pools.runReclaim('gh-east', { now: days(15) }));
        expect(run).toMatchObject({ warned: 0, reclaimed: 1 });
        expect(await store.loadCustomer('C-9001')).toMatchObject({ ownerId: null, warning: null, ownedSince: null });
        expect((await store.loadCustomer('C-9002'))!.ownerId).toBe('rep-li');
        expect(await store.lastReleaseBy('C-9001', 'rep-li')).toEqual({ at: days(15), kind: 'reclaimed' });
      });
    });

    describe('concurrency through the services', () => {
      it('50 concurrent claims by one member with quota 10: exactly 10 succeed, the rest are refused by the quota', async (store) => {
        await store.putPolicy(customerPool());
        for (let i = 0; i < 50; i++) await store.putCustomer(customer(`C-${i}`));
        const pools = createPoolService({ store });
        const results = await Promise.all(Array.from({ length: 50 }, (_, i) => pools.claim({ poolId: 'gh-east', recordKind: 'customer', recordId: `C-${i}` }, { now: T0, actor: li })));
        expect(results.filter((r) => r.ok)).toHaveLength(10);
        expect(results.filter((r) => !r.ok).map(codeOf)).toEqual(Array(40).fill('POOL_QUOTA_EXCEEDED'));
        expect(await store.countHoldings('gh-east', 'rep-li')).toMatchObject({ total: 10 });
        expect(await store.memberVersion('gh-east', 'rep-li')).toBe(10);
        expect(await store.claimTimesSince('gh-east', 'rep-li', days(-1))).toHaveLength(10);
      });

      it('concurrent claims of lead-pool leads keep the lead quota', async (store) => {
        await store.putPolicy(leadPool());
        for (let i = 0; i < 8; i++) await saveHistory(store, leadHistory(`L-91${i}`, 'unassigned'));
        const pools = createPoolService({ store });
        const results = await Promise.all(Array.from({ length: 8 }, (_, i) => pools.claim({ poolId: 'lp-east', recordKind: 'lead', recordId: `L-91${i}` }, { now: T0, actor: li })));
        expect(results.filter((r) => r.ok)).toHaveLength(2);
        expect(await store.countHoldings('lp-east', 'rep-li')).toMatchObject({ total: 2 });
      });

      it('two members racing for one customer: one owns it, the other is told it is taken', async (store) => {
        await store.putPolicy(customerPool());
        await store.putCustomer(customer('C-1'));
        const pools = createPoolService({ store });
        const ref = { poolId: 'gh-east', recordKind: 'customer' as const, recordId: 'C-1' };
        const outcomes = await Promise.all([pools.claim(ref, { now: T0, actor: li }), pools.claim(ref, { now: T0, actor: wang })]);
        expect(outcomes.map(codeOf).sort()).toEqual(['POOL_RECORD_OWNED', 'ok']);
        expect((await store.loadCustomer('C-1'))!.version).toBe(2);
      });

      it('several members claiming at once: each gets exactly its quota and every claim is in the record and the log', async (store) => {
        const members = options.racingMembers ?? 4;
        const perMember = options.claimsPerMember ?? 20;
        const quota = Math.min(10, perMember);
        const users = Array.from({ length: members }, (_, i) => `rep-${i}`);
        await store.putPolicy(customerPool({ members: { users, departments: [] }, holding: { quota }, cooldownDays: 0 }));
        const total = members * perMember;
        for (let i = 0; i < total; i++) await store.putCustomer(customer(`C-${i}`));
        const pools = createPoolService({ store });
        const results = await Promise.all(
          Array.from({ length: total }, (_, i) =>
            pools.claim({ poolId: 'gh-east', recordKind: 'customer', recordId: `C-${i}` }, { now: T0, actor: { id: users[i % members]!, departmentIds: [] } }),
          ),
        );
        expect(results.filter((r) => r.ok)).toHaveLength(members * quota);
        for (const user of users) {
          expect(await store.countHoldings('gh-east', user)).toMatchObject({ total: quota });
          expect(await store.claimTimesSince('gh-east', user, days(-1))).toHaveLength(quota);
        }
        for (let i = 0; i < total; i++) {
          const c = (await store.loadCustomer(`C-${i}`))!;
          const won = results[i]!.ok;
          expect([c.ownerId, c.version]).toEqual(won ? [users[i % members], 2] : [null, 1]);
        }
      });
    });


    describe('member lock (a store with withMemberLock)', () => {
      it('work that answers ok commits what it wrote, and reads its own writes inside', async (store) => {
        const lock = lockOf(store);
        if (lock === null) return;
        await store.putPolicy(customerPool());
        await store.putCustomer(customer('C-1'));
        const answer = await lock('gh-east', 'rep-li', async (locked) => {
          const claim = await claimCommit(locked, 'C-1', 'rep-li', T0);
          const written = await locked.commit(claim);
          if (!written.ok) return written;
          expect(await locked.loadCustomer('C-1')).toMatchObject({ ownerId: 'rep-li', version: 2 });
          expect(await locked.memberVersion('gh-east', 'rep-li')).toBe(1);
          return ok('claimed');
        });
        expect(answer).toEqual({ ok: true, value: 'claimed' });
        expect(await store.loadCustomer('C-1')).toMatchObject({ ownerId: 'rep-li', version: 2 });
        expect(await store.memberVersion('gh-east', 'rep-li')).toBe(1);
        expect(await store.claimTimesSince('gh-east', 'rep-li', days(-1))).toEqual([T0]);
      });

      it('work that answers a refusal, or throws, after its commit leaves nothing written, and frees the lock', async (store) => {
        const lock = lockOf(store);
        if (lock === null) return;
        await store.putPolicy(customerPool());
        await store.putCustomer(customer('C-1'));
        const refused = await lock('gh-east', 'rep-li', async (locked) => {
          must(await locked.commit(await claimCommit(locked, 'C-1', 'rep-li', T0)));
          return refuse('POOL_QUOTA_EXCEEDED', { poolId: 'gh-east', memberId: 'rep-li' });
        });
        expect(codeOf(refused)).toBe('POOL_QUOTA_EXCEEDED');
        expect(await store.loadCustomer('C-1')).toEqual(customer('C-1'));
        expect(await store.memberVersion('gh-east', 'rep-li')).toBe(0);
        expect(await store.claimTimesSince('gh-east', 'rep-li', days(-1))).toEqual([]);

        let outcome = 'resolved ok';
        try {
          const r = await lock('gh-east', 'rep-li', async (locked) => {
            must(await locked.commit(await claimCommit(locked, 'C-1', 'rep-li', T0)));
            throw new Error('the work failed after its commit');
          });
          if (!r.ok) outcome = 'refused';
        } catch {
          outcome = 'rejected';
        }
        expect(outcome === 'rejected' || outcome === 'refused').toBe(true);
        expect(await store.loadCustomer('C-1')).toEqual(customer('C-1'));
        expect(await store.memberVersion('gh-east', 'rep-li')).toBe(0);
        expect(await store.lastReleaseBy('C-1', 'rep-li')).toBeNull();

        // the lock is free: the next work runs and commits
        expect(codeOf(await lock('gh-east', 'rep-li', async (locked) => locked.commit(await claimCommit(locked, 'C-1', 'rep-li', T0))))).toBe('ok');
        expect(await store.memberVersion('gh-east', 'rep-li')).toBe(1);
      });

      it('the store handed to work is dead once work has ended: its reads and commits reject, and nothing of a late commit lands', async (store) => {
        const lock = lockOf(store);
        if (lock === null) return;
        await store.putPolicy(customerPool());
        await store.putCustomer(customer('C-1'));
        let kept: PoolStore | null = null;
        expect(
          await lock('gh-east', 'rep-li', async (locked) => {
            kept = locked;
            await locked.countHoldings('gh-east', 'rep-li');
            return ok('done');
          }),
        ).toEqual({ ok: true, value: 'done' });
        const late = kept as unknown as PoolStore;
        const rejection = async (p: () => Promise<unknown>) => {
          try {
            await p();
            return 'resolved';
          } catch (e) {
            return (e as { code?: unknown }).code;
          }
        };
        expect(await rejection(() => late.loadCustomer('C-1'))).toBe('INVARIANT_BROKEN');
        expect(await rejection(() => late.countHoldings('gh-east', 'rep-li'))).toBe('INVARIANT_BROKEN');
        expect(await rejection(() => late.memberVersion('gh-east', 'rep-li'))).toBe('INVARIANT_BROKEN');
        expect(await rejection(async () => late.commit(await claimCommit(store, 'C-1', 'rep-li', T0)))).toBe('INVARIANT_BROKEN');
        expect(await store.loadCustomer('C-1')).toEqual(customer('C-1'));
        expect(await store.memberVersion('gh-east', 'rep-li')).toBe(0);
      });

      it('one member’s works queue on the lock: 20 read-decide-commit works against a quota of 10 give exactly 10 claims and no CONFLICT, without a retry', async (store) => {
        const lock = lockOf(store);
        if (lock === null) return;
        await store.putPolicy(customerPool());
        for (let i = 0; i < 20; i++) await store.putCustomer(customer(`C-${i}`));
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            lock('gh-east', 'rep-li', async (locked) => {
              // what the version check alone would lose: every work reads, then writes
              const held = await locked.countHoldings('gh-east', 'rep-li');
              if (held.total >= 10) return refuse('POOL_QUOTA_EXCEEDED', { poolId: 'gh-east', memberId: 'rep-li', quota: 10 });
              return locked.commit(await claimCommit(locked, `C-${i}`, 'rep-li', minutes(i)));
            }),
          ),
        );
        expect(results.map(codeOf).filter((c) => c === 'ok')).toHaveLength(10);
        expect(results.map(codeOf).filter((c) => c !== 'ok')).toEqual(Array(10).fill('POOL_QUOTA_EXCEEDED'));
        expect(await store.countHoldings('gh-east', 'rep-li')).toMatchObject({ total: 10 });
        expect(await store.memberVersion('gh-east', 'rep-li')).toBe(10);
        expect(await store.claimTimesSince('gh-east', 'rep-li', days(-1))).toHaveLength(10);
      });
    });

    describe('tenants (a harness with a neighbour)', () => {
      t.it(
        'two tenants sharing ids see only their own: records, versions, holdings, streams, candidates, the log, locks and payments',
        async (context) => {
          const harness = await makeStore();
          try {
            const neighbour = neighbourOf(harness);
            if (neighbour === null) return context?.skip?.('the harness has no neighbour (a store of another tenant)');
            await tenantsApart(harness.store, neighbour);
          } finally {
            await harness.close?.();
          }
        },
        options.timeoutMs ?? 60_000,
      );
    });

    /** Tenant A (the store) and tenant B (the neighbour) hold the same ids with different contents: each sees its own. */
    async function tenantsApart(a: S, b: S): Promise<void> {
      // policies: one pool id, two policies
      const policyA = customerPool({ name: '甲公司公海', holding: { quota: 10 } });
      const policyB = customerPool({ name: '乙公司公海', holding: { quota: 3 } });
      await a.putPolicy(policyA);
      await b.putPolicy(policyB);
      await a.putPolicy(leadPool());
      await b.putPolicy(leadPool());
      expect(await a.loadPolicy('gh-east')).toEqual(policyA);
      expect(await b.loadPolicy('gh-east')).toEqual(policyB);
      await a.putPolicy(customerPool({ id: 'gh-only-a' }));
      if (a.listPools !== undefined && b.listPools !== undefined) {
        expect((await a.listPools()).includes('gh-only-a')).toEqual(true);
        expect((await b.listPools()).includes('gh-only-a')).toEqual(false);
      }

      // leads: L-1 created in both (not taken), each updated over its own version
      const leadA = importedLead('L-1');
      const leadB = { ...importedLead('L-1'), name: '李娜', company: '上海云帆信息技术有限公司' } as Lead;
      must(await a.commit({ leads: [{ record: leadA, expectedVersion: null }] }));
      must(await b.commit({ leads: [{ record: leadB, expectedVersion: null }] }));
      expect(await a.loadLead('L-1')).toEqual(leadA);
      expect(await b.loadLead('L-1')).toEqual(leadB);
      const claimedA = step(leadA, { type: 'claim' }, 'rep-li', minutes(1));
      must(await a.commit({ leads: [{ record: claimedA, expectedVersion: 1 }] }));
      expect(await b.loadLead('L-1')).toEqual(leadB);
      conflict(await b.commit({ leads: [{ record: { ...leadB, name: '旧', version: 3 } as Lead, expectedVersion: 2 }] }), { expectedVersion: 2, actualVersion: 1 });
      const claimedB = step(leadB, { type: 'claim' }, 'rep-wang', minutes(2));
      must(await b.commit({ leads: [{ record: claimedB, expectedVersion: 1 }] }));
      expect(await a.loadLead('L-1')).toEqual(claimedA);
      expect(await b.loadLead('L-1')).toEqual(claimedB);
      expect((await a.countHoldings('lp-east', 'rep-li')).total).toBe(1);
      expect((await b.countHoldings('lp-east', 'rep-li')).total).toBe(0);
      expect((await a.countHoldings('lp-east', 'rep-wang')).total).toBe(0);
      expect((await b.countHoldings('lp-east', 'rep-wang')).total).toBe(1);

      // lead reclaim states: one lead id, two states
      const warned: LeadReclaimState = { ownerId: 'rep-li', warning: { ruleId: 'no-follow-up-15d', warnedAt: days(1), reclaimAt: days(4) }, extendedUntil: null, extensionPendingUntil: null };
      must(await a.commit({ leadReclaimStates: [{ leadId: 'L-1', state: warned, expectedVersion: 0 }] }));
      expect(await b.loadLeadReclaimState('L-1')).toEqual({ state: null, version: 0 });
      must(await b.commit({ leadReclaimStates: [{ leadId: 'L-1', state: null, expectedVersion: 0 }] }));
      expect(await a.loadLeadReclaimState('L-1')).toEqual({ state: warned, version: 1 });
      const leadViewsA: PoolRecordView[] = [];
      for await (const v of a.streamPoolRecords('lp-east')) leadViewsA.push(v);
      const leadViewsB: PoolRecordView[] = [];
      for await (const v of b.streamPoolRecords('lp-east')) leadViewsB.push(v);
      expect(leadViewsA.map((v) => [v.id, v.ownerId, v.warning?.ruleId ?? null])).toEqual([['L-1', 'rep-li', 'no-follow-up-15d']]);
      expect(leadViewsB.map((v) => [v.id, v.ownerId, v.warning?.ruleId ?? null])).toEqual([['L-1', 'rep-wang', null]]);

      // unclaimed leads: each tenant streams its own
      if (a.streamPooledLeads !== undefined && b.streamPooledLeads !== undefined) {
        must(await b.commit({ leads: [{ record: importedLead('L-only-b'), expectedVersion: null }] }));
        const pooledIds = async (s: ContractStore) => {
          const out: string[] = [];
          for await (const l of s.streamPooledLeads!('lp-east')) out.push(l.id);
          return out;
        };
        expect((await pooledIds(a)).includes('L-only-b')).toBe(false);
        expect((await pooledIds(b)).includes('L-only-b')).toBe(true);
      }

      // opportunities: one id, two opportunities
      const actor = repActor('rep-li');
      must(await createOpportunityService({ store: a }).open({ id: 'O-1', name: '甲 CRM 采购', customerId: 'C-1' }, { now: T0, actor }));
      must(await createOpportunityService({ store: b }).open({ id: 'O-1', name: '乙 ERP 采购', customerId: 'C-1' }, { now: T0, actor }));
      expect(await a.loadOpportunity('O-1')).toMatchObject({ name: '甲 CRM 采购', version: 1 });
      expect(await b.loadOpportunity('O-1')).toMatchObject({ name: '乙 ERP 采购', version: 1 });
      if (typeof a.listOpenOpportunitiesOfCustomer === 'function' && typeof b.listOpenOpportunitiesOfCustomer === 'function') {
        expect((await a.listOpenOpportunitiesOfCustomer('C-1')).map((o) => o.name)).toEqual(['甲 CRM 采购']);
        expect((await b.listOpenOpportunitiesOfCustomer('C-1')).map((o) => o.name)).toEqual(['乙 ERP 采购']);
      }

      // customers: C-1 in both, C-2 only in B — holdings and streams count each tenant's own
      await a.putCustomer(ownedCustomer('C-1', 'rep-li', { level: 'important' }));
      await b.putCustomer(ownedCustomer('C-1', 'rep-li', { level: 'normal', won: true }));
      await b.putCustomer(ownedCustomer('C-2', 'rep-li'));
      expect(await a.loadCustomer('C-1')).toEqual(ownedCustomer('C-1', 'rep-li', { level: 'important' }));
      expect(await b.loadCustomer('C-1')).toEqual(ownedCustomer('C-1', 'rep-li', { level: 'normal', won: true }));
      expect(await a.loadCustomer('C-2')).toBeNull();
      expect(await a.countHoldings('gh-east', 'rep-li')).toEqual({ total: 1, won: 0, byLevel: { important: { total: 1, won: 0 } } });
      expect(await b.countHoldings('gh-east', 'rep-li')).toEqual({ total: 2, won: 1, byLevel: { normal: { total: 1, won: 1 } } });
      const customerViewsA: PoolRecordView[] = [];
      for await (const v of a.streamPoolRecords('gh-east')) customerViewsA.push(v);
      expect(customerViewsA.map((v) => [v.id, v.level])).toEqual([['C-1', 'important']]);
      expect(await ids(b.streamPoolRecords('gh-east'))).toEqual(['C-1', 'C-2']);

      // members' versions: one (pool, member), two versions
      must(await a.commit({ members: [{ poolId: 'gh-east', memberId: 'rep-li', expectedVersion: 0 }] }));
      expect(await b.memberVersion('gh-east', 'rep-li')).toBe(0);
      must(await b.commit({ members: [{ poolId: 'gh-east', memberId: 'rep-li', expectedVersion: 0 }] }));
      expect(await a.memberVersion('gh-east', 'rep-li')).toBe(1);

      // claims through the service: A's claim bumps neither B's version nor B's holdings, and B's quota counts B's own
      await a.putCustomer(customer('C-10'));
      await b.putCustomer(customer('C-10'));
      await b.putCustomer(customer('C-11'));
      must(await createPoolService({ store: a }).claim({ poolId: 'gh-east', recordKind: 'customer', recordId: 'C-10' }, { now: T0, actor: li }));
      expect(await a.memberVersion('gh-east', 'rep-li')).toBe(2);
      expect(await b.memberVersion('gh-east', 'rep-li')).toBe(1);
      expect((await b.loadCustomer('C-10'))!.ownerId).toBeNull();
      expect((await b.countHoldings('gh-east', 'rep-li')).total).toBe(2);
      const poolsB = createPoolService({ store: b });
      must(await poolsB.claim({ poolId: 'gh-east', recordKind: 'customer', recordId: 'C-10' }, { now: minutes(5), actor: li }));
      expect(codeOf(await poolsB.claim({ poolId: 'gh-east', recordKind: 'customer', recordId: 'C-11' }, { now: minutes(6), actor: li }))).toBe('POOL_QUOTA_EXCEEDED');
      expect(await a.claimTimesSince('gh-east', 'rep-li', days(-1))).toEqual([T0]);
      expect(await b.claimTimesSince('gh-east', 'rep-li', days(-1))).toEqual([minutes(5)]);
      must(await poolsB.returnRecord({ poolId: 'gh-east', recordKind: 'customer', recordId: 'C-10' }, { reason: { code: 'no_need' } }, { now: minutes(10), actor: li }));
      expect(await b.lastReleaseBy('C-10', 'rep-li')).toEqual({ at: minutes(10), kind: 'returned' });
      expect(await a.lastReleaseBy('C-10', 'rep-li')).toBeNull();
      expect((await a.loadCustomer('C-10'))!.ownerId).toBe('rep-li');
      expect((await a.countHoldings('gh-east', 'rep-li')).total).toBe(2);

      // one member's lock in each tenant at once: each tenant's works queue on its own lock and write its own rows
      const lockA = lockOf(a);
      const lockB = lockOf(b);
      if (lockA !== null && lockB !== null) {
        for (let i = 0; i < 6; i++) {
          await a.putCustomer(customer(`C-3${i}`));
          await b.putCustomer(customer(`C-3${i}`));
        }
        const works = (lock: typeof lockA, store: S) =>
          Array.from({ length: 6 }, (_, i) => lock('gh-east', 'rep-wang', async (locked) => locked.commit(await claimCommit(locked, `C-3${i}`, 'rep-wang', minutes(20 + i)))));
        const results = await Promise.all([...works(lockA, a), ...works(lockB, b)]);
        expect(results.map(codeOf)).toEqual(Array(12).fill('ok'));
        for (const store of [a, b]) {
          expect(await store.memberVersion('gh-east', 'rep-wang')).toBe(6);
          expect((await store.countHoldings('gh-east', 'rep-wang')).total).toBe(6);
        }
      }

      // blocking keys: one record id, two records; a key of one tenant finds nothing in the other
      const recordA: DedupeRecordInput = { id: 'L-6001', object: 'lead', fields: { name: '张伟', company: '深圳市腾飞科技有限公司', phone: '13812345678' } };
      const recordB: DedupeRecordInput = { id: 'L-6001', object: 'lead', fields: { name: '王芳', phone: '13812345678', email: 'wangfang@yunfan.cn' } };
      const onlyA: DedupeRecordInput = { id: 'L-6002', object: 'lead', fields: { name: '陈静', phone: '13900001111' } };
      await a.indexForDedupe(recordA, must(blockingKeys(recordA, DEFAULT_RULE_SETS.lead)));
      await a.indexForDedupe(onlyA, must(blockingKeys(onlyA, DEFAULT_RULE_SETS.lead)));
      await b.indexForDedupe(recordB, must(blockingKeys(recordB, DEFAULT_RULE_SETS.lead)));
      const shared = 'phone=+8613812345678';
      expect(await a.findCandidates([shared])).toEqual([recordA]);
      expect(await b.findCandidates([shared])).toEqual([recordB]);
      expect(await a.findCandidates(must(blockingKeys(recordB, DEFAULT_RULE_SETS.lead)).filter((k) => k !== shared))).toEqual([]);
      expect(await b.findCandidates(must(blockingKeys(onlyA, DEFAULT_RULE_SETS.lead)))).toEqual([]);
      if (typeof a.countKeys === 'function' && typeof b.countKeys === 'function') {
        expect((await a.countKeys([shared])).get(shared)).toBe(1);
        expect((await b.countKeys([shared])).get(shared)).toBe(1);
        expect((await b.countKeys(must(blockingKeys(onlyA, DEFAULT_RULE_SETS.lead)))).size).toBe(0);
      }

      // payments: one plan id, one order id and one payment id, two ledgers
      if (isPaymentStore(a) && isPaymentStore(b)) await paymentsApart(a, b);
    }

    async function paymentsApart(a: PaymentStore, b: PaymentStore): Promise<void> {
      const policy = { zone: 'Asia/Shanghai' };
      const ctx = { now: new Date('2026-03-02T02:00:00.000Z'), actor: { id: 'clerk-wu' } };
      const plan = (orderId: string, total: string) => ({
        id: `PP-${orderId}`,
        orderId,
        customerId: 'C-1',
        ownerId: 'rep-li',
        orderDate: new Date('2026-03-02T02:00:00.000Z'),
        total: { currency: 'CNY', amount: total },
        installments: [{ id: 'I1', percent: 100, due: { kind: 'afterOrder' as const, days: 30 } }],
      });
      const payment = (id: string, amount: string) => ({
        id,
        customerId: 'C-1',
        orderId: null,
        amount: { currency: 'CNY', amount },
        receivedAt: new Date('2026-03-03T03:00:00.000Z'),
        method: 'bankTransfer' as const,
      });
      const payA = createPaymentService({ store: a, policy });
      const payB = createPaymentService({ store: b, policy });
      const planA = must(await payA.createPlan(plan('SO-1', '1000.00'), ctx)).plan;
      const planB = must(await payB.createPlan(plan('SO-1', '500.00'), ctx)).plan;
      must(await payB.createPlan(plan('SO-2', '80.00'), ctx));
      const paymentA = must(await payA.recordPayment(payment('P-1', '300.00'), ctx)).payment;
      const paymentB = must(await payB.recordPayment(payment('P-1', '40.00'), ctx)).payment;
      must(await payB.recordPayment(payment('P-2', '60.00'), ctx));
      expect(await a.loadPlan('PP-SO-1')).toEqual(planA);
      expect(await b.loadPlan('PP-SO-1')).toEqual(planB);
      expect(await a.loadPlanOfOrder('SO-1')).toEqual(planA);
      expect(await b.loadPlanOfOrder('SO-1')).toEqual(planB);
      expect(await a.loadPlanOfOrder('SO-2')).toBeNull();
      expect(await a.loadPayment('P-1')).toEqual(paymentA);
      expect(await b.loadPayment('P-1')).toEqual(paymentB);
      expect(await a.loadPayment('P-2')).toBeNull();
      expect(await ids(a.loadOpenPlans('C-1'))).toEqual(['PP-SO-1']);
      expect(await ids(b.loadOpenPlans('C-1'))).toEqual(['PP-SO-1', 'PP-SO-2']);
      expect((await a.loadOpenPlans('C-1', 'CNY'))[0]).toEqual(planA);
      expect(await ids(a.loadPaymentsWithCredit('C-1'))).toEqual(['P-1']);
      expect(await ids(b.loadPaymentsWithCredit('C-1'))).toEqual(['P-1', 'P-2']);
      expect((await a.loadPaymentsWithCredit('C-1'))[0]).toEqual(paymentA);
      expect(await ids(a.streamOpenPlans())).toEqual(['PP-SO-1']);
      expect(await ids(b.streamOpenPlans())).toEqual(['PP-SO-1', 'PP-SO-2']);
      // A applies its P-1: B's plan and payment keep their versions
      must(await payA.applyPayment('P-1', { kind: 'oldestFirst' }, ctx));
      expect(await b.loadPlan('PP-SO-1')).toEqual(planB);
      expect(await b.loadPayment('P-1')).toEqual(paymentB);
      expect((await a.loadPlan('PP-SO-1'))!.version).toBe(2);
    }

    /** A check of an optional port's section: skipped on a store without the port. */
    const portCheck =
      <P extends object>(isPort: (store: unknown) => store is P, port: string) =>
      (title: string, body: (store: P) => Promise<void>) =>
        t.it(
          title,
          async (context) => {
            const harness = await makeStore();
            try {
              if (!isPort(harness.store)) return context?.skip?.(`the store does not implement ${port}`);
              const neighbour = neighbourOf(harness);
              if (neighbour !== null && !isPort(neighbour)) {
                throw new ContractArgumentError('harness.neighbour', `must implement ${port} when harness.store does (a store of the same kind, of another tenant)`);
              }
              await eachTenant(harness as unknown as ContractHarness<P>, body);
            } finally {
              await harness.close?.();
            }
          },
          options.timeoutMs ?? 60_000,
        );
    paymentSection(t, portCheck(isPaymentStore, 'PaymentStore'), options);
    orderSection(t, portCheck(isOrderStore, 'OrderServiceStore'), options);
  });
}
