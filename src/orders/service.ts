import { z } from 'zod';
import { guardService, hasMethods, invalidAt } from '../core/boundary.js';
import { messagesOptionSchema } from '../core/catalog.js';
import { actorSchema } from '../core/context.js';
import { localizeService, refuse, type CrmError } from '../core/errors.js';
import type { MessageCatalogInput, ShippedLocale } from '../core/messages.js';
import { observeService, onEventSchema, type EventListener } from '../core/observe.js';
import type { HostRelation, Relation } from '../core/permissions.js';
import { ok, type Result } from '../core/result.js';
import { readStoreAnswer } from '../core/store-answer.js';
import { deepFreeze, idSchema, instantSchema, parseInput } from '../core/validation.js';
import { poolCustomerSchema } from '../pools/index.js';
import { customerPolicySchema, decideCustomer, type Customer, type CustomerEvent, type CustomerPolicy, type CustomerPolicyInput } from '../customers/index.js';
import {
  decideOpportunity,
  opportunityConfigSchema,
  opportunitySchema,
  type Opportunity,
  type OpportunityConfig,
  type OpportunityConfigInput,
  type OpportunityEvent,
} from '../leads/index.js';
import { approvalPolicySchema, type ApprovalPolicyInput } from '../pricing/index.js';
import type { DocumentEvent } from './events.js';
import { createContract, createOrder, decideContract, decideOrder, type ContractDecision, type OrderEffect } from './lifecycle.js';
import {
  DEAL_ORDER_STATUSES,
  fullyReturned,
  contractSchema,
  documentCommandSchema,
  newDocumentSchema,
  orderPolicySchema,
  orderSchema,
  type Contract,
  type ContractOrderSummary,
  type DocumentCommandInput,
  type DocumentContext,
  type NewDocumentInput,
  type Order,
  type OrderPolicyInput,
} from './model.js';
import type { OrderServiceStore } from './ports.js';

/** What the order service needs: the store, and optionally the company's policies every call uses. */
export interface OrderServiceDeps {
  readonly store: OrderServiceStore;
  /** Who may submit, ship, receive, return, invoice, cancel and close (default `DEFAULT_ORDER_POLICY`). */
  readonly policy?: OrderPolicyInput;
  /** Pricing's approval policy, the one quotes use: the levels a contract or an order needs. */
  readonly approvalPolicy?: ApprovalPolicyInput;
  /** The opportunity process the seams move opportunities in (default the leads' default). */
  readonly opportunityConfig?: OpportunityConfigInput;
  /** The customer policy the seams record deals under (default the customers' default). */
  readonly customerPolicy?: CustomerPolicyInput;
  /** The language of the refusals the service returns (default English). */
  readonly messages?: ShippedLocale | MessageCatalogInput;
  /** Told each event the service saved, in order, after the save; one that throws is ignored. */
  readonly onEvent?: EventListener;
}

/** The context of an order service call: when, who, and optionally the policies for this call. */
export interface OrderServiceContext {
  readonly now: Date | string;
  readonly actor: { readonly id: string; readonly relations?: readonly HostRelation[]; readonly departmentIds?: readonly string[] };
  readonly policy?: OrderPolicyInput;
  readonly approvalPolicy?: ApprovalPolicyInput;
}

/**
 * What became of one effect of an order decision:
 * - `applied` — the service moved the opportunity or the customer, in the order's own commit;
 * - `skipped` — nothing to move, with the `reason`: `notStored` (the store holds no such
 *   opportunity or customer: the host keeps it elsewhere), `otherCustomer` (the opportunity is
 *   another customer's), `alreadyWon`, `notOpen` (a lost or invalid opportunity is left as its
 *   owner closed it), `stillWon` (another deal order of the opportunity still wins it), `notWon`
 *   (nothing to revert), `notWonByOrder` (won by hand, not by one of its orders: a cancellation
 *   does not undo it), or `refused` with the rule's `error` (a voided customer, an opportunity
 *   changed after the order's `now`…);
 * - `forHost` — the payments' part (`paymentPlanDue`, `creditNote`): the plan's installments
 *   are the host's terms and the ledger may live apart, so the host passes it to the payments
 *   service (the credit note's id is the return's, so a retry after a crash is a `CONFLICT`,
 *   never a second credit).
 */
