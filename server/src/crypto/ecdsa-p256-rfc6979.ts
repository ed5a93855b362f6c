/**
 * ECDSA P-256 with SHA-256 (FIPS 186-5 §6.4.1) and RFC 6979's deterministic k, DER-encoded
 * (RFC 5480 §2.2), byte for byte what noble's `p256.sign(message, key, { lowS: false })`
 * returns — on OpenSSL's curve arithmetic. Node 20's OpenSSL 3.0 signs only with a random k,
 * and the engine needs RFC 6979's so a seed replays the same signatures; so k is drawn here by
 * RFC 6979 §3.2's HMAC-DRBG (node:crypto's HMAC-SHA256), k·G is computed by OpenSSL through
 * `createECDH` (a scalar in, the point out: the one costly step), and the two scalar
 * operations mod n are BigInt. About a tenth of noble's time (docs/benchmarks.md); the crypto
 * backends test checks it against noble and RFC 6979's own vectors.
 */
import { createECDH, createHash, createHmac } from 'node:crypto';

/** The order of P-256's base point (SEC 2 §2.4.2). */
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

const toInt = (b: Uint8Array): bigint => BigInt(`0x${Buffer.from(b).toString('hex') || '0'}`);
const to32 = (n: bigint): Buffer => Buffer.from(n.toString(16).padStart(64, '0'), 'hex');

function hmac(key: Uint8Array, ...parts: Uint8Array[]): Buffer {
  const h = createHmac('sha256', key);
  for (const p of parts) h.update(p);
  return h.digest();
}

/** x⁻¹ mod N by the extended Euclidean algorithm (N is prime, 0 < x < N). */
function inverse(x: bigint): bigint {
  let [a, b, u, v] = [x, N, 1n, 0n];
  while (b !== 0n) {
    const q = a / b;
    [a, b] = [b, a - q * b];
    [u, v] = [v, u - q * v];
  }
  return ((u % N) + N) % N;
}

/** A DER INTEGER for a positive scalar: minimal, with a 0x00 when its top bit is set. */
function derInteger(n: bigint): Buffer {
  let bytes = Buffer.from(n.toString(16).padStart(64, '0'), 'hex');
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  bytes = bytes.subarray(start);
  if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
}

export function ecdsaP256SignRfc6979(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  const d = toInt(secretKey);
  // bits2int(H(m)) mod n: with a 256-bit hash and a 256-bit n, the hash as a number (RFC 6979 §2.3.2-2.3.4).
  const e = toInt(createHash('sha256').update(message).digest()) % N;
  const seed = Buffer.concat([to32(d), to32(e)]);
  // §3.2 b-g: V = 0x01…, K = 0x00…, then two rounds keyed with the secret and the hash.
  let v: Uint8Array = Buffer.alloc(32, 1);
  let k: Uint8Array = Buffer.alloc(32, 0);
  k = hmac(k, v, Buffer.from([0]), seed);
  v = hmac(k, v);
  k = hmac(k, v, Buffer.from([1]), seed);
  v = hmac(k, v);
  const curve = createECDH('prime256v1');
  for (;;) {
    v = hmac(k, v); // §3.2 h.2: T = V (one block is qlen bits)
    const nonce = toInt(v);
    if (nonce >= 1n && nonce < N) {
      curve.setPrivateKey(to32(nonce));
      const point = curve.getPublicKey(); // k·G, uncompressed: 04 ‖ x ‖ y
      const r = toInt(point.subarray(1, 33)) % N;
      const s = r === 0n ? 0n : (inverse(nonce) * ((e + r * d) % N)) % N;
      if (s !== 0n) {
        const body = Buffer.concat([derInteger(r), derInteger(s)]);
        return new Uint8Array(Buffer.concat([Buffer.from([0x30, body.length]), body]));
      }
    }
    // §3.2 h.3: not a usable k; step on.
    k = hmac(k, v, Buffer.from([0]));
    v = hmac(k, v);
  }
}
