/**
 * The opportunity metrics in PostgreSQL: `npx tsx bench/opportunities-postgres.bench.ts` (part
 * of `npm run bench`; skipped without DATABASE_URL).
 *
 * Two sources built on different assumptions:
 * - A, an orderly book: 200 reps evenly, CNY amounts, every opportunity from a lead with its
 *   stage events in order (opened, then advances), reasons from a short list, close dates set;
 * - B, a messy import: reps by Zipf over 500, four currencies (one with three decimals) and a
 *   fifth of the amounts missing, a third with no source lead, 5,000 distinct loss reasons with
 *   stray white space, close dates bunched at month ends or missing, stage events out of order
 *   and some after now, with unrelated events between.
 *
 * For each, in a schema of its own (dropped at the end): the opportunities are inserted as
 * documents and their leads' events appended through `store.appendJourneyEvents`, then
 * `VACUUM ANALYZE`; then `store.measureOpportunities` (owner × month), `store.measurePipeline`
 * (owner × stage) and `store.forecastPipeline` (owner × month, converted to CNY), the median of
 * `BENCH_ROUNDS` runs (default 3) after a warm-up, against the same metric in process over the
 * generated journeys (compute only) and over `store.streamOpportunities()` (what a host would
 * otherwise run: the rows read out of the database and measured). Every report is checked to
 * be identical to the in-process one. `BENCH_PG_OPPORTUNITIES` sets the count (default 300,000).
 */
import pg from 'pg';
import { inMigratedSchema } from './pg-schema.js';
import { timedRounds } from './timing.js';
import { cpus, loadavg } from 'node:os';
import { createPostgresStore, encodeDocument, type PostgresStore, type SqlClient } from '../src/adapters/postgres/index.js';
import type { Opportunity } from '../src/leads/index.js';
import { forecastPipeline, measureOpportunities, measurePipeline, type MetricEvent, type OpportunityJourney } from '../src/metrics/index.js';

