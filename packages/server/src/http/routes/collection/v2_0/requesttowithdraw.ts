/** POST /collection/v2_0/requesttowithdraw and its GET: the same resource as v1_0, served under both versions. */
export { requestToWithdrawRoutes } from '../v1_0/requesttowithdraw.js';
