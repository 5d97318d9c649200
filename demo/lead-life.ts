/**
 * Lead to cash, told step by step: a lead's life (with a duplicate caught at import), the
 * customer pool, the quote, the order and the money — `npm run demo`. It runs on PGlite
 * (PostgreSQL in WASM, in memory) by default, and on a PostgreSQL server when DATABASE_URL is
 * set (in a schema of its own, dropped at the end).
 * Every step goes through the public service: load → rule → save with the loaded version.
 */
import {
  availableLeadOperations,
  buildFollowUpAgenda,
  createLeadService,
  createOpportunityService,
  createPoolService,
  planRenewal,
  localizeError,
  type Actor,
  type CrmError,
  type LeadCommandInput,
  type OpportunityCommandInput,
  type PoolOutcome,
  type SavedLeadDecision,
  type Result,
  type Money,
  type RuleEvent,
  formatMoney,
  addMoney,
  parseAmount,
  createQuote,
  submitQuote,
  approveQuote,
  convertQuote,
  createPaymentService,
  describePaymentPlan,
} from '../src/index.js';
import { createPostgresStore, fromPg, fromPGlite, migrate, type SqlClient } from '../src/adapters/postgres/index.js';
import { blockingKeys, createDedupeCustomerCheck, createDedupeService, DEFAULT_RULE_SETS } from '../src/dedupe/index.js';
import { createCustomerService } from '../src/customers/index.js';
import { createOrderService, type OrderOutcome } from '../src/orders/index.js';
import type { PaymentStore } from '../src/payments/index.js';
import { forecastPipeline, measureCollection, measureFunnel, measureOpportunities, type FunnelRow, type LeadJourney, type OpportunityJourney } from '../src/metrics/index.js';

/** PGlite in memory, or a schema of its own on the server at DATABASE_URL. */
async function openDatabase(): Promise<{ client: SqlClient; where: string; close: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const { default: pg } = await import('pg');
    const schema = `crm_demo_${process.pid}`;
    const admin = new pg.Pool({ connectionString: url, max: 1 });
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
    const pool = new pg.Pool({ connectionString: url, max: 4, options: `-c search_path=${schema}` });
    return {
      client: fromPg(pool),
      where: `PostgreSQL (DATABASE_URL), schema ${schema}`,
      close: async () => {
        await pool.end();
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await admin.end();
      },
    };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const db = new PGlite();
  return { client: fromPGlite(db), where: 'PGlite (in memory; set DATABASE_URL for a PostgreSQL server)', close: () => db.close() };
}

const database = await openDatabase();
await migrate(database.client);
const store = createPostgresStore({ client: database.client });
// conversion asks the duplicate check whether the company is already a customer
const leads = createLeadService({ store, customerCheck: createDedupeCustomerCheck({ dedupe: createDedupeService({ store }) }) });
const opportunities = createOpportunityService({ store });

const marketing: Actor = { id: 'mkt-chen', relations: ['poolAdmin'] };
const li: Actor = { id: 'rep-li', relations: ['poolMember'] };
const wang: Actor = { id: 'rep-wang', relations: ['poolMember'] };
const zhao: Actor = { id: 'mgr-zhao', relations: ['ownerSuperior'] };
const admin: Actor = { id: 'crm-admin', relations: ['crmAdmin'] };

// Day 1 is Monday 2 March 2026; times are Beijing time.
const day = (d: number, hhmm: string) => new Date(`2026-03-${String(1 + d).padStart(2, '0')}T${hhmm}:00+08:00`);

let step = 0;
/** Every event the run's steps returned, for the manager's dashboard at the end (crm-rules/metrics). */
const journal: RuleEvent[] = [];
const keep = <R extends Result<{ readonly events: readonly RuleEvent[] }, CrmError>>(r: R): R => {
  if (r.ok) journal.push(...r.value.events);
  return r;
};
function show(title: string, r: Result<SavedLeadDecision, CrmError>): void {
  step += 1;
  keep(r);
  if (r.ok) {
    const l = r.value.lead;
    const events = r.value.events.map((e) => e.type).join(', ');
    console.log(`${String(step).padStart(2)}. ${title}\n    → ${l.status} / ${l.stage}, owner ${l.ownerId ?? '—'}, pool ${l.poolId ?? '—'}, v${l.version}  [${events}]`);
  } else {
    console.log(`${String(step).padStart(2)}. ${title}\n    ✗ refused ${r.error.code}: ${r.error.message}\n      ${localizeError(r.error, 'zh-CN').message}`);
  }
}

async function run(title: string, actor: Actor, at: Date, command: LeadCommandInput) {
  const r = await leads.execute('L-1001', command, { now: at, actor });
  show(title, r);
  return r;
}

console.log(`crm-rules demo: lead to cash, on ${database.where}\n`);

