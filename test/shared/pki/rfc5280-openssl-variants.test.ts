/**
 * RFC 5280 certificates as OpenSSL makes them, each one change away from a small P-256 site
 * certificate in the game's own shape: the browser reads every one (x509.ts), checks its
 * signature over the TBS bytes as received, and validates it (path.ts) — where the game's old
 * reader, which re-encoded and demanded the same bytes, read 2 of these 18. Then the changes a
 * browser must refuse, each with the check and the alert RFC 8446 §6.2 names. Skipped, saying
 * so, without the `openssl` command.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertFor } from '../../../shared/src/handshake/failures.ts';
import { decodeCertificate, encodeCertificate } from '../../../shared/src/pki/certificate.ts';
import { fromPem } from '../../../shared/src/pki/keys.ts';
import { validatePath, type PathOptions } from '../../../shared/src/pki/path.ts';
import { trustStoreFromPem } from '../../../shared/src/pki/trust-store.ts';
import { readX509, type X509 } from '../../../shared/src/pki/x509.ts';
import { toHex } from '../../../shared/src/codec/bytes.ts';
import { hasOpenssl } from '../../tls/openssl-chains.ts';

const BASE = `basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectAltName = DNS:bank.example`;

interface Variant {
  what: string;
  /** The leaf's extensions (OpenSSL config lines). */
  ext?: string;
  subject?: string;
  /** Extra arguments to `openssl x509 -req`. */
  sign?: string[];
  /** The leaf's key: P-256 unless said. */
  key?: 'p384' | 'rsa';
  /** A [req] string_mask (how OpenSSL encodes the name's strings). */
  stringMask?: string;
  /** Issued by an intermediate CA under the root. */
  intermediate?: boolean;
  /** What the browser must have read. */
  read: (x: X509) => void;
}

