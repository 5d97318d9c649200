/**
 * Registration numbers (tax ids): folded for comparison, and the unified social credit code
 * (统一社会信用代码, GB 32100-2015) checked by its check character. Shared by the modules that
 * capture a tax id (leads at conversion) and the duplicate check. Never throw.
 */
import { z } from 'zod';
import { textSchema } from './validation.js';

/**
 * An identifier folded for comparison — a tax id (统一社会信用代码), a registration or VAT
 * number: NFKC (full-width → half-width), upper case, everything but letters and digits
 * removed. `null` when nothing is left or for a non-string.
 *
 * @example
 * normalizeIdentifier(' 9144 0300-7084 29163x ') // '91440300708429163X'
 */
export function normalizeIdentifier(raw: string): string | null {
  if (typeof raw !== 'string') return null;
  // NFKC again after the separators go: characters they kept apart may compose (ᄀ-ᅡ → 가).
  const s = raw.normalize('NFKC').toUpperCase().replace(/[^\p{L}\p{N}]+/gu, '').normalize('NFKC');
  return s || null;
}

/** The characters of a unified social credit code (GB 32100-2015): digits and capitals but I, O, S, V, Z. */
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const USCC_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

/**
 * Whether a text (after `normalizeIdentifier`) is a unified social credit code (统一社会信用代码)
 * with a correct check character: 18 characters of its alphabet, the last one
 * 31 − (Σ value × weight mod 31), 31 written as 0.
 *
 * @example
 * isUnifiedSocialCreditCode('91350100M000100Y43') // true
 * isUnifiedSocialCreditCode('91350100M000100Y44') // false (a typo)
 */
export function isUnifiedSocialCreditCode(code: string): boolean {
  if (typeof code !== 'string' || !USCC_SHAPE.test(code)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(code.charAt(i)) * USCC_WEIGHTS[i]!;
  const check = (31 - (sum % 31)) % 31;
  return USCC_CHARS.charAt(check) === code.charAt(17);
}

/**
 * Whether a normalized identifier has the shape of a unified social credit code but a wrong
 * check character (and is not a resident identity card number, which has the same length): a
 * mistyped code, which duplicate checks treat as blank rather than as another company's.
 */
export function isMistypedCreditCode(code: string): boolean {
  return USCC_SHAPE.test(code) && !isUnifiedSocialCreditCode(code) && !isResidentIdNumber(code);
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** A resident identity card number (居民身份证号): 17 digits and its ISO 7064 MOD 11-2 check character. */
function isResidentIdNumber(code: string): boolean {
  if (!/^\d{17}[\dX]$/.test(code)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (code.charCodeAt(i) - 48) * ID_WEIGHTS[i]!;
  return ID_CHECK.charAt(sum % 11) === code.charAt(17);
}

/** The issue of a mistyped unified social credit code. */
export const TAX_ID_CHECK_MESSAGE = 'is a mistyped unified social credit code: its check character does not match';

/**
 * A tax id as a host gives one (a form, an import): any registration number up to 200
 * characters, folded by `normalizeIdentifier` (full-width → half-width, upper case, separators
 * removed) and at most 100 characters once folded; blank is null, and absent stays absent
 * (`undefined`: the caller's default applies); a text with the shape of a unified social credit code but
 * a wrong check character is refused (a typo would otherwise pass as another company's code).
 */
export const taxIdInputSchema = z
  .union([textSchema.max(200), z.null()])
  .optional()
  .transform((raw) => (raw === undefined ? undefined : raw === null ? null : normalizeIdentifier(raw)))
  .refine((id) => id === null || id === undefined || id.length <= 100, { message: 'is longer than 100 characters once folded' })
  .refine((id) => id === null || id === undefined || !isMistypedCreditCode(id), { message: TAX_ID_CHECK_MESSAGE });
