import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import {
  MAX_INSTANT_MS,
  MIN_INSTANT_MS,
  SAFE_TEXT_MESSAGE,
  deepFreeze,
  entityParser,
  idSchema,
  instantFrom,
  instantSchema,
  isSafeText,
  isValidTimeZone,
  parseInput,
  parseIterable,
  textSchema,
  timeZoneSchema,
  type InputIssue,
} from '../../src/core/index.js';
import { freezeBuilt } from '../../src/core/validation.js';

describe('parseInput', () => {
  const schema = z.object({ id: z.string().min(1), at: instantSchema, tags: z.array(z.string()) }).strict();

  it('returns every issue with its path and message, prefixed by where the input sits', () => {
    const r = parseInput(schema, { id: '', at: 'yesterday', tags: ['a', 3], extra: 1 }, ['command']);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('INVALID_INPUT');
    const issues = r.error.details.issues as { path: (string | number)[]; message: string }[];
    const paths = issues.map((i) => i.path.join('.')).sort();
    expect(paths).toEqual(['command', 'command.at', 'command.id', 'command.tags.1']);
    for (const i of issues) expect(i.message.length).toBeGreaterThan(0);
    expect(r.error.message).toContain('command.at');
  });

  it('accepts Date or ISO-with-offset strings for instants, and rejects garbage', () => {
    expect(parseInput(instantSchema, '2026-01-01T08:00:00+08:00')).toEqual({ ok: true, value: new Date('2026-01-01T00:00:00Z') });
    expect(parseInput(instantSchema, new Date('2026-01-01T00:00:00Z')).ok).toBe(true);
    expect(parseInput(instantSchema, new Date('nope')).ok).toBe(false);
    expect(parseInput(instantSchema, '2026-01-01').ok).toBe(false); // no time, no zone: ambiguous
    expect(parseInput(instantSchema, 1767225600000).ok).toBe(false);
  });

  it('validates IANA zones', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(parseInput(timeZoneSchema, 'Mars/Olympus').ok).toBe(false);
  });
});

describe('instants are copied at the door', () => {
  it('a caller changing its own Date afterwards does not change what was parsed', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const r = parseInput(instantSchema, now);
    now.setTime(0);
    expect(r.ok && r.value.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });
});

describe('the supported instant range (0001-01-01T00:00:00Z … 9999-12-31T23:59:59.999Z)', () => {
  it('accepts both ends and refuses one millisecond beyond, and the edges of the JavaScript range', () => {
    expect(parseInput(instantSchema, new Date(MIN_INSTANT_MS)).ok).toBe(true);
    expect(parseInput(instantSchema, new Date(MAX_INSTANT_MS)).ok).toBe(true);
    expect(parseInput(instantSchema, '0001-01-01T00:00:00Z').ok).toBe(true);
    expect(parseInput(instantSchema, '9999-12-31T23:59:59.999Z').ok).toBe(true);
    for (const bad of [new Date(MIN_INSTANT_MS - 1), new Date(MAX_INSTANT_MS + 1), new Date(8.64e15), new Date(-8.64e15), '0000-12-31T23:59:59Z', '0001-01-01T00:00:00+01:00', '9999-12-31T23:59:59-01:00']) {
      const r = parseInput(instantSchema, bad, ['at']);
      expect(r.ok, String(bad)).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('INVALID_INPUT');
    }
  });

  it('reads a Date once from its own slot: Date-like objects are refused, a shifty subclass gives a fresh plain Date', () => {
    const likes = [Object.create(Date.prototype), new Proxy(new Date(0), {}), { getTime: () => 0 }, new Date(Number.NaN)];
    for (const like of likes) {
      const r = parseInput(instantSchema, like, ['at']);
      expect(r.ok).toBe(false);
      if (!r.ok) expect((r.error.details.issues as InputIssue[])[0]!.path).toEqual(['at']);
    }
    let reads = 0;
    class Shifty extends Date {
      override getTime(): number {
        reads++;
        return reads % 2 ? 0 : Number.NaN;
      }
    }
    const r = parseInput(instantSchema, new Shifty('2026-01-01T00:00:00Z'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.getPrototypeOf(r.value)).toBe(Date.prototype);
    expect(r.value.getTime()).toBe(Date.parse('2026-01-01T00:00:00Z'));
    expect(reads).toBe(0);
    class Throwing extends Date {
      override getTime(): number {
        throw new Error('no');
      }
    }
    expect(parseInput(instantSchema, new Throwing(0)).ok).toBe(true);
    expect(instantFrom(new Throwing(5))?.getTime()).toBe(5);
  });

  describe('properties', () => {
    it('any value: a fresh valid Date in the range, or INVALID_INPUT — never a throw, never an Invalid Date', () => {
      fc.assert(
        fc.property(fc.oneof(fc.anything({ withDate: true, withBigInt: true }), fc.date(), fc.integer({ min: -8.64e15, max: 8.64e15 }).map((t) => new Date(t)), fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString()))), (input) => {
          const r = parseInput(instantSchema, input);
          if (r.ok) {
            expect(Object.getPrototypeOf(r.value)).toBe(Date.prototype);
            expect(r.value).not.toBe(input);
            expect(r.value.getTime()).toBeGreaterThanOrEqual(MIN_INSTANT_MS);
            expect(r.value.getTime()).toBeLessThanOrEqual(MAX_INSTANT_MS);
          } else expect(r.error.code).toBe('INVALID_INPUT');
        }),
        { numRuns: 2000 },
      );
    });
  });
});

