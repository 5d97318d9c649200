/**
 * Lead journeys in the database (internal to `crm-rules/postgres`; the store's methods): the
 * events of each lead appended to `crm_journey_events`, journeys streamed back as the metrics
 * read them, and the funnel computed where the data is — the same report as `measureFunnel`
 * over the same journeys, to the count, rate and minute.
 */
import type { CrmError } from '../../core/errors.js';
import { marketingRows, openMarketing } from '../../core/marketing-figures.js';
import type { CurrencyCode, Money } from '../../core/money.js';
import type { ErrorDetails } from '../../core/details.js';
import { ACTIVITY_COUNTS, activityRow } from '../../core/activity-figures.js';
import { chainStages, metricDoor, NOTHING_MEASURED, reportHead, type Durations, type GroupValue } from '../../core/measures.js';
import { ok, type Result } from '../../core/result.js';
import { zonedDaysIn } from '../../core/time.js';
import { deepFreeze, instantMs, isIdText } from '../../core/validation.js';
import {
  activityQuerySchema,
  type ActivityReport,
  FUNNEL_STAGES,
  type PeriodUnit,
  funnelQuerySchema,
  marketingQuerySchema,
  type MarketingReport,
  measureActivity,
  measureFunnel,
  measurePipeline,
  type FunnelReport,
  type FunnelRow,
  type GroupDimension,
  type LeadJourney,
  type MetricEvent,
} from '../../metrics/index.js';
import { parseOpportunity } from '../../leads/index.js';
import type { SqlRow } from './client.js';
import { decodeRow, encodeOrRefuse } from './documents.js';
import type { TenantClient } from './tenancy.js';
import { durationsOf, fixedKeySql, msSql, pagesById, PERCENTILES_SQL, periodFirstSql, queryInZone, refusal, SqlGroups, windowedStatement } from './metric-sql.js';

/**
 * The events of one lead's journey to append: the lead's own and those of the opportunity it
 * converted into, as the rules returned them (or JSON of them), in the order they happened
 * (events at one instant are read in the order given).
 *
 * @example
 * const entry: JourneyEventsInput = { leadId: 'L-1', events: [{ type: 'lead.markedMql', at: '2026-03-05T10:00:00+08:00', data: { stageTo: 'mql' } }] };
 */
export interface JourneyEventsInput {
  readonly leadId: string;
  readonly events: readonly MetricEvent[];
}

/** Most entries one append takes, and most events in all. */
const MAX_ENTRIES = 100_000;
const MAX_EVENTS = 1_000_000;
/** Events per INSERT statement of an append. */
const INSERT_BATCH = 5_000;

/** A window that takes every supported instant, for reading entries through the metrics' own readers. */
const WHOLE_RANGE = { from: '0001-01-01T00:00:00.000Z', to: '9999-12-31T23:59:59.999Z', zone: 'UTC' } as const;
const LAST_INSTANT = '9999-12-31T23:59:59.999Z';

/** The first issue of a refusal, its path under `entries` (the metrics number journeys as the entries). */
function entryIssue(error: CrmError): Result<never, CrmError> {
  const first = (error.details as ErrorDetails<'INVALID_INPUT'>).issues[0];
  const path = first === undefined ? ['entries'] : ['entries', ...first.path.slice(1)];
  return refusal({ path, message: first?.message ?? error.message });
}

interface EncodedEvent {
  /** The entry it came in. */
  readonly entry: number;
  readonly leadId: string;
  readonly at: string;
  readonly json: string;
  readonly dates: string | null;
}

/**
 * Reads the entries of an append: each event an object with a `type` (1–200 characters of
 * safe text) and an instant `at`, storable, and read by the funnel's and the activity measures'
 * own readers (what they refuse is refused here, so every stored journey reads). The events
 * encoded in order, or the first issue.
 */
export async function readJourneyEntries(entries: unknown): Promise<Result<readonly EncodedEvent[], CrmError>> {
  let read: Result<readonly EncodedEvent[], CrmError> | Promise<Result<readonly EncodedEvent[], CrmError>>;
  try {
    read = readEntries(entries);
  } catch {
    // a getter or a proxy that throws: the entries do not read
    return refusal({ path: ['entries'], message: 'the entries could not be read' });
  }
  return read;
}

