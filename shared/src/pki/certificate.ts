/**
 * The game's certificates are X.509 v3 (RFC 5280 §4.1) in DER, as every web certificate is:
 * `openssl x509 -text` and Wireshark read them, `openssl verify -x509_strict` accepts them.
 * The DER is made and parsed by @peculiar/asn1-x509; this file fixes the game's profile and
 * turns any certificate read from the wire into the game's model (certificate-fields.ts shows
 * it in the inspector, each field explained).
 *
 * What the game's CAs write: version 3; a positive serial; signed with ecdsa-with-SHA256 by a
 * P-256 key (RFC 5758 §3.2); issuer and subject each one commonName (UTF8String); validity in
 * UTCTime (GeneralizedTime from 2050, §4.1.2.5); an RSA (RFC 3279 §2.3.1) or P-256 (RFC 5480)
 * key; extensions basicConstraints (critical), keyUsage (critical), for a site extKeyUsage
 * serverAuth (§4.2.1.12), subjectKeyIdentifier and authorityKeyIdentifier (§4.2.1.2 method 1:
 * SHA-1 of the subjectPublicKey; §4.2.1.1: the issuer's), and for a site subjectAltName with
 * its DNS names — the names browsers match (RFC 6125 §6.4.4).
 *
 * What it reads: any RFC 5280 certificate (x509.ts). A certificate read from the wire keeps its
 * DER as received; encoding it again gives those bytes back unless a field was changed since
 * (an attacker's edit), in which case it is written in the game's profile from its fields —
 * and its signature no longer verifies, as one changed byte anywhere in the signed part breaks it.
 *
 * The CA SIGNS: ECDSA over the DER of the TBSCertificate ("to be signed") part. Nothing is
 * encrypted; the certificate is public, and anyone with the CA's public key checks it offline.
 */
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate as X509Certificate,
  ExtendedKeyUsage,
  Extension,
  Extensions,
  GeneralName,
  KeyIdentifier,
  KeyUsage as X509KeyUsage,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  TBSCertificate,
  Validity,
  Version,
} from '@peculiar/asn1-x509';
import { toHex } from '../codec/bytes.ts';
import { CodecError } from '../codec/reader.ts';
import { cryptoBackend, ecdsaP256Sign } from '../crypto/primitives.ts';
import type { Certificate, CertificateBody, KeyType, KeyUsageBit } from './types.ts';
import { derUnsigned, keyIdentifier, OID, pem, subjectPublicKeyInfo } from './keys.ts';
import { commonName } from './profile.ts';
import { EXT_OID, KEY_OID } from './oids.ts';
import { readX509, type X509 } from './x509.ts';
import { KEY_USAGE_BITS } from './x509-extensions.ts';

const SIGNATURE_ALGORITHM = () => new AlgorithmIdentifier({ algorithm: OID.ecdsaWithSha256 });

const buf = (b: Uint8Array): ArrayBuffer => b.slice().buffer;

