/**
 * The error both reference stores reject with when they were built from options they cannot
 * use (internal module; re-exported by `crm-rules/postgres` and `crm-rules/memory`).
 */

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
