import { z } from 'zod';
import type { CrmError } from '../core/errors.js';
import type { HostRelation } from '../core/permissions.js';
import { ok, type Result } from '../core/result.js';
import { ownDataValue } from '../core/foreign.js';
import { deepFreeze, idSchema, instantSchema, parseInput } from '../core/validation.js';
import { parseLead, type Lead } from '../leads/index.js';
import { conditionSchema, poolMemberSchema, type AttributeValue, type Condition, type PoolMember, type PoolPolicy, type PoolRecordView } from './model.js';
import type { LeadReclaimState } from './ports.js';
import { parsePoolPolicy, type MemberRelease } from './claims.js';
import { parseRecordView } from './reclaim.js';
import { copiedField, copiedFields } from './boundary.js';

const isScalar = (v: unknown): v is AttributeValue => v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && v === v);
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

/**
 * The value a condition reads: `level` is the record's level, anything else one of the record's
 * own attributes (`constructor` or `toString` are names like any other, never inherited).
 * Anything that is not a scalar, or not there, is `undefined`.
 *
 * @example
 * recordField(record, 'level') // 'important'
 */
export function recordField(record: PoolRecordView, field: string): AttributeValue | undefined {
  if (!isObject(record) || typeof field !== 'string') return undefined;
  const v = field === 'level' ? record.level : fieldOf(record.attributes, field);
  return isScalar(v) ? v : undefined;
}

function fieldOf(attributes: unknown, field: string): unknown {
  return isObject(attributes) && Object.prototype.hasOwnProperty.call(attributes, field) ? attributes[field] : undefined;
}

/**
 * Whether a record meets a condition (every test holds; no condition matches everything). The
 * condition and the record are validated: a malformed one matches nothing (`false`).
 *
 * @example
 * matchesCondition({ all: [{ field: 'level', op: 'eq', value: 'important' }] }, record) // true for an important customer
 */
export function matchesCondition(condition: Condition | undefined, record: PoolRecordView): boolean {
  const c = condition === undefined ? null : parseInput(conditionSchema, condition);
  if (c !== null && !c.ok) return false;
  const r = parseRecordView(record, ['record']);
  if (!r.ok) return false;
  return conditionHolds(c === null ? undefined : c.value, r.value);
}

/**
 * `matchesCondition` on a parsed condition and record (the rules' hot loop).
 *
 * @internal
 */
export function conditionHolds(condition: Condition | undefined, record: PoolRecordView): boolean {
  if (!condition) return true;
  const tests = condition.all;
  for (let i = 0; i < tests.length; i++) {
    const test = tests[i]!;
    const v = test.field === 'level' ? record.level : fieldOf(record.attributes, test.field) as AttributeValue | undefined;
    switch (test.op) {
      case 'eq':
        if (v !== test.value) return false;
        break;
      case 'neq':
        if (v === test.value) return false;
        break;
      case 'in':
        if (v === undefined || !test.values.includes(v)) return false;
        break;
      case 'gt':
        if (typeof v !== 'number' || !(v > test.value)) return false;
        break;
      case 'gte':
        if (typeof v !== 'number' || !(v >= test.value)) return false;
        break;
      case 'lt':
        if (typeof v !== 'number' || !(v < test.value)) return false;
        break;
      case 'lte':
        if (typeof v !== 'number' || !(v <= test.value)) return false;
        break;
      case 'exists':
        if (v === undefined || v === null) return false;
        break;
    }
  }
  return true;
}

const NO_RELATIONS: readonly HostRelation[] = Object.freeze([]);

/**
 * The relations a user holds to a pool under its policy: `poolAdmin` for its admins,
 * `poolMember` for its members (listed users, or users in a listed department; admins are
 * members too). The host passes these on to the lead rules. A malformed policy or member holds
 * none.
 *
 * @example
 * poolRelationsOf(policy, { id: 'u1', departmentIds: ['sales-south'] }) // ['poolMember']
 */
export function poolRelationsOf(policy: PoolPolicy, member: PoolMember): readonly HostRelation[] {
  const p = parsePoolPolicy(policy);
  if (!p.ok) return NO_RELATIONS;
  const m = parseInput(poolMemberSchema, member);
  if (!m.ok) return NO_RELATIONS;
  return relationsOf(p.value, m.value);
}

/**
 * `poolRelationsOf` on a parsed policy and member.
 *
 * @internal
 */
export function relationsOf(policy: PoolPolicy, member: PoolMember): readonly HostRelation[] {
  const admin = policy.admins.includes(member.id);
  const listed =
    admin || policy.members.users.includes(member.id) || member.departmentIds.some((d) => policy.members.departments.includes(d));
  const relations: HostRelation[] = [];
  if (admin) relations.push('poolAdmin');
  if (listed) relations.push('poolMember');
  return Object.freeze(relations);
}

