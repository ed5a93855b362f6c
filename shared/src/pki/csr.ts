/**
 * Certificate signing requests are PKCS #10 (RFC 2986) in DER, made and parsed by
 * @peculiar/asn1-csr: the name (a commonName, and the same name as a subjectAltName in an
 * extensionRequest, as CAs want it), the public key, the key usage asked for — and the
 * requester's own signature over all of it with the key to be certified (proof of possession:
 * nobody can ask a CA to certify a key whose private half they do not hold). An RSA key signs
 * with sha256WithRSAEncryption (RSASSA-PKCS1-v1_5), a P-256 key with ecdsa-with-SHA256.
 *
 * Proof of possession is not proof of the name: the CA still issues an ACME http-01 token for
 * the request (RFC 8555 §8.3), the requester publishes it under the subject name, and the CA
 * fetches it back to see who really answers for the name; only then does it sign.
 */
import { CertificationRequest, CertificationRequestInfo, Attributes } from '@peculiar/asn1-csr';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  Attribute,
  Extension,
  Extensions,
  GeneralName,
  KeyUsage as X509KeyUsage,
  SubjectAlternativeName,
} from '@peculiar/asn1-x509';
import { toHex } from '../codec/bytes.ts';
import { CodecError, Reader } from '../codec/reader.ts';
import { ecdsaP256Sign, ecdsaP256Verify, rsaPkcs1Sha256Sign, rsaPkcs1Sha256Verify, type KeyPair } from '../crypto/primitives.ts';
import type { CertificateSigningRequest, KeyType, KeyUsage } from './types.ts';
import type { FieldNode } from '../codec/fields.ts';
import { childrenOf, readTlv, type Tlv } from './der.ts';
import { DER_NULL, keyFromSpki, OID, rsaPrivateKeyFromDer, rsaPublicKeyFromDer, subjectPublicKeyInfo } from './keys.ts';
import { commonName, KEY_USAGE_FLAGS, keyUsageOf, onlyCommonName } from './profile.ts';

/** The ACME token the CA issues (RFC 8555 §8.3 asks for at least 128 bits). */
export const CHALLENGE_TOKEN_LENGTH = 16;

export const CSR_EXPLAIN = {
  subject: 'Subject: the name the requester wants a certificate for (commonName, and the same name asked for as a subjectAltName); the CA must check the requester really controls it',
  keyType: 'Public key algorithm: what kind of key the requester wants certified (RSA or P-256)',
  keyUsage: 'Requested keyUsage (in an extensionRequest): what the requester wants the key to be allowed to do',
  publicKey: "The requester's public key, to be written into the certificate; the private key never leaves the requester",
  signature: 'The requester’s signature over the request, made with the private key of the key above: proof it holds that key (not proof that it owns the name)',
} as const satisfies Record<keyof CertificateSigningRequest, string>;


const buf = (b: Uint8Array): ArrayBuffer => b.slice().buffer;

function signatureAlgorithm(keyType: KeyType): AlgorithmIdentifier {
  return keyType === 'rsa' ? new AlgorithmIdentifier({ algorithm: OID.sha256WithRSAEncryption, parameters: buf(DER_NULL) }) : new AlgorithmIdentifier({ algorithm: OID.ecdsaWithSha256 });
}

function requestInfo(csr: Omit<CertificateSigningRequest, 'signature'>): CertificationRequestInfo {
  if (csr.subject.length === 0 || csr.subject.length > 64 || /\p{Cs}|\p{Cc}/u.test(csr.subject)) throw new CodecError('badValue', 'subject must be 1 to 64 printable characters', 0);
  if (!KEY_USAGE_FLAGS[csr.keyUsage]) throw new CodecError('badValue', `unknown key usage "${String(csr.keyUsage)}"`, 0);
  if (csr.keyType !== 'rsa' && csr.keyType !== 'p256') throw new CodecError('badValue', `unknown key type "${String(csr.keyType)}"`, 0);
  if (csr.publicKey.length === 0) throw new CodecError('badValue', 'the public key is empty', 0);
  const exts = new Extensions([
    new Extension({ extnID: OID.subjectAltName, critical: false, extnValue: new OctetString(AsnConvert.serialize(new SubjectAlternativeName([new GeneralName({ dNSName: csr.subject })]))) }),
    new Extension({ extnID: OID.keyUsage, critical: true, extnValue: new OctetString(AsnConvert.serialize(new X509KeyUsage(KEY_USAGE_FLAGS[csr.keyUsage]))) }),
  ]);
  return new CertificationRequestInfo({
    version: 0,
    subject: commonName(csr.subject),
    subjectPKInfo: subjectPublicKeyInfo(csr.keyType, csr.publicKey),
    attributes: new Attributes([new Attribute({ type: OID.extensionRequest, values: [AsnConvert.serialize(exts)] })]),
  });
}

/** The bytes the requester signs: the DER of CertificationRequestInfo (RFC 2986 §4.1). */
export function encodeCsrInfo(csr: Omit<CertificateSigningRequest, 'signature'>): Uint8Array {
  return new Uint8Array(AsnConvert.serialize(requestInfo(csr)));
}

export function encodeCsr(csr: CertificateSigningRequest): Uint8Array {
  const req = new CertificationRequest({ certificationRequestInfo: requestInfo(csr), signatureAlgorithm: signatureAlgorithm(csr.keyType), signature: buf(csr.signature) });
  return new Uint8Array(AsnConvert.serialize(req));
}

