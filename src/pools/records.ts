import type { HostRelation } from '../core/permissions.js';
import type { Lead } from '../leads/index.js';
import type { AttributeValue, Condition, PoolMember, PoolPolicy, PoolRecordView } from './model.js';
import type { LeadReclaimState } from './ports.js';
import type { MemberRelease } from './claims.js';

/**
 * The value a condition reads: `level` is the record's level, anything else an attribute.
 *
 * @example
 * recordField(record, 'level') // 'important'
 */
export function recordField(record: PoolRecordView, field: string): AttributeValue | undefined {
  if (field === 'level') return record.level;
  return Object.prototype.hasOwnProperty.call(record.attributes, field) ? record.attributes[field] : undefined;
}

/**
 * Whether a record meets a condition (every test holds; no condition matches everything).
 *
 * @example
 * matchesCondition({ all: [{ field: 'level', op: 'eq', value: 'important' }] }, record) // true for an important customer
 */
export function matchesCondition(condition: Condition | undefined, record: PoolRecordView): boolean {
  if (!condition) return true;
  const tests = condition.all;
  for (let i = 0; i < tests.length; i++) {
    const test = tests[i]!;
    const v = recordField(record, test.field);
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

/**
 * The relations a user holds to a pool under its policy: `poolAdmin` for its admins,
 * `poolMember` for its members (listed users, or users in a listed department; admins are
 * members too). The host passes these on to the lead rules.
 *
 * @example
 * poolRelationsOf(policy, { id: 'u1', departmentIds: ['sales-south'] }) // ['poolMember']
 */
export function poolRelationsOf(policy: PoolPolicy, member: PoolMember): HostRelation[] {
  const admin = policy.admins.includes(member.id);
  const listed =
    admin || policy.members.users.includes(member.id) || member.departmentIds.some((d) => policy.members.departments.includes(d));
  const relations: HostRelation[] = [];
  if (admin) relations.push('poolAdmin');
  if (listed) relations.push('poolMember');
  return relations;
}

/**
 * A member's last release of a record: the later of what the pool log says and what the lead
 * itself records (a return or reclaim made through the lead service is on the lead only).
 *
 * @example
 * latestRelease(await store.lastReleaseBy(lead.id, 'rep-li'), lead, 'rep-li')
 */
export function latestRelease(logged: MemberRelease | null, lead: Lead | null, memberId: string): MemberRelease | null {
  const own = lead?.lastRelease && lead.lastRelease.previousOwnerId === memberId ? { at: lead.lastRelease.at, kind: lead.lastRelease.kind } : null;
  if (own === null) return logged;
  if (logged === null) return own;
  return own.at.getTime() > logged.at.getTime() ? own : logged;
}

/**
 * The pool view of a lead with its reclaim state, if that state belongs to the lead's current
 * owner (a state left from an earlier owner is ignored: a new owner starts a fresh clock).
 *
 * @example
 * leadPoolView(lead, stored.state).warning
 */
export function leadPoolView(lead: Lead, state: LeadReclaimState | null): PoolRecordView {
  if (state === null || state.ownerId !== lead.ownerId) return poolRecordFromLead(lead);
  return poolRecordFromLead(lead, { warning: state.warning, extendedUntil: state.extendedUntil, extensionPendingUntil: state.extensionPendingUntil });
}

/**
 * The pool view of a lead. Leads have no deals or opportunities of their own; a host that
 * tracks extensions or levels elsewhere passes them in `extra`. `level` defaults to the lead's
 * `level` attribute when it is a string.
 *
 * @example
 * poolRecordFromLead(lead).kind // 'lead'
 */
export function poolRecordFromLead(lead: Lead, extra: Partial<PoolRecordView> = {}): PoolRecordView {
  const level = lead.attributes.level;
  return {
    id: lead.id,
    kind: 'lead',
    poolId: lead.poolId,
    ownerId: lead.ownerId,
    level: typeof level === 'string' ? level : null,
    won: false,
    openOpportunityCount: 0,
    ownedSince: lead.ownedSince,
    lastFollowUpAt: lead.lastFollowUpAt,
    lastDealAt: null,
    lastOpenOpportunityAt: null,
    teamIds: [],
    attributes: lead.attributes,
    extendedUntil: null,
    extensionPendingUntil: null,
    warning: null,
    ...extra,
  };
}
