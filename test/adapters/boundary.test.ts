import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createPostgresPaymentStore,
  createPostgresStore,
  decodeDocument,
  encodeDocument,
  fromPg,
  fromPGlite,
  migrate,
  UnusableClientError,
} from '../../src/adapters/postgres/index.js';

/** Anything a careless or hostile host could hand in. */
const anything = fc.anything({ withBigInt: true, withNullPrototype: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, maxDepth: 3 });

/** A structural snapshot: what a value holds and whether each part is frozen. */
function snapshot(x: unknown, seen = new Set<unknown>()): string {
  if (typeof x === 'bigint') return `${x}n`;
  if (typeof x === 'symbol') return x.toString();
  if (x === null || typeof x !== 'object') return Object.is(x, -0) ? '-0' : JSON.stringify(x) ?? String(x);
  if (seen.has(x)) return '…';
  seen.add(x);
  if (x instanceof Date) return `Date(${Date.prototype.getTime.call(x)})${Object.isFrozen(x)}`;
  if (x instanceof Map) return `Map${Object.isFrozen(x)}[${[...x].map(([k, v]) => snapshot(k, seen) + ':' + snapshot(v, seen))}]`;
  if (x instanceof Set) return `Set${Object.isFrozen(x)}[${[...x].map((v) => snapshot(v, seen))}]`;
  return `${Object.isFrozen(x)}{${Reflect.ownKeys(x).map((k) => `${String(k)}=${snapshot((x as Record<PropertyKey, unknown>)[k], seen)}`)}}`;
}

function deepFrozen(x: unknown, seen = new Set<unknown>()): boolean {
  if (x === null || typeof x !== 'object' || x instanceof Date || seen.has(x)) return true;
  seen.add(x);
  return Object.isFrozen(x) && Object.values(x).every((v) => deepFrozen(v, seen));
}

const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code);

