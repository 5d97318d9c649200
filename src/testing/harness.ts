import type { ContractHarness, ContractOptions, ContractRunner } from './contract.js';

/**
 * Thrown by the testing kit when it is handed arguments it cannot use (a runner without
 * `describe`, `it` and `expect`, a `makeStore` that is not a function, an option that is not a
 * positive integer): test tooling fails loudly, at once, naming the argument — it never runs
 * no checks in silence.
 *
 * @example
 * try { describeStoreContract('x', makeStore, {} as never); } catch (e) { (e as ContractArgumentError).argument; } // 't.describe'
 */
export class ContractArgumentError extends Error {
  readonly code = 'INVALID_INPUT' as const;
  constructor(
    /** The argument at fault, e.g. `t.describe` or `options.timeoutMs`. */
    readonly argument: string,
    message: string,
  ) {
    super(`crm-rules/testing: ${argument} ${message}`);
    this.name = 'ContractArgumentError';
  }
}

function read(value: unknown, key: string): unknown {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

const OPTION_NAMES = ['largePool', 'racingMembers', 'claimsPerMember', 'timeoutMs', 'racingClerks', 'streamedPlans'] as const;

/**
 * The arguments of a contract suite, read once and checked: a runner with its three functions
 * (bound to it), a `makeStore` function, options of positive integers (or left out). Throws a
 * `ContractArgumentError` naming the first argument it cannot use (internal).
 *
 * @example
 * const { t, makeStore, options } = contractArguments('describeStoreContract', name, makeStore, t, options);
 */
export function contractArguments<S extends object>(
  name: unknown,
  makeStore: unknown,
  t: unknown,
  options: unknown,
): { name: string; makeStore: () => Promise<ContractHarness<S>>; t: ContractRunner; options: ContractOptions } {
  if (typeof name !== 'string') throw new ContractArgumentError('name', 'must be a string (the suite title)');
  if (typeof makeStore !== 'function') throw new ContractArgumentError('makeStore', 'must be a function returning a promise of { store, close? }');
  const runner: Record<string, unknown> = {};
  for (const key of ['describe', 'it', 'expect'] as const) {
    const f = read(t, key);
    if (typeof f !== 'function') throw new ContractArgumentError(`t.${key}`, "must be the test runner's function (e.g. vitest's { describe, it, expect })");
    runner[key] = (f as (...a: unknown[]) => unknown).bind(t);
  }
  const checked: Record<string, number> = {};
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw new ContractArgumentError('options', 'must be an object or left out');
  for (const key of OPTION_NAMES) {
    const v = read(options, key);
    if (v === undefined) continue;
    if (!Number.isSafeInteger(v) || (v as number) < 1) throw new ContractArgumentError(`options.${key}`, 'must be a positive integer or left out');
    checked[key] = v as number;
  }
  return { name, makeStore: makeStore as () => Promise<ContractHarness<S>>, t: runner as unknown as ContractRunner, options: checked };
}

/**
 * Runs a check's body on each tenant of a harness (internal): first on `harness.neighbour` when
 * there is one, then on `harness.store`, on the same database with nothing emptied between, so
 * every id the body uses exists in both tenants when it runs on the store. A failure names the
 * tenant it happened on. Throws a `ContractArgumentError` when the neighbour is not an object.
 *
 * @example
 * await eachTenant(await makeStore(), async (store) => { ... });
 */
export async function eachTenant<S extends object>(harness: ContractHarness<S>, body: (store: S) => Promise<void>): Promise<void> {
  const neighbour = neighbourOf(harness);
  if (neighbour !== null) await labelled('on harness.neighbour (the check runs there first)', () => body(neighbour));
  await labelled(neighbour === null ? null : 'on harness.store, after the same check ran on harness.neighbour (a tenant sees another tenant’s rows?)', () => body(harness.store));
}

/** The neighbour of a harness, or null when it has none; one that is not an object is the caller's mistake. */
export function neighbourOf<S extends object>(harness: ContractHarness<S>): S | null {
  const neighbour = read(harness, 'neighbour');
  if (neighbour === undefined || neighbour === null) return null;
  if (typeof neighbour !== 'object' && typeof neighbour !== 'function') {
    throw new ContractArgumentError('harness.neighbour', 'must be a store of another tenant on the same database, or left out');
  }
  return neighbour as S;
}

/** Runs `f`; an Error it throws gets `label` in front of its message (where the check failed). */
async function labelled(label: string | null, f: () => Promise<void>): Promise<void> {
  try {
    await f();
  } catch (e) {
    if (label !== null && e instanceof Error) {
      try {
        e.message = `${label}: ${e.message}`;
      } catch {
        // a message that cannot be changed stays as it is
      }
    }
    throw e;
  }
}

/**
 * A check that runs on a fresh store and closes it afterwards, whatever happens (internal: both
 * contract suites register their checks through it). With a neighbour in the harness (a store of
 * another tenant on the same database), the body runs on the neighbour first, then on the store
 * (see `eachTenant`).
 *
 * @example
 * const it = freshStoreCheck(t, makeStore, {});
 * it('a stale save is CONFLICT', async (store) => { ... });
 */
export function freshStoreCheck<S extends object>(
  t: Pick<ContractRunner, 'it'>,
  makeStore: () => Promise<ContractHarness<S>>,
  options: ContractOptions,
): (title: string, body: (store: S) => Promise<void>) => void {
  const timeout = options.timeoutMs ?? 60_000;
  return (title, body) =>
    t.it(
      title,
      async () => {
        const harness = await makeStore();
        try {
          await eachTenant(harness, body);
        } finally {
          await harness.close?.();
        }
      },
      timeout,
    );
}
