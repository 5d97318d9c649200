/**
 * The opportunity metrics in the database (internal to `crm-rules/postgres`; the store's
 * methods): the opportunities streamed as the metrics read them, and `measureOpportunities`,
 * `measurePipeline` and `forecastPipeline` computed where the data is. The database sums each
 * group's figures exactly (numeric); the rows are written from them by the functions the
 * in-process metrics use, so the reports are the same to the minor unit, count and minute.
 */
import type { CrmError } from '../../core/errors.js';
import { compareCodePoints } from '../../core/collation.js';
import type { CurrencyCode } from '../../core/money.js';
import { metricDoor, NOTHING_MEASURED, reportHead, type Durations } from '../../core/measures.js';
import { closedRow, forecastRow, openClosed, openForecast, openOpen, pipelineRow, type ClosedFigures, type ForecastCategory, type ForecastFigures, type OpenFigures } from '../../core/opportunity-figures.js';
import { ok, type Result } from '../../core/result.js';
import { zonedDaysIn } from '../../core/time.js';
import { deepFreeze, MIN_INSTANT_MS } from '../../core/validation.js';
import {
  forecastQuerySchema,
  opportunitiesQuerySchema,
  pipelineQuerySchema,
  type ForecastReport,
  type GroupDimension,
  type MetricEvent,
  type OpportunitiesReport,
  type OpportunityJourney,
  type PeriodUnit,
  type PipelineReport,
} from '../../metrics/index.js';
import type { Opportunity } from '../../leads/index.js';
import type { SqlRow } from './client.js';
import { decodeRow } from './documents.js';
import { durationsOf, fixedKeySql, MEDIAN_SQL, msSql, P90_SQL, pagesById, periodFirstSql, periodIndex, queryInZone, SqlGroups, SqlParams, teamJoinSql, windowedStatement } from './metric-sql.js';
import type { TenantClient } from './tenancy.js';

/* ------------------------------------------------------------------ streamed */

/**
 * The events of an opportunity's journey: the opportunity events appended to its source lead's
 * journey, in the order appended (an opportunity with no source lead has none).
 */
const OPPORTUNITIES = `SELECT o.id, o.doc, o.dates,
    (SELECT coalesce(jsonb_agg(jsonb_build_array(e.doc, e.dates) ORDER BY e.seq), '[]'::jsonb)
       FROM crm_journey_events e WHERE e.tenant_id = o.tenant_id AND e.lead_id = o.source_lead_id AND e.type LIKE 'opportunity.%') AS events
  FROM crm_opportunities o WHERE o.tenant_id = $1`;

function journeyOf(row: SqlRow): OpportunityJourney {
  const events = (typeof row.events === 'string' ? JSON.parse(row.events) : row.events) as [unknown, unknown][];
  return {
    opportunity: decodeRow<Opportunity>(row.doc, row.dates),
    events: events.map(([doc, dates]) => decodeRow<MetricEvent>(doc, dates)),
  };
}

/**
 * The tenant's opportunity journeys by opportunity id (code point order), a page at a time:
 * through a server-side cursor (a pool of connections) or keyset pages (one connection).
 */
export function streamOpportunitiesOf(db: TenantClient, pageSize: number): AsyncGenerator<readonly OpportunityJourney[]> {
  return pagesById(db, OPPORTUNITIES, 'o.id', pageSize, journeyOf);
}

/* ------------------------------------------------------------------ shared */

/**
 * JavaScript's `String.prototype.trim` as a regular expression: its white space and line
 * terminators at either end (a loss reason is counted trimmed).
 */
const TRIM_PATTERN = '^[\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]+|[\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]+$';

/** The tenant's opportunities, each parsed once (OFFSET 0 keeps the subquery whole), with their owner's team when a dimension asks. */
function opportunitiesSql(team: { readonly join: string; readonly team: string }): string {
  return `o AS (
  SELECT o.id, o.doc, ${team.team} AS team, o.source_lead_id, o.doc->>'status' AS status, (o.doc->>'probability')::int AS p,
    (o.doc->>'createdAt')::timestamptz AS created, (o.doc->>'closedAt')::timestamptz AS closed,
    o.doc->'amount'->>'currency' AS cur, (o.doc->'amount'->>'minor')::numeric AS minor
  FROM crm_opportunities o ${team.join} WHERE o.tenant_id = $1
  OFFSET 0
)`;
}