function readEntries(entries: unknown): Result<readonly EncodedEvent[], CrmError> | Promise<Result<readonly EncodedEvent[], CrmError>> {
  if (!Array.isArray(entries)) return refusal({ path: ['entries'], message: 'expected an array of { leadId, events }' });
  const length = entries.length;
  if (length > MAX_ENTRIES) return refusal({ path: ['entries'], message: `an append takes at most ${MAX_ENTRIES} entries` });
  const journeys: LeadJourney[] = [];
  const out: EncodedEvent[] = [];
  for (let i = 0; i < length; i++) {
    const entry: unknown = entries[i];
    if (typeof entry !== 'object' || entry === null) return refusal({ path: ['entries', i], message: 'expected { leadId, events }' });
    const leadId = (entry as Record<string, unknown>).leadId;
    if (!isIdText(leadId)) return refusal({ path: ['entries', i, 'leadId'], message: 'expected an id (1–200 characters of safe text)' });
    const events = (entry as Record<string, unknown>).events;
    if (!Array.isArray(events)) return refusal({ path: ['entries', i, 'events'], message: 'expected an array of events' });
    const count = events.length;
    if (out.length + count > MAX_EVENTS) return refusal({ path: ['entries', i, 'events'], message: `an append takes at most ${MAX_EVENTS} events in all` });
    const copies: MetricEvent[] = [];
    for (let k = 0; k < count; k++) {
      const e: unknown = events[k];
      const at = ['entries', i, 'events', k];
      if (typeof e !== 'object' || e === null || Array.isArray(e)) return refusal({ path: at, message: 'expected an event: { type, at, data }' });
      // read once: the event is copied as stored, and everything after reads the copy
      const encoded = encodeOrRefuse(e, at);
      if (!encoded.ok) return encoded;
      const copy = decodeRow<MetricEvent>(encoded.value.json, encoded.value.dates);
      if (!isIdText(copy.type)) return refusal({ path: [...at, 'type'], message: 'expected the event type (1–200 characters of safe text)' });
      const t = instantMs(copy.at);
      if (t !== t) return refusal({ path: [...at, 'at'], message: 'expected an instant from 0001 to 9999 (a Date or an ISO 8601 string with an offset)' });
      out.push({ entry: i, leadId, at: new Date(t).toISOString(), json: encoded.value.json, dates: encoded.value.dates });
      copies.push(copy);
    }
    journeys.push({ lead: { id: leadId, createdAt: WHOLE_RANGE.from }, events: copies });
  }
  return readThrough(journeys, out);
}

/** An open opportunity that reads, for reading a journey's events as the pipeline reads an opportunity's (its stage changes). */
const PROBE = Object.freeze({
  id: 'probe',
  version: 1,
  name: 'probe',
  customerId: 'probe',
  ownerId: 'probe',
  stageId: 'probe',
  probability: 0,
  sourceLeadId: null,
  expectedCloseDate: null,
  createdAt: WHOLE_RANGE.from,
  createdBy: 'probe',
  updatedAt: WHOLE_RANGE.from,
  status: 'open',
  closeReason: null,
  closedAt: null,
  closedBy: null,
});

let parsedProbe: unknown = null;
/** The probe as the opportunity rules parse it (sealed: read again without a second parse). */
function probe(): unknown {
  if (parsedProbe === null) {
    const parsed = parseOpportunity(PROBE);
    parsedProbe = parsed.ok ? parsed.value : PROBE;
  }
  return parsedProbe;
}

/**
 * The journeys read by the funnel's, the activity measures' and the pipeline's own readers
 * (the pipeline reads the opportunity events of a lead's journey): the events, or the first
 * issue they find.
 */
async function readThrough(journeys: readonly LeadJourney[], out: readonly EncodedEvent[]): Promise<Result<readonly EncodedEvent[], CrmError>> {
  const funnel = await measureFunnel(journeys, { reading: 'cohort', ...WHOLE_RANGE }, LAST_INSTANT);
  if (!funnel.ok) return entryIssue(funnel.error);
  const activity = await measureActivity(journeys, WHOLE_RANGE, LAST_INSTANT);
  if (!activity.ok) return entryIssue(activity.error);
  const pipeline = await measurePipeline(
    journeys.map((j) => ({ opportunity: probe(), events: j.events })),
    { zone: 'UTC' },
    LAST_INSTANT,
  );
  if (!pipeline.ok) return entryIssue(pipeline.error);
  return ok(out);
}

/** Most events one lead's journey holds, stored and appended (what the metrics read of one journey). */
const MAX_JOURNEY_EVENTS = 1_000_000;

/**
 * The refusal of an append that would take a lead's journey past `MAX_JOURNEY_EVENTS` (its
 * events stored and those of the call, over every entry naming it), at the first entry of that
 * lead; null when every journey has room. Read inside the append's transaction.
 */
