import { InvariantError, refuse, type CrmError } from '../core/errors.js';
import { ok, type Result } from '../core/result.js';
import { openIterator, type InputIssue } from '../core/validation.js';
import type { MetricRecords } from './model.js';

/**
 * What a metric's visit says of one record: counted in the figures, left out by a written rule
 * (a voided lead), outside the query (another window), or why it does not read.
 */
export type Visit = 'counted' | 'excluded' | 'outside' | { readonly path: readonly (string | number)[]; readonly message: string };

const MAX_ISSUES_KEPT = 10;
/** Most records one page holds (a longer one is a record that does not read). */
const MAX_PAGE = 1_000_000;
/** Most records a source given as one array holds. */
const MAX_ARRAY = 10_000_000;
const TOO_LONG: Visit = Object.freeze({ path: Object.freeze([]), message: `a page holds more than ${MAX_PAGE} records` });
const UNREADABLE: Visit = Object.freeze({ path: Object.freeze([]), message: 'the record could not be read' });

function sourceIssue(name: string, message = 'expected an iterable or an async iterable of records, or of pages (arrays) of records'): Result<never, CrmError> {
  return refuse('INVALID_INPUT', { issues: [{ path: [name], message, code: 'invalid_type' }], summary: `${name}: ${message}` });
}

/** Whether `e` is the library's own `InvariantError` (a bug: let through), asked without throwing on a hostile value. */
function isInvariant(e: unknown): boolean {
  try {
    return e instanceof InvariantError;
  } catch {
    return false;
  }
}

/** Calls an iterator's `return` (if any), ignoring whatever it does. */
function closeQuietly(iterator: Iterator<unknown> | AsyncIterator<unknown>): void {
  try {
    const close: unknown = (iterator as { return?: unknown }).return;
    if (typeof close === 'function') {
      const r: unknown = close.call(iterator);
      if (r instanceof Promise) r.catch(() => undefined);
    }
  } catch {
    // the source's own business
  }
}

/**
 * Streams a metric's source — an iterable or an async iterable of records or of pages (arrays)
 * of records — through `visit`, one record at a time, numbering records across pages
 * (`<name>.<index>` in issues), never collecting the stream. A record that does not read
 * refuses the run (`onInvalid: 'refuse'`) or is skipped and counted (`'skip'`); a getter or
 * Proxy that throws while a record is read is such a record. A source that stops answering as
 * an iterator (a `TypeError` from its `next`: a built-in iterator behind a Proxy) refuses the run
 * at `<name>`; any other error the source itself throws (a failed database cursor) propagates to
 * the caller; a run that stops early (a refusal) calls
 * the source's `return`, so a cursor closes. Sync sources are read without an await; an array
 * holds at most 10,000,000 records, a page 1,000,000.
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
  // the iterator, got once: a method that is not a function, throws or answers no object is not a source
  const opened = openIterator(source);
  if (opened === undefined) return sourceIssue(name);
  const { iterator, async: isAsync } = opened;
  let arrayLength = -1;
  try {
    if (!isAsync && Array.isArray(source)) arrayLength = source.length;
  } catch {
    // a Proxy whose length throws: not a source
    closeQuietly(iterator);
    return sourceIssue(name);
  }
  if (!(arrayLength <= MAX_ARRAY)) return sourceIssue(name, `an array holds at most ${MAX_ARRAY} records: stream more as pages`);
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
        if (isInvariant(e)) throw e;
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

  let done = false;
  try {
    if (arrayLength >= 0) {
      // an array: read by index up to the length read once (its own iterator would read it again)
      for (let k = 0; k < arrayLength; k++) {
        let x: unknown;
        let unreadable = false;
        try {
          x = (source as readonly unknown[])[k];
        } catch {
          unreadable = true;
        }
        if (!(unreadable ? one(undefined, UNREADABLE) : item(x))) break;
      }
      done = true;
    } else {
      for (;;) {
        let step: unknown;
        try {
          step = isAsync ? await (iterator as AsyncIterator<unknown>).next() : (iterator as Iterator<unknown>).next();
        } catch (e) {
          // the engine refusing a built-in iterator behind a Proxy as a receiver: not a working
          // source; any other error is the source's own (a failed cursor) and propagates
          if (!(e instanceof TypeError)) throw e;
          return sourceIssue(name, 'the source stopped answering as an iterator (a built-in iterator behind a Proxy?)');
        }
        if (typeof step !== 'object' || step === null) return sourceIssue(name, 'the source answered something that is not an iterator result');
        if ((step as IteratorResult<unknown>).done) {
          done = true;
          break;
        }
        if (!item((step as IteratorResult<unknown>).value)) break;
      }
    }
  } finally {
    // stopped early (a refusal, an error): let the source close its cursor
    if (!done) closeQuietly(iterator);
  }
  if (refusal !== null) {
    const r: InputIssue = refusal;
    return refuse('INVALID_INPUT', { issues: [r], summary: `${r.path.join('.')}: ${r.message}` });
  }
  return ok({ read, counted, excluded, skipped, issues });
}

