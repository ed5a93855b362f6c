/**
 * An X.509 v3 certificate read as RFC 5280 §4 defines it, whatever shape its CA gave it: the
 * schemas are @peculiar/asn1-x509's (they read every standard extension), and this file only
 * says what each part means to a browser. Nothing is re-encoded: `tbs` is the to-be-signed part
 * exactly as it arrived, which is what the issuer's signature covers (§4.1.1.3).
 *
 * Read: v1 and v3; any serial (§4.1.2.2 allows 20 octets); any distinguished name (several
 * RDNs, multi-valued RDNs, PrintableString, UTF8String, …); UTCTime and GeneralizedTime; RSA
 * (rsaEncryption, RFC 3279 §2.3.1, and id-RSASSA-PSS keys, RFC 4055 §1.2) and EC keys on P-256
 * or P-384 (RFC 5480); extensions in any order (§4.2), each standard one decoded. An extension
 * this reader does not know, or cannot decode, is kept with its criticality: the path validator
 * (path.ts) refuses a certificate with a critical one, as §4.2 requires, and ignores the rest.
 *
 * What is malformed (not DER, not a Certificate, trailing bytes, a duplicated extension) throws
 * a `CodecError`: that is a decode_error. Everything well-formed is read, including keys and
 * algorithms the browser cannot use — those are refused later, by name, with the alert
 * RFC 8446 §6.2 gives (unsupported_certificate, bad_certificate, …).
 */
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { ECParameters } from '@peculiar/asn1-ecc';
import { RSAPublicKey, RsaSaPssParams } from '@peculiar/asn1-rsa';
import {
  AlgorithmIdentifier,
  AuthorityInfoAccessSyntax,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate as AsnCertificate,
  CertificatePolicies,
  CRLDistributionPoints,
  ExtendedKeyUsage,
  GeneralName,
  KeyUsage as AsnKeyUsage,
  Name,
  NameConstraints,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  type GeneralSubtrees,
} from '@peculiar/asn1-x509';
import { toHex } from '../codec/bytes.ts';
import { CodecError } from '../codec/reader.ts';
import { formatGameTime } from '../codec/time.ts';
import type { RsaPublicKey } from '../crypto/rsa.ts';
import type { KeyUsageBit } from './types.ts';
import { childrenOf, readTlv } from './der.ts';
import { decodeSctList } from './ct.ts';

// ---------------------------------------------------------------------------------------------
// Object identifiers, each with the name people (and `openssl x509 -text`) know it by.

/** Signature algorithms (RFC 5758 §3.2, RFC 4055 §5, RFC 8017 A.2.4) and hashes. */
export const SIG_OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecdsaWithSha512: '1.2.840.10045.4.3.4',
  ecdsaWithSha1: '1.2.840.10045.4.1',
  sha1WithRsa: '1.2.840.113549.1.1.5',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  sha384WithRsa: '1.2.840.113549.1.1.12',
  sha512WithRsa: '1.2.840.113549.1.1.13',
  rsassaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  ed25519: '1.3.101.112',
  ed448: '1.3.101.113',
} as const;

export const KEY_OID = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsassaPss: '1.2.840.113549.1.1.10',
  ecPublicKey: '1.2.840.10045.2.1',
  p256: '1.2.840.10045.3.1.7',
  p384: '1.3.132.0.34',
  p521: '1.3.132.0.35',
  ed25519: '1.3.101.112',
  ed448: '1.3.101.113',
  dsa: '1.2.840.10040.4.1',
} as const;

/** RFC 5280 §4.2.1 and §4.2.2, and the extensions real CAs add (RFC 6962 SCTs). */
export const EXT_OID = {
  authorityKeyIdentifier: '2.5.29.35',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  certificatePolicies: '2.5.29.32',
  policyMappings: '2.5.29.33',
  subjectAltName: '2.5.29.17',
  issuerAltName: '2.5.29.18',
  subjectDirectoryAttributes: '2.5.29.9',
  basicConstraints: '2.5.29.19',
  nameConstraints: '2.5.29.30',
  policyConstraints: '2.5.29.36',
  extKeyUsage: '2.5.29.37',
  crlDistributionPoints: '2.5.29.31',
  inhibitAnyPolicy: '2.5.29.54',
  freshestCRL: '2.5.29.46',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  subjectInfoAccess: '1.3.6.1.5.5.7.1.11',
  ctPrecertificateScts: '1.3.6.1.4.1.11129.2.4.2',
  ctPoison: '1.3.6.1.4.1.11129.2.4.3',
  netscapeCertType: '2.16.840.1.113730.1.1',
  netscapeComment: '2.16.840.1.113730.1.13',
} as const;

