/**
 * Deterministic randomness, passed into every rule that needs it, so that any round can be
 * replayed exactly from its seed. The stream is ChaCha20 (RFC 8439) keyed by SHA-256(seed):
 * the server seeds it from the operating system; tests seed it with a fixed string.
 */
import { chacha20 } from '@noble/ciphers/chacha.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8 } from '../codec/bytes.ts';

export interface Rng {
  /** n fresh random bytes. */
  bytes(n: number): Uint8Array;
  /** A uniform integer in [0, max). */
  int(max: number): number;
  /** An independent stream, so adding a draw in one party never shifts another's. */
  fork(label: string): Rng;
}

export function seededRng(seed: string | Uint8Array): Rng {
  const key = sha256(typeof seed === 'string' ? utf8(seed) : seed);
  const nonce = new Uint8Array(12);
  let counter = 0;
  const bytes = (n: number): Uint8Array => {
    // One ChaCha20 call per draw: counter advances by the blocks consumed.
    const out = chacha20(key, nonce, new Uint8Array(n), undefined, counter);
    counter += Math.ceil(n / 64);
    return out;
  };
  return {
    bytes,
    int(max) {
      if (!Number.isInteger(max) || max <= 0) throw new RangeError(`int(max) needs a positive integer, got ${max}`);
      const b = bytes(4);
      const v = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
      return v % max; // bias below 1e-5 for the small ranges the game draws from
    },
    fork(label) {
      return seededRng(new Uint8Array([...key, ...utf8(`fork:${label}`)]));
    },
  };
}
