/**
 * RFC 7748 X25519 through the game's wrappers: §5.2 function vectors (including the
 * iterated test up to 1,000) and the §6.1 Diffie-Hellman example.
 */
import { describe, expect, it } from 'vitest';
import { x25519KeyPair, x25519SharedSecret } from '../../../shared/src/crypto/index.ts';
import { fromHex, toHex } from '../../../shared/src/codec/bytes.ts';
import v from '../../vectors/rfc7748-x25519.json';

describe('RFC 7748 §5.2 X25519 function', () => {
  v.scalarMult.forEach((c, i) => {
    it(`vector ${i + 1}: scalar × u-coordinate`, () => {
      expect(toHex(x25519SharedSecret(fromHex(c.scalar), fromHex(c.uCoordinate)))).toBe(c.output);
    });
  });

  it('iterated: k = X25519(k, u), u = old k, starting from 9, after 1 and after 1,000 iterations', () => {
    // The 1,000,000-iteration checkpoint of §5.2 is left out: it takes minutes.
    let k = fromHex(v.iterated.start);
    let u = fromHex(v.iterated.start);
    for (let i = 1; i <= 1000; i++) {
      const next = x25519SharedSecret(k, u);
      u = k;
      k = next;
      if (i === 1) expect(toHex(k)).toBe(v.iterated.after1);
    }
    expect(toHex(k)).toBe(v.iterated.after1000);
  });
});

describe('RFC 7748 §6.1 Diffie-Hellman', () => {
  const d = v.diffieHellman;

  it("derives Alice's and Bob's public keys from their private keys", () => {
    expect(toHex(x25519KeyPair(fromHex(d.alicePrivate)).publicKey)).toBe(d.alicePublic);
    expect(toHex(x25519KeyPair(fromHex(d.bobPrivate)).publicKey)).toBe(d.bobPublic);
  });

  it('both sides reach the same shared secret K', () => {
    expect(toHex(x25519SharedSecret(fromHex(d.alicePrivate), fromHex(d.bobPublic)))).toBe(d.sharedSecret);
    expect(toHex(x25519SharedSecret(fromHex(d.bobPrivate), fromHex(d.alicePublic)))).toBe(d.sharedSecret);
  });

  it('refuses the all-zero (low-order) peer key whose shared secret would be all zeros', () => {
    expect(() => x25519SharedSecret(fromHex(d.alicePrivate), new Uint8Array(32))).toThrow();
  });
});
