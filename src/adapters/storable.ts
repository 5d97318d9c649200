/**
 * What both reference stores refuse before a commit touches anything (internal): text that
 * PostgreSQL cannot hold — a NUL character or a lone surrogate in an id, a text or a key — and
 * other values with no JSON form (a bigint, NaN, an Invalid Date, a cycle). The in-memory store
 * could keep them, the SQL store could not; both answer `INVALID_INPUT` with the path, so a host
 * sees the same answer on either.
 */
import type { CrmError } from '../core/errors.js';
import { ok, type Result } from '../core/result.js';
import { encodeOrRefuse } from './postgres/documents.js';

/** The parts of a commit (any port's) the stores write. */
const RECORD_LISTS = ['leads', 'opportunities', 'customers', 'payments', 'plans'] as const;

/**
 * `INVALID_INPUT` for the first value of a commit a store cannot keep as it is (path
 * `['commit', part, index, …]`), or ok.
 *
 * @example
 * storableCommit({ leads: [{ record: { ...lead, name: 'a\u0000' }, expectedVersion: null }] }) // INVALID_INPUT at commit.leads.0.record.name
 */
export function storableCommit(c: object): Result<void, CrmError> {
  const commit = c as Record<string, readonly unknown[] | undefined>;
  for (const part of RECORD_LISTS) {
    const writes = commit[part] ?? [];
    for (let i = 0; i < writes.length; i++) {
      const write = writes[i] as { record?: unknown };
      const checked = encodeOrRefuse(write?.record, ['commit', part, i, 'record']);
      if (!checked.ok) return checked;
    }
  }
  for (const part of ['members', 'leadReclaimStates', 'log'] as const) {
    const writes = commit[part] ?? [];
    for (let i = 0; i < writes.length; i++) {
      const checked = encodeOrRefuse(writes[i], ['commit', part, i]);
      if (!checked.ok) return checked;
    }
  }
  return ok(undefined);
}
