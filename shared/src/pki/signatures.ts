/**
 * Checking an issuer's signature on a certificate (RFC 5280 §6.1.3 (a)(1)) over the TBS bytes
 * as received, with the algorithms real CAs use and TLS names (RFC 8446 §4.2.3):
 *   - ECDSA on P-256 and P-384 with SHA-256, SHA-384 or SHA-512 (RFC 5758 §3.2), by noble;
 *   - RSASSA-PKCS1-v1_5 with SHA-256/384/512 (RFC 8017 §8.2.2, EMSA-PKCS1-v1_5 §9.2);
 *   - RSASSA-PSS (RFC 8017 §8.1.2, EMSA-PSS-VERIFY §9.1.2 with MGF1 §B.2.1, parameters RFC 4055).
 * RSA's public operation is BigInt modular exponentiation (crypto/rsa.ts, or OpenSSL where the
 * server installs node:crypto): noble has no RSA, and verification needs no secret, so none
 * of the side-channel care of decryption applies. SHA-1 signatures are refused, as browsers
 * have refused them since 2017 (chosen-prefix collisions, SHAttered), and RSA keys below 2048
 * bits, as the CA/Browser Forum's Baseline Requirements do (§6.1.5).
 */
import { p256, p384 } from '@noble/curves/nist.js';
import { sha384, sha512 } from '@noble/hashes/sha2.js';
import { concat, equalBytes } from '../codec/bytes.ts';
import { cryptoBackend, ecdsaP256Verify, sha256 } from '../crypto/primitives.ts';
import { bigIntToBytes, rsaBlockInRange, type RsaPublicKey } from '../crypto/rsa.ts';
import type { HashName, X509Key, X509SignatureAlgorithm } from './x509-algorithms.ts';

/** TLS SignatureScheme code points (RFC 8446 §4.2.3) for the certificate signatures this file checks. */
export const SIGNATURE_SCHEME = {
  ecdsa_secp256r1_sha256: 0x0403,
  ecdsa_secp384r1_sha384: 0x0503,
  ecdsa_secp521r1_sha512: 0x0603,
  rsa_pkcs1_sha256: 0x0401,
  rsa_pkcs1_sha384: 0x0501,
  rsa_pkcs1_sha512: 0x0601,
  rsa_pss_rsae_sha256: 0x0804,
  rsa_pss_rsae_sha384: 0x0805,
  rsa_pss_rsae_sha512: 0x0806,
  rsa_pss_pss_sha256: 0x0809,
  rsa_pss_pss_sha384: 0x080a,
  rsa_pss_pss_sha512: 0x080b,
} as const;

/** Every scheme a certificate may be signed with for this browser to check it: what it offers in signature_algorithms(_cert). */
export const CERTIFICATE_SIGNATURE_SCHEMES: readonly number[] = Object.values(SIGNATURE_SCHEME).filter((s) => s !== SIGNATURE_SCHEME.ecdsa_secp521r1_sha512);

const SCHEME_NAMES: Readonly<Record<number, string>> = Object.fromEntries(Object.entries(SIGNATURE_SCHEME).map(([name, code]) => [code, name]));
export const signatureSchemeName = (code: number): string => SCHEME_NAMES[code] ?? `0x${code.toString(16).padStart(4, '0')}`;

export const MIN_RSA_BITS = 2048;

const HASH: Readonly<Record<Exclude<HashName, 'SHA-1'>, { digest: (m: Uint8Array) => Uint8Array; length: number; digestInfo: number[] }>> = {
  // DigestInfo prefixes: RFC 8017 §9.2 note 1.
  'SHA-256': { digest: sha256, length: 32, digestInfo: [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20] },
  'SHA-384': { digest: (m) => sha384(m), length: 48, digestInfo: [0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30] },
  'SHA-512': { digest: (m) => sha512(m), length: 64, digestInfo: [0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40] },
};

