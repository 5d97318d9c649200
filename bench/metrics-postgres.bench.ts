/**
 * The funnel in PostgreSQL: `npx tsx bench/metrics-postgres.bench.ts` (part of `npm run bench`;
 * skipped without DATABASE_URL). Issue 18 asks for the time of the funnel by owner × channel ×
 * month over 1,000,000 leads and 5,000,000 events, computed in the database.
 *
 * For each source of bench/metrics-data.ts (A, an orderly pipeline; B, a messy export), in a
 * schema of its own (dropped at the end): the leads are stored as documents and their events
 * appended through `store.appendJourneyEvents` (pages of 2,000 journeys: the append's own
 * checks and encoding included), then `VACUUM ANALYZE`; then `store.measureFunnel` for the
 * cohort and the period reading, and `store.measureActivity` by owner × month (the rates of
 * each rep), the median of `BENCH_ROUNDS` runs (default 3) after a warm-up. Each report is
 * checked against the same metric in process over the same generated journeys (the whole
 * report, row for row). `BENCH_PG_LEADS` sets the count (default 1,000,000).
 *
 * Then collection: the payment plans of bench/collection-data.ts (R, made and paid through the
 * payments rules; K, the testing kit's plans) stored as documents, and `store.measureCollection`
 * by owner × month over 2026 against the same metric in process over the plans in memory and
 * over `store.streamPlans()`. `BENCH_PG_PLANS` sets the count (default 100,000); `BENCH_PG_LEADS=0`
 * runs collection alone.
 */
import pg from 'pg';
import { inMigratedSchema } from './pg-schema.js';
import { timedRounds } from './timing.js';
import { cpus, loadavg } from 'node:os';
import { createPostgresStore, encodeDocument, type SqlClient } from '../src/adapters/postgres/index.js';
import { measureActivity, measureCollection, measureFunnel, type ActivityReport, type CollectionReport, type FunnelReport, type LeadJourney } from '../src/metrics/index.js';
import type { PaymentPlan } from '../src/payments/index.js';
import { messySource, orderlySource, type JourneySource } from './metrics-data.js';
import { kitPlans, rulesPlans } from './collection-data.js';

