/**
 * A consent asked of an account holder in person (decision 0024): the bc-authorize request it came from, as
 * the operator API and the payer's phone show it. It has no MoMo status read of its own: the partner learns the
 * answer by redeeming its auth_req_id.
 */
import type { TransactionRecord } from '../../storage/store.js';
import { presentReason, presentStatus, type ReasonFormat, requestOf } from './presentation.js';

/** The bc-authorize form fields a consent keeps. */
export interface ConsentRequest {
  readonly scope: string;
  readonly access_type: 'online' | 'offline';
}

export function presentConsent(transaction: TransactionRecord, reasonFormat: ReasonFormat) {
  const request = requestOf<ConsentRequest>(transaction);
  return {
    scope: request.scope,
    accessType: request.access_type,
    accountHolder: { partyIdType: transaction.partyIdType, partyId: transaction.partyId },
    status: presentStatus(transaction),
    ...presentReason(transaction, reasonFormat),
  };
}
