import { ruleError, type CrmError } from '../../core/errors.js';
import { err, ok, type Result } from '../../core/result.js';
import type { DedupeRecordInput, DedupeStore } from '../../dedupe/index.js';
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
import { VersionedTable } from './versioned-table.js';
import { storableCommit } from '../storable.js';

/** The in-memory store, with its tables exposed for tests, demos and seeding. */
export interface MemoryStore extends Omit<LeadStore, 'commit'>, Omit<PoolStore, 'commit'>, DedupeStore {
  /** Stores a record for duplicate checks with the blocking keys computed for it. */
  indexForDedupe(record: DedupeRecordInput, keys: readonly string[]): void;
  /** How many records are indexed under each key (keys with none left out). */
  countKeys(keys: readonly string[]): Promise<ReadonlyMap<string, number>>;
  /** One commit for every port: leads, opportunities, customers, member versions, the pool log. */
  commit(commit: LeadCommit & PoolCommit): Promise<Result<void, CrmError>>;
  readonly leads: VersionedTable<Lead>;
  readonly opportunities: VersionedTable<Opportunity>;
  readonly customers: VersionedTable<PoolCustomer>;
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

/**
 * The in-memory reference adapter for every port: leads, opportunities, pool customers,
 * policies, members' versions and the pool log, committed all-or-nothing with real version
 * checks, like one database transaction. A host's own adapter must behave the same. A commit
 * holding what a SQL store cannot keep — a NUL character or a lone surrogate in any text or id,
 * a bigint, NaN, an Invalid Date — is `INVALID_INPUT` (with its path) before anything is
 * written, exactly as in `createPostgresStore`.
 *
 * @example
 * const store = createMemoryStore();
 * const leads = createLeadService({ store });
 * const pools = createPoolService({ store });
 */
export function createMemoryStore(): MemoryStore {
  const leads = new VersionedTable<Lead>('lead');
  const opportunities = new VersionedTable<Opportunity>('opportunity');
  const customers = new VersionedTable<PoolCustomer>('customer');
  const policies = new Map<string, PoolPolicyInput>();
  const memberVersions = new Map<string, number>();
  const poolLog: PoolEvent[] = [];
  const leadReclaimStates = new Map<string, StoredLeadReclaimState>();
  const dedupeRecords = new Map<string, DedupeRecordInput>();
  const dedupeKeys = new Map<string, Set<string>>();
  const memberKey = (poolId: string, memberId: string) => `${poolId}\u0000${memberId}`;

  function checkMembers(writes: PoolCommit['members']): Result<void, CrmError> {
    for (const w of writes ?? []) {
      const actualVersion = memberVersions.get(memberKey(w.poolId, w.memberId)) ?? 0;
      if (actualVersion !== w.expectedVersion) {
        return err(ruleError('CONFLICT', { entity: 'pool member', id: `${w.poolId}/${w.memberId}`, expectedVersion: w.expectedVersion, actualVersion }));
      }
    }
    return ok(undefined);
  }

  function checkReclaimStates(writes: PoolCommit['leadReclaimStates']): Result<void, CrmError> {
    for (const w of writes ?? []) {
      const actualVersion = leadReclaimStates.get(w.leadId)?.version ?? 0;
      if (actualVersion !== w.expectedVersion) {
        return err(ruleError('CONFLICT', { entity: 'lead reclaim state', id: w.leadId, expectedVersion: w.expectedVersion, actualVersion }));
      }
    }
    return ok(undefined);
  }

  async function commit(c: LeadCommit & PoolCommit): Promise<Result<void, CrmError>> {
    const leadWrites = c.leads ?? [];
    const opportunityWrites = c.opportunities ?? [];
    const customerWrites = c.customers ?? [];
    // what the SQL store cannot keep (NUL, lone surrogates, bigints…) is refused here too: one answer on both
    const storable = storableCommit(c);
    if (!storable.ok) return storable;
    for (const checked of [
      leads.check(leadWrites),
      opportunities.check(opportunityWrites),
      customers.check(customerWrites),
      checkMembers(c.members),
      checkReclaimStates(c.leadReclaimStates),
    ]) {
      if (!checked.ok) return checked;
    }
    leads.apply(leadWrites);
    opportunities.apply(opportunityWrites);
    customers.apply(customerWrites);
    for (const w of c.members ?? []) memberVersions.set(memberKey(w.poolId, w.memberId), w.expectedVersion + 1);
    for (const { leadId, state, expectedVersion } of c.leadReclaimStates ?? []) {
      leadReclaimStates.set(leadId, { state, version: expectedVersion + 1 });
    }
    poolLog.push(...(c.log ?? []));
    return ok(undefined);
  }

  return {
    leads,
    opportunities,
    customers,
    policies,
    poolLog,
    putPolicy(policy) {
      policies.set(policy.id, policy);
    },
    putCustomer(customer) {
      customers.apply([{ record: customer, expectedVersion: null }]);
    },
    async loadLead(id) {
      return leads.get(id);
    },
    async loadOpportunity(id) {
      return opportunities.get(id);
    },
    async loadCustomer(id) {
      return customers.get(id);
    },
    async loadPolicy(poolId) {
      return policies.get(poolId) ?? null;
    },
    async countHoldings(poolId, memberId): Promise<Holdings> {
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
      for (const c of customers.values()) if (c.poolId === poolId && c.ownerId === memberId) add(c.level, c.won);
      for (const l of leads.values()) {
        if (l.poolId === poolId && l.ownerId === memberId && HELD_LEAD_STATUSES.has(l.status)) {
          add(typeof l.attributes.level === 'string' ? l.attributes.level : null, false);
        }
      }
      return { total, won, byLevel };
    },
    async claimTimesSince(poolId, memberId, since) {
      return poolLog
        .filter((e) => e.type === 'pool.claimed' && e.data.poolId === poolId && e.data.ownerTo === memberId && e.at.getTime() >= since.getTime())
        .map((e) => e.at);
    },
    async lastReleaseBy(recordId, memberId): Promise<MemberRelease | null> {
      for (let i = poolLog.length - 1; i >= 0; i--) {
        const e = poolLog[i]!;
        if (e.subject.id !== recordId || e.data.ownerFrom !== memberId) continue;
        if (e.type === 'pool.returned') return { at: e.at, kind: 'returned' };
        if (e.type === 'pool.reclaimed') return { at: e.at, kind: 'reclaimed' };
        if (e.type === 'pool.transferred') return { at: e.at, kind: 'transferred' };
      }
      return null;
    },
    indexForDedupe(record, keys) {
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
      return [...ids].sort().map((id) => dedupeRecords.get(id)!);
    },
    async countKeys(keys) {
      const counts = new Map<string, number>();
      for (const key of keys) {
        const n = dedupeKeys.get(key)?.size ?? 0;
        if (n > 0) counts.set(key, n);
      }
      return counts;
    },
    async loadLeadReclaimState(leadId) {
      return leadReclaimStates.get(leadId) ?? { state: null, version: 0 };
    },
    async *streamPoolRecords(poolId): AsyncGenerator<PoolRecordView> {
      // Snapshot the ids first: the caller may commit while it reads.
      const customerIds = [...customers.values()].filter((c) => c.poolId === poolId && c.ownerId !== null).map((c) => c.id);
      for (const id of customerIds) {
        const c = customers.get(id);
        if (c && c.poolId === poolId && c.ownerId !== null) yield poolRecordFromCustomer(c);
      }
      const leadIds = [...leads.values()].filter((l) => l.poolId === poolId && l.ownerId !== null && HELD_LEAD_STATUSES.has(l.status)).map((l) => l.id);
      for (const id of leadIds) {
        const l = leads.get(id);
        if (l && l.poolId === poolId && l.ownerId !== null) yield leadPoolView(l, leadReclaimStates.get(id)?.state ?? null);
      }
    },
    async memberVersion(poolId, memberId) {
      return memberVersions.get(memberKey(poolId, memberId)) ?? 0;
    },
    commit,
  };
}
