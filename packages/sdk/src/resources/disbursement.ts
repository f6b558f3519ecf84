/** `momo.disbursement`: transfers, deposits and refunds, and the account calls. */
import type { RefundBody, TransferBody } from '@openmomo/contract';
import type { ProductApi } from '../product-api.js';
import { type AccountApi, accountApi } from './account.js';
import { type AsyncResource, asyncResource } from './async-resource.js';
import { parseTransfer, type TransferStatus } from './results.js';

export interface DisbursementApi extends AccountApi {
  /** Pays a payee from the partner's disbursement account. */
  readonly transfer: AsyncResource<TransferBody, TransferStatus>;
  /** Deposits into a payee's wallet (v1_0; `depositV2` for v2_0). */
  readonly deposit: AsyncResource<TransferBody, TransferStatus>;
  readonly depositV2: AsyncResource<TransferBody, TransferStatus>;
  /** Refunds (part of) a successful collection to its payer (v1_0; `refundV2` for v2_0). */
  readonly refund: AsyncResource<RefundBody, TransferStatus>;
  readonly refundV2: AsyncResource<RefundBody, TransferStatus>;
}

export function disbursementApi(api: ProductApi): DisbursementApi {
  // v2_0 deposits and refunds are read with the v1_0 status call, which serves both.
  const resource = <Body>(createPath: string, statusPath: string) =>
    asyncResource<Body, TransferStatus>({ api, createPath, statusPath, parse: parseTransfer });
  return {
    ...accountApi(api),
    transfer: resource('/v1_0/transfer', '/v1_0/transfer'),
    deposit: resource('/v1_0/deposit', '/v1_0/deposit'),
    depositV2: resource('/v2_0/deposit', '/v1_0/deposit'),
    refund: resource('/v1_0/refund', '/v1_0/refund'),
    refundV2: resource('/v2_0/refund', '/v1_0/refund'),
  };
}
