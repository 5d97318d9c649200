import { InvariantError, refuse, type CrmError } from '../core/errors.js';
import { ok, type Result } from '../core/result.js';
import type { InputIssue } from '../core/validation.js';
import type { MetricRecords } from './model.js';

/**
 * What a metric's visit says of one record: counted in the figures, left out by a written rule
 * (a voided lead), outside the query (another window), or why it does not read.
 */
export type Visit = 'counted' | 'excluded' | 'outside' | { readonly path: readonly (string | number)[]; readonly message: string };

const MAX_ISSUES_KEPT = 10;
/** Most records one page holds (a longer one is a record that does not read). */
const MAX_PAGE = 1_000_000;
const TOO_LONG: Visit = Object.freeze({ path: Object.freeze([]), message: `a page holds more than ${MAX_PAGE} records` });
const UNREADABLE: Visit = Object.freeze({ path: Object.freeze([]), message: 'the record could not be read' });

function sourceIssue(name: string): Result<never, CrmError> {
  const message = 'expected an iterable or an async iterable of records, or of pages (arrays) of records';
  return refuse('INVALID_INPUT', { issues: [{ path: [name], message, code: 'invalid_type' }], summary: `${name}: ${message}` });
}

/**
 * Streams a metric's source — an iterable or an async iterable of records or of pages (arrays)
 * of records — through `visit`, one record at a time, numbering records across pages
 * (`<name>.<index>` in issues), never collecting the stream. A record that does not read
 * refuses the run (`onInvalid: 'refuse'`) or is skipped and counted (`'skip'`); a getter or
 * Proxy that throws while a record is read is such a record. An error the source itself throws
 * (a failed database cursor) propagates to the caller. Sync sources are read without an await.
 *
 * @internal
 * @example
 * await streamRecords([[a, b], c], 'journeys', 'refuse', (r) => 'counted') // { ok: true, value: { read: 3, counted: 3, ... } }
 */
export async function streamRecords(
  source: unknown,
  name: string,
  onInvalid: 'refuse' | 'skip',
  visit: (record: unknown, index: number) => Visit,
): Promise<Result<MetricRecords, CrmError>> {
  let sync: Iterable<unknown> | undefined;
  let async: AsyncIterable<unknown> | undefined;
  try {
    if (typeof source === 'object' && source !== null) {
      if (Symbol.asyncIterator in source) async = source as AsyncIterable<unknown>;
      else if (Symbol.iterator in source) sync = source as Iterable<unknown>;
    }
  } catch {
    // a Proxy whose `has` trap throws: not a source
  }
  if (sync === undefined && async === undefined) return sourceIssue(name);
  let read = 0;
  let counted = 0;
  let excluded = 0;
  let skipped = 0;
  const issues: InputIssue[] = [];
  let refusal: InputIssue | null = null;

  const one = (record: unknown, known?: Visit): boolean => {
    const index = read++;
    let v: Visit;
    if (known !== undefined) v = known;
    else {
      try {
        v = visit(record, index);
      } catch (e) {
        if (e instanceof InvariantError) throw e;
        v = UNREADABLE;
      }
    }
    if (v === 'counted') counted++;
    else if (v === 'excluded') excluded++;
    else if (v !== 'outside') {
      const issue: InputIssue = { path: [name, index, ...v.path], message: v.message, code: 'custom' };
      if (onInvalid === 'refuse') {
        refusal = issue;
        return false;
      }
      skipped++;
      if (issues.length < MAX_ISSUES_KEPT) issues.push(issue);
    }
    return true;
  };
  const item = (x: unknown): boolean => {
    let page: readonly unknown[] | undefined;
    try {
      if (Array.isArray(x)) page = x;
    } catch {
      // a revoked Proxy: a record that does not read
    }
    if (page === undefined) return one(x);
    let length = 0;
    try {
      length = page.length;
    } catch {
      return one(page, UNREADABLE);
    }
    if (!(length <= MAX_PAGE)) return one(page, TOO_LONG);
    for (let k = 0; k < length; k++) {
      let record: unknown;
      let unreadable = false;
      try {
        record = page[k];
      } catch {
        unreadable = true;
      }
      if (!one(record, unreadable ? UNREADABLE : undefined)) return false;
    }
    return true;
  };

  if (sync !== undefined) {
    for (const x of sync) if (!item(x)) break;
  } else {
    for await (const x of async!) if (!item(x)) break;
  }
  if (refusal !== null) {
    const r: InputIssue = refusal;
    return refuse('INVALID_INPUT', { issues: [r], summary: `${r.path.join('.')}: ${r.message}` });
  }
  return ok({ read, counted, excluded, skipped, issues });
}