// Duplicate checks (查重) on import: an earlier card with the same mobile is already in the pool.
const dedupe = createDedupeService({ store });
const earlier = { id: 'L-0999', object: 'lead' as const, poolId: 'pool-east', fields: { name: '张伟', company: '腾飞科技', phone: '13800138001' } };
const earlierKeys = blockingKeys(earlier, DEFAULT_RULE_SETS.lead);
if (earlierKeys.ok) await store.indexForDedupe(earlier, earlierKeys.value);
const card = { id: 'L-1000', object: 'lead' as const, fields: { name: '张伟', company: '深圳市腾飞科技有限公司', phone: '+86 138 0013 8001' } };
const check = await dedupe.check(card);
step += 1;
if (check.ok) {
  const d = check.value.duplicates[0];
  console.log(`${String(step).padStart(2)}. Marketing imports a card with +86 138 0013 8001\n    ✗ duplicate of ${d?.candidateId} (${d?.fields.filter((f) => f.outcome !== 'blank').map((f) => `${f.field} ${f.outcome}`).join(', ')}): not imported`);
}
// Another person of the same company is no duplicate: the same account (撞单), told to the rep.
const colleague = { id: 'L-1002', object: 'lead' as const, fields: { name: '李娜', company: '腾飞科技（深圳）有限公司', phone: '13900139002' } };
const colleagueCheck = await dedupe.check(colleague);
step += 1;
if (colleagueCheck.ok) {
  const a = colleagueCheck.value.sameAccount[0];
  console.log(
    `${String(step).padStart(2)}. Marketing imports 李娜's card, of the same company\n    → ${colleagueCheck.value.duplicates.length} duplicates; the same account as ${a?.candidateId} (${a?.accountGroupId}): the rep who works it is told`,
  );
}

show(
  'Marketing imports a trade-show card into the East China lead pool',
  await leads.create(
    { id: 'L-1001', source: 'import', name: '张伟', company: '深圳市腾飞科技有限公司', phone: '+86 138 0013 8000', poolId: 'pool-east', channel: 'tradeShow', taxId: '91440300708461136T' },
    { now: day(1, '09:00'), actor: marketing },
  ),
);
await run('Rep Li tries to assign it to himself (only a pool admin assigns)', li, day(1, '09:30'), { type: 'assign', ownerId: 'rep-li' });
await run('Rep Li claims it from the pool', li, day(1, '09:31'), { type: 'claim' });
await run('Rep Wang tries to claim the same lead a minute later', wang, day(1, '09:32'), { type: 'claim' });
await run('Li logs a first call and sets a re-follow-up for Thursday', li, day(1, '10:15'), {
  type: 'followUp',
  followUpId: 'F-1',
  result: '电话接通，客户在评估 CRM，约周四演示',
  channel: 'call',
  nextFollowUpAt: day(4, '14:00'),
});
await run('Li gives up and returns it without a listed reason', li, day(2, '11:00'), { type: 'return', reason: { code: 'bored' } });
await run('Li returns it: "other" needs a text', li, day(2, '11:01'), { type: 'return', reason: { code: 'other' } });
await run('Li returns it to the pool: unreachable', li, day(2, '11:02'), { type: 'return', reason: { code: 'unreachable' } });
await run('Marketing assigns it to Rep Wang', marketing, day(3, '09:00'), { type: 'assign', ownerId: 'rep-wang' });
await run('Wang marks it marketing-qualified after the demo', wang, day(4, '15:00'), {
  type: 'markMql',
  followUpId: 'F-2',
  result: '演示后确认预算 20 万',
});
await run('Wang marks it invalid by mistake', wang, day(4, '15:05'), { type: 'markInvalid', reason: '误操作' });
await run('Wang reopens it (invalid is reversible)', wang, day(4, '15:06'), { type: 'reopen' });
const lead = await store.loadLead('L-1001');
console.log(`    menu for Wang now: ${availableLeadOperations(lead!, wang).join(', ')}`);
// the company bought from us before, under its registered name: a customer with the same tax id
const known = { id: 'C-501', object: 'customer' as const, fields: { company: '深圳市腾飞科技有限公司', taxId: '91440300708461136T' } };
const knownKeys = blockingKeys(known, DEFAULT_RULE_SETS.customer);
if (knownKeys.ok) await store.indexForDedupe(known, knownKeys.value);
await run("Wang's manager converts it to a new customer: the duplicate check knows the tax id", zhao, day(5, '10:00'), {
  type: 'convert',
  customer: { kind: 'new', customerId: 'C-777', name: '深圳市腾飞科技有限公司' },
});
const conversion = await run('…so it converts into that customer, with a contact and an opportunity (channel kept: first touch)', zhao, day(5, '10:01'), {
  type: 'convert',
  customer: { kind: 'existing', customerId: 'C-501' },
  contact: { contactId: 'P-501', name: '张伟' },
  opportunity: { opportunityId: 'O-501', name: '腾飞 CRM 年度采购' },
});
if (conversion.ok) console.log(`    the opportunity came from: ${conversion.value.opportunity?.channel}`);
await run('Someone tries to void the converted lead', admin, day(6, '09:00'), { type: 'void' });

