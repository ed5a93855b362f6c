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
 * This file reads the certificate's frame and keeps what it read; its names are x509-names.ts's,
 * its algorithms and key x509-algorithms.ts's, its extensions x509-extensions.ts's.
 *
 * What is malformed (not DER, not a Certificate, trailing bytes, a duplicated extension) throws
 * a `CodecError`: that is a decode_error. Everything well-formed is read, including keys and
 * algorithms the browser cannot use — those are refused later, by name, with the alert
 * RFC 8446 §6.2 gives (unsupported_certificate, bad_certificate, …).
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { ECParameters } from '@peculiar/asn1-ecc';
import { Certificate as AsnCertificate } from '@peculiar/asn1-x509';
import { toHex } from '../codec/bytes.ts';
import { CodecError } from '../codec/reader.ts';
import { bytesOf, childrenOf, readTlv } from './der.ts';
import { KEY_OID } from './oids.ts';
import { distinguishedName, type DistinguishedName } from './x509-names.ts';
import { keyOf, signatureAlgorithmOf, type X509Key, type X509SignatureAlgorithm } from './x509-algorithms.ts';
import { readExtensions, type X509Extension, type X509ExtensionFields } from './x509-extensions.ts';

export interface X509 extends X509ExtensionFields {
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
  extensions: X509Extension[];
  signature: Uint8Array;
  /** The same subject and issuer name (RFC 5280 §6.1: self-issued). */
  selfIssued: boolean;
}

function bigUnsigned(v: Uint8Array): bigint {
  let n = 0n;
  for (const b of v) n = (n << 8n) | BigInt(b);
  return n;
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
    const subjectPublicKey = bytesOf(t.subjectPublicKeyInfo.subjectPublicKey);
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
    const serialRaw = bytesOf(t.serialNumber);
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
      signature: bytesOf(cert.signatureValue),
      selfIssued: issuer.canonical === subject.canonical,
    };
  } catch (e) {
    if (e instanceof CodecError) throw e;
    throw new CodecError('badValue', `not an X.509 certificate: ${e instanceof Error ? e.message : String(e)}`, 0);
  }
}
