/**
 * The default backend: noble's audited pure-JavaScript implementations, which run anywhere
 * (browser, tests, server). X25519: RFC 7748. Ed25519: RFC 8032. AES-GCM: NIST SP 800-38D.
 * AES-CTR: NIST SP 800-38A.
 * SHA-256: FIPS 180-4. HMAC: RFC 2104. HKDF: RFC 5869. P-256 ECDH and ECDSA: SEC 1, FIPS 186-5,
 * RFC 6979. RSA: noble has none, so the raw RSAEP/RSADP are BigInt arithmetic in rsa.ts.
 *
 * Ed25519 verification is written out here instead of calling `ed25519.verify`, because
 * RFC 8032 §5.1.7 lets implementations differ on crafted inputs and the game needs one verdict
 * on every input whichever backend runs. noble's default follows ZIP 215 (the cofactored
 * equation [8][S]B = [8]R + [8][k]A, and non-canonical R accepted); OpenSSL, which the server
 * uses, checks the cofactorless equation by re-encoding [S]B − [k]A and comparing it with R
 * byte for byte. They disagree when R or A carries a small-order component (an attacker can
 * build such a signature with her own key), so both backends follow OpenSSL:
 *   - S must be below the group order L (§5.1.7 step 1; also stops S + L malleability);
 *   - A is decoded as OpenSSL does: the sign bit is ignored when x = 0 and y is reduced mod p
 *     (noble's `zip215` decoding is exactly that); a y with no point fails;
 *   - k = SHA-512(R ‖ A ‖ M) mod L over the bytes as received (§5.1.7 step 2);
 *   - valid when encode([S]B − [k]A) equals R (§5.1.7 step 3, the equation without [8]).
 */
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { bytesToNumberLE, equalBytes } from '@noble/curves/utils.js';
import { ctr, gcm } from '@noble/ciphers/aes.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { hmac } from '@noble/hashes/hmac.js';
import { expand, extract } from '@noble/hashes/hkdf.js';
import { concat } from '../codec/bytes.ts';
import type { CryptoBackend } from './backend.ts';
import { _rsaPrivateRaw, _rsaPublicRaw } from './rsa.ts';

const Point = ed25519.Point;
const L = Point.Fn.ORDER;

function ed25519VerifyCofactorless(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const r = signature.subarray(0, 32);
  const s = bytesToNumberLE(signature.subarray(32, 64));
  if (s >= L) return false;
  const a = Point.fromBytes(publicKey, true); // throws for a y with no point: the wrapper says false
  const k = Point.Fn.create(bytesToNumberLE(sha512(concat(r, publicKey, message))));
  const check = Point.BASE.multiplyUnsafe(s).subtract(a.multiplyUnsafe(k));
  return equalBytes(check.toBytes(), r);
}

export const nobleBackend: CryptoBackend = {
  name: 'noble',
  x25519PublicKey: (secretKey) => x25519.getPublicKey(secretKey),
  x25519: (secretKey, peerPublicKey) => x25519.scalarMult(secretKey, peerPublicKey),
  ed25519PublicKey: (secretKey) => ed25519.getPublicKey(secretKey),
  ed25519Sign: (secretKey, message) => ed25519.sign(message, secretKey),
  ed25519Verify: ed25519VerifyCofactorless,
  sha256: (data) => sha256(data),
  hmacSha256: (key, data) => hmac(sha256, key, data),
  hkdfExtract: (salt, ikm) => extract(sha256, ikm, salt),
  hkdfExpand: (prk, info, length) => expand(sha256, prk, info, length),
  aesGcmSeal: (key, nonce, plaintext, aad) => gcm(key, nonce, aad).encrypt(plaintext),
  aesGcmOpen: (key, nonce, sealed, aad) => gcm(key, nonce, aad).decrypt(sealed),
  aesCtr: (key, counter, data) => ctr(key, counter).encrypt(data),
  p256PublicKey: (secretKey) => p256.getPublicKey(secretKey, false),
  p256Ecdh: (secretKey, peerPublicKey) => p256.getSharedSecret(secretKey, peerPublicKey, false).slice(1, 33),
  // lowS: false keeps S as ECDSA (and RFC 6979's vectors, and OpenSSL) computes it.
  ecdsaP256Sign: (secretKey, message) => p256.sign(message, secretKey, { format: 'der', lowS: false }),
  // OpenSSL accepts a high S (ECDSA itself does); noble would refuse it by default.
  ecdsaP256Verify: (publicKey, message, signature) => p256.verify(signature, message, publicKey, { format: 'der', lowS: false }),
  rsaPublic: _rsaPublicRaw,
  rsaPrivate: _rsaPrivateRaw,
};
