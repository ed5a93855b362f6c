/**
 * The two crypto backends — noble (browser, tests, default) and node:crypto (the server's OpenSSL)
 * — must be interchangeable: the same seed has to give the same packets, the same timeline and
 * the same verdict whichever one the server runs. Checked three ways:
 *   1. every published vector in test/vectors/ against each backend, through the game's wrappers;
 *   2. primitive by primitive on random and hostile inputs (wrong lengths, low-order keys, forged
 *      and crafted signatures, changed tags): same bytes, same verdict, or a throw from both;
 *   3. whole rounds of every level and every bot behaviour, byte for byte;
 * and the server process really runs on node:crypto.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ED25519_TORSION_SUBGROUP, ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import {
  ATTACKER_BEHAVIOURS,
  CA_BEHAVIOURS,
  CLIENT_BEHAVIOURS,
  LEVELS,
  aesCtr,
  aesGcmOpen,
  aesGcmSeal,
  concat,
  cryptoBackend,
  ecdsaP256Sign,
  ed25519KeyPair,
  ed25519Sign,
  ed25519Verify,
  fromHex,
  hkdfExpand,
  hkdfExtract,
  hmacSha256,
  nobleBackend,
  sha256,
  simulateRound,
  tls12KeyBlock,
  tls12MasterSecret,
  tls12Prf,
  tls13ApplicationSecrets,
  tls13FinishedVerifyData,
  tls13HandshakeSecrets,
  tls13TrafficKeys,
  toHex,
  useCryptoBackend,
  withCryptoBackend,
  viewFor,
  x25519KeyPair,
  x25519SharedSecret,
  type AttackerBehaviour,
  type BotBehaviours,
  type CryptoBackend,
  type Level,
  type Round,
} from '@heist/shared';
import { nodeCryptoBackend } from '../../server/src/crypto/node-backend.ts';
import { cryptoBackendNamed } from '../../server/src/crypto/select.ts';
import { spawnServer } from './process.ts';
import gcmVectors from '../vectors/gcm-spec-aes-256-gcm.json';
import ctrVectors from '../vectors/nist-sp800-38a-ctr-aes256.json';
import hmacVectors from '../vectors/rfc4231-hmac-sha256.json';
import hkdfVectors from '../vectors/rfc5869-hkdf-sha256.json';
import x25519Vectors from '../vectors/rfc7748-x25519.json';
import ed25519Vectors from '../vectors/rfc8032-ed25519.json';
import rfc8448 from '../vectors/rfc8448-simple-1rtt.json';
import prfVectors from '../vectors/ietf-tls-wg-tls12-prf-sha256.json';
import cavp from '../vectors/nist-cavp-tls12-kdf-sha256.json';
import { flipped } from '../support/flip.ts';

const BACKENDS: CryptoBackend[] = [nobleBackend, nodeCryptoBackend];

afterEach(() => useCryptoBackend(undefined));


/** What a call gave: its bytes (or other value) in comparable form, or the fact that it threw. */
function outcome(f: () => unknown): string {
  try {
    const v = f();
    return v instanceof Uint8Array ? `bytes ${toHex(v)}` : `value ${JSON.stringify(v)}`;
  } catch {
    return 'threw';
  }
}

/** The call under each backend; they must agree. Returns the common outcome. */
function agree(f: () => unknown): string {
  const [noble, node] = BACKENDS.map((b) => withCryptoBackend(b, () => outcome(f)));
  expect(node).toBe(noble);
  return noble!;
}

// ---------------------------------------------------------------------------------------------
// 1. Published vectors, each backend

