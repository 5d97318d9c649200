/**
 * Collection computed in the database (internal to `crm-rules/postgres`; the store's
 * `measureCollection`): the installments of the tenant's payment plans as the payments rules see
 * them at `now` — outstanding, overdue, aging bucket — summed exactly per group and currency in
 * SQL, the report written by the in-process metric's own functions.
 */
import { collectionRow, collectionTotals, openCollection, sumsOf, windowDaysOf, type CollectionGroupFigures } from '../../core/collection-figures.js';
import type { CrmError } from '../../core/errors.js';
import { metricDoor, reportHead } from '../../core/measures.js';
import type { CurrencyCode } from '../../core/money.js';
import { ok, type Result } from '../../core/result.js';
import { zonedDaysIn } from '../../core/time.js';
import { deepFreeze } from '../../core/validation.js';
import { collectionQuerySchema, type CollectionReport, type GroupDimension, type PeriodUnit } from '../../metrics/index.js';
import { agingBucketLabels, parsePaymentPolicy, type PaymentPlan } from '../../payments/index.js';
import type { SqlRow } from './client.js';
import { decodeRow } from './documents.js';
import { fixedKeySql, pagesById, periodFirstSql, periodIndex, queryInZone, SqlGroups, SqlParams, teamJoinSql } from './metric-sql.js';
import type { TenantClient } from './tenancy.js';

/**
 * The tenant's payment plans by id, a page at a time: through a server-side cursor (a pool of
 * connections) or keyset pages (one connection). What `measureCollection` reads.
 */
export function streamPlansOf(db: TenantClient, pageSize: number): AsyncGenerator<readonly PaymentPlan[]> {
  return pagesById(db, 'SELECT id, doc, dates FROM crm_payment_plans WHERE tenant_id = $1', 'id', pageSize, (row) => decodeRow<PaymentPlan>(row.doc, row.dates));
}

/** What the database answers: per group and currency the installments and sums (`i`), the aging per currency and bucket (`g`), the sales per currency (`s`), the records (`n`) and the plans whose zone had no day given (`z`). */
interface CollectionFigureRow extends SqlRow {
  kind: string;
  total: number;
  gk: unknown;
  pk: unknown;
  cur: string | null;
  n: string | number;
  s: string[] | null;
}

/** The sums of an installment, in `COLLECTION_FIGURES` order. */
const SUMS = ['amount', 'paid', 'credited', 'written_off', 'bad_debt', 'outstanding', 'overdue'];

/** The default aging bounds (the payments policy's own default). */
function defaultBounds(): readonly number[] {
  const p = parsePaymentPolicy({ zone: 'UTC' });
  return p.ok ? p.value.agingBuckets : [30, 60, 90];
}

/** The first day (days from 1970-01-01) whose first instant in `zone` is at or after `t`. */
function firstDayFrom(days: ReturnType<typeof zonedDaysIn>, t: number): number {
  const d = days.day(t);
  return days.start(d) >= t ? d : d + 1;
}

/**
 * The collection report of `measureCollection`, computed in the database over the tenant's
 * payment plans (`crm_payment_plans`): the same query, the same reading of each installment
 * (outstanding = amount − paid − credited − written off − bad debt; overdue when something is
 * outstanding at or after its `overdueAt`; days past due from the day of `now` in the plan's own
 * zone, worked out by the payments' calendar in process), the same report. `inProcess` answers
 * when the calendar cannot place the window or a plan's zone (what the metric in process then
 * says of it).
 */
