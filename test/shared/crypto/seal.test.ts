/**
 * Encrypt-to-a-public-key (shared/src/crypto/seal.ts): ECIES-style X25519 + HKDF-SHA256 +
 * AES-256-GCM. No published vectors exist for this construction (it is not HPKE on the
 * wire), so these tests check the behaviour the game relies on: only the right secret key
 * with the right info opens the box, and every kind of tampering gives null, never a throw.
 */
import { describe, expect, it } from 'vitest';
import { openSealed, sealToPublicKey, seededRng, x25519KeyPair } from '../../../shared/src/crypto/index.ts';
import { toHex, utf8 } from '../../../shared/src/codec/bytes.ts';
import { flipped } from '../../support/flip.ts';

const rng = seededRng('seal.test');
const server = x25519KeyPair(rng.fork('server').bytes(32));
const mallory = x25519KeyPair(rng.fork('mallory').bytes(32));
const INFO = 'handshake-heist pre-master v1';
const preMaster = utf8('48 bytes of pre-master secret, for the test only');
const ephemeralSeed = rng.fork('ephemeral').bytes(32);
const nonce = rng.fork('nonce').bytes(12);
const box = sealToPublicKey(server.publicKey, preMaster, ephemeralSeed, nonce, INFO);


describe('sealToPublicKey / openSealed round trip', () => {
  it('the recipient opens the box to the original plaintext', () => {
    const opened = openSealed(server, box.ephemeralPublicKey, box.nonce, box.sealed, INFO);
    expect(opened && toHex(opened)).toBe(toHex(preMaster));
  });

  it('the ciphertext is the plaintext length plus a 16-byte tag and does not contain the plaintext', () => {
    expect(box.sealed.length).toBe(preMaster.length + 16);
    expect(toHex(box.sealed)).not.toContain(toHex(preMaster.subarray(0, 8)));
  });

  it('the ephemeral public key is the X25519 public key of the caller-supplied seed', () => {
    expect(toHex(box.ephemeralPublicKey)).toBe(toHex(x25519KeyPair(ephemeralSeed).publicKey));
    expect(toHex(box.nonce)).toBe(toHex(nonce));
  });

  it('is deterministic in its inputs, so a round replays from its seed', () => {
    const again = sealToPublicKey(server.publicKey, preMaster, ephemeralSeed, nonce, INFO);
    expect(toHex(again.sealed)).toBe(toHex(box.sealed));
  });

  it('a fresh ephemeral seed gives a different box for the same plaintext', () => {
    const other = sealToPublicKey(server.publicKey, preMaster, rng.fork('ephemeral-2').bytes(32), nonce, INFO);
    expect(toHex(other.ephemeralPublicKey)).not.toBe(toHex(box.ephemeralPublicKey));
    expect(toHex(other.sealed)).not.toBe(toHex(box.sealed));
  });

  it('seals and opens an empty plaintext', () => {
    const empty = sealToPublicKey(server.publicKey, new Uint8Array(0), ephemeralSeed, nonce, INFO);
    expect(openSealed(server, empty.ephemeralPublicKey, empty.nonce, empty.sealed, INFO)).toEqual(new Uint8Array(0));
  });
});

describe('openSealed returns null, never throws', () => {
  it('with the wrong secret key (the eavesdropper)', () => {
    expect(openSealed(mallory, box.ephemeralPublicKey, box.nonce, box.sealed, INFO)).toBeNull();
  });

  it('with a different info string', () => {
    expect(openSealed(server, box.ephemeralPublicKey, box.nonce, box.sealed, 'some other purpose')).toBeNull();
  });

  it('with one flipped byte in the ciphertext, the tag, the nonce or the ephemeral key', () => {
    expect(openSealed(server, box.ephemeralPublicKey, box.nonce, flipped(box.sealed, 0), INFO)).toBeNull();
    expect(openSealed(server, box.ephemeralPublicKey, box.nonce, flipped(box.sealed, box.sealed.length - 1), INFO)).toBeNull();
    expect(openSealed(server, box.ephemeralPublicKey, flipped(box.nonce, 5), box.sealed, INFO)).toBeNull();
    expect(openSealed(server, flipped(box.ephemeralPublicKey, 7), box.nonce, box.sealed, INFO)).toBeNull();
  });

  it('with a garbage, low-order or wrong-length ephemeral key', () => {
    const open = (eph: Uint8Array) => openSealed(server, eph, box.nonce, box.sealed, INFO);
    expect(() => open(new Uint8Array(32))).not.toThrow();
    expect(open(new Uint8Array(32))).toBeNull(); // all zeros: low order, X25519 output would be zero
    expect(open(new Uint8Array(32).fill(0xff))).toBeNull();
    expect(open(rng.bytes(32))).toBeNull();
    expect(open(new Uint8Array(31))).toBeNull();
    expect(open(new Uint8Array(0))).toBeNull();
  });

  it('with a truncated box, a wrong-length nonce or a wrong-length secret key', () => {
    expect(openSealed(server, box.ephemeralPublicKey, box.nonce, box.sealed.subarray(0, 15), INFO)).toBeNull();
    expect(openSealed(server, box.ephemeralPublicKey, box.nonce.subarray(0, 11), box.sealed, INFO)).toBeNull();
    expect(openSealed({ ...server, secretKey: server.secretKey.subarray(0, 16) }, box.ephemeralPublicKey, box.nonce, box.sealed, INFO)).toBeNull();
  });
});

describe('sealToPublicKey refuses inputs that would make a readable or malformed box', () => {
  it('a low-order (all-zero) recipient key', () => {
    expect(() => sealToPublicKey(new Uint8Array(32), preMaster, ephemeralSeed, nonce, INFO)).toThrow();
  });

  it('wrong-length key, seed or nonce', () => {
    expect(() => sealToPublicKey(server.publicKey.subarray(0, 31), preMaster, ephemeralSeed, nonce, INFO)).toThrow(RangeError);
    expect(() => sealToPublicKey(server.publicKey, preMaster, ephemeralSeed.subarray(0, 16), nonce, INFO)).toThrow(RangeError);
    expect(() => sealToPublicKey(server.publicKey, preMaster, ephemeralSeed, new Uint8Array(8), INFO)).toThrow(RangeError);
  });
});
