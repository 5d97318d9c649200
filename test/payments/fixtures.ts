import type { CreatePaymentPlanInput } from '../../src/payments/index.js';

/** A Shanghai wall-clock time. */
export const sh = (local: string) => new Date(`${local}+08:00`);

/** 纷享销客's 30-50-20 over an order of 1000.01 on 2 March: 300.00 due that day, 500.01 thirty days after, 200.00 sixty days after. */
export function plan302050(extra: Partial<CreatePaymentPlanInput> = {}): CreatePaymentPlanInput {
  return {
    id: 'PP-1',
    orderId: 'SO-1',
    customerId: 'C-1',
    ownerId: 'rep-li',
    orderDate: sh('2026-03-02T10:00:00'),
    total: { currency: 'CNY', amount: '1000.01' },
    installments: [
      { id: 'I1', percent: 30, due: { kind: 'afterOrder', days: 0 } },
      { id: 'I2', percent: 50, due: { kind: 'afterOrder', days: 30 } },
      { id: 'I3', percent: 20, due: { kind: 'afterOrder', days: 60 } },
    ],
    ...extra,
  };
}
