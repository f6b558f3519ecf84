import { describe, expect, it } from 'vitest';
import { createFaultRules } from './fault-rules.js';

describe('fault rules', () => {
  it('hits the first rule that matches, by method and path', () => {
    const rules = createFaultRules();
    rules.add({ method: 'GET', path: '/collection/v1_0/requesttopay/*', fault: 'delay', delayMs: 5 });
    const error = rules.add({ path: '/collection/*', fault: 'error' });

    expect(rules.hit('request', 'POST', '/collection/v1_0/requesttopay')?.id).toBe(error.id);
    expect(rules.hit('request', 'GET', '/collection/v1_0/requesttopay/abc')?.fault).toBe('delay');
    expect(rules.hit('request', 'POST', '/disbursement/v1_0/transfer')).toBeUndefined();
  });

  it('matches an exact path exactly, ignoring a trailing slash in the rule or the path', () => {
    const rules = createFaultRules();
    rules.add({ path: '/collection/token/', fault: 'error' });
    rules.add({ on: 'callback', path: '/momo/cb', fault: 'drop' });

    expect(rules.hit('request', 'POST', '/collection/token')).toBeDefined();
    expect(rules.hit('request', 'POST', '/collection/token/')).toBeDefined();
    expect(rules.hit('request', 'POST', '/collection/token-other')).toBeUndefined();
    expect(rules.hit('callback', 'PUT', '/momo/cb/')).toBeDefined();
  });

  it('removes a rule once it has hit `times` calls, counting its hits', () => {
    const rules = createFaultRules();
    rules.add({ path: '/remittance/*', fault: 'drop-request', times: 2 });

    expect(rules.hit('request', 'POST', '/remittance/v1_0/transfer')?.hits).toBe(1);
    expect(rules.list()[0]?.hits).toBe(1);
    expect(rules.hit('request', 'POST', '/remittance/v1_0/transfer')?.hits).toBe(2);
    expect(rules.hit('request', 'POST', '/remittance/v1_0/transfer')).toBeUndefined();
    expect(rules.list()).toEqual([]);
  });

  it('hits a call when the draw falls under the probability, and counts only hits', () => {
    const draws = [0.2, 0.7, 0.49];
    const rules = createFaultRules(() => draws.shift() ?? 1);
    rules.add({ path: '/collection/*', fault: 'error', probability: 0.5 });

    expect(rules.hit('request', 'POST', '/collection/x')).toBeDefined();
    expect(rules.hit('request', 'POST', '/collection/x')).toBeUndefined();
    expect(rules.hit('request', 'POST', '/collection/x')?.hits).toBe(2);
  });

  it('gives an error rule the status and MoMo code it answers with', () => {
    const rules = createFaultRules();

    expect(rules.add({ path: '/a', fault: 'error' })).toMatchObject({
      status: 500,
      code: 'INTERNAL_PROCESSING_ERROR',
    });
    expect(rules.add({ path: '/a', fault: 'error', status: 503 })).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
    });
    expect(rules.add({ path: '/a', fault: 'error', status: 400, code: 'PAYER_NOT_FOUND' })).toMatchObject({
      code: 'PAYER_NOT_FOUND',
    });
    expect(rules.add({ path: '/a', fault: 'delay', delayMs: 1 })).not.toHaveProperty('status');
  });

  it('keeps request rules and callback rules apart', () => {
    const rules = createFaultRules();
    rules.add({ on: 'callback', path: '*', fault: 'duplicate' });

    expect(rules.hit('request', 'POST', '/collection/v1_0/requesttopay')).toBeUndefined();
    expect(rules.hit('callback', 'PUT', '/momo/abc')?.fault).toBe('duplicate');
  });

  it('removes one rule by id, or all of them', () => {
    const rules = createFaultRules();
    const first = rules.add({ path: '/a', fault: 'error' });
    rules.add({ path: '/b', fault: 'error' });

    expect(rules.remove(first.id)).toBe(true);
    expect(rules.remove(first.id)).toBe(false);
    expect(rules.list().map((rule) => rule.path)).toEqual(['/b']);
    rules.clear();
    expect(rules.list()).toEqual([]);
  });
});
