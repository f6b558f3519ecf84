/**
 * Where callbacks may go. A callback URL's host is checked against the API user's `providerCallbackHost`
 * when the request is made, but a host name can resolve to anything, and a sandbox lets anyone register any
 * host: without this check the server could be made to POST into the network it runs in (cloud metadata at
 * 169.254.169.254, an internal admin port). Addresses are judged where the connection gets them: the name's
 * lookup answers only allowed addresses, and an address written in the URL is judged before connecting. So no
 * connection (no TCP handshake, no TLS hello) is ever opened to a refused address, and a name that resolves
 * differently between a check and the connection (DNS rebinding) cannot slip through.
 */
import { type LookupAddress, type LookupAllOptions, lookup } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';

/**
 * Addresses that are not globally reachable (IANA's special-purpose registries): loopback, private, shared
 * (carrier-grade NAT), link-local, documentation, benchmarking, multicast, reserved; NAT64's local-use prefix.
 * IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`) match their IPv4 rule; an address in NAT64's well-known
 * prefix is judged by the IPv4 address it embeds (`refusesAddress`).
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

/**
 * What a sandbox may call back by default: the developer's own machine and private networks (containers,
 * a LAN), but not link-local addresses, where clouds serve their metadata (169.254.169.254).
 */
const SANDBOX_DEFAULT_EXCEPTIONS =
  '127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10,fc00::/7';

/** NAT64's well-known prefix: `64:ff9b::a.b.c.d` reaches the IPv4 address a.b.c.d. */
const nat64 = new BlockList();
nat64.addSubnet('64:ff9b::', 96, 'ipv6');

/** The IPv4 address in the last 32 bits of an IPv6 address. */
function embeddedIpv4(address: string): string {
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (dotted?.[1] !== undefined) {
    return dotted[1];
  }
  const [head = '', tail] = address.toLowerCase().split('::');
  const headParts = head === '' ? [] : head.split(':');
  const tailParts = tail === undefined || tail === '' ? [] : tail.split(':');
  const parts =
    tail === undefined
      ? headParts
      : [...headParts, ...Array(8 - headParts.length - tailParts.length).fill('0'), ...tailParts];
  const high = Number.parseInt(parts[6] ?? '0', 16);
  const low = Number.parseInt(parts[7] ?? '0', 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/** Which callback destinations are refused: none, or every address that is not public but the exceptions. */
export type CallbackNetworkPolicy =
  | { readonly kind: 'any-address' }
  | { readonly kind: 'public-only'; readonly exceptions: BlockList; readonly setting: string };

export class InvalidCallbackNetworkSetting extends Error {}

/**
 * CALLBACK_PRIVATE_NETWORKS: `allow` (any address), `deny` (public addresses only) or a comma-separated list
 * of addresses and CIDR ranges that are allowed although not public (`127.0.0.1,10.20.0.0/16`). Unset, it is
 * loopback and private networks in sandbox mode, where callbacks to a developer's own machine are the point,
 * and `deny` otherwise.
 */
export function callbackNetworkPolicy(setting: string | null, sandboxMode: boolean): CallbackNetworkPolicy {
  const text = (setting ?? (sandboxMode ? SANDBOX_DEFAULT_EXCEPTIONS : 'deny')).trim();
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
    // Not an address: nothing is connected to it.
    return true;
  }
  const type = version === 4 ? 'ipv4' : 'ipv6';
  if (type === 'ipv6' && nat64.check(address, 'ipv6')) {
    return refusesAddress(policy, embeddedIpv4(address));
  }
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

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * `dns.lookup` that answers only the addresses the policy allows, so that a connection is never opened to the
 * others; a name with none left fails with the refusal. The socket connects to exactly what this answered, so a
 * name resolving differently a second time (DNS rebinding) cannot slip past.
 */
function guardedLookup(policy: CallbackNetworkPolicy) {
  return (hostname: string, options: LookupAllOptions, callback: LookupCallback): void => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error !== null) {
        callback(error, []);
        return;
      }
      const allowed = addresses.filter(({ address }) => !refusesAddress(policy, address));
      const [first] = allowed;
      if (first === undefined) {
        callback(new RefusedCallbackDestination(addresses[0]?.address ?? hostname), []);
        return;
      }
      if (options.all === true) {
        callback(null, allowed);
      } else {
        callback(null, first.address, first.family);
      }
    });
  };
}

/** `fetch` that never opens a connection to an address the policy refuses. */
export function guardedFetch(policy: CallbackNetworkPolicy): Fetch {
  const connect = buildConnector({ lookup: guardedLookup(policy) } as buildConnector.BuildOptions);
  const agent = new Agent({
    connect: (options, callback) => {
      // An address in the URL itself is never looked up: it is judged here, before any connection.
      const literal = options.hostname.replace(/^\[|\]$/g, '');
      if (isIP(literal) !== 0 && refusesAddress(policy, literal)) {
        callback(new RefusedCallbackDestination(literal), null);
        return;
      }
      connect(options, callback);
    },
  });
  // undici's own fetch: Node's built-in one cannot take a dispatcher from a different undici version.
  return ((input: Parameters<Fetch>[0], init?: Parameters<Fetch>[1]) =>
    undiciFetch(input as never, { ...(init as object), dispatcher: agent })) as unknown as Fetch;
}
