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
 * Writes records inside a transaction, in id order: an `INSERT … ON CONFLICT DO NOTHING` for a
 * create, an `UPDATE … WHERE id = $1 AND version = $2` for an update; a write that touches no
 * row throws a `Refusal` carrying `CONFLICT` with the version found.
 *
 * @example
 * await client.transaction((tx) => writeRecords(tx, { table: 'crm_payments', entity: 'payment' }, [{ record: p2, expectedVersion: 1 }]));
 */
export async function writeRecords(tx: SqlExecutor, spec: TableSpec, writes: readonly RecordWrite[]): Promise<void> {
  for (const { record, expectedVersion } of [...writes].sort(byKey((w) => w.record.id))) {
    const { json, dates } = encodeStored(record);
    const { rows } =
      expectedVersion === null
        ? await tx.query(`INSERT INTO ${spec.table} (id, version, doc, dates) VALUES ($1, $2, $3::jsonb, $4::jsonb) ON CONFLICT (id) DO NOTHING RETURNING id`, [
            record.id,
            record.version,
            json,
            dates,
          ])
        : await tx.query(`UPDATE ${spec.table} SET version = $3, doc = $4::jsonb, dates = $5::jsonb WHERE id = $1 AND version = $2 RETURNING id`, [
            record.id,
            expectedVersion,
            record.version,
            json,
            dates,
          ]);
    if (rows.length === 0) {
      const found = await tx.query<{ version: number }>(`SELECT version FROM ${spec.table} WHERE id = $1`, [record.id]);
      const actualVersion = found.rows[0]?.version ?? null;
      throw new Refusal(ruleError('CONFLICT', { entity: spec.entity, id: record.id, expectedVersion, actualVersion }));
    }
  }
}

/**
 * Pages of a query read through a server-side cursor in a transaction of its own, handed to
 * the consumer one at a time; the transaction ends when the rows run out or the consumer stops.
 *
 * @example
 * for await (const page of cursorPages(client, 'SELECT doc, dates FROM crm_payment_plans WHERE outstanding_minor > 0', [], 500)) use(page);
 */
export async function* cursorPages(client: SqlClient, text: string, params: readonly unknown[], pageSize: number): AsyncGenerator<SqlRow[]> {
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
