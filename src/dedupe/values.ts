/**
 * Normalizers for the field kinds added after the first five (identifiers, dates) and the
 * role-address test of emails. Same conventions as `normalize.ts`: never throw, `null` for
 * anything unusable, idempotent.
 */

/**
 * Local parts of role addresses: a mailbox of a function, not of a person (info@, sales@,
 * 客服 kefu@…). Two people writing the company's info@ are not one person, so duplicate checks
 * treat such an address as blank.
 */
export const ROLE_EMAIL_LOCAL_PARTS: ReadonlySet<string> = new Set([
  'info', 'sales', 'sale', 'admin', 'administrator', 'contact', 'contacts', 'contactus', 'support', 'service', 'services',
  'customerservice', 'help', 'helpdesk', 'hr', 'jobs', 'job', 'careers', 'recruit', 'recruitment', 'office', 'marketing',
  'enquiries', 'enquiry', 'inquiry', 'inquiries', 'hello', 'mail', 'email', 'webmaster', 'postmaster', 'hostmaster',
  'noreply', 'no-reply', 'donotreply', 'billing', 'accounts', 'accounting', 'finance', 'team', 'business', 'bd', 'pr',
  'media', 'press', 'orders', 'order', 'purchase', 'purchasing', 'procurement', 'legal', 'security', 'abuse', 'general',
  'reception', 'frontdesk', 'kefu', 'shouhou', 'caiwu', 'xiaoshou', 'zhaopin', 'renshi', 'fuwu',
]);

/**
 * Whether a normalized email address (`normalizeEmail`'s output) is a role address: its local
 * part, without a `+tag` and separators, is one of `ROLE_EMAIL_LOCAL_PARTS`.
 *
 * @example
 * isRoleEmail('info@acme.com') // true
 * isRoleEmail('sales.cn@acme.com') // false (a person's or a team's own box: not listed)
 * isRoleEmail('zhang.wei@acme.com') // false
 */
export function isRoleEmail(email: string): boolean {
  if (typeof email !== 'string') return false;
  const at = email.lastIndexOf('@');
  if (at <= 0) return false;
  let local = email.slice(0, at).toLowerCase();
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  return ROLE_EMAIL_LOCAL_PARTS.has(local) || ROLE_EMAIL_LOCAL_PARTS.has(local.replace(/[._-]/g, ''));
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function calendarDate(y: number, m: number, d: number): string | null {
  if (!(y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= DAYS_IN_MONTH[m - 1]!)) return null;
  if (m === 2 && d === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) return null;
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
}

/** Year first: 2026-05-01, 2026/5/1, 2026.05.01, 2026年5月1日, 20260501. */
const YEAR_FIRST = /^(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?|(\d{2})(\d{2}))$/u;
/** Year last: 1.5.2026 or 01.05.2026 (day first, as in Europe), 5/1/2026 (month first, as in the US). */
const YEAR_LAST = /^(\d{1,2})\s*([./-])\s*(\d{1,2})\s*\2\s*(\d{4})$/u;

/**
 * A calendar date as `YYYY-MM-DD`, or `null` when the text is not one. Year-first forms
 * (2026-05-01, 2026/5/1, 2026年5月1日, 20260501, a trailing time is ignored), day-first with dots
 * or dashes (01.05.2026, 01-05-2026) and month-first with slashes (5/1/2026). Years 1–9999; the
 * day must exist in its month (29 February only in leap years).
 *
 * @example
 * normalizeDate('2026年5月1日') // '2026-05-01'
 * normalizeDate('01.05.2026') // '2026-05-01'
 * normalizeDate('5/1/2026') // '2026-05-01'
 * normalizeDate('2026-02-30') // null
 */
export function normalizeDate(raw: string): string | null {
  if (typeof raw !== 'string' || raw.length > 64) return null;
  const s = raw.normalize('NFKC').trim().replace(/[T\s]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/u, '');
  const first = YEAR_FIRST.exec(s);
  if (first) return calendarDate(Number(first[1]), Number(first[2] ?? first[4]), Number(first[3] ?? first[5]));
  const last = YEAR_LAST.exec(s);
  if (last) {
    const a = Number(last[1]);
    const b = Number(last[3]);
    const y = Number(last[4]);
    return last[2] === '/' ? calendarDate(y, a, b) : calendarDate(y, b, a);
  }
  return null;
}

export { normalizeIdentifier, isUnifiedSocialCreditCode, isMistypedCreditCode } from '../core/tax-id.js';
