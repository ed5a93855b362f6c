/**
 * A certificate in the packet inspector: its DER walked element by element, each field at its
 * bytes and explained in one line for a student; the fields the attacker may edit carry the
 * game's model's names (certificate.ts).
 */
import { toHex } from '../codec/bytes.ts';
import type { Reader } from '../codec/reader.ts';
import { formatGameTime } from '../codec/time.ts';
import type { FieldNode } from '../codec/fields.ts';
import type { Certificate } from './types.ts';
import { childrenOf, readTlv, type Tlv } from './der.ts';
import { EXT_OID } from './oids.ts';
import type { X509 } from './x509.ts';
import { keyName } from './x509-algorithms.ts';
import { decodeCertificate, encodeCertificate, x509Of } from './certificate.ts';

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
