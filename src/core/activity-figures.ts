/**
 * The figures of the activity metric (internal), and its rows: the counts `measureActivity`
 * keeps per group and the rates written from them — shared by the in-process metric and the SQL
 * store, which counts the same figures in the database.
 */
import { rateOf, type GroupValue, type Rate } from './measures.js';

/**
 * One group's activity (跟进量, 邀约量, 签单量 and their rates), over the window:
 * - `followUps`: follow-ups logged (a follow-up, or the follow-up an MQL mark logs); `leadsFollowedUp`: the distinct leads they were on;
 * - `assigned`: leads given to an owner (created by them, assigned, claimed, or moved to them); `followedUpInTime`: of those, followed up by the end of `followUpWithinDays` calendar days after the day of the assignment;
 * - `invitations`: follow-ups by an invitation channel (a visit, a meeting); `leadsInvited`: the distinct leads invited;
 * - `converted`: leads converted (SQLs); `signed`: deals won (an `opportunity.closed` won on the lead's opportunity).
 *
 * The rates, each a `Rate` of two of those counts (four decimals, half up; null over 0):
 * **follow-ups per lead** = followUps / leadsFollowedUp; **follow-up rate** (跟进率) =
 * followedUpInTime / assigned; **invitation rate** (邀约率) = leadsInvited / leadsFollowedUp;
 * **signing rate** (签约率) = signed / leadsInvited; **SQL conversion rate** (SQL转化率) =
 * converted / leadsFollowedUp.
 */
export interface ActivityRow {
  readonly group: readonly GroupValue[];
  readonly followUps: number;
  readonly leadsFollowedUp: number;
  readonly assigned: number;
  readonly followedUpInTime: number;
  readonly invitations: number;
  readonly leadsInvited: number;
  readonly converted: number;
  readonly signed: number;
  readonly followUpsPerLead: Rate;
  readonly followUpRate: Rate;
  readonly invitationRate: Rate;
  readonly signingRate: Rate;
  readonly sqlConversionRate: Rate;
}

/** The counts of an activity group, in the order they are kept. */
export const ACTIVITY_COUNTS = ['followUps', 'leadsFollowedUp', 'assigned', 'followedUpInTime', 'invitations', 'leadsInvited', 'converted', 'signed'] as const;
export type ActivityCount = (typeof ACTIVITY_COUNTS)[number];
/** Where each count sits among a group's counts. */
export const ACTIVITY_AT: Readonly<Record<ActivityCount, number>> = Object.freeze(Object.fromEntries(ACTIVITY_COUNTS.map((c, i) => [c, i])) as Record<ActivityCount, number>);

/**
 * The row of a group whose counts start at `base` of `c` (in `ACTIVITY_COUNTS` order): the
 * counts and the rates of two of them (four decimals, half up; null over 0).
 *
 * @internal
 * @example
 * activityRow(['rep-li'], [3, 2, 1, 1, 1, 1, 0, 0], 0).followUpsPerLead.value // '1.5000'
 */
export function activityRow(group: readonly GroupValue[], c: ArrayLike<number>, base: number): ActivityRow {
  const n = (k: ActivityCount) => c[base + ACTIVITY_AT[k]]!;
  return Object.freeze({
    group: Object.freeze([...group]),
    ...(Object.fromEntries(ACTIVITY_COUNTS.map((k) => [k, n(k)])) as Record<ActivityCount, number>),
    followUpsPerLead: rateOf(n('followUps'), n('leadsFollowedUp')),
    followUpRate: rateOf(n('followedUpInTime'), n('assigned')),
    invitationRate: rateOf(n('leadsInvited'), n('leadsFollowedUp')),
    signingRate: rateOf(n('signed'), n('leadsInvited')),
    sqlConversionRate: rateOf(n('converted'), n('leadsFollowedUp')),
  });
}
