import { storedCustomer } from '../pools/fixtures.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPostgresStore } from '../../src/adapters/postgres/index.js';
import { createPaymentService, type Payment, type PaymentContext } from '../../src/payments/index.js';
import { createPoolService, poolEventOf, type PoolCustomer, type PoolPolicyInput } from '../../src/pools/index.js';
import { describeStoreContract } from '../../src/testing/index.js';
import { bulkPutCustomers, DATABASE_URL, freshSchema, HOOK_MS, spyClient, TEST_MS, truncateAll } from './postgres-support.js';

// every hook and test of this file budgeted for a machine three times slower than a busy one
vi.setConfig({ hookTimeout: HOOK_MS, testTimeout: TEST_MS });

// Runs only against a real server: DATABASE_URL=postgresql://postgres@127.0.0.1:54329/postgres
// Everything happens in a schema of its own, dropped at the end.

if (!DATABASE_URL) {
  describe.skip('PostgreSQL server (set DATABASE_URL to run)', () => {
    it('needs DATABASE_URL', () => {});
  });
} else {
  const url = DATABASE_URL;
  let db: Awaited<ReturnType<typeof freshSchema>>;
  beforeAll(async () => {
    db = await freshSchema(url, 'contract', 24);
  }, HOOK_MS);
  afterAll(async () => {
    await db?.drop();
  }, HOOK_MS);

  // two tenants on one database: every check runs on tenant-b first, then on tenant-a, the same ids in both
  describeStoreContract(
    'PostgreSQL (pg Pool), two tenants',
    async () => {
      await truncateAll(db.client);
      return {
        store: createPostgresStore({ client: db.client, tenantId: 'tenant-a', pageSize: 100 }),
        neighbour: createPostgresStore({ client: db.client, tenantId: 'tenant-b', pageSize: 100 }),
      };
    },
    { describe, it, expect },
    { racingMembers: 8, claimsPerMember: 25, racingClerks: 24, timeoutMs: TEST_MS },
  );

  const T0 = new Date('2026-05-06T02:00:00.000Z');
  const customer = storedCustomer;
  const policy = (users: string[]): PoolPolicyInput => ({
    id: 'gh-east',
    kind: 'customer',
    zone: 'Asia/Shanghai',
    admins: ['admin-zhou'],
    members: { users, departments: [] },
    holding: { quota: 10 },
  });

  describe('PostgreSQL server: concurrency', () => {
    it('200 concurrent claims, 10 members with a quota of 10 each: exactly 10 holdings per member, no lost update', async () => {
      await truncateAll(db.client);
      const store = createPostgresStore({ client: db.client });
      const users = Array.from({ length: 10 }, (_, i) => `rep-${i}`);
      await store.putPolicy(policy(users));
      await bulkPutCustomers(db.client, Array.from({ length: 200 }, (_, i) => customer(`C-${String(i).padStart(3, '0')}`)));
      const pools = createPoolService({ store });
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          pools.claim({ poolId: 'gh-east', recordKind: 'customer', recordId: `C-${String(i).padStart(3, '0')}` }, { now: T0, actor: { id: users[i % 10]!, departmentIds: [] } }),
        ),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(100);
      expect(new Set(results.filter((r) => !r.ok).map((r) => !r.ok && r.error.code))).toEqual(new Set(['POOL_QUOTA_EXCEEDED']));
      for (const user of users) {
        expect((await store.countHoldings('gh-east', user)).total).toBe(10);
        expect(await store.memberVersion('gh-east', user)).toBe(10);
      }
      const { rows } = await db.client.query<{ owner_id: string | null; version: number; n: number }>(
        'SELECT owner_id, version, count(*)::int AS n FROM crm_customers GROUP BY 1, 2 ORDER BY 1, 2',
      );
      expect(rows.filter((r) => r.owner_id === null)).toEqual([{ owner_id: null, version: 1, n: 100 }]);
      expect(rows.filter((r) => r.owner_id !== null).every((r) => r.version === 2 && r.n === 10)).toBe(true);
      const log = await store.readPoolLog();
      expect(log).toHaveLength(100);
      expect(new Set(log.map((e) => e.subject.id)).size).toBe(100);
    }, TEST_MS);

    it('200 concurrent claims over 100 contested customers: one owner each, versions and log agree', async () => {
      await truncateAll(db.client);
      const store = createPostgresStore({ client: db.client });
      const users = Array.from({ length: 10 }, (_, i) => `rep-${i}`);
      await store.putPolicy(policy(users));
      await bulkPutCustomers(db.client, Array.from({ length: 100 }, (_, i) => customer(`C-${i}`)));
      const pools = createPoolService({ store });
      // customer i is claimed by two members at once
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, k) => {
          const i = k % 100;
          const who = k < 100 ? users[i % 10]! : users[(i + 3) % 10]!;
          return pools.claim({ poolId: 'gh-east', recordKind: 'customer', recordId: `C-${i}` }, { now: T0, actor: { id: who, departmentIds: [] } });
        }),
      );
      const wins = results.filter((r) => r.ok).length;
      const log = await store.readPoolLog();
      expect(log).toHaveLength(wins);
      let owned = 0;
      for (let i = 0; i < 100; i++) {
        const c = (await store.loadCustomer(`C-${i}`))!;
        const claims = log.filter((e) => e.subject.id === `C-${i}`);
        expect(claims.length).toBeLessThanOrEqual(1);
        expect(c.version).toBe(1 + claims.length);
        const claim = claims[0];
        expect(c.ownerId).toBe(claim?.type === 'pool.claimed' ? claim.data.ownerTo : null);
        if (c.ownerId) owned++;
      }
      expect(owned).toBe(wins);
      for (const user of users) {
        const held = (await store.countHoldings('gh-east', user)).total;
        expect(held).toBeLessThanOrEqual(10);
        expect(held).toBe(log.filter((e) => e.type === 'pool.claimed' && e.data.ownerTo === user).length);
      }
    }, TEST_MS);

    it('a transaction aborted midway leaves nothing behind (a failure on the client, and one raised by the server)', async () => {
      await truncateAll(db.client);
      const seed = createPostgresStore({ client: db.client });
      await seed.putCustomer(customer('C-1'));
      const claimed = customer('C-1', { ownerId: 'rep-li', ownedSince: T0, version: 2 });
      const plan = { operation: 'claim' as const, recordId: 'C-1', poolId: 'gh-east', actorId: 'rep-li', at: T0, ownerFrom: null, ownerTo: 'rep-li', poolFrom: 'gh-east', poolTo: 'gh-east', teamIds: [], override: null };
      const commit = {
        customers: [{ record: claimed, expectedVersion: 1 }],
        members: [{ poolId: 'gh-east', memberId: 'rep-li', expectedVersion: 0 }],
        log: [poolEventOf(plan, 'customer', 2)],
      };
      // the second statement of the transaction (after the tenant and token: the one that writes the customer, the member and the log) fails
      const spied = spyClient(db.client, { failInTransactionAt: 2 });
      await expect(createPostgresStore({ client: spied.client }).commit(commit)).rejects.toThrow(/injected failure/);
      // the server refuses the log row (a constraint of the host's, SQLSTATE 23514) after the
      // customer and member rows were written: the whole commit rolls back, the promise rejects
      // (a schema's own refusal is not a rule's)
      await db.client.query(`ALTER TABLE crm_pool_log ADD CONSTRAINT crm_test_refused CHECK (doc->'data'->>'note' IS DISTINCT FROM 'refuse me')`);
      try {
        const refusedLog = [{ ...commit.log[0]!, data: { ...commit.log[0]!.data, note: 'refuse me' } }];
        await expect(seed.commit({ ...commit, log: refusedLog as typeof commit.log })).rejects.toMatchObject({ code: '23514' });
      } finally {
        await db.client.query('ALTER TABLE crm_pool_log DROP CONSTRAINT crm_test_refused');
      }
      // and a log time PostgreSQL could not hold is refused before anything is sent
      const badLog = [{ ...commit.log[0]!, at: 'not a time' as unknown as Date }];
      expect(await seed.commit({ ...commit, log: badLog })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', details: { issues: [{ path: ['commit', 'log', 0, 'at'] }] } } });
      expect(await seed.loadCustomer('C-1')).toEqual(customer('C-1'));
      expect(await seed.memberVersion('gh-east', 'rep-li')).toBe(0);
      expect(await seed.readPoolLog()).toEqual([]);
      // and the same commit, whole, goes through
      expect((await seed.commit(commit)).ok).toBe(true);
      expect(await seed.loadCustomer('C-1')).toEqual(claimed);
    });
  });

  describe('PostgreSQL server: payments under concurrency', () => {
    const sh = (local: string) => new Date(`${local}+08:00`);
    const ctx = (actorId: string): PaymentContext => ({ now: sh('2026-03-04T09:00:00'), actorId });
    const minorOf = (m: { minor: unknown }) => Number(m.minor);

    async function seed(conflictRetries: number, plan: { total: string; single: boolean }) {
      await truncateAll(db.client);
      const store = createPostgresStore({ client: db.client });
      const payments = createPaymentService({ store, policy: { zone: 'Asia/Shanghai' }, conflictRetries });
      const created = await payments.createPlan(
        {
          id: 'PP-SO-1',
          orderId: 'SO-1',
          customerId: 'C-1',
          ownerId: 'rep-li',
          orderDate: sh('2026-03-02T10:00:00'),
          total: { currency: 'CNY', amount: plan.total },
          installments: plan.single
            ? [{ id: 'I1', percent: 100, due: { kind: 'afterOrder', days: 30 } }]
            : [
                { id: 'I1', percent: 30, due: { kind: 'afterOrder', days: 0 } },
                { id: 'I2', percent: 50, due: { kind: 'afterOrder', days: 30 } },
                { id: 'I3', percent: 20, due: { kind: 'afterOrder', days: 60 } },
              ],
        },
        ctx('clerk-wu'),
      );
      expect(created.ok).toBe(true);
      return { store, payments };
    }

    const record = (id: string, amount: string) => ({
      id,
      customerId: 'C-1',
      amount: { currency: 'CNY', amount },
      receivedAt: sh('2026-03-03T11:00:00'),
      method: 'bankTransfer',
      reference: `工行流水 ${id}`,
    });

    for (const retries of [0, 50]) {
      it(`50 concurrent applications of one payment by different clerks apply it exactly once (conflictRetries ${retries})`, async () => {
        const { store, payments } = await seed(retries, { total: '1000.01', single: false });
        expect((await payments.recordPayment(record('P-1', '500.00'), ctx('cashier-he'))).ok).toBe(true);
        const results = await Promise.all(Array.from({ length: 50 }, (_, i) => payments.applyPayment('P-1', { kind: 'oldestFirst' }, ctx(`clerk-${i}`))));
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        const refusals = new Set(results.filter((r) => !r.ok).map((r) => (r.ok ? 'ok' : r.error.code)));
        if (retries === 0) for (const code of refusals) expect(['CONFLICT', 'PAYMENT_NOTHING_TO_APPLY']).toContain(code);
        else expect([...refusals]).toEqual(['PAYMENT_NOTHING_TO_APPLY']);
        const payment = (await store.loadPayment('P-1'))!;
        const plan = (await store.loadPlan('PP-SO-1'))!;
        expect(payment.version).toBe(2);
        expect(plan.version).toBe(2);
        expect(payment.applications.reduce((s, a) => s + minorOf(a.amount), 0)).toBe(50000);
        expect(plan.installments.map((i) => minorOf(i.paid))).toEqual([30000, 20000, 0]);
        const { rows } = await db.client.query<{ unapplied: string; outstanding: string }>(
          'SELECT p.unapplied_minor::text AS unapplied, pp.outstanding_minor::text AS outstanding FROM crm_payments p, crm_payment_plans pp',
        );
        expect(rows).toEqual([{ unapplied: '0', outstanding: '50001' }]);
      }, TEST_MS);
    }

    it('40 payments racing for one installment with retries fill it exactly, never beyond; the rest stays credit', async () => {
      const { store, payments } = await seed(40, { total: '1000.00', single: true });
      for (let i = 0; i < 40; i++) expect((await payments.recordPayment(record(`P-${i}`, '100.00'), ctx('cashier-he'))).ok).toBe(true);
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => payments.applyPayment(`P-${i}`, { kind: 'oldestFirst' }, ctx(`clerk-${i}`))));
      const codes = results.map((r) => (r.ok ? 'ok' : r.error.code));
      expect(codes.filter((c) => c === 'ok')).toHaveLength(10);
      // the losers reload after the installment is full: nothing outstanding is left to apply to
      expect(new Set(codes.filter((c) => c !== 'ok'))).toEqual(new Set(['PAYMENT_NOTHING_OUTSTANDING']));
      const plan = (await store.loadPlan('PP-SO-1'))!;
      expect(minorOf(plan.installments[0]!.paid)).toBe(100000);
      expect(plan.version).toBe(11);
      const all = (await Promise.all(Array.from({ length: 40 }, (_, i) => store.loadPayment(`P-${i}`)))) as Payment[];
      expect(all.reduce((s, p) => s + p.applications.reduce((t, a) => t + minorOf(a.amount), 0), 0)).toBe(100000);
      expect(await store.loadOpenPlans('C-1')).toEqual([]);
      expect((await store.loadPaymentsWithCredit('C-1')).length).toBe(30);
    }, TEST_MS);
  });
}
