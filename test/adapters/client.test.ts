import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { fromPg } from '../../src/adapters/postgres/index.js';
import { isTransient } from '../../src/adapters/postgres/client.js';

/** A node-postgres Pool look-alike whose connections fail where told, recording how each was released. */
function fakePool(fail: { readonly statement: RegExp; readonly error: object }[]) {
  const released: unknown[] = [];
  const listeners: number[] = [];
  const statements: string[] = [];
  let conn: Record<string, unknown> | null = null;
  const pool = {
    totalCount: 1,
    idleCount: 1,
    options: { max: 4 },
    async query() {
      return { rows: [] };
    },
    async connect() {
      // one connection, given out again and again (a pool of one)
      if (conn !== null) return conn;
      let listening = 0;
      conn = {
        on: (event: string) => void (event === 'error' && listening++),
        removeListener: (event: string) => void (event === 'error' && listening--),
        async query(text: string) {
          statements.push(text);
          const f = fail.find((x) => x.statement.test(text));
          if (f) throw f.error;
          return { rows: [{ ok: 1 }] };
        },
        release(error?: unknown) {
          listeners.push(listening);
          released.push(error ?? false);
          if (error) conn = null;
        },
      };
      return conn;
    },
  };
  return { pool, released, listeners, statements };
}

describe('fromPg on a pool: connections it must not give out again', () => {
  it('a transaction whose ROLLBACK fails (timed out, connection gone) releases its connection as broken', async () => {
    const { pool, released } = fakePool([
      { statement: /^SELECT 2/, error: Object.assign(new Error('duplicate key'), { code: '23505' }) },
      { statement: /^ROLLBACK/, error: Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }) },
    ]);
    const client = fromPg(pool as never);
    await expect(client.transaction(async (tx) => tx.query('SELECT 2', [1]))).rejects.toMatchObject({ code: '23505' });
    expect(released).toHaveLength(1);
    expect(released[0]).toBeInstanceOf(Error);
  });

  it('a transaction that fails on the data but rolls back keeps its connection; one that ends well too', async () => {
    const { pool, released } = fakePool([{ statement: /^SELECT 2/, error: Object.assign(new Error('duplicate key'), { code: '23505' }) }]);
    const client = fromPg(pool as never);
    await expect(client.transaction(async (tx) => tx.query('SELECT 2', [1]))).rejects.toMatchObject({ code: '23505' });
    await client.transaction(async (tx) => tx.query('SELECT 1', [1]));
    expect(released).toEqual([false, false]);
  });

  it('a connection lost mid-transaction is released as broken, and listened to while held (never an uncaught error event)', async () => {
    const { pool, released, listeners } = fakePool([{ statement: /^SELECT 2/, error: Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' }) }]);
    const client = fromPg(pool as never);
    await expect(client.transactionAsTenant!('acme', async (tx) => tx.query('SELECT 2', [1]))).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(released[0]).toBeInstanceOf(Error);
    // while held the connection had one 'error' listener of fromPg's; it was removed before release
    expect(listeners).toEqual([0]);
  });

  it('a connection whose server hangs up during the hand-over (the FATAL read with its ReadyForQuery) is listened to already, and discarded', async () => {
    // node-postgres hands a new connection over and goes on reading the same packet: an error in
    // it is emitted before any code awaiting pool.connect() runs. An EventEmitter with no 'error'
    // listener throws: the pool below records whether one was there.
    const released: unknown[] = [];
    const heard: boolean[] = [];
    const pool = {
      totalCount: 1,
      idleCount: 0,
      options: { max: 4 },
      async query() {
        return { rows: [] };
      },
      connect(callback?: (error: Error | undefined, conn: unknown, release: unknown) => void) {
        const conn = Object.assign(new EventEmitter(), {
          queryable: true,
          async query() {
            if (!conn.queryable) throw new Error('Client has encountered a connection error and is not queryable');
            return { rows: [{ ok: 1 }] };
          },
          release: (error?: unknown) => void released.push(error ?? false),
        });
        if (callback === undefined) return Promise.resolve(conn);
        callback(undefined, conn, conn.release);
        heard.push(conn.listenerCount('error') > 0);
        conn.queryable = false;
        try {
          conn.emit('error', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }));
        } catch {
          // an uncaught exception in node-postgres
        }
        return undefined;
      },
    };
    const client = fromPg(pool as never);
    await expect(client.transactionAsTenant!('acme', async (tx) => tx.query('SELECT 1', []))).rejects.toThrow(/not queryable/);
    await expect(client.queryAsTenant!('acme', 'SELECT 1', [])).rejects.toThrow(/not queryable/);
    expect(heard).toEqual([true, true]);
    // the error heard during the hand-over marks the connection broken: it is not given out again
    expect(released).toHaveLength(2);
    for (const r of released) expect(r).toMatchObject({ code: '57P01' });
  });

  it('a pool that only answers with a promise is used as one', async () => {
    const { pool, released, listeners } = fakePool([]);
    const client = fromPg(pool as never);
    await client.transaction(async (tx) => tx.query('SELECT 1', []));
    expect(released).toEqual([false]);
    expect(listeners).toEqual([0]);
  });

  it('a tenant query sets the tenant once per connection and tenant', async () => {
    const { pool, statements } = fakePool([]);
    const client = fromPg(pool as never);
    await client.queryAsTenant!('acme', 'SELECT 1', [1]);
    await client.queryAsTenant!('acme', 'SELECT 1', [1]);
    await client.queryAsTenant!('globex', 'SELECT 1', [1]);
    // the same connection each time: set for acme, kept, set for globex
    expect(statements.filter((s) => s.includes('set_config'))).toHaveLength(2);
  });
});

