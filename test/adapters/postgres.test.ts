import { readdirSync, readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createPostgresPaymentStore,
  createPostgresStore,
  decodeDocument,
  encodeDocument,
  fromPg,
  fromPGlite,
  migrate,
  migrations,
  type SqlClient,
} from '../../src/adapters/postgres/index.js';
import { createLead, decideLead, type Lead } from '../../src/leads/index.js';
import { createPaymentService, paymentBalance, planOutstanding, type PaymentContext } from '../../src/payments/index.js';
import { createPoolService, type PoolCustomer } from '../../src/pools/index.js';
import { bulkPutCustomers, DATABASE_URL, dropAll, freshSchema, spyClient, truncateAll, unwrapOk, HOOK_MS, TEST_MS } from './postgres-support.js';

// every hook and test of this file budgeted for a machine three times slower than a busy one
vi.setConfig({ hookTimeout: HOOK_MS, testTimeout: TEST_MS });

const T0 = new Date('2026-05-06T02:00:00.000Z');
const days = (n: number) => new Date(T0.getTime() + n * 86_400_000);

function owned(id: string, poolId = 'gh-east', ownerId = 'rep-li'): PoolCustomer {
  return {
    id,
    poolId,
    ownerId,
    level: 'normal',
    won: false,
    openOpportunityCount: 0,
    ownedSince: days(-3),
    lastFollowUpAt: days(-1),
    lastDealAt: null,
    lastOpenOpportunityAt: null,
    teamIds: ['rep-chen'],
    attributes: { industry: '制造业' },
    extendedUntil: null,
    extensionPendingUntil: null,
    warning: null,
    version: 2,
  };
}

function must<T>(r: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

describe('documents: instants as ISO strings in JSONB, revived as Date', () => {
  it('revives exactly the paths that held a Date (nested, in arrays); look-alike strings stay strings', () => {
    const record = {
      at: new Date('2026-05-06T02:00:00.123Z'),
      note: '2026-05-06T02:00:00.123Z',
      nested: { list: [new Date(0), 'x', { when: new Date('2030-01-01T00:00:00Z') }], none: null },
      skipped: undefined,
    };
    const { json, dates } = unwrapOk(encodeDocument(record));
    expect(JSON.parse(json).at).toBe('2026-05-06T02:00:00.123Z');
    const back = unwrapOk(decodeDocument<typeof record>(JSON.parse(json), dates));
    expect(back).toEqual({ ...record, skipped: undefined });
    expect(back.note).toBe('2026-05-06T02:00:00.123Z');
    expect(back.nested.list[0]).toBeInstanceOf(Date);
    expect(Object.isFrozen(back.nested)).toBe(true);
    expect(unwrapOk(encodeDocument({ a: 1 })).dates).toBeNull();
  });
});

describe('migrations', () => {
  it('are plain SQL, in order, with ids that sort', () => {
    expect(migrations.map((m) => m.id)).toEqual([...migrations.map((m) => m.id)].sort());
    expect(migrations.map((m) => m.id)).toEqual(['001_init', '002_payments', '003_tenants', '004_orders', '005_refund_requests', '006_journey_events', '007_pooled_leads']);
  });

  it('the adapter never imports a driver at runtime, and the testing kit never imports a test runner', () => {
    for (const dir of ['src/adapters/postgres', 'src/testing']) {
      for (const file of readdirSync(dir)) {
        const text = readFileSync(`${dir}/${file}`, 'utf8');
        const runtimeImports = [...text.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]);
        expect(runtimeImports.filter((m) => m === 'pg' || m!.startsWith('@electric-sql/') || m === 'vitest')).toEqual([]);
      }
    }
  });
});

