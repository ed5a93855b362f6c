/**
 * Certification path building and validation (RFC 5280 §6), as a browser runs it on the
 * certificates a server sent: from the site's certificate, through the intermediates it sent,
 * to a trust anchor — a CA whose name and key the browser holds before any connection.
 *
 * Building (RFC 4158 in spirit): a certificate's issuer is a trust anchor or a sent certificate
 * whose subject name equals its issuer name (§7.1: case- and space-folded). The
 * authorityKeyIdentifier / subjectKeyIdentifier pair (§4.2.1.1-2) only orders the candidates —
 * a hint, never a verdict: the signature decides. Every path found is validated; the first
 * that passes wins, else the complete path with the fewest failures, else the longest one.
 *
 * Validation (§6.1.3-§6.1.4), each reported by name (basics/checks.ts `CertificateCheckName`):
 *   issuer             the path ends at a trust anchor (unknown_ca)
 *   signatureAlgorithm every signature is one this browser checks and offered (unsupported_certificate)
 *   signature          every signature verifies over the TBS bytes as received (bad_certificate)
 *   caFlag             each issuer on the path is a CA: basicConstraints cA TRUE (§4.2.1.9, §6.1.4 (k))
 *   caKeyUsage         each issuer's keyUsage allows keyCertSign (§4.2.1.3, §6.1.4 (n))
 *   pathLength         no CA has more intermediates under it than its pathLenConstraint (§6.1.4 (l)-(m))
 *   nameConstraints    names below a name-constrained CA keep to its subtrees (§4.2.1.10, §6.1.3 (b)-(c))
 *   extensions         no critical extension the browser cannot process, none that does not decode (§4.2)
 *   name               the leaf's subjectAltName has the name asked for (RFC 6125 §6.4, names.ts)
 *   notExpired, notYetValid  every certificate on the path is valid now (§6.1.3 (a)(2))
 *   keyUsage           the leaf's key is of the kind this handshake step needs, allowed that use (§4.2.1.3)
 *   extendedKeyUsage   the leaf, and every CA that restricts it, allows serverAuth (§4.2.1.12)
 * The chain checks (caFlag … nameConstraints) appear when the path has an intermediate (or a
 * CA with name constraints); signatureAlgorithm and extensions when something fails them.
 * Not done: revocation (CRL / OCSP, §6.3), certificate policies (the browser's initial policy
 * set is any-policy and it asks for no explicit policy, so §6.1's policy tree cannot fail it
 * — policyConstraints, policyMappings and inhibitAnyPolicy are therefore refused when critical),
 * and a trust anchor's own constraints (RFC 5937).
 */
import { toHex } from '../codec/bytes.ts';
import { formatGameTime } from '../codec/time.ts';
import type { KeyType, KeyUsage } from './types.ts';
import type { CertificateCheckName, CheckResult } from '../basics/checks.ts';
import { matchingName, nameConstraintViolation } from './names.ts';
import { checkSignature } from './signatures.ts';
import { EXT_OID } from './oids.ts';
import { readX509, type X509 } from './x509.ts';
import { canonicalCommonName, distinguishedName } from './x509-names.ts';
import { keyName, type X509Key } from './x509-algorithms.ts';
import { keyIdentifier, rsaPublicKeyFromDer } from './keys.ts';

/**
 * A CA the browser trusts before any connection (RFC 5280 §6.1.1 (d)): its name and public key.
 * The game's own anchors are a commonName and a P-256 key; anchors read from a CA bundle carry
 * their full subject name and key identifier (`anchorFromCertificate`).
 */
export interface TrustAnchor {
  /** The CA's name as people read it. */
  name: string;
  /** P-256 / P-384: the uncompressed point; RSA: PKCS #1 RSAPublicKey DER. */
  publicKey: Uint8Array;
  /** Default p256 (the game's CAs). */
  keyType?: 'p256' | 'p384' | 'rsa';
  /** Its subject name, DER; absent: `name` is one commonName. */
  subject?: Uint8Array;
  /** Its subjectKeyIdentifier (a hint for building paths). */
  keyId?: Uint8Array;
  /**
   * Installed by the user (or an administrator) rather than shipped with the browser: a
   * corporate TLS-inspection root, or a captive portal's "café certificate". Trusted all the
   * same — path validation asks only whether an anchor is in the store — so the inspector says
   * where the path ended.
   */
  installed?: boolean;
}

