import { z } from 'zod';
import { invalidAt } from './boundary.js';
import { ALL_ERROR_CODES, type ErrorCode } from './codes.js';
import { err, ok, type Result } from './result.js';
import type { CrmError } from './errors.js';
import { deepFreeze, parseInput, textSchema } from './validation.js';

const answerSchema = z.union([
  z.object({ ok: z.literal(true) }),
  z.object({
    ok: z.literal(false),
    error: z.object({ code: z.enum(ALL_ERROR_CODES as [ErrorCode, ...ErrorCode[]]), message: textSchema.max(10_000), details: z.record(textSchema, z.unknown()) }),
  }),
]);

/**
 * A store's answer to a write, read as a Result: ok, or the store's refusal (a known code) with
 * its details copied (JSON-shaped data and Dates of their own, nothing shared with the store)
 * and frozen. Anything else — an unknown code, details that cannot be copied — is `INVALID_INPUT`
 * at `path`. Never throws.
 *
 * @internal
 * @example
 * readStoreAnswer(await store.commit(commit), ['store', 'commit'])
 */
export function readStoreAnswer(value: unknown, path: readonly (string | number)[]): Result<void, CrmError> {
  const parsed = parseInput(answerSchema, value, path);
  if (!parsed.ok) return parsed;
  const answer = parsed.value;
  if (answer.ok) return ok(undefined);
  const details = dataCopy(answer.error.details, 0, new Set());
  if (details === NOT_DATA) return invalidAt([...path, 'error', 'details'], 'the details are not data (they cannot be copied)');
  return err(deepFreeze({ code: answer.error.code, message: answer.error.message, details }) as CrmError);
}

const NOT_DATA = Symbol('not data');

/**
 * A copy of JSON-shaped data with Dates (each a Date of its own): scalars, plain arrays, plain
 * objects (own enumerable keys), Dates. Anything else — a Map, a typed array, a class instance, a
 * function, a cycle, a getter that throws, nesting deeper than 100 — is `NOT_DATA`.
 */
function dataCopy(value: unknown, depth: number, seen: Set<object>): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : NOT_DATA;
  if (typeof value !== 'object' || depth > 100 || seen.has(value)) return NOT_DATA;
  try {
    if (value instanceof Date) {
      const t = Date.prototype.getTime.call(value);
      return t === t ? new Date(t) : NOT_DATA;
    }
    const proto = Object.getPrototypeOf(value);
    seen.add(value);
    if (Array.isArray(value)) {
      if (proto !== Array.prototype) return NOT_DATA;
      const out: unknown[] = [];
      for (let i = 0; i < value.length; i++) {
        const v = dataCopy(value[i], depth + 1, seen);
        if (v === NOT_DATA) return NOT_DATA;
        out.push(v);
      }
      seen.delete(value);
      return out;
    }
    if (proto !== Object.prototype && proto !== null) return NOT_DATA;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const v = dataCopy((value as Record<string, unknown>)[key], depth + 1, seen);
      if (v === NOT_DATA) return NOT_DATA;
      Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    }
    seen.delete(value);
    return out;
  } catch {
    return NOT_DATA;
  }
}