describe.each(BACKENDS)('published vectors with the $name backend', (backend) => {
  beforeEach(() => useCryptoBackend(backend));

  it('is the backend in use', () => {
    expect(cryptoBackend()).toBe(backend);
  });

  it('RFC 7748 §5.2 X25519 function vectors, including a u with its top bit set', () => {
    for (const c of x25519Vectors.scalarMult) expect(toHex(x25519SharedSecret(fromHex(c.scalar), fromHex(c.uCoordinate)))).toBe(c.output);
  });

  it('RFC 7748 §5.2 iterated X25519, after 1 and 1,000 iterations', () => {
    let k = fromHex(x25519Vectors.iterated.start);
    let u = k;
    for (let i = 1; i <= 1000; i++) {
      [k, u] = [x25519SharedSecret(k, u), k];
      if (i === 1) expect(toHex(k)).toBe(x25519Vectors.iterated.after1);
    }
    expect(toHex(k)).toBe(x25519Vectors.iterated.after1000);
  });

  it('RFC 7748 §6.1 Diffie-Hellman: public keys, shared secret, low-order key refused', () => {
    const d = x25519Vectors.diffieHellman;
    expect(toHex(x25519KeyPair(fromHex(d.alicePrivate)).publicKey)).toBe(d.alicePublic);
    expect(toHex(x25519KeyPair(fromHex(d.bobPrivate)).publicKey)).toBe(d.bobPublic);
    expect(toHex(x25519SharedSecret(fromHex(d.alicePrivate), fromHex(d.bobPublic)))).toBe(d.sharedSecret);
    expect(toHex(x25519SharedSecret(fromHex(d.bobPrivate), fromHex(d.alicePublic)))).toBe(d.sharedSecret);
    expect(() => x25519SharedSecret(fromHex(d.alicePrivate), new Uint8Array(32))).toThrow();
  });

  it('RFC 8032 §7.1 Ed25519 TEST 1-3: public key, signature, verification, a flipped bit refused', () => {
    for (const t of ed25519Vectors.vectors) {
      const message = fromHex(t.message);
      expect(toHex(ed25519KeyPair(fromHex(t.secretKey)).publicKey)).toBe(t.publicKey);
      expect(toHex(ed25519Sign(fromHex(t.secretKey), message))).toBe(t.signature);
      expect(ed25519Verify(fromHex(t.publicKey), message, fromHex(t.signature))).toBe(true);
      expect(ed25519Verify(fromHex(t.publicKey), message, flipped(fromHex(t.signature), 10, 0x04))).toBe(false);
    }
  });

  it('GCM specification Test Cases 13-16 (AES-256): seal, open, and a changed tag refused', () => {
    for (const t of gcmVectors.vectors) {
      const aad = t.aad === '' ? undefined : fromHex(t.aad);
      expect(toHex(aesGcmSeal(fromHex(t.key), fromHex(t.iv), fromHex(t.plaintext), aad))).toBe(t.ciphertext + t.tag);
      const sealed = fromHex(t.ciphertext + t.tag);
      expect(toHex(aesGcmOpen(fromHex(t.key), fromHex(t.iv), sealed, aad)!)).toBe(t.plaintext);
      expect(aesGcmOpen(fromHex(t.key), fromHex(t.iv), flipped(sealed, -1), aad)).toBeNull();
    }
  });

  it('SP 800-38A F.5.5 CTR-AES256: four blocks from the initial counter, and back', () => {
    const v = ctrVectors;
    const plaintext = concat(...v.blocks.map((b) => fromHex(b.plaintext)));
    const ciphertext = v.blocks.map((b) => b.ciphertext).join('');
    expect(toHex(aesCtr(fromHex(v.key), fromHex(v.initialCounter), plaintext))).toBe(ciphertext);
    expect(toHex(aesCtr(fromHex(v.key), fromHex(v.initialCounter), fromHex(ciphertext)))).toBe(toHex(plaintext));
  });

  it('RFC 4231 HMAC-SHA-256 Test Cases 1-7 (keys shorter and longer than a block)', () => {
    for (const t of hmacVectors.vectors) {
      const mac = hmacSha256(fromHex(t.key), fromHex(t.data));
      expect(toHex('truncateToBytes' in t ? mac.subarray(0, t.truncateToBytes) : mac)).toBe(t.hmacSha256);
    }
  });

  it('RFC 5869 HKDF-SHA-256 Test Cases 1-3 (A.3: empty salt and info)', () => {
    for (const t of hkdfVectors.vectors) {
      expect(toHex(hkdfExtract(fromHex(t.salt), fromHex(t.ikm)))).toBe(t.prk);
      expect(toHex(hkdfExpand(fromHex(t.prk), fromHex(t.info), t.length))).toBe(t.okm);
    }
  });

  it('TLS 1.2 PRF (TLS WG P_SHA256) and the NIST CAVP master secret and key block', () => {
    const p = prfVectors.vectors[0]!;
    expect(toHex(tls12Prf(fromHex(p.secret), p.label, fromHex(p.seed), 100))).toBe(p.output);
    const m = cavp.masterSecret;
    expect(toHex(tls12MasterSecret(fromHex(m.preMasterSecret), fromHex(m.clientRandom), fromHex(m.serverRandom)))).toBe(m.masterSecret);
    const k = cavp.keyBlock;
    const keys = tls12KeyBlock(fromHex(k.masterSecret), fromHex(k.clientRandom), fromHex(k.serverRandom), 16, 4);
    expect(toHex(concat(keys.clientWriteKey, keys.serverWriteKey, keys.clientWriteIv, keys.serverWriteIv))).toBe(k.keyBlock.slice(0, 80));
  });

  it('RFC 8448 §3: (EC)DHE secret, every secret of the key schedule, traffic keys and Finished', () => {
    const v = rfc8448;
    const m = v.messages;
    const hash = (...parts: string[]) => sha256(concat(...parts.map(fromHex)));
    const client = x25519KeyPair(fromHex(v.clientPrivateKey));
    expect(toHex(client.publicKey)).toBe(v.clientPublicKey);
    const shared = x25519SharedSecret(client.secretKey, fromHex(v.serverPublicKey));
    expect(toHex(shared)).toBe(v.ecdheSharedSecret);
    const hs = tls13HandshakeSecrets(shared, hash(m.clientHello, m.serverHello));
    expect(toHex(hs.handshakeSecret)).toBe(v.handshakeSecret);
    expect(toHex(hs.clientHandshakeTrafficSecret)).toBe(v.clientHandshakeTrafficSecret);
    expect(toHex(hs.serverHandshakeTrafficSecret)).toBe(v.serverHandshakeTrafficSecret);
    const handshakeHash = hash(m.clientHello, m.serverHello, m.encryptedExtensions, m.certificate, m.certificateVerify, m.serverFinished);
    expect(toHex(handshakeHash)).toBe(v.handshakeHash);
    const app = tls13ApplicationSecrets(hs.handshakeSecret, handshakeHash);
    expect(toHex(app.masterSecret)).toBe(v.masterSecret);
    expect(toHex(app.clientApplicationTrafficSecret)).toBe(v.clientApplicationTrafficSecret);
    expect(toHex(app.serverApplicationTrafficSecret)).toBe(v.serverApplicationTrafficSecret);
    const serverKeys = tls13TrafficKeys(hs.serverHandshakeTrafficSecret);
    expect(toHex(serverKeys.key)).toBe(v.serverHandshakeKey);
    expect(toHex(serverKeys.iv)).toBe(v.serverHandshakeIv);
    const serverFinished = tls13FinishedVerifyData(hs.serverHandshakeTrafficSecret, hash(m.clientHello, m.serverHello, m.encryptedExtensions, m.certificate, m.certificateVerify));
    expect(toHex(serverFinished)).toBe(m.serverFinished.slice(8));
  });

  it('gives plain Uint8Arrays that own their bytes (a Buffer slice would share memory)', () => {
    const outputs = [
      sha256(new Uint8Array(3)),
      hmacSha256(new Uint8Array(5), new Uint8Array(3)),
      hkdfExpand(new Uint8Array(32), new Uint8Array(0), 40),
      aesGcmSeal(new Uint8Array(16), new Uint8Array(12), new Uint8Array(20)),
      aesGcmOpen(new Uint8Array(16), new Uint8Array(12), aesGcmSeal(new Uint8Array(16), new Uint8Array(12), new Uint8Array(20)))!,
      aesCtr(new Uint8Array(32), new Uint8Array(16), new Uint8Array(20)),
      x25519KeyPair(new Uint8Array(32).fill(1)).publicKey,
      ed25519KeyPair(new Uint8Array(32).fill(1)).publicKey,
      ed25519Sign(new Uint8Array(32).fill(1), new Uint8Array(3)),
    ];
    for (const out of outputs) {
      expect(Object.getPrototypeOf(out)).toBe(Uint8Array.prototype);
      expect(out.byteOffset).toBe(0);
      expect(out.buffer.byteLength).toBe(out.length);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// 2. Primitive by primitive, random and hostile inputs

const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });
const key32 = bytes(32, 32);
const P = 2n ** 255n - 19n;
const L = ed25519.Point.Fn.ORDER;

function le32(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++, n >>= 8n) out[i] = Number(n & 0xffn);
  return out;
}
function numberLe(b: Uint8Array): bigint {
  let n = 0n;
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]!);
  return n;
}
function withTopBit(b: Uint8Array): Uint8Array {
  const out = b.slice();
  out[31]! |= 0x80;
  return out;
}

