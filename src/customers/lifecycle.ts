import { actorSchema } from '../core/context.js';
import { refuse, type CrmError } from '../core/errors.js';
import { actorRelations, isPermitted, type Actor, type Relation } from '../core/permissions.js';
import { ok, type Result } from '../core/result.js';
import { deepFreeze, parseInput } from '../core/validation.js';
import { poolCustomerSchema } from '../pools/index.js';
import { invalidAt } from '../core/boundary.js';
import { teamAfterOwnerChange } from '../core/teams.js';
import { customerEvent, type CustomerEvent } from './events.js';
import {
  CUSTOMER_OPERATIONS,
  DEFAULT_CUSTOMER_POLICY,
  createCustomerInputSchema,
  customerCommandSchema,
  customerContextSchema,
  customerPolicySchema,
  type CreateCustomerInput,
  type Customer,
  type CustomerCommand,
  type CustomerCommandInput,
  type CustomerContext,
  type CustomerOperation,
  type CustomerPolicy,
  type CustomerPolicyInput,
  type ParsedCustomerContext,
} from './model.js';

/**
 * A customer decision: the next customer (version + 1, frozen) and what happened.
 *
 * @example
 * const { customer, events } = unwrap(decideCustomer(c, { type: 'lock' }, ctx));
 */