/** The anchor a CA's own certificate stands for (what a trust store file holds). */
export function anchorFromCertificate(cert: X509): TrustAnchor {
  const key = cert.key;
  if (key.kind === 'unsupported') throw new Error(`its key is ${key.name}, which this browser does not use`);
  return {
    name: cert.subject.commonName ?? cert.subject.text,
    publicKey: key.kind === 'rsa' ? key.pkcs1 : key.point,
    keyType: key.kind === 'rsa' ? 'rsa' : key.curve === 'P-256' ? 'p256' : 'p384',
    subject: cert.subject.der,
    keyId: cert.subjectKeyId ?? keyIdentifier(cert.subjectPublicKey),
  };
}

function anchorKey(a: TrustAnchor): X509Key {
  const type = a.keyType ?? 'p256';
  if (type === 'rsa') {
    const key = rsaPublicKeyFromDer(a.publicKey);
    return { kind: 'rsa', bits: bitLength(key.n), key, pkcs1: a.publicKey, pssOnly: false };
  }
  return { kind: 'ec', curve: type === 'p256' ? 'P-256' : 'P-384', point: a.publicKey };
}

function bitLength(n: Uint8Array): number {
  let i = 0;
  while (i < n.length && n[i] === 0) i++;
  return i === n.length ? 0 : (n.length - i - 1) * 8 + (32 - Math.clz32(n[i]!));
}

const canonicalNames = new WeakMap<TrustAnchor, string>();
/** The anchor's name in the form names are compared in (read once per anchor: a system store has over a hundred). */
function anchorCanonical(a: TrustAnchor): string {
  let c = canonicalNames.get(a);
  if (c === undefined) {
    c = a.subject ? distinguishedName(a.subject).canonical : canonicalCommonName(a.name);
    canonicalNames.set(a, c);
  }
  return c;
}

export interface PathOptions {
  trustStore: readonly TrustAnchor[];
  /** The site the browser asked for, e.g. bank.example. */
  expectedName: string;
  /** Seconds since 1970 (game time, or the wall clock for the command line). */
  now: number;
  /** What the leaf's key must be and be allowed to do at this step of the handshake. */
  expectedKeyType: KeyType;
  expectedUsage: KeyUsage;
  /** The TLS signature schemes offered (signature_algorithms, or _cert): only these may sign the path. Absent: every one this browser checks. */
  signatureSchemes?: readonly number[];
}

export interface PathStep {
  certificate: X509;
  role: 'leaf' | 'intermediate';
  /** The name of whoever signed it (the next step's subject, or the anchor), when known. */
  issuedBy?: string;
  checks: CheckResult[];
}

export interface PathValidation {
  accepted: boolean;
  /** Leaf first, then each intermediate towards the anchor. */
  steps: PathStep[];
  /** The trust anchor the path ends at, when it reaches one. */
  anchor?: TrustAnchor;
  /** Certificates the server sent that are not on the path. */
  unused: X509[];
  /** Every check over the whole path, by name, in `CERTIFICATE_CHECKS` order: what the browser reports. */
  checks: CheckResult[];
}

/** The order checks are reported in (the first failed one picks the alert, handshake/failures.ts). */
export const CERTIFICATE_CHECKS = [
  'issuer',
  'signatureAlgorithm',
  'signature',
  'caFlag',
  'caKeyUsage',
  'pathLength',
  'nameConstraints',
  'extensions',
  'name',
  'notExpired',
  'notYetValid',
  'keyUsage',
  'extendedKeyUsage',
] as const satisfies readonly CertificateCheckName[];

/** Critical extensions this browser processes (§4.2: any other critical one refuses the certificate). */
const PROCESSED = new Set<string>([EXT_OID.basicConstraints, EXT_OID.keyUsage, EXT_OID.extKeyUsage, EXT_OID.subjectAltName, EXT_OID.nameConstraints, EXT_OID.certificatePolicies]);

const MAX_DEPTH = 8;
const MAX_PATHS = 16;

interface Candidate {
  certs: X509[];
  anchor?: TrustAnchor;
}

const keyIdMatches = (aki: Uint8Array | undefined, ski: Uint8Array | undefined) => !!aki && !!ski && toHex(aki) === toHex(ski);

