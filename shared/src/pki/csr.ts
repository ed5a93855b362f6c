/**
 * A certificate signing request: a small stand-in for PKCS #10 (RFC 2986). The domain-control
 * challenge is not in it: the CA issues an ACME http-01 token for the request (RFC 8555 §8.3),
 * the requester publishes it under the subject name, and the CA fetches it back to see who
 * really answers for the name; only then does it sign.
 *
 * Layout: opaque subject<0..255>; uint16 key_type; uint8 key_usage; opaque public_key[32];
 */
import { Reader } from '../codec/reader.ts';
import { Writer } from '../codec/writer.ts';
import { KEY_TYPES, KEY_USAGES, readCode, writeCode } from '../messages/codes.ts';
import type { CertificateSigningRequest, FieldNode } from '../messages/types.ts';
import { PUBLIC_KEY_LENGTH } from './certificate.ts';

/** The ACME token the CA issues (RFC 8555 §8.3 asks for at least 128 bits). */
export const CHALLENGE_TOKEN_LENGTH = 16;

export const CSR_EXPLAIN = {
  subject: 'Subject: the name the requester wants a certificate for; the CA must check the requester really controls it',
  keyType: 'Key type: what kind of public key the requester wants certified',
  keyUsage: 'Key usage: what the requester wants the key to be allowed to do',
  publicKey: "The requester's public key, to be written into the certificate; the private key never leaves the requester",
} as const satisfies Record<keyof CertificateSigningRequest, string>;

export function writeCsr(w: Writer, csr: CertificateSigningRequest): void {
  w.text(1, csr.subject, 'subject');
  writeCode(w, KEY_TYPES, csr.keyType, 2);
  writeCode(w, KEY_USAGES, csr.keyUsage, 1);
  w.bytes(csr.publicKey, PUBLIC_KEY_LENGTH, 'publicKey');
}

/** Reads a CSR from `r`, recording its fields; the caller checks that nothing trails. */
export function readCsr(r: Reader): CertificateSigningRequest {
  const E = CSR_EXPLAIN;
  const subject = r.field('subject', E.subject, () => r.text(1));
  const keyType = r.field('keyType', E.keyType, () => readCode(r, KEY_TYPES, 2));
  const keyUsage = r.field('keyUsage', E.keyUsage, () => readCode(r, KEY_USAGES, 1));
  const publicKey = r.field('publicKey', E.publicKey, () => r.bytes(PUBLIC_KEY_LENGTH));
  return { subject, keyType, keyUsage, publicKey };
}

export function encodeCsr(csr: CertificateSigningRequest): Uint8Array {
  const w = new Writer();
  writeCsr(w, csr);
  return w.finish();
}

/** Throws `CodecError` on truncated, trailing or invalid bytes. */
export function decodeCsr(bytes: Uint8Array): CertificateSigningRequest {
  const r = Reader.over(bytes);
  const csr = readCsr(r);
  r.expectEnd();
  return csr;
}

/** The CA panel's field tree; offsets are into `encodeCsr(csr)`. */
export function csrFields(csr: CertificateSigningRequest, path = ''): FieldNode[] {
  const r = Reader.over(encodeCsr(csr), { record: true, path });
  readCsr(r);
  return r.fields;
}
