import { expect } from 'vitest';

/**
 * Per-type lists of the keys an event's `data` holds, written by hand from the types: every key
 * listed is one the type names (`satisfies KeyLists<…>`), and every key the type requires is
 * listed (`Covers<…>` is all `true`, checked with `expectTypeOf`). The runtime tests compare them
 * with what real decisions emit, so the type, the list and the rules cannot drift apart.
 */
export type KeyLists<M> = { readonly [T in keyof M]: readonly (keyof M[T])[] };

/** The keys of `D` that are not optional. */
type RequiredKeys<D> = { [K in keyof D]-?: {} extends Pick<D, K> ? never : K }[keyof D];

/** For each type, whether its list names every required key of its data. */
export type Covers<M, L extends KeyLists<M>> = { [T in keyof M]: [Exclude<RequiredKeys<M[T]>, L[T][number]>] extends [never] ? true : false };

/** Every type of `M` mapped to `true`: what `Covers` must be. */
export type AllTrue<M> = { [T in keyof M]: true };

/** The keys `event.data` holds are exactly its type's list (plus `optional`, the optional keys this site sets). */
export function expectDataKeys(event: { readonly type: string; readonly data: object }, lists: Readonly<Record<string, readonly string[]>>, optional: readonly string[] = []): void {
  const listed = lists[event.type];
  expect(listed, `a key list for ${event.type}`).toBeDefined();
  expect({ type: event.type, keys: Object.keys(event.data).sort() }).toEqual({ type: event.type, keys: [...listed!, ...optional].sort() });
}
