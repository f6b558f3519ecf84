/** POST /disbursement/v2_0/deposit: the v1_0 deposit under v2_0; its status is read with GET …/v1_0/deposit/{referenceId}. */
export { depositCreationRoute as depositRoutes } from '../v1_0/deposit.js';
