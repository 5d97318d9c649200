import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { auditDatabase, createPostgresStore, fromPGlite, migrate, migrations, type AuditFinding, type AuditReport, type SqlClient } from '../../src/adapters/postgres/index.js';
import { createLead } from '../../src/leads/index.js';
import { createOrderService } from '../../src/orders/index.js';
import { createPaymentService } from '../../src/payments/index.js';
import { createPoolService } from '../../src/pools/index.js';
import { storedCustomer } from '../pools/fixtures.js';
import { error, value } from '../support.js';
import { CRM_TABLES, HOOK_MS, TEST_MS } from './postgres-support.js';

// every hook and test of this file budgeted for a machine three times slower than a busy one
vi.setConfig({ hookTimeout: HOOK_MS, testTimeout: TEST_MS });

const T0 = new Date('2026-05-06T02:00:00.000Z');
const member = (id: string) => ({ id, departmentIds: [] });

/**
 * What the services write for a tenant: a customer pool with a quota of 2 (rep-1 claims C-0 and
 * C-1 and is refused C-2; rep-2 claims C-3), a lead pool with a quota of 3 (rep-2 claims L-0), a
 * plan of 1,000.00 in two installments (400 + 600) paid 500.00 oldest first and credited 100.00
 * by a credit note (I1 paid 400; I2 paid 100, credited 100), and a dedupe record with its keys.
 */
async function seedTenant(client: SqlClient, tenantId: string): Promise<void> {
  const store = createPostgresStore({ client, tenantId });
  const users = { users: ['rep-1', 'rep-2'], departments: [] };
  await store.putPolicy({ id: 'gh-east', kind: 'customer', zone: 'Asia/Shanghai', admins: ['admin-zhou'], members: users, holding: { quota: 2 } });
  await store.putPolicy({ id: 'pool-east', kind: 'lead', zone: 'Asia/Shanghai', admins: ['admin-zhou'], members: users, holding: { quota: 3 } });
  for (let i = 0; i < 5; i++) await store.putCustomer(storedCustomer(`C-${i}`));
  for (let i = 0; i < 3; i++) {
    const lead = value(createLead({ id: `L-${i}`, source: 'import', name: '张伟', company: '腾飞科技', phone: '13800138000', poolId: 'pool-east' }, { now: T0, actor: { id: 'admin-zhou', relations: ['poolAdmin'] } })).lead;
    value(await store.commit({ leads: [{ record: lead, expectedVersion: null }] }));
  }
  const pools = createPoolService({ store });
  const claims: [string, string][] = [
    ['C-0', 'rep-1'],
    ['C-1', 'rep-1'],
    ['C-2', 'rep-1'],
    ['C-3', 'rep-2'],
  ];
  for (const [recordId, who] of claims) await pools.claim({ poolId: 'gh-east', recordKind: 'customer', recordId: recordId }, { now: T0, actor: member(who) });
  value(await pools.claim({ poolId: 'pool-east', recordKind: 'lead', recordId: 'L-0' }, { now: T0, actor: member('rep-2') }));
  const payments = createPaymentService({ store, policy: { zone: 'Asia/Shanghai' } });
  const ctx = { now: T0, actorId: 'clerk-wu' };
  value(
    await payments.createPlan(
      {
        id: 'PP-1',
        orderId: 'SO-1',
        customerId: 'C-0',
        ownerId: 'rep-1',
        orderDate: T0,
        total: { currency: 'CNY', amount: '1000.00' },
        installments: [
          { id: 'I1', percent: 40, due: { kind: 'afterOrder', days: 0 } },
          { id: 'I2', percent: 60, due: { kind: 'afterOrder', days: 30 } },
        ],
      },
      ctx,
    ),
  );
  value(await payments.recordPayment({ id: 'P-1', customerId: 'C-0', amount: { currency: 'CNY', amount: '500.00' }, receivedAt: T0, method: 'bankTransfer' }, ctx));
  value(await payments.applyPayment('P-1', { kind: 'oldestFirst' }, ctx));
  value(await payments.issueCreditNote({ id: 'CN-1', customerId: 'C-0', orderId: 'SO-1', amount: { currency: 'CNY', amount: '100.00' }, issuedAt: T0 }, ctx));
  await store.indexForDedupe({ id: 'D-1', object: 'lead', fields: { name: '张伟' } }, ['name:张伟', 'phone:13800138000']);
  // a refund request waiting for finance (refunds above CNY 100.00)
  const refunds = createPaymentService({ store, policy: { zone: 'Asia/Shanghai', refundApproval: { levels: [{ id: 'finance', approvers: ['fin-wu'], above: { CNY: '100.00' } }] } } });
  value(await refunds.recordPayment({ id: 'P-9', customerId: 'C-0', amount: { currency: 'CNY', amount: '300.00' }, receivedAt: T0, method: 'bankTransfer' }, ctx));
  value(await refunds.requestRefund('P-9', { id: 'RF-1', amount: '200.00', reason: '多付退回' }, ctx));
  // a contract and an order drawn from it, shipped in part
  const orders = createOrderService({ store, approvalPolicy: { levels: [{ id: 'lead', approvers: ['mgr-zhao'] }], rules: [] } });
  const pricing = { currency: 'CNY' as const, lines: [{ id: 'l1', productId: 'crm-seat', quantity: '10', listPrice: '100' }] };
  value(await orders.createContract({ id: 'HT-1', customerId: 'C-0', pricing }, { now: T0, actor: { id: 'rep-1' } }));
  value(await orders.executeContract('HT-1', { type: 'submit' }, { now: T0, actor: { id: 'rep-1' } }));
  value(await orders.createOrder({ id: 'SO-1', customerId: 'C-0', contractId: 'HT-1', pricing }, { now: T0, actor: { id: 'rep-1' } }));
  value(await orders.executeOrder('SO-1', { type: 'submit' }, { now: T0, actor: { id: 'rep-1' } }));
  value(await orders.executeOrder('SO-1', { type: 'ship', lines: [{ lineId: 'l1', quantity: '4' }] }, { now: T0, actor: { id: 'rep-1' } }));
}