console.log('\nA stale write: two browser tabs hold version', (await store.loadLead('L-1001'))!.version);
const loaded = (await store.loadLead('L-1001'))!;
await store.commit({ leads: [{ record: { ...loaded, version: loaded.version + 1 }, expectedVersion: loaded.version }] });
const stale = await store.commit({ leads: [{ record: { ...loaded, version: loaded.version + 1 }, expectedVersion: loaded.version }] });
console.log(stale.ok ? 'second tab saved (this would be a lost update!)' : `second tab refused: ${stale.error.code} — ${stale.error.message}`);

console.log('\nThe opportunity the conversion opened');
async function move(title: string, actor: Actor, at: Date, command: OpportunityCommandInput) {
  const r = keep(await opportunities.execute('O-501', command, { now: at, actor }));
  step += 1;
  if (r.ok) {
    const o = r.value.opportunity;
    console.log(`${String(step).padStart(2)}. ${title}\n    → ${o.status}, stage ${o.stageId} (${o.probability}%), v${o.version}`);
  } else {
    console.log(`${String(step).padStart(2)}. ${title}\n    ✗ refused ${r.error.code}: ${r.error.message}`);
  }
}
await move('Wang advances it to needs confirmed', wang, day(8, '10:00'), { type: 'advance' });
await move('Wang jumps straight to negotiation (skipping is off)', wang, day(8, '10:05'), { type: 'moveToStage', stageId: 'negotiation' });
await move('Wang advances it to proposal/quote', wang, day(10, '16:00'), { type: 'advance' });
await move('Wang marks it lost without a reason', wang, day(12, '09:00'), { type: 'close', outcome: 'lost' });
await move('Wang marks it lost: budget frozen', wang, day(12, '09:01'), { type: 'close', outcome: 'lost', reason: '客户预算冻结' });
await move('Wang tries to reopen it himself', wang, day(15, '09:00'), { type: 'reopen' });
await move('His manager reopens it when the budget returns', zhao, day(15, '09:10'), { type: 'reopen', reason: '预算恢复' });
await move('Advance to negotiation', wang, day(16, '09:00'), { type: 'advance' });
// it is won by its first order, below (下单完成后商机自动赢单), not by hand

console.log('\nA renewal for the order it became (service ends 2027-03-31, renew 60 days ahead)');
const renewal = planRenewal(
  { id: 'SO-77', customerId: 'C-501', ownerId: 'rep-wang', name: '腾飞 CRM 年度订阅', serviceEndDate: '2027-03-31T23:59:59+08:00' },
  { leadDays: 60, zone: 'Asia/Shanghai', namePrefix: '续约 - ' },
  { opportunityId: 'O-RENEW-77' },
  { now: day(21, '09:00'), actor: { id: 'renewal-bot', relations: ['automation'] } },
);
if (renewal.ok) {
  const o = renewal.value.opportunity;
  console.log(`    → "${o.name}" for ${o.ownerId}, expected close ${o.expectedCloseDate?.toISOString()} (Beijing midnight, 60 calendar days before the end)`);
}

console.log("\nRep Li's agenda for Thursday 5 March");
for (const [i, name] of ['孙丽', '周强', '吴敏', '郑华'].entries()) {
  keep(await leads.create({ id: `L-20${i}`, source: 'import', name, quality: i === 3 ? 'high' : 'normal', poolId: 'pool-east', channel: 'websiteForm' }, { now: day(3, '08:00'), actor: marketing }));
  keep(await leads.execute(`L-20${i}`, { type: 'claim' }, { now: day(3, '08:30'), actor: li }));
}
keep(await leads.execute('L-201', { type: 'followUp', followUpId: 'F-9', result: '发了资料', nextFollowUpAt: day(4, '10:00') }, { now: day(3, '11:00'), actor: li }));
keep(await leads.execute('L-202', { type: 'followUp', followUpId: 'F-10', result: '下周再联系', nextFollowUpAt: day(9, '10:00') }, { now: day(3, '11:30'), actor: li }));
const liLeads = [];
for (const id of ['L-1001', 'L-200', 'L-201', 'L-202', 'L-203']) {
  const l = await store.loadLead(id);
  if (l) liLeads.push(l);
}
const agenda = buildFollowUpAgenda(liLeads, { userId: 'rep-li', now: day(4, '08:00'), zone: 'Asia/Shanghai' });
if (agenda.ok) {
  for (const bucket of agenda.value.buckets) {
    console.log(`    ${bucket.kind.padEnd(14)} ${bucket.entries.map((e) => `${e.leadId} (${e.why})`).join(', ') || '—'}`);
  }
}

