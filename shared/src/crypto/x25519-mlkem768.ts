/**
 * X25519MLKEM768, the hybrid post-quantum key share browsers send first today
 * (draft-ietf-tls-ecdhe-mlkem §3, codepoint 0x11EC): ML-KEM-768 (FIPS 203, `@noble/post-quantum`)
 * beside X25519 (RFC 7748). For this group the ML-KEM part comes FIRST everywhere:
 * - the client's share: ML-KEM-768 encapsulation key (1184 bytes) ‖ X25519 public key (32) = 1216;
 * - the server's share: ML-KEM-768 ciphertext (1088) ‖ X25519 public key (32) = 1120;
 * - the shared secret: ML-KEM shared secret (32) ‖ X25519 shared secret (32) = 64 bytes, which
 *   enters the TLS 1.3 key schedule (RFC 8446 §7.1) as the (EC)DHE input, concatenated as is.
 * So the session keys need both secrets: whoever learns the X25519 part alone (a quantum
 * computer, one day) still lacks the ML-KEM part.
 * Randomness is passed in (seeds), as everywhere in shared/.
 */
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { concat } from '../codec/bytes.ts';
import { x25519KeyPair, x25519SharedSecret, type KeyPair } from './primitives.ts';

export const X25519_MLKEM768 = {
  mlkemEncapsulationKey: 1184,
  mlkemDecapsulationKey: 2400,
  mlkemCiphertext: 1088,
  mlkemSharedSecret: 32,
  x25519: 32,
  clientShare: 1184 + 32,
  serverShare: 1088 + 32,
} as const;

const L = X25519_MLKEM768;

/** The client's one-time pair: public = encapsulation key ‖ X25519 public; secret = decapsulation key ‖ X25519 secret. */
export function hybridKeyPair(mlkemSeed: Uint8Array, x25519Seed: Uint8Array): KeyPair {
  const kem = ml_kem768.keygen(mlkemSeed);
  const ecdh = x25519KeyPair(x25519Seed);
  return { publicKey: concat(kem.publicKey, ecdh.publicKey), secretKey: concat(kem.secretKey, ecdh.secretKey) };
}

/** The two parts of a share, either side's, by its length; undefined for any other length. */
export function hybridParts(share: Uint8Array): { mlkem: Uint8Array; x25519: Uint8Array; side: 'client' | 'server' } | undefined {
  const side = share.length === L.clientShare ? 'client' : share.length === L.serverShare ? 'server' : undefined;
  if (!side) return undefined;
  return { mlkem: share.slice(0, share.length - L.x25519), x25519: share.slice(share.length - L.x25519), side };
}

/**
 * The server's answer to a client share: encapsulate to its ML-KEM key (with `mlkemMessage`, the
 * 32 random bytes FIPS 203 draws) and agree on X25519 with a fresh pair from `x25519Seed`.
 * Throws on a share of the wrong length, an encapsulation key FIPS 203 §7.2 refuses, or a
 * low-order X25519 key.
 */
export function hybridEncapsulate(clientShare: Uint8Array, x25519Seed: Uint8Array, mlkemMessage: Uint8Array): { share: Uint8Array; sharedSecret: Uint8Array; x25519SecretKey: Uint8Array } {
  const parts = hybridParts(clientShare);
  if (parts?.side !== 'client') throw new Error(`an X25519MLKEM768 client share is ${L.clientShare} bytes`);
  const kem = ml_kem768.encapsulate(parts.mlkem, mlkemMessage);
  const ecdh = x25519KeyPair(x25519Seed);
  return {
    share: concat(kem.cipherText, ecdh.publicKey),
    sharedSecret: concat(kem.sharedSecret, x25519SharedSecret(ecdh.secretKey, parts.x25519)),
    x25519SecretKey: ecdh.secretKey,
  };
}

/** The client's secret from the server's share: decapsulate ‖ X25519. Throws on a share of the wrong length or a low-order X25519 key. */
export function hybridDecapsulate(secretKey: Uint8Array, serverShare: Uint8Array): Uint8Array {
  const parts = hybridParts(serverShare);
  if (parts?.side !== 'server') throw new Error(`an X25519MLKEM768 server share is ${L.serverShare} bytes`);
  if (secretKey.length !== L.mlkemDecapsulationKey + L.x25519) throw new Error('not an X25519MLKEM768 secret key');
  const kem = ml_kem768.decapsulate(parts.mlkem, secretKey.subarray(0, L.mlkemDecapsulationKey));
  return concat(kem, x25519SharedSecret(secretKey.subarray(L.mlkemDecapsulationKey), parts.x25519));
}

/** The X25519 half of a hybrid shared secret (the last 32 bytes): what a quantum computer that breaks X25519 would recover. */
export const x25519PartOf = (sharedSecret: Uint8Array): Uint8Array => sharedSecret.slice(L.mlkemSharedSecret);