/** The TLS scheme a certificate signature is, given the algorithm and the issuer's key; undefined when TLS has none. */
export function schemeOf(alg: X509SignatureAlgorithm, issuerKey: X509Key): number | undefined {
  const h = alg.kind === 'unsupported' ? undefined : alg.hash;
  switch (alg.kind) {
    case 'ecdsa':
      return h === 'SHA-256' ? SIGNATURE_SCHEME.ecdsa_secp256r1_sha256 : h === 'SHA-384' ? SIGNATURE_SCHEME.ecdsa_secp384r1_sha384 : h === 'SHA-512' ? SIGNATURE_SCHEME.ecdsa_secp521r1_sha512 : undefined;
    case 'rsaPkcs1':
      return h === 'SHA-256' ? SIGNATURE_SCHEME.rsa_pkcs1_sha256 : h === 'SHA-384' ? SIGNATURE_SCHEME.rsa_pkcs1_sha384 : h === 'SHA-512' ? SIGNATURE_SCHEME.rsa_pkcs1_sha512 : undefined;
    case 'rsaPss': {
      if (alg.mgfHash !== alg.hash || alg.saltLength !== HASH[alg.hash as keyof typeof HASH]?.length) return undefined; // RFC 8446 §4.2.3: MGF1 with the same hash, salt as long as the digest
      const pss = issuerKey.kind === 'rsa' && issuerKey.pssOnly;
      if (h === 'SHA-256') return pss ? SIGNATURE_SCHEME.rsa_pss_pss_sha256 : SIGNATURE_SCHEME.rsa_pss_rsae_sha256;
      if (h === 'SHA-384') return pss ? SIGNATURE_SCHEME.rsa_pss_pss_sha384 : SIGNATURE_SCHEME.rsa_pss_rsae_sha384;
      if (h === 'SHA-512') return pss ? SIGNATURE_SCHEME.rsa_pss_pss_sha512 : SIGNATURE_SCHEME.rsa_pss_rsae_sha512;
      return undefined;
    }
    case 'unsupported':
      return undefined;
  }
}

export type SignatureVerdict = { kind: 'valid' } | { kind: 'invalid' } | { kind: 'unsupported'; why: string };

/**
 * Whether the issuer's key signed `tbs` with `signature`, or why the browser cannot tell
 * (an algorithm or key it does not use, or one not among `allowed` TLS schemes).
 */
export function checkSignature(alg: X509SignatureAlgorithm, issuerKey: X509Key, tbs: Uint8Array, signature: Uint8Array, allowed?: readonly number[]): SignatureVerdict {
  if (alg.kind === 'unsupported') return { kind: 'unsupported', why: `it is signed with ${alg.name}, which this browser does not check` };
  if (alg.hash === 'SHA-1') return { kind: 'unsupported', why: `it is signed with ${alg.name}: SHA-1 signatures can be forged (chosen-prefix collisions) and browsers refuse them` };
  if (issuerKey.kind === 'unsupported') return { kind: 'unsupported', why: `its issuer's key is ${issuerKey.name}, which this browser does not use` };
  const scheme = schemeOf(alg, issuerKey);
  if (scheme === undefined) return { kind: 'unsupported', why: `it is signed with ${alg.name}, which TLS does not name (RFC 8446 §4.2.3)` };
  if (allowed && !allowed.includes(scheme)) return { kind: 'unsupported', why: `it is signed with ${signatureSchemeName(scheme)}, which this browser did not offer in signature_algorithms` };
  const hash = HASH[alg.hash];
  switch (alg.kind) {
    case 'ecdsa': {
      if (issuerKey.kind !== 'ec') return { kind: 'unsupported', why: `it says ${alg.name}, but its issuer's key is ${issuerKey.kind.toUpperCase()}` };
      if (issuerKey.curve === 'P-256' && alg.hash === 'SHA-256') return verdict(ecdsaP256Verify(issuerKey.point, tbs, signature));
      const curve = issuerKey.curve === 'P-256' ? p256 : p384;
      try {
        return verdict(curve.verify(signature, hash.digest(tbs), issuerKey.point, { prehash: false, format: 'der', lowS: false }));
      } catch {
        return { kind: 'invalid' };
      }
    }
    case 'rsaPkcs1':
    case 'rsaPss': {
      if (issuerKey.kind !== 'rsa') return { kind: 'unsupported', why: `it says ${alg.name}, but its issuer's key is EC` };
      if (alg.kind === 'rsaPkcs1' && issuerKey.pssOnly) return { kind: 'invalid' }; // RFC 4055 §1.2: an id-RSASSA-PSS key signs PSS only
      if (issuerKey.bits < MIN_RSA_BITS) return { kind: 'unsupported', why: `its issuer's key is RSA-${issuerKey.bits}, below the ${MIN_RSA_BITS} bits browsers require` };
      const em = rsaVerifyPrimitive(issuerKey.key, signature);
      if (!em) return { kind: 'invalid' };
      return verdict(alg.kind === 'rsaPkcs1' ? pkcs1v15Matches(em, hash.digest(tbs), hash.digestInfo) : pssMatches(em, issuerKey.bits, hash.digest(tbs), alg.saltLength, HASH[alg.hash], HASH[alg.mgfHash as keyof typeof HASH]));
    }
  }
}