describe('text every store can keep', () => {
  it('ids and text refuse NUL and lone surrogates, and keep real pairs and CJK', () => {
    for (const ok of ['L-1', '张伟', '😀', 'a\uD83D\uDE00b']) {
      expect(idSchema.safeParse(ok).success, ok).toBe(true);
      expect(isSafeText(ok)).toBe(true);
    }
    for (const bad of ['a\u0000b', '\u0000', '\uD800', 'x\uDC00', '\uDE00\uD83D']) {
      expect(idSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
      expect(textSchema.safeParse(bad).success).toBe(false);
      expect(isSafeText(bad)).toBe(false);
      const r = parseInput(z.object({ id: idSchema }), { id: bad });
      expect(!r.ok && (r.error.details.issues as InputIssue[])[0]!.message).toBe(SAFE_TEXT_MESSAGE);
    }
    expect(idSchema.safeParse('').success).toBe(false);
    expect(textSchema.max(3).safeParse('abcd').success).toBe(false);
    expect(isSafeText(5)).toBe(false);
  });

  describe('properties', () => {
    it('safe text is exactly what encodes to UTF-8 and back without a NUL', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary' }), (s) => {
          const roundTrips = new TextDecoder().decode(new TextEncoder().encode(s)) === s;
          expect(isSafeText(s)).toBe(roundTrips && !s.includes('\u0000'));
        }),
        { numRuns: 2000 },
      );
    });
  });
});

describe('parseInput and parseIterable read anything without throwing', () => {
  it('getters and Proxies that throw, deep nesting and cycles are INVALID_INPUT', () => {
    const schema = z.object({ id: idSchema, tags: z.array(z.string()) });
    const boom = () => {
      throw new Error('boom');
    };
    const hostile = [
      { get id() { return boom(); }, tags: [] },
      new Proxy({}, { get: boom, ownKeys: boom, getOwnPropertyDescriptor: boom, getPrototypeOf: boom, has: boom }),
      { id: 'x', tags: new Proxy([], { get: boom }) },
    ];
    for (const input of hostile) {
      const r = parseInput(schema, input, ['cmd']);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('INVALID_INPUT');
    }
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const nested = z.lazy((): z.ZodType => z.union([z.string(), z.array(nested)]));
    expect(parseInput(nested, deep).ok).toBe(false);
    expect(parseInput(schema, { id: 'x', tags: [] }, 'not a path' as unknown as string[]).ok).toBe(true);
    const throwingIterable = { [Symbol.iterator]: boom };
    expect(parseIterable(throwingIterable, ['ids']).ok).toBe(false);
    expect(parseIterable(new Proxy({}, { has: boom }), ['ids']).ok).toBe(false);
    expect(parseIterable(null, ['ids']).ok).toBe(false);
  });
});

