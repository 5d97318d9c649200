import { produce } from 'immer';
import { z } from 'zod';
import { invalidAt } from '../core/boundary.js';
import type { CrmError } from '../core/errors.js';
import { ruleEvent, type RuleEvent } from '../core/events.js';
import { err, ok, type Result } from '../core/result.js';
import { deepFreeze, idSchema, instantSchema, parseInput, textSchema } from '../core/validation.js';
import type { LeadCommandInput } from '../leads/index.js';
import { copiedFields, copyData, copyLeniently } from './boundary.js';
import { poolRecordViewFields, poolRecordViewSchema, voidedIsOutOfPools, type PoolKind, type PoolRecordView } from './model.js';
import { frozenRefusal, POOL_OPERATIONS, type PoolPlan, type QuotaOverride } from './claims.js';

/**
 * A customer as a customer pool stores it: its pool view plus a version. Hosts keep their
 * customer rows; this is what the pool reads and writes of them.
 */
export interface PoolCustomer extends Omit<PoolRecordView, 'kind'> {
  readonly version: number;
}

/** The schema of a stored pool customer (strict). */
export const poolCustomerSchema = poolRecordViewFields.omit({ kind: true }).extend({ version: z.number().int().min(0) }).strict().superRefine(voidedIsOutOfPools);

/**
 * The pool view of a stored customer: every field but `version`, with `kind: 'customer'`. A
 * mapping, not a validation (the rules validate the view at their door, so a corrupt row is
 * refused there, record by record); it never throws. The view is a new value frozen all the way
 * down, with `Date`s of its own: it shares nothing with the customer (what is not data — a
 * getter, never called, or a Map — is marked so the rules refuse it, never left for a default
 * to fill in).
 *
 * @example
 * poolRecordFromCustomer(await store.loadCustomer('C-1')).kind // 'customer'
 */
export function poolRecordFromCustomer(customer: PoolCustomer): PoolRecordView {
  const view = copiedFields(customer);
  delete view.version;
  view.kind = 'customer';
  return deepFreeze(view) as unknown as PoolRecordView;
}

/**
 * The schema of a pool plan coming back to a door (`applyPlanToCustomer`, `leadCommandForPlan`,
 * `poolEventOf`): a plan is an output, never trusted — its `Date` could have been changed.
 *
 * @internal
 */
