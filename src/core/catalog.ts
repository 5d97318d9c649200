import { z } from 'zod';
import { ALL_ERROR_CODES } from './codes.js';
import { LABEL_KINDS, type LabelKind } from './labels.js';
import type { MessageCatalogInput, MessageFunction, ShippedLocale } from './messages.js';
import { deepFreeze, ENGLISH_PARSE, isSafeText, textSchema } from './validation.js';

/** The longest message template a host catalog may hold. */
const MAX_TEMPLATE = 2000;
const KNOWN_CODES: ReadonlySet<string> = new Set(ALL_ERROR_CODES);

const labelCatalogSchema = z.partialRecord(z.enum(LABEL_KINDS as unknown as [LabelKind, ...LabelKind[]]), z.record(textSchema.min(1).max(200), textSchema.max(500)));

/**
 * The `messages` option every service takes: a shipped locale, or a host catalog — a template (a
 * safe text of at most 2,000 characters, or a `MessageFunction`) for codes of the library, and
 * optional `labels` (a shipped locale or label tables). Read once into a frozen copy, so a
 * catalog the host changes later changes nothing; each problem is reported at its own key. One
 * schema for every service (internal).
 */
export const messagesOptionSchema: z.ZodType<ShippedLocale | MessageCatalogInput, unknown> = z.unknown().transform((value, ctx): ShippedLocale | MessageCatalogInput => {
  const issue = (path: string[], message: string): never => {
    ctx.addIssue({ code: 'custom', path, message });
    return z.NEVER as never;
  };
  if (value === 'en' || value === 'zh-CN') return value;
  if (typeof value === 'string') return issue([], `expected a shipped locale (en, zh-CN) or a catalog`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return issue([], 'expected a shipped locale or a catalog of message templates');
  let keys: (string | symbol)[];
  try {
    keys = Reflect.ownKeys(value);
  } catch {
    return issue([], 'the value could not be read');
  }
  const copy: Record<string, unknown> = {};
  let bad = false;
  for (const key of keys) {
    if (typeof key === 'symbol') {
      issue([], 'a symbol key is not a code');
      bad = true;
      continue;
    }
    let own: PropertyDescriptor | undefined;
    try {
      own = Reflect.getOwnPropertyDescriptor(value, key);
    } catch {
      own = undefined;
    }
    if (own === undefined || !('value' in own)) {
      issue([key], 'a getter is not data (it is not called)');
      bad = true;
      continue;
    }
    const v: unknown = own.value;
    if (key === 'labels') {
      if (v === 'en' || v === 'zh-CN') copy.labels = v;
      else {
        const labels = labelCatalogSchema.safeParse(v, ENGLISH_PARSE);
        if (labels.success) copy.labels = deepFreeze(labels.data);
        else {
          for (const i of labels.error.issues) ctx.addIssue({ ...i, path: ['labels', ...i.path] } as z.core.$ZodRawIssue);
          bad = true;
        }
      }
      continue;
    }
    if (!KNOWN_CODES.has(key)) {
      issue([key], 'expected an error code of the library (see ALL_ERROR_CODES)');
      bad = true;
    } else if (typeof v === 'function') {
      copy[key] = v as MessageFunction;
    } else if (typeof v !== 'string') {
      issue([key], 'expected a message template (a string or a function of the details)');
      bad = true;
    } else if (!isSafeText(v) || v.length > MAX_TEMPLATE) {
      issue([key], `expected a template of at most ${MAX_TEMPLATE} characters with no NUL and no lone surrogate`);
      bad = true;
    } else copy[key] = v;
  }
  if (bad) return z.NEVER as never;
  // frozen at the top only: a template function is the host's own and stays as it is
  return Object.freeze(copy) as MessageCatalogInput;
});
