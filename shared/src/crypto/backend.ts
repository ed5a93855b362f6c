/**
 * Which implementation computes the primitives. The browser and the tests use noble (pure
 * JavaScript, `noble-backend.ts`); the server swaps in OpenSSL through node:crypto
 * (`server/src/crypto/`), which does the same curve and cipher work many times faster and so keeps
 * handshake steps short on a busy event loop.
 *
 * The contract for every backend: byte-identical outputs for the same inputs, so a seed replays
 * the same packets whichever backend is installed (test/server/crypto-backends.test.ts checks it
 * primitive by primitive and over whole rounds). `primitives.ts` checks lengths and turns throws
 * into `false` / `null` before and after calling a backend, so a backend only ever sees inputs of
 * valid lengths and may throw on anything else.
 */
import type { RsaPrivateKey, RsaPublicKey } from './rsa.ts';

export interface CryptoBackend {
  /** Shown in benchmarks and logs. */
  readonly name: string;
  /** RFC 7748 §6.1: X25519(secretKey, 9). `secretKey` is 32 bytes, clamped by the function. */
  x25519PublicKey(secretKey: Uint8Array): Uint8Array;
  /** RFC 7748 §5: X25519(secretKey, u). Both 32 bytes; may return all zeros or throw for a low-order u. */
  x25519(secretKey: Uint8Array, peerPublicKey: Uint8Array): Uint8Array;
  /** RFC 8032 §5.1.5, from a 32-byte seed. */
  ed25519PublicKey(secretKey: Uint8Array): Uint8Array;
  /** RFC 8032 §5.1.6: 64 bytes, deterministic. */
  ed25519Sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array;
  /**
   * RFC 8032 §5.1.7 with the rules OpenSSL applies (see noble-backend.ts): 32-byte key, 64-byte
   * signature. May throw on a malformed key or signature.
   */
  ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  sha256(data: Uint8Array): Uint8Array;
  hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array;
  /** RFC 5869 §2.2: HMAC-SHA256(salt, ikm). */
  hkdfExtract(salt: Uint8Array, ikm: Uint8Array): Uint8Array;
  /** RFC 5869 §2.3. `prk` at least 32 bytes, 0 ≤ length ≤ 255 × 32. */
  hkdfExpand(prk: Uint8Array, info: Uint8Array, length: number): Uint8Array;
  /** SP 800-38D with a 16-byte tag. Key 16, 24 or 32 bytes; nonce at least 8 bytes. */
  aesGcmSeal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array | undefined): Uint8Array;
  /** The plaintext, or null (or a throw) when the tag does not verify. `sealed` holds at least a tag. */
  aesGcmOpen(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array | undefined): Uint8Array | null;
  /**
   * SP 800-38A §6.5 CTR mode: the keystream from `counter` (16 bytes, the first counter block,
   * incremented as one big-endian number) XORed onto `data`. Encrypts and decrypts alike; no tag.
   */
  aesCtr(key: Uint8Array, counter: Uint8Array, data: Uint8Array): Uint8Array;
  /** SEC 1 §2.3.3: the 65-byte uncompressed P-256 public key of a 32-byte secret scalar (1 ≤ d < n). */
  p256PublicKey(secretKey: Uint8Array): Uint8Array;
  /** RFC 8446 §7.4.2 / SEC 1 §3.3.1: the 32-byte x-coordinate of d·Q. Throws for a point not on the curve. */
  p256Ecdh(secretKey: Uint8Array, peerPublicKey: Uint8Array): Uint8Array;
  /**
   * ECDSA P-256 with SHA-256 (FIPS 186-5), k by RFC 6979 (deterministic, so a seed replays the
   * same signature), DER-encoded (RFC 5480 §2.2 / RFC 8446 §4.2.3 ecdsa_secp256r1_sha256).
   */
  ecdsaP256Sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array;
  /** `signature` is canonical DER with 1 ≤ r, s < n (the wrapper checks); high S accepted, as OpenSSL does. */
  ecdsaP256Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  /** RSAEP (RFC 8017 §5.1.1), raw: `block` is k bytes below n. */
  rsaPublic(key: RsaPublicKey, block: Uint8Array): Uint8Array;
  /** RSADP (RFC 8017 §5.1.2), raw, no padding: `block` is k bytes below n. */
  rsaPrivate(key: RsaPrivateKey, block: Uint8Array): Uint8Array;
}
