/**
 * CRYPTO_BACKEND → the backend the engine uses in this process: `node` (OpenSSL, the default on
 * the server) or `noble` (the engine's pure-JavaScript default, for comparison runs). Both give
 * the same bytes; only speed differs.
 */
import { nobleBackend, type CryptoBackend } from '@heist/shared';
import { nodeCryptoBackend } from './node-backend.ts';

const BACKENDS: Record<string, CryptoBackend> = { node: nodeCryptoBackend, noble: nobleBackend };

export function cryptoBackendNamed(name: string | undefined): CryptoBackend {
  const backend = BACKENDS[name || 'node'];
  if (!backend) throw new Error(`CRYPTO_BACKEND must be one of ${Object.keys(BACKENDS).join(', ')}, got "${name}"`);
  return backend;
}
