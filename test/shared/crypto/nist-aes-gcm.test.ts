/**
 * AES-256-GCM (NIST SP 800-38D) through the game's wrappers, against Test Cases 13-16 of the
 * GCM specification (McGrew & Viega), the AES-256 cases with a 96-bit IV; 16 has AAD.
 */
import { describe, expect, it } from 'vitest';
import { aesGcmOpen, aesGcmSeal } from '../../../shared/src/crypto/index.ts';
import { fromHex, toHex } from '../../../shared/src/codec/bytes.ts';
import v from '../../vectors/gcm-spec-aes-256-gcm.json';
import { flipped } from '../../support/flip.ts';

const aadOf = (hex: string) => (hex === '' ? undefined : fromHex(hex));

describe('GCM specification AES-256 test cases', () => {
  for (const t of v.vectors) {
    describe(t.name, () => {
      it('seals to ciphertext followed by the tag', () => {
        const sealed = aesGcmSeal(fromHex(t.key), fromHex(t.iv), fromHex(t.plaintext), aadOf(t.aad));
        expect(toHex(sealed)).toBe(t.ciphertext + t.tag);
      });

      it('opens back to the plaintext', () => {
        const opened = aesGcmOpen(fromHex(t.key), fromHex(t.iv), fromHex(t.ciphertext + t.tag), aadOf(t.aad));
        expect(opened && toHex(opened)).toBe(t.plaintext);
      });
    });
  }
});

describe('GCM authentication: a changed byte is refused, not decrypted (SP 800-38D §7.2)', () => {
  const t = v.vectors.find((x) => x.name === 'Test Case 16')!;
  const key = fromHex(t.key);
  const iv = fromHex(t.iv);
  const aad = fromHex(t.aad);
  const sealed = fromHex(t.ciphertext + t.tag);

  it('refuses a modified tag', () => {
    expect(aesGcmOpen(key, iv, flipped(sealed, -1), aad)).toBeNull();
  });

  it('refuses a modified ciphertext byte', () => {
    expect(aesGcmOpen(key, iv, flipped(sealed, 3, 0x80), aad)).toBeNull();
  });

  it('refuses modified or missing associated data', () => {
    expect(aesGcmOpen(key, iv, sealed, flipped(aad, 0))).toBeNull();
    expect(aesGcmOpen(key, iv, sealed)).toBeNull();
  });

  it('refuses the wrong key and the wrong nonce', () => {
    expect(aesGcmOpen(flipped(key, 31), iv, sealed, aad)).toBeNull();
    expect(aesGcmOpen(key, flipped(iv, 0), sealed, aad)).toBeNull();
  });

  it('refuses a box shorter than a tag', () => {
    expect(aesGcmOpen(key, iv, sealed.subarray(0, 15), aad)).toBeNull();
  });
});
