/**
 * The game's certificates are X.509 v3 (RFC 5280 §4.1) in DER, as every web certificate is:
 * `openssl x509 -text` and Wireshark read them, `openssl verify -CAfile root.pem` checks them.
 * The DER is made and parsed by @peculiar/asn1-x509; this file fixes the game's profile and
 * says what each field is for.
 *
 * Profile (what the game's CA writes, and the only shape the game accepts back, so one value
 * has one encoding): version 3; a positive serial; signed with ecdsa-with-SHA256 by a P-256
 * key (RFC 5758 §3.2); issuer and subject each one commonName (UTF8String); validity in UTCTime
 * (GeneralizedTime from 2050, RFC 5280 §4.1.2.5); an RSA (RFC 3279 §2.3.1) or P-256 (RFC 5480)
 * key; extensions basicConstraints (critical), keyUsage with one bit (critical) and, for a
 * site, subjectAltName with its DNS names — the names browsers match (RFC 6125 §6.4.4).
 *
 * The CA SIGNS: ECDSA over the DER of the TBSCertificate ("to be signed") part. Nothing is
 * encrypted; the certificate is public, and anyone with the CA's public key checks it offline.
 * One changed byte anywhere in the signed part breaks the signature.
 */
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  BasicConstraints,
  Certificate as X509Certificate,
  Extension,
  Extensions,
  GeneralName,
  KeyUsage as X509KeyUsage,
  SubjectAlternativeName,
  TBSCertificate,
  Validity,
  type Time,
  Version,
} from '@peculiar/asn1-x509';
import { toHex } from '../codec/bytes.ts';
import { CodecError, Reader } from '../codec/reader.ts';
import { formatGameTime } from '../codec/time.ts';
import { ecdsaP256Sign } from '../crypto/primitives.ts';
import type { Certificate, CertificateBody, FieldNode, KeyType } from '../messages/types.ts';
import { childrenOf, readTlv, type Tlv } from './der.ts';
import { derUnsigned, keyFromSpki, OID, pem, subjectPublicKeyInfo } from './keys.ts';
import { commonName, KEY_USAGE_FLAGS, keyUsageOf, onlyCommonName } from './profile.ts';

/** One line per certificate field, for the inspector. */
export const CERTIFICATE_EXPLAIN = {
  // CA/Browser Forum Baseline Requirements §7.1: at least 64 bits of CSPRNG output in the serial.
  serial: "Serial number: the CA's own number for this certificate. The game counts 1, 2, 3…; a public CA must put at least 64 bits from a cryptographic random generator in it (CA/Browser Forum rules), so nobody can predict what it will sign",
  subject: 'Subject: a commonName for people to read; browsers do not match it — they match the subjectAltName names',
  issuer: "Issuer: the CA that signed it; the client must already have this CA's public key in its trust store",
  notBefore: 'Valid from (UTCTime): before this moment the certificate must be refused',
  notAfter: 'Valid until (UTCTime): after this moment the certificate has expired',
  keyType: 'Public key algorithm: rsaEncryption (RSA) or id-ecPublicKey on the P-256 curve (ECDSA, ECDH)',
  keyUsage: 'keyUsage extension (critical): what the CA allows this key to do — keyEncipherment (an RSA key that receives TLS 1.2 pre-master secrets), digitalSignature (a key that signs handshakes), keyCertSign (a CA key that signs certificates)',
  publicKey: "The subject's public key: public on purpose; only its owner holds the matching private key",
  names: 'subjectAltName extension: the DNS names this certificate vouches for; the browser compares the name it asked for with these (RFC 6125)',
  ca: 'basicConstraints extension (critical): cA TRUE only for a certificate authority; a site certificate that says FALSE cannot sign other certificates',
  signature:
    "The CA's ECDSA P-256 signature over SHA-256 of the DER of the whole to-be-signed part above: anyone can check it offline with the CA's public key; change one byte and it fails",
} as const satisfies Record<keyof Certificate, string>;

