/**
 * The certificate keys on the wire and in files: RSA keys as PKCS #1 DER (RFC 8017 A.1, the
 * RSAPublicKey / RSAPrivateKey structures), P-256 keys as SEC 1 points (65 bytes, uncompressed);
 * SubjectPublicKeyInfo for both (RFC 5280 §4.1.2.7 with RFC 3279 §2.3.1 and RFC 5480 §2); PEM
 * (RFC 7468) for the files a teacher opens in OpenSSL or Wireshark. The DER comes from
 * @peculiar/asn1-schema and its X.509 / RSA / ECC schemas, not from hand-written bytes.
 *
 * A `KeyPair` keeps its halves as bytes whatever the algorithm, so views, the referee and the
 * attacker's "try a key" handle every key alike; an RSA key's DER is parsed once and cached.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { AsnConvert } from '@peculiar/asn1-schema';
import { RSAPrivateKey, RSAPublicKey } from '@peculiar/asn1-rsa';
import { AlgorithmIdentifier, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { toBase64, toHex } from '../codec/bytes.ts';
import type { KeyPair } from '../crypto/primitives.ts';
import type { RsaPrivateKey, RsaPublicKey } from '../crypto/rsa.ts';
import type { KeyType } from './types.ts';

export const OID = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  ecPublicKey: '1.2.840.10045.2.1',
  prime256v1: '1.2.840.10045.3.1.7',
  secp384r1: '1.3.132.0.34',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  subjectAltName: '2.5.29.17',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
  extKeyUsage: '2.5.29.37',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  extensionRequest: '1.2.840.113549.1.9.14',
} as const;

/** DER NULL, the parameters RFC 3279 §2.3.1 asks of rsaEncryption (and RFC 4055 of sha256WithRSAEncryption). */
export const DER_NULL = new Uint8Array([0x05, 0x00]);
/** DER of the OID prime256v1: the namedCurve parameters of id-ecPublicKey (RFC 5480 §2.1.1). */
const P256_CURVE = new Uint8Array([0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]);
/** DER of the OID secp384r1 (RFC 5480 §2.1.1.1). */
const P384_CURVE = new Uint8Array([0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22]);

const buf = (b: Uint8Array): ArrayBuffer => b.slice().buffer;
const bytes = (b: ArrayBuffer): Uint8Array => new Uint8Array(b);

/** An ASN.1 INTEGER's content for a non-negative big-endian number: minimal, with a 00 when the top bit is set. */
export function derUnsigned(value: Uint8Array): Uint8Array {
  let i = 0;
  while (i < value.length - 1 && value[i] === 0) i++;
  const v = value.subarray(i);
  return v[0]! & 0x80 ? new Uint8Array([0, ...v]) : v.slice();
}

function stripSign(value: ArrayBuffer): Uint8Array {
  const v = bytes(value);
  return v.length > 1 && v[0] === 0 ? v.slice(1) : v;
}

export function rsaPublicKeyDer(key: RsaPublicKey): Uint8Array {
  return bytes(AsnConvert.serialize(new RSAPublicKey({ modulus: buf(derUnsigned(key.n)), publicExponent: buf(derUnsigned(key.e)) })));
}

export function rsaPrivateKeyDer(key: RsaPrivateKey): Uint8Array {
  const int = (b: Uint8Array) => buf(derUnsigned(b));
  return bytes(
    AsnConvert.serialize(
      new RSAPrivateKey({
        version: 0,
        modulus: int(key.n),
        publicExponent: int(key.e),
        privateExponent: int(key.d),
        prime1: int(key.p),
        prime2: int(key.q),
        exponent1: int(key.dp),
        exponent2: int(key.dq),
        coefficient: int(key.qi),
      }),
    ),
  );
}

const publicCache = new Map<string, RsaPublicKey>();
const privateCache = new Map<string, RsaPrivateKey>();

function cached<T>(cache: Map<string, T>, der: Uint8Array, make: () => T): T {
  const id = toHex(der);
  let v = cache.get(id);
  if (!v) {
    v = make();
    if (cache.size > 64) cache.delete(cache.keys().next().value!);
    cache.set(id, v);
  }
  return v;
}

