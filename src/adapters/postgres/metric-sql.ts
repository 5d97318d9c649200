/**
 * What the metrics computed in the database share (internal to `crm-rules/postgres`): the
 * statement's parameters, a record's group in SQL (its values on every dimension but the period,
 * and the first day of its period), the zone looked up in the database's own data, and the
 * figures the database answers gathered back into the groups the in-process metrics would open.
 */
import { refuse, type CrmError } from '../../core/errors.js';
import { compareGroups, NOTHING_MEASURED, type Durations, type GroupValue } from '../../core/measures.js';
import { ok, type Result } from '../../core/result.js';
import { periodLabelOfDay } from '../../core/time.js';
import { PERIOD_UNITS, type GroupDimension, type PeriodUnit } from '../../metrics/index.js';
import type { SqlExecutor, SqlRow } from './client.js';
import { cursorPages } from './records.js';
import { unstorableCode, type TenantClient } from './tenancy.js';

type Issue = { readonly path: readonly (string | number)[]; readonly message: string };

/** `INVALID_INPUT` with one issue. */
export function refusal(issue: Issue): Result<never, CrmError> {
  return refuse('INVALID_INPUT', { issues: [{ ...issue, code: 'custom' }], summary: `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}` });
}

/** A statement's parameters: `$1` the tenant, `$2` now (ISO), then whatever `add` is given. */
export class SqlParams {
  readonly values: unknown[];
  constructor(...first: readonly unknown[]) {
    this.values = [...first];
  }
  /** The placeholder of one more parameter. */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** Where the period sits among the dimensions; -1 when there is none. */
export const periodIndex = (dims: readonly GroupDimension[]): number => dims.findIndex((d) => (PERIOD_UNITS as readonly string[]).includes(d));

/**
 * The SQL of one dimension's value (jsonb) of the record `alias` (its `doc`; `team` its joined
 * team): every dimension but the period. `owner` (text SQL), when given, is the owner the record
 * counts for instead of its `ownerId` (the rep of an activity).
 */
function dimensionSql(d: GroupDimension, alias: string, params: SqlParams, owner?: string): string {
  switch (d) {
    case 'owner':
      return owner === undefined ? `coalesce(${alias}.doc->'ownerId', 'null')` : `coalesce(to_jsonb(${owner}), 'null')`;
    case 'team':
      return `coalesce(to_jsonb(${alias}.team), 'null')`;
    case 'pool':
      return `coalesce(${alias}.doc->'poolId', 'null')`;
    case 'channel':
      return `coalesce(${alias}.doc->'channel', 'null')`;
    case 'customer':
      return `coalesce(${alias}.doc->'customerId', 'null')`;
    case 'stage':
      return `coalesce(${alias}.doc->'stageId', 'null')`;
    default:
      return `coalesce(${alias}.doc->'attributes'->${params.add(d.slice('attribute:'.length))}, 'null')`;
  }
}

/**
 * A record's values on every dimension but the period: a JSON array as text, compared by code
 * point (what the rows are gathered and sorted by).
 */
export function fixedKeySql(dims: readonly GroupDimension[], alias: string, params: SqlParams, owner?: string): string {
  const at = periodIndex(dims);
  return `jsonb_build_array(${dims
    .filter((_, i) => i !== at)
    .map((d) => dimensionSql(d, alias, params, owner))
    .join(', ')})::text COLLATE "C"`;
}

/**
 * The join that gives each record (`alias`, by its `ownerId`, or by `owner` (text SQL) when
 * given) its owner's team, when a dimension is the team (else nothing, and `team` is null).
 */
export function teamJoinSql(dims: readonly GroupDimension[], teams: readonly { readonly memberId: string; readonly teamId: string }[], alias: string, params: SqlParams, owner?: string): { readonly join: string; readonly team: string } {
  if (!dims.includes('team')) return { join: '', team: 'NULL::text' };
  const members = new Map(teams.map((t) => [t.memberId, t.teamId]));
  return {
    join: `LEFT JOIN unnest(${params.add([...members.keys()])}::text[], ${params.add([...members.values()])}::text[]) AS tm(member, team) ON tm.member = ${owner ?? `${alias}.doc->>'ownerId'`}`,
    team: 'tm.team',
  };
}

/**
 * The first day of the period of `unit` holding the instant `t`, as a day number (days from
 * 1970-01-01), on the session's `TimeZone` (set to the query's zone for the statement; never
 * `AT TIME ZONE`, which reads a name as an abbreviation first: CET would be +1 all year). The
 * labels are written in process from it, by the calendar's own function.
 */
export function periodFirstSql(unit: PeriodUnit, t: string, weekStart: string): string {
  const day = `(${t})::timestamp::date`;
  switch (unit) {
    case 'day':
      return `(${day} - date '1970-01-01')`;
    case 'week':
      return weekStart === 'sunday' ? `(${day} - extract(dow FROM ${day})::int - date '1970-01-01')` : `(${day} - (extract(isodow FROM ${day})::int - 1) - date '1970-01-01')`;
    default:
      return `(date_trunc('${unit}', ${day}::timestamp)::date - date '1970-01-01')`;
  }
}

/** An instant (timestamptz SQL) in ms since the epoch. */
export const msSql = (t: string): string => `(extract(epoch FROM ${t}) * 1000)::bigint`;

/** The durations of a group, as the database gives them: how many measured, and the nearest-rank median and p90 (kept minutes). */
export function durationsOf(measured: unknown, median: unknown, p90: unknown): Durations {
  const n = Number(measured);
  return n === 0 ? NOTHING_MEASURED : Object.freeze({ measured: n, medianMinutes: Number(median), p90Minutes: Number(p90) });
}

/** The SQL of the nearest-rank median and p90 of a sorted array `ds` of `measured` kept minutes. */
export const MEDIAN_SQL = 'ds[(measured * 50 + 99) / 100]';
export const P90_SQL = 'ds[(measured * 90 + 99) / 100]';
export const PERCENTILES_SQL = `${MEDIAN_SQL} AS median, ${P90_SQL} AS p90`;

/** The zones each store's database knows, by the name a query gave (null: unknown), looked up once (reading pg_timezone_names reads every zone file). */
const zonesOf = new WeakMap<TenantClient, Map<string, string | null>>();

/** The database's name of `zone`, or `INVALID_INPUT` at `query.zone` when it does not know it (periods are on its own zone data, never guessed). */
export async function databaseZone(db: TenantClient, zone: string): Promise<Result<string, CrmError>> {
  let known = zonesOf.get(db);
  if (known === undefined) zonesOf.set(db, (known = new Map()));
  let name = known.get(zone);
  if (name === undefined) {
    const { rows } = await db.query<{ name: string }>('SELECT name FROM pg_timezone_names WHERE lower(name) = lower($1) ORDER BY name = $1 DESC LIMIT 1', [zone]);
    name = rows.length === 0 ? null : rows[0]!.name;
    if (known.size >= 1_000) known.clear();
    known.set(zone, name);
  }
  return name === null ? refusal({ path: ['query', 'zone'], message: `the database does not know the zone ${zone}` }) : ok(name);
}

/** What a windowed statement opens with. */
export interface WindowedStatement {
  /** `$1` the tenant, `$2` now, `$3` from, `$4` to (ISO), then what the statement adds. */
  readonly params: SqlParams;
  /** Where the period sits among the dimensions (-1: none). */
  readonly periodAt: number;
  /** The database's name of the query's zone when a dimension is a period (null: none needed). */
  readonly zone: string | null;
  /** The join giving each record of `alias` its owner's team, and the team's column. */
  readonly team: { readonly join: string; readonly team: string };
}

/**
 * The opening of a statement over a window: its parameters, the zone it runs in (a zone the
 * database does not know is refused, at `query.zone`) and the team join of the records `alias`
 * (by their `ownerId`, or by `owner`).
 */
export async function windowedStatement(
  db: TenantClient,
  window: { readonly now: number; readonly from: Date; readonly to: Date; readonly zone: string; readonly teams: readonly { readonly memberId: string; readonly teamId: string }[] },
  dims: readonly GroupDimension[],
  alias: string,
  owner?: string,
): Promise<Result<WindowedStatement, CrmError>> {
  const periodAt = periodIndex(dims);
  const zone = periodAt >= 0 ? await databaseZone(db, window.zone) : ok(null);
  if (!zone.ok) return zone;
  const params = new SqlParams(db.tenantId, new Date(window.now).toISOString(), window.from.toISOString(), window.to.toISOString());
  return ok({ params, periodAt, zone: zone.value, team: teamJoinSql(dims, window.teams, alias, params, owner) });
}

/**
 * Runs one statement in a transaction whose `TimeZone` is `zone` (null: as it is), without JIT
 * compilation: a metric's statement is costed high enough to be compiled, and compiling it took
 * longer (2.4 s of 16.7 s over 200,000 leads) than it saved.
 */
export function queryInZone<R extends SqlRow>(db: TenantClient, zone: string | null, sql: string, params: SqlParams): Promise<{ readonly rows: R[] }> {
  return db.transaction(async (tx: SqlExecutor) => {
    if (zone !== null) await tx.query("SELECT set_config('jit', 'off', true), set_config('TimeZone', $1, true)", [zone]);
    else await tx.query("SELECT set_config('jit', 'off', true)");
    return tx.query<R>(sql, params.values);
  });
}

/**
 * The groups of a report computed in the database, opened as its rows come (by the fixed
 * values' text `gk` and the period's first day `pk`) and given back sorted as the in-process
 * metrics sort them.
 */
export class SqlGroups<F> {
  private readonly groups = new Map<string, { readonly group: readonly GroupValue[]; readonly figures: F }>();

