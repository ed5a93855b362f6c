/**
 * AES-256-CTR (NIST SP 800-38A §6.5) through the game's wrapper, against Appendix F.5.5, and
 * the two facts level 2's record without integrity rests on:
 * - GCM encrypts with this very CTR, from the counter block nonce ‖ 00000002 (SP 800-38D §7.1):
 *   the GCM specification's own Test Cases 15 and 16 come out of `aesCtr` byte for byte, less the tag;
 * - nothing checks a CTR ciphertext: a flipped bit decrypts to the same bit flipped, where GCM
 *   refuses the record.
 */
import { describe, expect, it } from 'vitest';
import { aesCtr, aesGcmOpen } from '../../../shared/src/crypto/index.ts';
import { concat, fromHex, toHex } from '../../../shared/src/codec/bytes.ts';
import ctrVectors from '../../vectors/nist-sp800-38a-ctr-aes256.json';
import gcmVectors from '../../vectors/gcm-spec-aes-256-gcm.json';
import { flipped } from '../../support/flip.ts';

const v = ctrVectors;
const plaintext = concat(...v.blocks.map((b) => fromHex(b.plaintext)));
const ciphertext = v.blocks.map((b) => b.ciphertext).join('');

describe('SP 800-38A F.5.5 CTR-AES256', () => {
  it('encrypts the four blocks from the initial counter, carrying across the byte boundary', () => {
    expect(toHex(aesCtr(fromHex(v.key), fromHex(v.initialCounter), plaintext))).toBe(ciphertext);
  });

  it('each block alone, from its own input block, gives the same ciphertext block', () => {
    for (const b of v.blocks) expect(toHex(aesCtr(fromHex(v.key), fromHex(b.inputBlock), fromHex(b.plaintext)))).toBe(b.ciphertext);
  });

  it('decrypts with the same operation', () => {
    expect(toHex(aesCtr(fromHex(v.key), fromHex(v.initialCounter), fromHex(ciphertext)))).toBe(toHex(plaintext));
  });

  it('refuses a counter block that is not 16 bytes', () => {
    expect(() => aesCtr(fromHex(v.key), new Uint8Array(12), plaintext)).toThrow('AES-CTR counter block must be 16 bytes, got 12');
  });
});

describe('GCM is this CTR plus a tag', () => {
  for (const name of ['Test Case 15', 'Test Case 16']) {
    it(`${name}: AES-CTR from nonce ‖ 00000002 gives the GCM ciphertext, byte for byte`, () => {
      const t = gcmVectors.vectors.find((x) => x.name === name)!;
      const counter = concat(fromHex(t.iv), new Uint8Array([0, 0, 0, 2]));
      expect(toHex(aesCtr(fromHex(t.key), counter, fromHex(t.plaintext)))).toBe(t.ciphertext);
    });
  }

  it('one flipped ciphertext bit: CTR decrypts it to the same bit flipped; GCM refuses the record', () => {
    const t = gcmVectors.vectors.find((x) => x.name === 'Test Case 15')!;
    const key = fromHex(t.key);
    const counter = concat(fromHex(t.iv), new Uint8Array([0, 0, 0, 2]));
    const changed = flipped(fromHex(t.ciphertext), 5, 0x08);
    expect(toHex(aesCtr(key, counter, changed))).toBe(toHex(flipped(fromHex(t.plaintext), 5, 0x08)));
    expect(aesGcmOpen(key, fromHex(t.iv), concat(changed, fromHex(t.tag)))).toBeNull();
  });
});