/** RFC 5280 §4.2.1.12 key purposes. */
export const EKU_OID = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  OCSPSigning: '1.3.6.1.5.5.7.3.9',
  anyExtendedKeyUsage: '2.5.29.37.0',
} as const;

const ACCESS_OID = { ocsp: '1.3.6.1.5.5.7.48.1', caIssuers: '1.3.6.1.5.5.7.48.2' } as const;

/** RFC 4519 / RFC 4514 §3 short names for the attributes seen in real names. */
const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.15': 'businessCategory',
  '2.5.4.17': 'postalCode',
  '2.5.4.42': 'GN',
  '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '1.3.6.1.4.1.311.60.2.1.3': 'jurisdictionC',
  '1.3.6.1.4.1.311.60.2.1.2': 'jurisdictionST',
  '1.3.6.1.4.1.311.60.2.1.1': 'jurisdictionL',
};
const COMMON_NAME = '2.5.4.3';

const EXTENSION_NAMES: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(EXT_OID).map(([name, oid]) => [oid, name]));
const EKU_NAMES: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(EKU_OID).map(([name, oid]) => [oid, name]));

export const KEY_USAGE_BITS: readonly KeyUsageBit[] = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

// ---------------------------------------------------------------------------------------------
// What a certificate says, as typed values.

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

export interface DistinguishedName {
  /** RFC 4514 text, most specific first: "CN=R10, O=Let's Encrypt, C=US". */
  text: string;
  /** The most specific commonName, when the name has one. */
  commonName?: string;
  /** The form names are compared in (RFC 5280 §7.1): attribute types, values case- and space-folded. */
  canonical: string;
  der: Uint8Array;
}

export interface GeneralNames {
  dns: string[];
  ip: string[];
  email: string[];
  uri: string[];
  directory: DistinguishedName[];
  /** Forms the browser does not use (otherName, registeredID, …), by name. */
  other: string[];
}

export interface X509Extension {
  oid: string;
  /** Its RFC 5280 name, or the OID for one this reader does not know. */
  name: string;
  critical: boolean;
  /** The reader knows this extension and decoded its value. */
  known: boolean;
  /** Set when a known extension's value did not decode: the certificate is corrupt (bad_certificate). */
  malformed?: string;
  /** One line for people: "CA:TRUE, pathlen:0", "digitalSignature, keyEncipherment", … */
  summary: string;
}

export interface X509 {
  /** The certificate as received. */
  der: Uint8Array;
  /** The TBSCertificate as received: exactly what the issuer signed. */
  tbs: Uint8Array;
  /** 1 or 3 (2 has no extensions and is read as such). */
  version: number;
  serial: bigint;
  /** The serial as `openssl x509` shows a long one: hex bytes. */
  serialHex: string;
  signatureAlgorithm: X509SignatureAlgorithm;
  issuer: DistinguishedName;
  subject: DistinguishedName;
  /** Seconds since 1970. */
  notBefore: number;
  notAfter: number;
  key: X509Key;
  /** The SubjectPublicKeyInfo's algorithm OID, and the named curve of an EC key. */
  keyAlgorithm: { oid: string; curve?: string };
  /** The subjectPublicKey BIT STRING's bytes: what RFC 5280 §4.2.1.2 method 1 hashes for a key identifier. */
  subjectPublicKey: Uint8Array;
  basicConstraints?: { ca: boolean; pathLength?: number };
  keyUsage?: KeyUsageBit[];
  /** Key purposes by name (serverAuth, …), or OID for one this reader does not name. */
  extKeyUsage?: string[];
  subjectAltName?: GeneralNames;
  subjectKeyId?: Uint8Array;
  authorityKeyId?: Uint8Array;
  /** RFC 6962 §3.3: the embedded SignedCertificateTimestampList, as its TLS bytes (pki/ct.ts reads them). */
  scts?: Uint8Array;
  nameConstraints?: { permitted?: GeneralNames; excluded?: GeneralNames };
  crlDistributionPoints: string[];
  ocsp: string[];
  caIssuers: string[];
  policies: string[];
  extensions: X509Extension[];
  signature: Uint8Array;
  /** The same subject and issuer name (RFC 5280 §6.1: self-issued). */
  selfIssued: boolean;
}

