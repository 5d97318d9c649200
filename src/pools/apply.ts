import { produce } from 'immer';
import { z } from 'zod';
import { ruleEvent, type RuleEvent } from '../core/events.js';
import { idSchema, instantSchema } from '../core/validation.js';
import type { LeadCommandInput } from '../leads/index.js';
import { poolRecordViewSchema, type PoolKind, type PoolRecordView } from './model.js';
import type { PoolPlan } from './claims.js';

/**
 * A customer as a customer pool stores it: its pool view plus a version. Hosts keep their
 * customer rows; this is what the pool reads and writes of them.
 */
export interface PoolCustomer extends Omit<PoolRecordView, 'kind'> {
  readonly version: number;
}

/** The schema of a stored pool customer (strict). */
export const poolCustomerSchema = poolRecordViewSchema.omit({ kind: true }).extend({ version: z.number().int().min(0) }).strict();

/** The pool view of a stored customer. */
export function poolRecordFromCustomer(customer: PoolCustomer): PoolRecordView {
  const { version: _version, ...view } = customer;
  return { ...view, kind: 'customer' };
}

/** The event types of the pool log. */
export type PoolEventType =
  | 'pool.claimed'
  | 'pool.assigned'
  | 'pool.returned'
  | 'pool.transferred'
  | 'pool.ownerChanged'
  | 'pool.reclaimed'
  | 'pool.reclaimWarned';

/** An entry of the pool log (公海日志): who took or lost which record, when, and any override. */
export type PoolEvent = RuleEvent<PoolEventType>;

const EVENT_OF: Readonly<Record<PoolPlan['operation'], PoolEventType>> = {
  claim: 'pool.claimed',
  assign: 'pool.assigned',
  return: 'pool.returned',
  transfer: 'pool.transferred',
  changeOwner: 'pool.ownerChanged',
  reclaim: 'pool.reclaimed',
};

/** Schema of a pool-log event as a store keeps it. */
export const poolEventSchema = z.object({
  type: z.enum(['pool.claimed', 'pool.assigned', 'pool.returned', 'pool.transferred', 'pool.ownerChanged', 'pool.reclaimed', 'pool.reclaimWarned']),
  at: instantSchema,
  actorId: idSchema,
  subject: z.object({ kind: z.enum(['customer', 'lead']), id: idSchema }),
  version: z.number().int().min(0),
  data: z.record(z.string(), z.unknown()),
});

/**
 * The pool-log event for an applied plan: the record's version after it, who moved it where,
 * and the override when an admin went past a quota.
 *
 * @example
 * poolEventOf(plan, 'customer', 4).type // 'pool.claimed'
 */
export function poolEventOf(plan: PoolPlan, kind: PoolKind, version: number, extra: Record<string, unknown> = {}): PoolEvent {
  return ruleEvent({
    type: EVENT_OF[plan.operation],
    at: plan.at,
    actorId: plan.actorId,
    subject: { kind, id: plan.recordId },
    version,
    data: {
      poolId: plan.poolId,
      ownerFrom: plan.ownerFrom,
      ownerTo: plan.ownerTo,
      poolFrom: plan.poolFrom,
      poolTo: plan.poolTo,
      override: plan.override,
      ...extra,
    },
  });
}

/**
 * The customer after a plan: owner, pool and team as planned; a new owner starts a new
 * ownership (its own clock, no extension or warning carried over); version + 1. Frozen.
 *
 * @example
 * applyPlanToCustomer(customer, plan).ownerId // plan.ownerTo
 */
export function applyPlanToCustomer(customer: PoolCustomer, plan: PoolPlan): PoolCustomer {
  return produce(customer, (d) => {
    const ownerChanged = customer.ownerId !== plan.ownerTo;
    d.ownerId = plan.ownerTo;
    d.poolId = plan.poolTo;
    d.teamIds = [...plan.teamIds];
    if (ownerChanged) {
      d.ownedSince = plan.ownerTo === null ? null : plan.at;
      d.extendedUntil = null;
      d.extensionPendingUntil = null;
      d.warning = null;
    }
    d.version = customer.version + 1;
  });
}

/**
 * The lead command that carries out a plan on a lead (the lead rules then check the lead's own
 * status and permissions).
 *
 * @example
 * leadCommandForPlan(plan, { code: 'unreachable' }) // { type: 'return', reason: { code: 'unreachable' }, poolId: 'east' }
 */
export function leadCommandForPlan(plan: PoolPlan, returnReason?: { code: string; text?: string }, ruleId?: string): LeadCommandInput {
  switch (plan.operation) {
    case 'claim':
      return { type: 'claim' };
    case 'assign':
      return { type: 'assign', ownerId: plan.ownerTo! };
    case 'changeOwner':
      return { type: 'changeOwner', ownerId: plan.ownerTo! };
    case 'return':
      // A return to another pool (allowed by the pool's policy) is, for the lead, a transfer.
      return plan.poolTo !== plan.poolFrom
        ? { type: 'transfer', toPoolId: plan.poolTo! }
        : { type: 'return', reason: returnReason ?? { code: 'other', text: '' }, poolId: plan.poolTo! };
    case 'transfer':
      return { type: 'transfer', toPoolId: plan.poolTo! };
    case 'reclaim':
      return ruleId ? { type: 'reclaim', ruleId } : { type: 'reclaim' };
  }
}
