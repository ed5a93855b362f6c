/**
 * P-256 through the game's wrappers: RFC 6979 A.2.5 deterministic ECDSA (SHA-256) and the NIST
 * CAVS ECC CDH P-256 vector, on both crypto backends; and the wrapper's rules (canonical DER,
 * high S accepted as OpenSSL does, a point off the curve refused).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { p256 } from '@noble/curves/nist.js';
import { ecdsaP256Sign, ecdsaP256Verify, isCanonicalEcdsaSignature, nobleBackend, p256KeyPair, p256SharedSecret, useCryptoBackend } from '../../../shared/src/crypto/index.ts';
import { fromHex, toHex, utf8 } from '../../../shared/src/codec/bytes.ts';
import { nodeCryptoBackend } from '../../../server/src/crypto/node-backend.ts';
import sig from '../../vectors/rfc6979-ecdsa-p256.json';
import cdh from '../../vectors/nist-cavs-ecc-cdh-p256.json';

afterEach(() => useCryptoBackend(undefined));

/** DER of (r, s) as RFC 5480 §2.2 wants it, built from the published halves. */
function der(r: string, s: string): string {
  const int = (h: string) => {
    let b = h.replace(/^(00)+/, '');
    if (parseInt(b.slice(0, 2), 16) & 0x80) b = '00' + b;
    return '02' + (b.length / 2).toString(16).padStart(2, '0') + b;
  };
  const body = int(r) + int(s);
  return '30' + (body.length / 2).toString(16).padStart(2, '0') + body;
}

describe.each([nobleBackend, nodeCryptoBackend])('P-256 on $name', (backend) => {
  it('RFC 6979 A.2.5: the key gives its published public point', () => {
    useCryptoBackend(backend);
    expect(toHex(backend.p256PublicKey(fromHex(sig.privateKey)))).toBe(sig.publicKey);
  });

  it.each(sig.sha256)('RFC 6979 A.2.5: signs "$message" with the published r and s, and verifies it', (v) => {
    useCryptoBackend(backend);
    const signature = ecdsaP256Sign(fromHex(sig.privateKey), utf8(v.message));
    expect(toHex(signature)).toBe(der(v.r, v.s));
    expect(ecdsaP256Verify(fromHex(sig.publicKey), utf8(v.message), signature)).toBe(true);
    expect(ecdsaP256Verify(fromHex(sig.publicKey), utf8(v.message + '!'), signature)).toBe(false);
  });

  it('NIST CAVS ECC CDH P-256 COUNT 0: the shared x-coordinate', () => {
    useCryptoBackend(backend);
    expect(toHex(backend.p256PublicKey(fromHex(cdh.count0.privateKey)))).toBe(cdh.count0.publicKey);
    expect(toHex(p256SharedSecret(fromHex(cdh.count0.privateKey), fromHex(cdh.count0.peerPublicKey)))).toBe(cdh.count0.sharedSecret);
  });

  it('refuses a peer point that is not on the curve', () => {
    useCryptoBackend(backend);
    const off = fromHex(cdh.count0.peerPublicKey);
    off[64]! ^= 1;
    expect(() => p256SharedSecret(fromHex(cdh.count0.privateKey), off)).toThrow();
  });

  it('accepts the high-S twin of a valid signature (OpenSSL does), refuses non-canonical DER', () => {
    useCryptoBackend(backend);
    const message = utf8('test');
    const v = sig.sha256[1]!;
    const n = p256.Point.Fn.ORDER;
    const highS = (n - BigInt('0x' + v.s)).toString(16).padStart(64, '0');
    expect(ecdsaP256Verify(fromHex(sig.publicKey), message, fromHex(der(v.r, highS)))).toBe(true);
    // s = 019f… has its top bit clear: a leading 00 makes its INTEGER non-minimal, which DER forbids.
    const good = der(v.r, v.s);
    const nonMinimal = fromHex(good.replace(/^3044/, '3045').replace('0220' + v.s, '022100' + v.s));
    expect(isCanonicalEcdsaSignature(fromHex(good))).toBe(true);
    expect(isCanonicalEcdsaSignature(nonMinimal)).toBe(false);
    expect(ecdsaP256Verify(fromHex(sig.publicKey), message, nonMinimal)).toBe(false);
  });

  it('a key pair from any 32 bytes is valid and agrees with its peer', () => {
    useCryptoBackend(backend);
    const a = p256KeyPair(new Uint8Array(32).fill(0xff));
    const b = p256KeyPair(new Uint8Array(32));
    expect(toHex(p256SharedSecret(a.secretKey, b.publicKey))).toBe(toHex(p256SharedSecret(b.secretKey, a.publicKey)));
  });
});