/** The adapter's own checks, on PGlite always and on a real server when DATABASE_URL is set. */
function adapterSuite(name: string, open: () => Promise<{ client: SqlClient; fresh: () => Promise<SqlClient>; close: () => Promise<void> }>) {
  describe(`postgres adapter on ${name}`, () => {
    let env: Awaited<ReturnType<typeof open>>;
    beforeAll(async () => {
      env = await open();
    }, HOOK_MS);
    afterAll(async () => {
      await env?.close();
    });

    it('migrate is idempotent, records what it applied, and applies only what is new', async () => {
      const client = await env.fresh();
      expect(unwrapOk(await migrate(client))).toEqual({ applied: ['001_init', '002_payments', '003_tenants', '004_orders', '005_refund_requests', '006_journey_events', '007_pooled_leads'] });
      expect(unwrapOk(await migrate(client))).toEqual({ applied: [] });
      const together = await Promise.all([migrate(client), migrate(client), migrate(client)]);
      expect(together.flatMap((r) => unwrapOk(r).applied)).toEqual([]);
      const later = [...migrations, { id: '999_notes', sql: 'CREATE TABLE crm_notes (id text PRIMARY KEY); CREATE INDEX crm_notes_id ON crm_notes (id);' }];
      expect(unwrapOk(await migrate(client, later))).toEqual({ applied: ['999_notes'] });
      expect(unwrapOk(await migrate(client, later))).toEqual({ applied: [] });
      const { rows } = await client.query<{ id: string }>('SELECT id FROM crm_migrations ORDER BY id');
      expect(rows.map((r) => r.id)).toEqual(['001_init', '002_payments', '003_tenants', '004_orders', '005_refund_requests', '006_journey_events', '007_pooled_leads', '999_notes']);
    });

    it('a failing migration rolls back whole and is not recorded', async () => {
      const client = await env.fresh();
      const broken = [...migrations, { id: '999_broken', sql: 'CREATE TABLE crm_half (id text); SELECT no_such_function();' }];
      await expect(migrate(client, broken)).rejects.toThrow();
      const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('crm_half', 'crm_leads')");
      expect(rows[0]!.n).toBe(0);
      expect(unwrapOk(await migrate(client))).toEqual({ applied: ['001_init', '002_payments', '003_tenants', '004_orders', '005_refund_requests', '006_journey_events', '007_pooled_leads'] });
    });

    it('concurrent migrations on an empty database apply once', async () => {
      const client = await env.fresh();
      const runs = await Promise.all([migrate(client), migrate(client), migrate(client)]);
      expect(runs.flatMap((r) => unwrapOk(r).applied)).toEqual(['001_init', '002_payments', '003_tenants', '004_orders', '005_refund_requests', '006_journey_events', '007_pooled_leads']);
    });

    it('streams 10,000 records of a pool in bounded pages, and none of another pool', async () => {
      await truncateAll(env.client);
      await bulkPutCustomers(env.client, Array.from({ length: 10_000 }, (_, i) => owned(`C-${String(i).padStart(5, '0')}`)));
      await bulkPutCustomers(env.client, Array.from({ length: 50 }, (_, i) => owned(`W-${i}`, 'gh-west')));
      const spied = spyClient(env.client);
      const store = createPostgresStore({ client: spied.client, pageSize: 1000 });
      const seen = new Set<string>();
      let first: unknown;
      for await (const view of store.streamPoolRecords('gh-east')) {
        first ??= view;
        seen.add(view.id);
      }
      expect(seen.size).toBe(10_000);
      expect([...seen].some((id) => id.startsWith('W-'))).toBe(false);
      expect(first).toMatchObject({ kind: 'customer', poolId: 'gh-east', ownedSince: days(-3), teamIds: ['rep-chen'] });
      // (a client without queryAsTenant sets the tenant in a transaction around each read: not a read)
      const reads = spied.statements.filter((s) => s.rows > 0 && !s.text.includes('set_config'));
      expect(Math.max(...reads.map((s) => s.rows))).toBe(1000);
      if (env.client.cursors) {
        expect(spied.statements.filter((s) => s.text.startsWith('DECLARE')).length).toBe(1);
        expect(spied.statements.filter((s) => s.text.startsWith('FETCH') && s.inTransaction).length).toBeGreaterThanOrEqual(10);
      } else {
        expect(reads.length).toBe(10);
      }
    }, TEST_MS);

    it('a lead, an opportunity, a reclaim state and pool-log data come back with every instant a Date', async () => {
      await truncateAll(env.client);
      const store = createPostgresStore({ client: env.client });
      const actor = { id: 'rep-li', relations: ['poolMember' as const] };
      const history: Lead[] = [must(createLead({ id: 'L-1', source: 'import', name: '张伟', poolId: 'lp-east', attributes: { since: '2026-01-01T00:00:00.000Z' } }, { now: days(-9), actor: { id: 'a', relations: ['poolAdmin'] } })).lead];
      history.push(must(decideLead(history[0]!, { type: 'claim' }, { now: days(-8), actor })).lead);
      history.push(must(decideLead(history[1]!, { type: 'followUp', followUpId: 'f1', result: '已电话沟通', nextFollowUpAt: days(2) }, { now: days(-7), actor })).lead);
      history.push(must(decideLead(history[2]!, { type: 'return', reason: { code: 'unreachable' } }, { now: days(-6), actor })).lead);
      history.push(must(decideLead(history[3]!, { type: 'claim' }, { now: days(-5), actor })).lead);
      history.push(must(decideLead(history[4]!, { type: 'followUp', followUpId: 'f2', result: '客户确认预算' }, { now: days(-4), actor })).lead);
      history.push(must(decideLead(history[5]!, { type: 'convert', customer: { kind: 'new', customerId: 'C-1', name: '腾飞' }, opportunity: { opportunityId: 'O-1', name: '采购', expectedCloseDate: days(30) } }, { now: days(-3), actor })).lead);
      for (let i = 0; i < history.length; i++) must(await store.commit({ leads: [{ record: history[i]!, expectedVersion: i === 0 ? null : i }] }));
      const back = (await store.loadLead('L-1'))!;
      expect(back).toEqual(history.at(-1));
      expect(back.lastRelease!.at).toBeInstanceOf(Date);
      expect(back.conversion!.at).toBeInstanceOf(Date);
      expect(back.attributes.since).toBe('2026-01-01T00:00:00.000Z');
      expect(Object.isFrozen(back)).toBe(true);

      await store.putPolicy({ id: 'gh-east', kind: 'customer', zone: 'Asia/Shanghai', admins: ['admin-zhou'], members: { users: ['rep-li'] }, reclaimRules: [{ id: 'r15', trigger: { kind: 'noFollowUp', days: 15 }, noticeDays: 3 }] });
      await store.putCustomer({ ...owned('C-9'), lastFollowUpAt: days(-13), ownedSince: days(-20) });
      const run = must(await createPoolService({ store }).runReclaim('gh-east', { now: T0 }));
      expect(run.warned).toBe(1);
      const [warned] = await store.readPoolLog({ poolId: 'gh-east' });
      expect(warned).toEqual(run.events[0]);
      expect(warned!.type === 'pool.reclaimWarned' && warned!.data.reclaimAt).toBeInstanceOf(Date);
    });

    it('blocking keys with quotes, commas, braces, backslashes and CJK are found as written', async () => {
      await truncateAll(env.client);
      const store = createPostgresStore({ client: env.client });
      const keys = ['company=腾飞科技', 'a"b', 'c,d', 'e\\f', '{g}', "h'i", ' j '];
      await store.indexForDedupe({ id: 'L-1', object: 'lead', fields: { company: '腾飞科技' } }, keys);
      for (const key of keys) expect((await store.findCandidates([key])).map((r) => r.id)).toEqual(['L-1']);
      expect(await store.findCandidates(['c', 'd', 'j'])).toEqual([]);
      await store.indexManyForDedupe(
        Array.from({ length: 2500 }, (_, i) => ({ record: { id: `M-${i}`, object: 'lead' as const, fields: { phone: `1380000${i}` } }, keys: [`phone=${i}`, 'shared'] })),
        { batchKeys: 1000 },
      );
      expect((await store.findCandidates(['shared'])).length).toBe(2500);
      expect((await store.findCandidates(['phone=7', 'company=腾飞科技'])).map((r) => r.id)).toEqual(['L-1', 'M-7']);
      // with a block limit, a key shared by too many records finds nothing, the others still do
      const capped = createPostgresStore({ client: env.client, dedupeBlockLimit: 100 });
      expect((await capped.findCandidates(['shared', 'phone=7', 'a"b'])).map((r) => r.id)).toEqual(['L-1', 'M-7']);
    });

    describe('payments', () => {
      const sh = (local: string) => new Date(`${local}+08:00`);
      const ctx: PaymentContext = { now: sh('2026-03-04T09:00:00'), actorId: 'clerk-wu' };
      async function seeded(client: SqlClient) {
        await truncateAll(client);
        const store = createPostgresStore({ client });
        const payments = createPaymentService({ store, policy: { zone: 'Asia/Shanghai' } });
        const installments = [
          { id: 'I1', percent: 30, due: { kind: 'afterOrder' as const, days: 0 } },
          { id: 'I2', percent: 70, due: { kind: 'afterOrder' as const, days: 30 } },
        ];
        for (const [orderId, total] of [['SO-1', '1000.01'], ['SO-2', '88.00'], ['SO-3', '0.03']] as const) {
          must(await payments.createPlan({ id: `PP-${orderId}`, orderId, customerId: 'C-1', orderDate: sh('2026-03-02T10:00:00'), total: { currency: 'CNY', amount: total }, installments }, ctx));
        }
        const pay = (id: string, amount: string) => ({ id, customerId: 'C-1', amount: { currency: 'CNY', amount }, receivedAt: sh('2026-03-03T11:00:00'), method: 'alipay' });
        must(await payments.recordAndApplyPayment(pay('P-1', '500.00'), { kind: 'oldestFirst' }, ctx));
        must(await payments.recordAndApplyPayment(pay('P-2', '600.00'), { kind: 'oldestFirst' }, ctx));
        must(await payments.recordPayment(pay('P-3', '10.00'), ctx));
        must(await payments.refundPayment('P-3', { amount: '10.00' }, ctx));
        return { store, payments };
      }

      it('the generated sums agree with planOutstanding and paymentBalance for every stored record', async () => {
        const { store } = await seeded(env.client);
        const plans = await env.client.query<{ id: string; outstanding: string }>('SELECT id, outstanding_minor::text AS outstanding FROM crm_payment_plans ORDER BY id');
        expect(plans.rows).toHaveLength(3);
        for (const row of plans.rows) expect(row.outstanding).toBe(String(must(planOutstanding((await store.loadPlan(row.id))!)).minor));
        const pays = await env.client.query<{ id: string; unapplied: string }>('SELECT id, unapplied_minor::text AS unapplied FROM crm_payments ORDER BY id');
        expect(pays.rows.map((r) => r.id)).toEqual(['P-1', 'P-2', 'P-3']);
        for (const row of pays.rows) expect(row.unapplied).toBe(String(must(paymentBalance((await store.loadPayment(row.id))!)).unapplied.minor));
      });

      it('one commit across ports: a payment written beside a stale customer is not written', async () => {
        const { store } = await seeded(env.client);
        await store.putCustomer(owned('C-1'));
        const payment = (await store.loadPayment('P-3'))!;
        const r = await store.commit({
          payments: [{ record: { ...payment, note: '对账', version: payment.version + 1 }, expectedVersion: payment.version }],
          customers: [{ record: { ...owned('C-1'), level: 'vip', version: 2 }, expectedVersion: 1 }],
        });
        expect(r.ok ? 'ok' : r.error.code).toBe('CONFLICT');
        expect(await store.loadPayment('P-3')).toEqual(payment);
        const both = await store.commit({
          payments: [{ record: { ...payment, note: '对账', version: payment.version + 1 }, expectedVersion: payment.version }],
          customers: [{ record: { ...owned('C-1'), level: 'vip', version: 3 }, expectedVersion: 2 }],
        });
        expect(both.ok).toBe(true);
        expect((await store.loadPayment('P-3'))!.note).toBe('对账');
        expect((await store.loadCustomer('C-1'))!.level).toBe('vip');
      });

      it('a payment commit that fails midway leaves nothing behind; the payments-only store reads the same rows', async () => {
        const { store } = await seeded(env.client);
        const payment = (await store.loadPayment('P-3'))!;
        const plan = (await store.loadPlan('PP-SO-3'))!;
        const commit = {
          payments: [{ record: { ...payment, note: '中途失败', version: payment.version + 1 }, expectedVersion: payment.version }],
          plans: [{ record: { ...plan, ownerId: 'rep-wang', version: plan.version + 1 }, expectedVersion: plan.version }],
        };
        const spied = spyClient(env.client, { failInTransactionAt: 2 });
        await expect(createPostgresPaymentStore({ client: spied.client }).commit(commit)).rejects.toThrow(/injected failure/);
        expect(await store.loadPayment('P-3')).toEqual(payment);
        expect(await store.loadPlan('PP-SO-3')).toEqual(plan);
        const alone = createPostgresPaymentStore({ client: env.client, pageSize: 1 });
        expect(must(await alone.commit(commit))).toBeUndefined();
        const streamed: string[] = [];
        for await (const p of alone.streamOpenPlans()) streamed.push(p.id);
        const open: string[] = [];
        for await (const p of store.streamOpenPlans()) open.push(p.id);
        expect(streamed).toEqual(open);
        expect(streamed.sort()).toEqual((await store.loadOpenPlans('C-1')).map((p) => p.id).sort());
      });
    });

    it('a missing schema is a rejected promise (a driver failure), not a refusal', async () => {
      const client = await env.fresh();
      await expect(createPostgresStore({ client }).loadLead('L-1')).rejects.toThrow(/crm_leads/);
    });
  });
}