export async function journeyRoom(tx: { query<R extends SqlRow = SqlRow>(text: string, params?: readonly unknown[]): Promise<{ readonly rows: R[] }> }, tenant: string, events: readonly EncodedEvent[]): Promise<Result<never, CrmError> | null> {
  const appended = new Map<string, { n: number; entry: number }>();
  for (const e of events) {
    const seen = appended.get(e.leadId);
    if (seen === undefined) appended.set(e.leadId, { n: 1, entry: e.entry });
    else seen.n++;
  }
  const { rows } = await tx.query<{ lead_id: string; n: string | number }>(
    'SELECT lead_id, count(*) AS n FROM crm_journey_events WHERE tenant_id = $1 AND lead_id = ANY($2::text[]) GROUP BY lead_id',
    [tenant, [...appended.keys()]],
  );
  const stored = new Map(rows.map((r) => [r.lead_id, Number(r.n)]));
  for (const [leadId, { n, entry }] of appended) {
    if ((stored.get(leadId) ?? 0) + n > MAX_JOURNEY_EVENTS) {
      return refusal({ path: ['entries', entry, 'events'], message: `a lead's journey holds at most ${MAX_JOURNEY_EVENTS} events (those stored and those appended)` });
    }
  }
  return null;
}

/** Appends encoded events in the given order, in batched statements (inside the caller's unit). */
export async function insertJourneyEvents(tx: { query(text: string, params?: readonly unknown[]): Promise<unknown> }, tenant: string, events: readonly EncodedEvent[]): Promise<void> {
  for (let start = 0; start < events.length; start += INSERT_BATCH) {
    const batch = events.slice(start, start + INSERT_BATCH);
    await tx.query(
      `INSERT INTO crm_journey_events (tenant_id, lead_id, at, doc, dates)
       SELECT $1, e.lead_id, e.at, e.doc, e.dates FROM unnest($2::text[], $3::timestamptz[], $4::jsonb[], $5::jsonb[]) WITH ORDINALITY AS e(lead_id, at, doc, dates, n)
       ORDER BY e.n`,
      [tenant, batch.map((e) => e.leadId), batch.map((e) => e.at), batch.map((e) => e.json), batch.map((e) => e.dates)],
    );
  }
}

/** A lead, its events in the order appended, and the opportunity it converted into (by `sourceLeadId`), for one tenant. */
const JOURNEYS = `SELECT l.id, l.doc, l.dates,
    (SELECT coalesce(jsonb_agg(jsonb_build_array(e.doc, e.dates) ORDER BY e.seq), '[]'::jsonb)
       FROM crm_journey_events e WHERE e.tenant_id = l.tenant_id AND e.lead_id = l.id) AS events,
    (SELECT jsonb_build_array(o.doc, o.dates) FROM crm_opportunities o
      WHERE o.tenant_id = l.tenant_id AND o.source_lead_id = l.id ORDER BY o.id LIMIT 1) AS opportunity
  FROM crm_leads l WHERE l.tenant_id = $1`;

function journeyOf(row: SqlRow): LeadJourney {
  const events = (typeof row.events === 'string' ? JSON.parse(row.events) : row.events) as [unknown, unknown][];
  const opportunity = (typeof row.opportunity === 'string' ? JSON.parse(row.opportunity) : row.opportunity) as [unknown, unknown] | null;
  return {
    lead: decodeRow(row.doc, row.dates),
    events: events.map(([doc, dates]) => decodeRow<MetricEvent>(doc, dates)),
    ...(opportunity === null || opportunity === undefined ? {} : { opportunity: decodeRow(opportunity[0], opportunity[1]) }),
  };
}

/**
 * The tenant's lead journeys by lead id, a page at a time: through a server-side cursor (a
 * pool of connections) or keyset pages (one connection).
 */
export function streamJourneysOf(db: TenantClient, pageSize: number): AsyncGenerator<readonly LeadJourney[]> {
  return pagesById(db, JOURNEYS, 'l.id', pageSize, journeyOf);
}

/** Fates of a lead in the records' counts. */
const COUNTED = 0;
const EXCLUDED = 1;
const OUTSIDE = 2;

/**
 * The funnel's standing reaches of every lead of the tenant, by the written rule of the
 * in-process reader, set-wise: a stage is taken back by the last event that lowers the lead
 * below it (a correction to a stage under it, or a won deal reopened, for won), and is reached
 * at the first event after that which raises the lead to it or past it (passing it over when
 * the event raised a later stage). `own` (bit s) is set when the event raised stage s on its own.
 */