function extension(id: string, critical: boolean, value: unknown): Extension {
  return new Extension({ extnID: id, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

/** RFC 5280 §4.1.2.2: a positive integer of at most 20 octets. */
function serialBytes(serial: bigint): Uint8Array {
  if (typeof serial !== 'bigint' || serial < 1n) throw new CodecError('badValue', `serial must be a positive whole number, got ${String(serial)}`, 0);
  const raw: number[] = [];
  for (let v = serial; v > 0n; v >>= 8n) raw.unshift(Number(v & 0xffn));
  const der = derUnsigned(Uint8Array.from(raw));
  if (der.length > 20) throw new CodecError('badValue', 'serial must fit in 20 bytes (RFC 5280 §4.1.2.2)', 0);
  return der;
}

function checkText(what: string, text: string): void {
  if (text.length === 0 || text.length > 64 || /\p{Cs}|\p{Cc}/u.test(text)) throw new CodecError('badValue', `${what} must be 1 to 64 printable characters`, 0);
}

function time(seconds: number, what: string): Date {
  if (!Number.isSafeInteger(seconds) || seconds < 0 || seconds >= 253402300800) throw new CodecError('badValue', `${what} must be a time from 1970 to 9999, got ${seconds}`, 0);
  return new Date(seconds * 1000);
}

function keyUsageFlags(bits: readonly KeyUsageBit[]): number {
  if (!Array.isArray(bits) || bits.length === 0) throw new CodecError('badValue', 'keyUsage must set at least one bit (RFC 5280 §4.2.1.3)', 0);
  let flags = 0;
  for (const b of bits) {
    const i = KEY_USAGE_BITS.indexOf(b);
    if (i < 0) throw new CodecError('badValue', `unknown key usage "${String(b)}" (one of ${KEY_USAGE_BITS.join(', ')})`, 0);
    flags |= 1 << i;
  }
  return flags;
}

function tbsCertificate(body: CertificateBody): TBSCertificate {
  checkText('subject', body.subject);
  checkText('issuer', body.issuer);
  for (const n of body.names) checkText('a subjectAltName name', n);
  if (body.keyType !== 'rsa' && body.keyType !== 'p256' && body.keyType !== 'p384') throw new CodecError('badValue', `the game writes rsa, p256 or p384 keys, not "${String(body.keyType)}"`, 0);
  if (body.publicKey.length === 0) throw new CodecError('badValue', 'the public key is empty', 0);
  if (body.pathLength !== undefined && (!Number.isSafeInteger(body.pathLength) || body.pathLength < 0 || !body.ca)) throw new CodecError('badValue', 'a path length is a whole number ≥ 0, and only a CA has one', 0);
  const exts = [
    extension(OID.basicConstraints, true, new BasicConstraints({ cA: body.ca, ...(body.pathLength !== undefined ? { pathLenConstraint: body.pathLength } : {}) })),
    extension(OID.keyUsage, true, new X509KeyUsage(keyUsageFlags(body.keyUsage))),
  ];
  if (!body.ca) exts.push(extension(OID.extKeyUsage, false, new ExtendedKeyUsage([OID.serverAuth])));
  exts.push(extension(OID.subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyIdentifier(body.publicKey))));
  if (body.authorityKeyId) exts.push(extension(OID.authorityKeyIdentifier, false, new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(buf(body.authorityKeyId)) })));
  if (body.names.length > 0) exts.push(extension(OID.subjectAltName, false, new SubjectAlternativeName(body.names.map((dNSName) => new GeneralName({ dNSName })))));
  // RFC 6962 §3.3: an OCTET STRING holding the TLS-encoded list; last, so that removing it gives the precertificate's TBSCertificate back.
  if (body.scts) exts.push(new Extension({ extnID: EXT_OID.ctPrecertificateScts, critical: false, extnValue: new OctetString(AsnConvert.serialize(new OctetString(buf(body.scts)))) }));
  return new TBSCertificate({
    version: Version.v3,
    serialNumber: buf(serialBytes(body.serial)),
    signature: SIGNATURE_ALGORITHM(),
    issuer: commonName(body.issuer),
    validity: new Validity({ notBefore: time(body.notBefore, 'notBefore'), notAfter: time(body.notAfter, 'notAfter') }),
    subject: commonName(body.subject),
    subjectPublicKeyInfo: subjectPublicKeyInfo(body.keyType, body.publicKey),
    extensions: new Extensions(exts),
  });
}

/** The to-be-signed bytes: exactly what the CA's signature covers. Throws `CodecError` for a value outside the profile. */
export function encodeCertificateBody(body: CertificateBody): Uint8Array {
  return new Uint8Array(AsnConvert.serialize(tbsCertificate(body)));
}

// A certificate keeps its DER (as received, or as the CA wrote it) while its fields are the ones
// that DER says, so it is neither written nor read twice; an edit to a field makes it a new one.
interface Known {
  fields: string;
  der: Uint8Array;
  x509?: X509;
}
const known = new WeakMap<Certificate, Known>();

/** The model's fields as one string, to tell whether a certificate was changed since its DER was made or read. */
function fieldsOf(cert: Certificate): string {
  return JSON.stringify(cert, (_, v: unknown) => (v instanceof Uint8Array ? toHex(v) : typeof v === 'bigint' ? `${v}n` : v));
}

function knownDer(cert: Certificate): Known | undefined {
  const k = known.get(cert);
  return k && k.fields === fieldsOf(cert) ? k : undefined;
}

function remember(cert: Certificate, der: Uint8Array, x509?: X509): Known {
  const k: Known = { fields: fieldsOf(cert), der, ...(x509 ? { x509 } : {}) };
  known.set(cert, k);
  return k;
}

/** The certificate's DER: as received, or written in the game's profile from its fields. */
export function encodeCertificate(cert: Certificate): Uint8Array {
  const k = knownDer(cert);
  if (k) return k.der;
  const x = new X509Certificate({ tbsCertificate: tbsCertificate(cert), signatureAlgorithm: SIGNATURE_ALGORITHM(), signatureValue: buf(cert.signature) });
  return remember(cert, new Uint8Array(AsnConvert.serialize(x))).der;
}

/** Everything the certificate says, read from its DER (x509.ts). Throws `CodecError` when the fields have no encoding. */
export function x509Of(cert: Certificate): X509 {
  const k = knownDer(cert) ?? remember(cert, encodeCertificate(cert));
  return (k.x509 ??= readX509(k.der));
}

export function certificatePem(cert: Certificate): string {
  return pem('CERTIFICATE', encodeCertificate(cert));
}

