/** What a creation request becomes once validated: the fields every transaction kind stores. */
import type { PartyIdType, Product } from '@openmomo/contract';
import type { TransactionKind } from '../../domain/payments/transaction-kinds.js';
import type { Repositories } from '../../storage/store.js';
import type { AccessClaims } from '../access-service.js';
import type { MomoFailure } from '../outcomes.js';
import { checkAmount, checkCurrency, checkNotes, checkParty, isFailure } from './validation.js';

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
  /** A payee the resource names (an invoice's), apart from `party`: their names are kept when it is created. */
  readonly namedPayee?: { readonly partyIdType: PartyIdType; readonly partyId: string };
  /** The body as received, for the audit trail and the fields only its own presenter reads. */
  readonly request: unknown;
  /**
   * A check repeated inside the creation's transaction, against what concurrent creations committed since the
   * draft was made (a refund against the other refunds of its payment); a failure refuses the creation.
   */
  readonly recheckWhenCreating?: (tx: Repositories) => Promise<MomoFailure | null>;
}

export interface MoneyMovementInput {
  readonly kind: TransactionKind;
  readonly product: Product;
  readonly caller: AccessClaims;
  readonly amount: string;
  readonly currency: string;
  /** The party and the field name it came in (payer, payee, customerReference, intendedPayer). */
  readonly party: { readonly field: string; readonly value: { partyIdType: PartyIdType; partyId: string } };
  readonly externalId: string | undefined;
  readonly payerMessage: string | undefined;
  readonly payeeNote: string | undefined;
  /** Every free-text field of the request, by its wire name, for the characters MoMo refuses. */
  readonly texts: Record<string, string | undefined>;
  readonly request: unknown;
}

/** The checks every money request shares, in MoMo's order: currency, amount, party, free text. */
export function draftMoneyMovement(input: MoneyMovementInput): TransactionDraft | MomoFailure {
  const currency = checkCurrency(input.caller, input.currency);
  if (isFailure(currency)) {
    return currency;
  }
  const amountMinor = checkAmount(input.amount, currency);
  if (isFailure(amountMinor)) {
    return amountMinor;
  }
  const party = checkParty(input.party.field, input.party.value);
  if (isFailure(party)) {
    return party;
  }
  const textProblem = checkNotes(input.texts);
  if (textProblem !== null) {
    return textProblem;
  }
  return {
    kind: input.kind,
    product: input.product,
    amountMinor,
    currency,
    party,
    externalId: input.externalId ?? null,
    payerMessage: input.payerMessage ?? null,
    payeeNote: input.payeeNote ?? null,
    relatedTransactionId: null,
    payableForSeconds: null,
    request: input.request,
  };
}