const memberReleaseSchema = z.object({ at: instantSchema, kind: z.enum(['returned', 'reclaimed', 'transferred']) }).strict();

/**
 * A member's last release of a record: the later of what the pool log says and what the lead
 * itself records (a return or reclaim made through the lead service is on the lead only).
 * Malformed input is `INVALID_INPUT` (never "no release": that would lift a cooldown).
 *
 * @example
 * latestRelease(await store.lastReleaseBy(lead.id, 'rep-li'), lead, 'rep-li') // ok({ at, kind: 'returned' })
 */
export function latestRelease(logged: MemberRelease | null, lead: Lead | null, memberId: string): Result<MemberRelease | null, CrmError> {
  const log = logged === null ? ok(null) : parseInput(memberReleaseSchema, logged, ['logged']);
  if (!log.ok) return log;
  const l = lead === null ? ok(null) : parseLead(lead, ['lead']);
  if (!l.ok) return l;
  const id = parseInput(idSchema, memberId, ['memberId']);
  if (!id.ok) return id;
  return ok(releaseOf(log.value, l.value, id.value));
}

/**
 * `latestRelease` on parsed values (a new frozen value).
 *
 * @internal
 */
export function releaseOf(logged: MemberRelease | null, lead: Lead | null, memberId: string): MemberRelease | null {
  const own = lead?.lastRelease && lead.lastRelease.previousOwnerId === memberId ? lead.lastRelease : null;
  const later = own === null ? logged : logged === null || own.at.getTime() > logged.at.getTime() ? own : logged;
  return later === null ? null : Object.freeze({ at: new Date(later.at.getTime()), kind: later.kind });
}

/**
 * The pool view of a lead with its reclaim state, if that state belongs to the lead's current
 * owner (a state left from an earlier owner is ignored: a new owner starts a fresh clock). A
 * mapping, not a validation (the rules validate the view at their door, so a corrupt stored lead
 * is refused there, record by record); it never throws, and what it cannot read is marked so the
 * rules refuse it. The view is frozen all the way down and shares nothing (no `Date`) with the
 * lead or the state.
 *
 * @example
 * leadPoolView(lead, stored.state).warning
 */
export function leadPoolView(lead: Lead, state: LeadReclaimState | null): PoolRecordView {
  if (!isObject(state) || ownDataValue(state, 'ownerId') !== ownDataValue(lead, 'ownerId')) return poolRecordFromLead(lead);
  const extra = {
    warning: copiedField(state, 'warning'),
    extendedUntil: copiedField(state, 'extendedUntil'),
    extensionPendingUntil: copiedField(state, 'extensionPendingUntil'),
  };
  return poolRecordFromLead(lead, extra as Partial<PoolRecordView>);
}

/**
 * The pool view of a lead. Leads have no deals or opportunities of their own; a host that
 * tracks extensions or levels elsewhere passes them in `extra` (its own fields replace the
 * lead's). `level` defaults to the lead's own `level` attribute when it is a string. A mapping,
 * not a validation (see `leadPoolView`): a new value frozen all the way down, every `Date` in it
 * its own — it shares nothing with the lead or `extra` (what is not data, such as a getter or a
 * Map, is marked so the rules refuse it, never left for a default to fill in).
 *
 * @example
 * poolRecordFromLead(lead).kind // 'lead'
 */
export function poolRecordFromLead(lead: Lead, extra: Partial<PoolRecordView> = {}): PoolRecordView {
  const attributes = copiedField(lead, 'attributes');
  const level = fieldOf(attributes, 'level');
  const view: Record<string, unknown> = {
    id: copiedField(lead, 'id'),
    kind: 'lead',
    poolId: copiedField(lead, 'poolId'),
    ownerId: copiedField(lead, 'ownerId'),
    level: typeof level === 'string' ? level : null,
    won: false,
    openOpportunityCount: 0,
    ownedSince: copiedField(lead, 'ownedSince'),
    lastFollowUpAt: copiedField(lead, 'lastFollowUpAt'),
    lastDealAt: null,
    lastOpenOpportunityAt: null,
    teamIds: [],
    attributes,
    extendedUntil: null,
    extensionPendingUntil: null,
    warning: null,
  };
  const more = copiedFields(extra);
  for (const key of Object.keys(more)) Object.defineProperty(view, key, { value: more[key], enumerable: true, writable: true, configurable: true });
  return deepFreeze(view) as unknown as PoolRecordView;
}
