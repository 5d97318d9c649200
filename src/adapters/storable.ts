/**
 * What both reference stores refuse before a commit touches anything (internal): text that
 * PostgreSQL cannot hold — a NUL character or a lone surrogate in an id, a text or a key — and
 * other values with no JSON form (a bigint, NaN, an Invalid Date, a cycle, nesting past 1,000
 * levels), keys and indexed fields longer than 200 characters, versions past 2^31 − 1, a logged
 * event whose time is not a Date of 0001–9999. The in-memory store
 * could keep them, the SQL store could not; both answer `INVALID_INPUT` with the path, so a host
 * sees the same answer on either.
 */
import { invalidAt, isSupportedInstant } from '../core/boundary.js';
import type { CrmError } from '../core/errors.js';
import { ownDataValue } from '../core/foreign.js';
import { ok, type Result } from '../core/result.js';
import { encodeOrRefuse } from './postgres/documents.js';

/** The longest text a store keeps in a key or an indexed column (an id's length everywhere). */
const MAX_KEY = 200;
/** The largest version a store keeps (an integer column). */
const MAX_VERSION = 2_147_483_647;

/** The fields of each part that are keys or indexed columns on SQL (a btree row holds about 2.7 kB). */
const INDEXED: Record<string, readonly (readonly string[])[]> = {
  leads: [['id'], ['poolId'], ['ownerId'], ['status']],
  opportunities: [['id'], ['customerId'], ['sourceLeadId']],
  customers: [['id'], ['poolId'], ['ownerId']],
  contracts: [['id'], ['customerId'], ['opportunityId'], ['status']],
  orders: [['id'], ['customerId'], ['opportunityId'], ['contractId'], ['status']],
  payments: [['id'], ['customerId'], ['orderId'], ['amount', 'currency']],
  plans: [['id'], ['customerId'], ['orderId'], ['currency']],
  refundRequests: [['id'], ['paymentId'], ['customerId'], ['status']],
  members: [['poolId'], ['memberId']],
  leadReclaimStates: [['leadId']],
  log: [['type'], ['subject', 'id'], ['data', 'poolId'], ['data', 'ownerFrom'], ['data', 'ownerTo']],
};

/** What a store cannot keep of a write beyond its JSON form: an over-long key, a version past the column, a log time out of range. */
function beyondLimits(part: string, value: unknown, at: (string | number)[]): Result<void, CrmError> {
  for (const path of INDEXED[part] ?? []) {
    let v: unknown = value;
    for (const key of path) v = ownDataValue(v, key);
    if (typeof v === 'string' && v.length > MAX_KEY) return invalidAt([...at, ...path], `a key or indexed field holds at most ${MAX_KEY} characters, not ${v.length}`);
  }
  for (const key of ['version', 'expectedVersion']) {
    const v = ownDataValue(value, key);
    if (typeof v === 'number' && v > MAX_VERSION - (key === 'expectedVersion' ? 1 : 0)) return invalidAt([...at, key], `a version is at most ${MAX_VERSION}`);
  }
  if (part === 'log' && !isSupportedInstant(ownDataValue(value, 'at'))) return invalidAt([...at, 'at'], 'a logged event happens at a Date between 0001-01-01 and 9999-12-31');
  return ok(undefined);
}

/** The parts of a commit (any port's) the stores write. */
const RECORD_LISTS = ['leads', 'opportunities', 'customers', 'contracts', 'orders', 'payments', 'plans', 'refundRequests'] as const;

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
      const limited = beyondLimits(part, write?.record, ['commit', part, i, 'record']);
      if (!limited.ok) return limited;
    }
  }
  for (const part of ['members', 'leadReclaimStates', 'log'] as const) {
    const writes = commit[part] ?? [];
    for (let i = 0; i < writes.length; i++) {
      const checked = encodeOrRefuse(writes[i], ['commit', part, i]);
      if (!checked.ok) return checked;
      const limited = beyondLimits(part, writes[i], ['commit', part, i]);
      if (!limited.ok) return limited;
    }
  }
  return ok(undefined);
}

/**
 * Why a store cannot index a record for duplicate checks (its id longer than a key holds), or
 * null. Both stores' `indexForDedupe` throw an error with code `INVALID_INPUT` for it (they are
 * seeding methods: they answer no Result).
 *
 * @example
 * dedupeEntryProblem({ id: 'x'.repeat(300) }) // 'the record id holds at most 200 characters, not 300'
 */
export function dedupeEntryProblem(record: unknown): string | null {
  const id = ownDataValue(record, 'id');
  return typeof id === 'string' && id.length > MAX_KEY ? `the record id holds at most ${MAX_KEY} characters, not ${id.length}` : null;
}

/** The error both stores' `indexForDedupe` throw for a record they cannot index. */
export function unindexable(problem: string): Error {
  return Object.assign(new Error(`crm-rules: indexForDedupe: ${problem}`), { code: 'INVALID_INPUT' as const });
}
