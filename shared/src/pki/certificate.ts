/**
 * The game's certificates are X.509 v3 (RFC 5280 §4.1) in DER, as every web certificate is:
 * `openssl x509 -text` and Wireshark read them, `openssl verify -x509_strict` accepts them.
 * The DER is made and parsed by @peculiar/asn1-x509; this file fixes the game's profile, says
 * what each field is for, and turns any certificate read from the wire into the game's model.
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
import { CodecError, Reader } from '../codec/reader.ts';
import { formatGameTime } from '../codec/time.ts';
import { cryptoBackend, ecdsaP256Sign } from '../crypto/primitives.ts';
import type { Certificate, CertificateBody, KeyType, KeyUsageBit } from './types.ts';
import type { FieldNode } from '../codec/fields.ts';
import { childrenOf, readTlv, type Tlv } from './der.ts';
import { derUnsigned, keyIdentifier, OID, pem, subjectPublicKeyInfo } from './keys.ts';
import { commonName } from './profile.ts';
import { EXT_OID, KEY_OID } from './oids.ts';
import { readX509, type X509 } from './x509.ts';
import { keyName } from './x509-algorithms.ts';
import { KEY_USAGE_BITS } from './x509-extensions.ts';

/** One line per certificate field, for the inspector. */
export const CERTIFICATE_EXPLAIN = {
  // CA/Browser Forum Baseline Requirements §7.1: at least 64 bits of CSPRNG output in the serial.
  serial: "Serial number: the CA's own number for this certificate. The game counts 1, 2, 3…; a public CA must put at least 64 bits from a cryptographic random generator in it (CA/Browser Forum rules), so nobody can predict what it will sign",
  subject: 'Subject: a commonName for people to read; browsers do not match it — they match the subjectAltName names',
  issuer: "Issuer: the CA that signed it; the client must already trust this CA, or be sent the CA certificates that lead to one it trusts",
  notBefore: 'Valid from: before this moment the certificate must be refused',
  notAfter: 'Valid until: after this moment the certificate has expired',
  keyType: 'Public key algorithm: rsaEncryption (RSA) or id-ecPublicKey on the P-256 curve (ECDSA, ECDH); real CAs also use P-384',
  keyUsage: 'keyUsage extension (critical): what the CA allows this key to do — keyEncipherment (an RSA key that receives TLS 1.2 pre-master secrets), digitalSignature (a key that signs handshakes), keyCertSign (a CA key that signs certificates)',
  publicKey: "The subject's public key: public on purpose; only its owner holds the matching private key",
  names: 'subjectAltName extension: the DNS names this certificate vouches for; the browser compares the name it asked for with these (RFC 6125)',
  ca: 'basicConstraints extension (critical): cA TRUE only for a certificate authority; a site certificate that says FALSE cannot sign other certificates',
  pathLength: 'basicConstraints pathLenConstraint: how many intermediate CAs may stand under this CA',
  authorityKeyId: "authorityKeyIdentifier: which of the issuer's keys signed this (the SHA-1 of that key) — how a browser finds the issuer among several with one name",
  scts: 'CT Precertificate SCTs (RFC 6962 §3.3): signed certificate timestamps — each a public log’s signed promise that it published this certificate, where its owner (and anyone) can see it. Browsers that require Certificate Transparency refuse a certificate without one',
  signature:
    "The CA's signature over the DER of the whole to-be-signed part above: anyone can check it offline with the CA's public key; change one byte and it fails",
} as const satisfies Record<keyof Certificate, string>;

