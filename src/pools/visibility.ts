import { z } from 'zod';
import { invalidAt } from '../core/boundary.js';
import { refuse, type CrmError } from '../core/errors.js';
import { ok, type Result } from '../core/result.js';
import { idSchema, parseInput } from '../core/validation.js';
import { poolMemberSchema, type PoolMember, type PoolPolicy, type PoolPolicyInput } from './model.js';
import { parsePoolPolicy } from './claims.js';
import { relationsOf } from './records.js';
import { copyData } from './boundary.js';

/** A record as a viewer of the pool may see it, and what else the pool shows that viewer. */
export interface PoolRecordSight<T> {
  /** The record, cut to the fields this viewer may see (all of them for admins and the owner). */
  readonly record: Partial<T> & { readonly id: string };
  readonly full: boolean;
  /** The fields that were withheld. */
  readonly hiddenFields: readonly string[];
  /** May the viewer see related records (contacts, follow-ups) and the pool log? */
  readonly showRelated: boolean;
  readonly showPoolLog: boolean;
}

const recordSchema = z.object({ id: idSchema, ownerId: idSchema.nullable().optional(), teamIds: z.array(idSchema).optional() }).catchall(z.unknown());

/**
 * What a viewer sees of a record in the pool before claiming it. Admins see everything; so do
 * the owner and the team of an owned record. A member of a claim pool sees the id and the
 * policy's public fields (and related records and the log only if the policy says so). In an
 * assign-only pool, or for someone outside the pool, the pool is not visible. The record is
 * JSON-shaped data (scalars, `Date`s, arrays, plain objects), copied: the sight shares nothing
 * with it, and is frozen all the way down.
 *
 * @example
 * viewPoolRecord(policy, { id: 'C1', name: '腾飞科技', phone: '138…', ownerId: null }, member)
 * // ok: { record: { id: 'C1', name: '腾飞科技' }, hiddenFields: ['phone', 'ownerId'], full: false, ... }
 */
export function viewPoolRecord<T extends { readonly id: string }>(
  policy: PoolPolicyInput | PoolPolicy,
  record: T,
  viewer: PoolMember,
): Result<PoolRecordSight<T>, CrmError> {
  const p = parsePoolPolicy(policy);
  if (!p.ok) return p;
  // The record is read once, into a frozen deep copy; the checks and the sight both read the copy.
  const copied = copyData(record, ['record']);
  if ('issue' in copied) return invalidAt(copied.issue.path, copied.issue.message);
  const data = copied.value as Readonly<Record<string, unknown>>;
  const r = parseInput(recordSchema, data, ['record']);
  if (!r.ok) return r;
  const v = parseInput(poolMemberSchema, viewer, ['viewer']);
  if (!v.ok) return v;
  const pol = p.value;
  const rec = r.value;
  const relations = relationsOf(pol, v.value);
  const insider = rec.ownerId === v.value.id || (rec.teamIds ?? []).includes(v.value.id);
  if (relations.includes('poolAdmin') || insider) {
    return ok(Object.freeze({ record: data as Partial<T> & { id: string }, full: true, hiddenFields: Object.freeze([]), showRelated: true, showPoolLog: true }));
  }
  if (!relations.includes('poolMember') || pol.claimMode === 'assignOnly') {
    return refuse('POOL_NOT_VISIBLE', { poolId: pol.id, memberId: v.value.id, claimMode: pol.claimMode });
  }
  const visible = new Set(['id', ...pol.visibility.publicFields]);
  const shown: Record<string, unknown> = {};
  const hidden: string[] = [];
  for (const key of Object.keys(data)) {
    if (visible.has(key)) shown[key] = data[key];
    else hidden.push(key);
  }
  return ok(
    Object.freeze({
      record: Object.freeze(shown) as Partial<T> & { id: string },
      full: false,
      hiddenFields: Object.freeze(hidden),
      showRelated: pol.visibility.showRelated,
      showPoolLog: pol.visibility.showPoolLog,
    }),
  );
}
