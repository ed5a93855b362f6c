/**
 * A certificate's extensions (RFC 5280 §4.2), each standard one decoded into typed fields with a
 * one-line summary for people; one this reader does not know, or cannot decode, is kept with its
 * criticality, for the path validator (path.ts) to refuse when critical.
 */
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AuthorityInfoAccessSyntax,
  AuthorityKeyIdentifier,
  BasicConstraints,
  CertificatePolicies,
  CRLDistributionPoints,
  ExtendedKeyUsage,
  KeyUsage as AsnKeyUsage,
  NameConstraints,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  type GeneralName,
  type GeneralSubtrees,
} from '@peculiar/asn1-x509';
import { toHex } from '../codec/bytes.ts';
import { CodecError } from '../codec/reader.ts';
import { formatGameTime } from '../codec/time.ts';
import type { KeyUsageBit } from './types.ts';
import { decodeSctList } from './ct.ts';
import { bytesOf } from './der.ts';
import { ACCESS_OID, EKU_OID, EXT_OID } from './oids.ts';
import { generalNames, showNames, type GeneralNames } from './x509-names.ts';

const EXTENSION_NAMES: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(EXT_OID).map(([name, oid]) => [oid, name]));
const EKU_NAMES: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(EKU_OID).map(([name, oid]) => [oid, name]));

export const KEY_USAGE_BITS: readonly KeyUsageBit[] = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

export interface X509Extension {
  oid: string;
  /** Its RFC 5280 name, or the OID for one this reader does not know. */
  name: string;
  critical: boolean;
  /** The reader knows this extension and decoded its value. */
  known: boolean;
  /** Set when a known extension's value did not decode: the certificate is corrupt (bad_certificate). */
  malformed?: string;
  /** One line for people: "CA:TRUE, pathlen:0", "digitalSignature, keyEncipherment", … */
  summary: string;
}

/** What the standard extensions say, as a certificate's typed fields (x509.ts's `X509` has them). */
export interface X509ExtensionFields {
  basicConstraints?: { ca: boolean; pathLength?: number };
  keyUsage?: KeyUsageBit[];
  /** Key purposes by name (serverAuth, …), or OID for one this reader does not name. */
  extKeyUsage?: string[];
  subjectAltName?: GeneralNames;
  subjectKeyId?: Uint8Array;
  authorityKeyId?: Uint8Array;
  /** RFC 6962 §3.3: the embedded SignedCertificateTimestampList, as its TLS bytes (pki/ct.ts reads them). */
  scts?: Uint8Array;
  nameConstraints?: { permitted?: GeneralNames; excluded?: GeneralNames };
  crlDistributionPoints: string[];
  ocsp: string[];
  caIssuers: string[];
  policies: string[];
}

function subtrees(s: GeneralSubtrees | undefined): GeneralNames | undefined {
  return s ? generalNames(s.map((t) => t.base)) : undefined;
}

function uris(list: readonly GeneralName[] | undefined): string[] {
  return (list ?? []).flatMap((g) => (g.uniformResourceIdentifier !== undefined ? [g.uniformResourceIdentifier] : []));
}

interface ReadExtensions {
  fields: Partial<X509ExtensionFields>;
  list: X509Extension[];
}

export function readExtensions(exts: readonly { extnID: string; critical: boolean; extnValue: { buffer: ArrayBuffer } }[]): ReadExtensions {
  const fields: Partial<X509ExtensionFields> = { crlDistributionPoints: [], ocsp: [], caIssuers: [], policies: [] };
  const list: X509Extension[] = [];
  const seen = new Set<string>();
  for (const e of exts) {
    // §4.2: "A certificate MUST NOT include more than one instance of a particular extension."
    if (seen.has(e.extnID)) throw new CodecError('badValue', `not an X.509 certificate: the ${EXTENSION_NAMES[e.extnID] ?? e.extnID} extension appears twice (RFC 5280 §4.2)`, 0);
    seen.add(e.extnID);
    const value = e.extnValue.buffer;
    const known = e.extnID in EXTENSION_NAMES;
    const entry: X509Extension = { oid: e.extnID, name: EXTENSION_NAMES[e.extnID] ?? e.extnID, critical: e.critical, known, summary: `${value.byteLength} bytes` };
    try {
      entry.summary = readExtension(e.extnID, value, fields) ?? entry.summary;
    } catch (err) {
      entry.malformed = err instanceof Error ? err.message : String(err);
      entry.summary = '(does not decode)';
    }
    list.push(entry);
  }
  return { fields, list };
}

