/**
 * The server's crypto backend: the engine's primitives on OpenSSL through node:crypto, which runs
 * the curve and cipher work in native code many times faster than noble's JavaScript, so a
 * room's handshake step stays short on a busy event loop (docs/benchmarks.md). Outputs are
 * byte-identical to noble's for the same inputs (test/server/crypto-backends.test.ts).
 *
 * Raw 32-byte keys become KeyObjects through Node's raw-key import (EVP_PKEY_new_raw_private_key /
 * _public_key), reached through `createPrivateKey` / `createPublicKey` with a JWK of RFC 8037 §2:
 * the raw key base64url-encoded as `d` (secret) or `x` (public). Import only, never JWK export
 * (repeated JWK export can hang on Node 20). Why not the PKCS#8 / SPKI DER wrapping of RFC 8410: in
 * Node 20's OpenSSL 3.0, DER goes through the generic decoder, which costs about 0.45 ms per
 * secret key and 0.1 ms per public key on this machine — about as much as noble's whole scalar
 * multiplication — against 0.04 ms and 0.01 ms for the raw import (docs/benchmarks.md). For a
 * secret key Node reads only `d` and derives the public half itself, so `x` is left empty.
 * Public keys come out without any export format: X25519's is X25519(secret, 9) (RFC 7748 §6.1),
 * one more scalar multiplication; Ed25519's is the last 32 bytes of the SPKI DER export (done only
 * when a key pair is made, a few times a round).
 *
 * P-256: ECDH through `createECDH('prime256v1')` (raw scalar in, raw points out); ECDSA verification
 * through a JWK public key. ECDSA *signing* cannot be node's `sign`: OpenSSL 3.0 (Node 20) draws k
 * at random, and the engine needs RFC 6979's deterministic k so a seed replays the same bytes. So
 * ecdsa-p256.ts derives k by RFC 6979 with node's HMAC and has OpenSSL do k·G (noble's whole
 * signature took ~2 ms of JavaScript, the longest single crypto step of a round on the server).
 * RSA: the raw operations only (RSA_NO_PADDING), from JWK keys (RFC 7518 §6.3); the engine pads
 * and unpads itself (shared/src/crypto/rsa.ts), which also keeps clear of Node 20's refusal of
 * PKCS#1 v1.5 decryption (the Marvin attack, CVE-2023-46809).
 *
 * Every output is copied into a plain Uint8Array: a Buffer's `slice` shares memory and its
 * `.buffer` may be a shared pool, and the rules expect neither.
 */
import {
  constants,
  createECDH,
  privateDecrypt,
  publicEncrypt,
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import * as nodeCrypto from 'node:crypto';
import type { CryptoBackend, RsaPrivateKey, RsaPublicKey } from '@heist/shared';
import { ecdsaP256SignRfc6979 } from './ecdsa-p256.ts';

type Curve = 'X25519' | 'Ed25519';
/** One-shot crypto.hash skips the Hash object, several times faster on short input; Node ≥ 20.12 only. */
const oneShotHash = (nodeCrypto as Partial<Pick<typeof nodeCrypto, 'hash'>>).hash;
const TAG_LENGTH = 16;
const HASH_LENGTH = 32;
/** RFC 7748 §4.1: the base point u = 9. */
const X25519_BASE_POINT = (() => {
  const u = new Uint8Array(32);
  u[0] = 9;
  return u;
})();

/**
 * Recently used KeyObjects by curve, kind and key bytes. A round uses the same few keys again and
 * again (the CA's key on every certificate check, the bank's keys in every handshake, an
 * ephemeral key once to make its public half and once for the shared secret), and an import
 * costs as much as the operation itself. Keyed by content, so a caller reusing an array for
 * other bytes gets the right key; the least recently used entry goes when the cache is full.
 */
const KEY_CACHE_SIZE = 1024;
const keyCache = new Map<string, KeyObject>();

function cachedKey(id: string, make: () => KeyObject): KeyObject {
  let key = keyCache.get(id);
  if (key) keyCache.delete(id); // re-inserted below: a Map iterates oldest first
  else {
    key = make();
    if (keyCache.size >= KEY_CACHE_SIZE) keyCache.delete(keyCache.keys().next().value!);
  }
  keyCache.set(id, key);
  return key;
}

function secretKeyObject(crv: Curve, raw: Uint8Array): KeyObject {
  const d = Buffer.from(raw).toString('base64url');
  return cachedKey(`${crv} secret ${d}`, () => createPrivateKey({ key: { kty: 'OKP', crv, d, x: '' }, format: 'jwk' }));
}

function publicKeyObject(crv: Curve, raw: Uint8Array): KeyObject {
  const x = Buffer.from(raw).toString('base64url');
  return cachedKey(`${crv} public ${x}`, () => createPublicKey({ key: { kty: 'OKP', crv, x }, format: 'jwk' }));
}

const basePoint = publicKeyObject('X25519', X25519_BASE_POINT);

function x25519(secretKey: Uint8Array, peer: KeyObject): Uint8Array {
  return plain(diffieHellman({ privateKey: secretKeyObject('X25519', secretKey), publicKey: peer }));
}

/** A copy that is a Uint8Array and nothing else. */
function plain(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

function hmac(key: Uint8Array, ...parts: Uint8Array[]): Buffer {
  const h = createHmac('sha256', key);
  for (const p of parts) h.update(p);
  return h.digest();
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

function p256PublicKeyObject(raw: Uint8Array): KeyObject {
  return cachedKey(`P-256 public ${b64(raw)}`, () =>
    createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: b64(raw.subarray(1, 33)), y: b64(raw.subarray(33, 65)) }, format: 'jwk' }),
  );
}

