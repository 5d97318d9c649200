/**
 * Records as JSONB documents: instants are stored as ISO strings (readable and indexable in
 * SQL), and the paths that held a `Date` are kept beside the document so exactly those come
 * back as `Date` — a string that merely looks like a date stays a string.
 *
 * Both directions are total: what cannot be stored (or read back) is `INVALID_INPUT`, never a
 * throw, and neither ever changes or freezes the value it is given.
 */
import type { ErrorDetails } from '../../core/details.js';
import { refuse, type CrmError } from '../../core/errors.js';
import { ok, type Result } from '../../core/result.js';
import { isSafeText, SAFE_TEXT_MESSAGE } from '../../core/validation.js';
import { timeOf } from '../../core/foreign.js';

/**
 * A JSON path: keys and array indexes.
 *
 * @example
 * const path: DocumentPath = ['warning', 'reclaimAt'];
 */
export type DocumentPath = readonly (string | number)[];

/**
 * A record ready for a JSONB column: its JSON text and the paths of its instants (null: none).
 *
 * @example
 * const { json, dates } = unwrap(encodeDocument(lead));
 * await sql.query('INSERT INTO crm_leads (id, version, doc, dates) VALUES ($1, $2, $3::jsonb, $4::jsonb)', [lead.id, lead.version, json, dates]);
 */
export interface EncodedDocument {
  readonly json: string;
  readonly dates: string | null;
}

/** Why a value cannot be stored, and where. */
class Unstorable {
  constructor(
    readonly path: readonly (string | number)[],
    readonly message: string,
  ) {}
}

function unstorable(at: readonly (string | number)[], e: unknown, what: string): Result<never, CrmError> {
  const { path, message } = e instanceof Unstorable ? e : { path: at, message: `the ${what} could not be read` };
  const where = path.length === 0 ? '(root)' : path.map(String).join('.');
  return refuse('INVALID_INPUT', { issues: [{ path: [...path], message, code: 'custom' }], summary: `${where}: ${message}` });
}

const OBJECT_PROTO = Object.prototype;

/** How deep a stored document may nest: the same limit both ways. */
const MAX_DEPTH = 1000;

/**
 * A JSON-shaped copy of `value` (Dates as ISO strings, their paths appended to `dates`), or an
 * `Unstorable` thrown. Own enumerable string keys only; `undefined`, functions and symbols are
 * left out of objects and become null in arrays, as `JSON.stringify` does.
 */