export async function collectionInDatabase(db: TenantClient, query: unknown, now: unknown, inProcess: () => Promise<Result<CollectionReport, CrmError>>): Promise<Result<CollectionReport, CrmError>> {
  const door = metricDoor(collectionQuerySchema, query, now);
  if (!door.ok) return door;
  let bounds = defaultBounds();
  if (door.value.query.policy !== undefined) {
    const p = parsePaymentPolicy(door.value.query.policy as never, ['query', 'policy']);
    if (!p.ok) return p;
    bounds = p.value.agingBuckets;
  }
  const labels = agingBucketLabels(bounds);
  if (!labels.ok) return labels;
  const { from, to, zone, weekStartsOn, groupBy, teams } = door.value.query;
  const dims = groupBy as readonly GroupDimension[];
  const fromMs = from.getTime();
  const toMs = to.getTime();
  const nowMs = door.value.now;
  let firstDay: number;
  let endDay: number;
  let windowDays: number;
  try {
    // an installment is in the window when its due date, as it starts in the query's zone, is
    const days = zonedDaysIn(zone);
    firstDay = firstDayFrom(days, fromMs);
    endDay = firstDayFrom(days, toMs);
    windowDays = windowDaysOf(zone, fromMs, toMs);
  } catch {
    return inProcess();
  }
  // the day of `now` in each plan's zone, by the payments' calendar; a zone the statement finds
  // unlisted (a plan stored meanwhile) is added and the statement asked again
  const todays = new Map<string, number>();
  const listed = await db.query<{ zone: string | null }>('SELECT DISTINCT doc->>\'zone\' AS zone FROM crm_payment_plans WHERE tenant_id = $1', [db.tenantId]);
  let unlisted: (string | null)[] = listed.rows.map((r) => r.zone);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      for (const z of unlisted) todays.set(String(z), zonedDaysIn(String(z)).day(nowMs));
    } catch {
      // a zone the calendar does not take (stored past the rules): the metric in process says where
      return inProcess();
    }
    const params = new SqlParams(db.tenantId, new Date(nowMs).toISOString(), from.toISOString(), to.toISOString());
    const zones = params.add([...todays.keys()]);
    const dayNumbers = params.add([...todays.values()]);
    const team = teamJoinSql(dims, teams, 'p', params);
    const periodAt = periodIndex(dims);
    const pk = periodAt < 0 ? 'NULL::int' : periodFirstSql(dims[periodAt] as PeriodUnit, "date '1970-01-01' + v.due_day", weekStartsOn);
    const window = `v.due_day >= ${params.add(firstDay)}::int AND v.due_day < ${params.add(endDay)}::int`;
    const bucket = `CASE WHEN NOT v.is_overdue THEN 0 ELSE coalesce((SELECT min(b.k) FROM unnest(${params.add([...bounds])}::int[]) WITH ORDINALITY AS b(bound, k) WHERE v.today - v.due_day <= b.bound), ${bounds.length + 1}) END`;
    const minor = (x: string) => `(${x}->>'minor')::bigint::numeric`;
    const sql = `
WITH plans AS MATERIALIZED (
  SELECT p.id, p.doc, p.doc->>'currency' AS cur, p.doc->>'zone' AS zone, (p.doc->>'updatedAt')::timestamptz > $2::timestamptz AS excluded,
    (p.doc->>'orderDate')::timestamptz AS order_date, ${minor("p.doc->'total'")} AS total, ${team.team} AS team
  FROM crm_payment_plans p ${team.join} WHERE p.tenant_id = $1
),
viewed AS MATERIALIZED (
  SELECT i.*, i.amount - i.paid - i.credited - i.written_off - i.bad_debt AS outstanding,
    i.amount - i.paid - i.credited - i.written_off - i.bad_debt <> 0 AND $2::timestamptz >= i.overdue_at AS is_overdue
  FROM (
    SELECT p.id, p.doc, p.team, p.cur, (x->>'dueDate')::date - date '1970-01-01' AS due_day, (x->>'overdueAt')::timestamptz AS overdue_at,
      ${minor("x->'amount'")} AS amount, ${minor("x->'paid'")} AS paid, ${minor("x->'credited'")} AS credited,
      ${minor("x->'writtenOff'")} AS written_off, ${minor("x->'badDebt'")} AS bad_debt, z.today
    FROM plans p CROSS JOIN LATERAL jsonb_array_elements(p.doc->'installments') AS x
    LEFT JOIN unnest(${zones}::text[], ${dayNumbers}::int[]) AS z(zone, today) ON z.zone = p.zone
    WHERE NOT p.excluded
  ) i
),
due AS (
  SELECT ${fixedKeySql(dims, 'v', params)} AS gk, ${pk} AS pk, v.cur, ${SUMS.map((c) => (c === 'overdue' ? 'CASE WHEN v.is_overdue THEN v.outstanding ELSE 0 END AS overdue' : `v.${c}`)).join(', ')}
  FROM viewed v WHERE ${window}
)
SELECT 'i'::text AS kind, GROUPING(gk)::int AS total, gk::text AS gk, pk::int AS pk, cur, count(*) AS n, ARRAY[${SUMS.map((c) => `sum(${c})::text`).join(', ')}] AS s
FROM due GROUP BY GROUPING SETS ((gk, pk, cur), (cur))
UNION ALL
SELECT 'g', 0, NULL, bucket, cur, 0, ARRAY[sum(outstanding)::text]
FROM (SELECT v.cur, v.outstanding, ${bucket} AS bucket FROM viewed v WHERE v.outstanding <> 0) a GROUP BY cur, bucket
UNION ALL
SELECT 's', 0, NULL, NULL, cur, 0, ARRAY[sum(total)::text] FROM plans WHERE NOT excluded AND order_date >= $3::timestamptz AND order_date < $4::timestamptz GROUP BY cur
UNION ALL
SELECT 'n', 1, NULL, NULL, NULL, 0, ARRAY[(SELECT count(*) FROM plans)::text, (SELECT count(*) FROM plans WHERE excluded)::text, (SELECT count(DISTINCT v.id) FROM viewed v WHERE ${window})::text]
UNION ALL
SELECT 'z', 1, NULL, NULL, zone, count(*), NULL FROM plans p WHERE NOT excluded AND (zone IS NULL OR NOT zone = ANY(${zones}::text[])) GROUP BY zone`;
    const { rows } = await queryInZone<CollectionFigureRow>(db, null, sql, params);
    unlisted = rows.filter((r) => r.kind === 'z').map((r) => r.cur);
    if (unlisted.length > 0) continue;
    return ok(collectionReport(rows, dims, labels.value, { fromMs, toMs, nowMs, zone, windowDays }));
  }
  return inProcess();
}

