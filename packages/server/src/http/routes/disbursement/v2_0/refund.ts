/** POST /disbursement/v2_0/refund: the v1_0 refund under v2_0; its status is read with GET …/v1_0/refund/{referenceId}. */
export { refundCreationRoute as refundRoutes } from '../v1_0/refund.js';