const REACHES = `
ev AS (
  SELECT lead_id, at, funnel AS code, row_number() OVER (PARTITION BY lead_id ORDER BY at, seq) AS pos
  FROM crm_journey_events WHERE tenant_id = $1 AND funnel IS NOT NULL AND at <= $2
),
coded AS (
  SELECT lead_id, at, pos, code,
    CASE WHEN code >> 3 IN (1, 2, 6) THEN code & 7 END AS raises,
    CASE code >> 3 WHEN 6 THEN 4 | ((code & 7) / 3) * 8 ELSE 1 << (code & 7) END AS own,
    CASE code >> 3 WHEN 2 THEN code & 7 WHEN 3 THEN 3 END AS lowers
  FROM ev
),
bounded AS (
  SELECT lead_id, at, pos, code, raises, own,
    coalesce(max(pos) FILTER (WHERE lowers < 1) OVER w, 0) AS l1,
    coalesce(max(pos) FILTER (WHERE lowers < 2) OVER w, 0) AS l2,
    coalesce(max(pos) FILTER (WHERE lowers < 3) OVER w, 0) AS l3,
    coalesce(max(pos) FILTER (WHERE lowers < 4) OVER w, 0) AS l4
  FROM coded WINDOW w AS (PARTITION BY lead_id)
),
reached AS (
  SELECT lead_id,
    min(at) FILTER (WHERE raises >= 1 AND pos > l1) AS r1, min(pos * 64 + own) FILTER (WHERE raises >= 1 AND pos > l1) % 64 AS o1,
    min(at) FILTER (WHERE raises >= 2 AND pos > l2) AS r2, min(pos * 64 + own) FILTER (WHERE raises >= 2 AND pos > l2) % 64 AS o2,
    min(at) FILTER (WHERE raises >= 3 AND pos > l3) AS r3, min(pos * 64 + own) FILTER (WHERE raises >= 3 AND pos > l3) % 64 AS o3,
    min(at) FILTER (WHERE raises >= 4 AND pos > l4) AS r4, min(pos * 64 + own) FILTER (WHERE raises >= 4 AND pos > l4) % 64 AS o4,
    coalesce(max(pos) FILTER (WHERE code = 32), 0) > coalesce(max(pos) FILTER (WHERE code = 40), 0) AS voided
  FROM bounded GROUP BY lead_id
)`;

/** What the database answers a funnel with: one row per (group, stage) and per stage of the total; the records' counts as stages -10 - fate. */
interface FigureRow extends SqlRow {
  total: number;
  gk: unknown;
  pk: unknown;
  stage: number;
  n: string | number;
  measured: string | number;
  median: string | number | null;
  p90: string | number | null;
}

const num = (v: unknown): number => Number(v);

/**
 * The funnel of `measureFunnel`, computed in the database over the tenant's leads
 * (`crm_leads`) and their journey events (`crm_journey_events`): the same query, the same
 * written rule, the same report (`records.read` counts every lead of the tenant).
 */
