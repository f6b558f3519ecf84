/**
 * Receiving MoMo callbacks: `parseCallback` reads and checks a callback body (the status body of the
 * transaction, PUT or POST); `callbackHandler` answers a Node / Express request, `fastifyCallbackHandler` a
 * Fastify one. Callbacks may arrive more than once: handle them idempotently, by reference id or
 * financialTransactionId.
 */
import type { TransactionStatus } from '@openmomo/contract';
import { MomoError } from './errors.js';
import { asRecord, asText, type FailureReasonValue, parseReason, parseStatus } from './parsing.js';

export interface MomoCallback {
  readonly status: TransactionStatus | 'CANCELLED';
  readonly reason?: FailureReasonValue;
  readonly financialTransactionId?: string;
  readonly externalId?: string;
  readonly amount?: string;
  readonly currency?: string;
  /** The body as received, for the fields of the particular resource (payer, payee, …). */
  readonly body: Record<string, unknown>;
}

/** Parses a callback body (an object, or its JSON text); throws `MomoError` code `INVALID_CALLBACK` otherwise. */
export function parseCallback(input: unknown): MomoCallback {
  let raw = input;
  if (typeof input === 'string' || input instanceof Uint8Array) {
    try {
      raw = JSON.parse(typeof input === 'string' ? input : new TextDecoder().decode(input));
    } catch {
      throw new MomoError({
        status: null,
        code: 'INVALID_CALLBACK',
        message: 'The callback body is not JSON.',
      });
    }
  }
  const body = asRecord(raw);
  const status = asText(body.status);
  if (status === undefined || !['PENDING', 'SUCCESSFUL', 'FAILED', 'CANCELLED'].includes(status)) {
    throw new MomoError({
      status: null,
      code: 'INVALID_CALLBACK',
      message: 'The callback body has no valid status.',
      raw,
    });
  }
  const reason = parseReason(body.reason ?? body.errorReason);
  const text = (field: string) => asText(body[field]);
  return {
    status: status === 'CANCELLED' ? 'CANCELLED' : parseStatus(status),
    ...(reason === undefined ? {} : { reason }),
    ...(text('financialTransactionId') === undefined
      ? {}
      : { financialTransactionId: text('financialTransactionId') as string }),
    ...(text('externalId') === undefined ? {} : { externalId: text('externalId') as string }),
    ...(text('amount') === undefined ? {} : { amount: text('amount') as string }),
    ...(text('currency') === undefined ? {} : { currency: text('currency') as string }),
    body,
  };
}

interface NodeRequestLike extends AsyncIterable<unknown> {
  readonly method?: string;
  /** Express (with a JSON body parser) puts the parsed body here. */
  readonly body?: unknown;
}
interface NodeResponseLike {
  statusCode: number;
  end(chunk?: string): void;
}

/** A `(req, res)` handler for node:http and Express: 200 after `onCallback` resolves, 400 for a bad body. */
export function callbackHandler(onCallback: (callback: MomoCallback) => unknown | Promise<unknown>) {
  return async (request: NodeRequestLike, response: NodeResponseLike): Promise<void> => {
    let body = request.body;
    if (body === undefined) {
      const chunks: Uint8Array[] = [];
      for await (const chunk of request) {
        chunks.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : (chunk as Uint8Array));
      }
      body = Buffer.concat(chunks).toString('utf8');
    }
    let callback: MomoCallback;
    try {
      callback = parseCallback(body);
    } catch {
      response.statusCode = 400;
      response.end();
      return;
    }
    await onCallback(callback);
    response.statusCode = 200;
    response.end();
  };
}

/** A Fastify route handler: `app.put('/momo/callback', fastifyCallbackHandler(onCallback))`. */
export function fastifyCallbackHandler(onCallback: (callback: MomoCallback) => unknown | Promise<unknown>) {
  return async (request: { body: unknown }, reply: { code(status: number): { send(): unknown } }) => {
    let callback: MomoCallback;
    try {
      callback = parseCallback(request.body);
    } catch {
      return reply.code(400).send();
    }
    await onCallback(callback);
    return reply.code(200).send();
  };
}
