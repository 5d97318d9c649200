import { readOption, UnusableClientError } from '../unusable.js';
/**
 * The one seam between the SQL adapter and a PostgreSQL driver. The adapter never imports
 * `pg` or `@electric-sql/pglite`: the host hands its own instance to `fromPg` or `fromPGlite`
 * (or writes its own `SqlClient` for another driver), so importing the library never pulls a
 * driver in.
 */

/**
 * A row as a driver returns it: column name → parsed value (jsonb as objects, integers as numbers).
 *
 * @example
 * const { rows } = await sql.query<{ id: string; version: number }>('SELECT id, version FROM crm_leads');
 */
export type SqlRow = Record<string, unknown>;

/**
 * Runs one statement with positional parameters (`$1`, `$2`, …). A call without parameters
 * may hold several statements separated by semicolons (migrations use that).
 *
 * @example
 * const { rows } = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM crm_leads WHERE pool_id = $1', ['lp-east']);
 */
export interface SqlExecutor {
  query<R extends SqlRow = SqlRow>(text: string, params?: readonly unknown[]): Promise<{ readonly rows: R[] }>;
}

/**
 * What the adapter needs of a database: queries, and transactions that commit when `fn`
 * resolves and roll back when it throws.
 *
 * `cursors` says whether a transaction may stay open while other queries and transactions run
 * beside it (true for a pool of connections): the adapter then streams through a server-side
 * cursor; otherwise (one connection, PGlite) it pages with keyset queries so a consumer may
 * commit while it reads.
 *
 * @example
 * import pg from 'pg';
 * const client = fromPg(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
 * await client.transaction(async (tx) => { await tx.query('UPDATE crm_leads SET version = version WHERE id = $1', ['L-1']); });
 */
