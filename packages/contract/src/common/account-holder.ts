/** Account-holder look-ups every product offers: is it active, and its basic user info. */
import { type Static, Type } from '@sinclair/typebox';

export const ACCOUNT_HOLDER_ID_TYPES = ['msisdn', 'email', 'party_code'] as const;

export const AccountHolderParams = Type.Object({
  accountHolderIdType: Type.String({ description: 'msisdn, email or party_code (any case).' }),
  accountHolderId: Type.String(),
});

export const AccountHolderActiveResult = Type.Object({ result: Type.Boolean() }, { $id: 'Result' });

export const BasicUserInfo = Type.Object(
  {
    given_name: Type.String(),
    family_name: Type.String(),
    birthdate: Type.String(),
    locale: Type.String(),
    gender: Type.String(),
    status: Type.String(),
  },
  { $id: 'BasicUserInfo' },
);
export type BasicUserInfo = Static<typeof BasicUserInfo>;

export const DeliveryNotificationBody = Type.Object(
  { notificationMessage: Type.Optional(Type.String({ maxLength: 160 })) },
  { $id: 'DeliveryNotification' },
);