describe('factories never throw: an unusable driver gives a client or store that fails like an unreachable database', () => {
  it('fromPg, fromPGlite and the store factories on garbage return, and every call rejects with UnusableClientError naming the option', async () => {
    for (const garbage of [undefined, null, 0, 'pg', {}, { query: 1 }, new Proxy({}, { get: () => { throw new Error('trap'); } })]) {
      for (const client of [fromPg(garbage as never), fromPGlite(garbage as never)]) {
        await expect(client.query('SELECT 1')).rejects.toBeInstanceOf(UnusableClientError);
        await expect(client.transaction(async () => 1)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      }
      const store = createPostgresStore(garbage as never);
      await expect(store.loadLead('L-1')).rejects.toMatchObject({ code: 'INVALID_INPUT', option: 'options.client' });
      await expect(store.commit({ leads: [{ record: { id: 'L-1', version: 1 } as never, expectedVersion: null }] })).rejects.toBeInstanceOf(UnusableClientError);
      const payments = createPostgresPaymentStore({ client: garbage } as never);
      await expect(payments.loadPlan('PP-1')).rejects.toMatchObject({ option: 'options.client' });
    }
  });

  it('a pageSize or dedupeBlockLimit that is not a positive integer falls back to its default', () => {
    const client = fromPGlite({} as never);
    for (const bad of [0, -1, 1.5, NaN, '10', 10n, null]) {
      expect(() => createPostgresStore({ client, pageSize: bad as never, dedupeBlockLimit: bad as never })).not.toThrow();
    }
  });

  it('migrate refuses what is not a client or a list of migrations with INVALID_INPUT, never a throw', async () => {
    for (const garbage of [undefined, null, {}, 'db', [], { query: () => 0 }]) {
      const r = await migrate(garbage as never);
      expect(code(r)).toBe('INVALID_INPUT');
    }
    const client = { query: async () => ({ rows: [] }), transaction: async () => { throw new Error('not reached'); } };
    for (const list of [null, 'x', [{ id: 1, sql: '' }], [{ id: '', sql: 'SELECT 1' }], [{ id: 'a\u0000', sql: 'SELECT 1' }], [null]]) {
      expect(code(await migrate(client, list as never))).toBe('INVALID_INPUT');
    }
  });

  it('property: no factory and no migrate throws or rejects on any argument', async () => {
    await fc.assert(
      fc.asyncProperty(anything, anything, async (a, b) => {
        fromPg(a as never);
        fromPGlite(a as never);
        createPostgresStore(a as never);
        createPostgresPaymentStore(a as never);
        const r = await migrate(a as never, b as never);
        expect(r.ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('encodeDocument and decodeDocument: total, never change or freeze their argument', () => {
  it('a Date-like object that is not a Date is encoded as the object it is, never a throw', () => {
    const dateLike = Object.create(Date.prototype) as Date;
    expect(unwrap(encodeDocument({ at: dateLike })).dates).toBeNull();
    const proxied = new Proxy(new Date(0), {});
    expect(encodeDocument({ at: proxied }).ok).toBe(true);
    expect(unwrap(encodeDocument({ at: new Date(0) }))).toEqual({ json: '{"at":"1970-01-01T00:00:00.000Z"}', dates: '[["at"]]' });
  });

  it('what a JSONB column cannot hold the same way is INVALID_INPUT with its path', () => {
    const cases: [unknown, (string | number)[]][] = [
      [{ note: 'a\u0000b' }, ['note']],
      [{ list: ['ok', '\uD800'] }, ['list', 1]],
      [{ ['k\u0000']: 1 }, ['k\u0000']],
      [{ minor: 10n }, ['minor']],
      [{ n: NaN }, ['n']],
      [{ at: new Date(NaN) }, ['at']],
      [{ m: new Map() }, ['m']],
      [undefined, []],
    ];
    for (const [value, path] of cases) {
      const r = encodeDocument(value);
      expect(code(r)).toBe('INVALID_INPUT');
      if (!r.ok) expect((r.error.details as { issues: readonly { path: unknown }[] }).issues[0]!.path).toEqual(path);
    }
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(code(encodeDocument(cyclic))).toBe('INVALID_INPUT');
    // a surrogate pair is whole text: stored as it is
    expect(unwrap(encodeDocument({ name: '𠮷' })).json).toBe('{"name":"𠮷"}');
  });

  it('decodeDocument copies: the caller’s array is neither changed nor frozen; null and corrupt rows are INVALID_INPUT', () => {
    const doc = [{ at: '2026-05-01T02:00:00.000Z' }];
    const back = unwrap(decodeDocument<{ at: Date }[]>(doc, [[0, 'at']]));
    expect(back[0]!.at).toBeInstanceOf(Date);
    expect(doc[0]!.at).toBe('2026-05-01T02:00:00.000Z');
    expect(Object.isFrozen(doc)).toBe(false);
    expect(Object.isFrozen(doc[0])).toBe(false);
    expect(deepFrozen(back)).toBe(true);
    expect(unwrap(decodeDocument(null, null))).toBeNull();
    expect(code(decodeDocument({ a: 1 }, 'not json'))).toBe('INVALID_INPUT');
    expect(code(decodeDocument('{oops', null))).toBe('INVALID_INPUT');
    expect(code(decodeDocument({ at: 'yesterday' }, [['at']]))).toBe('INVALID_INPUT');
    expect(code(decodeDocument({ a: 1 }, [['nowhere', 'at']]))).toBe('INVALID_INPUT');
    expect(code(decodeDocument({ a: 1 }, [[{}]]))).toBe('INVALID_INPUT');
    expect(code(decodeDocument({ n: 10n }, null))).toBe('INVALID_INPUT');
    // a __proto__ key from a JSON row stays an own key, never a prototype
    const polluted = unwrap(decodeDocument<Record<string, unknown>>(JSON.parse('{"__proto__": {"x": 1}}'), null));
    expect(Object.getPrototypeOf(polluted)).toBe(Object.prototype);
    expect(Object.keys(polluted)).toEqual(['__proto__']);
  });

  describe('properties', () => {
    it('neither function throws on any arguments, nor changes or freezes them; ok values of decode are deep-frozen', () => {
      fc.assert(
        fc.property(anything, anything, (doc, dates) => {
          const before = [snapshot(doc), snapshot(dates)];
          const encoded = encodeDocument(doc);
          const decoded = decodeDocument(doc, dates);
          expect([snapshot(doc), snapshot(dates)]).toEqual(before);
          if (encoded.ok) expect(typeof encoded.value.json).toBe('string');
          if (decoded.ok) expect(deepFrozen(decoded.value)).toBe(true);
        }),
        { numRuns: 1000 },
      );
    });

    it('a JSON-shaped record with Dates comes back equal (Dates as Dates, look-alike strings as strings)', () => {
      const leaf = fc.oneof(
        fc.string({ unit: 'grapheme' }),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.constant('2026-05-01T02:00:00.000Z'),
      );
      const record = fc.letrec((tie) => ({
        node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 5 }), tie('node'), { maxKeys: 3 })),
      })).node;
      // a record is an object (a string doc is read as JSON text, so the root is never a bare string)
      const recordArb = fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 5 }), record, { maxKeys: 4 });
      fc.assert(
        fc.property(recordArb, (value) => {
          const { json, dates } = unwrap(encodeDocument(value));
          expect(unwrap(decodeDocument(JSON.parse(json), dates))).toEqual(value);
          expect(unwrap(decodeDocument(json, dates))).toEqual(value);
        }),
        { numRuns: 500 },
      );
    });

    it('text with a NUL or a lone surrogate anywhere is refused; any well-formed text is kept', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary' }), (text) => {
          const wellFormed = !/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
          expect(encodeDocument({ text }).ok).toBe(wellFormed);
          expect(encodeDocument({ [text]: 1 }).ok).toBe(wellFormed);
        }),
        { numRuns: 1000 },
      );
    });
  });
});

function unwrap<T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!r.ok) throw new Error(`expected ok: ${JSON.stringify(r.error)}`);
  return r.value;
}
