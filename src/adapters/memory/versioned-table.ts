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
 * An in-memory table that really checks versions: the reference for what a host's
 * repository must do. Records are stored as given (rules return frozen objects).
 */
export class VersionedTable<T extends Versioned> {
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
    const seen = new Set<string>();
    for (const { record, expectedVersion } of writes) {
      if (seen.has(record.id)) {
        return err(ruleError('CONFLICT', { entity: this.entity, id: record.id, expectedVersion, actualVersion: 'written twice in one commit' }));
      }
      seen.add(record.id);
      const actualVersion = this.#rows.get(record.id)?.version ?? null;
      if (actualVersion !== expectedVersion) {
        return err(ruleError('CONFLICT', { entity: this.entity, id: record.id, expectedVersion, actualVersion }));
      }
      const nextVersion = (expectedVersion ?? 0) + 1;
      if (record.version !== nextVersion) {
        const message = `a write over version ${expectedVersion ?? 'none'} must carry version ${nextVersion}, not ${record.version}`;
        return err(
          ruleError('INVALID_INPUT', {
            issues: [{ path: ['commit', this.entity, record.id, 'version'], message, code: 'custom' }],
            summary: message,
          }),
        );
      }
    }
    return ok(undefined);
  }

  /** Applies writes that `check` accepted. */
  apply(writes: readonly TableWrite<T>[]): void {
    for (const { record } of writes) this.#rows.set(record.id, record);
  }
}
