import { UnusableClientError } from '../unusable.js';
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
 * const client = fromPg(new Pool({ connectionString: process.env.DATABASE_URL }));
 * await client.transaction(async (tx) => { await tx.query('UPDATE crm_leads SET version = version WHERE id = $1', ['L-1']); });
 */
export interface SqlClient extends SqlExecutor {
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  readonly cursors?: boolean;
  /**
   * Optional: runs one statement on a connection whose session has `crm.tenant_id` set to
   * `tenantId` (what row-level security reads). `fromPg` and `fromPGlite` set it when the
   * connection's session had another (a connection keeps the last tenant it served: a host's
   * own SQL on the same pool or PGlite sets its tenant itself). A client without it gets each
   * tenant-scoped read run in a transaction that sets the tenant locally (two statements more).
   */
  queryAsTenant?<R extends SqlRow = SqlRow>(tenantId: string, text: string, params?: readonly unknown[]): Promise<{ readonly rows: R[] }>;
  /**
   * Optional: `transaction` on a connection whose session has `crm.tenant_id` set to
   * `tenantId` (set when the connection had another, like `queryAsTenant`). Without it, the
   * store's transactions set the tenant locally as their first statement.
   */
  transactionAsTenant?<T>(tenantId: string, fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}

const SET_SESSION_TENANT = "SELECT set_config('crm.tenant_id', $1, false)";
const SET_LOCAL_TENANT = "SELECT set_config('crm.tenant_id', $1, true)";

/* ------------------------------------------------------------------ unusable drivers */

export { UnusableClientError };

/** A client whose every call rejects with an `UnusableClientError` (internal). */
export function unusableClient(option: string, expected: string): SqlClient {
  const fail = () => Promise.reject(new UnusableClientError(option, `crm-rules/postgres: ${option} must be ${expected}`));
  return Object.freeze({ cursors: false, query: fail, transaction: fail }) as SqlClient;
}

/** Reads `key` of a value the host handed in, once; undefined when it cannot be read (never throws). */
export function readOption(value: unknown, key: string): unknown {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** Whether a value has every named method (read without throwing). */
export function hasMethods(value: unknown, ...names: string[]): boolean {
  return names.every((n) => typeof readOption(value, n) === 'function');
}

/** The SqlClient a host handed in, or an unusable one naming the option. */
export function usableClient(value: unknown, option: string): SqlClient {
  return hasMethods(value, 'query', 'transaction') ? (value as SqlClient) : unusableClient(option, 'a SqlClient (from fromPg or fromPGlite): an object with query and transaction methods');
}

/** SQLSTATEs of failures that say nothing about the data: the connection, the server, a timeout. */
const TRANSIENT_STATES = new Set(['57P01', '57P02', '57P03', '57014', '53300', '55P03', '58000', '58030']);
const TRANSIENT_ERRNO = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTCONN', 'EHOSTUNREACH', 'ECONNABORTED', 'ENETUNREACH', 'EAI_AGAIN']);
const TRANSIENT_MESSAGE = /connection terminated|connection error|not queryable|timeout exceeded when trying to connect|server closed the connection|terminating connection|the database system is (starting up|shutting down|in recovery)/i;

/**
 * Whether a failure is of the database's availability, not of the data (a connection lost or
 * refused, the server restarting, a statement cancelled or timed out, too many connections).
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

/**
 * A node-postgres `Pool` (structural).
 *
 * @example
 * fromPg(new pg.Pool({ connectionString, max: 16 }));
 */
export interface PgPoolLike extends PgClientLike {
  connect(): Promise<PgClientLike & { release(error?: Error | boolean): void }>;
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
 * Wraps a node-postgres `Pool`, `Client` or checked-out `PoolClient` as a `SqlClient`. With a
 * pool every transaction runs on a connection of its own and streams use server-side cursors
 * (a pool of one connection pages instead, so the consumer can still write while it reads);
 * with a single client, queries and transactions wait for each other (one session cannot
 * hold two transactions). Never throws: given something without a `query` method, it returns a
 * client whose every call rejects with `UnusableClientError` (like a database that cannot be
 * reached).
 *
 * @example
 * import pg from 'pg';
 * const store = createPostgresStore({ client: fromPg(new pg.Pool({ connectionString: process.env.DATABASE_URL })) });
 */
export function fromPg(db: PgPoolLike | PgClientLike): SqlClient {
  if (!hasMethods(db, 'query')) return unusableClient('fromPg(db)', 'a node-postgres Pool, Client or PoolClient');
  if (isPgPool(db)) {
    const pool = db;
    const max = readOption(readOption(pool, 'options'), 'max');
    const direct = pgExecutor(pool);
    // the tenant each pooled connection's session was last set to
    const tenantOf = new WeakMap<object, string>();
    /** Runs `work` on a checked-out connection whose session has the tenant (when given) set. */
    async function onConnection<T>(tenantId: string | null, work: (conn: PgClientLike, discard: (e: unknown) => void) => Promise<T>): Promise<T> {
      const conn = await pool.connect();
      let broken: Error | undefined;
      // while it is checked out the pool does not listen to the connection: a backend terminated
      // or a server restarting between two statements would be an uncaught 'error' event
      const listen = readOption(conn, 'on');
      const unlisten = readOption(conn, 'removeListener');
      const onError = (e: unknown) => {
        broken = e instanceof Error ? e : new Error(String(e));
      };
      if (typeof listen === 'function') listen.call(conn, 'error', onError);
      try {
        if (tenantId !== null && tenantOf.get(conn) !== tenantId) {
          tenantOf.delete(conn);
          await conn.query(SET_SESSION_TENANT, [tenantId]);
          tenantOf.set(conn, tenantId);
        }
        return await work(conn, (e) => {
          broken ??= e instanceof Error ? e : new Error(String(e));
        });
      } catch (e) {
        // a connection that failed for want of the server is not given out again
        if (isTransient(e)) broken ??= e instanceof Error ? e : new Error(String(e));
        throw e;
      } finally {
        if (typeof unlisten === 'function') unlisten.call(conn, 'error', onError);
        conn.release(broken ?? false);
      }
    }
    function transactionOn<T>(tenantId: string | null, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      return onConnection(tenantId, async (conn, discard) => {
        await conn.query('BEGIN');
        try {
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
  const exclusive = createMutex();
  const conn = pgExecutor(db);
  let sessionTenant: string | null = null;
  async function setTenant(tenantId: string | null): Promise<void> {
    if (tenantId === null || sessionTenant === tenantId) return;
    sessionTenant = null;
    await conn.query(SET_SESSION_TENANT, [tenantId]);
    sessionTenant = tenantId;
  }
  function transactionOn<T>(tenantId: string | null, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return exclusive(async () => {
      await setTenant(tenantId);
      await conn.query('BEGIN');
      try {
        const inner = createMutex();
        const value = await fn({ query: (text, params) => inner(() => conn.query(text, params)) });
        await conn.query('COMMIT');
        return value;
      } catch (e) {
        try {
          await conn.query('ROLLBACK');
        } catch {
          // the connection is gone: the server rolled the transaction back
        }
        throw e;
      }
    });
  }
  return {
    cursors: false,
    query: (text, params) => exclusive(() => conn.query(text, params)),
    queryAsTenant: <R extends SqlRow = SqlRow>(tenantId: string, text: string, params?: readonly unknown[]) =>
      exclusive(async () => {
        await setTenant(tenantId);
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
  let sessionTenant: string | null = null;
  return {
    cursors: false,
    query: direct.query,
    // PGlite is one session: the tenant is set in it when it changes (a read then costs nothing more)
    queryAsTenant: <R extends SqlRow = SqlRow>(tenantId: string, text: string, params?: readonly unknown[]) =>
      exclusive(async () => {
        if (sessionTenant !== tenantId) {
          sessionTenant = null;
          await direct.query(SET_SESSION_TENANT, [tenantId]);
          sessionTenant = tenantId;
        }
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