/** One row of what the database answers: a kind of figure, the group (`total` 1: the report's total), a key and the figures. */
interface FigureRow extends SqlRow {
  kind: string;
  total: number;
  gk: unknown;
  pk: unknown;
  k: string | null;
  cur: string | null;
  n: string | number;
  s: string | null;
  w: string | null;
  ns: string | number | null;
  ss: string | null;
  measured: string | number | null;
  median: string | number | null;
  p90: string | number | null;
}

/** The figures of the total (`total` 1) or of the row's group. */
function figuresOf<F>(row: FigureRow, groups: SqlGroups<F>, total: F): F {
  return Number(row.total) === 1 ? total : groups.at(row.gk, row.pk);
}

const big = (v: string | null): bigint => (v === null ? 0n : BigInt(v));

/** The records' counts: every opportunity of the tenant read, those counted and excluded. */
function recordsOf(rows: readonly FigureRow[]) {
  const n = rows.find((r) => r.kind === 'n');
  return deepFreeze({ read: Number(n?.n ?? 0), counted: Number(n?.measured ?? 0), excluded: Number(n?.ns ?? 0), skipped: 0, issues: [] as never[] });
}

/** The durations of the total and of each group, from the rows of kind `d`. */
function durationsIn(rows: readonly FigureRow[], groups: SqlGroups<unknown>): { readonly total: Durations; readonly byGroup: Map<unknown, Durations> } {
  let total: Durations = NOTHING_MEASURED;
  const byGroup = new Map<unknown, Durations>();
  for (const row of rows) {
    if (row.kind !== 'd') continue;
    const d = durationsOf(row.measured, row.median, row.p90);
    if (Number(row.total) === 1) total = d;
    else byGroup.set(groups.at(row.gk, row.pk), d);
  }
  return { total, byGroup };
}

/** The columns every figure row has, in order (the union's shape). */
const NO_FIGURES = { k: 'NULL::text', cur: 'NULL::text', n: '0::bigint', s: 'NULL::text', w: 'NULL::text', ns: 'NULL::bigint', ss: 'NULL::text', measured: 'NULL::bigint', median: 'NULL::bigint', p90: 'NULL::bigint' };
type Columns = Partial<typeof NO_FIGURES>;

/** One SELECT of the union: its kind, group columns and figures (the rest null). */
function figureSelect(kind: string, group: string, columns: Columns, from: string): string {
  const c = { ...NO_FIGURES, ...columns };
  return `SELECT '${kind}'::text AS kind, ${group}, ${c.k} AS k, ${c.cur} AS cur, ${c.n} AS n, ${c.s} AS s, ${c.w} AS w, ${c.ns} AS ns, ${c.ss} AS ss, ${c.measured} AS measured, ${c.median} AS median, ${c.p90} AS p90 FROM ${from}`;
}

const GROUPED = 'total::int AS total, gk::text AS gk, pk::int AS pk';
const UNGROUPED = '1 AS total, NULL::text AS gk, NULL::int AS pk';

/** A duration's kept minutes between two instants (ms), as the in-process log keeps them. */
const keptSql = (fromMs: string, toMs: string) => `crm_kept_minutes(greatest(${toMs} - ${fromMs}, 0) / 60000)`;

/** The durations `d` of `x` per group and in all (kind `d`). */
const durationsSql = (where: string) => `d AS (
  SELECT GROUPING(gk) AS total, gk, pk, count(d) AS measured, array_agg(d ORDER BY d) FILTER (WHERE d IS NOT NULL) AS ds
  FROM x ${where} GROUP BY GROUPING SETS ((gk, pk), ())
)`;


/* ------------------------------------------------------------------ closed in a window */

/**
 * `measureOpportunities` computed in the database over the tenant's opportunities
 * (`crm_opportunities`): the same report as in process over `streamOpportunities()`.
 */
