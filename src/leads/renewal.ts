import { z } from 'zod';
import { ruleError, type CrmError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import { startOfZonedDay, startOfZonedDayAfter, zonedDateKey } from '../core/time.js';
import { zoned } from '../core/boundary.js';
import { deepFreeze, idSchema, instantSchema, parseInput, parseIterable, timeZoneSchema, textSchema } from '../core/validation.js';
import {
  openOpportunityInputSchema,
  openParsedOpportunity,
  opportunityAmountSchema,
  opportunityContextSchema,
  type OpenOpportunity,
  type OpportunityAmount,
  type OpportunityContext,
  type OpportunityEvent,
  type ParsedOpportunityContext,
} from './opportunity.js';

/**
 * The renewal generator (简道云 creates a renewal opportunity for every won order): for each
 * order, an open opportunity due `leadDays` calendar days before the service ends.
 */

/** A won order (or contract) whose service ends on `serviceEndDate`. */
export interface RenewalOrder {
  readonly id: string;
  readonly customerId: string;
  readonly ownerId: string;
  readonly name: string;
  readonly serviceEndDate: Date | string;
  readonly amount?: OpportunityAmount | null;
}

/**
 * The schema of a renewal order (strict; ISO strings accepted for the end date).
 *
 * @example
 * renewalOrderSchema.parse({ id: 'SO-1', customerId: 'C1', ownerId: 'u1', name: '年度订阅', serviceEndDate: '2026-12-31T16:00:00Z' })
 */
export const renewalOrderSchema = z
  .object({
    id: idSchema,
    customerId: idSchema,
    ownerId: idSchema,
    name: textSchema.max(500).refine((s) => s.trim().length > 0, { message: 'must not be blank' }),
    serviceEndDate: instantSchema,
    amount: opportunityAmountSchema.nullable().optional(),
  })
  .strict();

/** When renewals are due: `leadDays` calendar days before the service end, counted in `zone`. */
export interface RenewalPolicy {
  readonly leadDays: number;
  /** IANA time zone, e.g. `Asia/Shanghai`. */
  readonly zone: string;
  /** Put before the order name to name the renewal, e.g. `续约 - `. Default: none. */
  readonly namePrefix?: string;
}

/**
 * The schema of a renewal policy.
 *
 * @example
 * renewalPolicySchema.parse({ leadDays: 30, zone: 'Asia/Shanghai', namePrefix: '续约 - ' })
 */
export const renewalPolicySchema = z
  .object({
    leadDays: z.number().int().min(0).max(3660),
    zone: timeZoneSchema,
    namePrefix: textSchema.max(100).optional(),
  })
  .strict();

/** The ids the host hands in for one renewal. */
export interface RenewalIds {
  readonly opportunityId: string;
}

const renewalIdsSchema = z.object({ opportunityId: idSchema }).strict();

/** One planned renewal: the opened opportunity and its `opportunity.opened` event. */
export interface RenewalPlan {
  readonly renewalOfOrderId: string;
  /** The day the renewal was due (`leadDays` before the service end), start of day in the zone. */
  readonly dueDate: Date;
  /** True when that day had passed: the renewal is then expected today instead. */
  readonly late: boolean;
  readonly opportunity: OpenOpportunity;
  readonly events: readonly OpportunityEvent[];
}

/** An order the batch did not renew, with the refusal saying why. */
export interface RenewalSkip {
  readonly orderId: string;
  readonly reason: CrmError;
}

/** The result of a batch: what to create, and what was skipped and why. */
export interface RenewalBatch {
  readonly planned: readonly RenewalPlan[];
  readonly skipped: readonly RenewalSkip[];
}

/**
 * The day a renewal is due: the start of the calendar day `leadDays` days before the day the
 * service ends, in `zone` (a DST change does not shift it by an hour). A malformed date or
 * policy, or a due day starting outside the supported instants (before 0001-01-01T00:00Z: an
 * end on 0001-01-01 in a zone behind UTC), is `INVALID_INPUT` at `serviceEndDate`.
 *
 * @example
 * renewalDueDate(new Date('2026-03-31T16:00Z'), { leadDays: 30, zone: 'Asia/Shanghai' }) // ok: 2026-03-01T16:00Z (Mar 2, 00:00 Shanghai)
 */
export function renewalDueDate(serviceEndDate: Date | string, policy: Pick<RenewalPolicy, 'leadDays' | 'zone'>): Result<Date, CrmError> {
  const end = parseInput(instantSchema, serviceEndDate, ['serviceEndDate']);
  if (!end.ok) return end;
  const p = parseInput(dueDatePolicySchema, policy, ['policy']);
  if (!p.ok) return p;
  return zoned(['serviceEndDate'], () => dueDateOf(end.value, p.value));
}

const dueDatePolicySchema = renewalPolicySchema.pick({ leadDays: true, zone: true }).strip();

function dueDateOf(serviceEndDate: Date, policy: Pick<RenewalPolicy, 'leadDays' | 'zone'>): Date {
  return startOfZonedDayAfter(serviceEndDate, -policy.leadDays, policy.zone);
}

type ParsedOrder = z.output<typeof renewalOrderSchema>;
type ParsedPolicy = z.output<typeof renewalPolicySchema>;

function planParsed(order: ParsedOrder, policy: ParsedPolicy, opportunityId: string, ctx: ParsedOpportunityContext): Result<RenewalPlan, CrmError> {
  const days = zoned(['order', order.id, 'serviceEndDate'], () => dueDateOf(order.serviceEndDate, policy));
  if (!days.ok) return days;
  const dueDate = days.value;
  const start = zoned(['context', 'now'], () => startOfZonedDay(ctx.now, policy.zone));
  if (!start.ok) return start;
  const today = start.value;
  const key = zoned(['order', order.id, 'serviceEndDate'], () => zonedDateKey(dueDate, policy.zone));
  if (!key.ok) return key;
  // A renewal whose day has passed (an order won late, a missed nightly run) is still made,
  // due today and marked late: every order gets its renewal.
  const late = dueDate.getTime() < today.getTime();
  const expectedCloseDate = late ? today : dueDate;
  const input = parseInput(
    openOpportunityInputSchema,
    {
      id: opportunityId,
      name: `${policy.namePrefix ?? ''}${order.name}`,
      customerId: order.customerId,
      ownerId: order.ownerId,
      sourceLeadId: null,
      expectedCloseDate,
      amount: order.amount ?? null,
    },
    ['renewal', order.id],
  );
  if (!input.ok) return input;
  const opened = openParsedOpportunity(
    {
      input: input.value,
      eventData: {
        origin: 'renewal',
        renewalOfOrderId: order.id,
        serviceEndDate: new Date(order.serviceEndDate.getTime()),
        dueDate: key.value,
        late,
      },
    },
    // a renewal has its own duplicate check per order (OPPORTUNITY_RENEWAL_EXISTS): a context's
    // sibling list, meant for one customer's open, is not read across a batch
    { ...ctx, siblings: undefined },
  );
  if (!opened.ok) return opened;
  return ok(deepFreeze({ renewalOfOrderId: order.id, dueDate: new Date(dueDate.getTime()), late, opportunity: opened.value.opportunity, events: opened.value.events }));
}

/**
 * Plans the renewal opportunity of one won order: open, at the first configured stage, owned
 * by the order's owner, expected to close `leadDays` calendar days before the service ends (in
 * the policy's zone). When that day has already passed, the renewal is still planned, expected
 * today and marked `late`, so no order goes without one.
 *
 * @example
 * planRenewal(
 *   { id: 'SO-1', customerId: 'C1', ownerId: 'u1', name: '年度订阅', serviceEndDate: '2026-12-31T16:00:00Z' },
 *   { leadDays: 30, zone: 'Asia/Shanghai' },
 *   { opportunityId: 'O-9' },
 *   { now: '2026-06-01T00:00:00Z', actor: { id: 'renewal-bot', relations: ['automation'] } },
 * ) // ok: expectedCloseDate 2026-12-02 00:00 Shanghai (2026-12-01T16:00Z)
 */
export function planRenewal(
  order: RenewalOrder,
  policy: RenewalPolicy,
  ids: RenewalIds,
  context: OpportunityContext,
): Result<RenewalPlan, CrmError> {
  const o = parseInput(renewalOrderSchema, order, ['order']);
  if (!o.ok) return o;
  const p = parseInput(renewalPolicySchema, policy, ['policy']);
  if (!p.ok) return p;
  const i = parseInput(renewalIdsSchema, ids, ['ids']);
  if (!i.ok) return i;
  const ctx = parseInput(opportunityContextSchema, context, ['context']);
  if (!ctx.ok) return ctx;
  return planParsed(o.value, p.value, i.value.opportunityId, ctx.value);
}

/**
 * Plans renewals for a batch of won orders, in order. Orders that already have a renewal (in
 * `existingRenewalOrderIds`, or earlier in the same batch) are reported in `skipped` with the
 * reason, never silently dropped; late ones are planned for today (`late: true`). Input is
 * validated once, up front; `idFor` gives each planned opportunity its id (two orders given the
 * same id is `INVALID_INPUT`).
 *
 * @example
 * planRenewals(orders, ['SO-1'], { leadDays: 30, zone: 'Asia/Shanghai' }, (orderId) => `renewal-${orderId}`, ctx)
 * // ok: { planned: [...], skipped: [{ orderId: 'SO-1', reason: { code: 'OPPORTUNITY_RENEWAL_EXISTS', ... } }] }
 */
export function planRenewals(
  orders: Iterable<RenewalOrder>,
  existingRenewalOrderIds: Iterable<string>,
  policy: RenewalPolicy,
  idFor: (orderId: string) => string,
  context: OpportunityContext,
): Result<RenewalBatch, CrmError> {
  const orderList = parseIterable(orders, ['orders']);
  if (!orderList.ok) return orderList;
  const os = parseInput(z.array(renewalOrderSchema), orderList.value, ['orders']);
  if (!os.ok) return os;
  const existingList = parseIterable(existingRenewalOrderIds, ['existingRenewalOrderIds']);
  if (!existingList.ok) return existingList;
  const existing = parseInput(z.array(idSchema), existingList.value, ['existingRenewalOrderIds']);
  if (!existing.ok) return existing;
  const idFunction = parseInput(z.custom<(orderId: string) => string>((f) => typeof f === 'function', 'expected a function'), idFor, ['idFor']);
  if (!idFunction.ok) return idFunction;
  const p = parseInput(renewalPolicySchema, policy, ['policy']);
  if (!p.ok) return p;
  const ctx = parseInput(opportunityContextSchema, context, ['context']);
  if (!ctx.ok) return ctx;

  const renewed = new Set(existing.value);
  const usedIds = new Set<string>();
  const planned: RenewalPlan[] = [];
  const skipped: RenewalSkip[] = [];
  for (const order of os.value) {
    if (renewed.has(order.id)) {
      skipped.push({ orderId: order.id, reason: ruleError('OPPORTUNITY_RENEWAL_EXISTS', { orderId: order.id }) });
      continue;
    }
    const id = parseInput(
      idSchema.refine((x) => !usedIds.has(x), { message: 'idFor gave the same opportunity id to two orders' }),
      idFunction.value(order.id),
      ['idFor', order.id],
    );
    if (!id.ok) return id;
    usedIds.add(id.value);
    const plan = planParsed(order, p.value, id.value, ctx.value);
    if (!plan.ok) {
      skipped.push({ orderId: order.id, reason: plan.error });
      continue;
    }
    renewed.add(order.id);
    planned.push(plan.value);
  }
  return ok(deepFreeze({ planned, skipped }));
}
