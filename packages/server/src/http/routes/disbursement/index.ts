/**
 * /disbursement — the Disbursement product: v1_0/transfer.ts, v1_0/deposit.ts, v2_0/deposit.ts,
 * v1_0/refund.ts, v2_0/refund.ts; token, account and accountholder routes are in ../common/.
 */
import { productPlugin } from '../common/product.js';
import { depositRoutes as depositV1 } from './v1_0/deposit.js';
import { refundRoutes as refundV1 } from './v1_0/refund.js';
import { transferRoutes } from './v1_0/transfer.js';
import { depositRoutes as depositV2 } from './v2_0/deposit.js';
import { refundRoutes as refundV2 } from './v2_0/refund.js';

export const disbursementRoutes = productPlugin('disbursement', {
  v1_0: [transferRoutes, depositV1, refundV1],
  v2_0: [depositV2, refundV2],
});
