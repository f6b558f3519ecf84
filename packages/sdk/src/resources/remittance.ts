/** `momo.remittance`: transfers and cash transfers, and the account calls. */
import type { CashTransferBody, TransferBody } from '@openmomo/contract';
import type { ProductApi } from '../product-api.js';
import { type AccountApi, accountApi } from './account.js';
import { type AsyncResource, asyncResource } from './async-resource.js';
import { type CashTransferStatus, parseCashTransfer, parseTransfer, type TransferStatus } from './results.js';

export interface RemittanceApi extends AccountApi {
  /** Pays a payee from the partner's remittance account. */
  readonly transfer: AsyncResource<TransferBody, TransferStatus>;
  /** Sends money for a payee to collect in cash (v2_0). */
  readonly cashTransfer: AsyncResource<CashTransferBody, CashTransferStatus>;
}

export function remittanceApi(api: ProductApi): RemittanceApi {
  return {
    ...accountApi(api),
    transfer: asyncResource({
      api,
      createPath: '/v1_0/transfer',
      statusPath: '/v1_0/transfer',
      parse: parseTransfer,
    }),
    cashTransfer: asyncResource({
      api,
      createPath: '/v2_0/cashtransfer',
      statusPath: '/v2_0/cashtransfer',
      parse: parseCashTransfer,
    }),
  };
}