/** The report from the database's rows, written by the in-process metric's functions. */
function collectionReport(
  rows: readonly CollectionFigureRow[],
  dims: readonly GroupDimension[],
  labels: readonly string[],
  w: { readonly fromMs: number; readonly toMs: number; readonly nowMs: number; readonly zone: string; readonly windowDays: number },
): CollectionReport {
  const groups = new SqlGroups<CollectionGroupFigures>(dims, openCollection);
  const total = openCollection();
  const aging = new Map<CurrencyCode, Map<string, bigint>>();
  const outstandingNow = new Map<CurrencyCode, bigint>();
  const sales = new Map<CurrencyCode, bigint>();
  const records = { read: 0, counted: 0, excluded: 0, skipped: 0, issues: [] as never[] };
  for (const row of rows) {
    const cur = row.cur as CurrencyCode;
    const s = row.s ?? [];
    if (row.kind === 'i') {
      const f = Number(row.total) === 1 ? total : groups.at(row.gk, row.pk);
      f.installments += Number(row.n);
      const sums = sumsOf(f, cur);
      [sums.due, sums.paid, sums.credited, sums.writtenOff, sums.badDebt, sums.outstanding, sums.overdue] = s.map((x) => BigInt(x)) as [bigint, bigint, bigint, bigint, bigint, bigint, bigint];
    } else if (row.kind === 'g') {
      const amount = BigInt(s[0]!);
      let buckets = aging.get(cur);
      if (buckets === undefined) aging.set(cur, (buckets = new Map()));
      buckets.set(labels[Number(row.pk)]!, amount);
      outstandingNow.set(cur, (outstandingNow.get(cur) ?? 0n) + amount);
    } else if (row.kind === 's') sales.set(cur, BigInt(s[0]!));
    else if (row.kind === 'n') {
      records.read = Number(s[0]);
      records.excluded = Number(s[1]);
      records.counted = Number(s[2]);
    }
  }
  const { dso, aging: agingOut } = collectionTotals(aging, outstandingNow, sales, labels, w.windowDays);
  return Object.freeze({
    ...reportHead(w.fromMs, w.toMs, w.nowMs, w.zone, dims),
    rows: Object.freeze(groups.sorted().map((g) => collectionRow(g.group, g.figures))),
    total: collectionRow([], total),
    aging: agingOut,
    dso,
    records: deepFreeze(records),
  });
}
