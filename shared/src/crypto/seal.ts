/**
 * "Encrypt to a public key": the game's stand-in for RSA key transport, which levels 3 and 4
 * use to show a client sending a pre-master secret that only the certificate's owner can read.
 *
 * This is ECIES-style public-key encryption, in the spirit of HPKE base mode (RFC 9180 §5.1,
 * DHKEM(X25519) + HKDF-SHA256 + AES-256-GCM) but NOT wire-compatible with it: HPKE's labelled
 * extract/expand and key schedule are left out so the three steps stay visible to a student.
 * Why not RSA: the game only has elliptic-curve keys (X25519 and Ed25519), and real RSA key
 * transport (RFC 5246 §7.4.7.1) needs RSA keys. The lesson is the same: whoever holds the
 * private key that matches the certificate can open the box, and nobody else can.
 *
 *   1. A fresh ephemeral X25519 key pair (from caller-supplied randomness) meets the
 *      recipient's static public key: shared secret = X25519(ephemeral, recipient) (RFC 7748 §6.1).
 *   2. Key-encryption key = HKDF-SHA256 (RFC 5869) with salt = ephemeralPublic || recipientPublic
 *      and the caller's `info`, 32 bytes. The salt binds both public keys; `info` binds the purpose.
 *   3. AES-256-GCM (NIST SP 800-38D) under that key, with the ephemeral public key as the
 *      associated data, so swapping the ephemeral key breaks the tag.
 */
import {
  AES_KEY_LENGTH,
  GCM_NONCE_LENGTH,
  GCM_TAG_LENGTH,
  X25519_KEY_LENGTH,
  aesGcmOpen,
  aesGcmSeal,
  hkdfExpand,
  hkdfExtract,
  x25519KeyPair,
  x25519SharedSecret,
  type KeyPair,
} from './primitives.ts';
import { concat, utf8 } from '../codec/bytes.ts';

/** Everything the recipient needs, apart from its own secret key and the agreed `info`. */
export interface SealedBox {
  ephemeralPublicKey: Uint8Array;
  nonce: Uint8Array;
  /** AES-256-GCM ciphertext followed by its 16-byte tag. */
  sealed: Uint8Array;
}

function keyEncryptionKey(sharedSecret: Uint8Array, ephemeralPublicKey: Uint8Array, recipientPublicKey: Uint8Array, info: string): Uint8Array {
  const prk = hkdfExtract(concat(ephemeralPublicKey, recipientPublicKey), sharedSecret);
  return hkdfExpand(prk, utf8(info), AES_KEY_LENGTH);
}

/**
 * Seal `plaintext` so that only the holder of `recipientPublicKey`'s secret key can open it.
 * `ephemeralSeed` (32 bytes) and `nonce` (12 bytes) are fresh randomness from the caller.
 * Throws on wrong-length inputs, and on a low-order recipient key (X25519 gives an all-zero
 * secret, which would make the box readable by anyone).
 */
export function sealToPublicKey(
  recipientPublicKey: Uint8Array,
  plaintext: Uint8Array,
  ephemeralSeed: Uint8Array,
  nonce: Uint8Array,
  info: string,
): SealedBox {
  if (recipientPublicKey.length !== X25519_KEY_LENGTH) throw new RangeError(`recipient public key must be ${X25519_KEY_LENGTH} bytes, got ${recipientPublicKey.length}`);
  if (ephemeralSeed.length !== X25519_KEY_LENGTH) throw new RangeError(`ephemeral seed must be ${X25519_KEY_LENGTH} bytes, got ${ephemeralSeed.length}`);
  if (nonce.length !== GCM_NONCE_LENGTH) throw new RangeError(`nonce must be ${GCM_NONCE_LENGTH} bytes, got ${nonce.length}`);
  const ephemeral = x25519KeyPair(ephemeralSeed);
  const shared = x25519SharedSecret(ephemeral.secretKey, recipientPublicKey);
  const kek = keyEncryptionKey(shared, ephemeral.publicKey, recipientPublicKey, info);
  return {
    ephemeralPublicKey: ephemeral.publicKey,
    nonce: nonce.slice(),
    sealed: aesGcmSeal(kek, nonce, plaintext, ephemeral.publicKey),
  };
}

/**
 * Open a box made by `sealToPublicKey`. Returns the plaintext, or null when anything is
 * wrong: the wrong secret key, a different `info`, a changed byte anywhere, a malformed or
 * low-order ephemeral key. It never throws: a forged packet is data, not a crash.
 */
export function openSealed(
  /** The recipient's key pair: its public half salts the KDF, so callers that hold it need not recompute it. */
  recipient: KeyPair,
  ephemeralPublicKey: Uint8Array,
  nonce: Uint8Array,
  sealed: Uint8Array,
  info: string,
): Uint8Array | null {
  if (recipient.secretKey.length !== X25519_KEY_LENGTH || recipient.publicKey.length !== X25519_KEY_LENGTH) return null;
  if (ephemeralPublicKey.length !== X25519_KEY_LENGTH) return null;
  if (nonce.length !== GCM_NONCE_LENGTH || sealed.length < GCM_TAG_LENGTH) return null;
  try {
    const shared = x25519SharedSecret(recipient.secretKey, ephemeralPublicKey);
    const kek = keyEncryptionKey(shared, ephemeralPublicKey, recipient.publicKey, info);
    return aesGcmOpen(kek, nonce, sealed, ephemeralPublicKey);
  } catch {
    return null;
  }
}
