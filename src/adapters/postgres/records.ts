/**
 * The SQL adapter's shared write machinery (internal to `crm-rules/postgres`, not re-exported):
 * versioned conditional writes of JSONB records, the refusal that rolls a transaction back, the
 * database errors that mean "another writer won", and server-side cursor streams.
 */
import { err, ok, ruleError, type CrmError, type Result } from '../../core/index.js';
import { isSafeText } from '../../core/validation.js';
import type { SqlClient, SqlExecutor, SqlRow } from './client.js';
import { encodeStored } from './documents.js';

/**
 * A refusal found inside the transaction: thrown to roll back, returned as a value.
 *
 * @example
 * throw new Refusal(ruleError('CONFLICT', { entity: 'payment', id, expectedVersion, actualVersion }));
 */
export class Refusal {
  constructor(readonly error: CrmError) {}
}

/** PostgreSQL errors that mean "another writer won": serialization failure, deadlock, unique violation. */
const RACE_CODES = new Set(['40001', '40P01', '23505']);

/**
 * The SQLSTATE of an error that means "another writer won" (serialization failure, deadlock,
 * unique violation), or null for any other failure.
 *
 * @example
 * raceCode({ code: '40P01' }) // '40P01'; raceCode(new Error('boom')) // null
 */
export function raceCode(e: unknown): string | null {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  return typeof code === 'string' && RACE_CODES.has(code) ? code : null;
}

/**
 * A table of versioned JSONB records and the entity name its refusals carry.
 *
 * @example
 * const PLANS: TableSpec = { table: 'crm_payment_plans', entity: 'payment plan' };
 */
export interface TableSpec {
  readonly table: string;
  readonly entity: string;
}

/**
 * One versioned write: the record (carrying its next version) over the version it was loaded at
 * (null: a create).
 *
 * @example
 * const w: RecordWrite = { record: plan, expectedVersion: plan.version - 1 };
 */
export interface RecordWrite {
  readonly record: { readonly id: string; readonly version: number };
  readonly expectedVersion: number | null;
}

/**
 * A comparator by a string key (code-unit order), so writes lock rows in one order everywhere.
 *
 * @example
 * [...writes].sort(byKey((w) => w.record.id))
 */
