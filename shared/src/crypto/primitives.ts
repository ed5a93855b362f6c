/**
 * The cryptographic primitives every level uses. Uint8Array in and out; nothing here reads a
 * clock or a random source. The work is done by the installed `CryptoBackend` (noble unless
 * the server installs node:crypto, see backend.ts); the contracts the rules rely on are kept
 * here, once, for every backend: lengths are checked before the backend is called, a low-order
 * X25519 key throws, a bad signature is `false` and a bad tag is `null`, never a throw.
 *
 * X25519: RFC 7748. Ed25519: RFC 8032. AES-GCM: NIST SP 800-38D (AES-128 or AES-256 by key
 * length). AES-CTR: NIST SP 800-38A (level 2's record without integrity). SHA-256: FIPS 180-4.
 * HMAC: RFC 2104. HKDF: RFC 5869. P-256: SEC 1, FIPS 186-5, RFC 6979. RSA: RFC 8017 (rsa.ts).
 */
import type { CryptoBackend } from './backend.ts';
import { nobleBackend } from './noble-backend.ts';
import { bigIntToBytes, bytesToBigInt, emsaPkcs1v15Sha256, modulusLength, pkcs1v15Pad, rsaBlockInRange, type RsaPrivateKey, type RsaPublicKey } from './rsa.ts';
import type { Rng } from './rng.ts';

export const X25519_KEY_LENGTH = 32;
export const ED25519_SIGNATURE_LENGTH = 64;
export const AES_KEY_LENGTH = 32;
export const GCM_NONCE_LENGTH = 12;
export const GCM_TAG_LENGTH = 16;

const ED25519_KEY_LENGTH = 32;
const SHA256_LENGTH = 32;
/** SP 800-38D allows other IV lengths (through GHASH); below 8 bytes noble refuses, so both do. */
const GCM_MIN_NONCE_LENGTH = 8;

let backend: CryptoBackend = nobleBackend;

/** Install a backend for every primitive from now on; undefined goes back to noble. */
export function useCryptoBackend(next: CryptoBackend | undefined): void {
  backend = next ?? nobleBackend;
}

/** Run `f` with `next` installed, then put back the backend that was in use (tests and benchmarks comparing backends). */
export function withCryptoBackend<T>(next: CryptoBackend, f: () => T): T {
  const previous = backend;
  backend = next;
  try {
    return f();
  } finally {
    backend = previous;
  }
}

/** The backend in use. */
export function cryptoBackend(): CryptoBackend {
  return backend;
}

/** A secret key and its public half. Both are 32 bytes for X25519 and Ed25519. */
export interface KeyPair {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

function needLength(what: string, bytes: Uint8Array, length: number): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) throw new RangeError(`${what} must be ${length} bytes, got ${bytes?.length}`);
}

function needAesKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || (key.length !== 16 && key.length !== 24 && key.length !== 32)) throw new RangeError(`AES key must be 16, 24 or 32 bytes, got ${key?.length}`);
}

function needNonce(nonce: Uint8Array): void {
  if (!(nonce instanceof Uint8Array) || nonce.length < GCM_MIN_NONCE_LENGTH) throw new RangeError(`GCM nonce must be at least ${GCM_MIN_NONCE_LENGTH} bytes, got ${nonce?.length}`);
}

/** A key pair whose secret key is the seed's first `length` bytes (X25519, Ed25519), its public half from the backend in use. */
function keyPairFromSeed(what: string, seed: Uint8Array, length: number, publicKeyOf: (secretKey: Uint8Array) => Uint8Array): KeyPair {
  const secretKey = seed.slice(0, length);
  needLength(`${what} seed`, secretKey, length);
  return { secretKey, publicKey: publicKeyOf(secretKey) };
}

/** X25519 key pair from 32 bytes of caller-supplied randomness. */
export function x25519KeyPair(seed: Uint8Array): KeyPair {
  return keyPairFromSeed('X25519', seed, X25519_KEY_LENGTH, (k) => backend.x25519PublicKey(k));
}