const verdict = (ok: boolean): SignatureVerdict => (ok ? { kind: 'valid' } : { kind: 'invalid' });

/** RSAVP1 (§5.2.2): s^e mod n as k bytes, or undefined when s is not a k-byte integer below n. */
function rsaVerifyPrimitive(key: RsaPublicKey, signature: Uint8Array): Uint8Array | undefined {
  if (!rsaBlockInRange(key, signature)) return undefined;
  try {
    return cryptoBackend().rsaPublic(key, signature);
  } catch {
    return undefined;
  }
}

/** §8.2.2 step 3-4: EM must equal EMSA-PKCS1-v1_5-ENCODE(M): 00 01 ff…ff 00 ‖ DigestInfo ‖ H. */
function pkcs1v15Matches(em: Uint8Array, digest: Uint8Array, digestInfo: number[]): boolean {
  const t = [...digestInfo, ...digest];
  const k = em.length;
  if (k < t.length + 11) return false;
  const expected = new Uint8Array(k).fill(0xff);
  expected[0] = 0;
  expected[1] = 1;
  expected[k - t.length - 1] = 0;
  expected.set(t, k - t.length);
  return equalBytes(em, expected);
}

/** MGF1 (RFC 8017 §B.2.1). */
function mgf1(seed: Uint8Array, length: number, hash: (m: Uint8Array) => Uint8Array): Uint8Array {
  const out = new Uint8Array(length);
  for (let counter = 0, at = 0; at < length; counter++) {
    const block = hash(concat(seed, bigIntToBytes(BigInt(counter), 4)));
    out.set(block.subarray(0, Math.min(block.length, length - at)), at);
    at += block.length;
  }
  return out;
}

/** EMSA-PSS-VERIFY (§9.1.2) with emBits = modBits − 1 (§8.1.2 step 2c). */
function pssMatches(k: Uint8Array, modBits: number, mHash: Uint8Array, saltLength: number, hash: { digest: (m: Uint8Array) => Uint8Array; length: number }, mgfHash: { digest: (m: Uint8Array) => Uint8Array } | undefined): boolean {
  if (!mgfHash) return false;
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  // I2OSP(m, emLen): a k-byte block whose extra leading byte (when emLen < k) must be zero.
  const lead = k.length - emLen;
  for (let i = 0; i < lead; i++) if (k[i] !== 0) return false;
  const em = k.subarray(lead);
  const hLen = hash.length;
  if (emLen < hLen + saltLength + 2) return false;
  if (em[emLen - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const zeroBits = 8 * emLen - emBits;
  const topMask = (0xff << (8 - zeroBits)) & 0xff;
  if (maskedDb[0]! & topMask) return false;
  const db = mgf1(h, maskedDb.length, mgfHash.digest);
  for (let i = 0; i < db.length; i++) db[i]! ^= maskedDb[i]!;
  db[0]! &= ~topMask & 0xff;
  const psLength = emLen - hLen - saltLength - 2;
  for (let i = 0; i < psLength; i++) if (db[i] !== 0) return false;
  if (db[psLength] !== 0x01) return false;
  const salt = db.subarray(db.length - saltLength);
  return equalBytes(hash.digest(concat(new Uint8Array(8), mHash, salt)), h);
}

