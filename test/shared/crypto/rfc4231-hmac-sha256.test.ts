/** RFC 4231 §4 HMAC-SHA-256 Test Cases 1-7 through the game's hmacSha256 wrapper (RFC 2104). */
import { describe, expect, it } from 'vitest';
import { hmacSha256 } from '../../../shared/src/crypto/index.ts';
import { fromHex, toHex } from '../../../shared/src/codec/bytes.ts';
import v from '../../vectors/rfc4231-hmac-sha256.json';
import { flipped } from '../../support/flip.ts';

describe('RFC 4231 HMAC-SHA-256', () => {
  for (const t of v.vectors) {
    it(t.name, () => {
      const mac = hmacSha256(fromHex(t.key), fromHex(t.data));
      expect(mac.length).toBe(32);
      const shown = 'truncateToBytes' in t ? mac.subarray(0, t.truncateToBytes) : mac;
      expect(toHex(shown)).toBe(t.hmacSha256);
    });
  }

  it('a one-bit change in the key changes the MAC', () => {
    const t = v.vectors[0]!;
    expect(toHex(hmacSha256(flipped(fromHex(t.key), 0), fromHex(t.data)))).not.toBe(t.hmacSha256);
  });
});