console.log('\nThe East China customer pool (公海): quota 2, 7-day cooldown');
const pools = createPoolService({ store });
await store.putPolicy({
  id: 'gh-east',
  kind: 'customer',
  name: '华东公海',
  zone: 'Asia/Shanghai',
  admins: ['mkt-chen'],
  members: { users: ['rep-li', 'rep-wang'], departments: [] },
  holding: { quota: 2, countWon: false },
  cooldownDays: 7,
  reclaimRules: [
    {
      id: 'important-15d',
      name: '重要客户 15 天未跟进收回',
      condition: { all: [{ field: 'level', op: 'eq', value: 'important' }] },
      trigger: { kind: 'noFollowUp', days: 15 },
      noticeDays: 3,
      notify: ['owner', 'team'],
    },
  ],
});
// customers added into the pool are unowned: an owner comes from a claim or an assignment, under the quota
const customers = createCustomerService({ store });
for (const [id, level] of [['C-601', 'important'], ['C-602', 'normal'], ['C-603', 'normal']] as const) {
  const added = await customers.create({ id, poolId: 'gh-east', level }, { now: day(0, '18:00'), actor: { id: 'mkt-chen' } });
  if (!added.ok) throw new Error(added.error.message);
}
const liMember = { id: 'rep-li', departmentIds: [] };
async function poolStep(title: string, r: Result<PoolOutcome, CrmError>) {
  step += 1;
  if (r.ok) console.log(`${String(step).padStart(2)}. ${title}\n    → ${r.value.customer?.id} owned by ${r.value.customer?.ownerId ?? '—'} [${r.value.events.map((e) => e.type).join(', ')}]`);
  else {
    const blockers = (r.error.details.blockers as { code: string }[] | undefined)?.map((b) => b.code).join(', ');
    const retry = r.error.details.retryAfter instanceof Date ? `, retry after ${r.error.details.retryAfter.toISOString()}` : '';
    console.log(`${String(step).padStart(2)}. ${title}\n    ✗ refused ${r.error.code} (blockers: ${blockers}${retry})\n      ${localizeError(r.error, 'zh-CN').message}`);
  }
}
const poolRef = (recordId: string) => ({ poolId: 'gh-east', recordKind: 'customer' as const, recordId });
const asLi = (at: Date) => ({ now: at, actor: liMember });
await poolStep('Li claims the important customer C-601', await pools.claim(poolRef('C-601'), asLi(day(1, '09:00'))));
await poolStep('Li claims C-602', await pools.claim(poolRef('C-602'), asLi(day(1, '09:05'))));
await poolStep('Li tries a third: over his quota of 2', await pools.claim(poolRef('C-603'), asLi(day(1, '09:10'))));
await poolStep('Li returns C-602', await pools.returnRecord(poolRef('C-602'), {}, asLi(day(1, '17:00'))));
await poolStep('Li grabs C-602 back the next morning: cooldown', await pools.claim(poolRef('C-602'), asLi(day(2, '09:00'))));
const locked = await customers.execute('C-603', { type: 'lock', note: '合同纠纷处理中' }, { now: day(2, '09:30'), actor: { id: 'mkt-chen', relations: ['poolAdmin'] } });
step += 1;
console.log(`${String(step).padStart(2)}. Chen, the pool admin, locks C-603 while a contract dispute is open\n    → ${locked.ok ? `locked by ${locked.value.customer.locked?.by} [${locked.value.events.map((e) => e.type).join(', ')}]` : locked.error.code}`);
await poolStep('Wang tries to claim the locked C-603', await pools.claim(poolRef('C-603'), { now: day(2, '10:00'), actor: { id: 'rep-wang' } }));

console.log('\nThe nightly reclaim run: an important customer not followed up for 15 days, notice 3 days before');
for (const [title, at] of [
  ['13 March, 11 days after the claim: nothing yet', day(12, '02:00')],
  ['14 March, 12 days: the owner is warned (3 days ahead)', day(13, '02:00')],
  ['15 March: already warned, nobody is told twice', day(14, '02:00')],
  ['17 March, 15 days without a follow-up: back to the pool', day(16, '02:00')],
] as const) {
  const run = await pools.runReclaim('gh-east', { now: at });
  step += 1;
  if (!run.ok) {
    console.log(`${String(step).padStart(2)}. ${title}\n    ✗ ${run.error.code}: ${run.error.message}`);
    continue;
  }
  const detail = run.value.events
    .map((e) => (e.type === 'pool.reclaimWarned' ? `${e.subject.id} warned, reclaim at ${(e.data.reclaimAt as Date).toISOString()}, tell ${(e.data.notify as string[]).join(' & ')}` : `${e.type} ${e.subject.id}`))
    .join('; ');
  console.log(`${String(step).padStart(2)}. ${title}\n    → warned ${run.value.warned}, reclaimed ${run.value.reclaimed}${detail ? `: ${detail}` : ''}`);
}

/* ------------------------------------------------------------------ quote to cash */