/** Every path from the leaf up through sent certificates, ending at an anchor where one issued the top. */
function buildPaths(leaf: X509, sent: readonly X509[], anchors: readonly TrustAnchor[]): Candidate[] {
  const out: Candidate[] = [];
  const anchorNames = anchors.map(anchorCanonical);
  const walk = (path: X509[]) => {
    if (out.length >= MAX_PATHS) return;
    const top = path[path.length - 1]!;
    const byHint = <T>(items: T[], ski: (t: T) => Uint8Array | undefined) => [...items].sort((a, b) => Number(keyIdMatches(top.authorityKeyId, ski(b))) - Number(keyIdMatches(top.authorityKeyId, ski(a))));
    const trusted = byHint(anchors.filter((_, i) => anchorNames[i] === top.issuer.canonical), (a) => a.keyId);
    for (const anchor of trusted) out.push({ certs: path, anchor });
    if (path.length >= MAX_DEPTH) return;
    const issuers = byHint(
      sent.filter((c) => c.subject.canonical === top.issuer.canonical && !path.some((p) => toHex(p.der) === toHex(c.der))),
      (c) => c.subjectKeyId,
    );
    for (const issuer of issuers) walk([...path, issuer]);
    if (trusted.length === 0 && issuers.length === 0) out.push({ certs: path });
  };
  walk([leaf]);
  return out;
}

/** Build and validate the path for `leaf` with the certificates sent after it. */
export function validatePath(leaf: X509, sent: readonly X509[], options: PathOptions): PathValidation {
  const candidates = buildPaths(leaf, sent, options.trustStore);
  const results = candidates.map((c) => validateCandidate(c, sent, options));
  const failures = (v: PathValidation) => v.checks.filter((c) => !c.passed).length;
  return (
    results.find((v) => v.accepted) ??
    [...results].filter((v) => v.anchor).sort((a, b) => failures(a) - failures(b))[0] ??
    [...results].sort((a, b) => b.steps.length - a.steps.length)[0]!
  );
}

/** Reads the DER of the certificates a server sent and validates the path (what the handshake calls). */
export function validateChainDer(chain: readonly Uint8Array[], options: PathOptions): PathValidation {
  const [leaf, ...rest] = chain.map(readX509);
  if (!leaf) throw new Error('no certificate');
  return validatePath(leaf, rest, options);
}

const label = (c: X509) => `"${c.subject.commonName ?? c.subject.text}"`;
/** "an RSA", "a P-256", "an Ed25519": a key type with its article (letters said with a vowel sound take "an"). */
function kindOf(t: string): string {
  const word = t === 'rsa' ? 'RSA' : t === 'p256' ? 'P-256' : t === 'p384' ? 'P-384' : t;
  return `${/^[AEFHILMNORSX]/i.test(word) ? 'an' : 'a'} ${word}`;
}
/** The leaf's key as the handshake steps name them; an RSASSA-PSS-only key may not encrypt (RFC 4055 §1.2), so it is not "rsa". */
function leafKeyType(key: X509Key): string {
  return key.kind === 'rsa' ? (key.pssOnly ? keyName(key) : 'rsa') : key.kind === 'ec' ? (key.curve === 'P-256' ? 'p256' : 'p384') : key.name;
}