const VARIANTS: Variant[] = [
  { what: 'the game’s own shape (one CN, critical basicConstraints, one keyUsage bit, a DNS name)', read: (x) => expect(x.extensions.map((e) => e.name)).toEqual(['basicConstraints', 'keyUsage', 'subjectAltName']) },
  { what: 'OpenSSL’s default 20-byte random serial', sign: ['-set_serial', '0x7fe3b1c2d4a5968778695a4b3c2d1e0f01234567'], read: (x) => expect(x.serial).toBe(0x7fe3b1c2d4a5968778695a4b3c2d1e0f01234567n) },
  { what: 'subjectKeyIdentifier', ext: `${BASE}\nsubjectKeyIdentifier = hash`, read: (x) => expect(x.subjectKeyId).toHaveLength(20) },
  { what: 'authorityKeyIdentifier', ext: `${BASE}\nauthorityKeyIdentifier = keyid:always`, read: (x) => expect(x.authorityKeyId).toHaveLength(20) },
  { what: 'extKeyUsage serverAuth, clientAuth', ext: `${BASE}\nextendedKeyUsage = serverAuth, clientAuth`, read: (x) => expect(x.extKeyUsage).toEqual(['serverAuth', 'clientAuth']) },
  { what: 'CRL distribution points', ext: `${BASE}\ncrlDistributionPoints = URI:http://crl.ca.example/1.crl`, read: (x) => expect(x.crlDistributionPoints).toEqual(['http://crl.ca.example/1.crl']) },
  { what: 'authorityInfoAccess (OCSP and caIssuers)', ext: `${BASE}\nauthorityInfoAccess = OCSP;URI:http://ocsp.ca.example, caIssuers;URI:http://ca.example/int.der`, read: (x) => expect([x.ocsp, x.caIssuers]).toEqual([['http://ocsp.ca.example'], ['http://ca.example/int.der']]) },
  { what: 'certificatePolicies (domain validated)', ext: `${BASE}\ncertificatePolicies = 2.23.140.1.2.1`, read: (x) => expect(x.policies).toEqual(['2.23.140.1.2.1']) },
  { what: 'two keyUsage bits (digitalSignature, keyEncipherment)', ext: BASE.replace('digitalSignature', 'digitalSignature, keyEncipherment'), read: (x) => expect(x.keyUsage).toEqual(['digitalSignature', 'keyEncipherment']) },
  { what: 'an IP address in the subjectAltName', ext: `${BASE}, IP:192.0.2.7, IP:2001:db8::1`, read: (x) => expect(x.subjectAltName).toMatchObject({ dns: ['bank.example'], ip: ['192.0.2.7', '2001:db8::1'] }) },
  { what: 'another extension order (subjectAltName first)', ext: `subjectAltName = DNS:bank.example\nkeyUsage = critical, digitalSignature\nbasicConstraints = critical, CA:FALSE`, read: (x) => expect(x.extensions.map((e) => e.name)).toEqual(['subjectAltName', 'keyUsage', 'basicConstraints']) },
  { what: 'O= and C= in the subject (several RDNs)', subject: '/C=GB/O=Bank of Example Ltd/CN=bank.example', read: (x) => expect([x.subject.text, x.subject.commonName]).toEqual(['CN=bank.example, O=Bank of Example Ltd, C=GB', 'bank.example']) },
  { what: 'PrintableString names (OpenSSL’s string_mask default)', stringMask: 'default', read: (x) => expect(x.subject.der[x.subject.der.length - 'bank.example'.length - 2]).toBe(0x13) },
  { what: 'a multi-valued RDN', subject: '/O=Bank of Example+OU=Web/CN=bank.example', sign: [], read: (x) => expect(x.subject.text).toBe('CN=bank.example, OU=Web+O=Bank of Example') }, // a SET OF, in DER order
  { what: 'ecdsa-with-SHA384', sign: ['-sha384'], read: (x) => expect(x.signatureAlgorithm).toMatchObject({ kind: 'ecdsa', hash: 'SHA-384' }) },
  { what: 'a P-384 key', key: 'p384', read: (x) => expect(x.key).toMatchObject({ kind: 'ec', curve: 'P-384' }) },
  { what: 'an RSA-2048 key with digitalSignature and keyEncipherment', key: 'rsa', ext: BASE.replace('digitalSignature', 'digitalSignature, keyEncipherment'), read: (x) => expect(x.key).toMatchObject({ kind: 'rsa', bits: 2048 }) },
  { what: 'issued by an intermediate CA', intermediate: true, read: (x) => expect(x.issuer.text).toBe('CN=Example Issuing CA 1, O=Example CA') },
];

const openssl = hasOpenssl();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heist-x509-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);
const der = (name: string) => fromPem(fs.readFileSync(path.join(dir, name), 'utf8'), 'CERTIFICATE');
/** A moment after OpenSSL made the certificates (it dates them from the second it signs). */
const now = () => Math.floor(Date.now() / 1000) + 2;

const CA = `[req]\ndistinguished_name = dn\n[dn]\n[ca]\nbasicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign\nsubjectKeyIdentifier = hash\n[int]\nbasicConstraints = critical, CA:TRUE, pathlen:0\nkeyUsage = critical, keyCertSign, cRLSign\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid:always\n`;