/** The RSA public key in PKCS #1 DER; throws on anything else. */
export function rsaPublicKeyFromDer(der: Uint8Array): RsaPublicKey {
  return cached(publicCache, der, () => {
    const k = AsnConvert.parse(der, RSAPublicKey);
    return { n: stripSign(k.modulus), e: stripSign(k.publicExponent) };
  });
}

/** The RSA private key in PKCS #1 DER; throws on anything else. */
export function rsaPrivateKeyFromDer(der: Uint8Array): RsaPrivateKey {
  return cached(privateCache, der, () => {
    const k = AsnConvert.parse(der, RSAPrivateKey);
    return {
      n: stripSign(k.modulus),
      e: stripSign(k.publicExponent),
      d: stripSign(k.privateExponent),
      p: stripSign(k.prime1),
      q: stripSign(k.prime2),
      dp: stripSign(k.exponent1),
      dq: stripSign(k.exponent2),
      qi: stripSign(k.coefficient),
    };
  });
}

/** An RSA key pair as the engine holds keys: PKCS #1 DER both halves. */
export function rsaKeyPair(key: RsaPrivateKey): KeyPair {
  return { secretKey: rsaPrivateKeyDer(key), publicKey: rsaPublicKeyDer(key) };
}

/** RFC 5280 §4.1.2.7 SubjectPublicKeyInfo for a certificate key. */
export function subjectPublicKeyInfo(keyType: KeyType | 'p384', publicKey: Uint8Array): SubjectPublicKeyInfo {
  const algorithm =
    keyType === 'rsa'
      ? new AlgorithmIdentifier({ algorithm: OID.rsaEncryption, parameters: buf(DER_NULL) })
      : new AlgorithmIdentifier({ algorithm: OID.ecPublicKey, parameters: buf(keyType === 'p256' ? P256_CURVE : P384_CURVE) });
  return new SubjectPublicKeyInfo({ algorithm, subjectPublicKey: buf(publicKey) });
}

/** The key type and raw key of a SubjectPublicKeyInfo in the game's profile; undefined for any other. */
export function keyFromSpki(spki: SubjectPublicKeyInfo): { keyType: KeyType; publicKey: Uint8Array } | undefined {
  const params = spki.algorithm.parameters ? toHex(bytes(spki.algorithm.parameters)) : undefined;
  const publicKey = bytes(spki.subjectPublicKey);
  // The schema reads a NULL parameter back as null.
  const nullParams = spki.algorithm.parameters === null || params === toHex(DER_NULL);
  if (spki.algorithm.algorithm === OID.rsaEncryption && nullParams) return { keyType: 'rsa', publicKey };
  if (spki.algorithm.algorithm === OID.ecPublicKey && params === toHex(P256_CURVE) && publicKey.length === 65 && publicKey[0] === 4) return { keyType: 'p256', publicKey };
  return undefined;
}

/** RFC 7468 text encoding, 64 characters a line. */
export function pem(label: string, der: Uint8Array): string {
  const b64 = toBase64(der).replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/** The DER inside the first PEM block with this label. */
export function fromPem(text: string, label: string): Uint8Array {
  const m = new RegExp(`-----BEGIN ${label}-----([^-]*)-----END ${label}-----`).exec(text);
  if (!m) throw new Error(`no ${label} in this PEM text`);
  const raw = atob(m[1]!.replace(/\s+/g, ''));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

/** RFC 5280 §4.2.1.2 method 1: the SHA-1 of the subjectPublicKey BIT STRING's bytes (the PKCS #1 DER of an RSA key, an EC point). */
export function keyIdentifier(subjectPublicKey: Uint8Array): Uint8Array {
  return sha1(subjectPublicKey);
}

/** The DER inside every PEM block with this label, in order (a CA bundle holds many). */
export function allFromPem(text: string, label: string): Uint8Array[] {
  const blocks = text.matchAll(new RegExp(`-----BEGIN ${label}-----([^-]*)-----END ${label}-----`, 'g'));
  return [...blocks].map((m) => Uint8Array.from(atob(m[1]!.replace(/\s+/g, '')), (c) => c.charCodeAt(0)));
}