// ---------------------------------------------------------------------------------------------

const bytes = (b: ArrayBuffer | ArrayBufferView): Uint8Array => (b instanceof ArrayBuffer ? new Uint8Array(b) : new Uint8Array(b.buffer, b.byteOffset, b.byteLength)).slice();

function stripSign(v: Uint8Array): Uint8Array {
  let i = 0;
  while (i < v.length - 1 && v[i] === 0) i++;
  return v.slice(i);
}

function bigUnsigned(v: Uint8Array): bigint {
  let n = 0n;
  for (const b of v) n = (n << 8n) | BigInt(b);
  return n;
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
function signatureAlgorithmOf(alg: AlgorithmIdentifier): X509SignatureAlgorithm {
  const simple = SIMPLE_SIGNATURES[alg.algorithm];
  if (simple) {
    // ECDSA has absent parameters (RFC 5758 §3.2); RSA PKCS #1 a NULL (RFC 4055 §5) — absent is read too, as OpenSSL does.
    const params = alg.parameters ? bytes(alg.parameters) : undefined;
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

function keyOf(alg: AlgorithmIdentifier, subjectPublicKey: Uint8Array): X509Key {
  switch (alg.algorithm) {
    case KEY_OID.rsaEncryption:
    case KEY_OID.rsassaPss: {
      const k = AsnConvert.parse(subjectPublicKey, RSAPublicKey);
      const key = { n: stripSign(bytes(k.modulus)), e: stripSign(bytes(k.publicExponent)) };
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

/** RFC 4518-style folding, as OpenSSL compares names: trim, collapse inner spaces, lower case. */
function fold(value: string): string {
  return value.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** RFC 4514 §2.4 escaping of a value in text; control characters as \\XX too, so a hostile name cannot move a terminal's cursor. */
function escape4514(v: string): string {
  return v
    .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, '\\ ')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function distinguishedName(der: Uint8Array): DistinguishedName {
  const name = AsnConvert.parse(der, Name);
  const rdns = [...name].map((rdn) =>
    [...rdn].map((atv) => {
      const v = atv.value;
      const text = v.anyValue !== undefined ? `#${toHex(bytes(v.anyValue))}` : v.toString();
      return { type: atv.type, text, string: v.anyValue === undefined };
    }),
  );
  let commonName: string | undefined;
  for (const rdn of rdns) for (const a of rdn) if (a.type === COMMON_NAME && a.string) commonName = a.text;
  const text = [...rdns]
    .reverse()
    .map((rdn) => rdn.map((a) => `${ATTRIBUTE_NAMES[a.type] ?? a.type}=${a.string ? escape4514(a.text) : a.text}`).join('+'))
    .join(', ');
  const canonical = rdns.map((rdn) => rdn.map((a) => `${a.type}=${a.string ? fold(a.text) : a.text}`).sort().join('+')).join(',');
  return { text, canonical, der, ...(commonName !== undefined ? { commonName } : {}) };
}

/** A DN for a name that is one commonName (the game's CAs, and trust anchors given by name only). */
export function canonicalCommonName(cn: string): string {
  return `${COMMON_NAME}=${fold(cn)}`;
}

function generalNames(list: readonly GeneralName[]): GeneralNames {
  const out: GeneralNames = { dns: [], ip: [], email: [], uri: [], directory: [], other: [] };
  for (const g of list) {
    if (g.dNSName !== undefined) out.dns.push(g.dNSName);
    else if (g.iPAddress !== undefined) out.ip.push(g.iPAddress);
    else if (g.rfc822Name !== undefined) out.email.push(g.rfc822Name);
    else if (g.uniformResourceIdentifier !== undefined) out.uri.push(g.uniformResourceIdentifier);
    else if (g.directoryName !== undefined) out.directory.push(distinguishedName(new Uint8Array(AsnConvert.serialize(g.directoryName))));
    else if (g.otherName !== undefined) out.other.push(`otherName ${g.otherName.typeId}`);
    else if (g.registeredID !== undefined) out.other.push(`registeredID ${g.registeredID}`);
    else out.other.push('another kind of name');
  }
  return out;
}

function subtrees(s: GeneralSubtrees | undefined): GeneralNames | undefined {
  return s ? generalNames(s.map((t) => t.base)) : undefined;
}

function showNames(n: GeneralNames): string {
  return [...n.dns.map((d) => `DNS:${d}`), ...n.ip.map((i) => `IP:${i}`), ...n.email.map((e) => `email:${e}`), ...n.uri.map((u) => `URI:${u}`), ...n.directory.map((d) => `DirName:${d.text}`), ...n.other].join(', ');
}

function uris(list: readonly GeneralName[] | undefined): string[] {
  return (list ?? []).flatMap((g) => (g.uniformResourceIdentifier !== undefined ? [g.uniformResourceIdentifier] : []));
}

function seconds(t: { getTime(): Date }): number {
  return Math.floor(t.getTime().getTime() / 1000);
}

/** Where a tag-length-value sits: what the signature covers must be cut from the input, not re-encoded. */
function tbsBytes(der: Uint8Array): Uint8Array {
  const top = readTlv(der, 0);
  if (top.tag !== 0x30) throw new CodecError('badValue', 'not an X.509 certificate: it does not start with a SEQUENCE', 0);
  if (top.end !== der.length) throw new CodecError('trailing', `not an X.509 certificate: ${der.length - top.end} bytes follow it`, top.end);
  const parts = childrenOf(der, top);
  if (parts.length !== 3 || parts[0]!.tag !== 0x30) throw new CodecError('badValue', 'not an X.509 certificate: it is not TBSCertificate, signatureAlgorithm, signatureValue', 0);
  return der.slice(parts[0]!.offset, parts[0]!.end);
}

/** The TBS's issuer and subject as received (for comparing names, §7.1). */
function nameBytes(tbs: Uint8Array): { issuer: Uint8Array; subject: Uint8Array; innerAlgorithm: Uint8Array } {
  const parts = childrenOf(tbs, readTlv(tbs, 0));
  const at = parts[0]?.tag === 0xa0 ? 1 : 0; // [0] EXPLICIT version, absent in v1
  const cut = (i: number) => {
    const t = parts[at + i];
    if (!t) throw new CodecError('truncated', 'not an X.509 certificate: the TBSCertificate is cut short', 0);
    return tbs.slice(t.offset, t.end);
  };
  return { innerAlgorithm: cut(1), issuer: cut(2), subject: cut(4) };
}

interface ReadExtensions {
  fields: Partial<X509>;
  list: X509Extension[];
}

function readExtensions(exts: readonly { extnID: string; critical: boolean; extnValue: { buffer: ArrayBuffer } }[]): ReadExtensions {
  const fields: Partial<X509> = { crlDistributionPoints: [], ocsp: [], caIssuers: [], policies: [] };
  const list: X509Extension[] = [];
  const seen = new Set<string>();
  for (const e of exts) {
    // §4.2: "A certificate MUST NOT include more than one instance of a particular extension."
    if (seen.has(e.extnID)) throw new CodecError('badValue', `not an X.509 certificate: the ${EXTENSION_NAMES[e.extnID] ?? e.extnID} extension appears twice (RFC 5280 §4.2)`, 0);
    seen.add(e.extnID);
    const value = e.extnValue.buffer;
    const known = e.extnID in EXTENSION_NAMES;
    const entry: X509Extension = { oid: e.extnID, name: EXTENSION_NAMES[e.extnID] ?? e.extnID, critical: e.critical, known, summary: `${value.byteLength} bytes` };
    try {
      entry.summary = readExtension(e.extnID, value, fields) ?? entry.summary;
    } catch (err) {
      entry.malformed = err instanceof Error ? err.message : String(err);
      entry.summary = '(does not decode)';
    }
    list.push(entry);
  }
  return { fields, list };
}

/** Decodes one extension into `f`; its one-line summary (undefined for one the reader only names). */
function readExtension(oid: string, value: ArrayBuffer, f: Partial<X509>): string | undefined {
  switch (oid) {
    case EXT_OID.basicConstraints: {
      const b = AsnConvert.parse(value, BasicConstraints);
      f.basicConstraints = { ca: b.cA, ...(b.pathLenConstraint !== undefined ? { pathLength: b.pathLenConstraint } : {}) };
      return `CA:${b.cA ? 'TRUE' : 'FALSE'}${b.pathLenConstraint !== undefined ? `, pathlen:${b.pathLenConstraint}` : ''}`;
    }
    case EXT_OID.keyUsage: {
      const bits = AsnConvert.parse(value, AsnKeyUsage).toNumber();
      f.keyUsage = KEY_USAGE_BITS.filter((_, i) => bits & (1 << i));
      return f.keyUsage.join(', ') || '(none)';
    }
    case EXT_OID.extKeyUsage: {
      f.extKeyUsage = [...AsnConvert.parse(value, ExtendedKeyUsage)].map((o) => EKU_NAMES[o] ?? o);
      return f.extKeyUsage.join(', ');
    }
    case EXT_OID.subjectAltName: {
      f.subjectAltName = generalNames(AsnConvert.parse(value, SubjectAlternativeName));
      return showNames(f.subjectAltName);
    }
    case EXT_OID.subjectKeyIdentifier: {
      f.subjectKeyId = bytes(AsnConvert.parse(value, SubjectKeyIdentifier).buffer);
      return toHex(f.subjectKeyId);
    }
    case EXT_OID.authorityKeyIdentifier: {
      const a = AsnConvert.parse(value, AuthorityKeyIdentifier);
      if (a.keyIdentifier) f.authorityKeyId = bytes(a.keyIdentifier.buffer);
      return f.authorityKeyId ? `keyid:${toHex(f.authorityKeyId)}` : '(issuer and serial)';
    }
    case EXT_OID.nameConstraints: {
      const n = AsnConvert.parse(value, NameConstraints);
      const permitted = subtrees(n.permittedSubtrees);
      const excluded = subtrees(n.excludedSubtrees);
      f.nameConstraints = { ...(permitted ? { permitted } : {}), ...(excluded ? { excluded } : {}) };
      return [permitted ? `permitted ${showNames(permitted)}` : '', excluded ? `excluded ${showNames(excluded)}` : ''].filter(Boolean).join('; ');
    }
    case EXT_OID.crlDistributionPoints: {
      f.crlDistributionPoints = [...AsnConvert.parse(value, CRLDistributionPoints)].flatMap((d) => uris(d.distributionPoint?.fullName));
      return f.crlDistributionPoints.join(', ') || '(no URI)';
    }
    case EXT_OID.authorityInfoAccess: {
      const aia = [...AsnConvert.parse(value, AuthorityInfoAccessSyntax)];
      f.ocsp = uris(aia.filter((a) => a.accessMethod === ACCESS_OID.ocsp).map((a) => a.accessLocation));
      f.caIssuers = uris(aia.filter((a) => a.accessMethod === ACCESS_OID.caIssuers).map((a) => a.accessLocation));
      return [...f.ocsp.map((u) => `OCSP ${u}`), ...f.caIssuers.map((u) => `CA issuers ${u}`)].join(', ');
    }
    case EXT_OID.ctPrecertificateScts: {
      f.scts = bytes(AsnConvert.parse(value, OctetString).buffer);
      const scts = decodeSctList(f.scts);
      return scts.map((t) => `log ${toHex(t.logId).slice(0, 16)}…, ${formatGameTime(Math.floor(t.timestamp / 1000))}`).join('; ') || '(no SCT this browser reads)';
    }
    case EXT_OID.certificatePolicies: {
      f.policies = [...AsnConvert.parse(value, CertificatePolicies)].map((p) => p.policyIdentifier);
      return f.policies.join(', ');
    }
    default:
      return undefined;
  }
}

/**
 * The certificates read lately, by their bytes: a round reads each one two or three times (the CA
 * signs it, the CA's answer carries it, the bank shows it), and parsing its ASN.1 costs about a
 * millisecond. Each reader gets a copy of its own, as a fresh read would give it, so nothing a
 * reader does to it reaches another (the scenario matrix: 2,286 reads, 1,160 parses). Only bytes
 * given as a plain Uint8Array are kept: a read of a Node Buffer holds Buffers cut from it.
 */
const recentlyRead = new Map<string, X509>();
const KEEP_READ = 64;

/** Reads any well-formed X.509 certificate; throws `CodecError` for bytes that are not one. */
export function readX509(der: Uint8Array): X509 {
  if (Object.getPrototypeOf(der) !== Uint8Array.prototype) return parseX509(der);
  const key = toHex(der);
  const kept = recentlyRead.get(key);
  if (kept) return copyOf(kept);
  const x = parseX509(der);
  if (recentlyRead.size >= KEEP_READ) recentlyRead.delete(recentlyRead.keys().next().value!);
  recentlyRead.set(key, copyOf(x));
  return x;
}

/**
 * A copy of a read, as structuredClone makes it without its serialiser's cost (a few percent of a
 * parse, where structuredClone took a third): a read is made of plain objects and arrays, bytes
 * and primitives, and what it holds twice (an EC key's point is its subjectPublicKey) is one
 * object twice in the copy too.
 */
function copyOf<T>(v: T, copies = new Map<object, unknown>()): T {
  if (v === null || typeof v !== 'object') return v;
  const done = copies.get(v);
  if (done !== undefined) return done as T;
  if (v instanceof Uint8Array) {
    const bytes = v.slice();
    copies.set(v, bytes);
    return bytes as T;
  }
  const out: Record<string, unknown> | unknown[] = Array.isArray(v) ? [] : {};
  copies.set(v, out);
  for (const [k, x] of Object.entries(v)) (out as Record<string, unknown>)[k] = copyOf(x, copies);
  return out as T;
}

function parseX509(der: Uint8Array): X509 {
  const tbs = tbsBytes(der);
  let cert: AsnCertificate;
  try {
    cert = AsnConvert.parse(der, AsnCertificate);
  } catch (e) {
    throw new CodecError('badValue', `not an X.509 certificate: ${e instanceof Error ? e.message : String(e)}`, 0);
  }
  const t = cert.tbsCertificate;
  try {
    const names = nameBytes(tbs);
    const outerAlgorithm = new Uint8Array(AsnConvert.serialize(cert.signatureAlgorithm));
    const sameAlgorithm = toHex(outerAlgorithm) === toHex(names.innerAlgorithm);
    const subjectPublicKey = bytes(t.subjectPublicKeyInfo.subjectPublicKey);
    const spkiAlg = t.subjectPublicKeyInfo.algorithm;
    let curve: string | undefined;
    try {
      curve = spkiAlg.algorithm === KEY_OID.ecPublicKey && spkiAlg.parameters ? AsnConvert.parse(spkiAlg.parameters, ECParameters).namedCurve : undefined;
    } catch {
      curve = undefined;
    }
    let key: X509Key;
    try {
      key = keyOf(t.subjectPublicKeyInfo.algorithm, subjectPublicKey);
    } catch {
      key = { kind: 'unsupported', name: `a ${t.subjectPublicKeyInfo.algorithm.algorithm} key that does not decode` };
    }
    let signatureAlgorithm: X509SignatureAlgorithm;
    try {
      signatureAlgorithm = sameAlgorithm ? signatureAlgorithmOf(cert.signatureAlgorithm) : { kind: 'unsupported', name: 'two different signature algorithms (RFC 5280 §4.1.1.2 says they must be the same)' };
    } catch {
      signatureAlgorithm = { kind: 'unsupported', name: `${cert.signatureAlgorithm.algorithm} with parameters that do not decode` };
    }
    const version = t.version + 1;
    if (version < 3 && t.extensions) throw new CodecError('badValue', 'not an X.509 certificate: extensions in a version 1 certificate', 0);
    const ext = readExtensions(t.extensions ?? []);
    const serialRaw = bytes(t.serialNumber);
    const issuer = distinguishedName(names.issuer);
    const subject = distinguishedName(names.subject);
    return {
      der: der.slice(),
      tbs,
      version,
      serial: serialRaw[0]! & 0x80 ? bigUnsigned(serialRaw) - (1n << BigInt(serialRaw.length * 8)) : bigUnsigned(serialRaw), // §4.1.2.2: positive, but some CAs wrote negative ones
      serialHex: toHex(serialRaw).replace(/(..)(?!$)/g, '$1:'),
      signatureAlgorithm,
      issuer,
      subject,
      notBefore: seconds(t.validity.notBefore),
      notAfter: seconds(t.validity.notAfter),
      key,
      keyAlgorithm: { oid: spkiAlg.algorithm, ...(curve ? { curve } : {}) },
      subjectPublicKey,
      crlDistributionPoints: [],
      ocsp: [],
      caIssuers: [],
      policies: [],
      ...ext.fields,
      extensions: ext.list,
      signature: bytes(cert.signatureValue),
      selfIssued: issuer.canonical === subject.canonical,
    };
  } catch (e) {
    if (e instanceof CodecError) throw e;
    throw new CodecError('badValue', `not an X.509 certificate: ${e instanceof Error ? e.message : String(e)}`, 0);
  }
}

/** "RSA-2048", "EC P-256", or the name of a key the browser cannot use. */
export function keyName(key: X509Key): string {
  return key.kind === 'rsa' ? `RSA-${key.bits}${key.pssOnly ? ' (RSASSA-PSS only)' : ''}` : key.kind === 'ec' ? `EC ${key.curve}` : key.name;
}
