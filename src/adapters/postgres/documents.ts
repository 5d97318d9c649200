/**
 * Records as JSONB documents: instants are stored as ISO strings (readable and indexable in
 * SQL), and the paths that held a `Date` are kept beside the document so exactly those come
 * back as `Date` — a string that merely looks like a date stays a string.
 */

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
 * const { json, dates } = encodeDocument(lead);
 * await sql.query('INSERT INTO crm_leads (id, version, doc, dates) VALUES ($1, $2, $3::jsonb, $4::jsonb)', [lead.id, lead.version, json, dates]);
 */
export interface EncodedDocument {
  readonly json: string;
  readonly dates: string | null;
}

function collectDates(value: unknown, path: (string | number)[], out: (string | number)[][]): void {
  if (value instanceof Date) {
    if (!Number.isNaN(value.getTime())) out.push([...path]);
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      collectDates(value[i], path, out);
      path.pop();
    }
    return;
  }
  if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined || typeof v === 'function') continue;
      path.push(key);
      collectDates(v, path, out);
      path.pop();
    }
  }
}

/**
 * The JSON of a record and the paths of its `Date` values.
 *
 * @example
 * encodeDocument({ at: new Date('2026-05-01T02:00:00Z') }) // { json: '{"at":"2026-05-01T02:00:00.000Z"}', dates: '[["at"]]' }
 */
export function encodeDocument(record: unknown): EncodedDocument {
  const paths: (string | number)[][] = [];
  collectDates(record, [], paths);
  return { json: JSON.stringify(record), dates: paths.length === 0 ? null : JSON.stringify(paths) };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * A stored document with its instants revived as `Date`, frozen like the records the rules
 * return. `doc` is the parsed JSONB (or its text), `dates` the stored paths.
 *
 * @example
 * decodeDocument({ at: '2026-05-01T02:00:00.000Z' }, [['at']]).at instanceof Date // true
 */
export function decodeDocument<T>(doc: unknown, dates: unknown): T {
  const value = typeof doc === 'string' ? (JSON.parse(doc) as unknown) : doc;
  const paths = (typeof dates === 'string' ? JSON.parse(dates) : dates) as DocumentPath[] | null | undefined;
  if (paths && value !== null && typeof value === 'object') {
    for (const path of paths) {
      if (path.length === 0) continue;
      let parent: Record<string | number, unknown> | undefined = value as Record<string | number, unknown>;
      for (let i = 0; i < path.length - 1 && parent !== undefined; i++) {
        const next: unknown = parent[path[i]!];
        parent = typeof next === 'object' && next !== null ? (next as Record<string | number, unknown>) : undefined;
      }
      const last = path[path.length - 1]!;
      const raw = parent?.[last];
      if (parent !== undefined && typeof raw === 'string') parent[last] = new Date(raw);
    }
  } else if (paths && paths.some((p) => p.length === 0) && typeof value === 'string') {
    return new Date(value) as T;
  }
  return deepFreeze(value as T);
}