console.log('\nQuote to cash: a quote that needs approval, the order, and a 30-50-20 payment plan');
const rmb = (m: Money) => `¥${formatMoney(m)}`;
const approvalPolicy = {
  levels: [
    { id: 'teamLead', approvers: ['mgr-zhao'] },
    { id: 'finance', approvers: ['fin-wu'] },
  ],
  rules: [
    { id: 'over-10', level: 'teamLead', when: { kind: 'lineDiscountAbove' as const, percent: '10' } },
    { id: 'over-20', level: 'finance', when: { kind: 'lineDiscountAbove' as const, percent: '20' } },
  ],
};
const quoteStep = (title: string, detail: string) => {
  step += 1;
  console.log(`${String(step).padStart(2)}. ${title}\n    → ${detail}`);
};
const created = createQuote(
  {
    id: 'Q-2026-031',
    ownerId: 'rep-li',
    customerId: 'C-601',
    currency: 'CNY',
    lines: [
      { id: 'l1', productId: 'CRM-PRO', quantity: '20', listPrice: '1200', discount: { kind: 'percent', percent: '15' } },
      { id: 'l2', productId: 'ONBOARDING', quantity: '1', listPrice: '6000' },
    ],
    orderDiscount: { kind: 'percent', percent: '2' },
    tax: { percent: '6' },
  },
  { actor: { id: 'rep-li' }, now: day(17, '10:00') },
);
if (!created.ok) throw new Error(created.error.message);
const t = created.value.priced.totals;
quoteStep('Li drafts a quote: 20 seats at 15% off plus onboarding, 2% off the order, 6% VAT', `list ${rmb(t.list)}, net ${rmb(t.net)}, tax ${rmb(t.tax)}, total ${rmb(t.total)}`);
const submitted = submitQuote(created.value.quote, approvalPolicy, { actor: { id: 'rep-li' }, now: day(17, '10:05') });
if (!submitted.ok) throw new Error(submitted.error.message);
const submittedEvent = submitted.value.events[0]!;
const why = submittedEvent.type === 'quote.submitted' ? submittedEvent.data.reasons : [];
quoteStep('Li submits it: 15% off is above his 10%', `${submitted.value.quote.status}, needs ${submitted.value.quote.approval.required.join(' → ')} (${why.map((r) => `${r.ruleId} on ${r.lineId}: ${r.actual}%`).join(', ')})`);
const approved = approveQuote(submitted.value.quote, approvalPolicy, { actor: { id: 'mgr-zhao' }, now: day(17, '14:00') });
if (!approved.ok) throw new Error(approved.error.message);
quoteStep('Manager Zhao approves', approved.value.quote.status);
const converted = convertQuote(approved.value.quote, approvalPolicy, { kind: 'order', id: 'SO-0317', repricing: { lineDiscounts: { l1: { kind: 'percent', percent: '25' } } } }, { actor: { id: 'rep-li' }, now: day(17, '15:00') });
quoteStep('Li tries to turn it into an order at 25% off', converted.ok ? 'converted' : `✗ ${converted.error.code}: needs ${(converted.error.details.levels as string[]).join(', ')}`);
const order = convertQuote(approved.value.quote, approvalPolicy, { kind: 'order', id: 'SO-0317' }, { actor: { id: 'rep-li' }, now: day(17, '15:05') });
if (!order.ok) throw new Error(order.error.message);
quoteStep('…and at the approved price', `order ${order.value.document.id} for ${rmb(order.value.document.totals.total)}`);

// Payments live in the same database.
const paymentStore: PaymentStore = store;
const cash = createPaymentService({ store: paymentStore, policy: { zone: 'Asia/Shanghai' } });
const payCtx = (at: Date, actorId = 'cashier-he') => ({ now: at, actor: { id: actorId } });
const plan = await cash.createPlan(
  {
    id: 'PP-SO-0317',
    orderId: 'SO-0317',
    customerId: 'C-601',
    ownerId: 'rep-li',
    orderDate: day(17, '15:05'),
    total: { currency: 'CNY', amount: formatMoney(order.value.document.totals.total) },
    installments: [
      { id: 'I1', percent: 30, due: { kind: 'afterOrder', days: 7 } },
      { id: 'I2', percent: 50, due: { kind: 'afterOrder', days: 37 } },
      { id: 'I3', percent: 20, due: { kind: 'afterOrder', days: 67 } },
    ],
  },
  payCtx(day(17, '15:10'), 'rep-li'),
);
if (!plan.ok) throw new Error(plan.error.message);
quoteStep('The 30-50-20 payment plan', plan.value.plan.installments.map((i) => `${i.id} ${rmb(i.amount)} due ${i.dueDate}`).join(', '));
const instalmentStates = async (at: Date) => {
  const r = await cash.customerReceivables('C-601', at);
  return r.ok ? r.value.installments.map((i) => `${i.installmentId} ${i.state}`).join(', ') || 'nothing open' : r.error.code;
};
const inst = plan.value.plan.installments;
const pay = async (id: string, amount: Money, at: Date, title: string) => {
  const r = await cash.recordAndApplyPayment(
    { id, customerId: 'C-601', orderId: 'SO-0317', amount: { currency: 'CNY', amount: formatMoney(amount) }, receivedAt: at, method: 'bankTransfer' },
    { kind: 'installmentOrder' },
    payCtx(at),
  );
  if (!r.ok) throw new Error(r.error.message);
  quoteStep(title, `${r.value.applications.map((a) => `${a.installmentId} +${rmb(a.amount)}`).join(', ')}; credit left ${rmb(r.value.unapplied)}`);
};
await pay('P-1', inst[0]!.amount, new Date('2026-03-24T11:00:00+08:00'), 'The first 30% arrives on time');
quoteStep('24 April, due today: still pending', await instalmentStates(new Date('2026-04-24T23:59:00+08:00')));
quoteStep('25 April, one minute past midnight in Shanghai: overdue', await instalmentStates(new Date('2026-04-25T00:01:00+08:00')));
await pay('P-2', inst[1]!.amount, new Date('2026-04-27T16:00:00+08:00'), 'It is paid three days late');
const extra = parseAmount('500', 'CNY');
const overpaid = extra.ok ? addMoney(inst[2]!.amount, extra.value) : extra;
if (!overpaid.ok) throw new Error(overpaid.error.message);
await pay('P-3', overpaid.value, new Date('2026-05-20T10:00:00+08:00'), 'The last 20% is overpaid by ¥500: the rest is the customer’s credit');
const after = new Date('2026-05-21T09:00:00+08:00');
const settled = await paymentStore.loadPlan('PP-SO-0317');
const seen = settled === null ? null : describePaymentPlan(settled, after);
const owed = await cash.customerReceivables('C-601', after);
if (seen === null || !seen.ok || !owed.ok) throw new Error('the plan and the receivables should load');
const credit = owed.value.customers.find((c) => c.customerId === 'C-601')?.credit;
quoteStep(
  'The plan afterwards',
  `${seen.value.map((i) => `${i.installmentId} ${i.state}`).join(', ')}; open: ${(await instalmentStates(after))}; the customer's credit ${credit === undefined ? '¥0.00' : rmb(credit)}`,
);

