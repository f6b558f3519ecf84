/** Collection payment v2_0: a customer's payment, approved by the customer like a request to pay. */
import { type Static, Type } from '@sinclair/typebox';
import { FailureReasonSchema, TransactionStatusSchema } from '../common/transaction-status.js';

export const Money = Type.Object(
  {
    amount: Type.String({ description: 'A positive decimal string.' }),
    currency: Type.String({ description: 'ISO4217 Currency' }),
  },
  { description: 'An amount in a currency.' },
);

export const PaymentBody = Type.Object(
  {
    externalTransactionId: Type.Optional(Type.String({ maxLength: 256 })),
    money: Money,
    customerReference: Type.String({ description: "The paying customer's MSISDN." }),
    serviceProviderUserName: Type.Optional(Type.String({ maxLength: 256 })),
    couponId: Type.Optional(Type.String({ maxLength: 256 })),
    productId: Type.Optional(Type.String({ maxLength: 256 })),
    productOfferingId: Type.Optional(Type.String({ maxLength: 256 })),
    receiverMessage: Type.Optional(Type.String({ maxLength: 160 })),
    senderNote: Type.Optional(Type.String({ maxLength: 160 })),
    maxNumberOfRetries: Type.Optional(Type.Integer({ minimum: 0 })),
    includeSenderCharges: Type.Optional(Type.Boolean()),
  },
  { $id: 'CreatePayment' },
);
export type PaymentBody = Static<typeof PaymentBody>;

export const PaymentResult = Type.Object(
  {
    referenceId: Type.String(),
    status: TransactionStatusSchema,
    financialTransactionId: Type.Optional(Type.String()),
    reason: Type.Optional(FailureReasonSchema),
  },
  { $id: 'GetPaymentResult' },
);
export type PaymentResult = Static<typeof PaymentResult>;
