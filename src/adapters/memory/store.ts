import { ruleError, type CrmError } from '../../core/errors.js';
import { err, ok, type Result } from '../../core/result.js';
import type { CountKeysOptions, DedupeRecordInput, DedupeStore } from '../../dedupe/index.js';
import type { Lead, LeadCommit, LeadStore, Opportunity } from '../../leads/index.js';
import {
  poolRecordFromCustomer,
  type Holdings,
  leadPoolView,
  type StoredLeadReclaimState,
  type MemberRelease,
  type PoolCommit,
  type PoolCustomer,
  type PoolEvent,
  type PoolPolicyInput,
  type PoolRecordView,
  type PoolStore,
} from '../../pools/index.js';
import { DEAL_ORDER_STATUSES, type Contract, type Order, type OrderCommit, type OrderStore } from '../../orders/index.js';
import { checkWrites, compareCodePoints, StagedRows, VersionedTable, type VersionedRows } from './versioned-table.js';
import { dedupeEntryProblem, storableCommit, unindexable } from '../storable.js';
import { detachedPoolTables, openTenant, type MemoryStoreOptions, type PoolTables } from './database.js';
import { readOption, workEnded, type UnusableClientError } from '../unusable.js';

/** The in-memory store, with its tenant's tables exposed for tests, demos and seeding. */
export interface MemoryStore extends Omit<LeadStore, 'commit'>, Omit<PoolStore, 'commit' | 'withMemberLock'>, Omit<OrderStore, 'commit'>, DedupeStore {
  /** Stores a record for duplicate checks with the blocking keys computed for it. */
  indexForDedupe(record: DedupeRecordInput, keys: readonly string[]): void;
  /** How many records are indexed under each key (keys with none left out), the record `options.except` names left out. */
  countKeys(keys: readonly string[], options?: CountKeysOptions): Promise<ReadonlyMap<string, number>>;
  /** One commit for every port: leads, opportunities, customers, contracts, orders, member versions, the pool log. */
  commit(commit: LeadCommit & PoolCommit & OrderCommit): Promise<Result<void, CrmError>>;
  /**
   * Runs `work` holding the member's lock in the pool (one queue per tenant, pool and member,
   * first come first served; stores of the same tenant on the same database share it). `work`
   * gets a store whose reads see everything committed (and its own commits) and whose `commit`
   * checks at once but only stages: the staged commits are applied together, checked again, in
   * one step, when `work` resolves with an ok Result — a later `CONFLICT` then is the answer —
   * and dropped when it resolves with a refusal or rejects (the rejection passes through). The
   * store handed to `work` rejects with `InvariantError` once `work` has ended. Ids that are
   * not strings, or a `work` that is not a function, are `INVALID_INPUT`.
   *
   * @example
   * await store.withMemberLock('gh-east', 'rep-li', async (locked) => {
   *   const version = await locked.memberVersion('gh-east', 'rep-li');
   *   return locked.commit({ customers: [claimed], members: [{ poolId: 'gh-east', memberId: 'rep-li', expectedVersion: version }] });
   * });
   */
  withMemberLock<T>(poolId: string, memberId: string, work: (store: PoolStore) => Promise<Result<T, CrmError>>): Promise<Result<T, CrmError>>;
  readonly leads: VersionedTable<Lead>;
  readonly opportunities: VersionedTable<Opportunity>;
  readonly customers: VersionedTable<PoolCustomer>;
  readonly contracts: VersionedTable<Contract>;
  readonly orders: VersionedTable<Order>;
  readonly policies: Map<string, PoolPolicyInput>;
  /** The pool log, oldest first. */
  readonly poolLog: readonly PoolEvent[];
  /** Seeds or replaces a pool policy. */
  putPolicy(policy: PoolPolicyInput): void;
  /** Seeds a customer (version as given), bypassing version checks. */
  putCustomer(customer: PoolCustomer): void;
}

/** Held leads: owned and still worked (not converted or voided). */
const HELD_LEAD_STATUSES = new Set(['pending', 'following', 'invalid']);

const memberKey = (poolId: string, memberId: string) => `${poolId}\u0000${memberId}`;

