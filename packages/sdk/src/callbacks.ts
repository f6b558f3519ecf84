/**
 * Receiving MoMo callbacks: `parseCallback` reads and checks a callback body (the status body of the
 * transaction, PUT or POST); `callbackHandler` answers a Node / Express request, `fastifyCallbackHandler` a
 * Fastify one. Callbacks may arrive more than once: handle them idempotently, by reference id or
 * financialTransactionId.
 */
import type { TransactionStatus } from '@openmomo/contract';
import { MomoError } from './errors.js';
import {
  asRecord,
  asText,
  type FailureReasonValue,
  KNOWN_STATUSES,
  parseReason,
  parseStatus,
} from './parsing.js';

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
  if (status === undefined || !(status === 'CANCELLED' || KNOWN_STATUSES.includes(status))) {
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
  /** The path and query the callback was sent to. */
  readonly url?: string;
  /** Express (with a JSON body parser) puts the parsed body here. */
  readonly body?: unknown;
}
interface NodeResponseLike {
  statusCode: number;
  end(chunk?: string): void;
}

/**
 * Where a callback was sent. MoMo's callback bodies do not carry the X-Reference-Id, so a partner that needs
 * it puts it in the callback URL (`…/momo/callback?ref=…`) and reads it back from here.
 */
export interface CallbackDelivery {
  /** The path and query, e.g. `/momo/callback?ref=…`. */
  readonly url: string;
}

export type CallbackListener = (
  callback: MomoCallback,
  delivery: CallbackDelivery,
) => unknown | Promise<unknown>;

export interface CallbackHandlerOptions {
  /** Told of an error `onCallback` threw; the platform then got a 500 and sends the callback again. */
  readonly onError?: (error: unknown) => void;
}

/**
 * A `(req, res)` handler for node:http and Express: 200 after `onCallback` resolves, 400 for a bad body, 500
 * when `onCallback` throws, so that the platform sends the callback again (the error goes to `onError`,
 * `console.error` by default, instead of ending the process as an unhandled rejection).
 */
export function callbackHandler(onCallback: CallbackListener, options: CallbackHandlerOptions = {}) {
  const onError =
    options.onError ??
    // biome-ignore lint/suspicious/noConsole: the default report of an error that would otherwise be lost, as Express's.
    ((error: unknown) => console.error('MoMo callback handler failed:', error));
  return async (request: NodeRequestLike, response: NodeResponseLike): Promise<void> => {
    try {
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
      await onCallback(callback, { url: request.url ?? '' });
      response.statusCode = 200;
      response.end();
    } catch (error) {
      onError(error);
      response.statusCode = 500;
      response.end();
    }
  };
}

/**
 * A Fastify route handler: `app.put('/momo/callback', fastifyCallbackHandler(onCallback))`. An error
 * `onCallback` throws goes to Fastify, which answers 500 and logs it.
 */
export function fastifyCallbackHandler(onCallback: CallbackListener) {
  return async (
    request: { body: unknown; url: string },
    reply: { code(status: number): { send(): unknown } },
  ) => {
    let callback: MomoCallback;
    try {
      callback = parseCallback(request.body);
    } catch {
      return reply.code(400).send();
    }
    await onCallback(callback, { url: request.url });
    return reply.code(200).send();
  };
}
