/** RFC 5869 Appendix A.1-A.3 (HKDF-SHA-256 Test Cases 1-3) through hkdfExtract / hkdfExpand. */
import { describe, expect, it } from 'vitest';
import { hkdfExpand, hkdfExtract } from '../../../shared/src/crypto/index.ts';
import { fromHex, toHex } from '../../../shared/src/codec/bytes.ts';
import v from '../../vectors/rfc5869-hkdf-sha256.json';

describe('RFC 5869 HKDF-SHA-256', () => {
  for (const t of v.vectors) {
    describe(t.name, () => {
      it('§2.2 Extract: PRK = HMAC-Hash(salt, IKM)', () => {
        expect(toHex(hkdfExtract(fromHex(t.salt), fromHex(t.ikm)))).toBe(t.prk);
      });

      it(`§2.3 Expand: OKM of ${t.length} bytes`, () => {
        const okm = hkdfExpand(fromHex(t.prk), fromHex(t.info), t.length);
        expect(okm.length).toBe(t.length);
        expect(toHex(okm)).toBe(t.okm);
      });
    });
  }

  it('§2.2: an empty salt is the same as HashLen zero bytes', () => {
    const t = v.vectors[2]!;
    expect(toHex(hkdfExtract(new Uint8Array(32), fromHex(t.ikm)))).toBe(t.prk);
  });

  it('§2.3: refuses more than 255 × HashLen bytes', () => {
    const prk = fromHex(v.vectors[0]!.prk);
    expect(() => hkdfExpand(prk, new Uint8Array(0), 255 * 32 + 1)).toThrow();
    expect(hkdfExpand(prk, new Uint8Array(0), 255 * 32).length).toBe(255 * 32);
  });
});