/** The key's type as the SubjectPublicKeyInfo names it (whether or not the key itself is one the browser can use). */
function keyTypeOf(x: X509): Certificate['keyType'] {
  const { oid, curve } = x.keyAlgorithm;
  if (oid === KEY_OID.rsaEncryption) return 'rsa';
  if (oid === KEY_OID.ecPublicKey && curve === KEY_OID.p256) return 'p256';
  if (oid === KEY_OID.ecPublicKey && curve === KEY_OID.p384) return 'p384';
  return 'other';
}

/** The game's model of a certificate read from `x`. */
function modelOf(x: X509): Certificate {
  return {
    serial: x.serial,
    subject: x.subject.commonName ?? x.subject.text,
    issuer: x.issuer.commonName ?? x.issuer.text,
    notBefore: x.notBefore,
    notAfter: x.notAfter,
    keyType: keyTypeOf(x),
    keyUsage: x.keyUsage ?? [],
    publicKey: x.subjectPublicKey,
    names: x.subjectAltName?.dns ?? [],
    ca: x.basicConstraints?.ca ?? false,
    ...(x.basicConstraints?.pathLength !== undefined ? { pathLength: x.basicConstraints.pathLength } : {}),
    ...(x.authorityKeyId ? { authorityKeyId: x.authorityKeyId } : {}),
    ...(x.scts ? { scts: x.scts } : {}),
    signature: x.signature,
  };
}

/**
 * Any well-formed X.509 certificate (RFC 5280), as the game's model; it keeps its DER, so it
 * encodes back to the same bytes. Throws `CodecError` for bytes that are not a certificate.
 */
export function decodeCertificate(der: Uint8Array): Certificate {
  const x = readX509(der);
  const cert = modelOf(x);
  remember(cert, x.der, x);
  return cert;
}

/**
 * The CA's act: sign the DER of the to-be-signed part with the issuer's P-256 private key
 * (ECDSA, SHA-256). The authorityKeyIdentifier is the signing key's (RFC 5280 §4.2.1.1).
 * With `log` (Certificate Transparency, pki/ct.ts), the CA first hands the log the
 * to-be-signed part without SCTs (what its precertificate gives the log) and signs the
 * certificate with the log's answer, the SCT list, in it.
 */
export function signCertificate(body: CertificateBody, issuerSecretKey: Uint8Array, log?: (precertTbs: Uint8Array) => Uint8Array): Certificate {
  const plain: CertificateBody = {
    serial: body.serial,
    subject: body.subject,
    issuer: body.issuer,
    notBefore: body.notBefore,
    notAfter: body.notAfter,
    keyType: body.keyType,
    keyUsage: [...body.keyUsage],
    publicKey: body.publicKey.slice(),
    names: [...body.names],
    ca: body.ca,
    ...(body.pathLength !== undefined ? { pathLength: body.pathLength } : {}),
    authorityKeyId: keyIdentifier(cryptoBackend().p256PublicKey(issuerSecretKey)),
    ...(body.scts ? { scts: body.scts.slice() } : {}),
  };
  const logged: CertificateBody = log ? { ...plain, scts: log(encodeCertificateBody(plain)) } : plain;
  return { ...logged, signature: ecdsaP256Sign(issuerSecretKey, encodeCertificateBody(logged)) };
}

export type { KeyType };

/**
 * A CA's own certificate, self-signed (RFC 5280 §3.2): what a trust store ships, and what
 * `openssl verify -CAfile root.pem` takes as the anchor. The game's browsers keep only the
 * anchor's name and key; this certificate is for the files a teacher opens.
 */
export function rootCertificate(name: string, keys: { secretKey: Uint8Array; publicKey: Uint8Array }, notBefore: number, notAfter: number, serial = 1): Certificate {
  return signCertificate({ serial: BigInt(serial), subject: name, issuer: name, notBefore, notAfter, keyType: 'p256', keyUsage: ['keyCertSign'], publicKey: keys.publicKey, names: [], ca: true }, keys.secretKey);
}

/**
 * An intermediate CA's certificate, signed by a root (RFC 5280 §3.2, §4.2.1.9): cA TRUE with
 * pathLenConstraint 0 (it signs sites, not other CAs), keyUsage keyCertSign and cRLSign — the
 * shape of the intermediates that sign today's web certificates (Let's Encrypt's R10, E5).
 * The root stays offline; the intermediate signs, and a server sends its certificate after its own.
 */
export function intermediateCertificate(
  name: string,
  publicKey: Uint8Array,
  root: { name: string; secretKey: Uint8Array },
  notBefore: number,
  notAfter: number,
  serial = 2,
): Certificate {
  return signCertificate({ serial: BigInt(serial), subject: name, issuer: root.name, notBefore, notAfter, keyType: 'p256', keyUsage: ['keyCertSign', 'cRLSign'], publicKey, names: [], ca: true, pathLength: 0 }, root.secretKey);
}