export const byKey = <T>(key: (x: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/**
 * What the in-memory `VersionedTable.check` refuses without looking at stored data: the same
 * record twice in one commit (`CONFLICT`), a record not carrying the next version (`INVALID_INPUT`).
 *
 * @example
 * precheckRecords({ table: 'crm_payments', entity: 'payment' }, [{ record: { id: 'P-1', version: 3 }, expectedVersion: null }]) // INVALID_INPUT
 */
export function precheckRecords(spec: TableSpec, writes: readonly RecordWrite[]): Result<void, CrmError> {
  const seen = new Set<string>();
  for (const { record, expectedVersion } of writes) {
    if (seen.has(record.id)) {
      return err(ruleError('CONFLICT', { entity: spec.entity, id: record.id, expectedVersion, actualVersion: 'written twice in one commit' }));
    }
    seen.add(record.id);
    const nextVersion = (expectedVersion ?? 0) + 1;
    if (record.version !== nextVersion) {
      const message = `a write over version ${expectedVersion ?? 'none'} must carry version ${nextVersion}, not ${record.version}`;
      return err(
        ruleError('INVALID_INPUT', {
          issues: [{ path: ['commit', spec.entity, record.id, 'version'], message, code: 'custom' }],
          summary: message,
        }),
      );
    }
  }
  return ok(undefined);
}

/**
 * One write of a commit as a data-modifying CTE (`RETURNING 1` when a row must be touched),
 * and how to learn why it touched none: the refusal that rolls the transaction back.
 *
 * @example
 * const step: WriteStep = { cte: (p) => `INSERT INTO crm_notes (tenant_id, id) VALUES ($1, ${p('N-1')}) RETURNING 1`, expectRow: false };
 */
export interface WriteStep {
  /** The statement, with `$1` the tenant and `p(value)` placing any other parameter. */
  cte(p: (value: unknown) => string): string;
  /** Whether the step must touch exactly one row (a versioned write). */
  readonly expectRow: boolean;
  /** The refusal when it touched none (read inside the same transaction). */
  miss?(tx: SqlExecutor, tenantId: string): Promise<Refusal>;
}

/** Parameters per statement: PostgreSQL takes at most 65,535. */
const MAX_PARAMS = 30_000;

/**
 * Runs a commit's writes as few statements as possible — every step a data-modifying CTE of one
 * `WITH … SELECT` (split only past 30,000 parameters) — inside the caller's transaction, then
 * throws the `Refusal` of the first versioned write that touched no row.
 *
 * @example
 * await runSteps(tx, 'acme', recordSteps(PLANS, [{ record: plan, expectedVersion: 1 }]));
 */
export async function runSteps(tx: SqlExecutor, tenantId: string, steps: readonly WriteStep[]): Promise<void> {
  let start = 0;
  while (start < steps.length) {
    const params: unknown[] = [tenantId];
    const place = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const ctes: string[] = [];
    let end = start;
    while (end < steps.length && (end === start || params.length < MAX_PARAMS)) {
      ctes.push(`w${end - start} AS (${steps[end]!.cte(place)})`);
      end++;
    }
    const counts = ctes.map((_, i) => `(SELECT count(*) FROM w${i})::int AS w${i}`).join(', ');
    const { rows } = await tx.query<Record<string, number>>(`WITH ${ctes.join(', ')} SELECT ${counts}`, params);
    const touched = rows[0] ?? {};
    for (let i = start; i < end; i++) {
      const step = steps[i]!;
      if (step.expectRow && Number(touched[`w${i - start}`]) !== 1 && step.miss) throw await step.miss(tx, tenantId);
    }
    start = end;
  }
}

/**
 * The steps that write a tenant's versioned records, in id order: an `INSERT … ON CONFLICT DO
 * NOTHING` for a create, an `UPDATE … WHERE tenant_id = $1 AND id = … AND version = …` for an
 * update; one that touches no row is `CONFLICT` with the version found.
 *
 * @example
 * await client.transaction((tx) => runSteps(tx, 'acme', recordSteps({ table: 'crm_payments', entity: 'payment' }, [{ record: p2, expectedVersion: 1 }])));
 */
export function recordSteps(spec: TableSpec, writes: readonly RecordWrite[]): WriteStep[] {
  return [...writes].sort(byKey((w) => w.record.id)).map(({ record, expectedVersion }) => {
    const { json, dates } = encodeStored(record);
    return {
      expectRow: true,
      cte: (p) =>
        expectedVersion === null
          ? `INSERT INTO ${spec.table} (tenant_id, id, version, doc, dates) VALUES ($1, ${p(record.id)}, ${p(record.version)}, ${p(json)}::jsonb, ${p(dates)}::jsonb) ON CONFLICT (tenant_id, id) DO NOTHING RETURNING 1`
          : `UPDATE ${spec.table} SET version = ${p(record.version)}, doc = ${p(json)}::jsonb, dates = ${p(dates)}::jsonb WHERE tenant_id = $1 AND id = ${p(record.id)} AND version = ${p(expectedVersion)} RETURNING 1`,
      async miss(tx, tenantId) {
        const found = await tx.query<{ version: number }>(`SELECT version FROM ${spec.table} WHERE tenant_id = $1 AND id = $2`, [tenantId, record.id]);
        const actualVersion = found.rows[0]?.version ?? null;
        return new Refusal(ruleError('CONFLICT', { entity: spec.entity, id: record.id, expectedVersion, actualVersion }));
      },
    };
  });
}

/**
 * Pages of a query read through a server-side cursor in a transaction of its own, handed to
 * the consumer one at a time; the transaction ends when the rows run out or the consumer stops.
 *
 * @example
 * for await (const page of cursorPages(client, 'SELECT doc, dates FROM crm_payment_plans WHERE outstanding_minor > 0', [], 500)) use(page);
 */
export async function* cursorPages(client: Pick<SqlClient, 'transaction'>, text: string, params: readonly unknown[], pageSize: number): AsyncGenerator<SqlRow[]> {
  interface Deferred<T> {
    promise: Promise<T>;
    resolve(value: T): void;
  }
  const defer = <T>(): Deferred<T> => {
    let resolve!: (value: T) => void;
    const promise = new Promise<T>((r) => (resolve = r));
    return { promise, resolve };
  };
  type Message = { readonly page: SqlRow[] } | { readonly done: true } | { readonly error: unknown };
  let delivered = defer<Message>();
  let asked = defer<boolean>();
  const finished = client
    .transaction(async (tx) => {
      await tx.query(`DECLARE crm_stream NO SCROLL CURSOR FOR ${text}`, params);
      for (;;) {
        const { rows } = await tx.query(`FETCH FORWARD ${pageSize} FROM crm_stream`);
        if (rows.length === 0) break;
        const answer = asked;
        delivered.resolve({ page: rows });
        if (!(await answer.promise) || rows.length < pageSize) break;
      }
      await tx.query('CLOSE crm_stream');
    })
    .then(
      () => delivered.resolve({ done: true }),
      (error: unknown) => delivered.resolve({ error }),
    );
  // the answer the transaction waits for while the consumer holds a page
  let outstanding: Deferred<boolean> | null = null;
  try {
    for (;;) {
      const message = await delivered.promise;
      if ('error' in message) throw message.error;
      if ('done' in message) return;
      outstanding = asked;
      delivered = defer<Message>();
      asked = defer<boolean>();
      yield message.page;
      const answer: Deferred<boolean> = outstanding;
      outstanding = null;
      answer.resolve(true);
    }
  } finally {
    // the consumer stopped early (break, throw): end the transaction, release the connection
    (outstanding as Deferred<boolean> | null)?.resolve(false);
    await finished;
  }
}

/**
 * Whether a query parameter can match anything stored: text with a NUL or a lone surrogate
 * cannot (no write stores it), and the driver would reject it.
 *
 * @example
 * storableParam('L-1') // true; storableParam('L\u0000') // false
 */
export function storableParam(p: unknown): boolean {
  return typeof p !== 'string' || isSafeText(p);
}

/**
 * The client for lookups: a parameter no stored row can match (text with a NUL or a lone
 * surrogate) answers no rows without asking the database; from a list of such texts (keys)
 * those are left out. The in-memory store answers the same (nothing is stored under them).
 *
 * @example
 * await readsOf(client).query('SELECT doc FROM crm_leads WHERE id = $1', ['L\u0000']) // { rows: [] }
 */
export function readsOf(client: SqlExecutor): SqlExecutor {
  return {
    query<R extends SqlRow = SqlRow>(text: string, params?: readonly unknown[]): Promise<{ readonly rows: R[] }> {
      if (params === undefined) return client.query<R>(text);
      const safe: unknown[] = [];
      for (const p of params) {
        if (Array.isArray(p)) safe.push(p.filter(storableParam));
        else if (storableParam(p)) safe.push(p);
        else return Promise.resolve({ rows: [] });
      }
      return client.query<R>(text, safe);
    },
  };
}
