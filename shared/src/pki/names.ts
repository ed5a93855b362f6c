/**
 * Names in certificates: the name a browser asked for against a site certificate's
 * subjectAltName (RFC 6125 §6.4: DNS names compared without regard to case, RFC 4343; a
 * wildcard only as the whole left-most label, matching exactly one label, §6.4.3; an IP address
 * only against iPAddress entries, §6.2.1 and RFC 5280 §4.2.1.6; the commonName is not used,
 * as CA/Browser Forum certificates and browsers no longer use it) — and a CA's nameConstraints
 * against the names of the certificates below it (RFC 5280 §4.2.1.10).
 */
import type { DistinguishedName, GeneralNames } from './x509-names.ts';

const dns = (name: string) => name.toLowerCase().replace(/\.$/, '');

/** An IPv4 or IPv6 literal, as the name asked for. */
export function isIpAddress(name: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || (name.includes(':') && /^[0-9a-f:.]+$/i.test(name));
}

/** An IPv4 (4 bytes) or IPv6 (16 bytes, RFC 4291 §2.2 text forms) address; undefined for anything else. */
export function ipBytes(text: string): Uint8Array | undefined {
  const v4 = (t: string) => {
    const parts = t.split('.');
    if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
    return parts.map(Number);
  };
  if (!text.includes(':')) {
    const b = v4(text);
    return b && Uint8Array.from(b);
  }
  const halves = text.toLowerCase().split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (g.includes('.')) {
        const b = v4(g);
        if (!b) return undefined;
        out.push((b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!);
      } else if (/^[0-9a-f]{1,4}$/.test(g)) out.push(parseInt(g, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return Uint8Array.from(all.flatMap((g) => [g >> 8, g & 0xff]));
}

function sameIp(a: string, b: string): boolean {
  const x = ipBytes(a);
  const y = ipBytes(b);
  return !!x && !!y && x.length === y.length && x.every((v, i) => v === y[i]);
}

/** RFC 6125 §6.4.1 and §6.4.3: one presented DNS name against the name asked for. */
export function dnsNameMatches(presented: string, asked: string): boolean {
  const p = dns(presented);
  const a = dns(asked);
  if (!p.startsWith('*.')) return p === a;
  const rest = p.slice(2);
  // A wildcard needs two labels under it ("*.example" would cover a whole top-level domain) and stands for exactly one label.
  if (rest.split('.').length < 2 || rest.includes('*')) return false;
  const dot = a.indexOf('.');
  return dot > 0 && a.slice(dot + 1) === rest;
}

/** The subjectAltName entry that the name asked for matches, if one does. */
export function matchingName(san: GeneralNames | undefined, asked: string): string | undefined {
  if (!san) return undefined;
  if (isIpAddress(asked)) return san.ip.find((ip) => sameIp(ip, asked));
  return san.dns.find((d) => dnsNameMatches(d, asked));
}

// ---------------------------------------------------------------------------------------------
// nameConstraints (RFC 5280 §4.2.1.10, processed as §6.1.3 (b)-(c) and §6.1.4 (g))

/** A dNSName constraint: "example.com" covers it and every name under it; ".example.com" (a common form) only the names under it. */
function inDnsSubtree(name: string, base: string): boolean {
  const n = dns(name);
  const b = dns(base);
  if (b === '') return true;
  if (b.startsWith('.')) return n.endsWith(b);
  return n === b || n.endsWith(`.${b}`);
}

/** An iPAddress constraint: address and mask, which @peculiar writes as "a.b.c.d/len" (IPv4) or hex. */
function inIpSubtree(ip: string, base: string): boolean | undefined {
  const addr = ipBytes(ip);
  const m = /^(.+)\/(\d+)$/.exec(base);
  const net = m ? ipBytes(m[1]!) : undefined;
  if (!addr || !net || !m) return undefined;
  if (addr.length !== net.length) return false;
  const bits = Number(m[2]);
  for (let i = 0; i < addr.length; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    const mask = (0xff << (8 - keep)) & 0xff;
    if ((addr[i]! & mask) !== (net[i]! & mask)) return false;
  }
  return true;
}

/** A directoryName constraint: the subject's RDNs start with the base's (compared in canonical form). */
function inDirectorySubtree(name: DistinguishedName, base: DistinguishedName): boolean {
  if (base.canonical === '') return true;
  return name.canonical === base.canonical || name.canonical.startsWith(`${base.canonical},`);
}

export interface NamesUnder {
  subject: DistinguishedName;
  /** The subject's subjectAltName, if any; a site certificate's commonName is not checked (browsers do not use it). */
  san?: GeneralNames;
}

/**
 * Why `cert`'s names break `constraints` (a CA's nameConstraints above it), or undefined when
 * they keep to them. Forms this browser does not check (email, URI, otherName) are refused when
 * both the constraint and the certificate have one, rather than passed unchecked.
 */
export function nameConstraintViolation(cert: NamesUnder, constraints: { permitted?: GeneralNames; excluded?: GeneralNames }, caName: string): string | undefined {
  const { permitted, excluded } = constraints;
  const dnsNames = cert.san?.dns ?? [];
  const ips = cert.san?.ip ?? [];
  const dirs = [...(cert.subject.canonical === '' ? [] : [cert.subject]), ...(cert.san?.directory ?? [])];
  for (const d of dnsNames) {
    if (excluded?.dns.some((b) => inDnsSubtree(d, b))) return `${d} is a name "${caName}" may not certify (excluded by its nameConstraints)`;
    if (permitted && permitted.dns.length > 0 && !permitted.dns.some((b) => inDnsSubtree(d, b))) return `${d} is outside the names "${caName}" may certify (${permitted.dns.join(', ')})`;
  }
  for (const ip of ips) {
    if (excluded?.ip.some((b) => inIpSubtree(ip, b) !== false)) return `${ip} is an address "${caName}" may not certify (excluded by its nameConstraints)`;
    if (permitted && permitted.ip.length > 0 && !permitted.ip.some((b) => inIpSubtree(ip, b) === true)) return `${ip} is outside the addresses "${caName}" may certify`;
  }
  for (const d of dirs) {
    if (excluded?.directory.some((b) => inDirectorySubtree(d, b))) return `"${d.text}" is a name "${caName}" may not certify (excluded by its nameConstraints)`;
    if (permitted && permitted.directory.length > 0 && !permitted.directory.some((b) => inDirectorySubtree(d, b))) return `"${d.text}" is outside the names "${caName}" may certify`;
  }
  const unchecked = (n: GeneralNames | undefined) => (n ? n.email.length + n.uri.length + n.other.length : 0);
  if ((unchecked(permitted) > 0 || unchecked(excluded) > 0) && unchecked(cert.san) > 0) return `"${caName}" constrains e-mail, URI or other names, which this browser does not check`;
  return undefined;
}
