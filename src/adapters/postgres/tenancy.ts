/**
 * Tenants and failures in the SQL adapter (internal to `crm-rules/postgres`, the constants
 * re-exported): every statement of a store runs with its tenant in the session setting
 * `crm.tenant_id` (what the row-level security policies of `003_tenants` read) and filters by
 * it; reads retry what a lost connection, a restarting server or a statement timeout throws,
 * with jittered backoff inside a time budget; commits do too, and learn from a token written
 * in the same transaction whether a commit whose connection died was applied after all.
 */
import { ruleError, type CrmError } from '../../core/errors.js';
import { err, type Result } from '../../core/result.js';
import { isSafeText } from '../../core/validation.js';
import { failureReason, storeUnavailable } from '../../core/boundary.js';
import { isTransient, readOption, type SqlClient, type SqlExecutor, type SqlRow } from './client.js';
import { raceCode, Refusal, type WriteStep } from './records.js';
import { workEnded } from '../unusable.js';

/**
 * The tenant of a store built without `tenantId` (and of every row that existed before
 * `003_tenants`).
 *
 * @example
 * createPostgresStore({ client }) // the tenant 'default'
 */
export const DEFAULT_TENANT = 'default';

/**
 * The session setting that names the tenant: the row-level security policies of `003_tenants`
 * show a session only the rows of this tenant, and a row inserted without a tenant takes it.
 * A host running its own SQL sets it (`SELECT set_config('crm.tenant_id', $1, true)` inside a
 * transaction) or sees no rows when it connects as a role subject to row security.
 *
 * @example
 * await tx.query("SELECT set_config($1, $2, true)", [TENANT_SETTING, 'acme']);
 */
export const TENANT_SETTING = 'crm.tenant_id';

/** The default time a store keeps retrying a statement or commit that failed for want of a database. */
export const DEFAULT_RETRY_BUDGET_MS = 10_000;

/** A tenant id a store takes: 1 to 200 characters of safe text (like every id). */
export function isTenantId(value: unknown): value is string {
  return isSafeText(value) && value.length >= 1 && value.length <= 200;
}

/**
 * The SQLSTATE of a failure caused by a value the database cannot hold (class 22, data
 * exception; 54000/54001, an index row or a document beyond a limit), or null.
 *
 * @example
 * unstorableCode({ code: '54000' }) // '54000'
 */
export function unstorableCode(e: unknown): string | null {
  const code = readOption(e, 'code');
  return typeof code === 'string' && (code.startsWith('22') || code === '54000' || code === '54001') ? code : null;
}

/** `STORE_UNAVAILABLE` for an operation, after the budget ran out. */
export function unavailable(operation: string, outcome: 'notApplied' | 'unknown', e: unknown): Result<never, CrmError> {
  return storeUnavailable(operation, e, outcome);
}

/** `INVALID_INPUT` for a value the database refused to hold. */
export function unstorable(operation: string, e: unknown): Result<never, CrmError> {
  const message = `the database cannot store this value (${failureReason(e)})`;
  return err(ruleError('INVALID_INPUT', { issues: [{ path: [operation], message, code: 'custom' }], summary: `${operation}: ${message}` }));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Full-jitter exponential backoff: a random wait between 0 and min(cap, base · 2^attempt),
 * never past the deadline.
 */
function backoff(attempt: number, deadline: number, baseMs = 5, capMs = 500): Promise<void> {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 16));
  const wait = Math.min(Math.random() * ceiling, Math.max(0, deadline - performance.now()));
  return sleep(wait);
}

const SET_TENANT = 'SELECT set_config($1, $2, true)';

/**
 * The write of a unit's token as a statement of its own (`$1` the tenant, `$2` the token).
 *
 * @example
 * await tx.query(TOKEN_INSERT, [tenant, token]);
 */
export const TOKEN_INSERT = 'INSERT INTO crm_commits (tenant_id, token) VALUES ($1, $2::uuid)';

