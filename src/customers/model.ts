import { z } from 'zod';
import { actorSchema, type ServiceContext } from '../core/context.js';
import { RELATIONS, type Relation } from '../core/permissions.js';
import { deepFreeze, idSchema, instantSchema, namedRecordSchema, textSchema } from '../core/validation.js';
import type { PoolCustomer } from '../pools/index.js';

/**
 * The customers module: the rules of a customer outside what its pool decides — created with an
 * owner (unless into a pool), locked and unlocked, voided into the recycle bin and restored, handed
 * to a new owner, and its deal status (未成交 / 已成交) moved by orders.
 *
 * The customer record is the pools' `PoolCustomer`, one record the pool rules and these rules
 * both read and write: a host keeps its own customer rows (name, tax id, addresses) beside it.
 */

/**
 * A customer as these rules read and write it: the pools' stored customer (`won` is its deal
 * status, 已成交 when true), with its lock and its voiding.
 */
export type Customer = PoolCustomer;

/** The operations on an existing customer, each with its own permission in the policy. */
export const CUSTOMER_OPERATIONS = Object.freeze(['lock', 'unlock', 'void', 'restore', 'changeOwner', 'setDealStatus'] as const);
/** An operation on a customer a user runs by hand. */
export type CustomerOperation = (typeof CUSTOMER_OPERATIONS)[number];

/**
 * Who may run each operation, by default:
 * - lock and unlock: the owner's superior, a pool admin, the CRM admin (a lock is a manager's
 *   act: the owner cannot lift it alone);
 * - void: the owner, the owner's superior, a pool admin, the CRM admin;
 * - restore from the recycle bin: the CRM admin only (as for voided leads);
 * - change owner: the owner (handing over), the owner's superior, the CRM admin;
 * - set the deal status by hand: the CRM admin only — orders move it otherwise;
 * - record or withdraw a deal (the orders' seam): an automation (the order service acting) or the CRM admin.
 */
export const DEFAULT_CUSTOMER_PERMISSIONS: Readonly<Record<CustomerOperation | 'recordDeal' | 'withdrawDeal', readonly Relation[]>> = Object.freeze({
  lock: Object.freeze(['ownerSuperior', 'poolAdmin', 'crmAdmin'] as Relation[]),
  unlock: Object.freeze(['ownerSuperior', 'poolAdmin', 'crmAdmin'] as Relation[]),
  void: Object.freeze(['owner', 'ownerSuperior', 'poolAdmin', 'crmAdmin'] as Relation[]),
  restore: Object.freeze(['crmAdmin'] as Relation[]),
  changeOwner: Object.freeze(['owner', 'ownerSuperior', 'crmAdmin'] as Relation[]),
  setDealStatus: Object.freeze(['crmAdmin'] as Relation[]),
  recordDeal: Object.freeze(['automation', 'crmAdmin'] as Relation[]),
  withdrawDeal: Object.freeze(['automation', 'crmAdmin'] as Relation[]),
});

const relationListSchema = z.array(z.enum(RELATIONS as [Relation, ...Relation[]])).max(RELATIONS.length);

/**
 * A company's customer rules as stored JSON: who may run each operation, and what an owner
 * change does to the team (kept, emptied, or kept with the previous owner added).
 */
export const customerPolicySchema = z
  .object({
    permissions: z
      .object({
        lock: relationListSchema.default([...DEFAULT_CUSTOMER_PERMISSIONS.lock]),
        unlock: relationListSchema.default([...DEFAULT_CUSTOMER_PERMISSIONS.unlock]),
        void: relationListSchema.default([...DEFAULT_CUSTOMER_PERMISSIONS.void]),
        restore: relationListSchema.default([...DEFAULT_CUSTOMER_PERMISSIONS.restore]),
        changeOwner: relationListSchema.default([...DEFAULT_CUSTOMER_PERMISSIONS.changeOwner]),
        setDealStatus: relationListSchema.default([...DEFAULT_CUSTOMER_PERMISSIONS.setDealStatus]),
        recordDeal: relationListSchema.default([...DEFAULT_CUSTOMER_PERMISSIONS.recordDeal]),
        withdrawDeal: relationListSchema.default([...DEFAULT_CUSTOMER_PERMISSIONS.withdrawDeal]),
      })
      .strict()
      .default({
        lock: [...DEFAULT_CUSTOMER_PERMISSIONS.lock],
        unlock: [...DEFAULT_CUSTOMER_PERMISSIONS.unlock],
        void: [...DEFAULT_CUSTOMER_PERMISSIONS.void],
        restore: [...DEFAULT_CUSTOMER_PERMISSIONS.restore],
        changeOwner: [...DEFAULT_CUSTOMER_PERMISSIONS.changeOwner],
        setDealStatus: [...DEFAULT_CUSTOMER_PERMISSIONS.setDealStatus],
        recordDeal: [...DEFAULT_CUSTOMER_PERMISSIONS.recordDeal],
        withdrawDeal: [...DEFAULT_CUSTOMER_PERMISSIONS.withdrawDeal],
      }),
    ownerChange: z
      .object({ team: z.enum(['keep', 'clear', 'keepAndAddPreviousOwner']).default('keep') })
      .strict()
      .default({ team: 'keep' }),
  })
  .strict();

