/** Party: how MoMo names an account holder (payer or payee). */
import { type Static, Type } from '@sinclair/typebox';

export const PARTY_ID_TYPES = ['MSISDN', 'EMAIL', 'PARTY_CODE'] as const;
export type PartyIdType = (typeof PARTY_ID_TYPES)[number];

export const Party = Type.Object(
  {
    partyIdType: Type.Union(
      PARTY_ID_TYPES.map((value) => Type.Literal(value)),
      { description: 'MSISDN (ITU-T E.164, digits only), EMAIL or PARTY_CODE (a UUID).' },
    ),
    partyId: Type.String({ maxLength: 256 }),
  },
  {
    description:
      'Party identifies an account holder in the wallet platform: MSISDN validated per ITU-T E.164, EMAIL as an e-mail address, PARTY_CODE as a UUID.',
  },
);
export type Party = Static<typeof Party>;