/* ------------------------------------------------------------------ contract, orders and the seams */

console.log('\nThe contract and its orders: the seams to the opportunity, the customer and payments (one commit each)');
// C-501 is the customer the duplicate check found at conversion: Wang's, outside the pools
const c501 = await customers.create({ id: 'C-501', ownerId: 'rep-wang' }, { now: day(19, '09:00'), actor: admin });
if (!c501.ok) throw new Error(c501.error.message);
const documentApprovals = {
  levels: [
    { id: 'teamLead', approvers: ['mgr-zhao'] },
    { id: 'finance', approvers: ['fin-wu'] },
  ],
  rules: [
    { id: 'over-10k', level: 'teamLead', when: { kind: 'totalAbove' as const, amount: '10000' } },
    { id: 'over-100k', level: 'finance', when: { kind: 'totalAbove' as const, amount: '100000' } },
  ],
};
const orders = createOrderService({ store, approvalPolicy: documentApprovals });
const seats = (n: string) => ({ currency: 'CNY' as const, tax: { percent: '13' }, lines: [{ id: 'l1', productId: 'CRM-PRO', quantity: n, listPrice: '1000' }] });
const docStep = (title: string, r: Result<{ readonly events: readonly RuleEvent[] } & ({ readonly contract: { status: string; total: Money } } | { readonly order: { status: string; total: Money } }), CrmError>, extra = '') => {
  step += 1;
  keep(r);
  if (!r.ok) {
    console.log(`${String(step).padStart(2)}. ${title}\n    ✗ refused ${r.error.code}: ${r.error.message}`);
    return;
  }
  const doc = 'contract' in r.value ? r.value.contract : r.value.order;
  console.log(`${String(step).padStart(2)}. ${title}\n    → ${doc.status}, ${rmb(doc.total)} [${r.value.events.map((e) => e.type).join(', ')}]${extra}`);
};
const seamsOf = (r: Result<OrderOutcome, CrmError>) => (r.ok ? `\n    seams: ${r.value.seams.map((x) => `${x.effect.kind} ${x.outcome}${x.reason ? ` (${x.reason})` : ''}`).join(', ')}` : '');
const asWang = (at: Date) => ({ now: at, actor: { id: 'rep-wang' } });
docStep('Wang drafts contract HT-501 for O-501: 100 seats, 13% VAT', await orders.createContract({ id: 'HT-501', customerId: 'C-501', opportunityId: 'O-501', pricing: seats('100') }, asWang(day(20, '10:00'))));
docStep('He submits it: above ¥100,000, the team lead and finance sign', await orders.executeContract('HT-501', { type: 'submit' }, asWang(day(20, '10:05'))));
docStep('Zhao signs', await orders.executeContract('HT-501', { type: 'approve' }, { now: day(20, '14:00'), actor: { id: 'mgr-zhao' } }));
docStep('Finance signs: the contract is approved', await orders.executeContract('HT-501', { type: 'approve' }, { now: day(21, '09:00'), actor: { id: 'fin-wu' } }));
docStep('Order SO-501 from it: 60 seats', await orders.createOrder({ id: 'SO-501', customerId: 'C-501', opportunityId: 'O-501', contractId: 'HT-501', pricing: seats('60') }, asWang(day(21, '10:00'))));
docStep('A second order for 50 more seats', await orders.createOrder({ id: 'SO-502', customerId: 'C-501', opportunityId: 'O-501', contractId: 'HT-501', pricing: seats('50') }, asWang(day(21, '10:05'))));
docStep('…for 40 seats: within the contract', await orders.createOrder({ id: 'SO-502', customerId: 'C-501', opportunityId: 'O-501', contractId: 'HT-501', pricing: seats('40') }, asWang(day(21, '10:06'))));
await orders.executeOrder('SO-501', { type: 'submit' }, asWang(day(21, '10:10')));
const firstOrder = await orders.executeOrder('SO-501', { type: 'approve' }, { now: day(21, '11:00'), actor: { id: 'mgr-zhao' } });
docStep('Zhao approves SO-501: confirmed, and the first order wins the opportunity', firstOrder, seamsOf(firstOrder));
console.log(`    O-501 is now ${(await store.loadOpportunity('O-501'))?.status}; C-501 dealt: ${(await store.loadCustomer('C-501'))?.won}`);
await orders.executeOrder('SO-502', { type: 'submit' }, asWang(day(21, '11:10')));
const secondOrder = await orders.executeOrder('SO-502', { type: 'approve' }, { now: day(21, '11:30'), actor: { id: 'mgr-zhao' } });
docStep('SO-502 confirmed too', secondOrder, seamsOf(secondOrder));