const GROUP_EXPLAIN = {
  certificate: 'Certificate (X.509 v3, DER): the signed part, the signature algorithm, and the signature',
  tbs: 'TBSCertificate: the "to be signed" part — every byte of it is covered by the signature',
  version: 'Version: v3 (written as 2), the version that has extensions',
  signatureAlgorithm: 'Signature algorithm: how the issuer signed (e.g. ecdsa-with-SHA256: ECDSA over a SHA-256 hash); written twice, inside and outside the signed part',
  validity: 'Validity: the two dates between which the certificate may be accepted',
  spki: 'SubjectPublicKeyInfo: the algorithm and the public key being certified',
  extensions: 'Extensions: what X.509 v3 adds — names, constraints, allowed uses',
  subjectKeyId: "subjectKeyIdentifier: this key's identifier (the SHA-1 of the public key), which certificates it signs name in their authorityKeyIdentifier",
  extKeyUsage: 'extKeyUsage: the purposes the key may serve; serverAuth is a TLS server',
  crlDistributionPoints: 'CRL distribution points: where the CA publishes the list of certificates it revoked',
  authorityInfoAccess: "Authority information access: the CA's OCSP responder (is this certificate revoked?) and where its own certificate can be fetched",
  certificatePolicies: 'Certificate policies: the rules the CA says it followed (e.g. domain validation)',
  nameConstraints: 'Name constraints: the only names (or the names not) that certificates under this CA may carry',
  other: 'An extension this browser only names: ignored unless marked critical, in which case the certificate must be refused (RFC 5280 §4.2)',
} as const;

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

// ---------------------------------------------------------------------------------------------
// The inspector's field tree: the DER walked element by element, each field at its bytes.

const showTime = (s: number) => `${s} (${formatGameTime(s)})`;
const node = (path: string, name: string, t: Tlv, value: string, explain: string, children?: FieldNode[]): FieldNode => ({
  path,
  name,
  offset: t.offset,
  length: t.end - t.offset,
  value,
  explain,
  ...(children && children.length > 0 ? { children } : {}),
});

/** Which model field an extension shows (the attacker edits these), and how it is named and explained. */
function extensionNode(x: X509, oid: string, cert: Certificate): { key: string; name: string; value: string; explain: string } {
  const E = CERTIFICATE_EXPLAIN;
  const e = x.extensions.find((v) => v.oid === oid)!;
  const critical = e.critical ? ' (critical)' : '';
  switch (oid) {
    case EXT_OID.basicConstraints:
      return { key: 'ca', name: `basicConstraints${critical}`, value: `cA ${cert.ca ? 'TRUE' : 'FALSE'}${cert.pathLength !== undefined ? `, pathLen ${cert.pathLength}` : ''}`, explain: E.ca };
    case EXT_OID.keyUsage:
      return { key: 'keyUsage', name: `keyUsage${critical}`, value: cert.keyUsage.join(', '), explain: E.keyUsage };
    case EXT_OID.subjectAltName: {
      const ips = x.subjectAltName?.ip ?? [];
      return { key: 'names', name: `subjectAltName${critical}`, value: [...cert.names, ...ips.map((ip) => `IP:${ip}`)].join(', '), explain: E.names };
    }
    case EXT_OID.ctPrecertificateScts:
      return { key: 'scts', name: `CT Precertificate SCTs${critical}`, value: e.summary, explain: E.scts };
    case EXT_OID.authorityKeyIdentifier:
      return { key: 'authorityKeyId', name: `authorityKeyIdentifier${critical}`, value: cert.authorityKeyId ? toHex(cert.authorityKeyId) : e.summary, explain: E.authorityKeyId };
    default: {
      const explain = (GROUP_EXPLAIN as Record<string, string>)[e.name] ?? GROUP_EXPLAIN.other;
      return { key: `extension.${e.name.replace(/\./g, '_')}`, name: `${e.name}${critical}`, value: e.summary, explain };
    }
  }
}