export interface SeamOutcome {
  readonly effect: OrderEffect;
  readonly outcome: 'applied' | 'skipped' | 'forHost';
  readonly reason: 'notStored' | 'otherCustomer' | 'alreadyWon' | 'notOpen' | 'stillWon' | 'notWon' | 'notWonByOrder' | 'refused' | null;
  readonly error: CrmError | null;
}

/** What the seams of one decision did (internal). */
interface Seams {
  readonly seams: SeamOutcome[];
  readonly events: (OpportunityEvent | CustomerEvent)[];
  readonly opportunity: { readonly loaded: Opportunity; readonly next: Opportunity; readonly moved: boolean } | null;
  readonly customer: { readonly loaded: Customer; readonly next: Customer } | null;
}

/** An order operation's answer: the order after, every event saved (the order's, then the opportunity's and the customer's), and what became of each effect. */
export interface OrderOutcome {
  readonly order: Order;
  readonly events: readonly (DocumentEvent | OpportunityEvent | CustomerEvent)[];
  readonly effects: readonly OrderEffect[];
  readonly seams: readonly SeamOutcome[];
  /** The opportunity after the seams, when they moved it; else null. */
  readonly opportunity: Opportunity | null;
  /** The customer after the seams, when they moved it; else null. */
  readonly customer: Customer | null;
}

/** The contract and order use cases over one store: load → decide (with what the rule needs loaded) → apply the seams → save, all in one commit. */
export interface OrderService {
  /** Creates a contract in draft (`createContract`); `CONFLICT` if the id is taken. */
  createContract(input: NewDocumentInput, ctx: OrderServiceContext): Promise<Result<ContractDecision, CrmError>>;
  /** Creates an order in draft (`createOrder`); one drawn from a contract is checked against the stored contract and its orders. */
  createOrder(input: NewDocumentInput, ctx: OrderServiceContext): Promise<Result<OrderOutcome, CrmError>>;
  /** Loads the contract (`NOT_FOUND`), decides the command with its stored orders, saves over the loaded version. */
  executeContract(contractId: string, command: DocumentCommandInput, ctx: OrderServiceContext): Promise<Result<ContractDecision, CrmError>>;
  /** Loads the order (`NOT_FOUND`), decides the command with its contract, orders and opportunity, applies the seams, saves it all in one commit. */
  executeOrder(orderId: string, command: DocumentCommandInput, ctx: OrderServiceContext): Promise<Result<OrderOutcome, CrmError>>;
}

const STORE_METHODS = ['loadContract', 'loadOrder', 'loadOrdersOfContract', 'loadOrdersOfOpportunity', 'loadDealOrdersOfCustomer', 'loadOpportunity', 'loadCustomer', 'commit'];

const depsSchema = z.object({
  store: z.custom<OrderServiceStore>(
    hasMethods(...STORE_METHODS),
    'expected an OrderServiceStore (loadContract, loadOrder, loadOrdersOfContract, loadOrdersOfOpportunity, loadDealOrdersOfCustomer, loadOpportunity, loadCustomer, commit)',
  ),
  policy: orderPolicySchema.optional(),
  approvalPolicy: approvalPolicySchema.optional(),
  opportunityConfig: opportunityConfigSchema.optional(),
  customerPolicy: customerPolicySchema.optional(),
  messages: messagesOptionSchema.optional(),
  onEvent: onEventSchema,
});

const serviceContextSchema = z
  .object({ now: instantSchema, actor: actorSchema, policy: orderPolicySchema.optional(), approvalPolicy: approvalPolicySchema.optional() })
  .strict();


const withAutomation = (relations: readonly Relation[]): Relation[] => (relations.includes('automation') ? [...relations] : [...relations, 'automation']);

const summary = (o: Order): ContractOrderSummary => ({ id: o.id, status: o.status, total: o.total });

