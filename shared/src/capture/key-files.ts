/**
 * The files that go with a capture: the CA's root certificate and the bank's certificate
 * (PEM, RFC 7468), for `openssl x509 -text` and `openssl verify -CAfile root.pem`; and, after
 * the "server key leaked" event, the bank's long-term private key as PKCS #8 (RFC 5208 §5 /
 * RFC 5958 §2), the form Wireshark's RSA key list and OpenSSL read. With the level-4 RSA key,
 * Wireshark decrypts that recording (the pre-master secret was sealed to it); no private key
 * opens a TLS 1.3 or ECDHE one.
 */
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { ECParameters, ECPrivateKey } from '@peculiar/asn1-ecc';
import { PrivateKey, PrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { certificatePem, rootCertificate } from '../pki/certificate.ts';
import { DER_NULL, OID, pem } from '../pki/keys.ts';
import { KEY_KINDS } from '../round/certification.ts';
import type { Round } from '../round/state.ts';

const buf = (b: Uint8Array): ArrayBuffer => b.slice().buffer;

/** An RSA key held as PKCS #1 DER (the engine's form, pki/keys.ts), wrapped as PKCS #8. */
export function rsaPkcs8(pkcs1: Uint8Array): Uint8Array {
  const info = new PrivateKeyInfo({
    privateKeyAlgorithm: new AlgorithmIdentifier({ algorithm: OID.rsaEncryption, parameters: buf(DER_NULL) }),
    privateKey: new PrivateKey(buf(pkcs1)),
  });
  return new Uint8Array(AsnConvert.serialize(info));
}

/** A P-256 key (32-byte scalar, 65-byte point) as PKCS #8 around an RFC 5915 ECPrivateKey. */
export function p256Pkcs8(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  const ec = new ECPrivateKey({ version: 1, privateKey: new OctetString(buf(secretKey)), publicKey: buf(publicKey) });
  const curve = AsnConvert.serialize(new ECParameters({ namedCurve: OID.prime256v1 }));
  const info = new PrivateKeyInfo({
    privateKeyAlgorithm: new AlgorithmIdentifier({ algorithm: OID.ecPublicKey, parameters: curve }),
    privateKey: new PrivateKey(AsnConvert.serialize(ec)),
  });
  return new Uint8Array(AsnConvert.serialize(info));
}

const DAY = 86_400;

/**
 * The CA's root certificate. The game's browsers hold only its name and key (the trust
 * anchor); this self-signed certificate around them is the file a teacher opens, the same
 * for every call on one round.
 */
export function rootPem(round: Round): string {
  const start = round.config.gameClock;
  return certificatePem(rootCertificate(round.ca.name, round.ca.keys, start - 365 * DAY, start + 10 * 365 * DAY));
}

/** The certificate the bank presents, once the CA issued one (levels with a CA). */
export function bankPem(round: Round): string | undefined {
  const cert = round.server.config.certificate;
  return cert ? certificatePem(cert) : undefined;
}

/** The intermediate CA's certificate, where one signs (what `openssl verify -untrusted` takes); none where the root signs itself. */
export function intermediatePem(round: Round): string | undefined {
  const chain = round.ca.issuing.chain;
  return chain.length > 0 ? chain.map(certificatePem).join('') : undefined;
}

export interface LeakedKey {
  pem: string;
  keyType: 'rsa' | 'p256';
  /** The file's name, and one line on what it can and cannot open. */
  filename: string;
  note: string;
}

/**
 * The bank's long-term key the level's "server key leaked" event hands the attacker; none at
 * levels without it. Made once per round (the bank's keys never change within one): every view
 * of the attacker and the teacher names the file it would be.
 */
export function leakedKey(round: Round): LeakedKey | undefined {
  if (!leaked.has(round)) leaked.set(round, leakedKeyOf(round));
  return leaked.get(round);
}

const leaked = new WeakMap<Round, LeakedKey | undefined>();

function leakedKeyOf(round: Round): LeakedKey | undefined {
  const longTerm = round.module.longTermKey;
  if (!longTerm?.leakEvent) return undefined;
  const keys = round.server.config[longTerm.of];
  const keyType = KEY_KINDS[longTerm.of].keyType;
  if (keyType === 'rsa') {
    return {
      pem: pem('PRIVATE KEY', rsaPkcs8(keys.secretKey)),
      keyType,
      filename: 'bank-rsa-key.pem',
      note: 'The bank’s RSA private key. In Wireshark it decrypts a recorded TLS_RSA session (the pre-master secret was encrypted to it): RSA key transport has no forward secrecy.',
    };
  }
  return {
    pem: pem('PRIVATE KEY', p256Pkcs8(keys.secretKey, keys.publicKey)),
    keyType,
    filename: 'bank-signing-key.pem',
    note: 'The bank’s ECDSA P-256 signing key. It only signs: the session keys came from one-time key shares, so no key file decrypts this recording (forward secrecy).',
  };
}
