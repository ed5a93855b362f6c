/**
 * AES-256-GCM (NIST SP 800-38D) through the game's wrappers, against Test Cases 13-16 of the
 * GCM specification (McGrew & Viega), the AES-256 cases with a 96-bit IV; 16 has AAD.
 */
import { describe, expect, it } from 'vitest';
import { aesGcmOpen, aesGcmSeal } from '../../../shared/src/crypto/index.ts';
import { fromHex, toHex } from '../../../shared/src/codec/bytes.ts';
import v from '../../vectors/gcm-spec-aes-256-gcm.json';

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
    const bad = sealed.slice();
    bad[bad.length - 1] ^= 0x01;
    expect(aesGcmOpen(key, iv, bad, aad)).toBeNull();
  });

  it('refuses a modified ciphertext byte', () => {
    const bad = sealed.slice();
    bad[3] ^= 0x80;
    expect(aesGcmOpen(key, iv, bad, aad)).toBeNull();
  });

  it('refuses modified or missing associated data', () => {
    const badAad = aad.slice();
    badAad[0] ^= 0x01;
    expect(aesGcmOpen(key, iv, sealed, badAad)).toBeNull();
    expect(aesGcmOpen(key, iv, sealed)).toBeNull();
  });

  it('refuses the wrong key and the wrong nonce', () => {
    const otherKey = key.slice();
    otherKey[31] ^= 0x01;
    expect(aesGcmOpen(otherKey, iv, sealed, aad)).toBeNull();
    const otherIv = iv.slice();
    otherIv[0] ^= 0x01;
    expect(aesGcmOpen(key, otherIv, sealed, aad)).toBeNull();
  });

  it('refuses a box shorter than a tag', () => {
    expect(aesGcmOpen(key, iv, sealed.subarray(0, 15), aad)).toBeNull();
  });
});
