/**
 * The cryptographic primitives every level uses, as thin wrappers over noble.
 * Uint8Array in and out; nothing here reads a clock or a random source.
 *
 * X25519: RFC 7748. Ed25519: RFC 8032. AES-256-GCM: NIST SP 800-38D.
 * SHA-256: FIPS 180-4. HMAC: RFC 2104. HKDF: RFC 5869.
 */
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { gcm } from '@noble/ciphers/aes.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { hmac } from '@noble/hashes/hmac.js';
import { extract, expand } from '@noble/hashes/hkdf.js';

export const X25519_KEY_LENGTH = 32;
export const ED25519_SIGNATURE_LENGTH = 64;
export const AES_KEY_LENGTH = 32;
export const GCM_NONCE_LENGTH = 12;
export const GCM_TAG_LENGTH = 16;

/** A secret key and its public half. Both are 32 bytes for X25519 and Ed25519. */
export interface KeyPair {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

/** X25519 key pair from 32 bytes of caller-supplied randomness. */
export function x25519KeyPair(seed: Uint8Array): KeyPair {
  const secretKey = seed.slice(0, X25519_KEY_LENGTH);
  return { secretKey, publicKey: x25519.getPublicKey(secretKey) };
}

/** RFC 7748 §6.1 shared secret. Throws on a low-order peer key (all-zero output). */
export function x25519SharedSecret(secretKey: Uint8Array, peerPublicKey: Uint8Array): Uint8Array {
  return x25519.getSharedSecret(secretKey, peerPublicKey);
}

/** Ed25519 key pair from a 32-byte seed (RFC 8032 §5.1.5). */
export function ed25519KeyPair(seed: Uint8Array): KeyPair {
  const secretKey = seed.slice(0, 32);
  return { secretKey, publicKey: ed25519.getPublicKey(secretKey) };
}

export function ed25519Sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  return ed25519.sign(message, secretKey);
}

/** False (never a throw) for a malformed key or signature: a forged packet is data, not a crash. */
export function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return ed25519.verify(signature, message, publicKey);
  } catch {
    return false;
  }
}

export function sha256(data: Uint8Array): Uint8Array {
  return nobleSha256(data);
}

export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  return hmac(nobleSha256, key, data);
}

export function hkdfExtract(salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  return extract(nobleSha256, ikm, salt);
}

export function hkdfExpand(prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  return expand(nobleSha256, prk, info, length);
}

/** AES-256-GCM seal: ciphertext followed by the 16-byte tag. */
export function aesGcmSeal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array {
  return gcm(key, nonce, aad).encrypt(plaintext);
}

/** AES-256-GCM open: the plaintext, or null when the tag does not verify. */
export function aesGcmOpen(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Uint8Array | null {
  try {
    return gcm(key, nonce, aad).decrypt(sealed);
  } catch {
    return null;
  }
}