const GROUP_EXPLAIN = {
  certificate: 'Certificate (X.509 v3, DER): the signed part, the signature algorithm, and the signature',
  tbs: 'TBSCertificate: the "to be signed" part — every byte of it is covered by the signature',
  version: 'Version: v3 (written as 2), the version that has extensions',
  signatureAlgorithm: 'Signature algorithm: ecdsa-with-SHA256 — ECDSA on P-256 over a SHA-256 hash (written twice: inside and outside the signed part)',
  validity: 'Validity: the two dates between which the certificate may be accepted',
  spki: 'SubjectPublicKeyInfo: the algorithm and the public key being certified',
  extensions: 'Extensions: what X.509 v3 adds — names, constraints, allowed uses',
} as const;

const SIGNATURE_ALGORITHM = () => new AlgorithmIdentifier({ algorithm: OID.ecdsaWithSha256 });

const buf = (b: Uint8Array): ArrayBuffer => b.slice().buffer;

function extension(id: string, critical: boolean, value: unknown): Extension {
  return new Extension({ extnID: id, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

function serialBytes(serial: number): Uint8Array {
  if (!Number.isSafeInteger(serial) || serial < 1) throw new CodecError('badValue', `serial must be a positive whole number, got ${serial}`, 0);
  const raw: number[] = [];
  for (let v = serial; v > 0; v = Math.floor(v / 256)) raw.unshift(v % 256);
  return derUnsigned(Uint8Array.from(raw));
}

function checkText(what: string, text: string): void {
  if (text.length === 0 || text.length > 64 || /\p{Cs}|\p{Cc}/u.test(text)) throw new CodecError('badValue', `${what} must be 1 to 64 printable characters`, 0);
}

function time(seconds: number, what: string): Date {
  if (!Number.isSafeInteger(seconds) || seconds < 0 || seconds >= 253402300800) throw new CodecError('badValue', `${what} must be a time from 1970 to 9999, got ${seconds}`, 0);
  return new Date(seconds * 1000);
}

function tbsCertificate(body: CertificateBody): TBSCertificate {
  checkText('subject', body.subject);
  checkText('issuer', body.issuer);
  for (const n of body.names) checkText('a subjectAltName name', n);
  if (!KEY_USAGE_FLAGS[body.keyUsage]) throw new CodecError('badValue', `unknown key usage "${String(body.keyUsage)}"`, 0);
  if (body.keyType !== 'rsa' && body.keyType !== 'p256') throw new CodecError('badValue', `unknown key type "${String(body.keyType)}"`, 0);
  if (body.publicKey.length === 0) throw new CodecError('badValue', 'the public key is empty', 0);
  const exts = [extension(OID.basicConstraints, true, new BasicConstraints({ cA: body.ca })), extension(OID.keyUsage, true, new X509KeyUsage(KEY_USAGE_FLAGS[body.keyUsage]))];
  if (body.names.length > 0) exts.push(extension(OID.subjectAltName, false, new SubjectAlternativeName(body.names.map((dNSName) => new GeneralName({ dNSName })))));
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

/** The certificate's DER. */
export function encodeCertificate(cert: Certificate): Uint8Array {
  const x = new X509Certificate({ tbsCertificate: tbsCertificate(cert), signatureAlgorithm: SIGNATURE_ALGORITHM(), signatureValue: buf(cert.signature) });
  return new Uint8Array(AsnConvert.serialize(x));
}

export function certificatePem(cert: Certificate): string {
  return pem('CERTIFICATE', encodeCertificate(cert));
}

function seconds(t: Time): number {
  return Math.floor(t.getTime().getTime() / 1000);
}

function extensionValue<T>(ext: Extension | undefined, type: new () => T): T | undefined {
  return ext ? AsnConvert.parse(ext.extnValue.buffer, type) : undefined;
}

function toNumber(serial: ArrayBuffer): number {
  let v = 0;
  for (const b of new Uint8Array(serial)) v = v * 256 + b;
  if (!Number.isSafeInteger(v)) throw new Error('serial too large for the game');
  return v;
}

/** Strict: the DER of a certificate in the game's profile, and nothing else (re-encoding must give the same bytes). */
export function decodeCertificate(der: Uint8Array): Certificate {
  let cert: Certificate;
  try {
    const x = AsnConvert.parse(der, X509Certificate);
    const tbs = x.tbsCertificate;
    const key = keyFromSpki(tbs.subjectPublicKeyInfo);
    if (!key) throw new Error('its key is neither RSA nor P-256');
    const exts = tbs.extensions ?? [];
    const find = (id: string) => exts.find((e) => e.extnID === id);
    const usage = extensionValue(find(OID.keyUsage), X509KeyUsage);
    const keyUsage = keyUsageOf(usage?.toNumber());
    if (!keyUsage) throw new Error('its keyUsage is not one the game uses');
    const san = extensionValue(find(OID.subjectAltName), SubjectAlternativeName);
    cert = {
      serial: toNumber(tbs.serialNumber),
      subject: onlyCommonName(tbs.subject, 'the subject'),
      issuer: onlyCommonName(tbs.issuer, 'the issuer'),
      notBefore: seconds(tbs.validity.notBefore),
      notAfter: seconds(tbs.validity.notAfter),
      keyType: key.keyType,
      keyUsage,
      publicKey: key.publicKey,
      names: (san ?? []).map((g) => {
        if (g.dNSName === undefined) throw new Error('a subjectAltName that is not a DNS name');
        return g.dNSName;
      }),
      ca: extensionValue(find(OID.basicConstraints), BasicConstraints)?.cA ?? false,
      signature: new Uint8Array(x.signatureValue),
    };
  } catch (e) {
    if (e instanceof CodecError) throw e;
    throw new CodecError('badValue', `not an X.509 certificate in the game's profile: ${e instanceof Error ? e.message : String(e)}`, 0);
  }
  let again: Uint8Array;
  try {
    again = encodeCertificate(cert);
  } catch (e) {
    throw new CodecError('badValue', `not an X.509 certificate in the game's profile: ${e instanceof Error ? e.message : String(e)}`, 0);
  }
  if (toHex(again) !== toHex(der)) throw new CodecError('badValue', "not an X.509 certificate in the game's profile: it re-encodes differently (a field, an extension or an encoding the game does not write)", 0);
  return cert;
}

/** The CA's act: sign the DER of the to-be-signed part with the issuer's P-256 private key (ECDSA, SHA-256). */
export function signCertificate(body: CertificateBody, issuerSecretKey: Uint8Array): Certificate {
  const plain: CertificateBody = {
    serial: body.serial,
    subject: body.subject,
    issuer: body.issuer,
    notBefore: body.notBefore,
    notAfter: body.notAfter,
    keyType: body.keyType,
    keyUsage: body.keyUsage,
    publicKey: body.publicKey.slice(),
    names: [...body.names],
    ca: body.ca,
  };
  return { ...plain, signature: ecdsaP256Sign(issuerSecretKey, encodeCertificateBody(plain)) };
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

/** The tree of a certificate (already decoded) whose DER starts at `base` in the outer buffer. */
function derTree(der: Uint8Array, cert: Certificate, at: (key: string) => string, base: number): FieldNode[] {
  const shift = (t: Tlv): Tlv => ({ ...t, offset: t.offset + base, valueOffset: t.valueOffset + base, end: t.end + base });
  const top = readTlv(der, 0);
  const [tbsT, sigAlgT, sigT] = childrenOf(der, top);
  const tbsParts = childrenOf(der, tbsT!);
  const [versionT, serialT, innerAlgT, issuerT, validityT, subjectT, spkiT, extsT] = tbsParts;
  const [notBeforeT, notAfterT] = childrenOf(der, validityT!);
  const [keyAlgT, keyT] = childrenOf(der, spkiT!);
  const extList = childrenOf(der, childrenOf(der, extsT!)[0]!);
  const E = CERTIFICATE_EXPLAIN;
  const extNodes = extList.map((t, i) => {
    const key = (['ca', 'keyUsage', 'names'] as const)[i]!;
    const value = key === 'ca' ? `cA ${cert.ca ? 'TRUE' : 'FALSE'}` : key === 'keyUsage' ? cert.keyUsage : cert.names.join(', ');
    const name = key === 'ca' ? 'basicConstraints' : key === 'keyUsage' ? 'keyUsage' : 'subjectAltName';
    return node(at(key), name, shift(t), value, E[key]);
  });
  const keyName = cert.keyType === 'rsa' ? 'rsa (rsaEncryption)' : 'p256 (id-ecPublicKey, prime256v1)';
  const tbs = node(at('tbsCertificate'), 'tbsCertificate', shift(tbsT!), '(signed)', GROUP_EXPLAIN.tbs, [
    node(at('version'), 'version', shift(versionT!), 'v3', GROUP_EXPLAIN.version),
    node(at('serial'), 'serialNumber', shift(serialT!), String(cert.serial), E.serial),
    node(at('tbsSignatureAlgorithm'), 'signature', shift(innerAlgT!), 'ecdsa-with-SHA256', GROUP_EXPLAIN.signatureAlgorithm),
    node(at('issuer'), 'issuer (CN)', shift(issuerT!), cert.issuer, E.issuer),
    node(at('validity'), 'validity', shift(validityT!), '', GROUP_EXPLAIN.validity, [
      node(at('notBefore'), 'notBefore', shift(notBeforeT!), showTime(cert.notBefore), E.notBefore),
      node(at('notAfter'), 'notAfter', shift(notAfterT!), showTime(cert.notAfter), E.notAfter),
    ]),
    node(at('subject'), 'subject (CN)', shift(subjectT!), cert.subject, E.subject),
    node(at('subjectPublicKeyInfo'), 'subjectPublicKeyInfo', shift(spkiT!), '', GROUP_EXPLAIN.spki, [
      node(at('keyType'), 'algorithm', shift(keyAlgT!), keyName, E.keyType),
      node(at('publicKey'), 'subjectPublicKey', shift(keyT!), toHex(cert.publicKey), E.publicKey),
    ]),
    node(at('extensions'), 'extensions', shift(extsT!), '', GROUP_EXPLAIN.extensions, extNodes),
  ]);
  return [
    tbs,
    node(at('signatureAlgorithm'), 'signatureAlgorithm', shift(sigAlgT!), 'ecdsa-with-SHA256', GROUP_EXPLAIN.signatureAlgorithm),
    node(at('signature'), 'signatureValue', shift(sigT!), toHex(cert.signature), E.signature),
  ];
}

/** Reads a certificate's DER (everything left in `r`), recording its DER tree when `r` records. */
export function readCertificate(r: Reader): Certificate {
  const base = r.offset;
  const der = r.rest();
  const cert = decodeCertificate(der);
  if (r.recording) r.note(...derTree(der, cert, (key) => r.pathOf(key)!, base));
  return cert;
}

/** The inspector's field tree for a certificate on its own; offsets are into `encodeCertificate(cert)`. */
export function certificateFields(cert: Certificate, path = ''): FieldNode[] {
  const der = encodeCertificate(cert);
  return derTree(der, cert, (key) => (path ? `${path}.${key}` : key), 0);
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
  return signCertificate({ serial, subject: name, issuer: name, notBefore, notAfter, keyType: 'p256', keyUsage: 'keyCertSign', publicKey: keys.publicKey, names: [], ca: true }, keys.secretKey);
}
