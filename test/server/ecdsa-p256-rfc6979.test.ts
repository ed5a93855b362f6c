/**
 * The node:crypto backend's ECDSA P-256 signer (server/src/crypto/ecdsa-p256-rfc6979.ts: RFC
 * 6979's k drawn in JavaScript, k·G by OpenSSL) gives RFC 6979's own signatures (Appendix
 * A.2.5) and, for any key and message, exactly noble's bytes — so a seed replays the same
 * handshake on either backend — and OpenSSL verifies what it signs.
 */
import { createPublicKey, verify } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nobleBackend } from '@heist/shared';
import { ecdsaP256SignRfc6979 } from '../../server/src/crypto/ecdsa-p256-rfc6979.ts';
import { fromHex, toHex, utf8 } from '../../shared/src/codec/bytes.ts';
import { p256KeyPair } from '../../shared/src/crypto/primitives.ts';
import sig from '../vectors/rfc6979-ecdsa-p256.json';

/** (r, s) out of a DER ECDSA-Sig-Value, as 32-byte hex each. */
function rs(der: Uint8Array): [string, string] {
  const r = der.subarray(4, 4 + der[3]!);
  const s = der.subarray(6 + der[3]!);
  return [toHex(r).replace(/^00/, '').padStart(64, '0'), toHex(s).replace(/^00/, '').padStart(64, '0')];
}

describe('ECDSA P-256, RFC 6979, on OpenSSL', () => {
  it('RFC 6979 A.2.5: the signatures of "sample" and "test" with SHA-256', () => {
    for (const t of sig.sha256) expect(rs(ecdsaP256SignRfc6979(fromHex(sig.privateKey), utf8(t.message)))).toEqual([t.r, t.s]);
  });

  it('the same DER bytes as noble for any key and message, and OpenSSL verifies them', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 300 }), (seed, message) => {
        const key = p256KeyPair(seed);
        const ours = ecdsaP256SignRfc6979(key.secretKey, message);
        expect(toHex(ours)).toBe(toHex(nobleBackend.ecdsaP256Sign(key.secretKey, message)));
        const jwk = { kty: 'EC', crv: 'P-256', x: Buffer.from(key.publicKey.subarray(1, 33)).toString('base64url'), y: Buffer.from(key.publicKey.subarray(33)).toString('base64url') };
        expect(verify('sha256', message, createPublicKey({ key: jwk, format: 'jwk' }), ours)).toBe(true);
      }),
      { numRuns: 200, seed: 6979 },
    );
  });
});
