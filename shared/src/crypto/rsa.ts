/**
 * RSA for TLS 1.2's key transport (TLS_RSA_WITH_AES_128_GCM_SHA256, RFC 5246 §7.4.7.1) and
 * the operations under it, RFC 8017: RSAEP / RSADP (§5.1, the private one by the Chinese
 * Remainder Theorem, §5.1.2 2b), EME-PKCS1-v1_5 encryption padding (§7.2.1) and its decoding
 * as TLS must do it (RFC 5246 §7.4.7.1): whatever is wrong with the block, the server goes on
 * with a random pre-master secret and never says where decoding failed.
 *
 * Why the unpadding lives here and not in a library: padding-oracle attacks (Bleichenbacher
 * 1998, ROBOT 2017, Marvin 2023) read *where* or *how fast* PKCS#1 v1.5 decoding fails. Node 20
 * therefore refuses `privateDecrypt` with RSA_PKCS1_PADDING (CVE-2023-46809), and TLS 1.3
 * dropped RSA key transport altogether. The game does the raw private operation (OpenSSL's
 * RSA_NO_PADDING on the server, BigInt in the browser) and this one decoding, which touches
 * every byte whatever the input and picks its answer with masks, not branches (as far as
 * JavaScript allows: BigInt arithmetic itself is not constant time, which the game accepts).
 *
 * Keys are not generated here: 2048-bit key generation takes seconds in JavaScript. The live
 * server makes every round's keys with node:crypto, off its event loop, and hands them to the
 * round; a round replayed from a seed picks from a small pool made once with OpenSSL
 * (rsa-key-pool.ts), so a seed still replays a round exactly.
 */
import type { Rng } from './rng.ts';

/** Big-endian unsigned integers, as JWK (RFC 7518 §6.3) and DER carry them. */
export interface RsaPublicKey {
  n: Uint8Array;
  e: Uint8Array;
}

export interface RsaPrivateKey extends RsaPublicKey {
  d: Uint8Array;
  p: Uint8Array;
  q: Uint8Array;
  /** d mod (p−1), d mod (q−1), q⁻¹ mod p (RFC 8017 §3.2). */
  dp: Uint8Array;
  dq: Uint8Array;
  qi: Uint8Array;
}

export const RSA_MODULUS_BYTES = 256; // RSA-2048
/** RFC 8017 §7.2.1: at least 8 bytes of non-zero padding. */
const MIN_PADDING = 8;

