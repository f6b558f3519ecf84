/** Sandbox provisioning: API users and API keys (`/v1_0/apiuser`). */
import { type Static, Type } from '@sinclair/typebox';
import { ReferenceIdHeader, UUID_V4_PATTERN } from '../common/headers.js';

export const CreateApiUserHeaders = Type.Object({
  'x-reference-id': ReferenceIdHeader,
  'ocp-apim-subscription-key': Type.Optional(Type.String()),
});

export const CreateApiUserBody = Type.Object(
  {
    providerCallbackHost: Type.String({
      minLength: 1,
      maxLength: 253,
      description: 'The host callbacks of this API user may go to, e.g. webhook.example.com.',
    }),
  },
  { $id: 'ApiUser' },
);
export type CreateApiUserBody = Static<typeof CreateApiUserBody>;

export const ApiUserParams = Type.Object({
  referenceId: Type.String({
    pattern: UUID_V4_PATTERN,
    description: 'The API user id (its X-Reference-Id).',
  }),
});

export const ApiUserResult = Type.Object(
  { providerCallbackHost: Type.String(), targetEnvironment: Type.String() },
  { $id: 'ApiUserResult' },
);
export type ApiUserResult = Static<typeof ApiUserResult>;

export const ApiKeyResult = Type.Object({ apiKey: Type.String() }, { $id: 'ApiUserKeyResult' });
export type ApiKeyResult = Static<typeof ApiKeyResult>;
