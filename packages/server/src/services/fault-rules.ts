/**
 * Failures on demand, in sandbox mode (decision 0025): rules an operator (or a test) sets to make matching MoMo
 * calls fail the way MTN's gateway does on a bad day — an error answer before anything is done, a slow answer,
 * a connection dropped before the request is handled or after it was — and callbacks go wrong the way they do
 * in production: late, twice, or never. Rules live in the server's memory, first match wins, and a rule can be
 * limited to a number of hits or a probability. `http/plugins/fault-injection.ts` applies the request rules,
 * the callback worker the callback rules.
 */
import { randomUUID } from 'node:crypto';

/** What a rule applies to: calls to the MoMo routes, or the callbacks the server sends. */
export type FaultTarget = 'request' | 'callback';
export type RequestFault = 'error' | 'delay' | 'drop-request' | 'drop-response';
export type CallbackFault = 'delay' | 'drop' | 'duplicate';
export const REQUEST_FAULTS: readonly RequestFault[] = ['error', 'delay', 'drop-request', 'drop-response'];
export const CALLBACK_FAULTS: readonly CallbackFault[] = ['delay', 'drop', 'duplicate'];

export interface FaultRuleInput {
  /** `request` when absent. */
  readonly on?: FaultTarget;
  /** Matches every method when absent. */
  readonly method?: string;
  /**
   * A path (`/collection/v1_0/requesttopay`) or a prefix ending in `*` (`/disbursement/*`); for a callback, the
   * path of its URL (`/momo/*`, or `*` for every callback).
   */
  readonly path: string;
  readonly fault: RequestFault | CallbackFault;
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
  /** The fault to apply to a call or a callback, counting the hit; undefined when no rule hits it. */
  hit(target: FaultTarget, method: string, path: string): FaultRule | undefined;
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
    hit(target, method, requestedPath) {
      const path = requestedPath.length > 1 ? requestedPath.replace(/\/+$/, '') : requestedPath;
      const index = rules.findIndex(
        (rule) =>
          (rule.on ?? 'request') === target &&
          (rule.method === undefined || rule.method.toUpperCase() === method) &&
          matchesPath(rule.path, path),
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
