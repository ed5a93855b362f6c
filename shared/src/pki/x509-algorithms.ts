/**
 * A certificate's signature algorithm and its subject's key, as typed values: the algorithms a
 * browser can check named with their parameters (RFC 5758 §3.2, RFC 4055, RFC 8017 A.2.4), the
 * keys it can use decoded (RSA, RFC 3279 §2.3.1 and RFC 4055 §1.2; EC on P-256 or P-384, RFC 5480),
 * and any other named, for the browser to refuse by name.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { ECParameters } from '@peculiar/asn1-ecc';
import { RSAPublicKey, RsaSaPssParams } from '@peculiar/asn1-rsa';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import type { RsaPublicKey } from '../crypto/rsa.ts';
import { bytesOf } from './der.ts';
import { KEY_OID, SIG_OID } from './oids.ts';

export type HashName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

export type X509SignatureAlgorithm =
  | { kind: 'ecdsa'; hash: HashName; name: string }
  | { kind: 'rsaPkcs1'; hash: HashName; name: string }
  /** RFC 4055 §3.1: the hash, MGF1's hash and the salt length come in the parameters. */
  | { kind: 'rsaPss'; hash: HashName; mgfHash: HashName; saltLength: number; name: string }
  | { kind: 'unsupported'; name: string };

export type X509Key =
  | { kind: 'rsa'; bits: number; key: RsaPublicKey; pkcs1: Uint8Array; pssOnly: boolean }
  | { kind: 'ec'; curve: 'P-256' | 'P-384'; point: Uint8Array }
  | { kind: 'unsupported'; name: string };

function stripSign(v: Uint8Array): Uint8Array {
  let i = 0;
  while (i < v.length - 1 && v[i] === 0) i++;
  return v.slice(i);
}

function bitLength(v: Uint8Array): number {
  const s = stripSign(v);
  if (s.length === 0 || (s.length === 1 && s[0] === 0)) return 0;
  return (s.length - 1) * 8 + (32 - Math.clz32(s[0]!));
}

const HASHES: Readonly<Record<string, HashName>> = { [SIG_OID.sha1]: 'SHA-1', [SIG_OID.sha256]: 'SHA-256', [SIG_OID.sha384]: 'SHA-384', [SIG_OID.sha512]: 'SHA-512' };

const SIMPLE_SIGNATURES: Readonly<Record<string, X509SignatureAlgorithm>> = {
  [SIG_OID.ecdsaWithSha256]: { kind: 'ecdsa', hash: 'SHA-256', name: 'ecdsa-with-SHA256' },
  [SIG_OID.ecdsaWithSha384]: { kind: 'ecdsa', hash: 'SHA-384', name: 'ecdsa-with-SHA384' },
  [SIG_OID.ecdsaWithSha512]: { kind: 'ecdsa', hash: 'SHA-512', name: 'ecdsa-with-SHA512' },
  [SIG_OID.ecdsaWithSha1]: { kind: 'ecdsa', hash: 'SHA-1', name: 'ecdsa-with-SHA1' },
  [SIG_OID.sha256WithRsa]: { kind: 'rsaPkcs1', hash: 'SHA-256', name: 'sha256WithRSAEncryption' },
  [SIG_OID.sha384WithRsa]: { kind: 'rsaPkcs1', hash: 'SHA-384', name: 'sha384WithRSAEncryption' },
  [SIG_OID.sha512WithRsa]: { kind: 'rsaPkcs1', hash: 'SHA-512', name: 'sha512WithRSAEncryption' },
  [SIG_OID.sha1WithRsa]: { kind: 'rsaPkcs1', hash: 'SHA-1', name: 'sha1WithRSAEncryption' },
};
const OTHER_SIGNATURE_NAMES: Readonly<Record<string, string>> = { [SIG_OID.ed25519]: 'ED25519', [SIG_OID.ed448]: 'ED448', '1.2.840.113549.1.1.4': 'md5WithRSAEncryption', '1.2.840.10040.4.3': 'dsa-with-SHA1' };