/** A request for `subject`, signed with `keys` (the pair whose public half is to be certified). */
export function makeCsr(subject: string, keyType: KeyType, keyUsage: KeyUsage, keys: KeyPair): CertificateSigningRequest {
  const body = { subject, keyType, keyUsage, publicKey: keys.publicKey.slice() };
  const info = encodeCsrInfo(body);
  const signature = keyType === 'rsa' ? rsaPkcs1Sha256Sign(rsaPrivateKeyFromDer(keys.secretKey), info) : ecdsaP256Sign(keys.secretKey, info);
  return { ...body, signature };
}

/** Proof of possession: the request is signed by the private half of the key it carries. */
export function csrSignatureValid(csr: CertificateSigningRequest): boolean {
  try {
    const info = encodeCsrInfo(csr);
    return csr.keyType === 'rsa' ? rsaPkcs1Sha256Verify(rsaPublicKeyFromDer(csr.publicKey), info, csr.signature) : ecdsaP256Verify(csr.publicKey, info, csr.signature);
  } catch {
    return false;
  }
}

/** Strict, like decodeCertificate: a PKCS #10 request in the game's profile and nothing else. */
export function decodeCsr(der: Uint8Array): CertificateSigningRequest {
  let csr: CertificateSigningRequest;
  try {
    const req = AsnConvert.parse(der, CertificationRequest);
    const info = req.certificationRequestInfo;
    const key = keyFromSpki(info.subjectPKInfo);
    if (!key) throw new Error('its key is neither RSA nor P-256');
    const subject = onlyCommonName(info.subject, 'the subject');
    const ext = info.attributes.find((a) => a.type === OID.extensionRequest);
    const exts = ext?.values[0] ? AsnConvert.parse(ext.values[0], Extensions) : [];
    const usageExt = exts.find((e) => e.extnID === OID.keyUsage);
    const keyUsage = keyUsageOf(usageExt && AsnConvert.parse(usageExt.extnValue.buffer, X509KeyUsage).toNumber());
    if (!keyUsage) throw new Error('its keyUsage is not one the game uses');
    csr = { subject, keyType: key.keyType, keyUsage, publicKey: key.publicKey, signature: new Uint8Array(req.signature) };
  } catch (e) {
    if (e instanceof CodecError) throw e;
    throw new CodecError('badValue', `not a PKCS #10 request in the game's profile: ${e instanceof Error ? e.message : String(e)}`, 0);
  }
  let again: Uint8Array;
  try {
    again = encodeCsr(csr);
  } catch (e) {
    throw new CodecError('badValue', `not a PKCS #10 request in the game's profile: ${e instanceof Error ? e.message : String(e)}`, 0);
  }
  if (toHex(again) !== toHex(der)) throw new CodecError('badValue', "not a PKCS #10 request in the game's profile: it re-encodes differently", 0);
  return csr;
}

function derTree(der: Uint8Array, csr: CertificateSigningRequest, at: (key: string) => string, base: number): FieldNode[] {
  const shift = (t: Tlv) => ({ offset: t.offset + base, length: t.end - t.offset });
  const top = readTlv(der, 0);
  const [infoT, algT, sigT] = childrenOf(der, top);
  const [versionT, subjectT, spkiT, attrsT] = childrenOf(der, infoT!);
  const [keyAlgT, keyT] = childrenOf(der, spkiT!);
  const E = CSR_EXPLAIN;
  const n = (key: string, name: string, t: Tlv, value: string, explain: string, children?: FieldNode[]): FieldNode => ({ path: at(key), name, ...shift(t), value, explain, ...(children ? { children } : {}) });
  return [
    n('certificationRequestInfo', 'certificationRequestInfo', infoT!, '(signed by the requester)', 'CertificationRequestInfo: what the requester signs', [
      n('version', 'version', versionT!, 'v1 (0)', 'Version: PKCS #10 has one'),
      n('subject', 'subject (CN)', subjectT!, csr.subject, E.subject),
      n('subjectPKInfo', 'subjectPKInfo', spkiT!, '', 'SubjectPublicKeyInfo: the algorithm and the key to certify', [
        n('keyType', 'algorithm', keyAlgT!, csr.keyType === 'rsa' ? 'rsa (rsaEncryption)' : 'p256 (id-ecPublicKey, prime256v1)', E.keyType),
        n('publicKey', 'subjectPublicKey', keyT!, toHex(csr.publicKey), E.publicKey),
      ]),
      n('attributes', 'attributes', attrsT!, `extensionRequest: subjectAltName ${csr.subject}, keyUsage ${csr.keyUsage}`, E.keyUsage),
    ]),
    n('signatureAlgorithm', 'signatureAlgorithm', algT!, csr.keyType === 'rsa' ? 'sha256WithRSAEncryption' : 'ecdsa-with-SHA256', 'How the requester signed: with the key it asks to certify'),
    n('signature', 'signature', sigT!, toHex(csr.signature), E.signature),
  ];
}

/** Reads a request's DER (everything left in `r`), recording its tree when `r` records. */
export function readCsr(r: Reader): CertificateSigningRequest {
  const base = r.offset;
  const der = r.rest();
  const csr = decodeCsr(der);
  if (r.recording) r.note(...derTree(der, csr, (key) => r.pathOf(key)!, base));
  return csr;
}

/** The CA panel's field tree; offsets are into `encodeCsr(csr)`. */
export function csrFields(csr: CertificateSigningRequest, path = ''): FieldNode[] {
  return derTree(encodeCsr(csr), csr, (key) => (path ? `${path}.${key}` : key), 0);
}
