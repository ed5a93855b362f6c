/**
 * Which peers are reverse proxies of ours (TRUST_PROXY), and so whose X-Forwarded-For is
 * believed. Only those: `TRUST_PROXY=1` once believed any client's header and dropped the
 * per-address socket cap, so one machine could pose as a thousand schools. The list is of
 * addresses and CIDR ranges (`10.0.0.5`, `172.28.0.0/24`, `::1`, or proxy-addr's names
 * `loopback`, `linklocal`, `uniquelocal`), read as express's `trust proxy` reads it — by
 * proxy-addr, the library express itself uses: the client is the first address, walking
 * X-Forwarded-For from the right, that is not a trusted proxy.
 */
import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';
import { addressKey } from '../validation/perAddress.ts';

export interface ProxyTrust {
  /** Whether a directly connected peer is one of our proxies (its sockets are not capped per address). */
  isProxy(peer: string | undefined): boolean;
  /** The sender's address as the per-address limits count it. */
  clientAddress(req: IncomingMessage): string;
}

/**
 * TRUST_PROXY as a list; throws, saying what is expected, on a hop count or a bad address, so
 * a server never starts believing headers it should not.
 */
export function trustProxyList(raw: string | undefined): string[] {
  const entries = (raw ?? '').split(',').map((e) => e.trim()).filter(Boolean);
  for (const e of entries) {
    if (/^\d+$/.test(e)) throw new Error(`TRUST_PROXY=${raw}: list the addresses of your proxies (e.g. 10.0.0.5 or 172.28.0.0/24), not a count: a count would believe any client's X-Forwarded-For.`);
  }
  try {
    proxyaddr.compile(entries);
  } catch (e) {
    throw new Error(`TRUST_PROXY=${raw}: ${(e as Error).message} (expected addresses or CIDR ranges, comma-separated)`);
  }
  return entries;
}

export function proxyTrust(proxies: readonly string[]): ProxyTrust {
  const trusted = proxyaddr.compile([...proxies]);
  const isProxy = (peer: string | undefined) => peer !== undefined && proxies.length > 0 && trusted(peer, 0);
  return {
    isProxy,
    clientAddress: proxies.length === 0 ? (req) => addressKey(req.socket.remoteAddress) : (req) => addressKey(proxyaddr(req, trusted)),
  };
}