/** What the reads and the version checks of the pools' store read: the tables, or the tables with writes staged over them. */
interface PoolRows {
  readonly leads: VersionedRows<Lead>;
  readonly opportunities: VersionedRows<Opportunity>;
  readonly customers: VersionedRows<PoolCustomer>;
  readonly contracts: VersionedRows<Contract>;
  readonly orders: VersionedRows<Order>;
  memberVersion(key: string): number;
  reclaimState(leadId: string): StoredLeadReclaimState | null;
  /** The pool log, oldest first. */
  log(): readonly PoolEvent[];
}

function rowsOf(tables: PoolTables): PoolRows {
  return {
    leads: tables.leads,
    opportunities: tables.opportunities,
    customers: tables.customers,
    contracts: tables.contracts,
    orders: tables.orders,
    memberVersion: (key) => tables.memberVersions.get(key) ?? 0,
    reclaimState: (leadId) => tables.leadReclaimStates.get(leadId) ?? null,
    log: () => tables.poolLog,
  };
}

type StoreCommit = LeadCommit & PoolCommit & OrderCommit;

/** The parts of a commit the store writes, the lists and their writes copied (what a caller changes later is not seen). */
function copyCommit(c: StoreCommit): StoreCommit {
  const writes = <T>(list: readonly { readonly record: T; readonly expectedVersion: number | null }[] | undefined) =>
    (list ?? []).map((w) => ({ record: w.record, expectedVersion: w.expectedVersion }));
  return {
    leads: writes(c.leads),
    opportunities: writes(c.opportunities),
    customers: writes(c.customers),
    contracts: writes(c.contracts),
    orders: writes(c.orders),
    members: (c.members ?? []).map((m) => ({ poolId: m.poolId, memberId: m.memberId, expectedVersion: m.expectedVersion })),
    leadReclaimStates: (c.leadReclaimStates ?? []).map((s) => ({ leadId: s.leadId, state: s.state, expectedVersion: s.expectedVersion })),
    log: [...(c.log ?? [])],
  };
}

/**
 * Commits staged over the tables, all checked, none applied yet: one database transaction.
 * `write` checks a commit against what the tables hold with the earlier staged commits over
 * them, and stages it when it holds; `applyTo` applies everything staged at once.
 */
class PoolTransaction implements PoolRows {
  readonly leads: StagedRows<Lead>;
  readonly opportunities: StagedRows<Opportunity>;
  readonly customers: StagedRows<PoolCustomer>;
  readonly contracts: StagedRows<Contract>;
  readonly orders: StagedRows<Order>;
  readonly #members = new Map<string, number>();
  readonly #states = new Map<string, StoredLeadReclaimState>();
  readonly #log: PoolEvent[] = [];

  constructor(readonly base: PoolRows) {
    this.leads = new StagedRows(base.leads);
    this.opportunities = new StagedRows(base.opportunities);
    this.customers = new StagedRows(base.customers);
    this.contracts = new StagedRows(base.contracts);
    this.orders = new StagedRows(base.orders);
  }

  memberVersion(key: string): number {
    return this.#members.get(key) ?? this.base.memberVersion(key);
  }

  reclaimState(leadId: string): StoredLeadReclaimState | null {
    return this.#states.get(leadId) ?? this.base.reclaimState(leadId);
  }

  log(): readonly PoolEvent[] {
    return this.#log.length === 0 ? this.base.log() : [...this.base.log(), ...this.#log];
  }

  /** Checks a commit against what this transaction sees and stages it, or the first refusal (nothing staged). */
  write(c: StoreCommit): Result<void, CrmError> {
    const leadWrites = c.leads ?? [];
    const opportunityWrites = c.opportunities ?? [];
    const customerWrites = c.customers ?? [];
    const contractWrites = c.contracts ?? [];
    const orderWrites = c.orders ?? [];
    // what the SQL store cannot keep (NUL, lone surrogates, bigints…) is refused here too: one answer on both
    const storable = storableCommit(c);
    if (!storable.ok) return storable;
    for (const checked of [
      checkWrites(this.leads, leadWrites),
      checkWrites(this.opportunities, opportunityWrites),
      checkWrites(this.customers, customerWrites),
      checkWrites(this.contracts, contractWrites),
      checkWrites(this.orders, orderWrites),
      this.#checkMembers(c.members),
      this.#checkReclaimStates(c.leadReclaimStates),
    ]) {
      if (!checked.ok) return checked;
    }
    this.leads.stage(leadWrites);
    this.opportunities.stage(opportunityWrites);
    this.customers.stage(customerWrites);
    this.contracts.stage(contractWrites);
    this.orders.stage(orderWrites);
    for (const w of c.members ?? []) this.#members.set(memberKey(w.poolId, w.memberId), w.expectedVersion + 1);
    for (const { leadId, state, expectedVersion } of c.leadReclaimStates ?? []) this.#states.set(leadId, { state, version: expectedVersion + 1 });
    this.#log.push(...(c.log ?? []));
    return ok(undefined);
  }

