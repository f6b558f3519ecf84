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
    ['64:ff9b::127.0.0.1', 'loopback through NAT64, dotted'],
    ['64:ff9b:1::8.8.8.8', "NAT64's local-use prefix"],
  ])('refuses %s (%s) outside sandbox mode by default', (address) => {
    expect(refusesAddress(production, address)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '41.202.219.1',
    '172.32.0.1',
    '2001:4860:4860::8888',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
  ])('lets public address %s through', (address) => {
    expect(refusesAddress(production, address)).toBe(false);
  });

  it.each(['127.0.0.1', '::1', '10.1.2.3', '172.17.0.2', '192.168.1.10', '100.64.1.1', 'fd00::1'])(
    'lets %s (the own machine or a private network) through in sandbox mode by default',
    (address) => {
      expect(refusesAddress(callbackNetworkPolicy(null, true), address)).toBe(false);
    },
  );

  it.each(['169.254.169.254', 'fe80::1', '0.0.0.0'])(
    'refuses %s (link-local cloud metadata, unspecified) in sandbox mode by default',
    (address) => {
      expect(refusesAddress(callbackNetworkPolicy(null, true), address)).toBe(true);
    },
  );

  it('lets cloud metadata through in sandbox mode only when told to allow every address', () => {
    expect(refusesAddress(callbackNetworkPolicy('allow', true), '169.254.169.254')).toBe(false);
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
    const connections = { count: 0 };
    const server = createServer((request, response) => {
      requests.push(request.url ?? '');
      response.end('ok');
    });
    server.on('connection', () => {
      connections.count += 1;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    return { port: (server.address() as AddressInfo).port, requests, connections };
  }

  it.each([
    ['an address written in the URL', '127.0.0.1'],
    ['a host name that resolves only to refused addresses', 'localhost'],
  ])('refuses %s without connecting to it', async (_case, host) => {
    const { port, requests, connections } = await listener();

    const failure = await guardedFetch(production)(`http://${host}:${port}/cb`, {
      method: 'POST',
      body: '{}',
    })
      .then(() => undefined)
      .catch((error: unknown) => error);

    expect((failure as Error | undefined)?.cause).toBeInstanceOf(RefusedCallbackDestination);
    expect(requests).toEqual([]);
    expect(connections.count).toBe(0);
  });

  it('sends to a host name whose address the policy allows', async () => {
    const { port, requests } = await listener();
    const response = await guardedFetch(callbackNetworkPolicy('127.0.0.1,::1', false))(
      `http://localhost:${port}/named`,
      { method: 'POST', body: '{}' },
    );
    expect(response.status).toBe(200);
    expect(requests).toEqual(['/named']);
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
