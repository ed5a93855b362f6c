/**
 * Who sent a request, as the per-address limits count it (validation/perAddress.ts). Directly
 * connected (a classroom laptop): the socket's address; forwarded headers are not trusted, as
 * any browser may send them. Behind reverse proxies of our own (deploy/: TRUST_PROXY=1), the
 * address the nearest of them saw: the last one it appended to X-Forwarded-For, counted from
 * the right, past the `trustedHops` proxies.
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { addressKey } from '../validation/perAddress.ts';

export type ClientAddress = (req: IncomingMessage) => string;

export function clientAddress(trustedHops: number): ClientAddress {
  if (trustedHops <= 0) return (req) => addressKey(req.socket.remoteAddress);
  return (req) => {
    const header = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((h) => h.trim()).filter(Boolean);
    const sender = hops[hops.length - trustedHops];
    // A proxy of ours always sets it; without it, the request came round the proxy.
    return sender !== undefined && isIP(sender) ? addressKey(sender) : addressKey(req.socket.remoteAddress);
  };
}
