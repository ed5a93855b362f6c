/**
 * The game's certificate: a small, canonical stand-in for an X.509 certificate (RFC 5280
 * §4.1), in the game's own byte layout: the fields the CA signs ("to be signed",
 * TBSCertificate) followed by the CA's signature over them. No extensions: the name is one
 * subject field (X.509 puts names in subjectAltName), and there are no intermediates.
 *
 * The CA SIGNS: it hashes the encoded body with SHA-256 and signs the hash with its Ed25519
 * private key (RFC 8032). Nothing is encrypted; the certificate is public, and anyone holding
 * the CA's public key can check the signature. One changed byte breaks it.
 *
 * Layout (big-endian, RFC 8446 §3 notation):
 *   uint32 serial; opaque subject<0..255>; opaque issuer<0..255>;
 *   uint32 not_before; uint32 not_after; uint16 key_type; uint8 key_usage;
 *   opaque public_key[32];            -- end of the signed body
 *   opaque signature[64];
 */
import { formatGameTime } from '../codec/time.ts';
import { ed25519Sign, sha256, ED25519_SIGNATURE_LENGTH, X25519_KEY_LENGTH } from '../crypto/primitives.ts';
import { Reader } from '../codec/reader.ts';
import { Writer } from '../codec/writer.ts';
import { KEY_TYPES, KEY_USAGES, readCode, writeCode } from '../messages/codes.ts';
import type { Certificate, CertificateBody, FieldNode } from '../messages/types.ts';

export const PUBLIC_KEY_LENGTH = X25519_KEY_LENGTH; // X25519 and Ed25519 public keys are both 32 bytes
export const SIGNATURE_LENGTH = ED25519_SIGNATURE_LENGTH;

/** One line per certificate field, for the inspector. */
export const CERTIFICATE_EXPLAIN = {
  serial: "Serial number: the CA's own number for this certificate",
  subject: 'Subject: the site name this certificate vouches for; the client must compare it with the name it asked for (real certificates list their names in the subjectAltName extension, and browsers match against that)',
  issuer: "Issuer: the CA that signed it; the client must already have this CA's public key in its trust store (real chains usually pass through an intermediate CA)",
  notBefore: 'Valid from (seconds since 1970, game time): before this moment the certificate must be refused',
  notAfter: 'Valid until (seconds since 1970, game time): after this moment the certificate has expired',
  keyType: 'Key type: what kind of public key is inside',
  keyUsage: 'Key usage: what the CA allows this key to be used for',
  publicKey: "The subject's public key: public on purpose; only its owner holds the matching private key",
  signature:
    "The CA's Ed25519 signature over SHA-256 of every field above: anyone can check it offline with the CA's public key; change one byte and it fails. Real web CAs sign with RSA or ECDSA",
} as const satisfies Record<keyof Certificate, string>;

/** Writes the signed part. Refuses values that could not be decoded again. */
export function writeCertificateBody(w: Writer, body: CertificateBody): void {
  w.u32(body.serial, 'serial');
  w.text(1, body.subject, 'subject');
  w.text(1, body.issuer, 'issuer');
  w.u32(body.notBefore, 'notBefore');
  w.u32(body.notAfter, 'notAfter');
  writeCode(w, KEY_TYPES, body.keyType, 2);
  writeCode(w, KEY_USAGES, body.keyUsage, 1);
  w.bytes(body.publicKey, PUBLIC_KEY_LENGTH, 'publicKey');
}

export function writeCertificate(w: Writer, cert: Certificate): void {
  writeCertificateBody(w, cert);
  w.bytes(cert.signature, SIGNATURE_LENGTH, 'signature');
}

/** Reads a certificate from `r`, recording its fields; the caller checks that nothing trails. */
const showTime = (seconds: number) => `${seconds} (${formatGameTime(seconds)})`;

export function readCertificate(r: Reader): Certificate {
  const E = CERTIFICATE_EXPLAIN;
  const serial = r.field('serial', E.serial, () => r.u32());
  const subject = r.field('subject', E.subject, () => r.text(1));
  const issuer = r.field('issuer', E.issuer, () => r.text(1));
  const notBefore = r.field('notBefore', E.notBefore, () => r.u32(), { show: showTime });
  const notAfter = r.field('notAfter', E.notAfter, () => r.u32(), { show: showTime });
  const keyType = r.field('keyType', E.keyType, () => readCode(r, KEY_TYPES, 2));
  const keyUsage = r.field('keyUsage', E.keyUsage, () => readCode(r, KEY_USAGES, 1));
  const publicKey = r.field('publicKey', E.publicKey, () => r.bytes(PUBLIC_KEY_LENGTH));
  const signature = r.field('signature', E.signature, () => r.bytes(SIGNATURE_LENGTH));
  return { serial, subject, issuer, notBefore, notAfter, keyType, keyUsage, publicKey, signature };
}

/** The to-be-signed bytes: exactly what the CA's signature covers. */
export function encodeCertificateBody(body: CertificateBody): Uint8Array {
  const w = new Writer();
  writeCertificateBody(w, body);
  return w.finish();
}

export function encodeCertificate(cert: Certificate): Uint8Array {
  const w = new Writer();
  writeCertificate(w, cert);
  return w.finish();
}

/** Throws `CodecError` on truncated, trailing or invalid bytes. */
export function decodeCertificate(bytes: Uint8Array): Certificate {
  const r = Reader.over(bytes);
  const cert = readCertificate(r);
  r.expectEnd();
  return cert;
}

/** What the signature covers: SHA-256 of the encoded body. */
export function certificateDigest(body: CertificateBody): Uint8Array {
  return sha256(encodeCertificateBody(body));
}

/** The CA's act: sign SHA-256(encoded body) with the issuer's Ed25519 private key. */
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
  };
  return { ...plain, signature: ed25519Sign(issuerSecretKey, certificateDigest(plain)) };
}

/** The inspector's field tree for a certificate on its own; offsets are into `encodeCertificate(cert)`. */
export function certificateFields(cert: Certificate, path = ''): FieldNode[] {
  const r = Reader.over(encodeCertificate(cert), { record: true, path });
  readCertificate(r);
  return r.fields;
}

/** "bank.example, issued by Heist Root CA": a one-line summary. */
export function describeCertificate(cert: Pick<Certificate, 'subject' | 'issuer'>): string {
  return `${cert.subject}, issued by ${cert.issuer}`;
}
