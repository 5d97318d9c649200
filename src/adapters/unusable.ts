/**
 * The error both reference stores reject with when they were built from options they cannot
 * use (internal module; re-exported by `crm-rules/postgres` and `crm-rules/memory`), and the
 * one they reject with when the store handed to `withMemberLock` work is used after it ended.
 */
import { InvariantError } from '../core/errors.js';

/**
 * What every call on a client or store built from something that is not a driver rejects with
 * (`fromPg(undefined)`, `createPostgresStore({})`): the factories never throw — they return a
 * client or store that fails like a database that cannot be reached, naming the option at fault.
 *
 * @example
 * await createPostgresStore({} as never).loadLead('L-1') // rejects: UnusableClientError (code INVALID_INPUT, option 'options.client')
 */
export class UnusableClientError extends Error {
  readonly code = 'INVALID_INPUT' as const;
  constructor(
    /** The argument or option at fault, e.g. `options.client`. */
    readonly option: string,
    message: string,
  ) {
    super(message);
    this.name = 'UnusableClientError';
  }
}

/**
 * What both reference stores reject with when the store `withMemberLock` handed to its work is
 * used after the work ended (a bug of the caller: its transaction is over).
 *
 * @example
 * if (!open) return Promise.reject(workEnded('memory'));
 */
export function workEnded(adapter: 'memory' | 'postgres'): InvariantError {
  return new InvariantError(`crm-rules/${adapter}: the store handed to withMemberLock work was used after the work ended`);
}

/**
 * Reads `key` of a value the host handed in, once; undefined when it cannot be read (never throws).
 *
 * @example
 * readOption({ tenantId: 'acme' }, 'tenantId') // 'acme'
 */
export function readOption(value: unknown, key: string): unknown {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}
