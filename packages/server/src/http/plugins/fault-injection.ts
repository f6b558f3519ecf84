/**
 * Failures on demand, in sandbox mode: an operator (or a test) sets rules that make matching MoMo calls fail the
 * way MTN's gateway does on a bad day — an error answer before anything is done, a slow answer, a connection
 * dropped before the request is handled, or one dropped after it was (the resource exists, the client never
 * hears so). Rules live in the server's memory, first match wins, and a rule can be limited to a number of
 * hits or a probability (decision 0025).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export type FaultKind = 'error' | 'delay' | 'drop-request' | 'drop-response';

export interface FaultRuleInput {
  /** Matches every method when absent. */
  readonly method?: string;
  /** A path (`/collection/v1_0/requesttopay`) or a prefix ending in `*` (`/disbursement/*`). */
  readonly path: string;
  readonly fault: FaultKind;
  /** `error`: the HTTP status (default 500) and MoMo code and message of the answer. */
  readonly status?: number;
  readonly code?: string;
  readonly message?: string;
  /** `delay`: how long the answer is held back. */
  readonly delayMs?: number;
  /** How many matching calls the rule hits before it is removed; every one when absent. */
  readonly times?: number;
  /** The chance a matching call is hit, from 0 to 1 (default 1). */
  readonly probability?: number;
}

export interface FaultRule extends FaultRuleInput {
  readonly id: string;
  /** Calls the rule has hit so far. */
  readonly hits: number;
}

export interface FaultRules {
  add(input: FaultRuleInput): FaultRule;
  list(): FaultRule[];
  remove(id: string): boolean;
  clear(): void;
  /** The fault to apply to a call, counting the hit; undefined when no rule hits it. */
  hit(method: string, path: string): FaultRule | undefined;
  isEmpty(): boolean;
}

const DEFAULT_CODES: Record<number, string> = {
  500: 'INTERNAL_PROCESSING_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

function matchesPath(pattern: string, path: string): boolean {
  return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern.replace(/\/+$/, '');
}

export function createFaultRules(random: () => number = Math.random): FaultRules {
  const rules: FaultRule[] = [];
  return {
    add(input) {
      // An error rule names the status and code it answers with, so that its listing shows them.
      const status = input.fault === 'error' ? (input.status ?? 500) : undefined;
      const answer =
        status === undefined
          ? {}
          : { status, code: input.code ?? DEFAULT_CODES[status] ?? 'INTERNAL_PROCESSING_ERROR' };
      const rule: FaultRule = { ...input, ...answer, id: randomUUID(), hits: 0 };
      rules.push(rule);
      return rule;
    },
    list: () => rules.map((rule) => ({ ...rule })),
    remove(id) {
      const index = rules.findIndex((rule) => rule.id === id);
      if (index >= 0) {
        rules.splice(index, 1);
      }
      return index >= 0;
    },
    clear() {
      rules.length = 0;
    },
    isEmpty: () => rules.length === 0,
    hit(method, path) {
      const index = rules.findIndex(
        (rule) =>
          (rule.method === undefined || rule.method.toUpperCase() === method) && matchesPath(rule.path, path),
      );
      const rule = rules[index];
      if (rule === undefined || random() >= (rule.probability ?? 1)) {
        return undefined;
      }
      const hit = { ...rule, hits: rule.hits + 1 };
      if (hit.times !== undefined && hit.hits >= hit.times) {
        rules.splice(index, 1);
      } else {
        rules[index] = hit;
      }
      return hit;
    },
  };
}

/** The MoMo routes: faults never touch the operator API, the dashboard, the docs or the health check. */
const MOMO_PATH = /^\/(collection|disbursement|remittance|v1_0)\//;

const dropAfterAnswer = new WeakSet<FastifyRequest>();

export function installFaultInjection(app: FastifyInstance, rules: FaultRules): void {
  // Callback hooks, and no work at all while there is no rule: every MoMo call passes here (decision 0016).
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    if (rules.isEmpty()) {
      done();
      return;
    }
    const path = request.url.split('?')[0] ?? '';
    const fault = MOMO_PATH.test(path) ? rules.hit(request.method, path.replace(/\/+$/, '')) : undefined;
    switch (fault?.fault) {
      case undefined:
        done();
        return;
      case 'error':
        // Answered from the hook: the route never runs.
        reply
          .code(fault.status ?? 500)
          .send({ code: fault.code, message: fault.message ?? 'Injected failure (OpenMoMo fault rule).' });
        return;
      case 'delay':
        setTimeout(done, fault.delayMs ?? 0);
        return;
      case 'drop-request':
        // Nothing is handled: the client's connection ends without an answer.
        reply.hijack();
        request.raw.socket.destroy();
        return;
      case 'drop-response':
        dropAfterAnswer.add(request);
        done();
        return;
    }
  });
  app.addHook('onSend', (request, _reply, payload, done) => {
    if (dropAfterAnswer.has(request)) {
      // The call was handled (and committed); its answer is lost on the way back.
      request.raw.socket.destroy();
    }
    done(null, payload);
  });
}
