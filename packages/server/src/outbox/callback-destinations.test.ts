import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  callbackNetworkPolicy,
  guardedFetch,
  InvalidCallbackNetworkSetting,
  RefusedCallbackDestination,
  refusesAddress,
} from './callback-destinations.js';

const production = callbackNetworkPolicy(null, false);

describe('callback destination policy', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['::1', 'IPv6 loopback'],
    ['10.1.2.3', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.10', 'private'],
    ['169.254.169.254', 'cloud metadata (link-local)'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'IPv6 unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['fd12:3456::1', 'IPv6 unique local'],
    ['fe80::1', 'IPv6 link-local'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped metadata, in hex'],
    ['64:ff9b::a9fe:a9fe', 'metadata through NAT64'],
  ])('refuses %s (%s) outside sandbox mode by default', (address) => {
    expect(refusesAddress(production, address)).toBe(true);
  });

  it.each(['8.8.8.8', '41.202.219.1', '172.32.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8'])(
    'lets public address %s through',
    (address) => {
      expect(refusesAddress(production, address)).toBe(false);
    },
  );

  it('lets every address through in sandbox mode by default, where callbacks to the own machine are the point', () => {
    const sandbox = callbackNetworkPolicy(null, true);
    expect(refusesAddress(sandbox, '127.0.0.1')).toBe(false);
    expect(refusesAddress(sandbox, '169.254.169.254')).toBe(false);
  });

  it('refuses private addresses in sandbox mode when told to deny them', () => {
    expect(refusesAddress(callbackNetworkPolicy('deny', true), '127.0.0.1')).toBe(true);
  });

  it('lets every address through outside sandbox mode when told to allow them', () => {
    expect(refusesAddress(callbackNetworkPolicy('allow', false), '10.0.0.1')).toBe(false);
  });

  it('lets the listed addresses and ranges through, and refuses the other private ones', () => {
    const policy = callbackNetworkPolicy('127.0.0.1, 10.20.0.0/16,fd00::/8', false);
    expect(refusesAddress(policy, '127.0.0.1')).toBe(false);
    expect(refusesAddress(policy, '10.20.3.4')).toBe(false);
    expect(refusesAddress(policy, 'fd00::5')).toBe(false);
    expect(refusesAddress(policy, '127.0.0.2')).toBe(true);
    expect(refusesAddress(policy, '10.21.0.1')).toBe(true);
    expect(refusesAddress(policy, '169.254.169.254')).toBe(true);
  });

  it('refuses a socket that reports no address', () => {
    expect(refusesAddress(production, '')).toBe(true);
  });

  it.each(['localhost', '10.0.0.0/33', '10.0.0.0/8/1', '10.0.0.0/x', '::1/129', ''])(
    'rejects the setting %j',
    (setting) => {
      expect(() => callbackNetworkPolicy(setting, false)).toThrow(InvalidCallbackNetworkSetting);
    },
  );
});

describe('guarded fetch', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) {
      await close();
    }
  });

  async function listener() {
    const requests: string[] = [];
    const server = createServer((request, response) => {
      requests.push(request.url ?? '');
      response.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    return { port: (server.address() as AddressInfo).port, requests };
  }

  it('refuses to send to a refused address, and the receiver gets no request', async () => {
    const { port, requests } = await listener();
    const failure = await guardedFetch(production)(`http://127.0.0.1:${port}/cb`, {
      method: 'POST',
      body: '{}',
    })
      .then(() => undefined)
      .catch((error: unknown) => error);
    expect((failure as Error | undefined)?.cause).toBeInstanceOf(RefusedCallbackDestination);
    expect(requests).toEqual([]);
  });

  it('refuses a host name that resolves to a refused address', async () => {
    const { port, requests } = await listener();
    const failure = await guardedFetch(production)(`http://localhost:${port}/cb`, {
      method: 'POST',
      body: '{}',
    })
      .then(() => undefined)
      .catch((error: unknown) => error);
    expect((failure as Error | undefined)?.cause).toBeInstanceOf(RefusedCallbackDestination);
    expect(requests).toEqual([]);
  });

  it('sends to an address the policy allows', async () => {
    const { port, requests } = await listener();
    const response = await guardedFetch(callbackNetworkPolicy('127.0.0.1', false))(
      `http://127.0.0.1:${port}/cb`,
      { method: 'POST', body: '{}' },
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
    expect(requests).toEqual(['/cb']);
  });
});
