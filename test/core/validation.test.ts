import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { instantSchema, isValidTimeZone, parseInput, timeZoneSchema } from '../../src/core/index.js';

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