export async function funnelInDatabase(db: TenantClient, query: unknown, now: unknown): Promise<Result<FunnelReport, CrmError>> {
  const door = metricDoor(funnelQuerySchema, query, now);
  if (!door.ok) return door;
  const { reading, from, to, zone, weekStartsOn, groupBy, teams } = door.value.query;
  const dims = groupBy as readonly GroupDimension[];
  const opening = await windowedStatement(db, { now: door.value.now, from, to, zone, teams }, dims, 'l');
  if (!opening.ok) return opening;
  const { params, periodAt, team } = opening.value;
  const reachOf = (s: number) => (s === 0 ? 'l.created' : `l.r${s}`);
  const inWindow = (t: string) => `(${t} >= $3::timestamptz AND ${t} < $4::timestamptz)`;
  /**
   * A lead's group is its values on every dimension but the period (computed once a lead) and
   * the period (of its creation in the cohort reading, of each stage's reach in the period reading).
   */
  const fixedKey = fixedKeySql(dims, 'l', params);
  const label = (t: string) => (periodAt < 0 ? 'NULL::int' : periodFirstSql(dims[periodAt] as PeriodUnit, t, weekStartsOn));
  const seen = [0, 1, 2, 3, 4].map((s) => `coalesce(${inWindow(s === 0 ? 'l.created' : `r.r${s}`)}, false)`).join(' OR ');
  const fate = `CASE WHEN l.created > $2::timestamptz OR NOT ${reading === 'cohort' ? inWindow('l.created') : `(${seen})`} THEN ${OUTSIDE} WHEN coalesce(r.voided, false) THEN ${EXCLUDED} ELSE ${COUNTED} END`;
  const own = (s: number) => (s === 0 ? 'true' : `(l.o${s} >> ${s}) & 1 = 1`);
  /** Stage s of a counted lead: kept when reached (in the window, for the period reading), its period, and its time from the stage before when both were reached on their own. */
  const kept = (s: number) => `l.fate = ${COUNTED} AND ${reachOf(s)} IS NOT NULL${reading === 'period' ? ` AND ${inWindow(reachOf(s))}` : ''}`;
  const periodOfStage = (s: number) => (reading === 'cohort' ? 'l.pk' : `CASE WHEN ${kept(s)} THEN ${label(reachOf(s))} END`);
  const timeOfStage = (s: number) => (s === 0 ? 'NULL::bigint' : `CASE WHEN ${own(s)} AND ${own(s - 1)} THEN crm_kept_minutes(greatest(l.m${s} - l.m${s - 1}, 0) / 60000) END`);
  const STAGES = [0, 1, 2, 3, 4];
  // OFFSET 0 keeps each subquery whole: what it computes (the instant parsed, the fate, the
  // cohort's group) is computed once a lead, not once for every reference to it
  const sql = `
WITH ${REACHES},
leads AS (
  SELECT l.id, l.doc, l.created, ${msSql('l.created')} AS m0, ${team.team} AS team
  FROM (SELECT id, doc, (doc->>'createdAt')::timestamptz AS created FROM crm_leads WHERE tenant_id = $1 OFFSET 0) l ${team.join}
  OFFSET 0
),
fated AS (
  SELECT l.doc, l.created, l.team, l.m0, r.r1, r.r2, r.r3, r.r4, r.o1, r.o2, r.o3, r.o4,
    ${[1, 2, 3, 4].map((s) => `${msSql(`r.r${s}`)} AS m${s}`).join(', ')}, ${fate} AS fate, ${fixedKey} AS gk${reading === 'cohort' ? `, ${label('l.created')} AS pk` : ''}
  FROM leads l LEFT JOIN reached r ON r.lead_id = l.id
  OFFSET 0
),
staged AS (
  SELECT l.gk, s.pk, s.stage, s.d
  FROM fated l
  -- a lead's stages as rows (and its fate as stage -10 - fate): arrays unnested, each expression compiled once
  CROSS JOIN LATERAL unnest(
    ARRAY[0, 1, 2, 3, 4, -10 - l.fate],
    ARRAY[${STAGES.map(periodOfStage).join(', ')}, NULL::int],
    ARRAY[${STAGES.map(timeOfStage).join(', ')}, NULL::bigint],
    ARRAY[${STAGES.map(kept).join(', ')}, true]
  ) AS s(stage, pk, d, kept)
  WHERE s.kept
),
figures AS (
  SELECT GROUPING(gk) AS total, gk, pk, stage, count(*) AS n, count(d) AS measured, array_agg(d ORDER BY d) FILTER (WHERE d IS NOT NULL) AS ds
  FROM staged GROUP BY GROUPING SETS ((gk, pk, stage), (stage))
)
SELECT total, gk, pk, stage, n, measured, ${PERCENTILES_SQL} FROM figures`;
  const { rows } = await queryInZone<FigureRow>(db, opening.value.zone, sql, params);
  const records = { read: 0, counted: 0, excluded: 0, skipped: 0, issues: [] as never[] };
  const openStages = () => ({ counts: [0, 0, 0, 0, 0], times: FUNNEL_STAGES.map(() => NOTHING_MEASURED) as Durations[] });
  const groups = new SqlGroups(dims, openStages);
  const total = openStages();
  for (const row of rows) {
    const stage = num(row.stage);
    const n = num(row.n);
    if (stage < 0) {
      if (num(row.total) !== 1) continue;
      records.read += n;
      if (stage === -10 - COUNTED) records.counted += n;
      else if (stage === -10 - EXCLUDED) records.excluded += n;
      continue;
    }
    const g = num(row.total) === 1 ? total : groups.at(row.gk, row.pk);
    g.counts[stage] = n;
    g.times[stage] = durationsOf(row.measured, row.median, row.p90);
  }
  const rowOf = (group: readonly GroupValue[], f: { counts: readonly number[]; times: readonly Durations[] }): FunnelRow =>
    Object.freeze({ group: Object.freeze([...group]), stages: chainStages(FUNNEL_STAGES, f.counts, (s) => f.times[s]!) });
  const report: FunnelReport = {
    reading,
    ...reportHead(from.getTime(), to.getTime(), door.value.now, zone, dims),
    weekStartsOn,
    rows: Object.freeze(groups.sorted().map((g) => rowOf(g.group, g.figures))),
    total: rowOf([], total),
    records: deepFreeze(records),
  };
  return ok(Object.freeze(report));
}

/** What the database answers marketing with: per group and revenue currency (null: none), the leads, MQLs and won and the revenue; the records' counts as kind `n`. */
interface MarketingFigureRow extends SqlRow {
  kind: string;
  total: number;
  gk: unknown;
  pk: unknown;
  cur: string | null;
  n: string | number;
  mqls: string | number;
  won: string | number;
  s: string | null;
}

/**
 * The marketing report of `measureMarketing`, computed in the database over the tenant's leads,
 * their journey events and the opportunities they converted into (the first by id, as
 * `streamJourneys` gives it): the cohort of the funnel, its MQLs and wins by the same written
 * rule, the revenue of its won deals, and the host's costs applied in process by the metric's
 * own function.
 */
