import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as customers from '../../src/customers/index.js';
import { createMemoryStore } from '../../src/adapters/memory/index.js';
import { customerCommandArb, customerPolicyArb, createCustomerInputArb, poolCustomerArb } from '../../src/testing/index.js';
import { checkCall, frozenArrayOf, functionsOf, fuzzExports, garbageArb, materialize, mutate, mutationArb, oneOf, runs, type ExportSpec, type Returns } from '../leads/boundary.harness.js';

/*
 * Every function the customers door exports, called with anything and with valid inputs mutated:
 * a Result or the documented return, never a throw but the caller's own, no input changed or
 * frozen, ok outputs deep-frozen; the service answers a Result whatever the request or the store.
 */

const now = new Date('2026-05-06T10:00:00+08:00');
const actorArb = fc.constantFrom(
  { id: 'rep-li', relations: [] },
  { id: 'mgr-zhao', relations: ['ownerSuperior' as const] },
  { id: 'crm-admin', relations: ['crmAdmin' as const] },
  { id: 'system:orders', relations: ['automation' as const] },
);
const ctxArb = fc.record({ now: fc.constant(now), actor: actorArb, policy: fc.option(customerPolicyArb(), { nil: undefined }) }, { requiredKeys: ['now', 'actor'] });
const customerArb = poolCustomerArb().filter((c) => !(c.poolId === null && c.ownerId === null && c.voided === null));

const R: Returns = { kind: 'result' };
const SPECS: Record<string, ExportSpec> = {
  createCustomer: { returns: R, valid: fc.tuple(createCustomerInputArb(), ctxArb) },
  decideCustomer: { returns: R, valid: fc.tuple(customerArb, customerCommandArb(), ctxArb) },
  canCustomer: { returns: { kind: 'value', check: oneOf(true, false) }, valid: fc.tuple(customerArb, fc.constantFrom(...customers.CUSTOMER_OPERATIONS), actorArb, fc.option(customerPolicyArb(), { nil: undefined })) },
  availableCustomerOperations: {
    returns: { kind: 'value', check: frozenArrayOf((x) => (customers.CUSTOMER_OPERATIONS as readonly unknown[]).includes(x)) },
    valid: fc.tuple(customerArb, actorArb, fc.option(customerPolicyArb(), { nil: undefined })),
  },
  // an identity: no throw, nothing changed or frozen
  defineCustomerPolicy: { returns: { kind: 'value', check: () => null }, valid: customerPolicyArb().map((p) => [p]) },
  createCustomerService: { returns: { kind: 'value', check: (out) => (typeof out === 'object' && out !== null ? null : 'not a service') }, valid: fc.constant([{ store: createMemoryStore() }]) },
};

const exported = functionsOf(customers as unknown as Record<string, unknown>);
const call = (name: string) => (customers as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!;

describe('the customers door, fuzzed', () => {
  fuzzExports(exported, SPECS, call);

  it('the service answers every call with a Result, whatever the request or the store holds', async () => {
    await fc.assert(
      fc.asyncProperty(customerArb, customerCommandArb(), ctxArb, fc.array(mutationArb, { maxLength: 3 }), garbageArb, async (c, cmd, ctx, mutations, junk) => {
        const store = createMemoryStore();
        store.putCustomer(c);
        const service = customers.createCustomerService({ store });
        await checkCall('CustomerService.execute', service.execute as never, mutate([c.id, cmd, ctx], mutations), { kind: 'promiseResult' });
        await checkCall('CustomerService.create', service.create as never, mutate([{ id: 'C-new' }, ctx], mutations), { kind: 'promiseResult' });
        const j = materialize(junk);
        const junkStore = { loadCustomer: async () => j, commit: async () => j };
        await checkCall('CustomerService.execute (junk store)', customers.createCustomerService({ store: junkStore as never }).execute as never, [c.id, cmd, ctx], { kind: 'promiseResult' });
        await checkCall('createCustomerService (junk deps)', (d: unknown) => customers.createCustomerService(d as never).execute(c.id, cmd, ctx), [junk], { kind: 'promiseResult' });
      }),
      { numRuns: runs(60) },
    );
  }, 600_000);
});
