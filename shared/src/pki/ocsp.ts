/**
 * OCSP responses (RFC 6960), the CA's signed word on one certificate: good, or revoked (when,
 * and why). A server staples one into its handshake (RFC 6066 §8; in TLS 1.3 inside its
 * certificate's CertificateEntry, RFC 8446 §4.4.2.1), so the browser need not ask the CA itself.
 *
 * The DER is made and read by @peculiar/asn1-ocsp (the same family as asn1-x509, which writes
 * the certificates): `openssl ocsp -respin FILE -resp_text` prints what this file writes, and
 * `-verify_other`/`-CAfile` with the game's root verifies it. What the game's CA writes (§4.2.1):
 * an OCSPResponse `successful` with a BasicOCSPResponse signed by the CA itself (no delegated
 * responder: the issuer signs, §4.2.2.2), responderID byKey (the SHA-1 of its public key), one
 * SingleResponse whose CertID uses SHA-1 (what every responder answers to, §4.1.1), thisUpdate
 * and nextUpdate (§4.2.2.1: a response is fresh until nextUpdate), signed ecdsa-with-SHA256.
 */
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, CRLReason, CRLReasons } from '@peculiar/asn1-x509';
import { BasicOCSPResponse, CertID, CertStatus, id_pkix_ocsp_basic, KeyHash, OCSPResponse, OCSPResponseStatus, ResponderID, ResponseBytes, ResponseData, RevokedInfo, SingleResponse } from '@peculiar/asn1-ocsp';
import { sha1 } from '@noble/hashes/legacy.js';
import { equalBytes, toHex } from '../codec/bytes.ts';
import { CodecError } from '../codec/reader.ts';
import { formatGameTime } from '../codec/time.ts';
import { ecdsaP256Sign, ecdsaP256Verify } from '../crypto/primitives.ts';
import { derUnsigned, keyIdentifier, OID } from './keys.ts';
import { commonName } from './profile.ts';
import type { Certificate } from './types.ts';

/** What the CA's responder says of a certificate. The game revokes only for one reason: the key leaked (RFC 5280 §5.3.1 keyCompromise). */
export type OcspStatus = { kind: 'good' } | { kind: 'revoked'; at: number };

/** An OCSP response as the game reads it. */
export interface OcspAnswer {
  serial: bigint;
  status: OcspStatus;
  /** Game time, seconds: when the CA said it, and until when it stands. */
  thisUpdate: number;
  nextUpdate?: number;
  /** The SHA-1 of the signer's public key (responderID byKey) and the CertID's issuer hashes. */
  responderKeyHash: Uint8Array;
  issuerNameHash: Uint8Array;
  issuerKeyHash: Uint8Array;
  /** The signed part, and the CA's signature over it. */
  signed: Uint8Array;
  signature: Uint8Array;
}

/** How long the game's CA lets an answer stand: 4 days, within the CA/Browser Forum's 10 (Baseline Requirements §4.9.10). */
export const OCSP_VALIDITY_DAYS = 4;
const DAY = 86_400;

const sha1Algorithm = () => new AlgorithmIdentifier({ algorithm: '1.3.14.3.2.26', parameters: null });
const buf = (b: Uint8Array): ArrayBuffer => b.slice().buffer;
const date = (seconds: number) => new Date(seconds * 1000);
const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

/** RFC 6960 §4.1.1: the CertID of the certificate `serial` that `issuer` (a commonName, its P-256 key) signed. */
function certId(serial: bigint, issuer: { name: string; publicKey: Uint8Array }): CertID {
  return new CertID({
    hashAlgorithm: sha1Algorithm(),
    issuerNameHash: new OctetString(sha1(new Uint8Array(AsnConvert.serialize(commonName(issuer.name))))),
    issuerKeyHash: new OctetString(keyIdentifier(issuer.publicKey)),
    serialNumber: buf(derUnsigned(bigintBytes(serial))),
  });
}

function bigintBytes(n: bigint): Uint8Array {
  const hex = n.toString(16);
  const even = hex.length % 2 ? `0${hex}` : hex;
  return Uint8Array.from(even.match(/../g)!.map((h) => parseInt(h, 16)));
}

/**
 * The CA's answer for `certificate`, signed at `now` by its issuer (the CA that signed it: name,
 * key pair), standing for OCSP_VALIDITY_DAYS. Returns the OCSPResponse's DER.
 */
