import type { ErrorCode } from './codes.js';
import { renderMessage, resolveCatalog, type MessageCatalogInput, type ShippedLocale } from './messages.js';
import { err, type Result, type RuleError } from './result.js';

/** A refusal whose code is one of the library's codes. */
export type CrmError = RuleError<ErrorCode>;

/**
 * Builds a refusal, its message in English (`localizeError` renders it in another catalog).
 *
 * @example
 * ruleError('LEAD_SAME_POOL', { poolId: 'p1' }).message // 'The lead is already in pool p1.'
 */
export function ruleError(code: ErrorCode, details: Record<string, unknown> = {}): CrmError {
  const frozen = Object.freeze({ ...details });
  return Object.freeze({ code, message: renderMessage(code, frozen), details: frozen });
}

/** A failed Result carrying `ruleError(code, details)`. */
export function refuse(code: ErrorCode, details: Record<string, unknown> = {}): Result<never, CrmError> {
  return err(ruleError(code, details));
}

/**
 * Re-renders an error's message in a shipped locale or the host's own catalog (codes it leaves
 * out fall back to English); the code and details stay the same.
 *
 * @example
 * localizeError(error, 'zh-CN').message
 * localizeError(error, { LEAD_SAME_POOL: 'Already there.' }).message
 */
export function localizeError(error: CrmError, catalog: ShippedLocale | MessageCatalogInput): CrmError {
  return Object.freeze({ ...error, message: renderMessage(error.code, error.details, resolveCatalog(catalog)) });
}

/**
 * A Result with its refusal, if any, localized; a success is returned as is.
 *
 * @example
 * localizeResult(await leads.execute(id, cmd, ctx), 'zh-CN')
 */
export function localizeResult<T>(result: Result<T, CrmError>, catalog: ShippedLocale | MessageCatalogInput): Result<T, CrmError> {
  return result.ok ? result : err(localizeError(result.error, catalog));
}

/**
 * The same service object with every refusal its async methods return rendered in `catalog`.
 *
 * @example
 * const zhLeads = localizeService(createLeadService({ store }), 'zh-CN');
 */
export function localizeService<S extends object>(service: S, catalog: ShippedLocale | MessageCatalogInput): S {
  const wrapped: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(service)) {
    wrapped[name] =
      typeof method === 'function'
        ? async (...args: unknown[]) => localizeResult(await (method as (...a: unknown[]) => Promise<Result<unknown, CrmError>>)(...args), catalog)
        : method;
  }
  return wrapped as S;
}

/**
 * Thrown only for bugs (a broken invariant), never for an expected refusal.
 */
export class InvariantError extends Error {
  readonly code = 'INVARIANT_BROKEN' as const;
  constructor(message: string) {
    super(message);
    this.name = 'InvariantError';
  }
}
