/** `momo.collection`: request to pay, withdrawals, pre-approvals, invoices, payments, and the account calls. */
import type { InvoiceBody, PaymentBody, PreapprovalBody, RequestToPayBody } from '@openmomo/contract';
import type { ProductApi } from '../product-api.js';
import { type AccountApi, type AccountHolderIdType, accountApi } from './account.js';
import { type AsyncResource, asyncResource } from './async-resource.js';
import {
  type InvoiceStatus,
  type PaymentStatus,
  type PreapprovalDetails,
  type PreapprovalStatus,
  parseInvoice,
  parsePayment,
  parsePreapproval,
  parsePreapprovalDetails,
  parseRequestToPay,
  type RequestToPayStatus,
} from './results.js';

export interface CollectionApi extends AccountApi {
  /** Asks a payer to approve a payment (POST /collection/v1_0/requesttopay). */
  readonly requestToPay: AsyncResource<RequestToPayBody, RequestToPayStatus> & {
    /** Tells the payer of a SUCCESSFUL request something (at most 160 characters). */
    deliveryNotification(referenceId: string, message: string): Promise<void>;
  };
  /** Asks a customer to approve a withdrawal (v1_0 by default, `requestToWithdrawV2` for v2_0). */
  readonly requestToWithdraw: AsyncResource<RequestToPayBody, RequestToPayStatus>;
  readonly requestToWithdrawV2: AsyncResource<RequestToPayBody, RequestToPayStatus>;
  /**
   * Asks a payer to pre-approve this partner (v2_0); `listApproved` reads a payer's approved, unexpired ones and
   * `cancel` withdraws one, pending or approved, by the X-Reference-Id it was created with.
   */
  readonly preapproval: AsyncResource<PreapprovalBody, PreapprovalStatus> & {
    listApproved(idType: AccountHolderIdType, id: string): Promise<PreapprovalDetails[]>;
    cancel(referenceId: string): Promise<void>;
  };
  /** Bills a payer (v2_0); `cancel` withdraws a PENDING invoice. */
  readonly invoice: AsyncResource<InvoiceBody, InvoiceStatus> & {
    cancel(referenceId: string, options?: { externalId?: string }): Promise<void>;
  };
  /** Takes a payment from a customer (v2_0). */
  readonly payment: AsyncResource<PaymentBody, PaymentStatus>;
}

export function collectionApi(api: ProductApi): CollectionApi {
  const requestToPay = asyncResource<RequestToPayBody, RequestToPayStatus>({
    api,
    createPath: '/v1_0/requesttopay',
    statusPath: '/v1_0/requesttopay',
    parse: parseRequestToPay,
  });
  const invoice = asyncResource<InvoiceBody, InvoiceStatus>({
    api,
    createPath: '/v2_0/invoice',
    statusPath: '/v2_0/invoice',
    parse: parseInvoice,
  });
  return {
    ...accountApi(api),
    requestToPay: Object.assign(requestToPay, {
      async deliveryNotification(referenceId: string, message: string) {
        await api.call({
          method: 'POST',
          path: `/v1_0/requesttopay/${encodeURIComponent(referenceId)}/deliverynotification`,
          json: { notificationMessage: message },
          // Sent again after a lost answer, the payer would get the message twice.
          idempotent: false,
          referenceId,
        });
      },
    }),
    requestToWithdraw: asyncResource({
      api,
      createPath: '/v1_0/requesttowithdraw',
      statusPath: '/v1_0/requesttowithdraw',
      parse: parseRequestToPay,
    }),
    requestToWithdrawV2: asyncResource({
      api,
      createPath: '/v2_0/requesttowithdraw',
      statusPath: '/v2_0/requesttowithdraw',
      parse: parseRequestToPay,
    }),
    preapproval: Object.assign(
      asyncResource<PreapprovalBody, PreapprovalStatus>({
        api,
        createPath: '/v2_0/preapproval',
        statusPath: '/v2_0/preapproval',
        parse: parsePreapproval,
      }),
      {
        async listApproved(idType: AccountHolderIdType, id: string) {
          const path = `/v1_0/preapprovals/${idType}/${encodeURIComponent(id)}`;
          return parsePreapprovalDetails((await api.call({ method: 'GET', path, idempotent: true })).body);
        },
        async cancel(referenceId: string) {
          await api.call({
            method: 'DELETE',
            path: `/v1_0/preapprovals/${encodeURIComponent(referenceId)}`,
            // Sent again after a lost answer, a cancel that went through is refused (403 NOT_ALLOWED).
            idempotent: false,
            referenceId,
          });
        },
      },
    ),
    invoice: Object.assign(invoice, {
      async cancel(referenceId: string, options: { externalId?: string } = {}) {
        await api.call({
          method: 'DELETE',
          path: `/v2_0/invoice/${encodeURIComponent(referenceId)}`,
          headers: { 'X-Reference-Id': crypto.randomUUID() },
          json: options.externalId === undefined ? {} : { externalId: options.externalId },
          // Sent again after a lost answer, a cancel that went through is refused (403 NOT_ALLOWED).
          idempotent: false,
          referenceId,
        });
      },
    }),
    payment: asyncResource({
      api,
      createPath: '/v2_0/payment',
      statusPath: '/v2_0/payment',
      parse: parsePayment,
    }),
  };
}