/** X25519 u-coordinates of small order (RFC 7748 §6.1 "all-zero" cases), canonical and not. */
const LOW_ORDER_U = [
  0n,
  1n,
  P - 1n,
  325606250916557431795983626356110631294008115727848805560023387167927233504n,
  39382357235489614581723060781553021112529911719440698176882885853963445705823n,
].flatMap((u) => [le32(u), withTopBit(le32(u)), ...(u + P < 2n ** 255n ? [le32(u + P)] : [])]);

const x25519Peer = fc.oneof(
  key32,
  key32.map(withTopBit),
  fc.constantFrom(...LOW_ORDER_U),
  fc.bigInt({ min: P, max: 2n ** 255n - 1n }).map(le32), // non-canonical u ≥ p
  key32.map((sk) => withCryptoBackend(nobleBackend, () => x25519KeyPair(sk).publicKey)),
  bytes(0, 40), // wrong lengths
);

describe('both backends agree on every primitive, for random and hostile inputs', () => {
  it('X25519 key pairs from any seed (and a throw for a short one)', () => {
    fc.assert(fc.property(fc.oneof(key32, bytes(0, 40)), (seed) => void agree(() => x25519KeyPair(seed).publicKey)), { numRuns: 100 });
  });

  it('X25519 shared secrets with random, low-order, non-canonical and wrong-length peer keys', () => {
    let threw = 0;
    let gave = 0;
    fc.assert(
      fc.property(fc.oneof(key32, bytes(0, 40)), x25519Peer, (sk, peer) => {
        if (agree(() => x25519SharedSecret(sk, peer)) === 'threw') threw++;
        else gave++;
      }),
      { numRuns: 200 },
    );
    expect(threw).toBeGreaterThan(10);
    expect(gave).toBeGreaterThan(10);
  });

  it('low-order X25519 peer keys throw in both, never an all-zero secret', () => {
    const sk = new Uint8Array(32).fill(0x42);
    for (const u of LOW_ORDER_U) for (const b of BACKENDS) expect(() => withCryptoBackend(b, () => x25519SharedSecret(sk, u))).toThrow();
  });

  it('Ed25519 key pairs and signatures: the same bytes', () => {
    fc.assert(
      fc.property(fc.oneof(key32, bytes(0, 40)), bytes(0, 300), (sk, message) => {
        agree(() => ed25519KeyPair(sk).publicKey);
        agree(() => ed25519Sign(sk, message));
      }),
      { numRuns: 100 },
    );
  });

  it('Ed25519 verification: the same verdict for honest, forged, malformed and crafted signatures', () => {
    const verdicts = { true: 0, false: 0 };
    fc.assert(
      fc.property(ed25519Case, ({ publicKey, message, signature }) => {
        const v = agree(() => ed25519Verify(publicKey, message, signature));
        expect(v === 'value true' || v === 'value false').toBe(true); // never a throw
        verdicts[v === 'value true' ? 'true' : 'false']++;
      }),
      { numRuns: 400 },
    );
    expect(verdicts.true).toBeGreaterThan(40);
    expect(verdicts.false).toBeGreaterThan(40);
  });

  it('ECDSA P-256 signatures: the same bytes (RFC 6979\'s k) for any key in range and any message, and a throw from both for a key out of range', () => {
    const n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
    const be32 = (v: bigint) => fromHex(v.toString(16).padStart(64, '0'));
    const edgeKeys = [1n, 2n, n - 1n, n, n + 1n, 0n, 2n ** 256n - 1n].map(be32);
    let signed = 0;
    fc.assert(
      fc.property(fc.oneof(key32, fc.constantFrom(...edgeKeys)), bytes(0, 300), (sk, message) => {
        const signature = agree(() => ecdsaP256Sign(sk, message));
        if (signature === 'threw') return;
        signed++;
        // and OpenSSL's own verifier (node:crypto's verify) accepts it
        expect(nodeCryptoBackend.ecdsaP256Verify(nodeCryptoBackend.p256PublicKey(sk), message, fromHex(signature.slice('bytes '.length)))).toBe(true);
      }),
      // Fixed: about 214 of 300 draws sign (half are edge keys, 4 of 7 of them out of range), so an
      // unseeded run fell under the 200 below now and then (198 once) with nothing wrong; this sample signs 216.
      { numRuns: 300, seed: 20261205 },
    );
    expect(signed).toBeGreaterThan(200);
    for (const sk of edgeKeys.slice(3)) for (const b of BACKENDS) expect(() => withCryptoBackend(b, () => ecdsaP256Sign(sk, new Uint8Array(1)))).toThrow();
  });

  it("a signature whose R has a small-order part: noble's stock ZIP 215 rule accepts it, OpenSSL refuses it, so both backends refuse it", () => {
    const c = mixedOrderR(5n, 77n, 1, new Uint8Array([1, 2, 3]));
    expect(ed25519.verify(c.signature, c.message, c.publicKey)).toBe(true); // why the noble backend does not call it
    for (const b of BACKENDS) expect(withCryptoBackend(b, () => ed25519Verify(c.publicKey, c.message, c.signature))).toBe(false);
  });

  it('one array reused for other key bytes, and keys pushed out of the KeyObject cache, still give each key its own result', () => {
    const key = new Uint8Array(32).fill(7);
    const message = new Uint8Array([1, 2, 3]);
    const first = withCryptoBackend(nobleBackend, () => ed25519Sign(key, message));
    expect(withCryptoBackend(nodeCryptoBackend, () => toHex(ed25519Sign(key, message)))).toBe(toHex(first));
    key[0] = 8; // same array, different key
    const second = withCryptoBackend(nobleBackend, () => ed25519Sign(key, message));
    expect(toHex(second)).not.toBe(toHex(first));
    expect(withCryptoBackend(nodeCryptoBackend, () => toHex(ed25519Sign(key, message)))).toBe(toHex(second));
    // More distinct keys than the cache holds, then the first again.
    const seeds = Array.from({ length: 1100 }, (_, i) => sha256(new Uint8Array([i >> 8, i & 0xff])));
    const expected = withCryptoBackend(nobleBackend, () => x25519KeyPair(seeds[0]!).publicKey);
    withCryptoBackend(nodeCryptoBackend, () => {
      for (const seed of seeds) x25519KeyPair(seed);
      expect(toHex(x25519KeyPair(seeds[0]!).publicKey)).toBe(toHex(expected));
    });
  });

  it('SHA-256 and HMAC-SHA-256 for any data, keys from empty to longer than a block', () => {
    fc.assert(
      fc.property(bytes(0, 200), bytes(0, 150), (key, data) => {
        agree(() => sha256(data));
        agree(() => hmacSha256(key, data));
      }),
      { numRuns: 150 },
    );
  });

  it('HKDF Extract and Expand, including long info, every length up to the limit, and refused requests', () => {
    fc.assert(
      fc.property(
        bytes(0, 80),
        bytes(0, 80),
        fc.oneof(bytes(32, 64), bytes(0, 31)),
        fc.oneof(bytes(0, 40), bytes(1025, 1100)),
        fc.oneof(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 255 * 32 }), fc.constantFrom(255 * 32, 255 * 32 + 1, -1, 1.5)),
        (salt, ikm, prk, info, length) => {
          agree(() => hkdfExtract(salt, ikm));
          agree(() => hkdfExpand(prk, info, length));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('AES-CTR: the same keystream for any key, counter block and length (a counter near its wrap included)', () => {
    const aesKey = fc.oneof(bytes(16, 16), bytes(24, 24), bytes(32, 32), bytes(0, 40));
    const counter = fc.oneof(bytes(16, 16), fc.constant(new Uint8Array(16).fill(0xff)), bytes(0, 20));
    fc.assert(
      fc.property(aesKey, counter, bytes(0, 300), (key, iv, data) => {
        agree(() => aesCtr(key, iv, data));
      }),
      { numRuns: 300 },
    );
  });

  it('AES-GCM seal and open: the same boxes, and the same null for any changed, cut or misplaced byte', () => {
    const aesKey = fc.oneof(bytes(16, 16), bytes(24, 24), bytes(32, 32), bytes(0, 40));
    const nonce = fc.oneof(bytes(12, 12), bytes(0, 40));
    const aad = fc.option(bytes(0, 60), { nil: undefined });
    const change = fc.record({ kind: fc.constantFrom('none', 'flip', 'cut', 'key', 'nonce', 'aad'), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) });
    let opened = 0;
    let refused = 0;
    fc.assert(
      fc.property(aesKey, nonce, bytes(0, 300), aad, change, (key, iv, plaintext, ad, c) => {
        const sealed = agree(() => aesGcmSeal(key, iv, plaintext, ad));
        if (sealed === 'threw') return;
        let box = fromHex(sealed.slice('bytes '.length));
        let [k, n, a] = [key, iv, ad];
        const flip = (b: Uint8Array) => {
          const out = b.slice();
          if (out.length) out[c.at % out.length]! ^= 1 << c.bit;
          return out;
        };
        if (c.kind === 'flip') box = flip(box);
        if (c.kind === 'cut') box = box.subarray(0, c.at % (box.length + 1));
        if (c.kind === 'key') k = flip(k);
        if (c.kind === 'nonce') n = flip(n);
        if (c.kind === 'aad') a = a?.length ? flip(a) : new Uint8Array([1]);
        const result = agree(() => aesGcmOpen(k, n, box, a));
        expect(result).not.toBe('threw');
        if (result === 'value null') refused++;
        else {
          opened++;
          if (c.kind === 'none') expect(result).toBe(`bytes ${toHex(plaintext)}`);
        }
      }),
      { numRuns: 600, seed: 20261201 }, // fixed: the counts below are about this sample, not luck
    );
    expect(opened).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  });
});

// Ed25519 cases. A signer's scalar `a` is used directly (A = [a]B), so the test can build
// signatures no honest signer would: with small-order parts in R or A, or an S out of range.

const torsion = ED25519_TORSION_SUBGROUP.map((h) => ed25519.Point.fromHex(h));
const B = ed25519.Point.BASE;
const challenge = (r: Uint8Array, a: Uint8Array, m: Uint8Array) => numberLe(sha512(concat(r, a, m))) % L;
const scalar = fc.bigInt({ min: 1n, max: L - 1n });
/** y = p + k (k < 19: y ≡ k, where k = 0 and k = 1 are points) and x = 0 with the sign bit set (y = 1, y = p − 1). */
const NON_CANONICAL_SMALL_ORDER = [le32(P), le32(P + 1n), withTopBit(le32(P)), withTopBit(le32(P + 1n)), withTopBit(le32(1n)), withTopBit(le32(P - 1n))];

function signWith(a: bigint, r: bigint, message: Uint8Array, rTorsion = 0, aTorsion = 0) {
  const publicKey = B.multiply(a).add(torsion[aTorsion]!).toBytes();
  const R = B.multiply(r).add(torsion[rTorsion]!).toBytes();
  const s = (r + challenge(R, publicKey, message) * a) % L;
  return { publicKey, message, signature: concat(R, le32(s)) };
}
function mixedOrderR(a: bigint, r: bigint, t: number, message: Uint8Array) {
  return signWith(a, r, message, t, 0);
}

const ed25519Case = fc.oneof(
  // honest, by the real signer
  fc.tuple(key32, bytes(0, 100)).map(([sk, message]) =>
    withCryptoBackend(nobleBackend, () => ({ publicKey: ed25519KeyPair(sk).publicKey, message, signature: ed25519Sign(sk, message) })),
  ),
  // honest, then one bit changed in the key, the message or the signature
  fc.tuple(key32, bytes(1, 100), fc.nat(), fc.integer({ min: 0, max: 7 }), fc.constantFrom('publicKey', 'message', 'signature')).map(([sk, message, at, bit, where]) => {
    const c = withCryptoBackend(nobleBackend, () => ({ publicKey: ed25519KeyPair(sk).publicKey, message, signature: ed25519Sign(sk, message) }));
    const target = c[where as 'publicKey' | 'message' | 'signature'].slice();
    target[at % target.length]! ^= 1 << bit;
    return { ...c, [where]: target };
  }),
  // a scalar signer, with small-order parts in R, in A, or both
  fc.tuple(scalar, scalar, bytes(0, 50), fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 7 })).map(([a, r, m, tr, ta]) => signWith(a, r, m, tr, ta)),
  // a small-order public key, with R = [s]B (the cofactored and cofactorless rules split on k mod 8)
  fc.tuple(fc.integer({ min: 0, max: 7 }), scalar, bytes(0, 50)).map(([t, s, message]) => ({
    publicKey: torsion[t]!.toBytes(),
    message,
    signature: concat(B.multiply(s).toBytes(), le32(s)),
  })),
  // non-canonical encodings of small-order points as A (y ≥ p, or the sign bit set with x = 0)
  fc.tuple(scalar, bytes(0, 50), fc.constantFrom(...NON_CANONICAL_SMALL_ORDER)).map(([s, message, publicKey]) => ({
    publicKey,
    message,
    signature: concat(B.multiply(s).toBytes(), le32(s)),
  })),
  // S + L: the same equation, out of range
  fc.tuple(scalar, scalar, bytes(0, 50)).map(([a, r, m]) => {
    const c = signWith(a, r, m);
    const s = numberLe(c.signature.subarray(32)) + L;
    return { ...c, signature: concat(c.signature.subarray(0, 32), le32(s)) };
  }),
  // R encoded non-canonically (the identity as y = 1 + p) with A = identity and S = 0
  bytes(0, 50).map((message) => ({ publicKey: le32(1n), message, signature: concat(le32(1n + P), le32(0n)) })),
  // random bytes, and wrong lengths
  fc.record({ publicKey: key32, message: bytes(0, 50), signature: bytes(64, 64) }),
  fc.record({ publicKey: bytes(0, 40), message: bytes(0, 50), signature: bytes(0, 80) }),
);