/**
 * Builds the order service over a store holding orders, opportunities and customers
 * (`createMemoryStore()`, `createPostgresStore()`).
 *
 * What it loads for the rules: an order drawn from a contract is created, submitted and given
 * its confirming approval against the stored contract and the contract's stored orders (so the
 * orders' sum stays within the contract even when two wait for approval at once: the second
 * approval sees the first confirmation); cancelling or closing a contract reads its orders;
 * confirming an order keeps the opportunity's stage (where a cancellation moves it back).
 *
 * The seams (`SeamOutcome`), applied in the order's own commit, as the `automation` relation —
 * the order's permissions and approvals were the check that matters, so the service adds
 * `automation` to the opportunity's `close` and `reopen` and the customer's `recordDeal` and
 * `withdrawDeal` permissions for them:
 * - `opportunityWon` closes an open opportunity as won (简道云: 下单完成后商机自动赢单); one
 *   already won (by an earlier order) is left as it is;
 * - `opportunityReverted` reopens the won opportunity at the stage the order kept, unless
 *   another deal order of the opportunity still wins it;
 * - `customerDealt` records the deal (已成交); `customerDealWithdrawn` withdraws it, counting
 *   the customer's other deal orders (a fully returned one does not count);
 * - `paymentPlanDue` and `creditNote` are handed to the host for the payments service.
 *
 * Two people changing one order (or the opportunity or customer it moves) at once get one
 * success and one `CONFLICT`. A store that throws is `STORE_UNAVAILABLE`; malformed dependencies
 * give a service whose every call answers `INVALID_INPUT` at `deps`.
 *
 * @example
 * const store = createMemoryStore();
 * const orders = createOrderService({ store, approvalPolicy });
 * await orders.executeOrder('SO-1', { type: 'submit' }, { now, actor: { id: 'rep-li' } });
 */