  constructor(
    private readonly dims: readonly GroupDimension[],
    private readonly open: () => F,
  ) {}

  /** The figures of the group of `gk` and `pk` (null: no period, or the period null). */
  at(gk: unknown, pk: unknown): F {
    const day = pk === null || pk === undefined ? null : Number(pk);
    const key = day === null ? String(gk) : `${String(gk)}\u0000${day}`;
    let g = this.groups.get(key);
    if (g === undefined) {
      const at = periodIndex(this.dims);
      // as in process: a number is +0 for -0
      const values = (JSON.parse(String(gk)) as GroupValue[]).map((v) => (typeof v === 'number' ? v + 0 : v));
      if (at >= 0) values.splice(at, 0, day === null ? null : periodLabelOfDay(this.dims[at] as PeriodUnit, day));
      this.groups.set(key, (g = { group: Object.freeze(values), figures: this.open() }));
    }
    return g.figures;
  }

  /** Every group opened, sorted as in process. */
  sorted(): readonly { readonly group: readonly GroupValue[]; readonly figures: F }[] {
    return [...this.groups.values()].sort((a, b) => compareGroups(a.group, b.group));
  }
}

/**
 * The rows of `select` (a statement whose tenant is `$1`, ending in its WHERE clause) by
 * `idColumn`, a page at a time, each mapped: through a server-side cursor (a pool of
 * connections) or keyset pages (one connection).
 */
export async function* pagesById<T>(db: TenantClient, select: string, idColumn: string, pageSize: number, map: (row: SqlRow) => T): AsyncGenerator<readonly T[]> {
  if (db.cursors) {
    for await (const page of cursorPages(db, `${select} ORDER BY ${idColumn}`, [db.tenantId], pageSize)) yield page.map(map);
    return;
  }
  let after: string | null = null;
  for (;;) {
    const { rows }: { rows: SqlRow[] } =
      after === null
        ? await db.query(`${select} ORDER BY ${idColumn} LIMIT $2`, [db.tenantId, pageSize])
        : await db.query(`${select} AND ${idColumn} > $3 ORDER BY ${idColumn} LIMIT $2`, [db.tenantId, pageSize, after]);
    if (rows.length === 0) return;
    yield rows.map(map);
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1]!.id as string;
  }
}

/**
 * A metric computed in the database, or — when a stored document holds a value the statement
 * cannot read (a data exception: an instant or an amount that does not parse; stored past the
 * rules, by a raw commit) — the same metric in process over the stored records, which answers
 * what the rules' door says of that record: `INVALID_INPUT` at its place, or the record skipped
 * with `onInvalid: 'skip'`. A failure of the database itself is not caught here.
 */
export async function inDatabaseOrInProcess<T>(inDatabase: () => Promise<T>, inProcess: () => Promise<T>): Promise<T> {
  try {
    return await inDatabase();
  } catch (e) {
    if (unstorableCode(e) === null) throw e;
    return inProcess();
  }
}
