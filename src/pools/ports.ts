import type { CrmError } from '../core/errors.js';
import type { Result } from '../core/result.js';
import type { Lead, VersionedWrite } from '../leads/index.js';
import type { PoolCustomer, PoolEvent } from './apply.js';
import type { Holdings, MemberRelease } from './claims.js';
import type { PoolPolicyInput } from './model.js';

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

/** What one pool operation writes, all or nothing. */
export interface PoolCommit {
  readonly leads?: readonly VersionedWrite<Lead>[];
  readonly customers?: readonly VersionedWrite<PoolCustomer>[];
  readonly members?: readonly MemberVersionWrite[];
  /** Appended to the pool log. */
  readonly log?: readonly PoolEvent[];
}

/**
 * The storage port of the pools module: each method one indexed query on any database.
 */
export interface PoolStore {
  loadPolicy(poolId: string): Promise<PoolPolicyInput | null>;
  loadCustomer(id: string): Promise<PoolCustomer | null>;
  loadLead(id: string): Promise<Lead | null>;
  /** Records of the pool's kind this member owns in this pool: total, won, and per level. */
  countHoldings(poolId: string, memberId: string): Promise<Holdings>;
  /** When this member claimed from this pool since `since` (from the pool log). */
  claimTimesSince(poolId: string, memberId: string, since: Date): Promise<Date[]>;
  /** The last time this member returned this record or lost it to a reclaim or transfer. */
  lastReleaseBy(recordId: string, memberId: string): Promise<MemberRelease | null>;
  /** The member's version in the pool (0 when it never held anything). */
  memberVersion(poolId: string, memberId: string): Promise<number>;
  /** Writes everything or nothing; `CONFLICT` when any expected version differs. */
  commit(commit: PoolCommit): Promise<Result<void, CrmError>>;
}
