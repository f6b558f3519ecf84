/** `GET /{product}/v1_0/account/balance`. */
import { type Static, Type } from '@sinclair/typebox';

export const Balance = Type.Object(
  {
    availableBalance: Type.String({ description: 'The available balance of the account, a decimal string.' }),
    currency: Type.String({ description: 'ISO4217 Currency' }),
  },
  { $id: 'Balance' },
);
export type Balance = Static<typeof Balance>;