const URL = process.env.DATABASE_URL;
const LEADS = Number(process.env.BENCH_PG_LEADS ?? 1_000_000);
const PLANS = Number(process.env.BENCH_PG_PLANS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PAGE = 2_000;
const NOW = '2027-01-01T00:00:00+08:00';
const QUERY = { from: '2026-01-01T00:00:00+08:00', to: '2027-01-01T00:00:00+08:00', zone: 'Asia/Shanghai', groupBy: ['owner', 'channel', 'month'] } as const;

const log = (s: string) => process.stderr.write(`${s}\n`);

async function load(client: SqlClient, source: JourneySource): Promise<{ ms: number; events: number }> {
  const store = createPostgresStore({ client });
  const t0 = performance.now();
  let events = 0;
  let leads = 0;
  for await (const page of source.pages(LEADS, PAGE)) {
    const docs = page.map((j) => encodeDocument({ version: 1, ...j.lead }));
    await client.query("INSERT INTO crm_leads (tenant_id, id, version, doc, dates) SELECT 'default', id, 1, doc, dates FROM unnest($1::text[], $2::jsonb[], $3::jsonb[]) AS l(id, doc, dates)", [
      page.map((j) => j.lead.id),
      docs.map((d) => (d.ok ? d.value.json : 'null')),
      docs.map((d) => (d.ok ? d.value.dates : null)),
    ]);
    const appended = await store.appendJourneyEvents(page.map((j: LeadJourney) => ({ leadId: j.lead.id, events: j.events ?? [] })));
    if (!appended.ok) throw new Error(appended.error.message);
    events += appended.value.appended;
    leads += page.length;
    if (leads % 100_000 === 0) log(`  ${source.name}: ${leads} leads, ${events} events loaded`);
  }
  const ms = performance.now() - t0;
  await client.query('VACUUM ANALYZE crm_leads');
  await client.query('VACUUM ANALYZE crm_journey_events');
  return { ms, events };
}

/** The report as comparable text (Dates as ISO strings). */
const text = (r: FunnelReport | ActivityReport | CollectionReport) => JSON.stringify(r);

const timed = <T>(run: () => Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>) => timedRounds(ROUNDS, run);

async function main(): Promise<void> {
  if (URL === undefined || URL === '') {
    console.log('metrics in PostgreSQL: skipped (set DATABASE_URL to run it)');
    return;
  }
  const admin = new pg.Pool({ connectionString: URL, max: 1 });
  const lines: string[] = [];
  // BENCH_PG_LEADS=0: collection alone
  for (const source of LEADS > 0 ? [orderlySource, messySource] : []) {
    await inMigratedSchema(admin, URL, `crm_bench_metrics_${process.pid}`, async (client) => {
      log(`${source.name}: loading ${LEADS} leads`);
      const loaded = await load(client, source);
      const { rows } = await client.query<{ mb: string }>("SELECT round((pg_total_relation_size('crm_leads') + pg_total_relation_size('crm_journey_events')) / 1048576.0) AS mb");
      const store = createPostgresStore({ client });
      for (const reading of ['cohort', 'period'] as const) {
        const query = { reading, ...QUERY };
        const { ms, value: report } = await timed(() => store.measureFunnel(query, NOW));
        const inProcess = await measureFunnel(source.pages(LEADS, PAGE), query, NOW);
        if (!inProcess.ok) throw new Error(inProcess.error.message);
        const same = text(inProcess.value) === text(report);
        lines.push(
          `| ${source.name} | funnel, ${reading} | ${Math.round(ms).toLocaleString('en-US')} ms | ${report.rows.length.toLocaleString('en-US')} | ${report.total.stages.map((s) => s.count).join(' → ')} | ${same ? 'identical' : 'DIFFERENT'} | ${Math.round(loaded.ms / 1000)} s (${loaded.events.toLocaleString('en-US')} events) | ${rows[0]!.mb} MB |`,
        );
        log(lines[lines.length - 1]!);
        if (!same) process.exitCode = 1;
      }
      const activityQuery = { ...QUERY, groupBy: ['owner', 'month'] as const };
      const activity = await timed(() => store.measureActivity({ ...activityQuery, groupBy: [...activityQuery.groupBy] }, NOW));
      const t0 = performance.now();
      const activityInProcess = await measureActivity(source.pages(LEADS, PAGE), { ...activityQuery, groupBy: [...activityQuery.groupBy] }, NOW);
      const inProcessMs = performance.now() - t0;
      if (!activityInProcess.ok) throw new Error(activityInProcess.error.message);
      const sameActivity = text(activityInProcess.value) === text(activity.value);
      const t = activity.value.total;
      lines.push(
        `| ${source.name} | activity (in process: ${Math.round(inProcessMs).toLocaleString('en-US')} ms, generating included) | ${Math.round(activity.ms).toLocaleString('en-US')} ms | ${activity.value.rows.length.toLocaleString('en-US')} | follow-ups ${t.followUps}, assigned ${t.assigned}, signed ${t.signed} | ${sameActivity ? 'identical' : 'DIFFERENT'} | | |`,
      );
      log(lines[lines.length - 1]!);
      if (!sameActivity) process.exitCode = 1;
    });
  }
  const collectionLines: string[] = [];
  for (const source of [rulesPlans, kitPlans]) {
    await inMigratedSchema(admin, URL, `crm_bench_collection_${process.pid}`, async (client) => {
      log(`${source.name}: making and storing ${PLANS} plans`);
      const plans: PaymentPlan[] = [];
      for (const page of source.pages(PLANS, PAGE)) {
        const docs = page.map((p) => encodeDocument(p));
        await client.query("INSERT INTO crm_payment_plans (tenant_id, id, version, doc, dates) SELECT 'default', * FROM unnest($1::text[], $2::int[], $3::jsonb[], $4::jsonb[])", [
          page.map((p) => p.id),
          page.map((p) => p.version),
          docs.map((d) => (d.ok ? d.value.json : 'null')),
          docs.map((d) => (d.ok ? d.value.dates : null)),
        ]);
        plans.push(...page);
      }
      await client.query('VACUUM ANALYZE crm_payment_plans');
      const installments = plans.reduce((n, p) => n + p.installments.length, 0);
      const store = createPostgresStore({ client });
      const query = { ...QUERY, groupBy: ['owner', 'month'] as ('owner' | 'month')[] };
      const sql = await timed(() => store.measureCollection(query, NOW));
      const inMemory = await timed(() => measureCollection(plans, query, NOW));
      const streamed = await timed(() => measureCollection(store.streamPlans(), query, NOW));
      const same = text(sql.value) === text(inMemory.value) && text(sql.value) === text(streamed.value);
      const total = sql.value.total.currencies.slice(0, 2).map((t) => `${t.currency} ${t.collectionRate.value ?? '–'}`).join(', ');
      collectionLines.push(
        `| ${source.name} | ${plans.length.toLocaleString('en-US')} plans, ${installments.toLocaleString('en-US')} installments | ${Math.round(sql.ms).toLocaleString('en-US')} ms | ${Math.round(inMemory.ms).toLocaleString('en-US')} ms | ${Math.round(streamed.ms).toLocaleString('en-US')} ms | ${sql.value.rows.length.toLocaleString('en-US')} | ${total} | ${same ? 'identical' : 'DIFFERENT'} |`,
      );
      log(collectionLines[collectionLines.length - 1]!);
      if (!same) process.exitCode = 1;
    });
  }
  await admin.end();
  console.log(`\nThe funnel by owner × channel × month and activity by owner × month in PostgreSQL (${LEADS.toLocaleString('en-US')} leads; median of ${ROUNDS}; ${cpus().length} cores, load ${loadavg()[0]!.toFixed(1)}):\n`);
  console.log('| source | metric | time | groups | total | vs in process | load (append) | tables |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const line of lines) console.log(line);
  console.log(`\nCollection by owner × month in PostgreSQL (median of ${ROUNDS}):\n`);
  console.log('| source | plans | in the database | in process (plans in memory) | in process (store.streamPlans()) | groups | collection rate (first currencies) | vs in process |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const line of collectionLines) console.log(line);
}

await main();
