import type { ErrorCode } from './codes.js';
import type { ErrorDetails } from './details.js';
import { ownDataValue } from './foreign.js';
import { renderMessage, resolveCatalog, type MessageCatalogInput, type ShippedLocale } from './messages.js';
import { err, type Result, type RuleError } from './result.js';

/**
 * A refusal whose code is one of the library's codes, its `details` typed per code (see
 * `ErrorDetailsByCode`): a union discriminated by `code`, so narrowing on the code narrows the
 * details. `CrmError<'NOT_FOUND'>` is the refusal of one code (or of a union of codes). Each
 * member is a `RuleError<code>`: a key its details type does not name still reads as `unknown`.
 *
 * @example
 * if (error.code === 'POOL_CLAIM_LIMIT_REACHED') error.details.retryAfter.toISOString(); // a Date
 */
export type CrmError<C extends ErrorCode = ErrorCode> = {
  [K in C]: RuleError<K> & { readonly details: Readonly<ErrorDetails<K>> };
}[C];

/**
 * A frozen copy of details: the own enumerable string-keyed data properties of any value
 * (getters are not called, symbol keys and unreadable Proxies are left out). Never throws.
 */
function copyDetails(details: unknown): Readonly<Record<string, unknown>> {
  const copy: Record<string, unknown> = {};
  if (typeof details !== 'object' || details === null) return Object.freeze(copy);
  let keys: (string | symbol)[];
  try {
    keys = Reflect.ownKeys(details);
  } catch {
    return Object.freeze(copy);
  }
  for (const key of keys) {
    if (typeof key !== 'string') continue;
    let descriptor: PropertyDescriptor | undefined;
    try {
      descriptor = Reflect.getOwnPropertyDescriptor(details, key);
    } catch {
      continue;
    }
    if (descriptor === undefined || !descriptor.enumerable || !('value' in descriptor)) continue;
    // defineProperty, not assignment: a detail named __proto__ stays a detail
    Object.defineProperty(copy, key, { value: descriptor.value, enumerable: true, writable: true, configurable: true });
  }
  return Object.freeze(copy);
}

/**
 * Builds a refusal, its message in English (`localizeError` renders it in another catalog).
 * The details are typed by the code (`ErrorDetails<C>`). Never throws, whatever the details
 * hold at run time: they are copied (own data properties only) and frozen at the top, and the
 * message describes any value (bigints, symbols, Proxies, cycles).
 *
 * @example
 * ruleError('LEAD_SAME_POOL', { leadId: 'L-1', poolId: 'p1' }).message // 'The lead is already in pool p1.'
 */
export function ruleError<C extends ErrorCode>(code: C, details: ErrorDetails<C>): CrmError<C>;
export function ruleError(code: ErrorCode, details: unknown = {}): CrmError {
  const frozen = copyDetails(details);
  return Object.freeze({ code, message: renderMessage(code, frozen), details: frozen }) as CrmError;
}

/** A failed Result carrying `ruleError(code, details)`. Never throws. @example refuse('NOT_FOUND', { entity: 'lead', id: 'L1' }) */
export function refuse<C extends ErrorCode>(code: C, details: ErrorDetails<C>): Result<never, CrmError<C>>;
export function refuse(code: ErrorCode, details: unknown = {}): Result<never, CrmError> {
  return err(ruleError(code, details as ErrorDetails<ErrorCode>));
}

/**
 * Re-renders an error's message in a shipped locale or the host's own catalog (codes it leaves
 * out fall back to English); the code and details stay the same. A value that is not a
 * refusal (no string `code`) comes back as it is. Never throws.
 *
 * @example
 * localizeError(error, 'zh-CN').message
 * localizeError(error, { LEAD_SAME_POOL: 'Already there.' }).message
 */
export function localizeError(error: CrmError, catalog: ShippedLocale | MessageCatalogInput): CrmError {
  const code = ownDataValue(error, 'code');
  if (typeof code !== 'string') return error;
  const details = copyDetails(ownDataValue(error, 'details'));
  return Object.freeze({ code: code as ErrorCode, message: renderMessage(code as ErrorCode, details, catalogInput(catalog)), details }) as CrmError;
}

/** The catalog argument as `renderMessage` takes it (a shipped locale's catalog, or the host's). */
function catalogInput(catalog: ShippedLocale | MessageCatalogInput): MessageCatalogInput {
  return typeof catalog === 'string' ? resolveCatalog(catalog) : catalog;
}

/**
 * A Result with its refusal, if any, localized; a success — or anything that is not a failed
 * Result — is returned as is. Never throws.
 *
 * @example
 * localizeResult(await leads.execute(id, cmd, ctx), 'zh-CN')
 */
export function localizeResult<T>(result: Result<T, CrmError>, catalog: ShippedLocale | MessageCatalogInput): Result<T, CrmError> {
  if (ownDataValue(result, 'ok') !== false) return result;
  const error = ownDataValue(result, 'error');
  return error === undefined ? result : err(localizeError(error as CrmError, catalog));
}

/**
 * The same service object with every refusal its async methods return rendered in `catalog`
 * (methods are called on the original service, as `this`). Only its own enumerable data
 * properties are wrapped; a value that is not an object comes back as it is. Never throws.
 *
 * @example
 * const zhLeads = localizeService(createLeadService({ store }), 'zh-CN');
 */
export function localizeService<S extends object>(service: S, catalog: ShippedLocale | MessageCatalogInput): S {
  return mapServiceAnswers(service, (answer) => localizeResult(answer as Result<unknown, CrmError>, catalog));
}

/**
 * The same service with each answer of its methods passed through `after` (the methods are
 * called on the original service, as `this`): what `localizeService` and a service's `onEvent`
 * hook are built on. Only its own enumerable data properties are wrapped; a value that is not
 * an object comes back as it is. Never throws (internal).
 */
export function mapServiceAnswers<S extends object>(service: S, after: (answer: unknown) => unknown): S {
  if ((typeof service !== 'object' && typeof service !== 'function') || service === null) return service;
  const wrapped: Record<string, unknown> = {};
  let keys: (string | symbol)[];
  try {
    keys = Reflect.ownKeys(service);
  } catch {
    keys = [];
  }
  for (const name of keys) {
    if (typeof name !== 'string') continue;
    let descriptor: PropertyDescriptor | undefined;
    try {
      descriptor = Reflect.getOwnPropertyDescriptor(service, name);
    } catch {
      continue;
    }
    if (descriptor === undefined || !descriptor.enumerable || !('value' in descriptor)) continue;
    const method: unknown = descriptor.value;
    Object.defineProperty(wrapped, name, {
      value: typeof method === 'function' ? async (...args: unknown[]) => after(await (method as (...a: unknown[]) => Promise<unknown>).apply(service, args)) : method,
      enumerable: true,
      writable: true,
      configurable: true,
    });
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
