import type { ContractHarness, ContractOptions, ContractRunner } from './contract.js';

/**
 * A check that runs on a fresh store and closes it afterwards, whatever happens (internal: both
 * contract suites register their checks through it).
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
          await body(harness.store);
        } finally {
          await harness.close?.();
        }
      },
      timeout,
    );
}