/** Every value reachable from `v` is frozen. */
function deeplyFrozen(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return true;
  return Object.isFrozen(v) && Object.values(v).every(deeplyFrozen);
}

const finding = (f: Partial<Omit<AuditFinding, 'problem'>> & { problem: RegExp }) => expect.objectContaining({ ...f, problem: expect.stringMatching(f.problem) });

let db: PGlite;
let client: SqlClient;

beforeAll(async () => {
  db = new PGlite();
  client = fromPGlite(db);
  value(await migrate(client));
}, HOOK_MS);
afterAll(async () => {
  await db?.close();
}, HOOK_MS);

describe('auditDatabase (PGlite)', () => {
  beforeEach(async () => {
    await client.query(`TRUNCATE ${CRM_TABLES.join(', ')}`);
    // two tenants sharing every id
    await seedTenant(client, 'acme');
    await seedTenant(client, 'globex');
  }, HOOK_MS);

  it('finds nothing wrong in what the services wrote, and counts every row of every tenant; the report is frozen', async () => {
    const report: AuditReport = value(await auditDatabase(client));
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.truncated).toBe(false);
    expect(report.checked).toEqual({
      crm_leads: 6,
      crm_opportunities: 0,
      crm_customers: 10,
      crm_contracts: 2,
      crm_orders: 2,
      crm_pool_policies: 4,
      crm_lead_reclaim_states: 0,
      crm_pool_log: 8,
      crm_dedupe_records: 2,
      crm_payment_plans: 2,
      crm_payments: 6,
      crm_refund_requests: 2,
      crm_pool_members: 6,
      crm_dedupe_keys: 4,
      'pool limits': 4,
    });
    expect(deeplyFrozen(report)).toBe(true);
  });

  it('audits one tenant only when asked (and an unknown tenant has nothing to check)', async () => {
    const acme = value(await auditDatabase(client, { tenantId: 'acme' }));
    expect(acme).toMatchObject({ ok: true, checked: { crm_customers: 5, crm_pool_log: 4, crm_payments: 3, 'pool limits': 2 } });
    await client.query(`UPDATE crm_customers SET version = 7 WHERE tenant_id = 'globex' AND id = 'C-4'`);
    expect(value(await auditDatabase(client, { tenantId: 'acme' })).ok).toBe(true);
    expect(value(await auditDatabase(client, { tenantId: 'globex' })).findings).toEqual([finding({ tenantId: 'globex', table: 'crm_customers', id: 'C-4', problem: /version 7/ })]);
    const nobody = value(await auditDatabase(client, { tenantId: 'nobody' }));
    expect(nobody.ok).toBe(true);
    expect(Object.values(nobody.checked).every((n) => n === 0)).toBe(true);
  });

  // Each damage done to tenant acme, and what the audit says of it: exactly these findings.
  const damages: { name: string; sql: string; findings: ReturnType<typeof finding>[] }[] = [
    {
      name: "a row's version column that is not its document's",
      sql: `UPDATE crm_customers SET version = 7 WHERE tenant_id = 'acme' AND id = 'C-4'`,
      findings: [finding({ table: 'crm_customers', id: 'C-4', problem: /the row's version 7 is not its document's version 1/ })],
    },
    {
      name: 'a version below 1',
      sql: `UPDATE crm_customers SET version = 0, doc = jsonb_set(doc, '{version}', '0') WHERE tenant_id = 'acme' AND id = 'C-4'`,
      findings: [finding({ table: 'crm_customers', id: 'C-4', problem: /version 0 is below 1/ })],
    },
    {
      name: 'a document the rules refuse',
      sql: `UPDATE crm_leads SET doc = jsonb_set(doc, '{status}', '"bogus"') WHERE tenant_id = 'acme' AND id = 'L-1'`,
      findings: [finding({ table: 'crm_leads', id: 'L-1', problem: /the rules refuse the document/ })],
    },
    {
      name: 'a document that does not decode (an instant path leading nowhere)',
      sql: `UPDATE crm_leads SET dates = '[["nowhere"]]' WHERE tenant_id = 'acme' AND id = 'L-2'`,
      findings: [finding({ table: 'crm_leads', id: 'L-2', problem: /does not decode/ })],
    },
    {
      name: "a document whose id is not the row's",
      sql: `UPDATE crm_customers SET doc = jsonb_set(doc, '{id}', '"C-9"') WHERE tenant_id = 'acme' AND id = 'C-4'`,
      findings: [finding({ table: 'crm_customers', id: 'C-4', problem: /the document's id "C-9" is not the row's/ })],
    },
    {
      name: 'a member holding more than the quota',
      sql: `UPDATE crm_customers SET version = 2, doc = jsonb_set(jsonb_set(doc, '{ownerId}', '"rep-2"'), '{version}', '2')
             WHERE tenant_id = 'acme' AND id IN ('C-2', 'C-4')`,
      findings: [finding({ table: 'crm_pool_members', id: 'gh-east/rep-2', problem: /holds 3 records of the pool, beyond the quota of 2$/ })],
    },
    {
      name: 'a member holding more than a level quota',
      sql: `UPDATE crm_pool_policies SET doc = jsonb_set(doc, '{holding}', '{"perLevel": {"vip": 1}}') WHERE tenant_id = 'acme' AND id = 'gh-east';
            UPDATE crm_customers SET doc = jsonb_set(doc, '{level}', '"vip"') WHERE tenant_id = 'acme' AND id IN ('C-0', 'C-1')`,
      findings: [finding({ table: 'crm_pool_members', id: 'gh-east/rep-1', problem: /holds 2 records of the pool, beyond the quota of 1 for level "vip"/ })],
    },
    {
      name: "a member's version below the gains logged for it",
      sql: `UPDATE crm_pool_members SET version = 1 WHERE tenant_id = 'acme' AND pool_id = 'gh-east' AND member_id = 'rep-1';
            DELETE FROM crm_pool_members WHERE tenant_id = 'acme' AND pool_id = 'pool-east' AND member_id = 'rep-2'`,
      findings: [
        finding({ table: 'crm_pool_members', id: 'gh-east/rep-1', problem: /version 1 is below the 2 gains logged/ }),
        finding({ table: 'crm_pool_members', id: 'pool-east/rep-2', problem: /version none \(no row\) is below the 1 gains logged/ }),
      ],
    },
    {
      name: 'two owner changes logged at one version (a lost update)',
      sql: `INSERT INTO crm_pool_log (tenant_id, at, doc, dates)
            SELECT tenant_id, at, jsonb_set(doc, '{data,ownerTo}', '"rep-1"'), dates FROM crm_pool_log WHERE tenant_id = 'acme' AND subject_id = 'C-3'`,
      findings: [
        finding({ table: 'crm_pool_log', problem: /2 owner changes of customer "C-3" logged at one version 2 \(a lost update\)/ }),
        finding({ table: 'crm_pool_log', problem: /pool.claimed at customer "C-3"'s current version 2 gives it to "rep-1", but its owner is "rep-2"/ }),
        finding({ table: 'crm_pool_members', id: 'gh-east/rep-1', problem: /version 2 is below the 3 gains logged/ }),
      ],
    },
    {
      name: 'a log event ahead of its record (a commit not applied)',
      sql: `UPDATE crm_pool_log SET doc = jsonb_set(doc, '{version}', '9') WHERE tenant_id = 'acme' AND subject_id = 'C-3'`,
      findings: [finding({ table: 'crm_pool_log', problem: /pool.claimed of customer "C-3" at version 9, ahead of the record's version 2/ })],
    },
    {
      name: 'a record whose owner is not the one its last owner change logged',
      sql: `UPDATE crm_leads SET doc = jsonb_set(doc, '{ownerId}', '"rep-1"') WHERE tenant_id = 'acme' AND id = 'L-0'`,
      findings: [finding({ table: 'crm_pool_log', problem: /pool.claimed at lead "L-0"'s current version 2 gives it to "rep-2", but its owner is "rep-1"/ })],
    },
    {
      name: 'a log event for a record that is not stored',
      sql: `DELETE FROM crm_customers WHERE tenant_id = 'acme' AND id = 'C-3'`,
      findings: [finding({ table: 'crm_pool_log', problem: /pool.claimed names customer "C-3", which is not stored/ })],
    },
    {
      name: "an installment's paid that is not the sum of the payments' applications",
      sql: `UPDATE crm_payment_plans SET doc = jsonb_set(doc, '{installments,0,paid,minor}', '39999') WHERE tenant_id = 'acme' AND id = 'PP-1'`,
      findings: [finding({ table: 'crm_payment_plans', id: 'PP-1/I1', problem: /paid 39999 minor units, but the payments' applications to it sum to 40000/ })],
    },
    {
      name: "an installment's credited that is not the sum of the credit notes' applications",
      sql: `UPDATE crm_payment_plans SET doc = jsonb_set(doc, '{installments,1,credited,minor}', '0') WHERE tenant_id = 'acme' AND id = 'PP-1'`,
      findings: [finding({ table: 'crm_payment_plans', id: 'PP-1/I2', problem: /credited 0 minor units, but the credit notes' applications to it sum to 10000/ })],
    },
    {
      name: 'an application to an installment that does not exist',
      sql: `UPDATE crm_payments SET doc = jsonb_set(doc, '{applications,1,installmentId}', '"I9"') WHERE tenant_id = 'acme' AND id = 'P-1'`,
      findings: [
        finding({ table: 'crm_payment_plans', id: 'PP-1/I2', problem: /paid 10000 minor units, but the payments' applications to it sum to 0/ }),
        finding({ table: 'crm_payments', id: 'PP-1/I9', problem: /payments are applied to installment "I9" of plan "PP-1", which is not stored/ }),
      ],
    },
    {
      name: 'an installment settled beyond its amount',
      sql: `UPDATE crm_payment_plans SET doc = jsonb_set(doc, '{installments,1,writtenOff,minor}', '50000') WHERE tenant_id = 'acme' AND id = 'PP-1'`,
      findings: [
        finding({ table: 'crm_payment_plans', id: 'PP-1/I2', problem: /= 70000 minor units, beyond the installment's 60000/ }),
        finding({ table: 'crm_payment_plans', id: 'PP-1', problem: /the rules refuse the document/ }),
      ],
    },
    {
      name: 'a payment applied beyond its amount',
      sql: `UPDATE crm_payments SET doc = jsonb_set(doc, '{amount,minor}', '100') WHERE tenant_id = 'acme' AND id = 'P-1'`,
      findings: [
        finding({ table: 'crm_payments', id: 'P-1', problem: /applied \+ refunded = 50000 minor units, beyond the payment's 100/ }),
        finding({ table: 'crm_payments', id: 'P-1', problem: /the rules refuse the document/ }),
      ],
    },
    {
      name: 'a refund request applied without its signature',
      sql: `UPDATE crm_refund_requests SET doc = jsonb_set(jsonb_set(doc, '{status}', '"applied"'), '{refundSeq}', '1') WHERE tenant_id = 'acme' AND id = 'RF-1'`,
      findings: [finding({ table: 'crm_refund_requests', id: 'RF-1', problem: /the rules refuse the document/ })],
    },
    {
      name: 'an order received beyond what was shipped',
      sql: `UPDATE crm_orders SET doc = jsonb_set(doc, '{lines,0,received}', '"9"') WHERE tenant_id = 'acme' AND id = 'SO-1'`,
      findings: [finding({ table: 'crm_orders', id: 'SO-1', problem: /the rules refuse the document/ })],
    },
    {
      name: 'blocking keys of a record that is not stored',
      sql: `INSERT INTO crm_dedupe_keys (tenant_id, key, record_id) VALUES ('acme', 'name:李娜', 'D-404'), ('acme', 'phone:1', 'D-404')`,
      findings: [finding({ table: 'crm_dedupe_keys', id: 'D-404', problem: /2 blocking keys for a record that is not stored/ })],
    },
    {
      name: 'a reclaim state at version 0 naming no owner',
      sql: `INSERT INTO crm_lead_reclaim_states (tenant_id, lead_id, version, doc) VALUES ('acme', 'L-0', 0, '{"warning": null}')`,
      findings: [
        finding({ table: 'crm_lead_reclaim_states', id: 'L-0', problem: /version 0 is below 1/ }),
        finding({ table: 'crm_lead_reclaim_states', id: 'L-0', problem: /names no owner/ }),
      ],
    },
  ];

  for (const damage of damages) {
    it(`finds ${damage.name}`, async () => {
      await client.query(damage.sql);
      const report = value(await auditDatabase(client));
      expect(report.ok).toBe(false);
      expect(report.findings.every((f) => f.tenantId === 'acme')).toBe(true);
      expect(report.findings).toEqual(expect.arrayContaining(damage.findings));
      expect(report.findings).toHaveLength(damage.findings.length);
      // the other tenant, sharing every id, is untouched
      expect(value(await auditDatabase(client, { tenantId: 'globex' })).ok).toBe(true);
    });
  }

  it('an admin override counts as room above the quota: a member over it by overrides only is no finding', async () => {
    const store = createPostgresStore({ client, tenantId: 'acme' });
    const pools = createPoolService({ store });
    const assigned = await pools.assign({ poolId: 'gh-east', recordKind: 'customer', recordId: 'C-4' }, { assignee: member('rep-1'), override: { reason: '大客户，经理批准' } }, { now: T0, actor: member('admin-zhou') });
    expect(value(assigned).plan.override).not.toBeNull();
    expect(value(await auditDatabase(client)).ok).toBe(true);
    // one record more, without an override: a finding
    await client.query(`UPDATE crm_customers SET version = 2, doc = jsonb_set(jsonb_set(doc, '{ownerId}', '"rep-1"'), '{version}', '2') WHERE tenant_id = 'acme' AND id = 'C-2'`);
    expect(value(await auditDatabase(client)).findings).toEqual([
      finding({ tenantId: 'acme', table: 'crm_pool_members', id: 'gh-east/rep-1', problem: /holds 4 records of the pool, beyond the quota of 2 \(with 1 admin overrides logged\)/ }),
    ]);
  });

  it('keeps at most maxFindings and says it left some out', async () => {
    await client.query(`UPDATE crm_customers SET version = 9`);
    const report = value(await auditDatabase(client, { maxFindings: 3 }));
    expect(report.findings).toHaveLength(3);
    expect(report).toMatchObject({ ok: false, truncated: true });
    expect(value(await auditDatabase(client)).findings).toHaveLength(10);
  });

  it('the same report whatever the page size (keyset pages across tenants)', async () => {
    await client.query(`UPDATE crm_customers SET version = 9 WHERE id IN ('C-1', 'C-4')`);
    await client.query(`UPDATE crm_leads SET doc = jsonb_set(doc, '{status}', '"bogus"') WHERE tenant_id = 'globex'`);
    const whole = value(await auditDatabase(client));
    expect(whole.findings).toHaveLength(7);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 7 }), fc.option(fc.constantFrom('acme', 'globex'), { nil: undefined }), async (pageSize, tenantId) => {
        const paged = value(await auditDatabase(client, tenantId === undefined ? { pageSize } : { pageSize, tenantId }));
        const expected = tenantId === undefined ? whole.findings : whole.findings.filter((f) => f.tenantId === tenantId);
        expect(paged.findings).toEqual(expected);
      }),
      { numRuns: 12 },
    );
  });

  it('a role that row-level security confines must name a tenant, and then sees that tenant only', async () => {
    await client.query(`DO $$ BEGIN CREATE ROLE crm_auditor; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
    await client.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO crm_auditor`);
    await client.query(`SET ROLE crm_auditor`);
    try {
      const refused = await auditDatabase(client);
      expect(error(refused)).toMatchObject({ code: 'INVALID_INPUT', details: { issues: [{ path: ['options.tenantId'] }] } });
      const acme = value(await auditDatabase(client, { tenantId: 'acme' }));
      expect(acme).toMatchObject({ ok: true, checked: { crm_customers: 5, crm_payments: 3 } });
    } finally {
      await client.query('RESET ROLE');
    }
  });
});

describe('auditDatabase: the generated sums (a PGlite of its own: the columns are made plain to be damaged)', () => {
  it('finds outstanding_minor and unapplied_minor that are not what the rules compute', async () => {
    const own = new PGlite();
    try {
      const c = fromPGlite(own);
      value(await migrate(c));
      await seedTenant(c, 'acme');
      expect(value(await auditDatabase(c)).ok).toBe(true);
      await c.query(`ALTER TABLE crm_payment_plans ALTER COLUMN outstanding_minor DROP EXPRESSION`);
      await c.query(`ALTER TABLE crm_payments ALTER COLUMN unapplied_minor DROP EXPRESSION`);
      await c.query(`UPDATE crm_payment_plans SET outstanding_minor = 1`);
      await c.query(`UPDATE crm_payments SET unapplied_minor = unapplied_minor + 1 WHERE id = 'P-1'`);
      const report = value(await auditDatabase(c));
      expect(report.findings).toEqual([
        finding({ tenantId: 'acme', table: 'crm_payment_plans', id: 'PP-1', problem: /^outstanding_minor 1 is not planOutstanding's 40000$/ }),
        finding({ tenantId: 'acme', table: 'crm_payments', id: 'P-1', problem: /^unapplied_minor 1 is not paymentBalance's unapplied 0$/ }),
      ]);
    } finally {
      await own.close();
    }
  });
});

describe('auditDatabase: arguments and databases it cannot audit (INVALID_INPUT, never a throw)', () => {
  it('refuses what is not a client, and options it cannot read', async () => {
    for (const bad of [undefined, null, {}, { query: () => undefined }, 'postgres://']) {
      expect(error(await auditDatabase(bad as never))).toMatchObject({ code: 'INVALID_INPUT', details: { issues: [{ path: ['client'] }] } });
    }
    const cases: [unknown, string][] = [
      ['acme', 'options'],
      [[], 'options'],
      [{ tenantId: '' }, 'options.tenantId'],
      [{ tenantId: 'a\u0000b' }, 'options.tenantId'],
      [{ tenantId: 42 }, 'options.tenantId'],
      [{ pageSize: 0 }, 'options.pageSize'],
      [{ pageSize: 1.5 }, 'options.pageSize'],
      [{ maxFindings: -1 }, 'options.maxFindings'],
    ];
    for (const [options, path] of cases) {
      expect(error(await auditDatabase(client, options as never))).toMatchObject({ code: 'INVALID_INPUT', details: { issues: [{ path: [path] }] } });
    }
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(error(await auditDatabase(client, revoked.proxy as never)).code).toBe('INVALID_INPUT');
  });

  it('refuses a database not migrated, or migrated before 003_tenants', async () => {
    const own = new PGlite();
    try {
      const c = fromPGlite(own);
      expect(error(await auditDatabase(c))).toMatchObject({ code: 'INVALID_INPUT', details: { summary: expect.stringMatching(/no crm_migrations table/) } });
      value(await migrate(c, migrations.slice(0, 2)));
      expect(error(await auditDatabase(c))).toMatchObject({ code: 'INVALID_INPUT', details: { summary: expect.stringMatching(/not migrated to 003_tenants/) } });
      value(await migrate(c));
      expect(value(await auditDatabase(c)).ok).toBe(true);
    } finally {
      await own.close();
    }
  });
});
