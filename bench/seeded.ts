/**
 * Seeded draws for the benches' data (xorshift32): the same seed gives the same data set on
 * every run and every machine. For the benches only: the library's rules take no randomness.
 *
 * @example
 * const rand = seededRand(0x2545f491);
 * rand(10) // an integer from 0 to 9, the same one every run
 */
export function seededRand(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
}