/** Decodes one extension into `f`; its one-line summary (undefined for one the reader only names). */
function readExtension(oid: string, value: ArrayBuffer, f: Partial<X509ExtensionFields>): string | undefined {
  switch (oid) {
    case EXT_OID.basicConstraints: {
      const b = AsnConvert.parse(value, BasicConstraints);
      f.basicConstraints = { ca: b.cA, ...(b.pathLenConstraint !== undefined ? { pathLength: b.pathLenConstraint } : {}) };
      return `CA:${b.cA ? 'TRUE' : 'FALSE'}${b.pathLenConstraint !== undefined ? `, pathlen:${b.pathLenConstraint}` : ''}`;
    }
    case EXT_OID.keyUsage: {
      const bits = AsnConvert.parse(value, AsnKeyUsage).toNumber();
      f.keyUsage = KEY_USAGE_BITS.filter((_, i) => bits & (1 << i));
      return f.keyUsage.join(', ') || '(none)';
    }
    case EXT_OID.extKeyUsage: {
      f.extKeyUsage = [...AsnConvert.parse(value, ExtendedKeyUsage)].map((o) => EKU_NAMES[o] ?? o);
      return f.extKeyUsage.join(', ');
    }
    case EXT_OID.subjectAltName: {
      f.subjectAltName = generalNames(AsnConvert.parse(value, SubjectAlternativeName));
      return showNames(f.subjectAltName);
    }
    case EXT_OID.subjectKeyIdentifier: {
      f.subjectKeyId = bytesOf(AsnConvert.parse(value, SubjectKeyIdentifier).buffer);
      return toHex(f.subjectKeyId);
    }
    case EXT_OID.authorityKeyIdentifier: {
      const a = AsnConvert.parse(value, AuthorityKeyIdentifier);
      if (a.keyIdentifier) f.authorityKeyId = bytesOf(a.keyIdentifier.buffer);
      return f.authorityKeyId ? `keyid:${toHex(f.authorityKeyId)}` : '(issuer and serial)';
    }
    case EXT_OID.nameConstraints: {
      const n = AsnConvert.parse(value, NameConstraints);
      const permitted = subtrees(n.permittedSubtrees);
      const excluded = subtrees(n.excludedSubtrees);
      f.nameConstraints = { ...(permitted ? { permitted } : {}), ...(excluded ? { excluded } : {}) };
      return [permitted ? `permitted ${showNames(permitted)}` : '', excluded ? `excluded ${showNames(excluded)}` : ''].filter(Boolean).join('; ');
    }
    case EXT_OID.crlDistributionPoints: {
      f.crlDistributionPoints = [...AsnConvert.parse(value, CRLDistributionPoints)].flatMap((d) => uris(d.distributionPoint?.fullName));
      return f.crlDistributionPoints.join(', ') || '(no URI)';
    }
    case EXT_OID.authorityInfoAccess: {
      const aia = [...AsnConvert.parse(value, AuthorityInfoAccessSyntax)];
      f.ocsp = uris(aia.filter((a) => a.accessMethod === ACCESS_OID.ocsp).map((a) => a.accessLocation));
      f.caIssuers = uris(aia.filter((a) => a.accessMethod === ACCESS_OID.caIssuers).map((a) => a.accessLocation));
      return [...f.ocsp.map((u) => `OCSP ${u}`), ...f.caIssuers.map((u) => `CA issuers ${u}`)].join(', ');
    }
    case EXT_OID.ctPrecertificateScts: {
      f.scts = bytesOf(AsnConvert.parse(value, OctetString).buffer);
      const scts = decodeSctList(f.scts);
      return scts.map((t) => `log ${toHex(t.logId).slice(0, 16)}…, ${formatGameTime(Math.floor(t.timestamp / 1000))}`).join('; ') || '(no SCT this browser reads)';
    }
    case EXT_OID.certificatePolicies: {
      f.policies = [...AsnConvert.parse(value, CertificatePolicies)].map((p) => p.policyIdentifier);
      return f.policies.join(', ');
    }
    default:
      return undefined;
  }
}
