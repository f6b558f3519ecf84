/** @openmomo/contract — the MoMo Open API shape shared by the OpenMoMo server and SDK. */

export { CancelInvoiceBody, INVOICE_STATUSES, InvoiceBody, InvoiceResult } from './collection/invoice.js';
export { Money, PaymentBody, PaymentResult } from './collection/payment.js';
export {
  ApprovedPreapprovals,
  PREAPPROVAL_VALIDITY_DEFAULT_SECONDS,
  PREAPPROVAL_VALIDITY_MAX_SECONDS,
  PreapprovalBody,
  PreapprovalDetails,
  PreapprovalIdParams,
  PreapprovalResult,
} from './collection/preapproval.js';
export {
  NOTE_MAX_LENGTH,
  ReferenceIdParams,
  RequestToPayBody,
  RequestToPayResult,
} from './collection/request-to-pay.js';
export {
  ACCOUNT_HOLDER_ID_TYPES,
  AccountHolderActiveResult,
  AccountHolderParams,
  BasicUserInfo,
  DeliveryNotificationBody,
} from './common/account-holder.js';
export { Balance } from './common/balance.js';
export {
  BcAuthorizeBody,
  BcAuthorizeResult,
  Oauth2TokenBody,
  Oauth2TokenResult,
  UserInfo,
} from './common/consent.js';
export {
  CURRENCY_MINOR_UNITS,
  type Currency,
  isCurrency,
  isTargetEnvironment,
  PRODUCTS,
  type Product,
  TARGET_ENVIRONMENTS,
  type TargetEnvironment,
} from './common/environments.js';
export { GatewayErrorBody, MomoErrorBody, NoContent, TokenErrorBody } from './common/error-body.js';
export {
  BcAuthorizeHeaders,
  CallbackUrlHeader,
  CreationCallHeaders,
  ProductCallHeaders,
  ReferenceIdHeader,
  UUID_V4_PATTERN,
} from './common/headers.js';
export { PARTY_ID_TYPES, Party, type PartyIdType } from './common/party.js';
export { TokenResult } from './common/token.js';
export {
  FailureReasonSchema,
  TRANSACTION_STATUSES,
  type TransactionStatus,
  TransactionStatusSchema,
} from './common/transaction-status.js';
export { RefundBody, TransferBody, TransferResult } from './common/transfer.js';
export { ERROR_CODES, type ErrorCode, FAILURE_REASONS, type FailureReason } from './error-codes.js';
export {
  ApiKeyResult,
  ApiUserParams,
  ApiUserResult,
  CreateApiUserBody,
  CreateApiUserHeaders,
} from './provisioning/api-user.js';
export { CashTransferBody, CashTransferResult } from './remittance/cash-transfer.js';