export interface SqlClient extends SqlExecutor {
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  readonly cursors?: boolean;
  /**
   * Optional: runs one statement on a connection whose session has `crm.tenant_id` set to
   * `tenantId` (what row-level security reads). `fromPg` and `fromPGlite` set it when the
   * connection's session had another; what each connection was last set to is remembered per
   * connection, whichever wrapper set it, so several stores and wrappers may share one pool or
   * PGlite. A host's own SQL on the same connections sets the tenant locally, inside a
   * transaction (`set_config('crm.tenant_id', $1, true)`), never for the session. A client
   * without it gets each tenant-scoped read run in a transaction that sets the tenant locally.
   */
  queryAsTenant?<R extends SqlRow = SqlRow>(tenantId: string, text: string, params?: readonly unknown[]): Promise<{ readonly rows: R[] }>;
  /**
   * Optional: `transaction` with `crm.tenant_id` set to `tenantId` locally (for this
   * transaction only): `fromPg` sends it with `BEGIN`, in the same round trip. Without it, the
   * store's transactions set the tenant locally as their first statement.
   */
  transactionAsTenant?<T>(tenantId: string, fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}

const SET_SESSION_TENANT = "SELECT set_config('crm.tenant_id', $1, false)";
const SET_LOCAL_TENANT = "SELECT set_config('crm.tenant_id', $1, true)";

/**
 * `BEGIN` and the tenant set locally, as one text (one round trip on the simple protocol): the
 * tenant travels as hexadecimal UTF-8, so no text of it can end the literal.
 */
function beginAsTenant(tenantId: string): string {
  let hex = '';
  for (const byte of new TextEncoder().encode(tenantId)) hex += byte.toString(16).padStart(2, '0');
  return `BEGIN; SELECT set_config('crm.tenant_id', convert_from(decode('${hex}', 'hex'), 'UTF8'), true)`;
}

/**
 * The tenant each connection's session was last set to, by connection (a pooled connection, a
 * single client, a PGlite instance), shared by every wrapper in the process — both builds of
 * the package included — so that two wrappers over one pool never trust a setting the other
 * changed.
 */
const sessionTenants: WeakMap<object, string> = (() => {
  const key = Symbol.for('crm-rules/postgres/session-tenants');
  const global = globalThis as unknown as Record<symbol, unknown>;
  if (!(global[key] instanceof WeakMap)) global[key] = new WeakMap<object, string>();
  return global[key] as WeakMap<object, string>;
})();

/** Sets a session's tenant unless it already has it (`run` sends one statement on that session). */
async function ensureSessionTenant(session: object, tenantId: string, run: (text: string, params: unknown[]) => Promise<unknown>): Promise<void> {
  if (sessionTenants.get(session) === tenantId) return;
  sessionTenants.delete(session);
  await run(SET_SESSION_TENANT, [tenantId]);
  sessionTenants.set(session, tenantId);
}

/* ------------------------------------------------------------------ unusable drivers */

export { UnusableClientError };

/** A client whose every call rejects with an `UnusableClientError` (internal). */
export function unusableClient(option: string, expected: string): SqlClient {
  const fail = () => Promise.reject(new UnusableClientError(option, `crm-rules/postgres: ${option} must be ${expected}`));
  return Object.freeze({ cursors: false, query: fail, transaction: fail }) as SqlClient;
}

export { readOption };

/** Whether a value has every named method (read without throwing). */
export function hasMethods(value: unknown, ...names: string[]): boolean {
  return names.every((n) => typeof readOption(value, n) === 'function');
}

/** The SqlClient a host handed in, or an unusable one naming the option. */
export function usableClient(value: unknown, option: string): SqlClient {
  return hasMethods(value, 'query', 'transaction') ? (value as SqlClient) : unusableClient(option, 'a SqlClient (from fromPg or fromPGlite): an object with query and transaction methods');
}

/** SQLSTATEs of failures that say nothing about the data: the connection, the server, a timeout, a read-only server (a failover). */
const TRANSIENT_STATES = new Set(['57P01', '57P02', '57P03', '57014', '53300', '55P03', '58000', '58030', '25006']);
const TRANSIENT_ERRNO = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTCONN', 'EHOSTUNREACH', 'ECONNABORTED', 'ENETUNREACH', 'EAI_AGAIN']);
// node-postgres: a client that lost its connection says "has encountered a connection error and
// is not queryable"; one the host closed ("was closed and is not queryable") is not transient
const TRANSIENT_MESSAGE =
  /connection terminated|connection error|encountered a connection error and is not queryable|timeout exceeded when trying to connect|server closed the connection|terminating connection|the database system is (starting up|shutting down|in recovery)/i;
/** Transient failures of one statement that leave its connection sound: a cancelled statement, a lock wait that timed out. */
const STATEMENT_STATES = new Set(['57014', '55P03']);

/**
 * Whether a failure is of the database's availability, not of the data (a connection lost or
 * refused, the server restarting or read-only during a failover, a statement cancelled or
 * timed out, too many connections). A client the host closed is not: retrying cannot help.
 *
 * @example
 * isTransient({ code: '57P01' }) // true: terminated by an administrator
 * isTransient({ code: '23505' }) // false
 */
export function isTransient(e: unknown): boolean {
  const code = readOption(e, 'code');
  if (typeof code === 'string' && (code.startsWith('08') || TRANSIENT_STATES.has(code) || TRANSIENT_ERRNO.has(code))) return true;
  const message = readOption(e, 'message');
  return typeof message === 'string' && TRANSIENT_MESSAGE.test(message);
}

/** Whether a failure leaves its connection unfit to be given out again (transient, and not of one statement). */
function losesConnection(e: unknown): boolean {
  const code = readOption(e, 'code');
  return isTransient(e) && !(typeof code === 'string' && STATEMENT_STATES.has(code));
}

/* ------------------------------------------------------------------ node-postgres */

/** What `fromPg` reads of a node-postgres result (an array of them for several statements). */
interface PgResultLike {
  readonly rows: SqlRow[];
}

/**
 * A node-postgres `Client` or a checked-out `PoolClient` (structural: no import of `pg`).
 *
 * @example
 * const client = new pg.Client({ connectionString }); await client.connect(); fromPg(client);
 */
export interface PgClientLike {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

/** A connection checked out of a node-postgres `Pool` (structural). */
export interface PgPooledClientLike extends PgClientLike {
  release(error?: Error | boolean): void;
}

/**
 * A node-postgres `Pool` (structural).
 *
 * @example
 * fromPg(new pg.Pool({ connectionString, max: 16 }));
 */
export interface PgPoolLike extends PgClientLike {
  connect(): Promise<PgPooledClientLike>;
  /**
   * node-postgres calls `callback` the moment a connection is handed over, before it reads
   * anything more from the server: `fromPg` checks out this way, so the connection is listened
   * to before an error can arrive on it. A pool that only returns a promise works too.
   */
  connect(callback: (error: Error | undefined, client: PgPooledClientLike | undefined, release: (error?: Error | boolean) => void) => void): void;
  readonly totalCount: number;
  readonly idleCount: number;
  /** node-postgres keeps the pool's settings here; `max` is how many connections it opens. */
  readonly options?: { readonly max?: number };
}

function isPgPool(db: PgClientLike | PgPoolLike): db is PgPoolLike {
  return hasMethods(db, 'connect') && typeof readOption(db, 'totalCount') === 'number' && typeof readOption(db, 'idleCount') === 'number';
}

function lastRows(result: unknown): { rows: SqlRow[] } {
  // node-postgres returns one result per statement when a text holds several
  const last = Array.isArray(result) ? (result[result.length - 1] as PgResultLike | undefined) : (result as PgResultLike);
  return { rows: last?.rows ?? [] };
}

function pgExecutor(db: PgClientLike): SqlExecutor {
  return {
    async query<R extends SqlRow = SqlRow>(text: string, params?: readonly unknown[]) {
      const result = params === undefined || params.length === 0 ? await db.query(text) : await db.query(text, [...params]);
      return lastRows(result) as { rows: R[] };
    },
  };
}

/** Serializes everything on one connection: a transaction holds it until it ends. */
function createMutex() {
  let tail: Promise<unknown> = Promise.resolve();
  return function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = tail.then(fn, fn);
    tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  };
}

/**
 * How `fromPg` keeps the tenant of row-level security on its connections.
 *
 * @example
 * fromPg(pool, { pooling: 'transaction' }) // behind PgBouncer in transaction pooling mode
 */
export interface FromPgOptions {
  /**
   * `'session'` (default): each connection is the client's own for its session, so a read sets
   * the tenant in the session once and the next reads for that tenant on that connection send
   * nothing more. `'transaction'`: behind a pooler that hands a server connection to a client
   * for one transaction at a time (PgBouncer's transaction pooling), where a session setting
   * would leak to another client: every tenant-scoped read runs in a transaction that sets the
   * tenant locally (two round trips more a read). Transactions set it locally in both modes.
   */
  readonly pooling?: 'session' | 'transaction';
}

/**
 * Wraps a node-postgres `Pool`, `Client` or checked-out `PoolClient` as a `SqlClient`. With a
 * pool every transaction runs on a connection of its own and streams use server-side cursors
 * (a pool of one connection pages instead, so the consumer can still write while it reads);
 * with a single client, queries and transactions wait for each other (one session cannot
 * hold two transactions). A transaction sets the tenant with its `BEGIN`; see `FromPgOptions`
 * for reads. A pooled connection that failed for want of the server, or whose `ROLLBACK`
 * failed, is discarded; a single client whose `ROLLBACK` failed is rolled back before its next
 * use. Never throws: given something without a `query` method, it returns a client whose every
 * call rejects with `UnusableClientError` (like a database that cannot be reached).
 *
 * @example
 * import pg from 'pg';
 * const store = createPostgresStore({ client: fromPg(new pg.Pool({ connectionString: process.env.DATABASE_URL })) });
 */
export function fromPg(db: PgPoolLike | PgClientLike, options?: FromPgOptions): SqlClient {
  if (!hasMethods(db, 'query')) return unusableClient('fromPg(db)', 'a node-postgres Pool, Client or PoolClient');
  const sessionSettings = readOption(options, 'pooling') !== 'transaction';
  const client = isPgPool(db) ? pooledClient(db) : singleClient(db);
  if (sessionSettings) return client;
  const { queryAsTenant: _unused, ...perTransaction } = client;
  return perTransaction;
}

/**
 * Checks a connection out of `pool` with `onError` listening to it from the moment it is
 * handed over. While it is checked out the pool does not listen to the connection: a backend
 * terminated, or a server restarting, between two statements would be an uncaught 'error'
 * event. Listening once `await pool.connect()` resumes is too late: a backend terminated just
 * as it became ready sends its FATAL message in the same packet as its ReadyForQuery, and
 * node-postgres reads both (handing the connection over, then emitting the error) before any
 * awaiting code runs. The callback form runs inside the hand-over.
 */
function checkout(pool: PgPoolLike, onError: (e: unknown) => void): Promise<PgPooledClientLike> {
  return new Promise((resolve, reject) => {
    let taken = false;
    const take = (conn: PgPooledClientLike) => {
      if (taken) return;
      taken = true;
      const listen = readOption(conn, 'on');
      if (typeof listen === 'function') listen.call(conn, 'error', onError);
      resolve(conn);
    };
    let returned: unknown;
    try {
      returned = (pool.connect as (callback: (error: Error | undefined, client: PgPooledClientLike | undefined) => void) => unknown)((error, conn) => {
        if (error !== undefined && error !== null) reject(error);
        else if (conn !== undefined) take(conn);
      });
    } catch (e) {
      reject(e);
      return;
    }
    // a pool that answers with a promise (and ignores the callback)
    const then = readOption(returned, 'then');
    if (typeof then === 'function') (then as (ok: (c: PgPooledClientLike) => void, ko: (e: unknown) => void) => void).call(returned, take, reject);
  });
}

/** `fromPg` over a pool: a connection checked out for each read and each transaction. */
function pooledClient(pool: PgPoolLike): SqlClient {
  const max = readOption(readOption(pool, 'options'), 'max');
  const direct = pgExecutor(pool);
  /** Runs `work` on a checked-out connection whose session has the tenant (when given) set. */
  async function onConnection<T>(tenantId: string | null, work: (conn: PgClientLike, discard: (e: unknown) => void) => Promise<T>): Promise<T> {
    let broken: Error | undefined;
    const discard = (e: unknown) => {
      broken ??= e instanceof Error ? e : new Error(String(e));
    };
    const conn = await checkout(pool, discard);
    const unlisten = readOption(conn, 'removeListener');
    try {
      if (tenantId !== null) await ensureSessionTenant(conn, tenantId, (text, params) => conn.query(text, params));
      return await work(conn, discard);
    } catch (e) {
      // a connection that failed for want of the server is not given out again
      if (losesConnection(e)) discard(e);
      throw e;
    } finally {
      if (typeof unlisten === 'function') unlisten.call(conn, 'error', discard);
      conn.release(broken ?? false);
    }
  }
  function transactionOn<T>(tenantId: string | null, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return onConnection(null, async (conn, discard) => {
      try {
        // inside the try: a BEGIN whose tenant setting failed (a statement timeout) has opened
        // a transaction all the same, and is rolled back like any other
        await conn.query(tenantId === null ? 'BEGIN' : beginAsTenant(tenantId));
        // statements a transaction's work sends at once (Promise.all) go one after another
        const exclusive = createMutex();
        const tx = pgExecutor(conn);
        const value = await fn({ query: (text, params) => exclusive(() => tx.query(text, params)) });
        await conn.query('COMMIT');
        return value;
      } catch (e) {
        try {
          await conn.query('ROLLBACK');
        } catch (rollbackError) {
          // the connection is gone, or still inside the failed transaction (a ROLLBACK that timed
          // out): it is never given out again
          discard(rollbackError);
        }
        throw e;
      }
    });
  }
  return {
    // a cursor holds a connection while the consumer reads: it needs a second one to write
    cursors: (typeof max === 'number' ? max : 10) > 1,
    query: direct.query,
    queryAsTenant: <R extends SqlRow = SqlRow>(tenantId: string, text: string, params?: readonly unknown[]) =>
      onConnection(tenantId, (conn) => pgExecutor(conn).query<R>(text, params)),
    transaction: (fn) => transactionOn(null, fn),
    transactionAsTenant: (tenantId, fn) => transactionOn(tenantId, fn),
  };
}

/** `fromPg` over one connection: everything on it waits its turn. */
function singleClient(db: PgClientLike): SqlClient {
  const exclusive = createMutex();
  const conn = pgExecutor(db);
  // a ROLLBACK that failed on a connection still open leaves it inside the failed transaction:
  // the next use rolls it back first (and fails like the connection while it cannot)
  let aborted = false;
  async function ready(): Promise<void> {
    if (!aborted) return;
    await conn.query('ROLLBACK');
    aborted = false;
  }
  function transactionOn<T>(tenantId: string | null, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return exclusive(async () => {
      await ready();
      try {
        await conn.query(tenantId === null ? 'BEGIN' : beginAsTenant(tenantId));
        const inner = createMutex();
        const value = await fn({ query: (text, params) => inner(() => conn.query(text, params)) });
        await conn.query('COMMIT');
        return value;
      } catch (e) {
        try {
          await conn.query('ROLLBACK');
        } catch {
          // the connection is gone (the server rolled back) or still inside the transaction
          aborted = true;
        }
        throw e;
      }
    });
  }
  return {
    cursors: false,
    query: (text, params) =>
      exclusive(async () => {
        await ready();
        return conn.query(text, params);
      }),
    queryAsTenant: <R extends SqlRow = SqlRow>(tenantId: string, text: string, params?: readonly unknown[]) =>
      exclusive(async () => {
        await ready();
        await ensureSessionTenant(db, tenantId, (t, p) => conn.query(t, p));
        return conn.query<R>(text, params);
      }),
    transaction: (fn) => transactionOn(null, fn),
    transactionAsTenant: (tenantId, fn) => transactionOn(tenantId, fn),
  };
}

/* ------------------------------------------------------------------ PGlite */

/**
 * What `fromPGlite` uses of a PGlite instance (structural: no import of PGlite).
 *
 * @example
 * import { PGlite } from '@electric-sql/pglite';
 * fromPGlite(new PGlite('./crm-data')); // on disk; new PGlite() keeps it in memory
 */
export interface PGliteLike {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  exec(text: string): Promise<readonly { rows: unknown[] }[]>;
  transaction<T>(fn: (tx: { query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>; exec(text: string): Promise<readonly { rows: unknown[] }[]> }) => Promise<T>): Promise<T>;
}

function pgliteExecutor(db: Pick<PGliteLike, 'query' | 'exec'>): SqlExecutor {
  return {
    async query<R extends SqlRow = SqlRow>(text: string, params?: readonly unknown[]) {
      if (params === undefined || params.length === 0) {
        const results = await db.exec(text);
        return { rows: (results[results.length - 1]?.rows ?? []) as R[] };
      }
      const result = await db.query(text, [...params]);
      return { rows: result.rows as R[] };
    },
  };
}

/**
 * Wraps a PGlite instance (PostgreSQL in WASM, in memory or on disk) as a `SqlClient`. PGlite
 * is one connection: its own lock makes queries wait while a transaction runs, and streams
 * page with keyset queries instead of cursors. Never throws: given something without `query`,
 * `exec` and `transaction` methods, it returns a client whose every call rejects with
 * `UnusableClientError`.
 *
 * @example
 * import { PGlite } from '@electric-sql/pglite';
 * const client = fromPGlite(new PGlite());
 * await migrate(client);
 * const store = createPostgresStore({ client });
 */
export function fromPGlite(db: PGliteLike): SqlClient {
  if (!hasMethods(db, 'query', 'exec', 'transaction')) return unusableClient('fromPGlite(db)', 'a PGlite instance');
  const direct = pgliteExecutor(db);
  const exclusive = createMutex();
  return {
    cursors: false,
    query: direct.query,
    // PGlite is one session: the tenant is set in it when it changes (a read then costs nothing more)
    queryAsTenant: <R extends SqlRow = SqlRow>(tenantId: string, text: string, params?: readonly unknown[]) =>
      exclusive(async () => {
        await ensureSessionTenant(db, tenantId, (t, p) => direct.query(t, p));
        return direct.query<R>(text, params);
      }),
    transaction: (fn) => db.transaction((tx) => fn(pgliteExecutor(tx))),
    transactionAsTenant: (tenantId, fn) =>
      db.transaction(async (tx) => {
        const scoped = pgliteExecutor(tx);
        await scoped.query(SET_LOCAL_TENANT, [tenantId]);
        return fn(scoped);
      }),
  };
}