export function signOcspResponse(certificate: Pick<Certificate, 'serial'>, issuer: { name: string; keys: { publicKey: Uint8Array; secretKey: Uint8Array } }, status: OcspStatus, now: number): Uint8Array {
  const certStatus = status.kind === 'good' ? new CertStatus({ good: null }) : new CertStatus({ revoked: new RevokedInfo({ revocationTime: date(status.at), revocationReason: new CRLReason(CRLReasons.keyCompromise) }) });
  const tbs = new ResponseData({
    responderID: new ResponderID({ byKey: new KeyHash(keyIdentifier(issuer.keys.publicKey)) }),
    producedAt: date(now),
    responses: [new SingleResponse({ certID: certId(certificate.serial, { name: issuer.name, publicKey: issuer.keys.publicKey }), certStatus, thisUpdate: date(now), nextUpdate: date(now + OCSP_VALIDITY_DAYS * DAY) })],
  });
  const signed = new Uint8Array(AsnConvert.serialize(tbs));
  const basic = new BasicOCSPResponse({
    tbsResponseData: tbs,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: OID.ecdsaWithSha256 }),
    signature: buf(ecdsaP256Sign(issuer.keys.secretKey, signed)),
  });
  const response = new OCSPResponse({
    responseStatus: OCSPResponseStatus.successful,
    responseBytes: new ResponseBytes({ responseType: id_pkix_ocsp_basic, response: new OctetString(AsnConvert.serialize(basic)) }),
  });
  return new Uint8Array(AsnConvert.serialize(response));
}

/** Reads an OCSPResponse (any responder's: one SingleResponse is all the game looks at). Throws `CodecError` for anything else. */
export function readOcspResponse(der: Uint8Array): OcspAnswer {
  let response: OCSPResponse;
  try {
    response = AsnConvert.parse(buf(der), OCSPResponse);
  } catch (e) {
    throw new CodecError('badValue', `not an OCSP response: ${(e as Error).message}`, 0);
  }
  if (response.responseStatus !== OCSPResponseStatus.successful || !response.responseBytes) throw new CodecError('badValue', `the responder answered ${OCSPResponseStatus[response.responseStatus] ?? response.responseStatus}, not a status`, 0);
  if (response.responseBytes.responseType !== id_pkix_ocsp_basic) throw new CodecError('badValue', `an OCSP response of type ${response.responseBytes.responseType}, not id-pkix-ocsp-basic`, 0);
  const basic = AsnConvert.parse(response.responseBytes.response.buffer, BasicOCSPResponse);
  const data = basic.tbsResponseData;
  const single = data.responses[0];
  if (!single) throw new CodecError('badValue', 'an OCSP response about no certificate', 0);
  const revoked = single.certStatus.revoked;
  if (single.certStatus.unknown !== undefined && !revoked && single.certStatus.good === undefined) throw new CodecError('badValue', 'the responder does not know the certificate', 0);
  return {
    serial: BigInt(`0x${toHex(new Uint8Array(single.certID.serialNumber)) || '0'}`),
    status: revoked ? { kind: 'revoked', at: seconds(revoked.revocationTime) } : { kind: 'good' },
    thisUpdate: seconds(single.thisUpdate),
    ...(single.nextUpdate ? { nextUpdate: seconds(single.nextUpdate) } : {}),
    responderKeyHash: new Uint8Array(data.responderID.byKey?.buffer ?? new ArrayBuffer(0)),
    issuerNameHash: new Uint8Array(single.certID.issuerNameHash.buffer),
    issuerKeyHash: new Uint8Array(single.certID.issuerKeyHash.buffer),
    signed: new Uint8Array(basic.tbsResponseDataRaw ?? AsnConvert.serialize(data)),
    signature: new Uint8Array(basic.signature),
  };
}

/** What a browser makes of a stapled answer for `certificate` from its issuer (a CA in its trust store), at `now`. */
export type StapleVerdict =
  | { kind: 'good'; answer: OcspAnswer }
  | { kind: 'revoked'; answer: OcspAnswer; at: number }
  /** Unusable: unreadable, signed by someone else, about another certificate, or out of date. */
  | { kind: 'unusable'; why: string };

export function judgeStaple(der: Uint8Array, certificate: Pick<Certificate, 'serial'>, issuer: { name: string; publicKey: Uint8Array }, now: number): StapleVerdict {
  let answer: OcspAnswer;
  try {
    answer = readOcspResponse(der);
  } catch (e) {
    return { kind: 'unusable', why: (e as Error).message };
  }
  const id = certId(certificate.serial, issuer);
  const sameCertificate = answer.serial === certificate.serial && equalBytes(answer.issuerNameHash, new Uint8Array(id.issuerNameHash.buffer)) && equalBytes(answer.issuerKeyHash, new Uint8Array(id.issuerKeyHash.buffer));
  if (!sameCertificate) return { kind: 'unusable', why: `it is about another certificate (serial ${answer.serial}), not this one (serial ${certificate.serial})` };
  if (!ecdsaP256Verify(issuer.publicKey, answer.signed, answer.signature)) return { kind: 'unusable', why: `its signature does not verify with ${issuer.name}'s key` };
  if (answer.thisUpdate > now) return { kind: 'unusable', why: `it is dated ${formatGameTime(answer.thisUpdate)}, in the future` };
  if (answer.nextUpdate !== undefined && answer.nextUpdate < now) return { kind: 'unusable', why: `it stood only until ${formatGameTime(answer.nextUpdate)}: stale` };
  return answer.status.kind === 'revoked' ? { kind: 'revoked', answer, at: answer.status.at } : { kind: 'good', answer };
}