// ---------------------------------------------------------------------------------------------
// 3. Whole rounds

/** Everything a round holds, with bytes as hex and Maps as entries (the Rng streams are functions, left out). */
function snapshot(round: Round): string {
  return JSON.stringify(round, (_key, value: unknown) => {
    if (value instanceof Uint8Array) return `hex:${toHex(value)}`;
    if (typeof value === 'bigint') return `bigint:${value}`; // certificate serials
    if (value instanceof Map) return [...value.entries()];
    return value;
  });
}

interface Played {
  packets: string[];
  timeline: Round['timeline'];
  result: Round['result'];
  views: unknown[];
  whole: string;
  calls: number;
}

/** A backend that counts its calls, to prove the round really ran on it. */
function counting(backend: CryptoBackend): { backend: CryptoBackend; calls: () => number } {
  let calls = 0;
  const counted = Object.fromEntries(
    Object.entries(backend).map(([k, v]) => [k, typeof v === 'function' ? (...args: unknown[]) => (calls++, (v as (...a: unknown[]) => unknown)(...args)) : v]),
  ) as unknown as CryptoBackend;
  return { backend: counted, calls: () => calls };
}

function play(backend: CryptoBackend, level: Level, bots: BotBehaviours, seed: string): Played {
  const c = counting(backend);
  const { round } = withCryptoBackend(c.backend, () => simulateRound(level, bots, seed));
  return {
    packets: round.packets.map((p) => `${p.id} ${p.from}→${p.to} (${p.apparentFrom}→${p.apparentTo}) ${p.path} ${p.status} ${p.origin} ${p.sentAt}-${p.arriveAt} ${toHex(p.bytes)}`),
    timeline: round.timeline,
    result: round.result,
    views: (['client', 'server', 'ca', 'attacker'] as const).map((role) => viewFor(round, role)),
    whole: snapshot(round),
    calls: c.calls(),
  };
}