function toJsonValue(value: unknown, path: (string | number)[], dates: (string | number)[][], seen: Set<object>): unknown {
  switch (typeof value) {
    case 'string':
      if (!isSafeText(value)) throw new Unstorable([...path], SAFE_TEXT_MESSAGE);
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new Unstorable([...path], `a number must be finite to be stored, not ${value}`);
      return value;
    case 'boolean':
      return value;
    case 'bigint':
      throw new Unstorable([...path], 'a bigint has no JSON form: store an integer number or a string');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return null;
  const object = value as object;
  const t = timeOf(object);
  if (t !== undefined) {
    if (t !== t) throw new Unstorable([...path], 'an Invalid Date cannot be stored');
    dates.push([...path]);
    return new Date(t).toISOString();
  }
  if (seen.has(object)) throw new Unstorable([...path], 'a value that contains itself has no JSON form');
  // the depth decodeDocument reads back: a deeper document would be stored and then be unreadable
  if (path.length >= MAX_DEPTH) throw new Unstorable([...path], `nested deeper than ${MAX_DEPTH} levels`);
  if (object instanceof Map || object instanceof Set || ArrayBuffer.isView(object) || object instanceof ArrayBuffer) {
    throw new Unstorable([...path], 'a Map, Set or binary buffer has no JSON form: store plain objects and arrays');
  }
  seen.add(object);
  try {
    if (Array.isArray(object)) {
      const out: unknown[] = [];
      for (let i = 0; i < object.length; i++) {
        path.push(i);
        const v = toJsonValue(object[i], path, dates, seen);
        path.pop();
        out.push(v === undefined ? null : v);
      }
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(object)) {
      if (!isSafeText(key)) throw new Unstorable([...path, key], SAFE_TEXT_MESSAGE);
      path.push(key);
      const v = toJsonValue((object as Record<string, unknown>)[key], path, dates, seen);
      path.pop();
      if (v === undefined) continue;
      if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      else out[key] = v;
    }
    return out;
  } finally {
    seen.delete(object);
  }
}

/**
 * The JSON of a record and the paths of its `Date` values, or `INVALID_INPUT` (with the path)
 * for what a JSONB column cannot hold the same way: a NUL character or a lone surrogate in a
 * text or a key, a bigint, NaN or ±Infinity, an Invalid Date, a Map, a Set, a binary buffer, a
 * value that contains itself, or nothing at all (`undefined`). A Date is read once from its own
 * slot (a Date-like object that is not a Date is encoded as an object). Never throws, never
 * changes its argument.
 *
 * @example
 * encodeDocument({ at: new Date('2026-05-01T02:00:00Z') }) // ok({ json: '{"at":"2026-05-01T02:00:00.000Z"}', dates: '[["at"]]' })
 * encodeDocument({ note: 'a\u0000b' }).ok // false: INVALID_INPUT at ['note']
 */
export function encodeDocument(record: unknown): Result<EncodedDocument, CrmError> {
  const paths: (string | number)[][] = [];
  let copy: unknown;
  try {
    copy = toJsonValue(record, [], paths, new Set());
  } catch (e) {
    return unstorable([], e, 'record');
  }
  if (copy === undefined) return unstorable([], new Unstorable([], 'nothing to store (undefined, a function or a symbol)'), 'record');
  return ok(Object.freeze({ json: JSON.stringify(copy), dates: paths.length === 0 ? null : JSON.stringify(paths) }));
}

/** `encodeDocument` for the store's own writes: a record it cannot store is a `Refusal`-worthy error. */
export function encodeOrRefuse(record: unknown, at: readonly (string | number)[]): Result<EncodedDocument, CrmError> {
  const encoded = encodeDocument(record);
  if (encoded.ok || at.length === 0) return encoded;
  const issues = (encoded.error.details as ErrorDetails<'INVALID_INPUT'>).issues.map((i) => ({ ...i, path: [...at, ...i.path] }));
  const where = issues[0]!.path.map(String).join('.');
  return refuse('INVALID_INPUT', { issues, summary: `${where}: ${issues[0]!.message}` });
}

/**
 * `encodeDocument` for a write the store checked already (`storableCommit`) or seeds: a value it
 * cannot store throws, as a driver would have (internal).
 */
export function encodeStored(record: unknown): EncodedDocument {
  const encoded = encodeDocument(record);
  if (encoded.ok) return encoded.value;
  throw new Error(`crm-rules/postgres: ${String((encoded.error.details as { summary?: unknown }).summary)}`);
}

/** A fresh JSON-shaped copy (plain objects and arrays, finite numbers), or an `Unstorable` thrown. */
function copyJson(value: unknown, path: (string | number)[], depth: number): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Unstorable([...path], `a stored number is finite, not ${value}`);
    return value;
  }
  if (typeof value !== 'object') throw new Unstorable([...path], `a stored document holds no ${typeof value}`);
  if (depth > MAX_DEPTH) throw new Unstorable([...path], 'nested too deep');
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      out.push(copyJson(value[i], path, depth + 1));
      path.pop();
    }
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== OBJECT_PROTO && proto !== null) throw new Unstorable([...path], 'a stored document holds only plain objects, arrays, strings, numbers, booleans and null');
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    path.push(key);
    const v = copyJson((value as Record<string, unknown>)[key], path, depth + 1);
    path.pop();
    Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function freezeTree(value: unknown): void {
  if (typeof value !== 'object' || value === null || value instanceof Date) return;
  Object.freeze(value);
  for (const v of Object.values(value)) freezeTree(v);
}

