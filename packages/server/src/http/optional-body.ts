/**
 * Bodies a MoMo call may omit entirely (a delivery notification can carry its message in a header, an
 * invoice cancel may have no body). Fastify validates a declared body even when none was sent, and
 * refuses it, so these routes declare none and check the body here with the same TypeBox schema.
 */
import type { Static, TObject } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { MomoFailure } from '../services/outcomes.js';

export function readOptionalBody<T extends TObject>(
  schema: T,
  body: unknown,
): Partial<Static<T>> | MomoFailure {
  if (body === undefined || body === null) {
    return {};
  }
  if (Value.Check(schema, body)) {
    return body;
  }
  const [first] = [...Value.Errors(schema, body)];
  const field = first?.path.replace(/^\//, '').replaceAll('/', '.') || 'body';
  return { kind: 'failure', code: 'BAD_REQUEST', message: `${field} ${first?.message ?? 'is invalid'}` };
}
