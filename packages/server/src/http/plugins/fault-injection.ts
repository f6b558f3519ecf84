/**
 * Applies the fault rules of calls to the MoMo routes (sandbox mode; decision 0025, `services/fault-rules.ts`).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FaultRules } from '../../services/fault-rules.js';

/** The MoMo routes: faults never touch the operator API, the dashboard, the docs or the health check. */
const MOMO_PATH = /^\/(collection|disbursement|remittance|v1_0)\//;

const dropAfterAnswer = new WeakSet<FastifyRequest>();

/**
 * The path as the router matches it, so that a rule cannot be stepped round by spelling the same route another
 * way: repeated slashes as one (`ignoreDuplicateSlashes`) and percent escapes decoded (`requestto%70ay`).
 */
function routedPath(url: string): string {
  const path = (url.split('?')[0] ?? '').replace(/\/{2,}/g, '/');
  try {
    return decodeURI(path);
  } catch {
    // A malformed escape: the router refuses the URL (400) before any route runs, so no rule applies.
    return path;
  }
}

export function installFaultInjection(app: FastifyInstance, rules: FaultRules): void {
  // Callback hooks, and no work at all while there is no rule: every MoMo call passes here (decision 0016).
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    if (rules.isEmpty()) {
      done();
      return;
    }
    const path = routedPath(request.url);
    const fault = MOMO_PATH.test(path) ? rules.hit('request', request.method, path) : undefined;
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