function isPath(p: unknown): p is DocumentPath {
  return Array.isArray(p) && p.every((k) => typeof k === 'string' || (typeof k === 'number' && Number.isInteger(k) && k >= 0));
}

/**
 * Revives the instants of a document this module owns (a fresh copy or the driver's own parse)
 * in place, and freezes it.
 */
function reviveOwned(value: unknown, paths: readonly DocumentPath[] | null): unknown {
  let root = value;
  for (const path of paths ?? []) {
    if (path.length === 0) {
      root = reviveString(root, path);
      continue;
    }
    let parent: unknown = root;
    for (let i = 0; i < path.length - 1 && typeof parent === 'object' && parent !== null; i++) {
      parent = Object.hasOwn(parent, path[i]!) ? (parent as Record<string | number, unknown>)[path[i]!] : undefined;
    }
    const last = path[path.length - 1]!;
    if (typeof parent !== 'object' || parent === null || !Object.hasOwn(parent, last)) {
      throw new Unstorable([...path], 'a stored instant path leads nowhere in the document');
    }
    Object.defineProperty(parent, last, { value: reviveString((parent as Record<string | number, unknown>)[last], path), enumerable: true, writable: true, configurable: true });
  }
  freezeTree(root);
  return root;
}

function reviveString(raw: unknown, path: DocumentPath): Date {
  const t = typeof raw === 'string' ? Date.parse(raw) : NaN;
  if (t !== t) throw new Unstorable([...path], 'a stored instant is not an ISO 8601 string');
  return new Date(t);
}

function readPaths(dates: unknown): readonly DocumentPath[] | null {
  if (dates === null || dates === undefined) return null;
  const paths: unknown = typeof dates === 'string' ? JSON.parse(dates) : dates;
  if (paths === null) return null;
  if (!Array.isArray(paths) || !paths.every(isPath)) throw new Unstorable([], 'the instant paths must be a list of paths (keys and indexes), or null');
  return paths;
}

/**
 * A stored document as a new value, its instants revived as `Date`, frozen like the records the
 * rules return. `doc` is the parsed JSONB (plain objects, arrays, strings, finite numbers,
 * booleans, null) or its text; `dates` the stored paths (or their JSON text, or null). The
 * argument is copied, never changed or frozen. Anything that is not such a document — text that
 * is not JSON, paths that are not lists of keys or lead nowhere, an instant that is not an
 * ISO string — is `INVALID_INPUT` (a corrupt row), never a throw.
 *
 * @example
 * unwrap(decodeDocument({ at: '2026-05-01T02:00:00.000Z' }, [['at']])).at instanceof Date // true
 * decodeDocument('{oops', null).ok // false
 */
export function decodeDocument<T>(doc: unknown, dates: unknown): Result<T, CrmError> {
  try {
    const value = typeof doc === 'string' ? (JSON.parse(doc) as unknown) : copyJson(doc, [], 0);
    return ok(reviveOwned(value, readPaths(dates)) as T);
  } catch (e) {
    return unstorable([], e, 'document');
  }
}

/**
 * A row the store itself wrote, decoded in place (the driver's fresh parse is nobody else's):
 * no copy on the read path. A row it cannot decode is a corrupt database, thrown as a driver
 * failure would be.
 */
export function decodeRow<T>(doc: unknown, dates: unknown): T {
  try {
    const value = typeof doc === 'string' ? (JSON.parse(doc) as unknown) : doc;
    return reviveOwned(value, readPaths(dates)) as T;
  } catch (e) {
    const message = e instanceof Unstorable ? `${e.path.map(String).join('.') || '(root)'}: ${e.message}` : String(e);
    throw new Error(`crm-rules/postgres: a stored row could not be decoded (${message})`);
  }
}