/** The tree of a certificate whose DER starts at `base` in the outer buffer: every field at its bytes, in the order the DER has them. */
function derTree(der: Uint8Array, cert: Certificate, x: X509, at: (key: string) => string, base: number): FieldNode[] {
  const shift = (t: Tlv): Tlv => ({ ...t, offset: t.offset + base, valueOffset: t.valueOffset + base, end: t.end + base });
  const top = readTlv(der, 0);
  const [tbsT, sigAlgT, sigT] = childrenOf(der, top);
  const parts = childrenOf(der, tbsT!);
  const v1 = parts[0]?.tag !== 0xa0;
  const [versionT, serialT, innerAlgT, issuerT, validityT, subjectT, spkiT, ...rest] = v1 ? [undefined, ...parts] : parts;
  const extsT = rest.find((t) => t?.tag === 0xa3);
  const [notBeforeT, notAfterT] = childrenOf(der, validityT!);
  const [keyAlgT, keyT] = childrenOf(der, spkiT!);
  const extList = extsT ? childrenOf(der, childrenOf(der, extsT)[0]!) : [];
  const E = CERTIFICATE_EXPLAIN;
  const extNodes = extList.map((t, i) => {
    const n = extensionNode(x, x.extensions[i]!.oid, cert);
    return node(at(n.key), n.name, shift(t), n.value, n.explain);
  });
  // The model's key type first (what an edit sets), then what the key is.
  const keyWords =
    cert.keyType === 'rsa'
      ? `rsa (rsaEncryption${x.key.kind === 'rsa' ? `, ${keyName(x.key)}` : ''})`
      : cert.keyType === 'p256' || cert.keyType === 'p384'
        ? `${cert.keyType} (id-ecPublicKey, ${cert.keyType === 'p256' ? 'prime256v1' : 'secp384r1'})`
        : keyName(x.key);
  const nameWord = (d: X509['subject']) => (d.commonName !== undefined && d.text === `CN=${d.commonName}` ? '(CN)' : '(DN)');
  const algorithm = x.signatureAlgorithm.name;
  const tbs = node(at('tbsCertificate'), 'tbsCertificate', shift(tbsT!), '(signed)', GROUP_EXPLAIN.tbs, [
    ...(versionT ? [node(at('version'), 'version', shift(versionT), `v${x.version}`, GROUP_EXPLAIN.version)] : []),
    node(at('serial'), 'serialNumber', shift(serialT!), x.serial < 1n << 64n ? String(cert.serial) : x.serialHex, E.serial),
    node(at('tbsSignatureAlgorithm'), 'signature', shift(innerAlgT!), algorithm, GROUP_EXPLAIN.signatureAlgorithm),
    node(at('issuer'), `issuer ${nameWord(x.issuer)}`, shift(issuerT!), nameWord(x.issuer) === '(CN)' ? cert.issuer : x.issuer.text, E.issuer),
    node(at('validity'), 'validity', shift(validityT!), '', GROUP_EXPLAIN.validity, [
      node(at('notBefore'), 'notBefore', shift(notBeforeT!), showTime(cert.notBefore), E.notBefore),
      node(at('notAfter'), 'notAfter', shift(notAfterT!), showTime(cert.notAfter), E.notAfter),
    ]),
    node(at('subject'), `subject ${nameWord(x.subject)}`, shift(subjectT!), nameWord(x.subject) === '(CN)' ? cert.subject : x.subject.text, E.subject),
    node(at('subjectPublicKeyInfo'), 'subjectPublicKeyInfo', shift(spkiT!), '', GROUP_EXPLAIN.spki, [
      node(at('keyType'), 'algorithm', shift(keyAlgT!), keyWords, E.keyType),
      node(at('publicKey'), 'subjectPublicKey', shift(keyT!), toHex(cert.publicKey), E.publicKey),
    ]),
    ...(extsT ? [node(at('extensions'), 'extensions', shift(extsT), '', GROUP_EXPLAIN.extensions, extNodes)] : []),
  ]);
  return [
    tbs,
    node(at('signatureAlgorithm'), 'signatureAlgorithm', shift(sigAlgT!), algorithm, GROUP_EXPLAIN.signatureAlgorithm),
    node(at('signature'), 'signatureValue', shift(sigT!), toHex(cert.signature), E.signature),
  ];
}

/** Reads a certificate's DER (everything left in `r`), recording its DER tree when `r` records. */
export function readCertificate(r: Reader): Certificate {
  const base = r.offset;
  const der = r.rest();
  const cert = decodeCertificate(der);
  if (r.recording) r.note(...derTree(der, cert, x509Of(cert), (key) => r.pathOf(key)!, base));
  return cert;
}

/** The inspector's field tree for a certificate on its own; offsets are into `encodeCertificate(cert)`. */
export function certificateFields(cert: Certificate, path = ''): FieldNode[] {
  const der = encodeCertificate(cert);
  return derTree(der, cert, x509Of(cert), (key) => (path ? `${path}.${key}` : key), 0);
}

/** "bank.example, issued by Heist Root CA": a one-line summary. */
export function describeCertificate(cert: Pick<Certificate, 'subject' | 'issuer'>): string {
  return `${cert.subject}, issued by ${cert.issuer}`;
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