/** The TBS's and the outer signature algorithm must be the same (§4.1.1.2): compared as DER. */
export function signatureAlgorithmOf(alg: AlgorithmIdentifier): X509SignatureAlgorithm {
  const simple = SIMPLE_SIGNATURES[alg.algorithm];
  if (simple) {
    // ECDSA has absent parameters (RFC 5758 §3.2); RSA PKCS #1 a NULL (RFC 4055 §5) — absent is read too, as OpenSSL does.
    const params = alg.parameters ? bytesOf(alg.parameters) : undefined;
    if (params && !(params.length === 2 && params[0] === 0x05 && params[1] === 0x00)) return { kind: 'unsupported', name: `${simple.name} with unexpected parameters` };
    return simple;
  }
  if (alg.algorithm === SIG_OID.rsassaPss) {
    if (!alg.parameters) return { kind: 'unsupported', name: 'RSASSA-PSS without parameters' };
    const p = AsnConvert.parse(alg.parameters, RsaSaPssParams);
    const hash = HASHES[p.hashAlgorithm.algorithm];
    const mgfHash = p.maskGenAlgorithm.algorithm === SIG_OID.mgf1 && p.maskGenAlgorithm.parameters ? HASHES[AsnConvert.parse(p.maskGenAlgorithm.parameters, AlgorithmIdentifier).algorithm] : undefined;
    if (!hash || !mgfHash || p.trailerField !== 1) return { kind: 'unsupported', name: 'RSASSA-PSS with parameters this browser does not use' };
    return { kind: 'rsaPss', hash, mgfHash, saltLength: p.saltLength, name: `RSASSA-PSS (${hash}, MGF1 ${mgfHash}, salt ${p.saltLength})` };
  }
  return { kind: 'unsupported', name: OTHER_SIGNATURE_NAMES[alg.algorithm] ?? alg.algorithm };
}

export function keyOf(alg: AlgorithmIdentifier, subjectPublicKey: Uint8Array): X509Key {
  switch (alg.algorithm) {
    case KEY_OID.rsaEncryption:
    case KEY_OID.rsassaPss: {
      const k = AsnConvert.parse(subjectPublicKey, RSAPublicKey);
      const key = { n: stripSign(bytesOf(k.modulus)), e: stripSign(bytesOf(k.publicExponent)) };
      return { kind: 'rsa', bits: bitLength(key.n), key, pkcs1: subjectPublicKey, pssOnly: alg.algorithm === KEY_OID.rsassaPss };
    }
    case KEY_OID.ecPublicKey: {
      const curve = alg.parameters ? AsnConvert.parse(alg.parameters, ECParameters).namedCurve : undefined;
      const size = curve === KEY_OID.p256 ? 65 : curve === KEY_OID.p384 ? 97 : 0;
      if (size === 0) return { kind: 'unsupported', name: curve === KEY_OID.p521 ? 'EC P-521' : `EC on curve ${curve ?? '(explicit parameters)'}` };
      if (subjectPublicKey.length !== size || subjectPublicKey[0] !== 4) return { kind: 'unsupported', name: 'EC point not in uncompressed form' };
      return { kind: 'ec', curve: curve === KEY_OID.p256 ? 'P-256' : 'P-384', point: subjectPublicKey };
    }
    case KEY_OID.ed25519:
      return { kind: 'unsupported', name: 'Ed25519' };
    case KEY_OID.ed448:
      return { kind: 'unsupported', name: 'Ed448' };
    case KEY_OID.dsa:
      return { kind: 'unsupported', name: 'DSA' };
    default:
      return { kind: 'unsupported', name: alg.algorithm };
  }
}

/** "RSA-2048", "EC P-256", or the name of a key the browser cannot use. */
export function keyName(key: X509Key): string {
  return key.kind === 'rsa' ? `RSA-${key.bits}${key.pssOnly ? ' (RSASSA-PSS only)' : ''}` : key.kind === 'ec' ? `EC ${key.curve}` : key.name;
}
