/** @openmomo/sdk — a typed MoMo Open API client with no runtime dependency beyond Node's fetch. */
export {
  type CallbackDelivery,
  type CallbackHandlerOptions,
  type CallbackListener,
  callbackHandler,
  fastifyCallbackHandler,
  type MomoCallback,
  parseCallback,
} from './callbacks.js';
export {
  MomoAuthenticationError,
  MomoConflictError,
  MomoConnectionError,
  MomoError,
  MomoInvalidRequestError,
  MomoNotFoundError,
  MomoPermissionError,
  MomoRateLimitError,
  MomoServerError,
} from './errors.js';
export { MomoClient, type MomoClientOptions, MTN_SANDBOX_BASE_URL } from './momo-client.js';
export type { FailureReasonCode, FailureReasonValue } from './parsing.js';
export type { ProductCredentials } from './product-api.js';
export type { AccountHolderIdType, Balance, CallOptions } from './resources/account.js';
export type {
  AsyncResource,
  Created,
  CreateOptions,
  ReadOptions,
  WaitOptions,
} from './resources/async-resource.js';
export type { CollectionApi } from './resources/collection.js';
export type { DisbursementApi } from './resources/disbursement.js';
export type { RemittanceApi } from './resources/remittance.js';
export type {
  CashTransferStatus,
  InvoiceStatus,
  PaymentStatus,
  PreapprovalDetails,
  PreapprovalStatus,
  RequestToPayStatus,
  TransferStatus,
} from './resources/results.js';
export { getSandboxUser, provisionSandboxUser, type SandboxUserOptions } from './sandbox.js';