export function bytesToBigInt(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/** I2OSP (RFC 8017 §4.1): exactly `length` bytes, big-endian. */
export function bigIntToBytes(value: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let v = value;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (v !== 0n) throw new RangeError(`integer too large for ${length} bytes`);
  return out;
}

/** The modulus length in bytes (k in RFC 8017), ignoring leading zero bytes. */
export function modulusLength(key: RsaPublicKey): number {
  let i = 0;
  while (i < key.n.length && key.n[i] === 0) i++;
  return key.n.length - i;
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

/** RSAEP (§5.1.1): c = m^e mod n. `block` is k bytes and below n (the wrapper checks). */
export function _rsaPublicRaw(key: RsaPublicKey, block: Uint8Array): Uint8Array {
  const n = bytesToBigInt(key.n);
  return bigIntToBytes(modPow(bytesToBigInt(block), bytesToBigInt(key.e), n), modulusLength(key));
}

/** RSADP by CRT (§5.1.2, 2b): m = c^d mod n from c^dp mod p and c^dq mod q. */
export function _rsaPrivateRaw(key: RsaPrivateKey, block: Uint8Array): Uint8Array {
  const c = bytesToBigInt(block);
  const p = bytesToBigInt(key.p);
  const q = bytesToBigInt(key.q);
  const m1 = modPow(c, bytesToBigInt(key.dp), p);
  const m2 = modPow(c, bytesToBigInt(key.dq), q);
  const h = (((m1 - m2) % p) + p) % p * bytesToBigInt(key.qi) % p;
  return bigIntToBytes(m2 + h * q, modulusLength(key));
}

/** True when `block` is k bytes and, as an integer, below n (RSAEP/RSADP step 1). */
export function rsaBlockInRange(key: RsaPublicKey, block: Uint8Array): boolean {
  return block.length === modulusLength(key) && bytesToBigInt(block) < bytesToBigInt(key.n);
}

/**
 * EME-PKCS1-v1_5 encoding (§7.2.1 step 2): 0x00 ‖ 0x02 ‖ PS ‖ 0x00 ‖ M, PS non-zero random
 * bytes from `rng` (each zero drawn again), so the same seed pads the same way.
 */
export function pkcs1v15Pad(message: Uint8Array, k: number, rng: Rng): Uint8Array {
  const psLength = k - message.length - 3;
  if (psLength < MIN_PADDING) throw new RangeError(`message too long for a ${k}-byte RSA key`);
  const ps = rng.bytes(psLength);
  for (let i = 0; i < ps.length; i++) {
    while (ps[i] === 0) ps[i] = rng.bytes(1)[0]!;
  }
  const em = new Uint8Array(k);
  em[1] = 0x02;
  em.set(ps, 2);
  em.set(message, 3 + psLength);
  return em;
}

/** 0xff when a === b, else 0x00 (for bytes). */
function eqMask(a: number, b: number): number {
  const x = (a ^ b) & 0xff;
  return ((x - 1) >>> 8) & 0xff;
}

/**
 * RFC 5246 §7.4.7.1, as the server must decode the ClientKeyExchange: from the decrypted block
 * `em`, the 48-byte pre-master secret if the block is a well-formed EME-PKCS1-v1_5 encoding of
 * 48 bytes starting with `clientVersion`; otherwise `fallback` (48 random bytes the server drew
 * *before* decrypting). The caller cannot tell which it got: a wrong block shows up only later,
 * as Finished MACs that differ. Every byte of `em` is read whatever it holds; the choice is made
 * with masks.
 */
export function tlsPreMasterFromBlock(em: Uint8Array, clientVersion: readonly [number, number], fallback: Uint8Array): Uint8Array {
  const k = em.length;
  const msgLength = 48;
  let good = eqMask(em[0] ?? 1, 0x00) & eqMask(em[1] ?? 0, 0x02);
  // The separator must sit exactly before the last 48 bytes, with only non-zero padding before it.
  const separator = k - msgLength - 1;
  let paddingNonZero = 0xff;
  for (let i = 2; i < k; i++) {
    const isZero = eqMask(em[i]!, 0);
    const inPadding = -(((i - separator) >>> 31) & 1) & 0xff; // 0xff when i < separator, from the sign bit
    paddingNonZero &= ~(isZero & inPadding) & 0xff;
  }
  good &= paddingNonZero & eqMask(em[separator] ?? 1, 0x00);
  good &= separator >= 2 + MIN_PADDING ? 0xff : 0;
  good &= eqMask(em[separator + 1] ?? 0, clientVersion[0]) & eqMask(em[separator + 2] ?? 0, clientVersion[1]);
  const out = new Uint8Array(msgLength);
  for (let i = 0; i < msgLength; i++) out[i] = ((em[separator + 1 + i] ?? 0) & good) | (fallback[i]! & ~good & 0xff);
  return out;
}

/** DigestInfo prefix for SHA-256 (RFC 8017 §9.2 note 1). */
const SHA256_DIGEST_INFO = [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20];

/** EMSA-PKCS1-v1_5 (RFC 8017 §9.2) for a SHA-256 digest: 0x00 ‖ 0x01 ‖ 0xff… ‖ 0x00 ‖ DigestInfo. */
export function emsaPkcs1v15Sha256(digest: Uint8Array, k: number): Uint8Array {
  const t = [...SHA256_DIGEST_INFO, ...digest];
  if (k < t.length + 11) throw new RangeError('RSA key too short for a SHA-256 signature');
  const em = new Uint8Array(k).fill(0xff);
  em[0] = 0;
  em[1] = 1;
  em[k - t.length - 1] = 0;
  em.set(t, k - t.length);
  return em;
}
