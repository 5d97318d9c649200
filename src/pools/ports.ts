import type { CrmError } from '../core/errors.js';
import type { Result } from '../core/result.js';
import type { Lead, VersionedWrite } from '../leads/index.js';
import type { PoolCustomer, PoolEvent } from './apply.js';
import type { Holdings, MemberRelease } from './claims.js';
import type { PoolPolicyInput, PoolRecordView } from './model.js';

/**
 * A member's version in a pool: bumped by every write that gives the member a record, so two
 * concurrent claims by one member cannot both pass the quota. On SQL it is one row per
 * (pool, member) updated with `WHERE version = $expected`.
 */
export interface MemberVersionWrite {
  readonly poolId: string;
  readonly memberId: string;
  readonly expectedVersion: number;
}

/**
 * A lead's reclaim state, kept beside the lead (a customer keeps it on itself): the last
 * warning, an approved extension, a pending one.
 */
export interface LeadReclaimState {
  /** The owner the state belongs to: a state left from an earlier owner is ignored. */
  readonly ownerId: string;
  readonly warning: { readonly ruleId: string; readonly warnedAt: Date; readonly reclaimAt: Date } | null;
  readonly extendedUntil: Date | null;
  readonly extensionPendingUntil: Date | null;
}

/** A lead's reclaim state as stored, with its version (0 when none was ever written). */
export interface StoredLeadReclaimState {
  readonly state: LeadReclaimState | null;
  readonly version: number;
}

/** What one pool operation writes, all or nothing. */
export interface PoolCommit {
  readonly leads?: readonly VersionedWrite<Lead>[];
  readonly customers?: readonly VersionedWrite<PoolCustomer>[];
  readonly members?: readonly MemberVersionWrite[];
  /** Sets (or, with null, clears) a lead's reclaim state over the version loaded. */
  readonly leadReclaimStates?: readonly {
    readonly leadId: string;
    readonly state: LeadReclaimState | null;
    readonly expectedVersion: number;
  }[];
  /** Appended to the pool log. */
  readonly log?: readonly PoolEvent[];
}

/**
 * The storage port of the pools module: each method one indexed query on any database.
 */
export interface PoolStore {
  loadPolicy(poolId: string): Promise<PoolPolicyInput | null>;
  /**
   * The ids of every pool with a policy (of the store's tenant), sorted by code point — what a
   * nightly job walks to run each pool's reclaim. Optional for a host's own store; the memory and
   * SQL adapters have it.
   */
  listPools?(): Promise<readonly string[]>;
  loadCustomer(id: string): Promise<PoolCustomer | null>;
  loadLead(id: string): Promise<Lead | null>;
  /** Records of the pool's kind this member owns in this pool: total, won, and per level. */
  countHoldings(poolId: string, memberId: string): Promise<Holdings>;
  /** When this member claimed from this pool since `since` (from the pool log). */
  claimTimesSince(poolId: string, memberId: string, since: Date): Promise<Date[]>;
  /** The last time this member returned this record or lost it to a reclaim or transfer. */
  lastReleaseBy(recordId: string, memberId: string): Promise<MemberRelease | null>;
  /** A lead's reclaim state and its version. */
  loadLeadReclaimState(leadId: string): Promise<StoredLeadReclaimState>;
  /** The owned records of a pool as pool views (leads with their reclaim state), streamed. */
  streamPoolRecords(poolId: string): AsyncIterable<PoolRecordView>;
  /**
   * The pool's unclaimed leads (no owner, status `unassigned`), by id in code point order,
   * streamed: what an escalation run walks (`runEscalation`). Optional for a host's own store;
   * the memory and SQL adapters have it (SQL: keyset pages over the pooled-leads index).
   */
  streamPooledLeads?(poolId: string): AsyncIterable<Lead>;
  /** The member's version in the pool (0 when it never held anything). */
  memberVersion(poolId: string, memberId: string): Promise<number>;
  /** Writes everything or nothing; `CONFLICT` when any expected version differs. */
  commit(commit: PoolCommit): Promise<Result<void, CrmError>>;
  /**
   * Optional: runs `work` holding the member's lock in the pool, with a store bound to one
   * transaction — reads through it see every gain committed before the lock was taken, and its
   * `commit` writes in that transaction, which commits when `work` answers ok and rolls back
   * when it answers a refusal (or throws). The pool service runs every gain under a holding
   * limit (claim, assign, change of owner) through it when the store has it, so one member's
   * concurrent claims queue instead of losing optimistic races; the member's version is still
   * written and checked. A store without it gets the optimistic path (reload and decide again
   * after `CONFLICT`). The store handed to `work` rejects with `InvariantError` once `work` has
   * ended. `work` must not take the same member's lock again through the outer store: it would
   * wait for itself (neither reference store can tell such a call from another request's).
   */
  withMemberLock?<T>(poolId: string, memberId: string, work: (store: PoolStore) => Promise<Result<T, CrmError>>): Promise<Result<T, CrmError>>;
}
