import { describe, expect, it } from 'vitest';
import { fromPg } from '../../src/adapters/postgres/index.js';

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
