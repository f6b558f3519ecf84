/** The consent flow (OpenID CIBA): bc-authorize, then oauth2/token, then oauth2/v1_0/userinfo. */
import { type Static, Type } from '@sinclair/typebox';

export const BcAuthorizeBody = Type.Object({
  login_hint: Type.String({ description: 'ID:{msisdn}/MSISDN' }),
  // Optional here so that a missing scope gets MoMo's own code (MISSING_SCOPE_INSTRUCTION), as an empty one does.
  scope: Type.Optional(Type.String({ description: 'e.g. profile; required (MISSING_SCOPE_INSTRUCTION)' })),
  access_type: Type.Union([Type.Literal('online'), Type.Literal('offline')]),
});

export const BcAuthorizeResult = Type.Object(
  { auth_req_id: Type.String(), interval: Type.Integer(), expires_in: Type.Integer() },
  { $id: 'BcAuthorizeResponse' },
);
export type BcAuthorizeResult = Static<typeof BcAuthorizeResult>;

export const Oauth2TokenBody = Type.Object({
  grant_type: Type.String({ description: 'urn:openid:params:grant-type:ciba (or refresh_token)' }),
  auth_req_id: Type.Optional(Type.String()),
  refresh_token: Type.Optional(Type.String()),
});

export const Oauth2TokenResult = Type.Object(
  {
    access_token: Type.String(),
    token_type: Type.String(),
    expires_in: Type.Integer(),
    scope: Type.String(),
    refresh_token: Type.String(),
    refresh_token_expired_in: Type.Integer(),
  },
  { $id: 'OAuth2TokenResponse' },
);
export type Oauth2TokenResult = Static<typeof Oauth2TokenResult>;

export const UserInfo = Type.Object(
  {
    sub: Type.String(),
    name: Type.String(),
    given_name: Type.String(),
    family_name: Type.String(),
    middle_name: Type.String(),
    email: Type.String(),
    email_verified: Type.Boolean(),
    gender: Type.String(),
    locale: Type.String(),
    phone_number: Type.String(),
    phone_number_verified: Type.Boolean(),
    address: Type.String(),
    updated_at: Type.Integer(),
    status: Type.String(),
    birthdate: Type.String(),
    credit_score: Type.String(),
    active: Type.Boolean(),
    country_of_birth: Type.String(),
    region_of_birth: Type.String(),
    city_of_birth: Type.String(),
    occupation: Type.String(),
    employer_name: Type.String(),
    identification_type: Type.String(),
    identification_value: Type.String(),
  },
  { $id: 'UserInfoWithConsent' },
);
export type UserInfo = Static<typeof UserInfo>;