export async function opportunitiesInDatabase(db: TenantClient, query: unknown, now: unknown): Promise<Result<OpportunitiesReport, CrmError>> {
  const door = metricDoor(opportunitiesQuerySchema, query, now);
  if (!door.ok) return door;
  const { from, to, zone, weekStartsOn, groupBy, teams } = door.value.query;
  const dims = groupBy as readonly GroupDimension[];
  const opening = await windowedStatement(db, { now: door.value.now, from, to, zone, teams }, dims, 'o');
  if (!opening.ok) return opening;
  const { params, periodAt, team } = opening.value;
  const pk = periodAt < 0 ? 'NULL::int' : periodFirstSql(dims[periodAt] as PeriodUnit, 'o.closed', weekStartsOn);
  const sql = `
WITH ${opportunitiesSql(team)},
x AS MATERIALIZED (
  SELECT o.id, ${fixedKeySql(dims, 'o', params)} AS gk, ${pk} AS pk, o.status, o.cur, o.minor,
    CASE WHEN o.status = 'won' THEN ${keptSql(msSql('o.created'), msSql('o.closed'))} END AS d,
    CASE WHEN o.status = 'lost' THEN regexp_replace(o.doc->>'closeReason', ${params.add(TRIM_PATTERN)}, '', 'g') COLLATE "C" END AS reason
  FROM o WHERE o.status <> 'open' AND o.closed <= $2::timestamptz AND o.closed >= $3::timestamptz AND o.closed < $4::timestamptz
),
a AS (SELECT GROUPING(gk) AS total, gk, pk, status, cur, count(*) AS n, sum(minor) AS s FROM x GROUP BY GROUPING SETS ((gk, pk, status, cur), (status, cur))),
${durationsSql("WHERE status = 'won'")},
r AS (SELECT GROUPING(gk) AS total, gk, pk, reason, count(*) AS n, min(id) AS first FROM x WHERE status = 'lost' GROUP BY GROUPING SETS ((gk, pk, reason), (reason))),
-- the reasons a group tracks: its first 1,000 distinct ones, in the order streamed (by id)
tracked AS (SELECT *, row_number() OVER (PARTITION BY total, gk, pk ORDER BY first) AS rank FROM r)
${figureSelect('a', GROUPED, { k: 'status', cur: 'cur', n: 'n', s: 's::text' }, 'a')}
UNION ALL ${figureSelect('d', GROUPED, { measured: 'measured', median: MEDIAN_SQL, p90: P90_SQL }, 'd')}
UNION ALL ${figureSelect('r', GROUPED, { k: 'reason', n: 'n' }, 'tracked WHERE rank <= 1000')}
UNION ALL ${figureSelect('n', UNGROUPED, { n: '(SELECT count(*) FROM crm_opportunities WHERE tenant_id = $1)', measured: '(SELECT count(*) FROM x)', ns: '0::bigint' }, '(SELECT 1) AS one')}`;
  const { rows } = await queryInZone<FigureRow>(db, opening.value.zone, sql, params);
  const groups = new SqlGroups<ClosedFigures>(dims, openClosed);
  const total = openClosed();
  for (const row of rows) {
    if (row.kind === 'a') {
      const f = figuresOf(row, groups, total);
      const n = Number(row.n);
      const status = row.k as 'won' | 'lost' | 'invalid';
      f[status] += n;
      if (row.cur === null) continue;
      const currency = row.cur as CurrencyCode;
      const sum = big(row.s);
      if (status === 'won') {
        f.wonAmounts.addNumerator(currency, sum);
        f.wonWithAmount.set(currency, n);
      } else (status === 'lost' ? f.lostAmounts : f.invalidAmounts).addNumerator(currency, sum);
    } else if (row.kind === 'r') figuresOf(row, groups, total).lossReasons.set(row.k!, Number(row.n));
  }
  const cycles = durationsIn(rows, groups as SqlGroups<unknown>);
  return ok(
    Object.freeze({
      ...reportHead(from.getTime(), to.getTime(), door.value.now, zone, dims),
      rows: Object.freeze(groups.sorted().map((g) => closedRow(g.group, g.figures, cycles.byGroup.get(g.figures) ?? NOTHING_MEASURED))),
      total: closedRow([], total, cycles.total),
      records: recordsOf(rows),
    }),
  );
}

/* ------------------------------------------------------------------ the open pipeline, now */

/** The events that say an opportunity entered a stage, and where each names it. */
const STAGE_SQL = `CASE e.type WHEN 'opportunity.opened' THEN 'stageId' ELSE 'toStageId' END`;
const STAGE_TYPES = `('opportunity.opened', 'opportunity.advanced', 'opportunity.steppedBack', 'opportunity.movedToStage', 'opportunity.reopened')`;

/**
 * `measurePipeline` computed in the database over the tenant's opportunities and the
 * opportunity events of their source leads' journeys: the same report as in process over
 * `streamOpportunities()`.
 */