/** RFC 7748 §6.1 shared secret. Throws on a low-order peer key (all-zero output). */
export function x25519SharedSecret(secretKey: Uint8Array, peerPublicKey: Uint8Array): Uint8Array {
  needLength('X25519 secret key', secretKey, X25519_KEY_LENGTH);
  needLength('X25519 public key', peerPublicKey, X25519_KEY_LENGTH);
  const shared = backend.x25519(secretKey, peerPublicKey);
  if (shared.every((b) => b === 0)) throw new Error('X25519: low-order public key (all-zero shared secret)');
  return shared;
}

/** Ed25519 key pair from a 32-byte seed (RFC 8032 §5.1.5). */
export function ed25519KeyPair(seed: Uint8Array): KeyPair {
  return keyPairFromSeed('Ed25519', seed, ED25519_KEY_LENGTH, (k) => backend.ed25519PublicKey(k));
}

export function ed25519Sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  needLength('Ed25519 secret key', secretKey, ED25519_KEY_LENGTH);
  return backend.ed25519Sign(secretKey, message);
}

/** False (never a throw) for a malformed key or signature: a forged packet is data, not a crash. */
export function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey?.length !== ED25519_KEY_LENGTH || signature?.length !== ED25519_SIGNATURE_LENGTH) return false;
  try {
    return backend.ed25519Verify(publicKey, message, signature) === true;
  } catch {
    return false;
  }
}

export function sha256(data: Uint8Array): Uint8Array {
  return backend.sha256(data);
}

export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  return backend.hmacSha256(key, data);
}

export function hkdfExtract(salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  return backend.hkdfExtract(salt, ikm);
}

/** RFC 5869 §2.3: refuses a PRK shorter than HashLen and more than 255 × HashLen bytes. */
export function hkdfExpand(prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  if (!Number.isSafeInteger(length) || length < 0 || length > 255 * SHA256_LENGTH) throw new RangeError(`HKDF-Expand length must be 0..${255 * SHA256_LENGTH}, got ${length}`);
  if (prk.length < SHA256_LENGTH) throw new RangeError(`HKDF PRK must be at least ${SHA256_LENGTH} bytes, got ${prk.length}`);
  return backend.hkdfExpand(prk, info, length);
}

/** AES-GCM seal: ciphertext followed by the 16-byte tag. */
export function aesGcmSeal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array {
  needAesKey(key);
  needNonce(nonce);
  return backend.aesGcmSeal(key, nonce, plaintext, aad);
}

/** AES-GCM open: the plaintext, or null when the tag does not verify (or anything is malformed). */
export function aesGcmOpen(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Uint8Array | null {
  try {
    needAesKey(key);
    needNonce(nonce);
    if (sealed.length < GCM_TAG_LENGTH) return null;
    return backend.aesGcmOpen(key, nonce, sealed, aad);
  } catch {
    return null;
  }
}

export const AES_BLOCK_LENGTH = 16;

/**
 * AES-CTR (NIST SP 800-38A §6.5): `data` XORed with the keystream that starts at the 16-byte
 * counter block `counter`. The same call encrypts and decrypts, and nothing checks what comes
 * out: a flipped ciphertext bit flips the same plaintext bit (encryption without integrity).
 */
export function aesCtr(key: Uint8Array, counter: Uint8Array, data: Uint8Array): Uint8Array {
  needAesKey(key);
  needLength('AES-CTR counter block', counter, AES_BLOCK_LENGTH);
  return backend.aesCtr(key, counter, data);
}

// ---------------------------------------------------------------------------------------------
// P-256 (TLS 1.2 ECDHE_ECDSA and TLS 1.3 signatures; the CA's signatures on X.509 certificates)

export const P256_PUBLIC_KEY_LENGTH = 65;
const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/**
 * A P-256 key pair from 32 bytes of caller-supplied randomness: d = (seed mod (n − 1)) + 1, so
 * every seed gives a valid scalar (FIPS 186-5 A.2.1 draws 64 more bits to shrink the bias; the
 * game's bias of about 2⁻³² does not matter).
 */
export function p256KeyPair(seed: Uint8Array): KeyPair {
  needLength('P-256 seed', seed.slice(0, 32), 32);
  const d = (bytesToBigInt(seed.slice(0, 32)) % (P256_ORDER - 1n)) + 1n;
  const secretKey = bigIntToBytes(d, 32);
  return { secretKey, publicKey: backend.p256PublicKey(secretKey) };
}

/** ECDH: the x-coordinate of d·Q. Throws for a public key that is not a point on P-256. */
export function p256SharedSecret(secretKey: Uint8Array, peerPublicKey: Uint8Array): Uint8Array {
  needLength('P-256 secret key', secretKey, 32);
  needLength('P-256 public key', peerPublicKey, P256_PUBLIC_KEY_LENGTH);
  if (peerPublicKey[0] !== 0x04) throw new Error('P-256: only uncompressed points (RFC 8446 §4.2.8.2)');
  return backend.p256Ecdh(secretKey, peerPublicKey);
}

export function ecdsaP256Sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  needLength('P-256 secret key', secretKey, 32);
  return backend.ecdsaP256Sign(secretKey, message);
}