export interface CustomerDecision {
  readonly customer: Customer;
  readonly events: readonly CustomerEvent[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Creates a customer. Added directly (no pool), it is owned: by `ownerId`, or by the acting user
 * when `ownerId` is omitted; an explicit null owner is `CUSTOMER_OWNER_REQUIRED`. Added into a
 * pool it is created unowned, and an owner given with a pool is `CUSTOMER_OWNER_THROUGH_POOL`
 * (the pool's claim or assign gives it one, under the pool's quota). Version 1, not dealt
 * (未成交), not locked, not voided.
 *
 * @example
 * createCustomer({ id: 'C-1' }, { now, actor: { id: 'rep-li' } }) // ok: ownerId 'rep-li', one 'customer.created' event
 */
export function createCustomer(input: CreateCustomerInput, context: CustomerContext): Result<CustomerDecision, CrmError> {
  const i = parseInput(createCustomerInputSchema, input, ['input']);
  if (!i.ok) return i;
  const c = parseInput(customerContextSchema, context, ['context']);
  if (!c.ok) return c;
  const data = i.value;
  const { now, actor } = c.value;
  const poolId = data.poolId ?? null;
  if (poolId !== null && data.ownerId != null) return refuse('CUSTOMER_OWNER_THROUGH_POOL', { customerId: data.id, poolId, ownerId: data.ownerId });
  const ownerId = poolId !== null ? null : data.ownerId === undefined ? actor.id : data.ownerId;
  if (poolId === null && ownerId === null) return refuse('CUSTOMER_OWNER_REQUIRED', { customerId: data.id });
  const customer: Customer = {
    id: data.id,
    poolId,
    ownerId,
    level: data.level ?? null,
    won: false,
    openOpportunityCount: 0,
    ownedSince: ownerId === null ? null : new Date(now.getTime()),
    lastFollowUpAt: null,
    lastDealAt: null,
    lastOpenOpportunityAt: null,
    teamIds: (data.teamIds ?? []).filter((id) => id !== ownerId),
    attributes: data.attributes ?? {},
    extendedUntil: null,
    extensionPendingUntil: null,
    warning: null,
    locked: null,
    voided: null,
    version: 1,
  };
  const event = customerEvent({
    type: 'customer.created',
    at: now,
    actorId: actor.id,
    subject: { kind: 'customer', id: customer.id },
    version: 1,
    data: { ownerId, poolId },
  });
  return ok(deepFreeze({ customer, events: [event] }));
}

/**
 * Decides a command on a customer: validates the customer, the command and the context, checks
 * the actor's permission (for the operations a user runs: `CUSTOMER_OPERATIONS`) and the
 * operation's own rules, and returns the next customer with its events — or a refusal, the input
 * untouched.
 *
 * - A voided customer takes only `restore` (`CUSTOMER_VOIDED` otherwise); a locked one refuses
 *   `void`, `changeOwner` and another `lock` (`CUSTOMER_LOCKED`): unlock it first. Deal status
 *   moves on a locked customer: an order is not an edit of the customer's data.
 * - `changeOwner` needs a new owner (`CUSTOMER_NEW_OWNER_REQUIRED` for null: the owner is
 *   released only to someone), other than the owner (`CUSTOMER_SAME_OWNER`), and applies to a
 *   customer outside pools (`CUSTOMER_IN_POOL`: the pool's own owner change decides there).
 * - `void` takes the customer out of its pool and from its owner, remembering both; `restore`
 *   puts it back: to its owner when it was outside pools (or to `ownerId`), and into its pool
 *   unowned when it was in one (the owner claims it again, under the pool's quota).
 * - `setDealStatus` to the status it has is `CUSTOMER_DEAL_STATUS_UNCHANGED`.
 *
 * @example
 * decideCustomer(customer, { type: 'changeOwner', newOwnerId: 'rep-zhao' }, { now, actor: { id: 'mgr-wang', relations: ['ownerSuperior'] } })
 */
export function decideCustomer(customer: Customer, command: CustomerCommandInput, context: CustomerContext): Result<CustomerDecision, CrmError> {
  const c = parseCustomer(customer, ['customer']);
  if (!c.ok) return c;
  const cmd = parseInput(customerCommandSchema, command, ['command']);
  if (!cmd.ok) return cmd;
  const ctx = parseInput(customerContextSchema, context, ['context']);
  if (!ctx.ok) return ctx;
  return decideParsed(c.value, cmd.value, ctx.value);
}

/**
 * A customer as these rules read it: the pools' stored customer, and owned when it is outside
 * pools and not voided (`INVALID_INPUT` at `<at>.ownerId` otherwise: such a customer is one the
 * rules never make).
 *
 * @internal
 */
export function parseCustomer(value: unknown, at: readonly (string | number)[]): Result<Customer, CrmError> {
  const c = parseInput(poolCustomerSchema, value, at);
  if (!c.ok) return c;
  const customer = c.value as Customer;
  if (customer.poolId === null && customer.ownerId === null && (customer.voided ?? null) === null) {
    return invalidAt([...at, 'ownerId'], 'a customer outside pools has an owner');
  }
  return ok(customer);
}

const isOperation = (type: unknown): type is CustomerOperation => typeof type === 'string' && (CUSTOMER_OPERATIONS as readonly string[]).includes(type);

/**
 * `decideCustomer` on parsed values (the service parsed them once).
 *
 * @internal
 */
export function decideParsed(customer: Customer, command: CustomerCommand, ctx: ParsedCustomerContext): Result<CustomerDecision, CrmError> {
  const policy = ctx.policy ?? DEFAULT_CUSTOMER_POLICY;
  const id = customer.id;
  const type = command.type;
  if (customer.version >= Number.MAX_SAFE_INTEGER) return invalidAt(['customer', 'version'], 'the version is exhausted: it cannot count another change');
  const voided = customer.voided ?? null;
  const locked = customer.locked ?? null;
  if (voided !== null && type !== 'restore') return refuse('CUSTOMER_VOIDED', { customerId: id, operation: type, voidedAt: new Date(voided.at.getTime()) });
  // A voided customer has no owner: who voided it does not own it, so `owner` is never held here.
  const held = actorRelations(ctx.actor, customer.ownerId);
  const allowed = policy.permissions[type];
  if (!isPermitted(held, allowed)) return refuse('CUSTOMER_PERMISSION_DENIED', { customerId: id, operation: type, allowedRelations: [...allowed], actorRelations: [...held] });
  if (locked !== null && (type === 'void' || type === 'changeOwner' || type === 'lock')) {
    return refuse('CUSTOMER_LOCKED', { customerId: id, operation: type, lockedBy: locked.by, lockedAt: new Date(locked.at.getTime()) });
  }
  const now = ctx.now;
  const next = { ...customer } as Mutable<Customer>;
  let event: Omit<Parameters<typeof customerEvent>[0], 'at' | 'actorId' | 'subject' | 'version'>;
  switch (command.type) {
    case 'lock':
      next.locked = { by: ctx.actor.id, at: new Date(now.getTime()), note: command.note ?? null };
      event = { type: 'customer.locked', data: { note: command.note ?? null } };
      break;
    case 'unlock':
      if (locked === null) return refuse('CUSTOMER_NOT_LOCKED', { customerId: id });
      next.locked = null;
      event = { type: 'customer.unlocked', data: { lockedBy: locked.by, lockedAt: new Date(locked.at.getTime()) } };
      break;
    case 'void':
      next.voided = { by: ctx.actor.id, at: new Date(now.getTime()), reason: command.reason ?? null, ownerId: customer.ownerId, poolId: customer.poolId };
      moveOwner(next, null, now);
      next.poolId = null;
      event = { type: 'customer.voided', data: { reason: command.reason ?? null, ownerId: customer.ownerId, poolId: customer.poolId } };
      break;
    case 'restore': {
      if (voided === null) return refuse('CUSTOMER_NOT_VOIDED', { customerId: id });
      const poolId = voided.poolId;
      if (poolId !== null && command.ownerId !== undefined) return refuse('CUSTOMER_OWNER_THROUGH_POOL', { customerId: id, poolId, ownerId: command.ownerId });
      const ownerId = poolId !== null ? null : (command.ownerId ?? voided.ownerId);
      if (poolId === null && ownerId === null) return refuse('CUSTOMER_OWNER_REQUIRED', { customerId: id });
      next.voided = null;
      next.poolId = poolId;
      moveOwner(next, ownerId, now);
      event = { type: 'customer.restored', data: { ownerId, poolId } };
      break;
    }
    case 'changeOwner': {
      const to = command.newOwnerId;
      if (to === null) return refuse('CUSTOMER_NEW_OWNER_REQUIRED', { customerId: id, ownerId: customer.ownerId });
      if (customer.poolId !== null) return refuse('CUSTOMER_IN_POOL', { customerId: id, poolId: customer.poolId, operation: 'changeOwner' });
      if (customer.ownerId === to) return refuse('CUSTOMER_SAME_OWNER', { customerId: id, ownerId: to });
      const from = customer.ownerId!;
      next.teamIds = teamAfterOwnerChange(customer.teamIds, from, to, policy.ownerChange.team);
      moveOwner(next, to, now);
      event = { type: 'customer.ownerChanged', data: { ownerFrom: from, ownerTo: to, teamIds: [...next.teamIds] } };
      break;
    }
    case 'setDealStatus':
      if (customer.won === command.won) return refuse('CUSTOMER_DEAL_STATUS_UNCHANGED', { customerId: id, won: command.won });
      next.won = command.won;
      event = { type: 'customer.dealStatusChanged', data: { won: command.won } };
      break;
    case 'recordDeal': {
      const at = command.at ?? now;
      if (at.getTime() > now.getTime()) return invalidAt(['command', 'at'], 'a deal is recorded when it was made: not after now');
      next.won = true;
      if (customer.lastDealAt === null || customer.lastDealAt.getTime() < at.getTime()) next.lastDealAt = new Date(at.getTime());
      event = { type: 'customer.dealRecorded', data: { orderId: command.orderId, wonBefore: customer.won, dealAt: new Date(at.getTime()) } };
      break;
    }
    case 'withdrawDeal':
      if (command.remainingDealOrders > 0 && command.lastDealAt === null) return invalidAt(['command', 'lastDealAt'], 'a customer with deal orders left has a last deal date');
      if (command.lastDealAt != null && command.lastDealAt.getTime() > now.getTime()) return invalidAt(['command', 'lastDealAt'], 'a deal is recorded when it was made: not after now');
      next.won = customer.won && command.remainingDealOrders > 0;
      if (command.lastDealAt !== undefined) next.lastDealAt = command.lastDealAt === null ? null : new Date(command.lastDealAt.getTime());
      event = { type: 'customer.dealWithdrawn', data: { orderId: command.orderId, won: next.won } };
      break;
  }
  next.version = customer.version + 1;
  const built = customerEvent({ ...event, at: now, actorId: ctx.actor.id, subject: { kind: 'customer', id }, version: next.version } as Parameters<typeof customerEvent>[0]);
  return ok(deepFreeze({ customer: next as Customer, events: [built] }));
}

/** A new owner (or none): the owned-since date and the reclaim state start again. */
function moveOwner(next: Mutable<Customer>, ownerId: string | null, now: Date): void {
  if (next.ownerId === ownerId) return;
  next.ownerId = ownerId;
  next.ownedSince = ownerId === null ? null : new Date(now.getTime());
  next.extendedUntil = null;
  next.extensionPendingUntil = null;
  next.warning = null;
}

/**
 * May this actor run this operation on this customer now? Permission, state (voided, locked) and
 * the operation's own preconditions that need no argument (`unlock` needs a lock, `restore` a
 * voiding, `changeOwner` a customer outside pools). A malformed customer, actor or policy: false.
 *
 * @example
 * canCustomer(customer, 'lock', { id: 'mgr-wang', relations: ['ownerSuperior'] }) // true when not locked
 */
export function canCustomer(customer: Customer, operation: CustomerOperation, actor: Actor, policy?: CustomerPolicyInput): boolean {
  const q = question(customer, actor, policy);
  return q !== null && isOperation(operation) && allows(q, operation);
}

/**
 * The operations this actor may run on this customer now, in `CUSTOMER_OPERATIONS` order (a menu).
 * A malformed customer, actor or policy: none.
 *
 * @example
 * availableCustomerOperations(customer, { id: 'rep-li', relations: [] }) // ['void', 'changeOwner'] for its owner
 */
export function availableCustomerOperations(customer: Customer, actor: Actor, policy?: CustomerPolicyInput): readonly CustomerOperation[] {
  const q = question(customer, actor, policy);
  return Object.freeze(q === null ? [] : CUSTOMER_OPERATIONS.filter((op) => allows(q, op)));
}

interface Question {
  readonly customer: Customer;
  readonly held: readonly Relation[];
  readonly policy: CustomerPolicy;
}

function question(customer: unknown, actor: unknown, policy: unknown): Question | null {
  const c = parseCustomer(customer, []);
  if (!c.ok) return null;
  const a = parseInput(actorSchema, actor);
  if (!a.ok) return null;
  const p = policy === undefined ? ok(DEFAULT_CUSTOMER_POLICY) : parseInput(customerPolicySchema, policy);
  if (!p.ok) return null;
  const cu = c.value;
  return { customer: cu, held: actorRelations(a.value, cu.ownerId), policy: p.value };
}

function allows(q: Question, op: CustomerOperation): boolean {
  if (!isPermitted(q.held, q.policy.permissions[op])) return false;
  const c = q.customer;
  const voided = (c.voided ?? null) !== null;
  const locked = (c.locked ?? null) !== null;
  switch (op) {
    case 'restore':
      // restored without naming an owner: back to the owner or into the pool it remembers
      return voided && (c.voided!.ownerId !== null || c.voided!.poolId !== null);
    case 'lock':
      return !voided && !locked;
    case 'unlock':
      return !voided && locked;
    case 'void':
      return !voided && !locked;
    case 'changeOwner':
      return !voided && !locked && c.poolId === null;
    case 'setDealStatus':
      return !voided;
  }
}
