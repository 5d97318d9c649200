/** A UTF-16 code unit moved so that code-unit order is code-point order: surrogates above U+E000–U+FFFF. */
const pointOrder = (unit: number): number => (unit >= 0xe000 ? unit - 0x800 : unit >= 0xd800 ? unit + 0x2000 : unit);

/**
 * Compares two strings by code point — the order of PostgreSQL's `COLLATE "C"` on UTF-8, which
 * the SQL store sorts ids by — so both stores, and the metrics, list records in one order (internal).
 *
 * @example
 * ['SO-！', 'SO-𠮷', 'SO-a'].sort(compareCodePoints) // ['SO-a', 'SO-！', 'SO-𠮷']
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return pointOrder(x) - pointOrder(y);
  }
  return a.length - b.length;
}
