/** RFC 8032 §7.1 Ed25519 TEST 1-3 through the game's wrappers: keys, signatures, verification. */
import { describe, expect, it } from 'vitest';
import { ed25519KeyPair, ed25519Sign, ed25519Verify } from '../../../shared/src/crypto/index.ts';
import { fromHex, toHex } from '../../../shared/src/codec/bytes.ts';
import v from '../../vectors/rfc8032-ed25519.json';
import { flipped } from '../../support/flip.ts';

describe('RFC 8032 §7.1 Ed25519', () => {
  for (const t of v.vectors) {
    describe(t.name, () => {
      const secretKey = fromHex(t.secretKey);
      const message = fromHex(t.message);

      it('derives the public key from the secret key', () => {
        expect(toHex(ed25519KeyPair(secretKey).publicKey)).toBe(t.publicKey);
      });

      it('signs deterministically to the published signature', () => {
        expect(toHex(ed25519Sign(secretKey, message))).toBe(t.signature);
      });

      it('verifies the published signature', () => {
        expect(ed25519Verify(fromHex(t.publicKey), message, fromHex(t.signature))).toBe(true);
      });

      it('rejects a changed message, a flipped signature bit and the wrong key, without throwing', () => {
        const signature = fromHex(t.signature);
        expect(ed25519Verify(fromHex(t.publicKey), new Uint8Array([...message, 0x00]), signature)).toBe(false);
        expect(ed25519Verify(fromHex(t.publicKey), message, flipped(signature, 0))).toBe(false);
        const otherKey = fromHex(v.vectors.find((o) => o !== t)!.publicKey);
        expect(ed25519Verify(otherKey, message, signature)).toBe(false);
        expect(ed25519Verify(fromHex(t.publicKey), message, signature.subarray(0, 63))).toBe(false);
      });
    });
  }
});
