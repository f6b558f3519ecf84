/**
 * /remittance — the Remittance product: v1_0/transfer.ts, v2_0/cashtransfer.ts; token, account and
 * accountholder routes are in ../common/.
 */
import { productPlugin } from '../common/product.js';
import { transferRoutes } from './v1_0/transfer.js';
import { cashTransferRoutes } from './v2_0/cashtransfer.js';

export const remittanceRoutes = productPlugin('remittance', {
  v1_0: [transferRoutes],
  v2_0: [cashTransferRoutes],
});