function validateCandidate(candidate: Candidate, sent: readonly X509[], options: PathOptions): PathValidation {
  const { certs, anchor } = candidate;
  const { now, expectedName, expectedKeyType, expectedUsage } = options;
  const leaf = certs[0]!;
  const chain = certs.length > 1;
  const steps: PathStep[] = certs.map((certificate, i) => ({
    certificate,
    role: i === 0 ? 'leaf' : 'intermediate',
    ...(i + 1 < certs.length ? { issuedBy: certs[i + 1]!.subject.commonName ?? certs[i + 1]!.subject.text } : anchor ? { issuedBy: anchor.name } : {}),
    checks: [],
  }));
  const add = (i: number, check: CertificateCheckName, passed: boolean, detail: string, blockedBy?: CertificateCheckName) => steps[i]!.checks.push({ check, passed, detail, ...(blockedBy ? { blockedBy } : {}) });
  const top = certs.length - 1;
  const issuerName = (c: X509) => c.issuer.commonName ?? c.issuer.text;

  // issuer, signatureAlgorithm, signature: each certificate against the key of whoever is above it.
  certs.forEach((c, i) => {
    const above = i < top ? certs[i + 1]! : undefined;
    const key = above ? above.key : anchor ? anchorKey(anchor) : undefined;
    if (i === top) {
      if (anchor) add(i, 'issuer', true, `issued by "${issuerName(c)}", a CA in your trust store`);
      else add(i, 'issuer', false, chain ? `unknown issuer "${issuerName(c)}" not in your trust store (the chain the server sent ends at ${label(c)})` : `unknown issuer "${issuerName(c)}" not in your trust store`);
    }
    if (!key) {
      add(i, 'signature', false, 'could not be checked: the issuer is unknown, so there is no public key to check it with', 'issuer');
      return;
    }
    const verdict = checkSignature(c.signatureAlgorithm, key, c.tbs, c.signature, options.signatureSchemes);
    const whose = i === 0 ? 'these fields' : `${label(c)}'s certificate`;
    if (verdict.kind === 'unsupported') {
      add(i, 'signatureAlgorithm', false, `cannot check ${i === 0 ? 'the signature' : `the signature on ${label(c)}'s certificate`}: ${verdict.why}`);
      add(i, 'signature', false, 'could not be checked: the signature algorithm is not one this browser checks', 'signatureAlgorithm');
    } else if (verdict.kind === 'valid') {
      add(i, 'signature', true, `good signature: "${issuerName(c)}" signed exactly ${whose} (checked with its public key${above ? ` from ${label(above)}'s certificate` : ' from your trust store'})`);
    } else {
      add(i, 'signature', false, i === 0 ? `bad signature: these fields were not signed by "${issuerName(c)}" — changed after signing, or forged` : `bad signature on ${label(c)}'s certificate: not signed by "${issuerName(c)}" — changed after signing, or forged`);
    }
  });

  // The chain checks, on every CA certificate on the path (the anchor is trusted as it is).
  certs.forEach((c, i) => {
    if (i === 0) return;
    const bc = c.basicConstraints;
    if (c.version < 3 || !bc) add(i, 'caFlag', false, `${label(c)} signed a certificate but is no CA: its certificate has no basicConstraints cA TRUE${c.version < 3 ? ` (a version ${c.version} certificate)` : ''}`);
    else if (!bc.ca) add(i, 'caFlag', false, `${label(c)} signed a certificate but is no CA: its basicConstraints say cA FALSE — a site's certificate cannot vouch for another`);
    else add(i, 'caFlag', true, `${label(c)} is a CA (basicConstraints cA TRUE)`);
    if (c.keyUsage && !c.keyUsage.includes('keyCertSign')) add(i, 'caKeyUsage', false, `${label(c)}'s key may not sign certificates: its keyUsage is ${c.keyUsage.join(', ') || '(none)'}, without keyCertSign`);
    else add(i, 'caKeyUsage', true, c.keyUsage ? `${label(c)}'s key may sign certificates (keyUsage keyCertSign)` : `${label(c)}'s key is not restricted (no keyUsage)`);
    // §6.1.4 (l)-(m): the intermediates under this one that are not self-issued.
    const under = certs.slice(1, i).filter((x) => !x.selfIssued).length;
    if (bc?.pathLength !== undefined && under > bc.pathLength) add(i, 'pathLength', false, `${label(c)} may have at most ${bc.pathLength} intermediate CA${bc.pathLength === 1 ? '' : 's'} under it (pathLenConstraint), and has ${under}`);
    else add(i, 'pathLength', true, bc?.pathLength !== undefined ? `${label(c)} allows ${bc.pathLength} intermediate CA${bc.pathLength === 1 ? '' : 's'} under it, and has ${under}` : `${label(c)} sets no limit on the CAs under it`);
    if (c.nameConstraints) {
      const below = certs.slice(0, i).filter((x, j) => j === 0 || !x.selfIssued);
      const why = below.map((b) => nameConstraintViolation({ subject: b.subject, ...(b.subjectAltName ? { san: b.subjectAltName } : {}) }, c.nameConstraints!, c.subject.commonName ?? c.subject.text)).find(Boolean);
      add(i, 'nameConstraints', !why, why ?? `the names under ${label(c)} keep to its nameConstraints`);
    }
  });

  // §4.2: a critical extension the browser does not process, or any known extension that does not decode.
  certs.forEach((c, i) => {
    const bad = c.extensions.find((e) => e.malformed !== undefined || (e.critical && !PROCESSED.has(e.oid)));
    if (bad) add(i, 'extensions', false, bad.malformed !== undefined ? `${i === 0 ? 'the certificate' : `${label(c)}'s certificate`} is corrupt: its ${bad.name} extension does not decode` : `${i === 0 ? 'the certificate' : `${label(c)}'s certificate`} has a critical extension this browser cannot process (${bad.name}): RFC 5280 §4.2 says refuse it`);
  });

  // The name asked for.
  const san = leaf.subjectAltName;
  const presented = san ? [...san.dns, ...san.ip] : [];
  const matched = matchingName(san, expectedName);
  add(
    0,
    'name',
    matched !== undefined,
    matched === undefined
      ? `name mismatch: certificate is for ${presented.length > 0 ? presented.join(', ') : '(no subjectAltName names)'}, you asked for ${expectedName}`
      : matched.toLowerCase() === expectedName.toLowerCase()
        ? `the certificate is for ${expectedName} (its subjectAltName), the site you asked for`
        : `the certificate is for ${matched} (its subjectAltName), which covers ${expectedName}, the site you asked for`,
  );

  // Dates, on every certificate of the path.
  certs.forEach((c, i) => {
    const whose = `${label(c)}'s certificate `;
    const live = now <= c.notAfter;
    add(i, 'notExpired', live, `${live ? 'not expired' : 'expired'}: ${i === 0 ? '' : `${whose}${live ? 'is' : 'was'} `}valid until ${formatGameTime(c.notAfter)}, it is now ${formatGameTime(now)}`);
    add(i, 'notYetValid', now >= c.notBefore, `${now >= c.notBefore ? 'already valid' : 'not yet valid'}: ${i === 0 ? '' : `${whose}is `}valid from ${formatGameTime(c.notBefore)}, it is now ${formatGameTime(now)}`);
  });

  // The leaf's key, for this step of the handshake.
  const type = leafKeyType(leaf.key);
  const usage = leaf.keyUsage;
  const usageWords = usage ? usage.join(', ') || '(no use)' : 'any use (no keyUsage)';
  const fits = type === expectedKeyType && (!usage || usage.includes(expectedUsage));
  add(
    0,
    'keyUsage',
    fits,
    fits
      ? `right key: ${kindOf(type)} key for ${usage ? expectedUsage : usageWords}, as this step needs`
      : `wrong key usage: this is ${kindOf(type)} key for ${usageWords}, but this step needs ${kindOf(expectedKeyType)} key for ${expectedUsage}`,
  );

  // Extended key usage: the leaf's purposes, and every CA's that restricts them (as browsers and OpenSSL apply it).
  certs.forEach((c, i) => {
    const eku = c.extKeyUsage;
    const ok = !eku || eku.includes('serverAuth') || eku.includes('anyExtendedKeyUsage');
    const purposes = eku?.join(', ') ?? '';
    if (i === 0) add(0, 'extendedKeyUsage', ok, !eku ? 'for any purpose: no extKeyUsage restricts it' : ok ? 'for TLS servers (extKeyUsage serverAuth)' : `wrong purpose: this certificate is for ${purposes}, not for a TLS server (serverAuth)`);
    else add(i, 'extendedKeyUsage', ok, !eku ? `${label(c)} does not restrict purposes` : ok ? `${label(c)} may certify TLS servers (extKeyUsage ${purposes})` : `${label(c)} may only certify keys for ${purposes}, not TLS servers (serverAuth)`);
  });

  const checks = aggregate(steps, anchor);
  const onPath = new Set(certs.map((c) => toHex(c.der)));
  return { accepted: checks.every((c) => c.passed), steps, ...(anchor ? { anchor } : {}), unused: sent.filter((c) => !onPath.has(toHex(c.der))), checks };
}

/** One result per check over the path: its first failure (leaf first), else the leaf's pass, said for the whole chain. */
function aggregate(steps: PathStep[], anchor: TrustAnchor | undefined): CheckResult[] {
  const chain = steps.length > 1;
  const out: CheckResult[] = [];
  for (const name of CERTIFICATE_CHECKS) {
    const results = steps.flatMap((s) => s.checks.filter((c) => c.check === name));
    if (results.length === 0) continue;
    const failed = results.find((r) => !r.passed && !r.blockedBy) ?? results.find((r) => !r.passed);
    if (failed) {
      out.push(failed);
      continue;
    }
    const first = results[0]!;
    if (!chain) {
      out.push(first);
      continue;
    }
    const names = steps.map((s) => label(s.certificate));
    const above = steps.length === 2 ? 'the CA certificate above it' : `the ${steps.length - 1} CA certificates above it`;
    const pathWords = `${[...names, `"${anchor?.name ?? '?'}"`].join(' ← ')}`;
    const chainDetail: Partial<Record<CertificateCheckName, string>> = {
      issuer: `the chain leads to "${anchor?.name}", a CA in your trust store: ${pathWords}`,
      signature: `good signatures all the way: ${pathWords}, each checked with the public key of the one after it`,
      caFlag: `every issuer on the chain is a CA (basicConstraints cA TRUE): ${names.slice(1).join(', ')}`,
      caKeyUsage: `every issuer's key may sign certificates (keyCertSign): ${names.slice(1).join(', ')}`,
      pathLength: `no CA has more intermediates under it than its pathLenConstraint allows`,
      nameConstraints: results.map((r) => r.detail).join('; '),
      notExpired: `${first.detail}; ${above} too`,
      notYetValid: `${first.detail}; ${above} too`,
      extendedKeyUsage: `${first.detail}; ${results.slice(1).map((r) => r.detail).join('; ')}`,
    };
    out.push({ ...first, detail: chainDetail[name] ?? first.detail });
  }
  return out;
}