export async function marketingInDatabase(db: TenantClient, query: unknown, now: unknown): Promise<Result<MarketingReport, CrmError>> {
  const door = metricDoor(marketingQuerySchema, query, now);
  if (!door.ok) return door;
  const { from, to, zone, weekStartsOn, groupBy, teams, costs } = door.value.query;
  const dims = groupBy as readonly GroupDimension[];
  const opening = await windowedStatement(db, { now: door.value.now, from, to, zone, teams }, dims, 'l');
  if (!opening.ok) return opening;
  const { params, periodAt, team } = opening.value;
  const pk = periodAt < 0 ? 'NULL::int' : periodFirstSql(dims[periodAt] as PeriodUnit, 'l.created', weekStartsOn);
  const sql = `
WITH ${REACHES},
leads AS (
  SELECT l.id, l.doc, l.created, ${team.team} AS team
  FROM (SELECT id, doc, (doc->>'createdAt')::timestamptz AS created FROM crm_leads WHERE tenant_id = $1 OFFSET 0) l ${team.join}
  OFFSET 0
),
cohort AS MATERIALIZED (
  SELECT l.id, ${fixedKeySql(dims, 'l', params)} AS gk, ${pk} AS pk, coalesce(r.voided, false) AS voided, r.r1 IS NOT NULL AS mql, r.r4 IS NOT NULL AS won
  FROM leads l LEFT JOIN reached r ON r.lead_id = l.id
  WHERE l.created <= $2::timestamptz AND l.created >= $3::timestamptz AND l.created < $4::timestamptz
),
-- a won lead's revenue: its opportunity (the first by id), won by now, with an amount
x AS (
  SELECT c.gk, c.pk, c.mql, c.won,
    CASE WHEN o.doc->>'status' = 'won' AND (o.doc->>'closedAt')::timestamptz <= $2::timestamptz THEN o.doc->'amount'->>'currency' END AS cur,
    CASE WHEN o.doc->>'status' = 'won' AND (o.doc->>'closedAt')::timestamptz <= $2::timestamptz THEN (o.doc->'amount'->>'minor')::numeric END AS minor
  FROM cohort c
  LEFT JOIN LATERAL (SELECT o.doc FROM crm_opportunities o WHERE c.won AND o.tenant_id = $1 AND o.source_lead_id = c.id ORDER BY o.id LIMIT 1) o ON true
  WHERE NOT c.voided
)
SELECT 'a'::text AS kind, GROUPING(gk)::int AS total, gk::text AS gk, pk::int AS pk, cur, count(*) AS n, count(*) FILTER (WHERE mql) AS mqls, count(*) FILTER (WHERE won) AS won, sum(minor)::text AS s
FROM x GROUP BY GROUPING SETS ((gk, pk, cur), (cur))
UNION ALL
SELECT 'n', 1, NULL, NULL, NULL, (SELECT count(*) FROM crm_leads WHERE tenant_id = $1), (SELECT count(*) FROM cohort WHERE NOT voided), (SELECT count(*) FROM cohort WHERE voided), NULL`;
  const { rows } = await queryInZone<MarketingFigureRow>(db, opening.value.zone, sql, params);
  const groups = new SqlGroups(dims, openMarketing);
  const total = openMarketing();
  const records = { read: 0, counted: 0, excluded: 0, skipped: 0, issues: [] as never[] };
  for (const row of rows) {
    if (row.kind === 'n') {
      records.read = num(row.n);
      records.counted = num(row.mqls);
      records.excluded = num(row.won);
      continue;
    }
    const f = num(row.total) === 1 ? total : groups.at(row.gk, row.pk);
    f.leads += num(row.n);
    f.mqls += num(row.mqls);
    f.won += num(row.won);
    if (row.cur !== null && row.s !== null) f.revenue.addNumerator(row.cur as CurrencyCode, BigInt(row.s));
  }
  return ok(
    Object.freeze({
      ...reportHead(from.getTime(), to.getTime(), door.value.now, zone, dims),
      ...marketingRows(groups.sorted(), total, costs as readonly { readonly group: readonly GroupValue[]; readonly amount: Money }[]),
      records: deepFreeze(records),
    }),
  );
}

/** What an activity event is in SQL (the in-process reader's kinds): 1 a follow-up, 2 an owner given, 3 an owner taken away; 10 the conversion, 11 the win. */
const ACTIVITY_EVENT_SQL = `CASE e.type WHEN 'lead.followedUp' THEN 1 WHEN 'lead.markedMql' THEN 1
      WHEN 'lead.created' THEN 2 WHEN 'lead.assigned' THEN 2 WHEN 'lead.claimed' THEN 2 WHEN 'lead.ownerChanged' THEN 2 ELSE 3 END`;
const ACTIVITY_TYPES = ['lead.followedUp', 'lead.markedMql', 'lead.created', 'lead.assigned', 'lead.claimed', 'lead.ownerChanged', 'lead.returned', 'lead.reclaimed', 'lead.transferred'];
/** Who an activity event names: a follow-up's actor, the new owner of an owner given. */
const ACTIVITY_WHO_SQL = `CASE WHEN e.type IN ('lead.followedUp', 'lead.markedMql') THEN e.doc->>'actorId'
      WHEN e.type = 'lead.ownerChanged' THEN e.doc->'data'->>'ownerTo'
      WHEN e.type IN ('lead.created', 'lead.assigned', 'lead.claimed') THEN e.doc->'data'->>'ownerId' END`;