const URL = process.env.DATABASE_URL;
const COUNT = Number(process.env.BENCH_PG_OPPORTUNITIES ?? 300_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PAGE = 5_000;
const DAY = 86_400_000;
const YEAR_START = Date.parse('2026-01-01T00:00:00+08:00');
const NOW = '2026-12-20T00:00:00+08:00';
const NOW_MS = Date.parse(NOW);
const STAGES = [
  ['qualify', 10],
  ['needs_confirmed', 30],
  ['proposal', 60],
  ['negotiation', 80],
] as const;

const log = (s: string) => process.stderr.write(`${s}\n`);

/** A seeded generator (mulberry32), so both runs of a source see the same data. */
function random(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/** A generated opportunity and the events of its source lead. */
interface Journey {
  readonly opportunity: Opportunity;
  readonly events: MetricEvent[];
}

interface Source {
  readonly name: string;
  /** The journeys, the same every call; each with the events of its source lead. */
  journeys(): Journey[];
}

function opportunity(fields: {
  id: string;
  owner: string;
  stage: number;
  status: Opportunity['status'];
  created: number;
  closed: number;
  updated: number;
  lead: string | null;
  amount: { currency: string; minor: number } | null;
  expected: number | null;
  reason: string;
}): Opportunity {
  const closed = fields.status !== 'open';
  return {
    id: fields.id,
    version: 1,
    name: `商机 ${fields.id}`,
    customerId: `C-${fields.id}`,
    ownerId: fields.owner,
    stageId: STAGES[fields.stage]![0],
    probability: fields.status === 'won' ? 100 : closed ? 0 : STAGES[fields.stage]![1],
    sourceLeadId: fields.lead,
    channel: null,
    expectedCloseDate: fields.expected === null ? null : new Date(fields.expected),
    amount: fields.amount,
    createdAt: new Date(fields.created),
    createdBy: fields.owner,
    updatedAt: new Date(fields.updated),
    status: fields.status,
    closeReason: fields.status === 'won' ? null : closed ? fields.reason : null,
    closedAt: closed ? new Date(fields.closed) : null,
    closedBy: closed ? fields.owner : null,
  } as Opportunity;
}

const STATUSES: readonly Opportunity['status'][] = ['open', 'open', 'won', 'lost', 'invalid'];

const orderly: Source = {
  name: 'A',
  journeys() {
    const rand = random(1);
    const out: Journey[] = [];
    for (let i = 0; i < COUNT; i++) {
      const created = YEAR_START + rand(330) * DAY + rand(DAY);
      const stage = rand(4);
      const status = STATUSES[rand(5)]!;
      const events: MetricEvent[] = [{ type: 'opportunity.opened', at: new Date(created), data: { stageId: 'qualify' } }];
      let t = created;
      for (let s = 1; s <= stage; s++) events.push({ type: 'opportunity.advanced', at: new Date((t += (1 + rand(10)) * DAY)), data: { toStageId: STAGES[s]![0] } });
      const closed = Math.min(NOW_MS - 1, t + rand(20) * DAY);
      out.push({
        opportunity: opportunity({
          id: `A${String(i).padStart(7, '0')}`,
          owner: `rep-${rand(200)}`,
          stage,
          status,
          created,
          closed,
          updated: status === 'open' ? Math.min(NOW_MS - 1, t) : closed,
          lead: `LA${i}`,
          amount: { currency: 'CNY', minor: (1 + rand(1000)) * 100_000 },
          expected: created + (30 + rand(120)) * DAY,
          reason: ['价格太高', '选择了竞品', '预算取消'][rand(3)]!,
        }),
        events,
      });
    }
    return out;
  },
};

const messy: Source = {
  name: 'B',
  journeys() {
    const rand = random(2);
    const zipf = () => Math.min(499, Math.floor(1 / (1 - rand(1_000_000) / 1_000_000) ** 1.1) - 1);
    const currencies = ['CNY', 'CNY', 'CNY', 'USD', 'JPY', 'KWD'];
    const spaces = ['', ' ', '\u3000', '\n', '\u00a0'];
    const out: Journey[] = [];
    for (let i = 0; i < COUNT; i++) {
      const created = YEAR_START + rand(340) * DAY + rand(DAY);
      const stage = rand(4);
      const status = STATUSES[rand(5)]!;
      const lead = rand(3) === 0 ? null : `LB${rand(COUNT)}`;
      const events: MetricEvent[] = [];
      for (let k = rand(8); k > 0; k--) {
        const at = new Date(created + rand(400) * DAY);
        const kind = rand(4);
        if (kind === 0) events.push({ type: 'opportunity.opened', at, data: { stageId: STAGES[rand(4)]![0] } });
        else if (kind === 1) events.push({ type: ['opportunity.advanced', 'opportunity.steppedBack', 'opportunity.movedToStage'][rand(3)]!, at, data: { toStageId: STAGES[rand(4)]![0] } });
        else if (kind === 2) events.push({ type: 'lead.followedUp', at, data: {} });
        else events.push({ type: 'opportunity.closed', at, data: { outcome: 'lost' } });
      }
      const closed = Math.min(NOW_MS - 1, created + rand(200) * DAY);
      // a month end: the last day of the month the close falls in
      const d = new Date(created + (10 + rand(200)) * DAY);
      const monthEnd = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0, 8);
      out.push({
        opportunity: opportunity({
          id: `B${rand(36 ** 4).toString(36)}${i}`,
          owner: `rep-${zipf()}`,
          stage,
          status,
          created,
          closed,
          updated: status === 'open' ? created + rand(300) * DAY : closed,
          lead,
          amount: rand(5) === 0 ? null : { currency: currencies[rand(currencies.length)]!, minor: rand(2_000_000_000) },
          expected: rand(3) === 0 ? null : rand(2) === 0 ? monthEnd : created + rand(300) * DAY,
          reason: `${spaces[rand(5)]}原因 ${rand(5000)}${spaces[rand(5)]}`,
        }),
        events,
      });
    }
    return out;
  },
};

async function load(client: SqlClient, store: PostgresStore, journeys: readonly Journey[]): Promise<{ ms: number; events: number }> {
  const t0 = performance.now();
  let events = 0;
  for (let start = 0; start < journeys.length; start += PAGE) {
    const page = journeys.slice(start, start + PAGE);
    const docs = page.map((j) => encodeDocument(j.opportunity));
    await client.query("INSERT INTO crm_opportunities (tenant_id, id, version, doc, dates) SELECT 'default', id, 1, doc, dates FROM unnest($1::text[], $2::jsonb[], $3::jsonb[]) AS o(id, doc, dates)", [
      page.map((j) => j.opportunity.id),
      docs.map((d) => (d.ok ? d.value.json : 'null')),
      docs.map((d) => (d.ok ? d.value.dates : null)),
    ]);
    const entries = page.filter((j) => j.opportunity.sourceLeadId !== null && j.events.length > 0).map((j) => ({ leadId: j.opportunity.sourceLeadId!, events: j.events }));
    if (entries.length > 0) {
      const appended = await store.appendJourneyEvents(entries);
      if (!appended.ok) throw new Error(appended.error.message);
      events += appended.value.appended;
    }
  }
  const ms = performance.now() - t0;
  await client.query('VACUUM ANALYZE crm_opportunities');
  await client.query('VACUUM ANALYZE crm_journey_events');
  return { ms, events };
}

/** What the in-process metrics read from the generated data: each opportunity with the opportunity events of its source lead, every lead's events together (leads are shared in B). */
function asStored(journeys: readonly Journey[]): OpportunityJourney[] {
  const byLead = new Map<string, MetricEvent[]>();
  for (const j of journeys) {
    const lead = j.opportunity.sourceLeadId;
    if (lead === null || j.events.length === 0) continue;
    const list = byLead.get(lead) ?? [];
    list.push(...j.events);
    byLead.set(lead, list);
  }
  return [...journeys]
    .sort((a, b) => (a.opportunity.id < b.opportunity.id ? -1 : 1))
    .map((j) => ({ opportunity: j.opportunity, events: (j.opportunity.sourceLeadId === null ? [] : (byLead.get(j.opportunity.sourceLeadId) ?? [])).filter((e) => e.type.startsWith('opportunity.')) }));
}

const timed = <T>(run: () => Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>) => timedRounds(ROUNDS, run);

async function main(): Promise<void> {
  if (URL === undefined || URL === '') {
    console.log('opportunity metrics in PostgreSQL: skipped (set DATABASE_URL to run it)');
    return;
  }
  const admin = new pg.Pool({ connectionString: URL, max: 1 });
  const lines: string[] = [];
  const ms = (x: number) => `${Math.round(x).toLocaleString('en-US')} ms`;
  for (const source of [orderly, messy]) {
    await inMigratedSchema(admin, URL, `crm_bench_deals_${process.pid}`, async (client) => {
      const store = createPostgresStore({ client, pageSize: 2_000 });
      const generated = source.journeys();
      log(`${source.name}: loading ${COUNT} opportunities`);
      const loaded = await load(client, store, generated);
      const journeys = asStored(generated);
      const window = { from: '2026-01-01T00:00:00+08:00', to: '2027-01-01T00:00:00+08:00', zone: 'Asia/Shanghai' };
      const cases = [
        ['closed, owner × month', { ...window, groupBy: ['owner', 'month'] }, (q: never) => store.measureOpportunities(q, NOW), (j: OpportunityJourney[] | AsyncIterable<readonly OpportunityJourney[]>, q: never) => measureOpportunities(j, q, NOW)],
        ['pipeline, owner × stage', { zone: 'Asia/Shanghai', groupBy: ['owner', 'stage'] }, (q: never) => store.measurePipeline(q, NOW), (j: OpportunityJourney[] | AsyncIterable<readonly OpportunityJourney[]>, q: never) => measurePipeline(j, q, NOW)],
        [
          'forecast, owner × month, in CNY',
          { ...window, groupBy: ['owner', 'month'], reportingCurrency: 'CNY', rates: [{ currency: 'USD', rate: '7.1234' }, { currency: 'JPY', rate: '0.048' }, { currency: 'KWD', rate: '23.1' }] },
          (q: never) => store.forecastPipeline(q, NOW),
          (j: OpportunityJourney[] | AsyncIterable<readonly OpportunityJourney[]>, q: never) => forecastPipeline(j, q, NOW),
        ],
      ] as const;
      for (const [label, query, inDatabase, inProcess] of cases) {
        const sql = await timed(() => inDatabase(query as never) as never);
        const compute = await timed(() => inProcess(journeys, query as never) as never);
        const streamed = await timed(() => inProcess(store.streamOpportunities(), query as never) as never);
        const same = JSON.stringify(sql.value) === JSON.stringify(compute.value) && JSON.stringify(sql.value) === JSON.stringify(streamed.value);
        lines.push(`| ${source.name} | ${label} | ${ms(sql.ms)} | ${ms(streamed.ms)} | ${ms(compute.ms)} | ${(sql.value as { rows: unknown[] }).rows.length.toLocaleString('en-US')} | ${same ? 'identical' : 'DIFFERENT'} | ${Math.round(loaded.ms / 1000)} s (${loaded.events.toLocaleString('en-US')} events) |`);
        log(lines[lines.length - 1]!);
        if (!same) process.exitCode = 1;
      }
    });
  }
  await admin.end();
  console.log(`\nThe opportunity metrics in PostgreSQL (${COUNT.toLocaleString('en-US')} opportunities; median of ${ROUNDS}; ${cpus().length} cores, load ${loadavg()[0]!.toFixed(1)}):\n`);
  console.log('| source | metric | in the database | streamed out and measured | in process (compute only) | groups | reports | load |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const line of lines) console.log(line);
}

await main();
