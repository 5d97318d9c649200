import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../../src/adapters/postgres/index.js';
import { createPoolService, poolEventOf, type PoolCustomer, type PoolPolicyInput } from '../../src/pools/index.js';
import { describeStoreContract } from '../../src/testing/index.js';
import { bulkPutCustomers, DATABASE_URL, freshSchema, spyClient, truncateAll } from './postgres-support.js';

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
  }, 60_000);
  afterAll(async () => {
    await db?.drop();
  });

  describeStoreContract(
    'PostgreSQL (pg Pool)',
    async () => {
      await truncateAll(db.client);
      return { store: createPostgresStore({ client: db.client, pageSize: 100 }) };
    },
    { describe, it, expect },
    { racingMembers: 8, claimsPerMember: 25 },
  );

  const T0 = new Date('2026-05-06T02:00:00.000Z');
  const customer = (id: string, extra: Partial<PoolCustomer> = {}): PoolCustomer => ({
    id,
    poolId: 'gh-east',
    ownerId: null,
    level: null,
    won: false,
    openOpportunityCount: 0,
    ownedSince: null,
    lastFollowUpAt: null,
    lastDealAt: null,
    lastOpenOpportunityAt: null,
    teamIds: [],
    attributes: {},
    extendedUntil: null,
    extensionPendingUntil: null,
    warning: null,
    version: 1,
    ...extra,
  });
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
          pools.claim({ poolId: 'gh-east', recordKind: 'customer', recordId: `C-${String(i).padStart(3, '0')}`, now: T0, member: { id: users[i % 10]!, departmentIds: [] } }),
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
    }, 120_000);

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
          return pools.claim({ poolId: 'gh-east', recordKind: 'customer', recordId: `C-${i}`, now: T0, member: { id: who, departmentIds: [] } });
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
        expect(c.ownerId).toBe(claims[0]?.data.ownerTo ?? null);
        if (c.ownerId) owned++;
      }
      expect(owned).toBe(wins);
      for (const user of users) {
        const held = (await store.countHoldings('gh-east', user)).total;
        expect(held).toBeLessThanOrEqual(10);
        expect(held).toBe(log.filter((e) => e.data.ownerTo === user).length);
      }
    }, 120_000);

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
      // the third statement of the transaction (after the customer and member writes) fails
      const spied = spyClient(db.client, { failInTransactionAt: 3 });
      await expect(createPostgresStore({ client: spied.client }).commit(commit)).rejects.toThrow(/injected failure/);
      // the server refuses the log row (a time that is not a time): the whole commit rolls back
      const badLog = [{ ...commit.log[0]!, at: 'not a time' as unknown as Date }];
      await expect(seed.commit({ ...commit, log: badLog })).rejects.toMatchObject({ code: '22007' });
      expect(await seed.loadCustomer('C-1')).toEqual(customer('C-1'));
      expect(await seed.memberVersion('gh-east', 'rep-li')).toBe(0);
      expect(await seed.readPoolLog()).toEqual([]);
      // and the same commit, whole, goes through
      expect((await seed.commit(commit)).ok).toBe(true);
      expect(await seed.loadCustomer('C-1')).toEqual(claimed);
    });
  });
}