function rsaPublicKeyObject(key: RsaPublicKey): KeyObject {
  return cachedKey(`RSA public ${b64(key.n)}`, () => createPublicKey({ key: { kty: 'RSA', n: b64(key.n), e: b64(key.e) }, format: 'jwk' }));
}

function rsaPrivateKeyObject(key: RsaPrivateKey): KeyObject {
  const jwk = { kty: 'RSA', n: b64(key.n), e: b64(key.e), d: b64(key.d), p: b64(key.p), q: b64(key.q), dp: b64(key.dp), dq: b64(key.dq), qi: b64(key.qi) };
  return cachedKey(`RSA secret ${jwk.n} ${jwk.d}`, () => createPrivateKey({ key: jwk, format: 'jwk' }));
}

function gcmName(key: Uint8Array): 'aes-128-gcm' | 'aes-192-gcm' | 'aes-256-gcm' {
  return `aes-${(key.length * 8) as 128 | 192 | 256}-gcm`;
}

export const nodeCryptoBackend: CryptoBackend = {
  name: 'node:crypto',

  x25519PublicKey: (secretKey) => x25519(secretKey, basePoint),

  // OpenSSL refuses an all-zero result (RFC 7748 §6.1) with a throw, as noble does.
  x25519: (secretKey, peerPublicKey) => x25519(secretKey, publicKeyObject('X25519', peerPublicKey)),

  ed25519PublicKey: (secretKey) => {
    const spki = createPublicKey(secretKeyObject('Ed25519', secretKey)).export({ format: 'der', type: 'spki' });
    return plain(spki.subarray(spki.length - 32));
  },

  ed25519Sign: (secretKey, message) => plain(sign(null, message, secretKeyObject('Ed25519', secretKey))),

  ed25519Verify: (publicKey, message, signature) => verify(null, message, publicKeyObject('Ed25519', publicKey), signature),

  sha256: (data) => plain(oneShotHash ? oneShotHash('sha256', data, 'buffer') : createHash('sha256').update(data).digest()),

  hmacSha256: (key, data) => plain(hmac(key, data)),

  // RFC 5869 §2.2. An empty salt is HMAC with an empty key, the same as HashLen zero bytes.
  hkdfExtract: (salt, ikm) => plain(hmac(salt, ikm)),

  // RFC 5869 §2.3 with HMAC directly: hkdfSync always extracts first and caps `info` at 1024 bytes.
  hkdfExpand: (prk, info, length) => {
    const out = new Uint8Array(length);
    let block: Uint8Array = new Uint8Array(0);
    for (let i = 1, at = 0; at < length; i++, at += HASH_LENGTH) {
      block = hmac(prk, block, info, new Uint8Array([i]));
      out.set(block.subarray(0, Math.min(HASH_LENGTH, length - at)), at);
    }
    return out;
  },

  aesGcmSeal: (key, nonce, plaintext, aad) => {
    const cipher = createCipheriv(gcmName(key), key, nonce, { authTagLength: TAG_LENGTH });
    if (aad) cipher.setAAD(aad);
    const head = cipher.update(plaintext);
    const tail = cipher.final();
    const out = new Uint8Array(head.length + tail.length + TAG_LENGTH);
    out.set(head, 0);
    out.set(tail, head.length);
    out.set(cipher.getAuthTag(), head.length + tail.length);
    return out;
  },

  aesGcmOpen: (key, nonce, sealed, aad) => {
    const decipher = createDecipheriv(gcmName(key), key, nonce, { authTagLength: TAG_LENGTH });
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_LENGTH));
    if (aad) decipher.setAAD(aad);
    const head = decipher.update(sealed.subarray(0, sealed.length - TAG_LENGTH));
    let tail: Buffer;
    try {
      tail = decipher.final(); // checks the tag: nothing is returned before it passes
    } catch {
      return null;
    }
    const out = new Uint8Array(head.length + tail.length);
    out.set(head, 0);
    out.set(tail, head.length);
    return out;
  },

  aesCtr: (key, counter, data) => {
    const cipher = createCipheriv(`aes-${(key.length * 8) as 128 | 192 | 256}-ctr`, key, counter);
    const head = cipher.update(data);
    const tail = cipher.final();
    const out = new Uint8Array(head.length + tail.length);
    out.set(head, 0);
    out.set(tail, head.length);
    return out;
  },

  p256PublicKey: (secretKey) => {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(secretKey);
    return plain(ecdh.getPublicKey());
  },

  p256Ecdh: (secretKey, peerPublicKey) => {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(secretKey);
    return plain(ecdh.computeSecret(peerPublicKey)); // throws for a point off the curve
  },

  ecdsaP256Sign: ecdsaP256SignRfc6979, // RFC 6979's k, OpenSSL's k·G (see the header)

  ecdsaP256Verify: (publicKey, message, signature) => verify('sha256', message, p256PublicKeyObject(publicKey), signature),

  rsaPublic: (key, block) => plain(publicEncrypt({ key: rsaPublicKeyObject(key), padding: constants.RSA_NO_PADDING }, block)),

  rsaPrivate: (key, block) => plain(privateDecrypt({ key: rsaPrivateKeyObject(key), padding: constants.RSA_NO_PADDING }, block)),
};