describe('trusted values: nothing reachable from them can change', () => {
  const recordSchema = z
    .object({
      id: idSchema,
      updatedAt: instantSchema,
      tags: z.array(z.string()),
      history: z.array(z.object({ at: instantSchema, note: z.string() })),
      attributes: z.record(z.string(), z.union([z.string(), z.number()])),
    })
    .strict()
    .refine((r) => r.history.every((h) => h.at.getTime() <= r.updatedAt.getTime()), { message: 'history after the last change' });
  type Rec = z.output<typeof recordSchema>;
  const fresh = (): Rec => {
    const r = recordSchema.safeParse({
      id: 'R1',
      updatedAt: '2026-01-02T00:00:00Z',
      tags: ['a'],
      history: [{ at: '2026-01-01T00:00:00Z', note: 'created' }],
      attributes: { level: 'A' },
    });
    if (!r.success) throw new Error('fixture');
    return r.data;
  };

  it('trust deep-freezes the value: arrays and nested objects too', () => {
    const parser = entityParser(recordSchema, ['record']);
    const rec = parser.trust(fresh());
    for (const part of [rec, rec.tags, rec.history, rec.history[0], rec.attributes]) expect(Object.isFrozen(part)).toBe(true);
    expect(() => (rec.tags as string[]).push('b')).toThrow(TypeError);
    const r = parser.parse(rec);
    expect(r.ok && r.value).toBe(rec); // known and unchanged: no copy, no parse
  });

  it('a Date changed after trust is re-validated: setTime(NaN) is refused, a valid change is parsed afresh', () => {
    const parser = entityParser(recordSchema, ['record']);
    const rec = parser.trust(fresh());
    rec.updatedAt.setTime(Number.NaN);
    const refused = parser.parse(rec);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect((refused.error.details.issues as InputIssue[]).map((i) => i.path.join('.'))).toContain('record.updatedAt');

    const other = parser.trust(fresh());
    other.history[0]!.at.setTime(Date.parse('2030-01-01T00:00:00Z')); // after updatedAt: the refinement refuses it
    expect(parser.parse(other).ok).toBe(false);

    const third = parser.trust(fresh());
    third.updatedAt.setTime(Date.parse('2026-06-01T00:00:00Z'));
    const reparsed = parser.parse(third);
    expect(reparsed.ok).toBe(true);
    if (reparsed.ok) {
      expect(reparsed.value).not.toBe(third); // a full parse: a fresh value
      expect(reparsed.value.updatedAt.toISOString()).toBe('2026-06-01T00:00:00.000Z');
    }
    // setting it back does not make it trusted again: it is parsed in full from now on
    third.updatedAt.setTime(Date.parse('2026-01-02T00:00:00Z'));
    const again = parser.parse(third);
    expect(again.ok && again.value).not.toBe(third);
  });

  it('a value holding something that cannot be frozen or checked is never trusted', () => {
    const schema = z.object({ m: z.instanceof(Map) });
    const parser = entityParser(schema, ['x']);
    const value = parser.trust({ m: new Map() });
    const r = parser.parse(value);
    expect(r.ok && r.value).not.toBe(value);
    const subclassParser = entityParser(z.object({ at: instantSchema }), ['x']);
    class MyDate extends Date {}
    const withSubclass = subclassParser.trust({ at: new MyDate(0) });
    const parsed = subclassParser.parse(withSubclass);
    expect(parsed.ok && parsed.value).not.toBe(withSubclass);
    const cyclic: Record<string, unknown> = { at: new Date(0) };
    cyclic.self = cyclic;
    expect(() => subclassParser.trust(cyclic as { at: Date })).not.toThrow();
  });

  describe('properties', () => {
    it('any mutation reachable from a trusted value (a Date setter, a field, an array push) is refused or re-validated, never accepted as it is', () => {
      const setters: ((d: Date, x: number) => void)[] = [
        (d, x) => d.setTime(x),
        (d, x) => d.setUTCFullYear(x),
        (d, x) => d.setUTCMilliseconds(x),
        (d, x) => d.setMonth(x),
      ];
      fc.assert(
        fc.property(
          fc.constantFrom('updatedAt', 'historyAt'),
          fc.nat({ max: setters.length - 1 }),
          fc.oneof(fc.double(), fc.integer(), fc.constant(Number.NaN), fc.constant(8.64e15)),
          fc.constantFrom('set', 'push', 'delete', 'none'),
          (which, setter, x, structural) => {
            const parser = entityParser(recordSchema, ['record']);
            const rec = parser.trust(fresh());
            const date = which === 'updatedAt' ? rec.updatedAt : rec.history[0]!.at;
            const before = date.getTime();
            setters[setter]!(date, x);
            // structural mutations are impossible: the value is frozen all the way down
            if (structural === 'set') expect(() => ((rec as { id: string }).id = 'other')).toThrow(TypeError);
            if (structural === 'push') expect(() => (rec.history as unknown[]).push({})).toThrow(TypeError);
            if (structural === 'delete') expect(() => delete (rec.attributes as Record<string, unknown>).level).toThrow(TypeError);
            const r = parser.parse(rec);
            if (date.getTime() === before) {
              expect(r.ok && r.value).toBe(rec);
              return;
            }
            // changed: a full parse decided — a fresh value, or a refusal
            if (r.ok) {
              expect(r.value).not.toBe(rec);
              expect(Number.isNaN(r.value.updatedAt.getTime())).toBe(false);
              expect(recordSchema.safeParse(rec).success).toBe(true);
            } else expect(recordSchema.safeParse(rec).success).toBe(false);
          },
        ),
        { numRuns: 1000 },
      );
    });
  });
});