  /** Applies everything staged to the tables this transaction was opened over. */
  applyTo(tables: PoolTables): void {
    tables.leads.apply(this.leads.writes);
    tables.opportunities.apply(this.opportunities.writes);
    tables.customers.apply(this.customers.writes);
    tables.contracts.apply(this.contracts.writes);
    tables.orders.apply(this.orders.writes);
    for (const [key, version] of this.#members) tables.memberVersions.set(key, version);
    for (const [leadId, stored] of this.#states) tables.leadReclaimStates.set(leadId, stored);
    tables.poolLog.push(...this.#log);
  }

  #checkMembers(writes: PoolCommit['members']): Result<void, CrmError> {
    for (const w of writes ?? []) {
      const actualVersion = this.memberVersion(memberKey(w.poolId, w.memberId));
      if (actualVersion !== w.expectedVersion) {
        return err(ruleError('CONFLICT', { entity: 'pool member', id: `${w.poolId}/${w.memberId}`, expectedVersion: w.expectedVersion, actualVersion }));
      }
    }
    return ok(undefined);
  }

  #checkReclaimStates(writes: PoolCommit['leadReclaimStates']): Result<void, CrmError> {
    for (const w of writes ?? []) {
      const actualVersion = this.reclaimState(w.leadId)?.version ?? 0;
      if (actualVersion !== w.expectedVersion) {
        return err(ruleError('CONFLICT', { entity: 'lead reclaim state', id: w.leadId, expectedVersion: w.expectedVersion, actualVersion }));
      }
    }
    return ok(undefined);
  }
}


/** The stored orders that `keep` accepts, by id (a row a host seeded malformed is never matched: its fields are read only when it is an object). */
function ordersWhere(rows: PoolRows, keep: (o: Order) => boolean): readonly Order[] {
  return Object.freeze([...rows.orders.values()].filter((o) => typeof o === 'object' && o !== null && keep(o)).sort((a, b) => compareCodePoints(a.id, b.id)));
}

/** The reads of the pools', leads', orders' and dedupe ports over `rows` (the tables, or a transaction over them). */
function readsOf(rows: PoolRows, tables: PoolTables) {
  return {
    async loadLead(id: string): Promise<Lead | null> {
      return rows.leads.get(id);
    },
    async loadOpportunity(id: string): Promise<Opportunity | null> {
      return rows.opportunities.get(id);
    },
    async listOpenOpportunitiesOfCustomer(customerId: string): Promise<readonly Opportunity[]> {
      return Object.freeze([...rows.opportunities.values()].filter((o) => o.customerId === customerId && o.status === 'open').sort((a, b) => compareCodePoints(a.id, b.id)));
    },
    async loadCustomer(id: string): Promise<PoolCustomer | null> {
      return rows.customers.get(id);
    },
    async loadContract(id: string): Promise<Contract | null> {
      return rows.contracts.get(id);
    },
    async loadOrder(id: string): Promise<Order | null> {
      return rows.orders.get(id);
    },
    async loadOrdersOfContract(contractId: string): Promise<readonly Order[]> {
      return ordersWhere(rows, (o) => o.contractId === contractId);
    },
    async loadOrdersOfOpportunity(opportunityId: string): Promise<readonly Order[]> {
      return ordersWhere(rows, (o) => o.opportunityId === opportunityId);
    },
    async loadDealOrdersOfCustomer(customerId: string): Promise<readonly Order[]> {
      return ordersWhere(rows, (o) => o.customerId === customerId && DEAL_ORDER_STATUSES.includes(o.status));
    },
    async loadPolicy(poolId: string): Promise<PoolPolicyInput | null> {
      return tables.policies.get(poolId) ?? null;
    },
    async listPools(): Promise<readonly string[]> {
      return Object.freeze([...tables.policies.keys()].sort(compareCodePoints));
    },
    async countHoldings(poolId: string, memberId: string): Promise<Holdings> {
      let total = 0;
      let won = 0;
      const byLevel: Record<string, { total: number; won: number }> = {};
      const add = (level: string | null, isWon: boolean) => {
        total++;
        if (isWon) won++;
        if (level !== null) {
          const entry = (byLevel[level] ??= { total: 0, won: 0 });
          entry.total++;
          if (isWon) entry.won++;
        }
      };
      for (const c of rows.customers.values()) if (c.poolId === poolId && c.ownerId === memberId) add(c.level, c.won);
      for (const l of rows.leads.values()) {
        if (l.poolId === poolId && l.ownerId === memberId && HELD_LEAD_STATUSES.has(l.status)) {
          add(typeof l.attributes.level === 'string' ? l.attributes.level : null, false);
        }
      }
      return { total, won, byLevel };
    },
    async claimTimesSince(poolId: string, memberId: string, since: Date): Promise<Date[]> {
      return rows
        .log()
        .filter((e) => e.type === 'pool.claimed' && e.data.poolId === poolId && e.data.ownerTo === memberId && e.at.getTime() >= since.getTime())
        .map((e) => e.at);
    },
    async lastReleaseBy(recordId: string, memberId: string): Promise<MemberRelease | null> {
      const log = rows.log();
      for (let i = log.length - 1; i >= 0; i--) {
        const e = log[i]!;
        if (e.subject.id !== recordId || e.type === 'pool.reclaimWarned' || e.data.ownerFrom !== memberId) continue;
        if (e.type === 'pool.returned') return { at: e.at, kind: 'returned' };
        if (e.type === 'pool.reclaimed') return { at: e.at, kind: 'reclaimed' };
        if (e.type === 'pool.transferred') return { at: e.at, kind: 'transferred' };
      }
      return null;
    },
    async loadLeadReclaimState(leadId: string): Promise<StoredLeadReclaimState> {
      return rows.reclaimState(leadId) ?? { state: null, version: 0 };
    },
    async *streamPoolRecords(poolId: string): AsyncGenerator<PoolRecordView> {
      // Snapshot the ids first: the caller may commit while it reads.
      const customerIds = [...rows.customers.values()].filter((c) => c.poolId === poolId && c.ownerId !== null).map((c) => c.id);
      for (const id of customerIds) {
        const c = rows.customers.get(id);
        if (c && c.poolId === poolId && c.ownerId !== null) yield poolRecordFromCustomer(c);
      }
      const leadIds = [...rows.leads.values()].filter((l) => l.poolId === poolId && l.ownerId !== null && HELD_LEAD_STATUSES.has(l.status)).map((l) => l.id);
      for (const id of leadIds) {
        const l = rows.leads.get(id);
        if (l && l.poolId === poolId && l.ownerId !== null) yield leadPoolView(l, rows.reclaimState(id)?.state ?? null);
      }
    },
    async *streamPooledLeads(poolId: string): AsyncGenerator<Lead> {
      // Snapshot the ids first (by code point, as the SQL store pages them): the caller may commit while it reads.
      const ids = [...rows.leads.values()].filter((l) => l.poolId === poolId && l.ownerId === null && l.status === 'unassigned').map((l) => l.id).sort(compareCodePoints);
      for (const id of ids) {
        const l = rows.leads.get(id);
        if (l && l.poolId === poolId && l.ownerId === null && l.status === 'unassigned') yield l;
      }
    },
    async memberVersion(poolId: string, memberId: string): Promise<number> {
      return rows.memberVersion(memberKey(poolId, memberId));
    },
  };
}

const isOkResult = (r: unknown): boolean => typeof r === 'object' && r !== null && (r as { ok?: unknown }).ok === true;

/**
 * The in-memory reference adapter for every port: leads, opportunities, pool customers,
 * policies, members' versions and the pool log, committed all-or-nothing with real version
 * checks, like one database transaction. A host's own adapter must behave the same. A commit
 * holding what a SQL store cannot keep — a NUL character or a lone surrogate in any text or id,
 * a bigint, NaN, an Invalid Date — is `INVALID_INPUT` (with its path) before anything is
 * written, exactly as in `createPostgresStore`.
 *
 * Tenancy: `options.tenantId` (default `'default'`) names the tenant whose rows the store reads
 * and writes in `options.database` (from `createMemoryDatabase()`; default: a fresh database of
 * its own). Stores of different tenants on one database never see each other's rows — the same
 * ids in two tenants are two records — and stores of the same tenant share them. The exposed
 * tables (`leads`, `customers`, `poolLog`, …) are the tenant's own. `withMemberLock` queues work
 * per tenant, pool and member (see `MemoryStore`).
 *
 * Never throws: options it cannot use (not an object, a `tenantId` that is not 1–200 characters
 * of safe text, a `database` not made by `createMemoryDatabase`) give a store whose every call
 * fails like a database that cannot be reached — the async methods reject, the synchronous
 * seeding methods (`putPolicy`, `putCustomer`, `indexForDedupe`) throw — with
 * `UnusableClientError` (code `INVALID_INPUT`) naming the option, e.g. `options.tenantId`, as
 * `createPostgresStore` does for its options.
 *
 * @example
 * const store = createMemoryStore();
 * const leads = createLeadService({ store });
 * const pools = createPoolService({ store });
 *
 * @example
 * const database = createMemoryDatabase();
 * const acme = createMemoryStore({ database, tenantId: 'acme' });
 * const globex = createMemoryStore({ database, tenantId: 'globex' });
 */
export function createMemoryStore(options?: MemoryStoreOptions): MemoryStore {
  const opened = openTenant(options, 'pools');
  if (!opened.ok) return unusableStore(opened.error);
  const tables = opened.tables;
  const { leads, opportunities, customers, policies, poolLog, dedupeRecords, dedupeKeys, locks } = tables;
  const live = rowsOf(tables);

  async function commit(c: StoreCommit): Promise<Result<void, CrmError>> {
    const transaction = new PoolTransaction(live);
    const written = transaction.write(c);
    if (!written.ok) return written;
    transaction.applyTo(tables);
    return ok(undefined);
  }

  /** `work` over a transaction: its commits staged, applied together when it answers ok. */
  async function runLocked<T>(work: (store: PoolStore) => Promise<Result<T, CrmError>>): Promise<Result<T, CrmError>> {
    const transaction = new PoolTransaction(live);
    const staged: StoreCommit[] = [];
    let open = true;
    const endedError = () => workEnded('memory');
    const ended = () => Promise.reject(endedError());
    const reads = readsOf(transaction, tables);
    const view: PoolStore & Pick<LeadStore, 'loadOpportunity'> = {
      loadPolicy: (poolId) => (open ? reads.loadPolicy(poolId) : ended()),
      listPools: () => (open ? reads.listPools() : ended()),
      loadCustomer: (id) => (open ? reads.loadCustomer(id) : ended()),
      loadLead: (id) => (open ? reads.loadLead(id) : ended()),
      loadOpportunity: (id) => (open ? reads.loadOpportunity(id) : ended()),
      countHoldings: (poolId, memberId) => (open ? reads.countHoldings(poolId, memberId) : ended()),
      claimTimesSince: (poolId, memberId, since) => (open ? reads.claimTimesSince(poolId, memberId, since) : ended()),
      lastReleaseBy: (recordId, memberId) => (open ? reads.lastReleaseBy(recordId, memberId) : ended()),
      loadLeadReclaimState: (leadId) => (open ? reads.loadLeadReclaimState(leadId) : ended()),
      async *streamPoolRecords(poolId) {
        if (!open) throw endedError();
        yield* reads.streamPoolRecords(poolId);
      },
      async *streamPooledLeads(poolId) {
        if (!open) throw endedError();
        yield* reads.streamPooledLeads(poolId);
      },
      memberVersion: (poolId, memberId) => (open ? reads.memberVersion(poolId, memberId) : ended()),
      async commit(c) {
        if (!open) return ended();
        const written = transaction.write(c);
        if (written.ok) staged.push(copyCommit(c));
        return written;
      },
    };
    let answer: Result<T, CrmError>;
    try {
      answer = await work(view);
    } finally {
      open = false;
    }
    if (!isOkResult(answer)) return answer;
    // checked again over what is committed now, and applied in the same step: all or nothing
    const final = new PoolTransaction(live);
    for (const c of staged) {
      const written = final.write(c);
      if (!written.ok) return written;
    }
    final.applyTo(tables);
    return answer;
  }

  return {
    leads,
    opportunities,
    customers,
    contracts: tables.contracts,
    orders: tables.orders,
    policies,
    poolLog,
    putPolicy(policy) {
      policies.set(policy.id, policy);
    },
    putCustomer(customer) {
      customers.apply([{ record: customer, expectedVersion: null }]);
    },
    ...readsOf(live, tables),
    indexForDedupe(record, keys) {
      const problem = dedupeEntryProblem(record);
      if (problem !== null) throw unindexable(problem);
      dedupeRecords.set(record.id, record);
      for (const key of keys) {
        let ids = dedupeKeys.get(key);
        if (!ids) dedupeKeys.set(key, (ids = new Set()));
        ids.add(record.id);
      }
    },
    async findCandidates(keys) {
      const ids = new Set<string>();
      for (const key of keys) for (const id of dedupeKeys.get(key) ?? []) ids.add(id);
      return [...ids].sort(compareCodePoints).map((id) => dedupeRecords.get(id)!);
    },
    async countKeys(keys, options) {
      const counts = new Map<string, number>();
      const except = readOption(options, 'except');
      for (const key of keys) {
        const holders = dedupeKeys.get(key);
        const n = (holders?.size ?? 0) - (typeof except === 'string' && holders?.has(except) ? 1 : 0);
        if (n > 0) counts.set(key, n);
      }
      return counts;
    },
    async withMemberLock(poolId, memberId, work) {
      if (typeof poolId !== 'string' || typeof memberId !== 'string' || typeof work !== 'function') {
        const summary = 'withMemberLock takes a pool id, a member id (strings) and a work function';
        return err(ruleError('INVALID_INPUT', { issues: [{ path: ['withMemberLock'], message: summary, code: 'custom' }], summary }));
      }
      const key = memberKey(poolId, memberId);
      const before = locks.get(key);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const tail = before === undefined ? held : before.then(() => held);
      locks.set(key, tail);
      try {
        if (before !== undefined) await before;
        return await runLocked(work);
      } finally {
        release();
        if (locks.get(key) === tail) locks.delete(key);
      }
    },
    commit,
  };
}

/** A store whose every call fails with the error of its unusable options (see `createMemoryStore`). */
function unusableStore(error: () => UnusableClientError): MemoryStore {
  const tables = detachedPoolTables();
  const reject = () => Promise.reject(error());
  const fail = (): never => {
    throw error();
  };
  return {
    leads: tables.leads,
    opportunities: tables.opportunities,
    customers: tables.customers,
    contracts: tables.contracts,
    orders: tables.orders,
    policies: tables.policies,
    poolLog: tables.poolLog,
    putPolicy: fail,
    putCustomer: fail,
    indexForDedupe: fail,
    loadLead: reject,
    loadOpportunity: reject,
    listOpenOpportunitiesOfCustomer: reject,
    loadCustomer: reject,
    loadContract: reject,
    loadOrder: reject,
    loadOrdersOfContract: reject,
    loadOrdersOfOpportunity: reject,
    loadDealOrdersOfCustomer: reject,
    loadPolicy: reject,
    listPools: reject,
    countHoldings: reject,
    claimTimesSince: reject,
    lastReleaseBy: reject,
    loadLeadReclaimState: reject,
    async *streamPoolRecords() {
      throw error();
    },
    async *streamPooledLeads() {
      throw error();
    },
    memberVersion: reject,
    findCandidates: reject,
    countKeys: reject,
    withMemberLock: reject,
    commit: reject,
  };
}