/**
 * An executor that rejects with `workEnded` once `isOpen` says its work is over (what
 * `withMemberLock` hands its work: the transaction's connection may serve another by then).
 */
export function closableExecutor(tx: SqlExecutor, isOpen: () => boolean): SqlExecutor {
  return {
    query: <R extends SqlRow = SqlRow>(text: string, params?: readonly unknown[]) => (isOpen() ? tx.query<R>(text, params) : Promise.reject(workEnded('postgres'))),
  };
}

/**
 * The write of a unit's token to `crm_commits` (one step of its commit's statement).
 *
 * @example
 * await runSteps(tx, tenant, [tokenStep(token), ...steps]);
 */
export function tokenStep(token: string): WriteStep {
  return { expectRow: false, cte: (p) => `INSERT INTO crm_commits (tenant_id, token) VALUES ($1, ${p(token)}::uuid) RETURNING 1` };
}

/** A random token (UUID v4) for one commit attempt. */
function newToken(): string {
  return (globalThis as unknown as { crypto: { randomUUID(): string } }).crypto.randomUUID();
}

/** How many commits of a tenant go by, on average, between two prunings of its old tokens. */
const PRUNE_EVERY = 1000;

/** What the token probe's transaction throws to roll back: whether the token was there. */
class TokenProbe {
  constructor(readonly applied: boolean) {}
}

/** A transaction's value when its work asks for a rollback (a refusal is an answer, not a failure). */
class Rollback<T> {
  constructor(readonly result: Result<T, CrmError>) {}
}

/**
 * Whether the unit that wrote `token` was applied, learned by inserting the same token in a
 * transaction rolled back at once: an insert waits for a transaction that wrote the token and
 * has not ended — a commit whose connection died may still be inside `COMMIT` on the server —
 * then conflicts when it committed and goes through when it did not. Transient failures are
 * retried until `deadline` (a `performance.now()` time); a lock wait past it (a transaction the
 * server still holds open) is not knowing: null.
 */
export async function tokenApplied(
  begin: <T>(fn: (tx: SqlExecutor) => Promise<T>) => Promise<T>,
  tenantId: string,
  token: string,
  deadline: number,
): Promise<boolean | null> {
  for (let attempt = 0; ; attempt++) {
    const waitMs = Math.max(1, Math.ceil(deadline - performance.now()));
    try {
      await begin(async (tx) => {
        await tx.query("SELECT set_config('lock_timeout', $1, true)", [`${waitMs}ms`]);
        const { rows } = await tx.query(`${TOKEN_INSERT} ON CONFLICT DO NOTHING RETURNING 1`, [tenantId, token]);
        throw new TokenProbe(rows.length === 0);
      });
    } catch (e) {
      if (e instanceof TokenProbe) return e.applied;
      if (!isTransient(e) || performance.now() >= deadline) return null;
      await backoff(attempt, deadline);
    }
  }
}

/**
 * A client bound to one tenant, with the retry budget: what every statement of a store goes
 * through (internal).
 */
export interface TenantClient {
  readonly tenantId: string;
  readonly cursors: boolean;
  /** One statement with the tenant set; transient failures retried within the budget, then thrown. */
  query<R extends SqlRow = SqlRow>(text: string, params?: readonly unknown[]): Promise<{ readonly rows: R[] }>;
  /** A transaction with the tenant set locally (no retry: for streams). */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * A unit of work in one transaction with the tenant set: committed when `work` answers ok,
   * rolled back when it answers a refusal. `work` writes the unit's `token` to `crm_commits` in
   * the transaction (see `tokenStep`), so the fate of a unit whose connection died during
   * `COMMIT` can be learned. Races the database detects
   * are `CONFLICT`, values it cannot hold `INVALID_INPUT`; transient failures are retried (work
   * runs again) until the budget runs out — a unit whose connection died is answered from its
   * token when it was applied — then `STORE_UNAVAILABLE`. Other failures reject.
   */
  unit<T>(operation: string, work: (tx: SqlExecutor, token: string) => Promise<Result<T, CrmError>>): Promise<Result<T, CrmError>>;
}