describe('fromPg: the tenant of each connection, whichever wrapper set it', () => {
  it('two wrappers over one pool: a connection one of them moved to another tenant is set again by the other', async () => {
    const { pool, statements } = fakePool([]);
    const a = fromPg(pool as never);
    const b = fromPg(pool as never);
    await a.queryAsTenant!('acme', 'SELECT 1', [1]);
    await b.queryAsTenant!('globex', 'SELECT 1', [1]);
    await a.queryAsTenant!('acme', 'SELECT 1', [1]);
    await a.queryAsTenant!('acme', 'SELECT 1', [1]);
    expect(statements.map((s) => (s.includes('set_config') ? 'set' : s))).toEqual(['set', 'SELECT 1', 'set', 'SELECT 1', 'set', 'SELECT 1', 'SELECT 1']);
  });

  it('a transaction sets its tenant locally with BEGIN, in one text that holds no character of the tenant', async () => {
    const { pool, statements } = fakePool([]);
    const client = fromPg(pool as never);
    const tenant = "o'brien\\'; DROP TABLE crm_leads; --";
    await client.transactionAsTenant!(tenant, async (tx) => tx.query('SELECT 1', [1]));
    expect(statements[0]).toMatch(/^BEGIN; SELECT set_config\('crm\.tenant_id', convert_from\(decode\('[0-9a-f]+', 'hex'\), 'UTF8'\), true\)$/);
    const hex = /decode\('([0-9a-f]+)'/.exec(statements[0]!)![1]!;
    expect(new TextDecoder().decode(Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16))))).toBe(tenant);
    expect(statements.slice(1)).toEqual(['SELECT 1', 'COMMIT']);
  });

  it("pooling: 'transaction' (PgBouncer) leaves no tenant in any session: no queryAsTenant, so reads run in transactions", async () => {
    const { pool, statements } = fakePool([]);
    const client = fromPg(pool as never, { pooling: 'transaction' });
    expect(client.queryAsTenant).toBeUndefined();
    await client.transactionAsTenant!('acme', async (tx) => tx.query('SELECT 1', [1]));
    expect(statements.some((s) => s.includes("set_config('crm.tenant_id', $1, false)"))).toBe(false);
  });
});

describe('fromPg: which failures cost a connection', () => {
  it('a statement cancelled by statement_timeout or a lock wait that timed out keeps its connection; a lost connection does not', async () => {
    for (const [code, broken] of [
      ['57014', false],
      ['55P03', false],
      ['57P01', true],
      ['ECONNRESET', true],
      ['25006', true],
    ] as const) {
      const { pool, released } = fakePool([{ statement: /^SELECT 2/, error: Object.assign(new Error(`failed ${code}`), { code }) }]);
      const client = fromPg(pool as never);
      await expect(client.queryAsTenant!('acme', 'SELECT 2', [1])).rejects.toMatchObject({ code });
      expect(released[0] instanceof Error, code).toBe(broken);
    }
  });
});

describe('fromPg on one client', () => {
  it('a ROLLBACK that failed on a live connection is sent again before the next use (never a statement inside the aborted transaction)', async () => {
    const statements: string[] = [];
    let rollbackFails = 1;
    const single = {
      async query(text: string) {
        statements.push(text);
        if (text === 'SELECT 2') throw Object.assign(new Error('duplicate key'), { code: '23505' });
        if (text === 'ROLLBACK' && rollbackFails-- > 0) throw Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' });
        return { rows: [{ ok: 1 }] };
      },
    };
    const client = fromPg(single);
    await expect(client.transaction(async (tx) => tx.query('SELECT 2', [1]))).rejects.toMatchObject({ code: '23505' });
    await client.query('SELECT 1', [1]);
    expect(statements).toEqual(['BEGIN', 'SELECT 2', 'ROLLBACK', 'ROLLBACK', 'SELECT 1']);
  });
});

describe('isTransient: what is worth retrying', () => {
  it('the connection, the server, a timeout, a failover to a read-only server; not the data, not a client the host closed', () => {
    expect(isTransient({ code: '08006' })).toBe(true);
    expect(isTransient({ code: '57P01' })).toBe(true);
    expect(isTransient({ code: '57014' })).toBe(true);
    expect(isTransient({ code: '25006' })).toBe(true);
    expect(isTransient(new Error('Client has encountered a connection error and is not queryable'))).toBe(true);
    expect(isTransient(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransient(new Error('Client was closed and is not queryable'))).toBe(false);
    expect(isTransient(new Error('Cannot use a pool after calling end on the pool'))).toBe(false);
    expect(isTransient({ code: '23505' })).toBe(false);
    expect(isTransient({ code: '22P05' })).toBe(false);
    expect(isTransient(null)).toBe(false);
  });
});
