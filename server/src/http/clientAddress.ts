/**
 * Who sent a request, as the per-address limits count it (validation/perAddress.ts). Directly
 * connected (a classroom laptop): the socket's address; forwarded headers are not trusted, as
 * any browser may send them. Behind reverse proxies of our own (TRUST_PROXY lists their
 * addresses): the address the nearest untrusted hop had, as http/trustProxy.ts reads it.
 */
import type { IncomingMessage } from 'node:http';

export type ClientAddress = (req: IncomingMessage) => string;
