/**
 * The certificate vocabulary: key types, key usages, a certificate's fields and a signing
 * request, as typed values. They sit in pki/ (below the messages that carry them), so the
 * certificate code needs nothing from the wire's message types.
 */

/** The keys the game makes for certificates: RSA-2048 (TLS 1.2 key transport) and P-256 (ECDSA signatures, ECDHE). */
export type KeyType = 'rsa' | 'p256';
/** A certificate's key: the game's two, P-384 (real CAs' ECDSA intermediates), or one the game cannot use. */
export type CertificateKeyType = KeyType | 'p384' | 'other';
/**
 * X.509 keyUsage (RFC 5280 §4.2.1.3) as the game uses it: an RSA key that receives pre-master
 * secrets (keyEncipherment), a key that signs handshakes (digitalSignature), a CA's key (keyCertSign).
 */
export type KeyUsage = 'keyEncipherment' | 'digitalSignature' | 'keyCertSign';
/** Every keyUsage bit of RFC 5280 §4.2.1.3, in bit order; real certificates set several. */
export type KeyUsageBit = 'digitalSignature' | 'nonRepudiation' | 'keyEncipherment' | 'dataEncipherment' | 'keyAgreement' | 'keyCertSign' | 'cRLSign' | 'encipherOnly' | 'decipherOnly';

/**
 * The fields the CA signs (the TBSCertificate of X.509, RFC 5280 §4.1; pki/certificate.ts
 * gives them their DER) — the game's editable model of a certificate. A certificate read from
 * the wire keeps its DER as received too (pki/certificate.ts), and a real CA's certificate says
 * more than these fields: its meaning comes from that DER (pki/x509.ts), these are a summary.
 * Times are game time in seconds since 1970.
 */
export interface CertificateBody {
  /** RFC 5280 §4.1.2.2: up to 20 bytes, so not a JavaScript number. */
  serial: bigint;
  /** The subject's commonName, e.g. bank.example (a name without one: its RFC 4514 text). */
  subject: string;
  /** The issuer's commonName, e.g. Heist Root CA. */
  issuer: string;
  notBefore: number;
  notAfter: number;
  keyType: CertificateKeyType;
  /** The keyUsage bits set, e.g. [keyEncipherment]; a real RSA site certificate has [digitalSignature, keyEncipherment]. */
  keyUsage: readonly KeyUsageBit[];
  /** RSA: PKCS #1 RSAPublicKey DER; P-256 / P-384: the uncompressed point; another key: its subjectPublicKey bytes. */
  publicKey: Uint8Array;
  /** subjectAltName DNS names: what a browser matches (empty for a CA). */
  names: readonly string[];
  /** basicConstraints cA: a certificate authority's own certificate. */
  ca: boolean;
  /** basicConstraints pathLenConstraint: how many intermediate CAs may follow this CA (RFC 5280 §4.2.1.9); absent: no limit. */
  pathLength?: number;
  /** authorityKeyIdentifier (RFC 5280 §4.2.1.1): the issuer's key identifier; `signCertificate` writes the signing key's. */
  authorityKeyId?: Uint8Array;
  /** Certificate Transparency (RFC 6962 §3.3): the logs' signed timestamps, a TLS-encoded SignedCertificateTimestampList (pki/ct.ts). */
  scts?: Uint8Array;
}

/** A certificate: the body plus the issuer's signature over the body's DER (the game's CAs: ECDSA P-256, DER). */
export interface Certificate extends CertificateBody {
  signature: Uint8Array;
}

/**
 * A certificate signing request (PKCS #10 in DER, pki/csr.ts): the name and the key to certify. The requester then proves
 * control of `subject` ACME-style (RFC 8555 §8.3 http-01): the CA issues a token, the
 * requester publishes it at http://<subject>/.well-known/acme-challenge/<token>, and the CA
 * fetches it; only the party that really answers for that name can serve it.
 */
export interface CertificateSigningRequest {
  subject: string;
  keyType: KeyType;
  keyUsage: KeyUsage;
  publicKey: Uint8Array;
  /** PKCS #10 (RFC 2986 §4.2): the requester signs the request with the key it asks to certify — proof it holds the private key. */
  signature: Uint8Array;
}
