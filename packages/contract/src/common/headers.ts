/** Header schemas shared by every product call. Fastify lower-cases header names before validating them. */
import { Type } from '@sinclair/typebox';

/** A UUID version 4, as MTN requires for X-Reference-Id ("X-ref ID does not meet UUID Version 4"). */
export const UUID_V4_PATTERN =
  '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$';

export const ReferenceIdHeader = Type.String({
  pattern: UUID_V4_PATTERN,
  description: 'Format - UUID (version 4). The id of the resource being created; unique per API user.',
});

export const CallbackUrlHeader = Type.String({
  maxLength: 2048,
  description:
    "URL to send the callback to when the resource reaches a final status. Its host must be the API user's providerCallbackHost.",
});

export const SubscriptionKeyHeader = Type.String({
  description: 'Subscription key of the product (primary or secondary).',
});

export const TargetEnvironmentHeader = Type.String({
  description: 'The target environment allowed for the API user: sandbox, mtnuganda, mtnghana, …',
});

export const AuthorizationHeader = Type.String({
  description:
    'Bearer access token from POST /{product}/token/ (Basic apiUser:apiKey for the token call itself).',
});

/** Headers of an authenticated product call. */
export const ProductCallHeaders = Type.Object({
  authorization: Type.Optional(AuthorizationHeader),
  'x-target-environment': Type.Optional(TargetEnvironmentHeader),
  'ocp-apim-subscription-key': Type.Optional(SubscriptionKeyHeader),
});

/** Headers of an asynchronous creation call (POST answered with 202). */
export const CreationCallHeaders = Type.Object({
  authorization: Type.Optional(AuthorizationHeader),
  'x-target-environment': Type.Optional(TargetEnvironmentHeader),
  'ocp-apim-subscription-key': Type.Optional(SubscriptionKeyHeader),
  'x-reference-id': ReferenceIdHeader,
  'x-callback-url': Type.Optional(CallbackUrlHeader),
});

/**
 * Headers of bc-authorize: a product call that may name a callback URL (checked against the API user's
 * providerCallbackHost like any other; no callback is sent, decision 0024).
 */
export const BcAuthorizeHeaders = Type.Object({
  authorization: Type.Optional(AuthorizationHeader),
  'x-target-environment': Type.Optional(TargetEnvironmentHeader),
  'ocp-apim-subscription-key': Type.Optional(SubscriptionKeyHeader),
  'x-callback-url': Type.Optional(CallbackUrlHeader),
});