export function createOrderService(deps: OrderServiceDeps): OrderService {
  const parsedDeps = parseInput(depsSchema, deps, ['deps']);
  if (!parsedDeps.ok) {
    const refusal = parsedDeps;
    return Object.freeze({ createContract: async () => refusal, createOrder: async () => refusal, executeContract: async () => refusal, executeOrder: async () => refusal });
  }
  const { store, messages, policy: defaultPolicy, approvalPolicy: defaultApprovalPolicy } = parsedDeps.value;
  const seamConfig = seamOpportunityConfig(parsedDeps.value.opportunityConfig);
  const seamCustomerPolicy = seamCustomerPolicyOf(parsedDeps.value.customerPolicy ?? customerPolicySchema.parse({}));

  /** The call's context, the deps' policies filling what it leaves out. */
  function contextOf(input: unknown): Result<DocumentContext & { readonly now: Date; readonly actor: { readonly id: string; readonly relations: readonly HostRelation[] } }, CrmError> {
    const c = parseInput(serviceContextSchema, input, ['context']);
    if (!c.ok) return c;
    const policy = c.value.policy ?? defaultPolicy;
    const approvalPolicy = c.value.approvalPolicy ?? defaultApprovalPolicy;
    return ok({
      now: c.value.now,
      actor: c.value.actor,
      ...(policy === undefined ? {} : { policy }),
      ...(approvalPolicy === undefined ? {} : { approvalPolicy }),
    });
  }

  async function loadParsed<T>(load: () => Promise<unknown>, schema: z.ZodType<T, unknown>, entity: 'contract' | 'order', id: string): Promise<Result<T, CrmError>> {
    const stored = await load();
    if (stored === null || stored === undefined) return refuse('NOT_FOUND', { entity, id });
    const parsed = parseInput(schema, stored, ['store', entity]);
    if (!parsed.ok) return parsed;
    const found = (parsed.value as { id: string }).id;
    if (found !== id) {
      return invalidAt(['store', entity, 'id'], entity === 'contract' ? `the store answered contract ${found} for ${id}` : `the store answered order ${found} for ${id}`);
    }
    return parsed;
  }

  /** The contract an order is drawn from and the contract's other orders, as the rule reads them. */
  async function contractContext(contractId: string): Promise<Result<{ contract: Contract; contractOrders: ContractOrderSummary[] }, CrmError>> {
    const contract = await loadParsed(() => store.loadContract(contractId), contractSchema as z.ZodType<Contract, unknown>, 'contract', contractId);
    if (!contract.ok) return contract;
    const orders = await store.loadOrdersOfContract(contractId);
    return ok({ contract: contract.value, contractOrders: [...orders].map(summary) });
  }

  /** Applies the seams of a decision: the opportunity and the customer after, their events, and each effect's outcome; a malformed stored record refuses the whole operation. */
  async function applySeams(order: Order, effects: readonly OrderEffect[], now: Date, actorId: string): Promise<Result<Seams, CrmError>> {
    const seams: SeamOutcome[] = [];
    const events: (OpportunityEvent | CustomerEvent)[] = [];
    let opportunity = null as { loaded: Opportunity; next: Opportunity; moved: boolean } | null;
    let customer = null as { loaded: Customer; next: Customer } | null;
    const automation = { id: actorId, relations: ['automation' as const] };
    const skip = (effect: OrderEffect, reason: SeamOutcome['reason'], error: CrmError | null = null) => seams.push({ effect, outcome: 'skipped', reason, error });
    for (const effect of effects) {
      switch (effect.kind) {
        case 'opportunityWon':
        case 'opportunityReverted': {
          const stored = opportunity === null ? await loadOpportunity(effect.opportunityId) : ok(opportunity.next);
          if (stored === null) {
            skip(effect, 'notStored');
            break;
          }
          if (!stored.ok) return stored;
          const current: Opportunity = stored.value;
          if (current.customerId !== order.customerId) {
            skip(effect, 'otherCustomer');
            break;
          }
          // what the seam reads of the opportunity it writes back (its version bumped when nothing
          // else changes): two orders deciding on one opportunity at once conflict instead of both
          // skipping on what the other changes (two cancellations each seeing the other still live)
          const touch = () => (opportunity ??= { loaded: current, next: deepFreeze({ ...current, version: current.version + 1 }), moved: false });
          let commands: Parameters<typeof decideOpportunity>[1][] = [];
          if (effect.kind === 'opportunityWon') {
            if (current.status === 'won') {
              skip(effect, 'alreadyWon');
              touch();
            } else if (current.status !== 'open') skip(effect, 'notOpen');
            else commands = [{ type: 'close', outcome: 'won', reason: `order ${order.id}` }];
          } else if (current.status !== 'won') skip(effect, 'notWon');
          else {
            const ofOpportunity = await parsedOrders(await store.loadOrdersOfOpportunity(effect.opportunityId), ['store', 'ordersOfOpportunity']);
            if (!ofOpportunity.ok) return ofOpportunity;
            const others = ofOpportunity.value.filter((o) => o.id !== order.id && DEAL_ORDER_STATUSES.includes(o.status));
            const wonByAnOrder = [order, ...ofOpportunity.value].some((o) => current.closeReason === `order ${o.id}`);
            if (others.length > 0) {
              skip(effect, 'stillWon');
              touch();
            } else if (!wonByAnOrder) skip(effect, 'notWonByOrder');
            else {
              const reason = `order ${order.id} cancelled`;
              // the stage kept, or (when it is no longer configured) the stage it was won at
              commands = effect.toStage === null ? [{ type: 'reopen', reason }] : [{ type: 'reopen', stageId: effect.toStage, reason }, { type: 'reopen', reason }];
            }
          }
          if (commands.length === 0) break;
          let decided = decideOpportunity(current, commands[0]!, { now, actor: automation, config: seamConfig });
          if (!decided.ok && commands.length > 1) decided = decideOpportunity(current, commands[1]!, { now, actor: automation, config: seamConfig });
          if (!decided.ok) {
            skip(effect, 'refused', decided.error);
            break;
          }
          opportunity = { loaded: opportunity?.loaded ?? current, next: decided.value.opportunity, moved: true };
          events.push(...decided.value.events);
          seams.push({ effect, outcome: 'applied', reason: null, error: null });
          break;
        }
        case 'customerDealt':
        case 'customerDealWithdrawn': {
          const stored = customer === null ? await loadCustomer(effect.customerId) : ok(customer.next);
          if (stored === null) {
            skip(effect, 'notStored');
            break;
          }
          if (!stored.ok) return stored;
          const current: Customer = stored.value;
          let command: Parameters<typeof decideCustomer>[1];
          if (effect.kind === 'customerDealt') command = { type: 'recordDeal', orderId: effect.orderId, at: effect.at };
          else {
            const deals = await parsedOrders(await store.loadDealOrdersOfCustomer(effect.customerId), ['store', 'dealOrdersOfCustomer']);
            if (!deals.ok) return deals;
            const remaining = deals.value.filter((o) => o.id !== order.id && o.customerId === effect.customerId && DEAL_ORDER_STATUSES.includes(o.status) && !fullyReturned(o.lines));
            // a deal is dated when it was confirmed, never after now (a clock ahead elsewhere)
            const last = remaining.reduce<number | null>((a, o) => {
              const t = Math.min(o.confirmedAt?.getTime() ?? now.getTime(), now.getTime());
              return a === null || t > a ? t : a;
            }, null);
            command = { type: 'withdrawDeal', orderId: effect.orderId, remainingDealOrders: remaining.length, lastDealAt: last === null ? null : new Date(last) };
          }
          const decided = decideCustomer(current, command, { now, actor: automation, policy: seamCustomerPolicy });
          if (!decided.ok) {
            skip(effect, 'refused', decided.error);
            break;
          }
          customer = { loaded: customer?.loaded ?? current, next: decided.value.customer };
          events.push(...decided.value.events);
          seams.push({ effect, outcome: 'applied', reason: null, error: null });
          break;
        }
        case 'paymentPlanDue':
        case 'creditNote':
          seams.push({ effect, outcome: 'forHost', reason: null, error: null });
          break;
      }
    }
    return ok({ seams, events, opportunity, customer });
  }

  /** The stored opportunity as the rules read it (a malformed one, or another's: `INVALID_INPUT` at `store.opportunity`), or null when none is stored. */
  async function loadOpportunity(id: string): Promise<Result<Opportunity, CrmError> | null> {
    const stored = await store.loadOpportunity(id);
    if (stored === null || stored === undefined) return null;
    const parsed = parseInput(opportunitySchema, stored, ['store', 'opportunity']);
    if (!parsed.ok) return parsed;
    if (parsed.value.id !== id) return invalidAt(['store', 'opportunity', 'id'], `the store answered opportunity ${parsed.value.id} for ${id}`);
    return parsed;
  }

  /** The stored customer as the rules read it (a malformed one, or another's: `INVALID_INPUT` at `store.customer`), or null when none is stored. */
  async function loadCustomer(id: string): Promise<Result<Customer, CrmError> | null> {
    const stored = await store.loadCustomer(id);
    if (stored === null || stored === undefined) return null;
    const parsed = parseInput(poolCustomerSchema, stored, ['store', 'customer']);
    if (!parsed.ok) return parsed;
    if (parsed.value.id !== id) return invalidAt(['store', 'customer', 'id'], `the store answered customer ${parsed.value.id} for ${id}`);
    return parsed as Result<Customer, CrmError>;
  }

  /** Orders a store listed, each read through the order door (a malformed one: `INVALID_INPUT` at `at`). */
  async function parsedOrders(list: unknown, at: readonly (string | number)[]): Promise<Result<readonly Order[], CrmError>> {
    return parseInput(z.array(orderSchema as z.ZodType<Order, unknown>).max(100_000), list, at);
  }

  /** Saves an order and what its seams moved in one commit, and answers the outcome. */
  async function saveOrder(order: Order, expectedVersion: number | null, orderEvents: readonly DocumentEvent[], effects: readonly OrderEffect[], now: Date, actorId: string): Promise<Result<OrderOutcome, CrmError>> {
    const seamed = await applySeams(order, effects, now, actorId);
    if (!seamed.ok) return seamed;
    const applied = seamed.value;
    const saved = readStoreAnswer(
      await store.commit({
        // the store gets copies of its own: nothing it keeps is an object the caller holds
        orders: [{ record: structuredClone(order), expectedVersion }],
        opportunities: applied.opportunity === null ? [] : [{ record: structuredClone(applied.opportunity.next), expectedVersion: applied.opportunity.loaded.version }],
        customers: applied.customer === null ? [] : [{ record: structuredClone(applied.customer.next), expectedVersion: applied.customer.loaded.version }],
      }),
      ['store', 'commit'],
    );
    if (!saved.ok) return saved;
    return ok(
      deepFreeze({
        order,
        events: [...orderEvents, ...applied.events],
        effects,
        seams: applied.seams,
        opportunity: applied.opportunity?.moved ? applied.opportunity.next : null,
        customer: applied.customer?.next ?? null,
      }),
    );
  }

  const service: OrderService = {
    async createContract(input, ctxInput) {
      const ctx = contextOf(ctxInput);
      if (!ctx.ok) return ctx;
      const decided = createContract(input, ctx.value);
      if (!decided.ok) return decided;
      const saved = readStoreAnswer(await store.commit({ contracts: [{ record: structuredClone(decided.value.contract), expectedVersion: null }] }), ['store', 'commit']);
      return saved.ok ? decided : saved;
    },
    async createOrder(input, ctxInput) {
      const ctx = contextOf(ctxInput);
      if (!ctx.ok) return ctx;
      const parsed = parseInput(newDocumentSchema, input, ['input']);
      if (!parsed.ok) return parsed;
      let context: DocumentContext = ctx.value;
      const contractId = parsed.value.contractId ?? null;
      if (contractId !== null) {
        const loaded = await contractContext(contractId);
        if (!loaded.ok) return loaded;
        context = { ...context, ...loaded.value };
      }
      const opportunityId = parsed.value.opportunityId ?? null;
      if (opportunityId !== null) {
        const opportunity = await loadOpportunity(opportunityId);
        if (opportunity !== null && !opportunity.ok) return opportunity;
        if (opportunity?.ok && opportunity.value.customerId !== parsed.value.customerId) {
          return invalidAt(['input', 'opportunityId'], `opportunity ${opportunityId} is customer ${opportunity.value.customerId}'s, not ${parsed.value.customerId}'s`);
        }
      }
      const decided = createOrder(parsed.value, context);
      if (!decided.ok) return decided;
      return saveOrder(decided.value.order, null, decided.value.events, decided.value.effects, ctx.value.now, ctx.value.actor.id);
    },
    async executeContract(contractId, command, ctxInput) {
      const id = parseInput(idSchema, contractId, ['contractId']);
      if (!id.ok) return id;
      const cmd = parseInput(documentCommandSchema, command, ['command']);
      if (!cmd.ok) return cmd;
      const ctx = contextOf(ctxInput);
      if (!ctx.ok) return ctx;
      const contract = await loadParsed(() => store.loadContract(id.value), contractSchema as z.ZodType<Contract, unknown>, 'contract', id.value);
      if (!contract.ok) return contract;
      let context: DocumentContext = ctx.value;
      if (cmd.value.type === 'cancel' || cmd.value.type === 'close') context = { ...context, contractOrders: [...(await store.loadOrdersOfContract(id.value))].map(summary) };
      const decided = decideContract(contract.value, cmd.value, context);
      if (!decided.ok) return decided;
      const saved = readStoreAnswer(await store.commit({ contracts: [{ record: structuredClone(decided.value.contract), expectedVersion: contract.value.version }] }), ['store', 'commit']);
      return saved.ok ? decided : saved;
    },
    async executeOrder(orderId, command, ctxInput) {
      const id = parseInput(idSchema, orderId, ['orderId']);
      if (!id.ok) return id;
      const cmd = parseInput(documentCommandSchema, command, ['command']);
      if (!cmd.ok) return cmd;
      const ctx = contextOf(ctxInput);
      if (!ctx.ok) return ctx;
      const order = await loadParsed(() => store.loadOrder(id.value), orderSchema as z.ZodType<Order, unknown>, 'order', id.value);
      if (!order.ok) return order;
      let context: DocumentContext = ctx.value;
      if (cmd.value.type === 'submit' || cmd.value.type === 'approve') {
        if (order.value.contractId !== null) {
          const loaded = await contractContext(order.value.contractId);
          if (!loaded.ok) return loaded;
          context = { ...context, ...loaded.value };
        }
        if (order.value.opportunityId !== null) {
          const opportunity = await loadOpportunity(order.value.opportunityId);
          if (opportunity !== null && !opportunity.ok) return opportunity;
          context = { ...context, opportunityStage: opportunity?.value.stageId ?? null };
        }
      }
      const decided = decideOrder(order.value, cmd.value, context);
      if (!decided.ok) return decided;
      return saveOrder(decided.value.order, order.value.version, decided.value.events, decided.value.effects, ctx.value.now, ctx.value.actor.id);
    },
  };
  const observed = observeService(guardService(service), parsedDeps.value.onEvent);
  return messages === undefined ? observed : localizeService(observed, messages);
}

/** The opportunity process for the seams: the host's, `automation` added to `close` and `reopen`. */
function seamOpportunityConfig(config: OpportunityConfig | undefined): OpportunityConfigInput {
  const parsed = config ?? opportunityConfigSchema.parse({});
  return { ...parsed, permissions: { ...parsed.permissions, close: withAutomation(parsed.permissions.close), reopen: withAutomation(parsed.permissions.reopen) } };
}

/** The customer policy for the seams: the host's, `automation` added to `recordDeal` and `withdrawDeal`. */
function seamCustomerPolicyOf(policy: CustomerPolicy): CustomerPolicyInput {
  return { ...policy, permissions: { ...policy.permissions, recordDeal: withAutomation(policy.permissions.recordDeal), withdrawDeal: withAutomation(policy.permissions.withdrawDeal) } };
}
