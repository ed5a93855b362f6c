/**
 * Names as a certificate writes them, read (RFC 5280 §4.1.2.4, §4.2.1.6): a distinguished name
 * as text for people (RFC 4514) and in the form names are compared in (§7.1), and a list of
 * general names by kind. Matching a name against what a browser asked for is names.ts's.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { Name, type GeneralName } from '@peculiar/asn1-x509';
import { toHex } from '../codec/bytes.ts';
import { bytesOf } from './der.ts';

export interface DistinguishedName {
  /** RFC 4514 text, most specific first: "CN=R10, O=Let's Encrypt, C=US". */
  text: string;
  /** The most specific commonName, when the name has one. */
  commonName?: string;
  /** The form names are compared in (RFC 5280 §7.1): attribute types, values case- and space-folded. */
  canonical: string;
  der: Uint8Array;
}

export interface GeneralNames {
  dns: string[];
  ip: string[];
  email: string[];
  uri: string[];
  directory: DistinguishedName[];
  /** Forms the browser does not use (otherName, registeredID, …), by name. */
  other: string[];
}

/** RFC 4519 / RFC 4514 §3 short names for the attributes seen in real names. */
const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.15': 'businessCategory',
  '2.5.4.17': 'postalCode',
  '2.5.4.42': 'GN',
  '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '1.3.6.1.4.1.311.60.2.1.3': 'jurisdictionC',
  '1.3.6.1.4.1.311.60.2.1.2': 'jurisdictionST',
  '1.3.6.1.4.1.311.60.2.1.1': 'jurisdictionL',
};
const COMMON_NAME = '2.5.4.3';


/** RFC 4518-style folding, as OpenSSL compares names: trim, collapse inner spaces, lower case. */
function fold(value: string): string {
  return value.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** RFC 4514 §2.4 escaping of a value in text; control characters as \\XX too, so a hostile name cannot move a terminal's cursor. */
function escape4514(v: string): string {
  return v
    .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, '\\ ')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function distinguishedName(der: Uint8Array): DistinguishedName {
  const name = AsnConvert.parse(der, Name);
  const rdns = [...name].map((rdn) =>
    [...rdn].map((atv) => {
      const v = atv.value;
      const text = v.anyValue !== undefined ? `#${toHex(bytesOf(v.anyValue))}` : v.toString();
      return { type: atv.type, text, string: v.anyValue === undefined };
    }),
  );
  let commonName: string | undefined;
  for (const rdn of rdns) for (const a of rdn) if (a.type === COMMON_NAME && a.string) commonName = a.text;
  const text = [...rdns]
    .reverse()
    .map((rdn) => rdn.map((a) => `${ATTRIBUTE_NAMES[a.type] ?? a.type}=${a.string ? escape4514(a.text) : a.text}`).join('+'))
    .join(', ');
  const canonical = rdns.map((rdn) => rdn.map((a) => `${a.type}=${a.string ? fold(a.text) : a.text}`).sort().join('+')).join(',');
  return { text, canonical, der, ...(commonName !== undefined ? { commonName } : {}) };
}

/** A DN for a name that is one commonName (the game's CAs, and trust anchors given by name only). */
export function canonicalCommonName(cn: string): string {
  return `${COMMON_NAME}=${fold(cn)}`;
}

export function generalNames(list: readonly GeneralName[]): GeneralNames {
  const out: GeneralNames = { dns: [], ip: [], email: [], uri: [], directory: [], other: [] };
  for (const g of list) {
    if (g.dNSName !== undefined) out.dns.push(g.dNSName);
    else if (g.iPAddress !== undefined) out.ip.push(g.iPAddress);
    else if (g.rfc822Name !== undefined) out.email.push(g.rfc822Name);
    else if (g.uniformResourceIdentifier !== undefined) out.uri.push(g.uniformResourceIdentifier);
    else if (g.directoryName !== undefined) out.directory.push(distinguishedName(new Uint8Array(AsnConvert.serialize(g.directoryName))));
    else if (g.otherName !== undefined) out.other.push(`otherName ${g.otherName.typeId}`);
    else if (g.registeredID !== undefined) out.other.push(`registeredID ${g.registeredID}`);
    else out.other.push('another kind of name');
  }
  return out;
}

/** The names as `openssl x509 -text` lists them: "DNS:bank.example, IP:203.0.113.10". */
export function showNames(n: GeneralNames): string {
  return [...n.dns.map((d) => `DNS:${d}`), ...n.ip.map((i) => `IP:${i}`), ...n.email.map((e) => `email:${e}`), ...n.uri.map((u) => `URI:${u}`), ...n.directory.map((d) => `DirName:${d.text}`), ...n.other].join(', ');
}
