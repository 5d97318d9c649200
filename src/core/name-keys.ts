/** Comparison keys of names two records must not share (an opportunity's under one customer). */

/**
 * The comparison key of an opportunity name: NFKC, case-folded, spaces and punctuation removed
 * (a non-string is the empty key).
 *
 * @example
 * opportunityNameKey('ＡＣＭＥ — 2027 Renewal') // 'acme2027renewal'
 */
export function opportunityNameKey(name: string): string {
  if (typeof name !== 'string') return '';
  return name.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');
}
