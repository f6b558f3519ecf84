/** The three error-body families a MoMo client meets on the wire. */
import { type Static, Type } from '@sinclair/typebox';

/** The wallet platform's error body: `{code, message}`. */
export const MomoErrorBody = Type.Object(
  { code: Type.String(), message: Type.String() },
  { $id: 'ErrorReason', description: 'Wallet platform error.' },
);
export type MomoErrorBody = Static<typeof MomoErrorBody>;

/** The API gateway's error body (subscription key, access token): `{statusCode, message}`. */
export const GatewayErrorBody = Type.Object(
  { statusCode: Type.Integer(), message: Type.String() },
  { $id: 'GatewayError', description: 'API gateway error (subscription key or access token refused).' },
);
export type GatewayErrorBody = Static<typeof GatewayErrorBody>;

/** The token endpoint's OAuth-style error body: `{error}`. */
export const TokenErrorBody = Type.Object(
  { error: Type.String() },
  { $id: 'TokenError', description: 'Token endpoint error, e.g. `login_failed`.' },
);
export type TokenErrorBody = Static<typeof TokenErrorBody>;

/** The empty body of a 201 Created or 202 Accepted: MoMo sends no content at all. */
export const NoContent = (description: string) => Type.Unsafe<undefined>({ description });