function expectSameRound(level: Level, bots: BotBehaviours, seed: string): void {
  const noble = play(nobleBackend, level, bots, seed);
  const node = play(nodeCryptoBackend, level, bots, seed);
  expect(noble.calls).toBeGreaterThan(0);
  expect(node.calls).toBeGreaterThan(0);
  expect(noble.result).toBeDefined();
  expect(noble.packets.length).toBeGreaterThan(0);
  expect(node.packets).toEqual(noble.packets);
  expect(node.timeline).toEqual(noble.timeline);
  expect(node.result).toEqual(noble.result);
  expect(node.views).toEqual(noble.views);
  expect(node.whole).toBe(noble.whole);
}

// Every attacker behaviour at every level, against both kinds of defender: the careful client with
// the strict CA (every check run, every signature verified) and the careless client with the
// sloppy CA (checks skipped, Mallory's requests signed). The crypto a round calls depends on the
// attack and on which checks run, and these two pairs run them all; the mixed pairs call the same
// primitives on other inputs, which the seeded rounds below and the primitive comparisons above
// cover (the full cross took twice the time for no primitive the two pairs miss).
const DEFENDERS = [
  { client: 'careful', ca: 'strict' },
  { client: 'careless', ca: 'sloppy' },
] as const satisfies readonly { client: (typeof CLIENT_BEHAVIOURS)[number]; ca: (typeof CA_BEHAVIOURS)[number] }[];

