import { ruleError, type CrmError } from '../../core/errors.js';
import { ok, err, type Result } from '../../core/result.js';

/** A stored record: anything with an id and a version. */
export interface Versioned {
  readonly id: string;
  readonly version: number;
}

/** One write against a table, with the version the caller loaded (null: must not exist). */
export interface TableWrite<T extends Versioned> {
  readonly record: T;
  readonly expectedVersion: number | null;
}

/**
 * What a version check reads of a table: a record by id, and every record (internal: a table,
 * or a table seen through writes staged over it).
 */
export interface VersionedRows<T extends Versioned> {
  readonly entity: string;
  get(id: string): T | null;
  values(): Iterable<T>;
}

/**
 * The version check of one table's writes against `rows` (internal): the first write whose
 * expected version does not match what `rows` holds is `CONFLICT`, a record written twice is
 * `CONFLICT`, a record not carrying the next version is `INVALID_INPUT`.
 *
 * @example
 * checkWrites(table, [{ record: lead, expectedVersion: null }]) // ok, or CONFLICT when the id is taken
 */
export function checkWrites<T extends Versioned>(rows: VersionedRows<T>, writes: readonly TableWrite<T>[]): Result<void, CrmError> {
  const entity = rows.entity;
  const seen = new Set<string>();
  for (const { record, expectedVersion } of writes) {
    if (seen.has(record.id)) {
      return err(ruleError('CONFLICT', { entity, id: record.id, expectedVersion, actualVersion: 'written twice in one commit' }));
    }
    seen.add(record.id);
    const actualVersion = rows.get(record.id)?.version ?? null;
    if (actualVersion !== expectedVersion) {
      return err(ruleError('CONFLICT', { entity, id: record.id, expectedVersion, actualVersion }));
    }
    const nextVersion = (expectedVersion ?? 0) + 1;
    if (record.version !== nextVersion) {
      const message = `a write over version ${expectedVersion ?? 'none'} must carry version ${nextVersion}, not ${record.version}`;
      return err(
        ruleError('INVALID_INPUT', {
          issues: [{ path: ['commit', entity, record.id, 'version'], message, code: 'custom' }],
          summary: message,
        }),
      );
    }
  }
  return ok(undefined);
}

/**
 * An in-memory table that really checks versions: the reference for what a host's
 * repository must do. Records are stored as given (rules return frozen objects).
 */
export class VersionedTable<T extends Versioned> implements VersionedRows<T> {
  readonly #rows = new Map<string, T>();
  constructor(readonly entity: string) {}

  get(id: string): T | null {
    return this.#rows.get(id) ?? null;
  }

  values(): IterableIterator<T> {
    return this.#rows.values();
  }

  get size(): number {
    return this.#rows.size;
  }

  /**
   * The first write whose expected version does not match what is stored, as `CONFLICT`; a
   * record that does not carry the next version (expected + 1, or 1 for a create) is
   * `INVALID_INPUT`: the reference refuses what a careless service would slip through.
   */
  check(writes: readonly TableWrite<T>[]): Result<void, CrmError> {
    return checkWrites(this, writes);
  }

  /** Applies writes that `check` accepted. */
  apply(writes: readonly TableWrite<T>[]): void {
    for (const { record } of writes) this.#rows.set(record.id, record);
  }
}

/**
 * A table seen through writes staged over it, not yet applied (internal: what a commit checks
 * against, and what the work of `withMemberLock` reads): a staged record hides the stored one,
 * a staged create joins the rest. `writes` are applied to the table by the caller when the
 * whole commit holds.
 *
 * @example
 * const staged = new StagedRows(table); staged.stage(writes); staged.get('L-1') // the staged record
 */
export class StagedRows<T extends Versioned> implements VersionedRows<T> {
  readonly #staged = new Map<string, T>();
  readonly writes: TableWrite<T>[] = [];
  constructor(readonly base: VersionedRows<T>) {}

  get entity(): string {
    return this.base.entity;
  }

  get(id: string): T | null {
    return this.#staged.get(id) ?? this.base.get(id);
  }

  *values(): IterableIterator<T> {
    for (const stored of this.base.values()) yield this.#staged.get(stored.id) ?? stored;
    for (const [id, record] of this.#staged) if (this.base.get(id) === null) yield record;
  }

  /** Stages writes that `checkWrites(this, writes)` accepted. */
  stage(writes: readonly TableWrite<T>[]): void {
    for (const write of writes) {
      this.#staged.set(write.record.id, write.record);
      this.writes.push(write);
    }
  }
}

export { compareCodePoints } from '../../core/collation.js';
