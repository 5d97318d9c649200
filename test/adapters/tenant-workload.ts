/**
 * A small lead-to-cash workload through the public services, run by the tenancy and
 * distribution tests against a store of one tenant: pools (claims, a return, an assignment, a
 * reclaim run), leads, duplicate checks and payments. `label` goes into names and amounts so
 * two tenants sharing every id still hold different data.
 */
import { blockingKeys, createDedupeService, DEFAULT_RULE_SETS } from '../../src/dedupe/index.js';
import { createLeadService } from '../../src/leads/index.js';
import { createPaymentService } from '../../src/payments/index.js';
import { createPoolService, type PoolCustomer, type PoolPolicyInput } from '../../src/pools/index.js';
import type { PostgresStore } from '../../src/adapters/postgres/index.js';
import { storedCustomer } from '../pools/fixtures.js';

export const T0 = new Date('2026-05-06T02:00:00.000Z');
const days = (n: number) => new Date(T0.getTime() + n * 86_400_000);

export const customerPool = (members: string[]): PoolPolicyInput => ({
  id: 'gh-east',
  kind: 'customer',
  zone: 'Asia/Shanghai',
  admins: ['admin-zhou'],
  members: { users: members, departments: [] },
  holding: { quota: 3 },
  reclaimRules: [{ id: 'no-follow-up', trigger: { kind: 'noFollowUp', days: 15 } }],
});

/** An unowned customer of `gh-east` (version 1) whose company name carries the tenant's label. */
export function poolCustomer(id: string, label: string, extra: Partial<PoolCustomer> = {}): PoolCustomer {
  return storedCustomer(id, { attributes: { company: `${label} 科技有限公司` }, ...extra });
}

function must<T>(r: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }, what: string): T {
  if (!r.ok) throw new Error(`${what}: ${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** What the workload left, as the tenant's store reads it back (for comparing tenants). */
export interface WorkloadSummary {
  readonly holdings: Record<string, number>;
  readonly leadOwner: string | null;
  readonly duplicateIds: readonly string[];
  readonly outstandingMinor: number;
  readonly logLength: number;
}

/**
 * Runs the workload on a store (a fresh tenant: nothing of its ids stored yet) and returns
 * what it reads back. `label` is 'A', 'B', … and `amount` the plan total in yuan.
 */
export async function runWorkload(store: PostgresStore, label: string, amount: number): Promise<WorkloadSummary> {
  const members = ['rep-li', 'rep-wang', 'rep-zhao'];
  await store.putPolicy(customerPool(members));
  for (let i = 0; i < 8; i++) await store.putCustomer(poolCustomer(`C-${i}`, `${label}${i}`));
  // an owned customer nobody followed up for 20 days: the reclaim run takes it back
  await store.putCustomer(poolCustomer('C-stale', `${label}-stale`, { ownerId: 'rep-zhao', ownedSince: days(-30), version: 2 }));
  const pools = createPoolService({ store });
  const member = (id: string) => ({ id, departmentIds: [] as string[] });
  const claims = await Promise.all(
    Array.from({ length: 8 }, (_, i) => pools.claim({ poolId: 'gh-east', recordKind: 'customer', recordId: `C-${i}` }, { now: T0, actor: member(members[i % 2]!) })),
  );
  if (claims.filter((r) => r.ok).length !== 6) throw new Error(`expected 6 claims within the quota of 3, got ${claims.map((r) => (r.ok ? 'ok' : r.error.code)).join(',')}`);
  const kept = claims.findIndex((r) => r.ok && r.value.plan.ownerTo === 'rep-li');
  must(await pools.returnRecord({ poolId: 'gh-east', recordKind: 'customer', recordId: `C-${kept}` }, {  }, { now: days(1), actor: member('rep-li') }), 'return');
  must(await pools.runReclaim('gh-east', { now: days(1) }), 'reclaim run');

  const leads = createLeadService({ store });
  const marketing = { id: 'mkt-chen', relations: ['poolAdmin' as const] };
  must(await leads.create({ id: 'L-1', source: 'import', name: `${label} 张伟`, company: `${label} 腾飞科技`, poolId: 'lp-east' }, { now: T0, actor: marketing }), 'lead');
  must(await leads.execute('L-1', { type: 'assign', ownerId: `rep-${label.toLowerCase()}` }, { now: days(1), actor: marketing }), 'assign lead');

  const record = { id: 'L-0999', object: 'lead' as const, fields: { name: '张伟', company: `${label} 腾飞科技`, phone: '13800138001' } };
  await store.indexForDedupe(record, must(blockingKeys(record, DEFAULT_RULE_SETS.lead), 'keys'));
  const check = must(await createDedupeService({ store }).check({ id: 'L-1000', object: 'lead', fields: { name: '张伟', company: `${label} 腾飞科技`, phone: '+86 138 0013 8001' } }), 'check');

  const cash = createPaymentService({ store, policy: { zone: 'Asia/Shanghai' }, conflictRetries: 3 });
  const ctx = { now: T0, actorId: 'cashier-he' };
  must(
    await cash.createPlan(
      { id: 'PP-1', orderId: 'SO-1', customerId: 'C-0', ownerId: 'rep-li', orderDate: T0, total: { currency: 'CNY', amount: String(amount) }, installments: [{ id: 'I1', percent: 100, due: { kind: 'afterOrder', days: 30 } }] },
      ctx,
    ),
    'plan',
  );
  must(
    await cash.recordAndApplyPayment({ id: 'P-1', customerId: 'C-0', orderId: 'SO-1', amount: { currency: 'CNY', amount: '100' }, receivedAt: T0, method: 'bankTransfer' }, { kind: 'installmentOrder' }, ctx),
    'payment',
  );

  const holdings: Record<string, number> = {};
  for (const m of members) holdings[m] = (await store.countHoldings('gh-east', m)).total;
  const plan = await store.loadPlan('PP-1');
  const installments = (plan?.installments ?? []) as readonly { amount: { minor: number }; paid: { minor: number } }[];
  return {
    holdings,
    leadOwner: (await store.loadLead('L-1'))?.ownerId ?? null,
    duplicateIds: check.duplicates.map((d) => d.candidateId),
    outstandingMinor: installments.reduce((sum, i) => sum + Number(i.amount.minor) - Number(i.paid.minor), 0),
    logLength: (await store.readPoolLog()).length,
  };
}

/** What `runWorkload(store, label, amount)` must leave, whatever other tenants hold. */
export function expectedSummary(label: string, amount: number): WorkloadSummary {
  return {
    // rep-li claimed 3, returned 1; rep-wang claimed 3; rep-zhao's stale customer was reclaimed
    holdings: { 'rep-li': 2, 'rep-wang': 3, 'rep-zhao': 0 },
    leadOwner: `rep-${label.toLowerCase()}`,
    duplicateIds: ['L-0999'],
    outstandingMinor: (amount - 100) * 100,
    // 6 claims, 1 return, 1 reclaim
    logLength: 8,
  };
}