export async function pipelineInDatabase(db: TenantClient, query: unknown, now: unknown): Promise<Result<PipelineReport, CrmError>> {
  const door = metricDoor(pipelineQuerySchema, query, now);
  if (!door.ok) return door;
  const { zone, groupBy, teams, staleAfterDays } = door.value.query;
  const dims = groupBy as readonly GroupDimension[];
  const params = new SqlParams(db.tenantId, new Date(door.value.now).toISOString());
  const team = teamJoinSql(dims, teams, 'o', params);
  // stale: no change since the zoned day `staleAfterDays` before today began (today − day(updatedAt)
  // ≥ staleAfterDays, local days running forward), that instant found on the calendar the
  // in-process metric uses — not the database's zone data, which may differ
  const days = zonedDaysIn(zone);
  const since = days.start(days.day(door.value.now) - staleAfterDays + 1);
  // a day before the first supported instant: nothing stored is older
  const stale = since > MIN_INSTANT_MS ? `(o.doc->>'updatedAt')::timestamptz < ${params.add(new Date(since).toISOString())}::timestamptz` : 'false';
  const sql = `
WITH ${opportunitiesSql(team)},
xs AS MATERIALIZED (
  SELECT ${fixedKeySql(dims, 'o', params)} AS gk, NULL::int AS pk, o.cur, o.minor, o.p, ${stale} AS stale,
    (SELECT max(e.at) FROM crm_journey_events e WHERE e.tenant_id = $1 AND e.lead_id = o.source_lead_id AND e.at <= $2::timestamptz
      AND e.type IN ${STAGE_TYPES} AND e.doc->'data'->>${STAGE_SQL} = o.doc->>'stageId') AS since
  FROM o WHERE o.status = 'open' AND o.created <= $2::timestamptz
),
x AS (SELECT x.*, CASE WHEN since IS NOT NULL THEN ${keptSql(msSql('since'), msSql('$2::timestamptz'))} END AS d FROM xs x),
a AS (
  SELECT GROUPING(gk) AS total, gk, pk, cur, count(*) AS n, sum(minor) AS s, sum(minor * p) AS w, count(*) FILTER (WHERE stale) AS ns, sum(minor) FILTER (WHERE stale) AS ss
  FROM x GROUP BY GROUPING SETS ((gk, pk, cur), (cur))
),
${durationsSql('')}
${figureSelect('a', GROUPED, { cur: 'cur', n: 'n', s: 's::text', w: 'w::text', ns: 'ns', ss: 'ss::text' }, 'a')}
UNION ALL ${figureSelect('d', GROUPED, { measured: 'measured', median: MEDIAN_SQL, p90: P90_SQL }, 'd')}
UNION ALL ${figureSelect('n', UNGROUPED, { n: '(SELECT count(*) FROM crm_opportunities WHERE tenant_id = $1)', measured: '(SELECT count(*) FROM x)', ns: '0::bigint' }, '(SELECT 1) AS one')}`;
  const { rows } = await queryInZone<FigureRow>(db, null, sql, params);
  const groups = new SqlGroups<OpenFigures>(dims, openOpen);
  const total = openOpen();
  for (const row of rows) {
    if (row.kind !== 'a') continue;
    const f = figuresOf(row, groups, total);
    f.count += Number(row.n);
    f.stale += Number(row.ns);
    if (row.cur === null) continue;
    const currency = row.cur as CurrencyCode;
    f.amounts.addNumerator(currency, big(row.s));
    f.weighted.addNumerator(currency, big(row.w));
    if (row.ss !== null) f.staleAmounts.addNumerator(currency, big(row.ss));
  }
  const aging = durationsIn(rows, groups as SqlGroups<unknown>);
  return ok(
    Object.freeze({
      asOf: new Date(door.value.now),
      zone,
      staleAfterDays,
      dimensions: Object.freeze([...dims]),
      rows: Object.freeze(groups.sorted().map((g) => pipelineRow(g.group, g.figures, aging.byGroup.get(g.figures) ?? NOTHING_MEASURED))),
      total: pipelineRow([], total, aging.total),
      records: recordsOf(rows),
    }),
  );
}

/* ------------------------------------------------------------------ the forecast */

/**
 * `forecastPipeline` computed in the database over the tenant's opportunities: the same report
 * as in process over `streamOpportunities()` (the conversion to the reporting currency is made
 * in process from the exact sums, as in-process).
 */
