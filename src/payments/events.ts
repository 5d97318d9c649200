import type { RuleEvent } from '../core/events.js';
import type { Money } from '../core/money.js';
import type { AllocationStrategyKind } from './allocation.js';
import type { PaymentApplication, PaymentEventType, PaymentKind } from './model.js';
import type { InstallmentWriteOff } from './receivables.js';

/**
 * What an installment reminder names (`installment.dueSoon`, `installment.overdue`): the
 * installment, its plan, and what is still owed.
 *
 * @example
 * const r: InstallmentReminderData = { planId: 'PP-1', orderId: 'SO-1', customerId: 'C-1', ownerId: 'rep-li', installmentId: 'I2', dueDate: '2026-04-30', outstanding: money, key: 'PP-1/I2/dueSoon/3', remindAt: new Date('2026-04-27T00:00:00+08:00') };
 */
export type InstallmentReminderData = {
  /** The payment plan. */
  readonly planId: string;
  /** The plan's order or contract. */
  readonly orderId: string;
  /** The customer who owes it. */
  readonly customerId: string;
  /** The plan's owner (the rep to remind); null when the plan has none. */
  readonly ownerId: string | null;
  /** The installment. */
  readonly installmentId: string;
  /** Its due day, `YYYY-MM-DD` in the plan's zone. */
  readonly dueDate: string;
  /** What is still to be settled. */
  readonly outstanding: Money;
  /** A key unique to this reminder (plan, installment, kind, round): send once per key. */
  readonly key: string;
  /** The instant the reminder became due. */
  readonly remindAt: Date;
};

/**
 * The `data` of each payments event, by event type: what `switch (event.type)` narrows
 * `event.data` to.
 *
 * @example
 * const kind: PaymentEventDataByType['paymentPlan.writtenOff']['kind'] = 'badDebt';
 */
export interface PaymentEventDataByType {
  'paymentPlan.created': {
    /** The order or contract the plan collects. */
    readonly orderId: string;
    /** The customer who pays. */
    readonly customerId: string;
    /** The plan's total. */
    readonly total: Money;
    /** Each installment: its id, due day (`YYYY-MM-DD`) and amount. */
    readonly installments: readonly { readonly id: string; readonly dueDate: string; readonly amount: Money }[];
  };
  'paymentPlan.paymentApplied': {
    /** The plan's order or contract. */
    readonly orderId: string;
    /** The plan's customer. */
    readonly customerId: string;
    /** The applications made to this plan's installments. */
    readonly applications: readonly PaymentApplication[];
  };
  'paymentPlan.paymentUnapplied': {
    /** The plan's order or contract. */
    readonly orderId: string;
    /** The plan's customer. */
    readonly customerId: string;
    /** The applications taken off this plan's installments. */
    readonly applications: readonly PaymentApplication[];
  };
  'paymentPlan.writtenOff': {
    /** A small difference within the tolerance, or bad debt. */
    readonly kind: 'smallDifference' | 'badDebt';
    /** The plan's order or contract. */
    readonly orderId: string;
    /** The plan's customer. */
    readonly customerId: string;
    /** What was written off, per installment. */
    readonly installments: readonly InstallmentWriteOff[];
    /** The sum written off. */
    readonly total: Money;
    /** Why; null when none was given (a small difference may have none). */
    readonly reason: string | null;
  };
  'payment.recorded': {
    /** A payment received, or a credit note. */
    readonly kind: PaymentKind;
    /** The customer who paid. */
    readonly customerId: string;
    /** The order it was received for; null when none. */
    readonly orderId: string | null;
    /** The amount received. */
    readonly amount: Money;
    /** When it was received. */
    readonly receivedAt: Date;
    /** How it was paid (the host's word, e.g. `bankTransfer`). */
    readonly method: string;
  };
  'payment.applied': {
    /** The strategy that chose the installments (`creditNote` for a credit note's application). */
    readonly strategy: AllocationStrategyKind | 'creditNote';
    /** The applications made, in order. */
    readonly applications: readonly PaymentApplication[];
    /** The amount applied by this step. */
    readonly applied: Money;
    /** What is left unapplied on the payment. */
    readonly unapplied: Money;
  };
  'payment.unapplied': {
    /** The applications taken off (or reduced), newest first. */
    readonly removed: readonly PaymentApplication[];
    /** The amount freed. */
    readonly freed: Money;
    /** What is unapplied on the payment now. */
    readonly unapplied: Money;
    /** Why; null when none. */
    readonly reason: string | null;
  };
  'payment.reversed': {
    /** The applications taken off. */
    readonly removed: readonly PaymentApplication[];
    /** The amount freed. */
    readonly freed: Money;
    /** What is unapplied on the payment now. */
    readonly unapplied: Money;
    /** Why it was reversed; null when none. */
    readonly reason: string | null;
  };
  'payment.refunded': {
    /** The refund's number on the payment. */
    readonly seq: number;
    /** The amount paid back. */
    readonly amount: Money;
    /** What is left unapplied on the payment. */
    readonly unapplied: Money;
    /** Why; null when none. */
    readonly reason: string | null;
  };
  'payment.refundRequested': {
    /** The payment the refund comes out of. */
    readonly paymentId: string;
    /** The amount asked for. */
    readonly amount: Money;
    /** The approval levels it needs, in order (none: paid back at once). */
    readonly levels: readonly string[];
    /** Why; null when none. */
    readonly reason: string | null;
  };
  'payment.refundApprovalSigned': {
    /** The payment the refund comes out of. */
    readonly paymentId: string;
    /** The level signed. */
    readonly level: string;
    /** The levels still to sign (none: the refund is paid back). */
    readonly remaining: readonly string[];
  };
  'payment.refundRejected': {
    /** The payment the refund would have come out of. */
    readonly paymentId: string;
    /** The level that rejected it (null: it waited on none any more, and was withdrawn). */
    readonly level: string | null;
    /** Why. */
    readonly reason: string;
  };
  'installment.dueSoon': InstallmentReminderData & {
    /** The policy's "days before" that fired. */
    readonly daysBefore: number;
    /** Calendar days left until the due day. */
    readonly daysLeft: number;
  };
  'installment.overdue': InstallmentReminderData & {
    /** Calendar days past the due day. */
    readonly daysOverdue: number;
  };
}

/**
 * An event of the payments module: one `RuleEvent` per type, so `switch (event.type)` narrows
 * `event.data` (see `PaymentEventDataByType`).
 *
 * @example
 * const e: PaymentEvent = decision.events[0]!;
 * if (e.type === 'payment.applied') console.log(e.data.applied);
 */
export type PaymentEvent = { [T in PaymentEventType]: RuleEvent<T, Readonly<PaymentEventDataByType[T]>> }[PaymentEventType];

/**
 * A reminder (`installment.dueSoon` or `installment.overdue`), as `paymentReminders` returns
 * them: `data.key`, `data.ownerId` and the rest of `InstallmentReminderData` need no narrowing.
 *
 * @example
 * for (const e of unwrap(paymentReminders(plans, { now, actor: { id: 'system:payments' }, policy }))) console.log(e.data.key);
 */
export type InstallmentReminderEvent = Extract<PaymentEvent, { readonly type: 'installment.dueSoon' | 'installment.overdue' }>;
