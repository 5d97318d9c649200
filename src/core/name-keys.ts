/** Comparison keys of names two records must not share (an opportunity's under one customer). */

const WORD = /[\p{L}\p{N}\p{M}]/u;
const KEPT_SYMBOL = /[+#\p{Sc}]/u;
const DIGIT = /\p{Nd}/u;

/**
 * The comparison key of an opportunity name: NFKC, case-folded, spaces and punctuation removed
 * — but `+`, `#` and currency signs kept (`C++` is not `C`), and a point or comma between two
 * digits kept as a point (`v1.1` is not `v11`). A non-string, or a name of punctuation only,
 * is the empty key, which names nothing (callers do not compare it).
 *
 * @example
 * opportunityNameKey('ＡＣＭＥ — 2027 Renewal') // 'acme2027renewal'
 * opportunityNameKey('CRM 1.5 期') === opportunityNameKey('crm15期') // false
 */
export function opportunityNameKey(name: string): string {
  if (typeof name !== 'string') return '';
  const chars = Array.from(name.normalize('NFKC').toLowerCase());
  let key = '';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (WORD.test(c) || KEPT_SYMBOL.test(c)) key += c;
    else if ((c === '.' || c === ',') && i > 0 && i < chars.length - 1 && DIGIT.test(chars[i - 1]!) && DIGIT.test(chars[i + 1]!)) key += '.';
  }
  return key;
}
