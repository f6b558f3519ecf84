/** What a creation request becomes once validated: the fields every transaction kind stores. */
import type { PartyIdType, Product } from '@openmomo/contract';
import type { TransactionKind } from '../../domain/payments/transaction-kinds.js';

export interface TransactionDraft {
  readonly kind: TransactionKind;
  readonly product: Product;
  readonly amountMinor: bigint;
  readonly currency: string;
  /** The payer of a collection or pre-approval, the payee of a payout. */
  readonly party: { readonly partyIdType: PartyIdType; readonly partyId: string };
  readonly externalId: string | null;
  readonly payerMessage: string | null;
  readonly payeeNote: string | null;
  readonly relatedTransactionId: string | null;
  /** Seconds an invoice can be paid in; null for every other kind. */
  readonly payableForSeconds: number | null;
  /** The body as received, for the audit trail and the fields only its own presenter reads. */
  readonly request: unknown;
}
