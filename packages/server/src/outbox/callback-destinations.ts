/**
 * Where callbacks may go. A callback URL's host is checked against the API user's `providerCallbackHost`
 * when the request is made, but a host name can resolve to anything, and a sandbox lets anyone register any
 * host: without this check the server could be made to POST into the network it runs in (cloud metadata at
 * 169.254.169.254, an internal admin port). The address is judged after the connection is made, on the
 * socket's own remote address, so a name that resolves differently between a check and the connection (DNS
 * rebinding) cannot slip through, and nothing is sent to a refused address.
 */
import { BlockList, isIP } from 'node:net';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';

/**
 * Addresses that are not globally reachable (IANA's special-purpose registries): loopback, private, shared
 * (carrier-grade NAT), link-local, documentation, benchmarking, multicast, reserved; NAT64's well-known prefix,
 * which can reach any of them. IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`) match their IPv4 rule.
 */
const NOT_PUBLIC: readonly (readonly [string, number, 'ipv4' | 'ipv6'])[] = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['64:ff9b::', 96, 'ipv6'],
  ['64:ff9b:1::', 48, 'ipv6'],
  ['2001:db8::', 32, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

const notPublic = new BlockList();
for (const [network, prefix, type] of NOT_PUBLIC) {
  notPublic.addSubnet(network, prefix, type);
}

/** Which callback destinations are refused: none, or every address that is not public but the exceptions. */
export type CallbackNetworkPolicy =
  | { readonly kind: 'any-address' }
  | { readonly kind: 'public-only'; readonly exceptions: BlockList; readonly setting: string };

export class InvalidCallbackNetworkSetting extends Error {}

/**
 * CALLBACK_PRIVATE_NETWORKS: `allow` (any address), `deny` (public addresses only) or a comma-separated list
 * of addresses and CIDR ranges that are allowed although not public (`127.0.0.1,10.20.0.0/16`). Unset, it is
 * `allow` in sandbox mode, where callbacks to a developer's own machine are the point, and `deny` otherwise.
 */
export function callbackNetworkPolicy(setting: string | null, sandboxMode: boolean): CallbackNetworkPolicy {
  const text = (setting ?? (sandboxMode ? 'allow' : 'deny')).trim();
  if (text.toLowerCase() === 'allow') {
    return { kind: 'any-address' };
  }
  const exceptions = new BlockList();
  if (text.toLowerCase() !== 'deny') {
    for (const entry of text.split(',').map((part) => part.trim())) {
      addException(exceptions, entry);
    }
  }
  return { kind: 'public-only', exceptions, setting: text };
}

function addException(exceptions: BlockList, entry: string): void {
  const [address = '', prefixText, ...rest] = entry.split('/');
  const type = isIP(address) === 4 ? 'ipv4' : isIP(address) === 6 ? 'ipv6' : undefined;
  const prefix = prefixText === undefined ? undefined : Number(prefixText);
  const maxPrefix = type === 'ipv4' ? 32 : 128;
  if (
    type === undefined ||
    rest.length > 0 ||
    (prefix !== undefined && !(/^\d+$/.test(prefixText ?? '') && prefix <= maxPrefix))
  ) {
    throw new InvalidCallbackNetworkSetting(
      `"${entry}" is not an IP address or CIDR range (expected allow, deny, or a list such as 127.0.0.1,10.0.0.0/8)`,
    );
  }
  if (prefix === undefined) {
    exceptions.addAddress(address, type);
  } else {
    exceptions.addSubnet(address, prefix, type);
  }
}

/** Whether the policy refuses a connection to `address` (an IP address as a socket reports it). */
export function refusesAddress(policy: CallbackNetworkPolicy, address: string): boolean {
  if (policy.kind === 'any-address') {
    return false;
  }
  const version = isIP(address);
  if (version === 0) {
    // A socket that cannot say where it is connected is not sent anything.
    return true;
  }
  const type = version === 4 ? 'ipv4' : 'ipv6';
  return notPublic.check(address, type) && !policy.exceptions.check(address, type);
}

/** Why an attempt was not sent. Retrying cannot help while the policy and the host's address stay the same. */
export class RefusedCallbackDestination extends Error {
  readonly address: string;

  constructor(address: string) {
    super(`refused: ${address} is not a public address, and CALLBACK_PRIVATE_NETWORKS does not allow it`);
    this.address = address;
  }
}

export type Fetch = typeof fetch;

/** `fetch` whose connections are refused, before anything is written to them, where the policy says so. */
export function guardedFetch(policy: CallbackNetworkPolicy): Fetch {
  const connect = buildConnector({});
  const agent = new Agent({
    connect: (options, callback) =>
      connect(options, (error, socket) => {
        if (error !== null) {
          callback(error, null);
          return;
        }
        const address = socket.remoteAddress ?? '';
        if (refusesAddress(policy, address)) {
          socket.destroy();
          callback(new RefusedCallbackDestination(address), null);
          return;
        }
        callback(null, socket);
      }),
  });
  // undici's own fetch: Node's built-in one cannot take a dispatcher from a different undici version.
  return ((input: Parameters<Fetch>[0], init?: Parameters<Fetch>[1]) =>
    undiciFetch(input as never, { ...(init as object), dispatcher: agent })) as unknown as Fetch;
}