/** A customer policy as a host stores it (every field optional). */
export type CustomerPolicyInput = z.input<typeof customerPolicySchema>;
/** A parsed customer policy, every default filled in. */
export type CustomerPolicy = z.output<typeof customerPolicySchema>;

/** The default customer policy: `DEFAULT_CUSTOMER_PERMISSIONS`, the team kept on an owner change. */
export const DEFAULT_CUSTOMER_POLICY: CustomerPolicy = deepFreeze(customerPolicySchema.parse({})) as CustomerPolicy;

const scalarSchema = z.union([textSchema, z.number(), z.boolean(), z.null()]);

/**
 * A new customer: its id (the host's), its owner and pool, level, team and attributes. Added
 * directly (no pool) it needs an owner: the acting user when `ownerId` is omitted (纷享销客's
 * default: the logged-in user); an explicit null is refused. Added into a pool it is created
 * unowned — an owner comes from the pool (claim or assign), which checks the quota.
 *
 * @example
 * const input: CreateCustomerInput = { id: 'C-1', level: 'important' }; // owned by the actor
 */
export const createCustomerInputSchema = z
  .object({
    id: idSchema,
    ownerId: idSchema.nullable().optional(),
    poolId: idSchema.nullable().optional(),
    level: textSchema.max(100).nullable().optional(),
    teamIds: z.array(idSchema).max(1000).optional(),
    attributes: namedRecordSchema(scalarSchema, textSchema).optional(),
  })
  .strict();
/** A new customer's data. */
export type CreateCustomerInput = z.input<typeof createCustomerInputSchema>;

/**
 * A command on a customer:
 * - `lock` (with an optional note) and `unlock`;
 * - `void` (作废: into the recycle bin, with an optional reason) and `restore` (back to the owner and
 *   pool it had; `ownerId` names another owner for a customer outside pools);
 * - `changeOwner` to `newOwnerId` (required: the owner is released only to a new one);
 * - `setDealStatus` by hand (`won` true is 已成交);
 * - `recordDeal` and `withdrawDeal`: the orders' seam — an order confirmed marks the customer as
 *   dealt; a deal order cancelled or fully returned withdraws it, and the customer is 未成交 again
 *   when `remainingDealOrders` (the host's count of its other deal orders) is 0; `lastDealAt` (the
 *   latest remaining deal's time, or null) replaces the last deal date, which is kept when omitted.
 */
export const customerCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('lock'), note: textSchema.max(2000).optional() }).strict(),
  z.object({ type: z.literal('unlock') }).strict(),
  z.object({ type: z.literal('void'), reason: textSchema.max(2000).optional() }).strict(),
  z.object({ type: z.literal('restore'), ownerId: idSchema.optional() }).strict(),
  z.object({ type: z.literal('changeOwner'), newOwnerId: idSchema.nullable() }).strict(),
  z.object({ type: z.literal('setDealStatus'), won: z.boolean() }).strict(),
  z.object({ type: z.literal('recordDeal'), orderId: idSchema, at: instantSchema.optional() }).strict(),
  z
    .object({ type: z.literal('withdrawDeal'), orderId: idSchema, remainingDealOrders: z.number().int().min(0), lastDealAt: instantSchema.nullable().optional() })
    .strict(),
]);
/** A customer command as a host passes it. */
export type CustomerCommandInput = z.input<typeof customerCommandSchema>;
/** A parsed customer command. */
export type CustomerCommand = z.output<typeof customerCommandSchema>;
/** Every command type, operations and the orders' seam. */
export type CustomerCommandType = CustomerCommand['type'];

/**
 * The context of a customer rule: when and who (the relations the host resolved between the
 * actor and the customer), and the company's customer policy (default `DEFAULT_CUSTOMER_POLICY`).
 *
 * @example
 * const ctx: CustomerContext = { now: '2026-05-06T09:00:00+08:00', actor: { id: 'mgr-wang', relations: ['ownerSuperior'] } };
 */
export interface CustomerContext extends ServiceContext {
  readonly policy?: CustomerPolicyInput;
}

/** The schema of a customer context (strict). */
export const customerContextSchema = z.object({ now: instantSchema, actor: actorSchema, policy: customerPolicySchema.optional() }).strict();
/** A parsed customer context. */
export type ParsedCustomerContext = z.output<typeof customerContextSchema>;

/**
 * Types a customer policy kept in a `const` (an identity: not validated, copied or frozen; never throws).
 *
 * @example
 * const policy = defineCustomerPolicy({ permissions: { setDealStatus: ['crmAdmin', 'ownerSuperior'] } });
 */
export function defineCustomerPolicy(policy: CustomerPolicyInput): CustomerPolicyInput {
  return policy;
}