/** Most day starts an activity statement is given (a window of about 270 years): a longer window is measured in process. */
const MAX_DAY_STARTS = 100_000;

/** What the database answers activity with: the counts per group and of the total (`total` 1), in `ACTIVITY_COUNTS` order; the records' counts as kind `n`. */
interface ActivityFigureRow extends SqlRow {
  kind: string;
  total: number;
  gk: unknown;
  pk: unknown;
  c: (string | number)[];
}

/**
 * The activity report of `measureActivity`, computed in the database over the tenant's leads
 * and their journey events, with the conversion and the win at the funnel's standing reaches:
 * each lead's timeline in time order (the conversion and the win after the events of their
 * instant), its owner at each event, the follow-up deadline of an assignment on the rules' own
 * calendar of the query's zone (the day starts passed in), the same counts by the same rule.
 * `inProcess` answers a window too long to pass its days, or one the calendar cannot place.
 */
export async function activityInDatabase(db: TenantClient, query: unknown, now: unknown, inProcess: () => Promise<Result<ActivityReport, CrmError>>): Promise<Result<ActivityReport, CrmError>> {
  const door = metricDoor(activityQuerySchema, query, now);
  if (!door.ok) return door;
  const { from, to, zone, weekStartsOn, groupBy, teams, followUpWithinDays, invitationChannels } = door.value.query;
  const dims = groupBy as readonly GroupDimension[];
  const opening = await windowedStatement(db, { now: door.value.now, from, to, zone, teams }, dims, 'x', 'x.rep');
  if (!opening.ok) return opening;
  const { params, periodAt, team } = opening.value;
  // the follow-up deadline is the first instant of a day of the query's zone, on the rules' own
  // calendar (never the database's zone data): the first instant of every day from the window's
  // first to its last assignment's deadline, passed in; an assignment's day is found among them
  let dayStarts: number[];
  try {
    const calendar = zonedDaysIn(zone);
    const first = calendar.day(from.getTime());
    const last = calendar.day(to.getTime() - 1) + followUpWithinDays + 1;
    if (last - first + 1 > MAX_DAY_STARTS) return inProcess();
    dayStarts = Array.from({ length: last - first + 1 }, (_, k) => calendar.start(first + k));
  } catch {
    return inProcess();
  }
  const types = params.add(ACTIVITY_TYPES);
  const invites = params.add([...invitationChannels]);
  const starts = params.add(dayStarts);
  const ahead = params.add(followUpWithinDays + 1);
  const pk = periodAt < 0 ? 'NULL::int' : periodFirstSql(dims[periodAt] as PeriodUnit, 'x.at', weekStartsOn);
  // the lead's own values (pool, channel, attributes) are read only when a dimension asks for them: owner and team are the rep's
  const leadDoc = dims.some((d) => d === 'pool' || d === 'channel' || d.startsWith('attribute:'));
  const counts = [
    'count(*) FILTER (WHERE kind = 1)',
    'count(DISTINCT lead_id) FILTER (WHERE kind = 1)',
    'count(*) FILTER (WHERE kind = 2)',
    'count(*) FILTER (WHERE kind = 2 AND in_time)',
    'count(*) FILTER (WHERE kind = 1 AND invited)',
    'count(DISTINCT lead_id) FILTER (WHERE kind = 1 AND invited)',
    'count(*) FILTER (WHERE kind = 10)',
    'count(*) FILTER (WHERE kind = 11)',
  ];
  const sql = `
WITH ${REACHES},
-- createdAt is read as the in-process reader reads it (a lead whose instant does not read is measured in process)
leads AS MATERIALIZED (
  SELECT l.id, CASE WHEN jsonb_typeof(l.doc->'ownerId') = 'string' THEN l.doc->>'ownerId' END AS stored_owner, coalesce(r.voided, false) AS voided, r.r2, r.r4,
    (l.doc->>'createdAt')::timestamptz AS created
  FROM crm_leads l LEFT JOIN reached r ON r.lead_id = l.id WHERE l.tenant_id = $1
),
-- each lead's timeline: its activity events (in the order given at one instant), then the conversion and the win
timeline AS (
  SELECT e.lead_id, e.at, 0 AS cls, e.seq, ${ACTIVITY_EVENT_SQL} AS kind, ${ACTIVITY_WHO_SQL} AS who,
    -- a channel that was a Date is stored as its ISO text (its path among the dates): not a channel in process
    CASE WHEN jsonb_typeof(e.doc->'data'->'followUp'->'channel') = 'string' AND NOT coalesce(e.dates @> '[["data", "followUp", "channel"]]', false)
      THEN e.doc->'data'->'followUp'->>'channel' END AS channel, l.stored_owner
  FROM crm_journey_events e JOIN leads l ON l.id = e.lead_id AND NOT l.voided
  WHERE e.tenant_id = $1 AND e.at <= $2::timestamptz AND e.type = ANY(${types}::text[])
  UNION ALL SELECT id, r2, 1, 0, 10, NULL, NULL, stored_owner FROM leads WHERE r2 IS NOT NULL AND NOT voided
  UNION ALL SELECT id, r4, 2, 0, 11, NULL, NULL, stored_owner FROM leads WHERE r4 IS NOT NULL AND NOT voided
),
-- og numbers the owner changes so far (an owner given by name, or taken away); the next follow-up at or after each event
walked AS (
  SELECT t.*,
    count(*) FILTER (WHERE kind = 3 OR (kind = 2 AND who IS NOT NULL)) OVER (PARTITION BY lead_id ORDER BY at, cls, seq ROWS UNBOUNDED PRECEDING) AS og,
    bool_or(kind IN (2, 3)) OVER (PARTITION BY lead_id) AS owner_events,
    min(at) FILTER (WHERE kind = 1) OVER (PARTITION BY lead_id ORDER BY at RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS next_follow_up
  FROM timeline t
),
owned AS (
  SELECT w.*, CASE WHEN w.og = 0 THEN CASE WHEN w.owner_events THEN NULL ELSE w.stored_owner END
      ELSE first_value(CASE WHEN w.kind = 2 THEN w.who END) OVER (PARTITION BY w.lead_id, w.og ORDER BY w.at, w.cls, w.seq) END AS owner
  FROM walked w
),
-- what counts in the window, for whom: an assignment once followed up or its deadline passed
x AS (
  SELECT o.lead_id, o.at, o.kind, CASE o.kind WHEN 1 THEN coalesce(o.who, o.owner) WHEN 2 THEN o.who ELSE o.owner END AS rep,
    o.kind = 1 AND o.channel = ANY(${invites}::text[]) AS invited,
    ${msSql('o.next_follow_up')} < d.deadline AS in_time, d.deadline
  FROM owned o CROSS JOIN LATERAL (SELECT CASE WHEN o.kind = 2 THEN (${starts}::bigint[])[width_bucket(${msSql('o.at')}, ${starts}::bigint[]) + ${ahead}::int] END AS deadline) d
  WHERE o.at >= $3::timestamptz AND o.at < $4::timestamptz AND o.kind <> 3 AND NOT (o.kind = 2 AND o.who IS NULL)
),
kept AS (
  SELECT x.*, ${leadDoc ? 'ld.doc' : 'NULL::jsonb AS doc'}
  FROM x ${leadDoc ? 'JOIN crm_leads ld ON ld.tenant_id = $1 AND ld.id = x.lead_id' : ''}
  WHERE NOT (x.kind = 2 AND NOT coalesce(x.in_time, false) AND x.deadline > ${msSql('$2::timestamptz')})
),
teamed AS (
  SELECT x.*, ${team.team} AS team FROM kept x ${team.join}
),
grouped AS (
  SELECT x.lead_id, x.kind, x.invited, x.in_time, ${fixedKeySql(dims, 'x', params, 'x.rep')} AS gk, ${pk} AS pk
  FROM teamed x
)
SELECT 'a'::text AS kind, GROUPING(gk)::int AS total, gk::text AS gk, pk::int AS pk, ARRAY[${counts.join(', ')}] AS c
FROM grouped GROUP BY GROUPING SETS ((gk, pk), ())
UNION ALL
SELECT 'n', 1, NULL, NULL, ARRAY[(SELECT count(*) FROM leads), (SELECT count(DISTINCT lead_id) FROM kept), (SELECT count(*) FROM leads WHERE voided)]`;
  const { rows } = await queryInZone<ActivityFigureRow>(db, opening.value.zone, sql, params);
  const groups = new SqlGroups(dims, () => new Float64Array(ACTIVITY_COUNTS.length));
  let total = new Float64Array(ACTIVITY_COUNTS.length);
  const records = { read: 0, counted: 0, excluded: 0, skipped: 0, issues: [] as never[] };
  for (const row of rows) {
    const c = row.c.map(num);
    if (row.kind === 'n') {
      [records.read, records.counted, records.excluded] = c as [number, number, number];
      continue;
    }
    if (num(row.total) === 1) total = Float64Array.from(c);
    else groups.at(row.gk, row.pk).set(c);
  }
  return ok(
    Object.freeze({
      ...reportHead(from.getTime(), to.getTime(), door.value.now, zone, dims),
      rows: Object.freeze(groups.sorted().map((g) => activityRow(g.group, g.figures, 0))),
      total: activityRow([], total, 0),
      records: deepFreeze(records),
    }),
  );
}
