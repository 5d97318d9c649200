import { z } from 'zod';
import { guardService, hasMethods, invalidAt } from '../core/boundary.js';
import { messagesOptionSchema } from '../core/catalog.js';
import { localizeService, refuse, type CrmError } from '../core/errors.js';
import type { MessageCatalogInput, ShippedLocale } from '../core/messages.js';
import { observeService, onEventSchema, type EventListener } from '../core/observe.js';
import { ok, type Result } from '../core/result.js';
import { readStoreAnswer } from '../core/store-answer.js';
import { idSchema, parseInput } from '../core/validation.js';
import { createCustomer, decideParsed, parseCustomer, type CustomerDecision } from './lifecycle.js';
import { customerCommandSchema, customerContextSchema, customerPolicySchema, type CreateCustomerInput, type Customer, type CustomerCommandInput, type CustomerContext, type CustomerPolicyInput } from './model.js';
import type { CustomerStore } from './ports.js';

/** What the customer service needs: the store, and optionally the company's customer policy. */
export interface CustomerServiceDeps {
  readonly store: CustomerStore;
  /** The customer policy every call uses unless its context gives one. */
  readonly policy?: CustomerPolicyInput;
  /** The language of the refusals the service returns (default English). */
  readonly messages?: ShippedLocale | MessageCatalogInput;
  /** Told each event the service saved, in order, after the save; one that throws is ignored. */
  readonly onEvent?: EventListener;
}

/** The customer use cases over the store: load → decide → save with the loaded version. */
export interface CustomerService {
  /** Creates a customer (`createCustomer`); `CONFLICT` if the id is taken. */
  create(input: CreateCustomerInput, ctx: CustomerContext): Promise<Result<CustomerDecision, CrmError>>;
  /** Loads the customer (`NOT_FOUND` when there is none), decides the command (`decideCustomer`), saves over the loaded version. */
  execute(customerId: string, command: CustomerCommandInput, ctx: CustomerContext): Promise<Result<CustomerDecision, CrmError>>;
}

const depsSchema = z.object({
  store: z.custom<CustomerStore>(hasMethods('loadCustomer', 'commit'), 'expected a CustomerStore (loadCustomer, commit)'),
  policy: customerPolicySchema.optional(),
  messages: messagesOptionSchema.optional(),
  onEvent: onEventSchema,
});

/**
 * Builds the customer service over a store (a `PoolStore` serves: customers are the pools'
 * records). Two people changing one customer at once get one success and one `CONFLICT`. A store
 * that throws is `STORE_UNAVAILABLE`; malformed dependencies give a service whose every call
 * answers `INVALID_INPUT` at `deps`.
 *
 * @example
 * const customers = createCustomerService({ store: createMemoryStore() });
 * await customers.execute('C-1', { type: 'lock', note: '合同纠纷' }, { now, actor: { id: 'mgr-wang', relations: ['ownerSuperior'] } });
 */
export function createCustomerService(deps: CustomerServiceDeps): CustomerService {
  const parsedDeps = parseInput(depsSchema, deps, ['deps']);
  if (!parsedDeps.ok) {
    const refusal = parsedDeps;
    return Object.freeze({ create: async () => refusal, execute: async () => refusal });
  }
  const { store, policy, messages } = parsedDeps.value;
  const withPolicy = (ctx: CustomerContext): CustomerContext => {
    if (policy === undefined || typeof ctx !== 'object' || ctx === null) return ctx;
    try {
      return (ctx as { policy?: unknown }).policy !== undefined ? ctx : { ...ctx, policy };
    } catch {
      return ctx;
    }
  };
  const service: CustomerService = {
    async create(input, ctx) {
      const decided = createCustomer(input, withPolicy(ctx));
      if (!decided.ok) return decided;
      // the store gets a copy of its own: nothing it keeps is an object the caller holds
      const saved = readStoreAnswer(await store.commit({ customers: [{ record: structuredClone(decided.value.customer), expectedVersion: null }] }), ['store', 'commit']);
      return saved.ok ? decided : saved;
    },
    async execute(customerId, command, ctxInput) {
      const id = parseInput(idSchema, customerId, ['customerId']);
      if (!id.ok) return id;
      const cmd = parseInput(customerCommandSchema, command, ['command']);
      if (!cmd.ok) return cmd;
      const ctx = parseInput(customerContextSchema, withPolicy(ctxInput), ['context']);
      if (!ctx.ok) return ctx;
      const stored = await store.loadCustomer(id.value);
      if (stored === null || stored === undefined) return refuse('NOT_FOUND', { entity: 'customer', id: id.value });
      const loaded = parseCustomer(stored, ['store', 'customer']);
      if (!loaded.ok) return loaded;
      const customer = loaded.value;
      if (customer.id !== id.value) return invalidAt(['store', 'customer', 'id'], `the store answered customer ${customer.id} for ${id.value}`);
      const decided = decideParsed(customer, cmd.value, ctx.value);
      if (!decided.ok) return decided;
      const saved = readStoreAnswer(await store.commit({ customers: [{ record: structuredClone(decided.value.customer), expectedVersion: customer.version }] }), ['store', 'commit']);
      return saved.ok ? ok(decided.value) : saved;
    },
  };
  const observed = observeService(guardService(service), parsedDeps.value.onEvent);
  return messages === undefined ? observed : localizeService(observed, messages);
}