export const poolPlanSchema = z
  .object({
    operation: z.enum(POOL_OPERATIONS),
    recordId: idSchema,
    poolId: idSchema,
    actorId: idSchema,
    at: instantSchema,
    ownerFrom: idSchema.nullable(),
    ownerTo: idSchema.nullable(),
    poolFrom: idSchema.nullable(),
    poolTo: idSchema.nullable(),
    teamIds: z.array(idSchema).max(1000),
    override: z.object({ by: idSchema, reason: textSchema.min(1).max(2000), exceeded: z.array(textSchema.max(100)).max(10) }).strict().nullable(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if ((p.operation === 'claim' || p.operation === 'assign' || p.operation === 'changeOwner') && p.ownerTo === null) {
      ctx.addIssue({ code: 'custom', path: ['ownerTo'], message: `a ${p.operation} plan gives the record to someone` });
    }
    if (p.operation !== 'claim' && p.operation !== 'assign' && p.operation !== 'changeOwner' && p.ownerTo !== null) {
      ctx.addIssue({ code: 'custom', path: ['ownerTo'], message: `a ${p.operation} plan leaves the record without an owner` });
    }
    if (p.poolTo === null) ctx.addIssue({ code: 'custom', path: ['poolTo'], message: 'a plan names the pool the record ends in' });
  });

/** The event types of the pool log. */
export type PoolEventType =
  | 'pool.claimed'
  | 'pool.assigned'
  | 'pool.returned'
  | 'pool.transferred'
  | 'pool.ownerChanged'
  | 'pool.reclaimed'
  | 'pool.reclaimWarned';

/**
 * What a pool service adds to a plan's event (`poolEventOf`'s `extra`): the reclaim rule of an
 * automatic reclaim, the reason of a return.
 *
 * @example
 * poolEventOf(plan, 'customer', 4, { ruleId: 'r-30' }).data.ruleId // 'r-30'
 */
export interface PoolEventExtra {
  /** The reclaim rule that triggered it: set on `pool.reclaimed` by a reclaim run. */
  readonly ruleId?: string;
  /** The reason the owner gave: set on `pool.returned` when one was given. */
  readonly reason?: { readonly code: string; readonly text?: string };
}

/**
 * The `data` of a plan's event (`pool.claimed`, `pool.assigned`, `pool.returned`,
 * `pool.transferred`, `pool.ownerChanged`, `pool.reclaimed`): who moved the record where.
 *
 * @example
 * const d: PoolMoveData = { poolId: 'gh-east', ownerFrom: null, ownerTo: 'rep-li', poolFrom: 'gh-east', poolTo: 'gh-east', override: null };
 */
export type PoolMoveData = {
  /** The pool whose rules decided it. */
  readonly poolId: string;
  /** The owner before; null when it had none. */
  readonly ownerFrom: string | null;
  /** The owner after; null when it went back to the pool. */
  readonly ownerTo: string | null;
  /** The pool it was in before. */
  readonly poolFrom: string | null;
  /** The pool it is in after. */
  readonly poolTo: string | null;
  /** The quota an admin went past, and why; null when none. */
  readonly override: QuotaOverride | null;
  /** The reclaim rule that triggered it: set on `pool.reclaimed` by a reclaim run. */
  readonly ruleId?: string;
  /** The reason the owner gave: set on `pool.returned` when one was given. */
  readonly reason?: { readonly code: string; readonly text?: string };
};

/**
 * The `data` of each pool-log event, by event type: what `switch (event.type)` narrows
 * `event.data` to.
 *
 * @example
 * const when: PoolEventDataByType['pool.reclaimWarned']['reclaimAt'] = new Date('2026-06-01T00:00:00+08:00');
 */
export interface PoolEventDataByType {
  'pool.claimed': PoolMoveData;
  'pool.assigned': PoolMoveData;
  'pool.returned': PoolMoveData;
  'pool.transferred': PoolMoveData;
  'pool.ownerChanged': PoolMoveData;
  'pool.reclaimed': PoolMoveData;
  'pool.reclaimWarned': {
    /** The pool whose rule warns. */
    readonly poolId: string;
    /** The reclaim rule that will reclaim the record. */
    readonly ruleId: string;
    /** The owner warned. */
    readonly ownerId: string;
    /** When the record will be reclaimed unless followed up. */
    readonly reclaimAt: Date;
    /** The user ids to notify (owner, team and/or admins, as the rule says). */
    readonly notify: readonly string[];
    /** Whether the clock had already run out with no notice on record (the date was moved). */
    readonly late: boolean;
  };
}

/**
 * An entry of the pool log (公海日志): who took or lost which record, when, and any override.
 * One `RuleEvent` per type, so `switch (event.type)` narrows `event.data` (see
 * `PoolEventDataByType`).
 *
 * @example
 * if (event.type === 'pool.reclaimWarned') console.log(event.data.reclaimAt);
 */
export type PoolEvent = { [T in PoolEventType]: RuleEvent<T, Readonly<PoolEventDataByType[T]>> }[PoolEventType];

/**
 * Builds a pool-log event (`ruleEvent`), its `data` checked against its type's shape.
 *
 * @internal
 */
export function poolEvent<T extends PoolEventType>(event: RuleEvent<T, PoolEventDataByType[T]>): PoolEvent {
  return ruleEvent(event) as RuleEvent as PoolEvent;
}

const EVENT_OF = {
  claim: 'pool.claimed',
  assign: 'pool.assigned',
  return: 'pool.returned',
  transfer: 'pool.transferred',
  changeOwner: 'pool.ownerChanged',
  reclaim: 'pool.reclaimed',
} as const satisfies Readonly<Record<PoolPlan['operation'], PoolEventType>>;

/** Schema of a pool-log event as a store keeps it. */
export const poolEventSchema = z.object({
  type: z.enum(['pool.claimed', 'pool.assigned', 'pool.returned', 'pool.transferred', 'pool.ownerChanged', 'pool.reclaimed', 'pool.reclaimWarned']),
  at: instantSchema,
  actorId: idSchema,
  subject: z.object({ kind: z.enum(['customer', 'lead']), id: idSchema }),
  version: z.number().int().min(0),
  data: z.record(textSchema, z.unknown()),
});

/**
 * The pool-log event for an applied plan: the record's version after it, who moved it where,
 * and the override when an admin went past a quota. The plan is validated (it comes back from
 * the host: never trusted as it is): a valid one gives a frozen event with its own Dates; one
 * that is not valid — a changed `at`, a missing field — is mapped as well as it can be, never a
 * throw, and `poolEventSchema` (or the store) refuses that event. Either way the event is built
 * of copies, frozen all the way down: nothing in it is the caller's own (its `at`, its override,
 * its `extra`). `extra` (`PoolEventExtra`: a reclaim run's `ruleId`, a return's `reason`) adds
 * fields to `data` (own enumerable fields of JSON-shaped data — what is not data is left out); it never replaces the plan's own (`poolId`, `ownerFrom`, `ownerTo`,
 * `poolFrom`, `poolTo`, `override`).
 *
 * @example
 * poolEventOf(plan, 'customer', 4).type // 'pool.claimed'
 * poolEventOf(plan, 'customer', 4, { ruleId: 'r-30' }).data.ruleId // 'r-30'
 */
export function poolEventOf(plan: PoolPlan, kind: PoolKind, version: number, extra: PoolEventExtra = {}): PoolEvent {
  const more = extraData(extra);
  const parsed = parseInput(poolPlanSchema, plan);
  if (parsed.ok && (kind === 'customer' || kind === 'lead') && Number.isSafeInteger(version) && version >= 0) {
    const p = parsed.value;
    // What the event holds of the plan is the parsed copy (new Dates and objects, frozen here).
    return deepFreeze(
      poolEvent({
        type: EVENT_OF[p.operation],
        at: p.at,
        actorId: p.actorId,
        subject: { kind, id: p.recordId },
        version,
        data: { ...more, poolId: p.poolId, ownerFrom: p.ownerFrom, ownerTo: p.ownerTo, poolFrom: p.poolFrom, poolTo: p.poolTo, override: p.override },
      }),
    );
  }
  // Not a valid plan (a host changed it, or built it wrong): mapped field by field, as copies
  // (an Invalid Date a new Invalid Date), for the store (or `poolEventSchema`) to refuse — never
  // a throw, never the caller's own objects.
  const p = copiedFields(plan) as Partial<Record<keyof PoolPlan, unknown>>;
  const operation = p.operation;
  return deepFreeze({
    type: (typeof operation === 'string' && Object.prototype.hasOwnProperty.call(EVENT_OF, operation) ? EVENT_OF[operation as PoolPlan['operation']] : operation) as PoolEventType,
    at: p.at as Date,
    actorId: p.actorId as string,
    subject: { kind: copyLeniently(kind) as PoolKind, id: p.recordId as string },
    version: copyLeniently(version) as number,
    data: { ...more, poolId: p.poolId, ownerFrom: p.ownerFrom, ownerTo: p.ownerTo, poolFrom: p.poolFrom, poolTo: p.poolTo, override: p.override },
  }) as PoolEvent;
}

/** The fields `extra` adds to an event's data: own enumerable fields that are data, copied. */
function extraData(extra: unknown): PoolEventExtra {
  const out: Record<string, unknown> = {};
  const fields = copiedFields(extra);
  for (const key of Object.keys(fields)) {
    if (key === '__proto__') continue; // not a name a plain object can hold
    const c = copyData(fields[key]);
    if (!('issue' in c)) out[key] = c.value;
  }
  return out as PoolEventExtra;
}

/**
 * The customer after a plan: owner, pool and team as planned; a new owner starts a new
 * ownership (its own clock, no extension or warning carried over); version + 1. Both are
 * validated (a plan comes back from the host: it is never trusted as it is), the plan must be
 * for this customer, and the result is a new value frozen all the way down — the caller's
 * customer is neither changed nor frozen.
 *
 * @example
 * applyPlanToCustomer(customer, plan) // ok: { ...customer, ownerId: plan.ownerTo, version: customer.version + 1 }
 */
export function applyPlanToCustomer(customer: PoolCustomer, plan: PoolPlan): Result<PoolCustomer, CrmError> {
  const c = parseInput(poolCustomerSchema, customer, ['customer']);
  if (!c.ok) return c;
  const p = parseInput(poolPlanSchema, plan, ['plan']);
  if (!p.ok) return p;
  const current = c.value as PoolCustomer;
  const next = p.value;
  if (next.recordId !== current.id) {
    return invalidAt(['plan', 'recordId'], `the plan is for record ${next.recordId}, not ${current.id}`);
  }
  const frozen = frozenRefusal(current, next.operation);
  if (frozen !== null) return err(frozen);
  return ok(
    deepFreeze(
      produce(current, (d) => {
        const ownerChanged = current.ownerId !== next.ownerTo;
        d.ownerId = next.ownerTo;
        d.poolId = next.poolTo;
        d.teamIds = [...next.teamIds];
        if (ownerChanged) {
          d.ownedSince = next.ownerTo === null ? null : new Date(next.at.getTime());
          d.extendedUntil = null;
          d.extensionPendingUntil = null;
          d.warning = null;
        }
        d.version = current.version + 1;
      }),
    ),
  );
}

const returnReasonSchema = z.object({ code: textSchema.min(1).max(100), text: textSchema.max(2000).optional() }).strict();

/**
 * The lead command that carries out a plan on a lead (the lead rules then check the lead's own
 * status and permissions). The plan, the return reason and the rule id are validated.
 *
 * @example
 * leadCommandForPlan(plan, { code: 'unreachable' }) // ok: { type: 'return', reason: { code: 'unreachable' }, poolId: 'east' }
 */
export function leadCommandForPlan(plan: PoolPlan, returnReason?: { code: string; text?: string }, ruleId?: string): Result<LeadCommandInput, CrmError> {
  const p = parseInput(poolPlanSchema, plan, ['plan']);
  if (!p.ok) return p;
  const reason = parseInput(returnReasonSchema.optional(), returnReason, ['returnReason']);
  if (!reason.ok) return reason;
  const rule = parseInput(idSchema.optional(), ruleId, ['ruleId']);
  if (!rule.ok) return rule;
  return ok(deepFreeze(commandFor(p.value, reason.value, rule.value)));
}

function commandFor(plan: z.output<typeof poolPlanSchema>, returnReason: { code: string; text?: string } | undefined, ruleId: string | undefined): LeadCommandInput {
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