describe('deepFreeze', () => {
  it('freezes objects and arrays all the way down, leaves Dates and typed arrays, copes with cycles and hostile Proxies', () => {
    const at = new Date(0);
    const value: Record<string, unknown> = { events: [{ data: { ids: ['a'] }, at }], bytes: new Uint8Array(2) };
    value.self = value;
    expect(deepFreeze(value)).toBe(value);
    const events = value.events as { data: { ids: string[] } }[];
    for (const part of [value, events, events[0], events[0]!.data, events[0]!.data.ids]) expect(Object.isFrozen(part)).toBe(true);
    expect(Object.isFrozen(at)).toBe(false);
    at.setTime(5); // a Date stays a Date
    const boom = () => {
      throw new Error('boom');
    };
    expect(() => deepFreeze({ p: new Proxy({}, { preventExtensions: boom, ownKeys: boom, getOwnPropertyDescriptor: boom }) })).not.toThrow();
    expect(deepFreeze(5)).toBe(5);
  });

  it('a value frozen once is known: freezing it again walks nothing, and a value inside it is frozen with it', () => {
    const inner = { ids: ['a'] };
    const outer = deepFreeze({ inner });
    expect(deepFreeze(outer)).toBe(outer);
    expect(Object.isFrozen(inner.ids)).toBe(true);
  });
});

describe('freezeBuilt (an answer the rule built: read directly)', () => {
  it('freezes every object and array of an answer, leaves its Dates as they are', () => {
    const at = new Date(0);
    const answer = { duplicates: [{ fields: [{ name: 'phone', score: 1 }], at }], stats: Object.create(null) as Record<string, number> };
    answer.stats.n = 1;
    expect(freezeBuilt(answer)).toBe(answer);
    for (const part of [answer, answer.duplicates, answer.duplicates[0], answer.duplicates[0]!.fields, answer.duplicates[0]!.fields[0], answer.stats]) expect(Object.isFrozen(part)).toBe(true);
    expect(Object.isFrozen(at)).toBe(false);
    expect(freezeBuilt(7)).toBe(7);
  });

  it('any tree of plain objects and arrays comes out frozen at every level, as deepFreeze would freeze it', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => {
        const a = JSON.parse(JSON.stringify(v)) as unknown;
        freezeBuilt(a);
        const frozenAll = (x: unknown): boolean => typeof x !== 'object' || x === null || (Object.isFrozen(x) && Object.values(x).every(frozenAll));
        expect(frozenAll(a)).toBe(true);
      }),
    );
  });

  it('nesting deeper than any answer falls back to the careful walk, without a throw', () => {
    const deep = JSON.parse('['.repeat(2000) + ']'.repeat(2000)) as unknown;
    expect(() => freezeBuilt(deep)).not.toThrow();
    expect(Object.isFrozen(deep)).toBe(true);
  });
});
