/**
 * ECDSA P-256 with SHA-256 (FIPS 186-5 §6.4.1) and RFC 6979's deterministic k, with the curve
 * work on OpenSSL. node:crypto's `sign` draws k at random (OpenSSL 3.0 has no deterministic
 * mode, and Node 20 exposes none), but the engine needs RFC 6979's k so that a seed replays the
 * same signature bytes (crypto/backend.ts; seeded rounds, `npm run capture`). So k is derived
 * here exactly as RFC 6979 §3.2 says, with node's HMAC-SHA-256; R = k·G is the one scalar
 * multiplication, done by OpenSSL through `createECDH` (k as a private key, R as its public
 * key); r and s are a few BigInt operations mod n. The same bytes as noble's `p256.sign` with
 * lowS off (checked by test/shared/crypto/p256-ecdsa-ecdh.test.ts on RFC 6979 §A.2.5 and by
 * test/server/crypto-backends.test.ts on random keys and messages), about ten times faster
 * (docs/benchmarks.md).
 *
 * Not constant-time (BigInt arithmetic): these are the game's teaching keys, made and used in one
 * round, not the server's own secrets.
 */
import { createECDH, createHmac, createHash } from 'node:crypto';

/** The order n of P-256's base point (FIPS 186-5 / SEC 2 §2.4.2). */
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const BYTES = 32;

const toBigInt = (b: Uint8Array) => BigInt(`0x${Buffer.from(b).toString('hex') || '0'}`);
/** RFC 6979 §2.3.3 int2octets: big-endian, exactly 32 bytes. */
const int2octets = (v: bigint) => Buffer.from(v.toString(16).padStart(BYTES * 2, '0'), 'hex');
const hmac = (key: Uint8Array, ...parts: Uint8Array[]) => {
  const h = createHmac('sha256', key);
  for (const p of parts) h.update(p);
  return h.digest();
};
const mod = (a: bigint) => ((a % N) + N) % N;

/** a⁻¹ mod n by the extended Euclidean algorithm (n is prime, 0 < a < n). */
function invert(a: bigint): bigint {
  let [r0, r1, s0, s1] = [N, a, 0n, 1n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return mod(s0);
}

/** x of k·G, by OpenSSL: k as an ECDH private key, k·G as its public key (SEC 1 uncompressed, 04 ‖ x ‖ y). */
function xOfMultipleOfG(k: bigint): bigint {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(int2octets(k));
  return toBigInt(ecdh.getPublicKey().subarray(1, 1 + BYTES));
}

/** A DER INTEGER (X.690 §8.3): minimal, with a leading zero when the top bit is set. */
function derInteger(v: bigint): Buffer {
  let bytes = int2octets(v);
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  bytes = bytes.subarray(start);
  if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
}

/** The DER signature (RFC 5480 §2.2 Ecdsa-Sig-Value) of SHA-256(message) under the 32-byte secret scalar. */
export function ecdsaP256SignRfc6979(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  const d = toBigInt(secretKey);
  if (secretKey.length !== BYTES || d < 1n || d >= N) throw new Error('P-256 secret key out of range');
  const h1 = createHash('sha256').update(message).digest();
  // qlen = hlen = 256: bits2int(h1) is h1 as an integer; bits2octets reduces it mod n (§2.3.4).
  const z = toBigInt(h1);
  const x = int2octets(d);
  const h1Octets = int2octets(mod(z));
  // §3.2 b–g.
  let v: Buffer = Buffer.alloc(BYTES, 0x01);
  let key: Buffer = Buffer.alloc(BYTES, 0x00);
  key = hmac(key, v, Buffer.from([0x00]), x, h1Octets);
  v = hmac(key, v);
  key = hmac(key, v, Buffer.from([0x01]), x, h1Octets);
  v = hmac(key, v);
  // §3.2 h: candidates until one gives a valid k with r ≠ 0 and s ≠ 0 (noble's loop, the same order).
  for (;;) {
    v = hmac(key, v);
    const k = toBigInt(v);
    if (k >= 1n && k < N) {
      const r = mod(xOfMultipleOfG(k));
      if (r !== 0n) {
        const s = mod(invert(k) * mod(z + r * d));
        if (s !== 0n) {
          const body = Buffer.concat([derInteger(r), derInteger(s)]);
          return new Uint8Array(Buffer.concat([Buffer.from([0x30, body.length]), body]));
        }
      }
    }
    key = hmac(key, v, Buffer.from([0x00]));
    v = hmac(key, v);
  }
}
