/**
 * RSA as level 4 uses it (RFC 8017 RSAEP/RSADP, EME-PKCS1-v1_5; RFC 5246 §7.4.7.1 decoding),
 * checked against OpenSSL through node:crypto on the game's pool keys, on both backends. No
 * published vector is used (test/vectors/README.md says why): OpenSSL is the reference.
 */
import { constants, createPrivateKey, privateDecrypt, publicEncrypt } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { nobleBackend, RSA_KEY_POOL, rsaDecryptRaw, rsaPkcs1Encrypt, seededRng, tlsPreMasterFromBlock, useCryptoBackend, type RsaPrivateKey } from '../../../shared/src/crypto/index.ts';
import { toHex } from '../../../shared/src/codec/bytes.ts';
import { nodeCryptoBackend } from '../../../server/src/crypto/node-backend.ts';

afterEach(() => useCryptoBackend(undefined));

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');
function opensslKey(k: RsaPrivateKey) {
  return createPrivateKey({ key: { kty: 'RSA', n: b64(k.n), e: b64(k.e), d: b64(k.d), p: b64(k.p), q: b64(k.q), dp: b64(k.dp), dq: b64(k.dq), qi: b64(k.qi) }, format: 'jwk' });
}

const preMaster = () => {
  const pm = seededRng('pre-master').bytes(48);
  pm[0] = 3;
  pm[1] = 3;
  return pm;
};
const fallback = new Uint8Array(48).fill(0xee);

describe.each([nobleBackend, nodeCryptoBackend])('RSA-2048 on $name', (backend) => {
  it.each(RSA_KEY_POOL.map((key, i) => [i, key] as const))('pool key %i: OpenSSL PKCS#1 v1.5 ciphertext opens to the pre-master', (_, key) => {
    useCryptoBackend(backend);
    const pm = preMaster();
    const c = publicEncrypt({ key: opensslKey(key), padding: constants.RSA_PKCS1_PADDING }, pm);
    const block = rsaDecryptRaw(key, new Uint8Array(c));
    expect(block).not.toBeNull();
    expect(toHex(tlsPreMasterFromBlock(block!, [3, 3], fallback))).toBe(toHex(pm));
  });

  it('the game encrypts as OpenSSL decrypts (raw), and the same seed pads the same way', () => {
    useCryptoBackend(backend);
    const key = RSA_KEY_POOL[0]!;
    const pm = preMaster();
    const c1 = rsaPkcs1Encrypt(key, pm, seededRng('pad'));
    const c2 = rsaPkcs1Encrypt(key, pm, seededRng('pad'));
    expect(toHex(c1)).toBe(toHex(c2));
    const em = new Uint8Array(privateDecrypt({ key: opensslKey(key), padding: constants.RSA_NO_PADDING }, c1));
    expect(em[0]).toBe(0);
    expect(em[1]).toBe(2);
    expect(em.subarray(2, 256 - 49).every((b) => b !== 0)).toBe(true);
    expect(em[256 - 49]).toBe(0);
    expect(toHex(em.subarray(256 - 48))).toBe(toHex(pm));
  });

  it('a ciphertext not below n opens to nothing', () => {
    useCryptoBackend(backend);
    expect(rsaDecryptRaw(RSA_KEY_POOL[0]!, new Uint8Array(256).fill(0xff))).toBeNull();
    expect(rsaDecryptRaw(RSA_KEY_POOL[0]!, new Uint8Array(255))).toBeNull();
  });
});

describe('RFC 5246 §7.4.7.1: a bad block gives the fallback pre-master, whatever is wrong with it', () => {
  const good = () => {
    const em = new Uint8Array(256).fill(0x5a);
    em[0] = 0;
    em[1] = 2;
    em[256 - 49] = 0;
    em.set(preMaster(), 256 - 48);
    return em;
  };
  const cases: [string, (em: Uint8Array) => void][] = [
    ['first byte not 0', (em) => (em[0] = 1)],
    ['block type not 2', (em) => (em[1] = 1)],
    ['a zero inside the padding (the message would be longer than 48)', (em) => (em[100] = 0)],
    ['no separator before the 48 bytes', (em) => (em[256 - 49] = 7)],
    ['client_version wrong (a version rollback)', (em) => (em[256 - 48] = 2)],
  ];
  it('a good block gives its 48 bytes', () => expect(toHex(tlsPreMasterFromBlock(good(), [3, 3], fallback))).toBe(toHex(preMaster())));
  it.each(cases)('%s', (_, spoil) => {
    const em = good();
    spoil(em);
    expect(toHex(tlsPreMasterFromBlock(em, [3, 3], fallback))).toBe(toHex(fallback));
  });
});
