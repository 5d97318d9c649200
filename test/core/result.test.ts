import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalToString, err, ok, parseDecimal, RefusalError, unwrap } from '../../src/core/index.js';
import { claimLead, createLead } from '../../src/leads/index.js';

describe('unwrap', () => {
  it('gives the value of a success and throws the refusal, code and details kept, for a refusal', () => {
    expect(decimalToString(unwrap(parseDecimal('19.99')))).toBe('19.99');
    const now = new Date('2026-03-02T09:30:00+08:00');
    const created = unwrap(createLead({ id: 'L-1', source: 'manual', name: '张伟' }, { now, actor: { id: 'rep-li', relations: [] } }));
    // a lead owned by its creator is pending: claiming it is not a transition the table has
    const refused = claimLead(created.lead as never, { now, actor: { id: 'rep-wang', relations: ['poolMember'] } });
    expect(refused.ok).toBe(false);
    let thrown: unknown;
    try {
      unwrap(refused);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(RefusalError);
    expect(thrown).toBeInstanceOf(Error);
    const e = thrown as RefusalError;
    if (refused.ok) throw new Error('unreachable');
    expect(e.code).toBe(refused.error.code);
    expect(e.details).toBe(refused.error.details);
    expect(e.error).toBe(refused.error);
    expect(e.message).toContain(refused.error.code);
  });

  it('what is not a Result throws RefusalError with INVALID_INPUT, never anything else', () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('boom'); } });
    for (const [i, bad] of [undefined, null, 42, 'ok', {}, { ok: 'true' }, { ok: false }, { ok: false, error: 'x' }, { ok: false, error: { code: 1 } }, hostile].entries()) {
      expect(() => unwrap(bad as never), `case ${i}`).toThrow(RefusalError);
      try {
        unwrap(bad as never);
      } catch (e) {
        expect((e as RefusalError).code).toBe('INVALID_INPUT');
      }
    }
  });

  it('properties: unwrap(ok(v)) is v; unwrap(err(e)) throws e; any input either gives a value of an ok Result or throws RefusalError', () => {
    fc.assert(
      fc.property(fc.anything(), (v) => {
        expect(Object.is(unwrap(ok(v)), v)).toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.dictionary(fc.string(), fc.anything()), (code, message, details) => {
        const e = { code, message, details };
        expect(() => unwrap(err(e))).toThrow(RefusalError);
        try {
          unwrap(err(e));
        } catch (thrown) {
          expect((thrown as RefusalError).error).toBe(e);
          expect((thrown as RefusalError).code).toBe(code);
        }
      }),
    );
    fc.assert(
      fc.property(fc.anything({ withObjectString: true, withNullPrototype: true }), (input) => {
        const okInput = typeof input === 'object' && input !== null && (input as { ok?: unknown }).ok === true;
        try {
          const got = unwrap(input as never);
          expect(okInput).toBe(true);
          expect(Object.is(got, (input as { value?: unknown }).value)).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(RefusalError);
        }
      }),
    );
  });
});
