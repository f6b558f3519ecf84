/**
 * /collection — the Collection product. Each URL's code is in the file of the same path:
 * v1_0/requesttopay.ts, v1_0/requesttowithdraw.ts, v1_0/preapprovals.ts, v2_0/requesttowithdraw.ts,
 * v2_0/preapproval.ts, v2_0/invoice.ts, v2_0/payment.ts (both pre-approval files cancel through
 * cancel-preapproval.ts); token, account and accountholder routes are in ../common/.
 */
import { productPlugin } from '../common/product.js';
import { preapprovalsRoutes } from './v1_0/preapprovals.js';
import { requestToPayRoutes } from './v1_0/requesttopay.js';
import { requestToWithdrawRoutes as requestToWithdrawV1 } from './v1_0/requesttowithdraw.js';
import { invoiceRoutes } from './v2_0/invoice.js';
import { paymentRoutes } from './v2_0/payment.js';
import { preapprovalRoutes } from './v2_0/preapproval.js';
import { requestToWithdrawRoutes as requestToWithdrawV2 } from './v2_0/requesttowithdraw.js';

export const collectionRoutes = productPlugin('collection', {
  v1_0: [requestToPayRoutes, requestToWithdrawV1, preapprovalsRoutes],
  v2_0: [requestToWithdrawV2, preapprovalRoutes, invoiceRoutes, paymentRoutes],
});