/** Makes the leaf of a variant; returns its DER and the DER of the certificates sent with it. */
function make(v: Variant, i: number): { leaf: Uint8Array; chain: Uint8Array[] } {
  const name = `v${i}`;
  const keySpec = v.key === 'rsa' ? ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'] : ['-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${v.key === 'p384' ? 'P-384' : 'P-256'}`];
  run('genpkey', ...keySpec, '-out', `${name}.key`);
  // OpenSSL 3 adds both key identifiers unless told not to: only the variants that are about them have them.
  const ext = v.ext ?? BASE;
  const ids = `${ext.includes('subjectKeyIdentifier') ? '' : 'subjectKeyIdentifier = none\n'}${ext.includes('authorityKeyIdentifier') ? '' : 'authorityKeyIdentifier = none\n'}`;
  write(`${name}.cnf`, `[req]\ndistinguished_name = dn\n${v.stringMask ? `string_mask = ${v.stringMask}\n` : ''}[dn]\n[v]\n${ext}\n${ids}`);
  run('req', '-new', '-config', `${name}.cnf`, '-key', `${name}.key`, '-subj', v.subject ?? '/CN=bank.example', ...(v.subject?.includes('+') ? ['-multivalue-rdn'] : []), '-out', `${name}.csr`);
  const issuer = v.intermediate ? 'int' : 'root';
  const serial = v.sign?.includes('-set_serial') ? [] : ['-set_serial', String(1000 + i)];
  run('x509', '-req', '-in', `${name}.csr`, '-CA', `${issuer}.pem`, '-CAkey', `${issuer}.key`, '-days', '30', ...serial, ...(v.sign ?? []), '-extfile', `${name}.cnf`, '-extensions', 'v', '-out', `${name}.pem`);
  return { leaf: der(`${name}.pem`), chain: v.intermediate ? [der('int.pem')] : [] };
}

describe.skipIf(!openssl)('18 one-change variants of an OpenSSL-made certificate (skipped when the openssl command is missing)', () => {
  let options: PathOptions;
  beforeAll(() => {
    write('ca.cnf', CA);
    run('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'root.key');
    run('req', '-new', '-x509', '-config', 'ca.cnf', '-extensions', 'ca', '-key', 'root.key', '-subj', '/O=Example CA/CN=Example Root CA', '-days', '3650', '-out', 'root.pem');
    run('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'int.key');
    run('req', '-new', '-config', 'ca.cnf', '-key', 'int.key', '-subj', '/O=Example CA/CN=Example Issuing CA 1', '-out', 'int.csr');
    run('x509', '-req', '-in', 'int.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-days', '365', '-extfile', 'ca.cnf', '-extensions', 'int', '-out', 'int.pem');
    options = { trustStore: trustStoreFromPem(fs.readFileSync(path.join(dir, 'root.pem'), 'utf8')).anchors, expectedName: 'bank.example', now: 0, expectedKeyType: 'p256', expectedUsage: 'digitalSignature' };
  }, 60_000);

  it('there are 18', () => expect(VARIANTS).toHaveLength(18));

  it.each(VARIANTS.map((v, i) => ({ ...v, i })))('$what: read, kept byte for byte, and its path validated', (v) => {
    const { leaf, chain } = make(v, v.i);
    const x = readX509(leaf);
    v.read(x);
    // The game's model keeps the bytes as received: encoding it gives them back.
    expect(toHex(encodeCertificate(decodeCertificate(leaf)))).toBe(toHex(leaf));
    const keyType = v.key === 'rsa' ? 'rsa' : v.key === 'p384' ? 'p384' : 'p256';
    const result = validatePath(x, chain.map(readX509), { ...options, now: now(), ...(keyType === 'rsa' ? { expectedKeyType: 'rsa', expectedUsage: 'keyEncipherment' } : {}) });
    if (keyType === 'p384') {
      // Read and its chain valid; only the key is not one this handshake step can use (the game's levels sign with P-256).
      expect(result.checks.filter((c) => !c.passed).map((c) => [c.check, c.detail])).toEqual([['keyUsage', 'wrong key usage: this is a P-384 key for digitalSignature, but this step needs a P-256 key for digitalSignature']]);
      expect(alertFor({ reason: 'certificateRejected', checks: result.checks })).toBe('unsupported_certificate');
    } else {
      expect(result.checks.filter((c) => !c.passed)).toEqual([]);
      expect(result.accepted).toBe(true);
    }
    expect(result.steps).toHaveLength(v.intermediate ? 2 : 1);
  });
});

describe.skipIf(!openssl)('what the browser refuses in a well-formed certificate, by name and RFC alert (never decode_error)', () => {
  let options: PathOptions;
  beforeAll(() => {
    if (!fs.existsSync(path.join(dir, 'root.pem'))) {
      write('ca.cnf', CA);
      run('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'root.key');
      run('req', '-new', '-x509', '-config', 'ca.cnf', '-extensions', 'ca', '-key', 'root.key', '-subj', '/O=Example CA/CN=Example Root CA', '-days', '3650', '-out', 'root.pem');
    }
    options = { trustStore: trustStoreFromPem(fs.readFileSync(path.join(dir, 'root.pem'), 'utf8')).anchors, expectedName: 'bank.example', now: 0, expectedKeyType: 'p256', expectedUsage: 'digitalSignature' };
  }, 60_000);

  const REFUSED: { what: string; ext: string; check: string; alert: string; detail: RegExp }[] = [
    { what: 'an unknown critical extension', ext: `${BASE}\n1.3.6.1.4.1.55555.1 = critical, ASN1:UTF8String:must understand`, check: 'extensions', alert: 'unsupported_certificate', detail: /^the certificate has a critical extension this browser cannot process \(1\.3\.6\.1\.4\.1\.55555\.1\): RFC 5280 §4\.2 says refuse it$/ },
    { what: 'extKeyUsage for e-mail only', ext: `${BASE}\nextendedKeyUsage = emailProtection`, check: 'extendedKeyUsage', alert: 'unsupported_certificate', detail: /^wrong purpose: this certificate is for emailProtection, not for a TLS server \(serverAuth\)$/ },
    { what: 'a keyUsage without digitalSignature', ext: BASE.replace('digitalSignature', 'keyAgreement'), check: 'keyUsage', alert: 'unsupported_certificate', detail: /^wrong key usage: this is a P-256 key for keyAgreement, but this step needs a P-256 key for digitalSignature$/ },
    { what: 'a name only in the commonName', ext: 'basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature', check: 'name', alert: 'bad_certificate', detail: /^name mismatch: certificate is for \(no subjectAltName names\), you asked for bank\.example$/ },
  ];

  it.each(REFUSED.map((r, i) => ({ ...r, i })))('$what: $check fails, alert $alert', (r) => {
    const { leaf } = make({ what: r.what, ext: r.ext, read: () => {} }, 100 + r.i);
    const x = readX509(leaf); // well-formed: read
    const result = validatePath(x, [], { ...options, now: now() });
    const failed = result.checks.filter((c) => !c.passed);
    expect(failed.map((c) => c.check)).toEqual([r.check]);
    expect(failed[0]!.detail).toMatch(r.detail);
    expect(alertFor({ reason: 'certificateRejected', checks: result.checks })).toBe(r.alert);
  });

  it('an unknown extension that is not critical is ignored', () => {
    const { leaf } = make({ what: 'unknown', ext: `${BASE}\n1.3.6.1.4.1.55555.2 = ASN1:UTF8String:ignore me`, read: () => {} }, 200);
    const x = readX509(leaf);
    expect(x.extensions.find((e) => e.oid === '1.3.6.1.4.1.55555.2')).toMatchObject({ critical: false, known: false });
    expect(validatePath(x, [], { ...options, now: now() }).accepted).toBe(true);
  });
});

describe.skipIf(!openssl)('certificate signatures: ECDSA P-256/P-384, RSA PKCS #1 v1.5 and RSA-PSS, checked over the TBS bytes as received', () => {
  /** An RSA CA (made once) and a P-256 site certificate it signs with these `openssl x509 -req` options. */
  let rsaCa: PathOptions['trustStore'];
  beforeAll(() => {
    write('rsa-ca.cnf', CA);
    run('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'rsa-ca.key');
    run('req', '-new', '-x509', '-config', 'rsa-ca.cnf', '-extensions', 'ca', '-key', 'rsa-ca.key', '-subj', '/CN=Example RSA Root', '-days', '3650', '-out', 'rsa-ca.pem');
    run('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024', '-out', 'weak-ca.key');
    run('req', '-new', '-x509', '-config', 'rsa-ca.cnf', '-extensions', 'ca', '-key', 'weak-ca.key', '-subj', '/CN=Example Weak Root', '-days', '3650', '-out', 'weak-ca.pem');
    rsaCa = trustStoreFromPem(fs.readFileSync(path.join(dir, 'rsa-ca.pem'), 'utf8') + fs.readFileSync(path.join(dir, 'weak-ca.pem'), 'utf8')).anchors;
  }, 60_000);

  function signedBy(ca: string, sign: string[], i: number): X509 {
    const name = `sig${i}`;
    run('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`);
    write(`${name}.cnf`, `[req]\ndistinguished_name = dn\n[dn]\n[v]\n${BASE}\n`);
    run('req', '-new', '-config', `${name}.cnf`, '-key', `${name}.key`, '-subj', '/CN=bank.example', '-out', `${name}.csr`);
    run('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-days', '30', ...sign, '-extfile', `${name}.cnf`, '-extensions', 'v', '-out', `${name}.pem`);
    return readX509(der(`${name}.pem`));
  }
  const check = (x: X509) => validatePath(x, [], { trustStore: rsaCa, expectedName: 'bank.example', now: now(), expectedKeyType: 'p256', expectedUsage: 'digitalSignature' });

  const GOOD = [
    { what: 'sha256WithRSAEncryption', sign: ['-sha256'], algorithm: 'sha256WithRSAEncryption' },
    { what: 'sha384WithRSAEncryption', sign: ['-sha384'], algorithm: 'sha384WithRSAEncryption' },
    { what: 'sha512WithRSAEncryption', sign: ['-sha512'], algorithm: 'sha512WithRSAEncryption' },
    { what: 'RSASSA-PSS with SHA-256 (salt as long as the digest, as TLS wants)', sign: ['-sha256', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest'], algorithm: 'RSASSA-PSS (SHA-256, MGF1 SHA-256, salt 32)' },
    { what: 'RSASSA-PSS with SHA-384', sign: ['-sha384', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest'], algorithm: 'RSASSA-PSS (SHA-384, MGF1 SHA-384, salt 48)' },
  ];
  it.each(GOOD.map((g, i) => ({ ...g, i })))('$what: verifies; one flipped bit in the signed part does not', (g) => {
    const x = signedBy('rsa-ca', g.sign, g.i);
    expect(x.signatureAlgorithm.name).toBe(g.algorithm);
    expect(check(x).checks.filter((c) => !c.passed)).toEqual([]);
    const bad = x.der.slice();
    const at = toHex(bad).indexOf(toHex(new TextEncoder().encode('bank.example'))) / 2;
    bad[at]! ^= 0x01; // the subject's b → c, inside the TBS
    const tampered = check(readX509(bad));
    expect(tampered.checks.filter((c) => !c.passed).map((c) => [c.check, c.detail])).toEqual([['signature', 'bad signature: these fields were not signed by "Example RSA Root" — changed after signing, or forged']]);
  });

  it('sha1WithRSAEncryption is refused by name: signatureAlgorithm, unsupported_certificate', () => {
    const result = check(signedBy('rsa-ca', ['-sha1'], 10));
    const failed = result.checks.filter((c) => !c.passed && !c.blockedBy);
    expect(failed.map((c) => [c.check, c.detail])).toEqual([['signatureAlgorithm', 'cannot check the signature: it is signed with sha1WithRSAEncryption: SHA-1 signatures can be forged (chosen-prefix collisions) and browsers refuse them']]);
    expect(alertFor({ reason: 'certificateRejected', checks: result.checks })).toBe('unsupported_certificate');
  });

  it('an RSA-1024 CA is refused by name: its key is too short to trust', () => {
    const result = check(signedBy('weak-ca', ['-sha256'], 11));
    expect(result.checks.filter((c) => !c.passed && !c.blockedBy).map((c) => c.detail)).toEqual(["cannot check the signature: its issuer's key is RSA-1024, below the 2048 bits browsers require"]);
  });
});