// the payments' part of the seams is the host's: the plan's terms, the credit note
const cashWithApproval = createPaymentService({ store: paymentStore, policy: { zone: 'Asia/Shanghai', refundApproval: { levels: [{ id: 'finance', approvers: ['fin-wu'], above: { CNY: '5000.00' } }] } } });
const planDue = firstOrder.ok ? firstOrder.value.seams.find((x) => x.effect.kind === 'paymentPlanDue')?.effect : undefined;
if (planDue?.kind === 'paymentPlanDue') {
  const p501 = await cashWithApproval.createPlan(
    { id: 'PP-SO-501', orderId: planDue.orderId, customerId: planDue.customerId, ownerId: planDue.ownerId, orderDate: planDue.orderDate, total: planDue.total, installments: [{ id: 'I1', percent: 100, due: { kind: 'afterOrder', days: 30 } }] },
    payCtx(day(21, '11:05'), 'rep-wang'),
  );
  quoteStep('Its payment plan, from the paymentPlanDue effect', p501.ok ? p501.value.plan.installments.map((i) => `${i.id} ${rmb(i.amount)} due ${i.dueDate}`).join(', ') : p501.error.code);
}
const paid501 = await cashWithApproval.recordAndApplyPayment(
  { id: 'P-501', customerId: 'C-501', orderId: 'SO-501', amount: { currency: 'CNY', amount: '67800.00' }, receivedAt: day(23, '10:00'), method: 'bankTransfer' },
  { kind: 'installmentOrder' },
  payCtx(day(23, '10:00')),
);
quoteStep('C-501 pays SO-501 in full', paid501.ok ? `applied ${paid501.value.applications.map((a) => rmb(a.amount)).join(', ')}` : paid501.error.code);
const asDesk = (at: Date) => ({ now: at, actor: { id: 'desk-sun', relations: ['teamMemberReadWrite' as const] } });
docStep('The order desk ships 40 of the 60 seats (partial shipment)', await orders.executeOrder('SO-501', { type: 'ship', lines: [{ lineId: 'l1', quantity: '40' }] }, asDesk(day(24, '09:00'))));
docStep('The customer confirms receipt of the 40', await orders.executeOrder('SO-501', { type: 'receive', lines: [{ lineId: 'l1', quantity: '40' }] }, asDesk(day(25, '09:00'))));
const returned501 = await orders.executeOrder('SO-501', { type: 'return', id: 'CN-501', lines: [{ lineId: 'l1', quantity: '5' }], reason: '多开了 5 个席位' }, asDesk(day(26, '09:00')));
docStep('5 seats come back (退货)', returned501, seamsOf(returned501));
const note = returned501.ok ? returned501.value.seams.find((x) => x.effect.kind === 'creditNote')?.effect : undefined;
if (note?.kind === 'creditNote') {
  const issued = await cashWithApproval.issueCreditNote(note.input, payCtx(day(26, '09:05')));
  quoteStep('Its credit note, from the creditNote effect: the plan is paid, so the credit stays the customer’s', issued.ok ? `${issued.value.payment.id} ${rmb(issued.value.payment.amount)}, unapplied ${rmb(issued.value.unapplied)}` : issued.error.code);
}
const direct = await cashWithApproval.refundPayment('CN-501', { reason: '退货退款' }, payCtx(day(26, '10:00')));
quoteStep('The cashier pays the credit back at once', direct.ok ? 'refunded' : `✗ ${direct.error.code}: ${direct.error.message}`);
const refundAsked = await cashWithApproval.requestRefund('CN-501', { id: 'RF-501', reason: '退货退款' }, payCtx(day(26, '10:05')));
quoteStep('…so she requests the refund (退款申请)', refundAsked.ok ? `${refundAsked.value.request.status}, needs ${refundAsked.value.request.levels.join(', ')}` : refundAsked.error.code);
const refundSigned = await cashWithApproval.decideRefund('RF-501', { type: 'approve' }, payCtx(day(27, '09:00'), 'fin-wu'));
quoteStep('Finance approves: only now is the money paid back', refundSigned.ok ? `${refundSigned.value.request.status}, refund #${refundSigned.value.request.refundSeq} of ${rmb(refundSigned.value.request.amount)} [${refundSigned.value.events.map((e) => e.type).join(', ')}]` : refundSigned.error.code);
const cancelled502 = await orders.executeOrder('SO-502', { type: 'cancel', reason: '客户改为明年采购' }, asWang(day(27, '10:00')));
docStep('SO-502 is cancelled before shipping', cancelled502, seamsOf(cancelled502));