adapterSuite('PGlite', async () => {
  const main = new PGlite();
  const spare = new PGlite();
  const client = fromPGlite(main);
  const spareClient = fromPGlite(spare);
  await migrate(client);
  return {
    client,
    // a second instance emptied for each test that needs a database without the schema
    fresh: async () => {
      await dropAll(spareClient);
      return spareClient;
    },
    close: async () => {
      await main.close();
      await spare.close();
    },
  };
});

if (DATABASE_URL) {
  const url = DATABASE_URL;
  adapterSuite('PostgreSQL (pg Pool)', async () => {
    const main = await freshSchema(url, 'adapter');
    const extra: { drop(): Promise<void> }[] = [];
    return {
      client: main.client,
      async fresh() {
        const s = await freshSchema(url, `adapter_fresh_${extra.length}`, 4, { migrate: false });
        extra.push(s);
        return s.client;
      },
      async close() {
        for (const s of extra) await s.drop();
        await main.drop();
      },
    };
  });

  describe('pg specifics', () => {
    let db: Awaited<ReturnType<typeof freshSchema>>;
    beforeAll(async () => {
      db = await freshSchema(url, 'pgspecific', 3);
    });
    afterAll(async () => {
      await db?.drop();
    });

    it('a stream left early gives its connection back to the pool', async () => {
      await truncateAll(db.client);
      await bulkPutCustomers(db.client, Array.from({ length: 500 }, (_, i) => owned(`C-${i}`)));
      const store = createPostgresStore({ client: db.client, pageSize: 50 });
      for (let round = 0; round < 5; round++) {
        let n = 0;
        for await (const _ of store.streamPoolRecords('gh-east')) if (++n === 3) break;
      }
      expect(db.pool.totalCount - db.pool.idleCount).toBe(0);
      expect(await store.loadCustomer('C-1')).toMatchObject({ id: 'C-1' });
    });

    it('a pool of one connection pages instead of holding it with a cursor, so a reader may still write', async () => {
      await truncateAll(db.client);
      await bulkPutCustomers(db.client, Array.from({ length: 120 }, (_, i) => owned(`C-${i}`)));
      const tiny = new pg.Pool({ connectionString: url, max: 1, options: `-c search_path=${db.schema}` });
      try {
        const client = fromPg(tiny);
        expect(client.cursors).toBe(false);
        const store = createPostgresStore({ client, pageSize: 50 });
        let n = 0;
        for await (const view of store.streamPoolRecords('gh-east')) {
          const c = (await store.loadCustomer(view.id))!;
          must(await store.commit({ customers: [{ record: { ...c, level: 'vip', version: c.version + 1 }, expectedVersion: c.version }] }));
          n++;
        }
        expect(n).toBe(120);
      } finally {
        await tiny.end();
      }
    });

    it('one pg Client (no pool) serializes transactions: 30 concurrent claims against a quota of 10 give 10', async () => {
      await truncateAll(db.client);
      const single = new pg.Client({ connectionString: url, options: `-c search_path=${db.schema}` });
      await single.connect();
      try {
        const client = fromPg(single);
        expect(client.cursors).toBe(false);
        const store = createPostgresStore({ client });
        await store.putPolicy({ id: 'gh-east', kind: 'customer', zone: 'Asia/Shanghai', admins: ['admin-zhou'], members: { users: ['rep-li'] }, holding: { quota: 10 } });
        await bulkPutCustomers(client, Array.from({ length: 30 }, (_, i) => ({ ...owned(`C-${i}`), ownerId: null, ownedSince: null, version: 1 })));
        const pools = createPoolService({ store });
        const results = await Promise.all(
          Array.from({ length: 30 }, (_, i) => pools.claim({ poolId: 'gh-east', recordKind: 'customer', recordId: `C-${i}` }, { now: T0, actor: { id: 'rep-li', departmentIds: [] } })),
        );
        expect(results.filter((r) => r.ok)).toHaveLength(10);
        // a stream on one connection pages with keyset queries, so the consumer may commit meanwhile
        let n = 0;
        for await (const view of store.streamPoolRecords('gh-east')) {
          const c = (await store.loadCustomer(view.id))!;
          must(await store.commit({ customers: [{ record: { ...c, level: 'vip', version: c.version + 1 }, expectedVersion: c.version }] }));
          n++;
        }
        expect(n).toBe(10);
      } finally {
        await single.end();
      }
    });
  });
}