/** A DER INTEGER holding 1 ≤ v < n, minimally encoded; its end offset, or -1. */
function derScalarEnd(sig: Uint8Array, at: number): number {
  if (sig[at] !== 0x02) return -1;
  const len = sig[at + 1] ?? 0;
  const start = at + 2;
  if (len === 0 || len > 33 || start + len > sig.length) return -1;
  if (sig[start]! & 0x80) return -1; // negative
  if (sig[start] === 0 && (len === 1 || !(sig[start + 1]! & 0x80))) return -1; // not minimal (or zero)
  const v = bytesToBigInt(sig.subarray(start, start + len));
  return v >= 1n && v < P256_ORDER ? start + len : -1;
}

/** RFC 5480 §2.2 Ecdsa-Sig-Value in canonical DER, checked here so every backend judges the same bytes. */
export function isCanonicalEcdsaSignature(sig: Uint8Array): boolean {
  if (sig.length < 8 || sig[0] !== 0x30 || sig[1] !== sig.length - 2) return false;
  const rEnd = derScalarEnd(sig, 2);
  return rEnd > 0 && derScalarEnd(sig, rEnd) === sig.length;
}

/** False (never a throw) for a malformed key or signature. */
export function ecdsaP256Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey?.length !== P256_PUBLIC_KEY_LENGTH || publicKey[0] !== 0x04 || !isCanonicalEcdsaSignature(signature)) return false;
  try {
    return backend.ecdsaP256Verify(publicKey, message, signature) === true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// RSA (TLS 1.2 key transport, level 4)

/** RSAES-PKCS1-v1_5 encryption (RFC 8017 §7.2.1) with padding from `rng`. */
export function rsaPkcs1Encrypt(key: RsaPublicKey, message: Uint8Array, rng: Rng): Uint8Array {
  const em = pkcs1v15Pad(message, modulusLength(key), rng);
  return backend.rsaPublic(key, em);
}

/**
 * RSADP without any unpadding (RFC 8017 §5.1.2): the block as the key opens it, or null when
 * the ciphertext is not a k-byte integer below n (step 1's "ciphertext representative out of
 * range"). The caller decodes the padding (rsa.ts `tlsPreMasterFromBlock`).
 */
export function rsaDecryptRaw(key: RsaPrivateKey, ciphertext: Uint8Array): Uint8Array | null {
  if (!rsaBlockInRange(key, ciphertext)) return null;
  try {
    return backend.rsaPrivate(key, ciphertext);
  } catch {
    return null;
  }
}

/** RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 §8.2.1): deterministic. */
export function rsaPkcs1Sha256Sign(key: RsaPrivateKey, message: Uint8Array): Uint8Array {
  return backend.rsaPrivate(key, emsaPkcs1v15Sha256(sha256(message), modulusLength(key)));
}

/** RSASSA-PKCS1-v1_5 verification (§8.2.2) by comparing the encoded message; false, never a throw. */
export function rsaPkcs1Sha256Verify(key: RsaPublicKey, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    if (!rsaBlockInRange(key, signature)) return false;
    const em = backend.rsaPublic(key, signature);
    const expected = emsaPkcs1v15Sha256(sha256(message), modulusLength(key));
    let diff = em.length ^ expected.length;
    for (let i = 0; i < expected.length; i++) diff |= (em[i] ?? 0) ^ expected[i]!;
    return diff === 0;
  } catch {
    return false;
  }
}