export async function forecastInDatabase(db: TenantClient, query: unknown, now: unknown): Promise<Result<ForecastReport, CrmError>> {
  const door = metricDoor(forecastQuerySchema, query, now);
  if (!door.ok) return door;
  const { from, to, zone, weekStartsOn, groupBy, teams, categories, reportingCurrency, rates } = door.value.query;
  const dims: readonly GroupDimension[] = periodIndex(groupBy as readonly GroupDimension[]) >= 0 ? (groupBy as readonly GroupDimension[]) : [...(groupBy as readonly GroupDimension[]), 'month'];
  const opening = await windowedStatement(db, { now: door.value.now, from, to, zone, teams }, dims, 'o');
  if (!opening.ok) return opening;
  const { params, periodAt, team } = opening.value;
  // a stage named twice takes its last category, as in process
  const byStage = new Map(categories.byStage.map((s) => [s.stageId, s.category]));
  const sql = `
WITH ${opportunitiesSql(team)},
c AS (
  SELECT o.*,
    CASE WHEN o.status = 'won' AND o.closed <= $2::timestamptz THEN 'closed'
      WHEN o.status = 'open' THEN coalesce(bs.category, CASE WHEN o.p >= ${params.add(categories.commitFrom)}::int THEN 'commit' WHEN o.p >= ${params.add(categories.bestCaseFrom)}::int THEN 'bestCase' ELSE 'pipeline' END)
    END AS category,
    CASE WHEN o.status = 'won' THEN o.closed ELSE (o.doc->>'expectedCloseDate')::timestamptz END AS due,
    CASE WHEN o.status = 'won' THEN 100 ELSE o.p END AS wp
  FROM o LEFT JOIN unnest(${params.add([...byStage.keys()])}::text[], ${params.add([...byStage.values()])}::text[]) AS bs(stage, category) ON bs.stage = o.doc->>'stageId'
  WHERE o.created <= $2::timestamptz
  OFFSET 0
),
x AS MATERIALIZED (
  SELECT ${fixedKeySql(dims, 'c', params)} AS gk, CASE WHEN c.due IS NULL THEN NULL ELSE ${periodFirstSql(dims[periodAt] as PeriodUnit, 'c.due', weekStartsOn)} END AS pk, c.category, c.cur, c.minor, c.wp
  FROM c WHERE c.category IS NOT NULL AND (c.due IS NULL OR (c.due >= $3::timestamptz AND c.due < $4::timestamptz))
),
a AS (
  SELECT GROUPING(gk) AS total, gk, pk, category, cur, count(*) AS n, sum(minor) AS s, sum(minor * wp) AS w
  FROM x WHERE category <> 'omitted' GROUP BY GROUPING SETS ((gk, pk, category, cur), (category, cur))
)
${figureSelect('a', GROUPED, { k: 'category', cur: 'cur', n: 'n', s: 's::text', w: 'w::text' }, 'a')}
UNION ALL ${figureSelect('n', UNGROUPED, { n: '(SELECT count(*) FROM crm_opportunities WHERE tenant_id = $1)', measured: "(SELECT count(*) FROM x WHERE category <> 'omitted')", ns: "(SELECT count(*) FROM x WHERE category = 'omitted')" }, '(SELECT 1) AS one')}`;
  const { rows } = await queryInZone<FigureRow>(db, opening.value.zone, sql, params);
  const groups = new SqlGroups<ForecastFigures>(dims, openForecast);
  const total = openForecast();
  for (const row of rows) {
    if (row.kind !== 'a') continue;
    const f = figuresOf(row, groups, total);
    const category = row.k as ForecastCategory;
    f.counts[category] += Number(row.n);
    if (row.cur === null) continue;
    f.amounts[category].addNumerator(row.cur as CurrencyCode, big(row.s));
    f.weighted.addNumerator(row.cur as CurrencyCode, big(row.w));
  }
  const missing = new Set<CurrencyCode>();
  const reporting = reportingCurrency === undefined ? null : { currency: reportingCurrency, rates: new Map(rates.map((r) => [r.currency, r.rate])), missing };
  const rowsOut = groups.sorted().map((g) => forecastRow(g.group, g.figures, reporting));
  const totalRow = forecastRow([], total, reporting);
  return ok(
    Object.freeze({
      ...reportHead(from.getTime(), to.getTime(), door.value.now, zone, dims),
      rows: Object.freeze(rowsOut),
      total: totalRow,
      missingRates: Object.freeze([...missing].sort(compareCodePoints)),
      records: recordsOf(rows),
    }),
  );
}