/**
 * Binds a client to a tenant (internal).
 *
 * @example
 * const db = tenantClient(client, 'acme', 10_000);
 * await db.query('SELECT doc FROM crm_leads WHERE tenant_id = $1 AND id = $2', [db.tenantId, 'L-1']);
 */
export function tenantClient(client: SqlClient, tenantId: string, budgetMs: number): TenantClient {
  const scopedQuery = readOption(client, 'queryAsTenant');
  const scopedTransaction = readOption(client, 'transactionAsTenant');
  /** A transaction with the tenant set: in the session by the client, or locally as its first statement. */
  const begin =
    typeof scopedTransaction === 'function'
      ? <T>(fn: (tx: SqlExecutor) => Promise<T>) => (scopedTransaction as NonNullable<SqlClient['transactionAsTenant']>).call(client, tenantId, fn) as Promise<T>
      : <T>(fn: (tx: SqlExecutor) => Promise<T>) =>
          client.transaction(async (tx) => {
            await tx.query(SET_TENANT, [TENANT_SETTING, tenantId]);
            return fn(tx);
          });
  const direct =
    typeof scopedQuery === 'function'
      ? <R extends SqlRow>(text: string, params?: readonly unknown[]) =>
          (scopedQuery as NonNullable<SqlClient['queryAsTenant']>).call(client, tenantId, text, params) as Promise<{ readonly rows: R[] }>
      : <R extends SqlRow>(text: string, params?: readonly unknown[]) => begin((tx) => tx.query<R>(text, params));

  async function prune(): Promise<void> {
    // tokens are needed only while a commit's fate is being learned: an hour is plenty
    try {
      await direct("DELETE FROM crm_commits WHERE tenant_id = $1 AND committed_at < now() - interval '1 hour'", [tenantId]);
    } catch {
      // pruning is housekeeping: a later one tries again
    }
  }

  return {
    tenantId,
    cursors: client.cursors === true,
    async query<R extends SqlRow = SqlRow>(text: string, params?: readonly unknown[]) {
      const deadline = performance.now() + budgetMs;
      for (let attempt = 0; ; attempt++) {
        try {
          return await direct<R>(text, params);
        } catch (e) {
          if (!isTransient(e) || performance.now() >= deadline) throw e;
          await backoff(attempt, deadline);
        }
      }
    },
    transaction: begin,
    async unit<T>(operation: string, work: (tx: SqlExecutor, token: string) => Promise<Result<T, CrmError>>): Promise<Result<T, CrmError>> {
      const deadline = performance.now() + budgetMs;
      for (let attempt = 0; ; attempt++) {
        const token = newToken();
        let decided: Result<T, CrmError> | null = null;
        try {
          const result = await begin(async (tx) => {
            const answer = await work(tx, token);
            if (!answer.ok) throw new Rollback(answer);
            decided = answer;
            return answer;
          });
          // about one commit in PRUNE_EVERY prunes, however many stores share the tenant's commits
          if (Math.random() * PRUNE_EVERY < 1) void prune();
          return result;
        } catch (e) {
          if (e instanceof Rollback) return e.result as Result<T, CrmError>;
          if (e instanceof Refusal) return err(e.error);
          const race = raceCode(e);
          if (race !== null) return err(ruleError('CONFLICT', { entity: 'commit', id: 'commit', expectedVersion: 'unchanged', actualVersion: `changed meanwhile (${race})` }));
          if (unstorableCode(e) !== null) return unstorable(operation, e);
          if (!isTransient(e)) throw e;
          // the connection died: the commit may have landed all the same (it died during COMMIT)
          if (decided !== null) {
            const applied = await tokenApplied(begin, tenantId, token, deadline);
            if (applied === true) return decided;
            if (applied === null) return unavailable(operation, 'unknown', e);
          }
          if (performance.now() >= deadline) return unavailable(operation, 'notApplied', e);
          await backoff(attempt, deadline);
        }
      }
    },
  };
}
