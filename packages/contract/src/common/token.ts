/** `POST /{product}/token/`: the access token a product call carries as Bearer. */
import { type Static, Type } from '@sinclair/typebox';

export const TokenResult = Type.Object(
  {
    access_token: Type.String(),
    token_type: Type.String({ description: 'Always `access_token`, as MTN sends it.' }),
    expires_in: Type.Integer({ description: 'Seconds until the token expires.' }),
  },
  { $id: 'TokenPost200ApplicationJsonResponse' },
);
export type TokenResult = Static<typeof TokenResult>;
