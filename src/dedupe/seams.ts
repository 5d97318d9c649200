/**
 * The dedupe module's answers to other modules' seams: the lead service's duplicate-customer
 * check at conversion, run through the duplicate check of this module's service.
 */
import { z } from 'zod';
import type { CrmError } from '../core/errors.js';
import { storeUnavailable } from '../core/boundary.js';
import { ok, type Result } from '../core/result.js';
import { idSchema, nameSchema, parseInput } from '../core/validation.js';
import type { CustomerCheck, ExistingCustomer } from '../leads/index.js';
import type { DedupeService } from './service.js';

const depsSchema = z
  .object({
    dedupe: z.custom<DedupeService>((d) => typeof d === 'object' && d !== null && typeof (d as { check?: unknown }).check === 'function', 'expected a DedupeService (check)'),
    fields: z
      .object({ company: nameSchema.default('company'), taxId: nameSchema.default('taxId'), phone: nameSchema.default('phone'), email: nameSchema.default('email') })
      .strict()
      .refine((f) => new Set(Object.values(f)).size === 4, { message: 'the field names must differ' })
      .default({ company: 'company', taxId: 'taxId', phone: 'phone', email: 'email' }),
  })
  .strict();

/** The dedupe service's answer, read as far as the seam needs it (anything else is INVALID_INPUT at `dedupe.check`). */
const checkAnswerSchema = z.union([
  z.object({
    ok: z.literal(true),
    value: z
      .object({
        duplicates: z.array(
          z.object({ candidateId: idSchema, duplicate: z.boolean(), fields: z.array(z.object({ field: z.string(), outcome: z.string() }).loose()) }).loose(),
          { message: "expected the duplicate check's answer" },
        ),
      })
      .loose(),
  }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string() }).loose() }),
]);

/** What `createDedupeCustomerCheck` takes: the dedupe service, and the customer rule set's field names if not the defaults'. */
export interface DedupeCustomerCheckDeps {
  readonly dedupe: DedupeService;
  readonly fields?: { readonly company?: string; readonly taxId?: string; readonly phone?: string; readonly email?: string };
}

const requestSchema = z.object({
  lead: z.object({ phone: z.string().nullable().optional(), email: z.string().nullable().optional() }).loose(),
  customer: z.object({ customerId: idSchema, name: z.string(), taxId: z.string().nullable() }).strict(),
});

/**
 * The lead service's `CustomerCheck` over a dedupe service: the customer to be created (the
 * standard name and tax id settled at conversion, the lead's phone and email) is checked as a
 * `customer` record; each duplicate found is offered, with the tax id when the check found it
 * the same. Same-account matches (the company, another person) are not offered: a customer is
 * a company. Malformed dependencies give a check whose every answer is `INVALID_INPUT` at `deps`.
 *
 * @example
 * const leads = createLeadService({ store, customerCheck: createDedupeCustomerCheck({ dedupe: createDedupeService({ store }) }) });
 */
export function createDedupeCustomerCheck(deps: DedupeCustomerCheckDeps): CustomerCheck {
  const parsed = parseInput(depsSchema, deps, ['deps']);
  if (!parsed.ok) return Object.freeze({ find: async () => parsed });
  const { dedupe, fields } = parsed.value;
  return Object.freeze({
    async find(input: unknown): Promise<Result<readonly ExistingCustomer[], CrmError>> {
      const request = parseInput(requestSchema, input, ['request']);
      if (!request.ok) return request;
      const { lead, customer } = request.value;
      let answer: unknown;
      try {
        answer = await dedupe.check({
          id: customer.customerId,
          object: 'customer',
          fields: { [fields.company]: customer.name, [fields.taxId]: customer.taxId, [fields.phone]: lead.phone ?? null, [fields.email]: lead.email ?? null },
        });
      } catch (e) {
        return storeUnavailable('customerCheck', e, 'unknown');
      }
      const read = parseInput(checkAnswerSchema, answer, ['dedupe', 'check']);
      if (!read.ok) return read;
      const checked = read.value;
      if (!checked.ok) return answer as Result<never, CrmError>;
      const found = checked.value.duplicates
        .filter((d) => d.duplicate)
        .map((d) => ({ customerId: d.candidateId, taxId: d.fields.some((f) => f.field === fields.taxId && f.outcome === 'same') ? customer.taxId : null }));
      return ok(Object.freeze(found.map((c) => Object.freeze(c))));
    },
  }) as CustomerCheck;
}
