/** Validation of a party's id by its type, as the wallet platform does (IsMSISDN, IsEmail, IsUuid). */

export type PartyIdType = 'MSISDN' | 'EMAIL' | 'PARTY_CODE';

/** ITU-T E.164: country code first (never 0), at most 15 digits, no "+" on the wire. */
const MSISDN_PATTERN = /^[1-9]\d{4,14}$/;
const EMAIL_PATTERN =
  /^[^\s@"'<>()[\],;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Why a party id is malformed, or null when it is well formed. */
export function describePartyIdProblem(partyIdType: PartyIdType, partyId: string): string | null {
  switch (partyIdType) {
    case 'MSISDN':
      return MSISDN_PATTERN.test(partyId)
        ? null
        : `partyId "${partyId}" is not an MSISDN: digits only, country code first, no "+", at most 15 digits`;
    case 'EMAIL':
      return partyId.length <= 254 && EMAIL_PATTERN.test(partyId)
        ? null
        : `partyId "${partyId}" is not an e-mail address`;
    case 'PARTY_CODE':
      return UUID_PATTERN.test(partyId) ? null : `partyId "${partyId}" is not a party code (a UUID)`;
  }
}

/** The canonical form a party is stored and looked up under: e-mail addresses are case-insensitive. */
export function canonicalPartyId(partyIdType: PartyIdType, partyId: string): string {
  return partyIdType === 'MSISDN' ? partyId : partyId.toLowerCase();
}
