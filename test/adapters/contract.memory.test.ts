import { describe, expect, it } from 'vitest';
import { createMemoryDatabase, createMemoryPaymentStore, createMemoryStore, type MemoryDatabase } from '../../src/adapters/memory/index.js';
import type { LeadCommit } from '../../src/leads/index.js';
import type { PaymentCommit } from '../../src/payments/index.js';
import type { PoolCommit } from '../../src/pools/index.js';
import { describePaymentStoreContract, describeStoreContract } from '../../src/testing/index.js';

/**
 * The in-memory reference as one store for every port: the memory store (leads, pools, dedupe)
 * and the memory payment store of the same tenant on the same database, side by side. Their
 * tables are apart, so a commit goes to the one it writes to; a commit that writes to both is a
 * bug of the caller here (no service does).
 */
function createMemoryStoreWithPayments(database: MemoryDatabase, tenantId: string) {
  const main = createMemoryStore({ database, tenantId });
  const payments = createMemoryPaymentStore({ database, tenantId });
  const { commit: commitPayments, payments: paymentTable, plans: planTable, refundRequests: requestTable, ...paymentReads } = payments;
  return {
    ...main,
    ...paymentReads,
    paymentTable,
    planTable,
    requestTable,
    async commit(c: LeadCommit & PoolCommit & PaymentCommit) {
      const { payments: p, plans, refundRequests, ...rest } = c;
      const touchesPayments = (p?.length ?? 0) + (plans?.length ?? 0) + (refundRequests?.length ?? 0) > 0;
      const touchesMain = Object.values(rest).some((v) => Array.isArray(v) && v.length > 0);
      if (touchesPayments && touchesMain) throw new Error('the composed memory store cannot commit payments and other records together');
      return touchesPayments ? commitPayments({ payments: p ?? [], plans: plans ?? [], refundRequests: refundRequests ?? [] }) : main.commit(rest);
    },
  };
}

// two tenants on one database: every check runs on tenant-b first, then on tenant-a, the same ids in both
describeStoreContract(
  'in-memory store (with payments), two tenants',
  async () => {
    const database = createMemoryDatabase();
    return { store: createMemoryStoreWithPayments(database, 'tenant-a'), neighbour: createMemoryStoreWithPayments(database, 'tenant-b') };
  },
  { describe, it, expect },
  { timeoutMs: 180_000 },
);

// the single-tenant default, as a host without tenants uses it
describeStoreContract('in-memory store (with payments), default tenant', async () => ({ store: createMemoryStoreWithPayments(createMemoryDatabase(), 'default') }), { describe, it, expect }, { timeoutMs: 180_000 });

// the payments section alone, on the payment store by itself (what a host with a separate payments adapter runs)
describePaymentStoreContract(
  'in-memory payment store, two tenants',
  async () => {
    const database = createMemoryDatabase();
    return { store: createMemoryPaymentStore({ database, tenantId: 'tenant-a' }), neighbour: createMemoryPaymentStore({ database, tenantId: 'tenant-b' }) };
  },
  { describe, it, expect },
  { timeoutMs: 180_000 },
);
