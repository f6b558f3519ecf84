/**
 * The MoMo error catalogue: every code the wallet platform answers with, its HTTP status and default message.
 * Codes and spellings follow the seed pages (shared/seeds), plus `NOT_SUCCESSFULLY_COMPLETED`, which MTN sends
 * for a delivery notification on an incomplete payment, and `BAD_REQUEST`, OpenMoMo's one addition, for
 * malformed input that MTN rejects with a 400 but no documented code (docs/decisions/0004).
 */
export const ERROR_CODES = {
  PAYEE_NOT_FOUND: { httpStatus: 400, message: 'Payee does not exist.' },
  PAYER_NOT_FOUND: { httpStatus: 400, message: 'Payer does not exist.' },
  NOT_ALLOWED: { httpStatus: 403, message: 'Authorization failed. Insufficient permissions.' },
  NOT_ALLOWED_TARGET_ENVIRONMENT: { httpStatus: 403, message: 'Access to target environment is forbidden.' },
  INVALID_CALLBACK_URL_HOST: {
    httpStatus: 400,
    message: 'Callback URL does not match the configured value.',
  },
  INVALID_CURRENCY: { httpStatus: 400, message: 'Currency not supported.' },
  SERVICE_UNAVAILABLE: { httpStatus: 503, message: 'Service temporarily unavailable, try again later.' },
  INTERNAL_PROCESSING_ERROR: { httpStatus: 500, message: 'An internal error occurred while processing.' },
  NOT_ENOUGH_FUNDS: { httpStatus: 400, message: 'The payer does not have enough funds.' },
  PAYER_LIMIT_REACHED: { httpStatus: 400, message: "The payer's limit has been breached." },
  PAYEE_NOT_ALLOWED_TO_RECEIVE: { httpStatus: 400, message: 'The payee is not allowed to receive funds.' },
  PAYMENT_NOT_APPROVED: { httpStatus: 400, message: 'The payment was not approved by the payer.' },
  RESOURCE_NOT_FOUND: { httpStatus: 404, message: 'Requested resource was not found.' },
  APPROVAL_REJECTED: { httpStatus: 400, message: 'The payer rejected the request.' },
  EXPIRED: { httpStatus: 400, message: 'The request expired before the payer approved it.' },
  'TRANSACTION_CANCELED.': { httpStatus: 400, message: 'The transaction was canceled.' },
  TRANSACTION_CANCELED: { httpStatus: 400, message: 'The transaction was canceled.' },
  RESOURCE_ALREADY_EXIST: {
    httpStatus: 409,
    message: 'Duplicated reference id. Creation of resource failed.',
  },
  TRANSACTION_NOT_COMPLETED: { httpStatus: 400, message: 'The transaction is not completed.' },
  TRANSACTION_NOT_FOUND: { httpStatus: 404, message: 'The transaction was not found.' },
  INFORMATIONAL_SCOPE_INSTRUCTION: { httpStatus: 400, message: 'The scope is informational only.' },
  MISSING_SCOPE_INSTRUCTION: { httpStatus: 400, message: 'The scope instruction is missing.' },
  MORE_THAN_ONE_FINANCIAL_SCOPE_NOT_SUPPORTED: {
    httpStatus: 400,
    message: 'More than one financial scope is not supported.',
  },
  UNSUPPORTED_SCOPE_COMBINATION: { httpStatus: 400, message: 'The scope combination is not supported.' },
  CONSENT_MISMATCH: { httpStatus: 400, message: 'The consent does not match the request.' },
  UNSUPPORTED_SCOPE: { httpStatus: 400, message: 'The scope is not supported.' },
  NOT_FOUND: { httpStatus: 404, message: 'Not found.' },
  NOT_SUCCESSFULLY_COMPLETED: { httpStatus: 409, message: 'The transaction is not successfully completed.' },
  BAD_REQUEST: { httpStatus: 400, message: 'Bad request, e.g. invalid data was sent in the request.' },
} as const satisfies Record<string, { httpStatus: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Reasons a transaction can end FAILED with, as the status body's `reason` carries them. */
export const FAILURE_REASONS = [
  'PAYEE_NOT_FOUND',
  'PAYER_NOT_FOUND',
  'NOT_ALLOWED',
  'NOT_ALLOWED_TARGET_ENVIRONMENT',
  'INTERNAL_PROCESSING_ERROR',
  'SERVICE_UNAVAILABLE',
  'NOT_ENOUGH_FUNDS',
  'PAYER_LIMIT_REACHED',
  'PAYEE_NOT_ALLOWED_TO_RECEIVE',
  'PAYMENT_NOT_APPROVED',
  'APPROVAL_REJECTED',
  'EXPIRED',
  'TRANSACTION_CANCELED',
] as const satisfies readonly ErrorCode[];

export type FailureReason = (typeof FAILURE_REASONS)[number];