// The manager's dashboard (驾驶舱) of this run: its own stored records and the events its steps
// returned, through crm-rules/metrics, as the nightly job of a host would compute it.
// The plans hold payments up to 20 May (paid late, then overpaid): the records stand as of then.
console.log("\nThe manager's dashboard on 31 May 2026 (Beijing time), from this run's records and events");
const asOf = new Date('2026-05-31T18:00:00+08:00');
const march = { from: day(0, '00:00'), to: new Date('2026-04-01T00:00:00+08:00'), zone: 'Asia/Shanghai' };
const journeys: LeadJourney[] = [];
for (const id of ['L-1001', 'L-200', 'L-201', 'L-202', 'L-203']) {
  const lead = await store.loadLead(id);
  if (lead === null) continue;
  const mine = (e: RuleEvent) => (e.subject.kind === 'lead' && e.subject.id === id) || (e.subject.kind === 'opportunity' && e.subject.id === lead.conversion?.opportunityId);
  journeys.push({ lead, events: journal.filter(mine) });
}
const o501 = await store.loadOpportunity('O-501');
const deals: OpportunityJourney[] = [...(o501 ? [{ opportunity: o501 }] : []), ...(renewal.ok ? [{ opportunity: renewal.value.opportunity }] : [])];
const plans = (await Promise.all(['PP-SO-0317', 'PP-SO-501'].map((id) => paymentStore.loadPlan(id)))).filter((p) => p !== null);
const funnel = await measureFunnel(journeys, { reading: 'cohort', ...march, groupBy: ['channel'] }, asOf);
const closed = await measureOpportunities(deals, march, asOf);
const forecast = await forecastPipeline(deals, { ...march, to: new Date('2027-04-01T00:00:00+08:00'), groupBy: ['quarter'] }, asOf);
const collection = await measureCollection(plans, { ...march, to: new Date('2026-06-01T00:00:00+08:00') }, asOf);
const pct = (v: string | null) => (v === null ? '—' : `${(Number(v) * 100).toFixed(2)}%`);
const money = (ms: readonly Money[]) => (ms.length === 0 ? 'no amount recorded' : ms.map(rmb).join(' + '));
const rows: [string, string][] = [];
if (funnel.ok) {
  const stages = (r: FunnelRow) => r.stages.map((x) => `${x.stage} ${x.count}`).join(' → ');
  rows.push(['funnel, leads created in March', `${stages(funnel.value.total)}; lead → won ${pct(funnel.value.total.stages[4]!.fromFirst.value)}`]);
  for (const r of funnel.value.rows) rows.push([`  from ${r.group[0] ?? 'no channel'}`, stages(r)]);
}
if (closed.ok) {
  const t = closed.value.total;
  rows.push(['deals closed in March', `${t.won.count} won (${money(t.won.amounts)}), ${t.lost.count} lost; win rate ${pct(t.winRate.value)}; cycle ${t.cycle.medianMinutes === null ? '—' : `${Math.round(t.cycle.medianMinutes / 1440)} days`}`]);
}
if (forecast.ok) {
  for (const r of forecast.value.rows) {
    const parts = (['closed', 'commit', 'bestCase', 'pipeline'] as const).filter((c) => r.counts[c] > 0).map((c) => `${c} ${r.counts[c]} ${money(r.amounts[c])}`);
    rows.push([`forecast ${r.group[0] ?? 'undated'}`, `${parts.join(', ')}; weighted ${money(r.weighted)}`]);
  }
}
if (collection.ok) {
  for (const c of collection.value.total.currencies) {
    rows.push(['collection, due March–May', `due ${rmb(c.due)}, paid ${rmb(c.paid)}, credited ${rmb(c.credited)}, overdue ${rmb(c.overdue)}; collection rate ${pct(c.collectionRate.value)}`]);
  }
  for (const d of collection.value.dso) rows.push(['  DSO over March–May', `${d.value ?? '—'} days (${rmb(d.outstanding)} outstanding against ${rmb(d.sales)} of sales, ${d.days} days)`]);
}
const width = Math.max(...rows.map(([k]) => k.length));
for (const [k, v] of rows) console.log(`  ${k.padEnd(width)} │ ${v}`);

await database.close();