describe('whole rounds are byte-identical with either backend', () => {
  for (const level of LEVELS) {
    it(`level ${level}: every attacker behaviour, against careful defenders and careless ones, one seed each`, () => {
      for (const attacker of ATTACKER_BEHAVIOURS)
        for (const { client, ca } of DEFENDERS) expectSameRound(level, { client, server: 'standard', ca, attacker }, `backends ${level} ${attacker} ${client} ${ca}`);
    });
  }

  it('many seeded rounds of random level and behaviours', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...LEVELS),
        fc.constantFrom(...ATTACKER_BEHAVIOURS),
        fc.constantFrom(...CLIENT_BEHAVIOURS),
        fc.constantFrom(...CA_BEHAVIOURS),
        fc.string({ minLength: 1, maxLength: 24 }),
        (level: Level, attacker: AttackerBehaviour, client, ca, seed) => expectSameRound(level, { client, server: 'standard', ca, attacker }, seed),
      ),
      { numRuns: 40 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// 4. The server installs node:crypto

describe('the server process', () => {
  it('runs the engine on node:crypto when started as npm start does', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heist-crypto-'));
    const server = await spawnServer({ DB_PATH: path.join(dir, 'heist.db'), CRYPTO_BACKEND: '' });
    try {
      expect(server.output.join('')).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+ \(crypto: node:crypto\)/);
    } finally {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('CRYPTO_BACKEND picks noble or node, and a misspelt name stops the start instead of falling back', () => {
    expect(cryptoBackendNamed(undefined)).toBe(nodeCryptoBackend);
    expect(cryptoBackendNamed('node')).toBe(nodeCryptoBackend);
    expect(cryptoBackendNamed('noble')).toBe(nobleBackend);
    expect(() => cryptoBackendNamed('openssl')).toThrow(/CRYPTO_BACKEND must be one of node, noble, got "openssl"/);
  });
});
