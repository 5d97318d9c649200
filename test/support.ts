import type { Result } from '../src/core/index.js';

/** The value of a success; fails the test with the refusal otherwise. */
export function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** The error of a refusal; fails the test on a success. */
export function error(r: Result<unknown>) {
  if (r.ok) throw new Error('expected a refusal');
  return r.error;
}

/** The paths of an INVALID_INPUT's issues, dotted. */
export const issuePaths = (r: Result<unknown>) => (error(r).details.issues as { path: unknown[] }[]).map((i) => i.path.join('.'));
