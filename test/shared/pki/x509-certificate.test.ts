/**
 * The game's certificates and requests as X.509 v3 / PKCS #10 DER (RFC 5280, RFC 2986), and the
 * browser's checks on them (RFC 5280 §6 cut to one level, RFC 6125 names). OpenSSL is the
 * outside judge: `openssl x509`, `openssl verify -CAfile` and `openssl req -verify` must accept
 * what the game's CA and bank make.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex, utf8 } from '../../../shared/src/codec/bytes.ts';
import { ecdsaP256Verify, p256KeyPair, sha256 } from '../../../shared/src/crypto/primitives.ts';
import { RSA_KEY_POOL } from '../../../shared/src/crypto/rsa-key-pool.ts';
import type { CertificateBody } from '../../../shared/src/messages/types.ts';
import {
  certificateAccepted,
  certificateFields,
  certificatePem,
  csrFields,
  csrSignatureValid,
  decodeCertificate,
  decodeCsr,
  encodeCertificate,
  encodeCertificateBody,
  encodeCsr,
  makeCsr,
  pem,
  rootCertificate,
  rsaKeyPair,
  signCertificate,
  verifyCertificate,
  type VerifyOptions,
} from '../../../shared/src/pki/index.ts';
import { certificate as anyCertificate, csr as anyCsr } from '../codec/arbitraries.ts';

const seed = (label: string) => sha256(utf8(label));
const rootCa = p256KeyPair(seed('Heist Root CA'));
const mallory = p256KeyPair(seed('Mallory'));
const bankRsa = rsaKeyPair(RSA_KEY_POOL[0]!);
const NOW = 1_800_000_000;

const body: CertificateBody = {
  serial: 1001n,
  subject: 'bank.example',
  issuer: 'Heist Root CA',
  notBefore: NOW - 100,
  notAfter: NOW + 800,
  keyType: 'rsa',
  keyUsage: ['keyEncipherment'],
  publicKey: bankRsa.publicKey,
  names: ['bank.example'],
  ca: false,
};

const options: VerifyOptions = {
  trustStore: [{ name: 'Heist Root CA', publicKey: rootCa.publicKey }],
  expectedName: 'bank.example',
  now: NOW,
  expectedKeyType: 'rsa',
  expectedUsage: 'keyEncipherment',
};

function outcome(results: ReturnType<typeof verifyCertificate>) {
  return results.map((r) => [r.check, r.passed]);
}
function detail(results: ReturnType<typeof verifyCertificate>, check: string) {
  return results.find((r) => r.check === check)!.detail;
}
const ALL_PASS = [
  ['issuer', true],
  ['signature', true],
  ['name', true],
  ['notExpired', true],
  ['notYetValid', true],
  ['keyUsage', true],
  ['extendedKeyUsage', true],
];
const only = (check: string) => ALL_PASS.map(([c]) => [c, c !== check]);

describe('X.509 v3 DER', () => {
  it('the CA signs the DER of the TBSCertificate with ECDSA P-256 (SHA-256), and the certificate holds that DER', () => {
    const cert = signCertificate(body, rootCa.secretKey);
    const tbs = encodeCertificateBody(cert); // the body with the authorityKeyIdentifier the CA wrote
    expect(ecdsaP256Verify(rootCa.publicKey, tbs, cert.signature)).toBe(true);
    expect(toHex(encodeCertificate(cert))).toContain(toHex(tbs));
  });

  it('decode(encode(cert)) equals cert; a cut or an added byte is refused', () => {
    fc.assert(
      fc.property(anyCertificate, (cert) => {
        const bytes = encodeCertificate(cert);
        expect(decodeCertificate(bytes)).toEqual(cert);
        expect(() => decodeCertificate(bytes.subarray(0, bytes.length - 1))).toThrow(expect.objectContaining({ name: 'CodecError' }));
        expect(() => decodeCertificate(new Uint8Array([...bytes, 0]))).toThrow(expect.objectContaining({ name: 'CodecError' }));
      }),
      { numRuns: 60 },
    );
  });

  it('PKCS #10 requests round-trip, and each is signed by the key it carries (proof of possession)', () => {
    fc.assert(
      fc.property(anyCsr, (csr) => {
        expect(decodeCsr(encodeCsr(csr))).toEqual(csr);
      }),
      { numRuns: 60 },
    );
    const rsa = makeCsr('bank.example', 'rsa', 'keyEncipherment', bankRsa);
    const ec = makeCsr('bank.example', 'p256', 'digitalSignature', mallory);
    expect(csrSignatureValid(rsa)).toBe(true);
    expect(csrSignatureValid(ec)).toBe(true);
    expect(csrSignatureValid({ ...rsa, subject: 'evil.example' })).toBe(false);
    expect(csrSignatureValid({ ...ec, publicKey: rootCa.publicKey })).toBe(false);
    expect(csrFields(rsa).map((f) => f.path)).toEqual(['certificationRequestInfo', 'signatureAlgorithm', 'signature']);
  });

  it('certificateFields: each field covers its own DER element, and the whole tree covers the certificate', () => {
    const cert = signCertificate(body, rootCa.secretKey);
    const bytes = encodeCertificate(cert);
    const fields = certificateFields(cert, 'certificate');
    const header = bytes.length - fields.reduce((n, f) => n + f.length, 0);
    expect(header).toBe(4); // all but the outer SEQUENCE's tag and 3-byte length
    const tbs = fields[0]!.children!;
    const subject = tbs.find((f) => f.path === 'certificate.subject')!;
    expect(new TextDecoder().decode(bytes.subarray(subject.offset, subject.offset + subject.length))).toContain('bank.example');
    const names = tbs.find((f) => f.path === 'certificate.extensions')!.children!.find((f) => f.path === 'certificate.names')!;
    expect(names.value).toBe('bank.example');
    expect(fields.at(-1)!.explain).toMatch(/signature/i);
  });
});

const openssl = (() => {
  try {
    execFileSync('openssl', ['version']);
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!openssl)("OpenSSL accepts the game's PKI (skipped when the openssl command is missing)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heist-pki-'));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const run = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  it('openssl x509 -text reads a bank certificate: v3, ecdsa-with-SHA256, the SAN, critical basicConstraints and keyUsage', () => {
    const text = run('x509', '-noout', '-text', '-in', write('bank.pem', certificatePem(signCertificate(body, rootCa.secretKey))));
    expect(text).toMatch(/Version: 3 \(0x2\)/);
    expect(text).toMatch(/Signature Algorithm: ecdsa-with-SHA256/);
    expect(text).toMatch(/Issuer: CN = Heist Root CA/);
    expect(text).toMatch(/Subject: CN = bank\.example/);
    expect(text).toMatch(/Public-Key: \(2048 bit\)/);
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Key Encipherment/);
    expect(text).toMatch(/X509v3 Subject Alternative Name:\s+DNS:bank\.example/);
  });

  it('openssl verify -CAfile root.pem accepts a bank certificate (RSA and P-256) and refuses one signed by another key', () => {
    const now = Math.floor(Date.now() / 1000);
    const live = { ...body, notBefore: now - 3600, notAfter: now + 3600 };
    const root = write('root.pem', certificatePem(rootCertificate('Heist Root CA', rootCa, now - 3600, now + 3600)));
    const rsa = write('rsa.pem', certificatePem(signCertificate(live, rootCa.secretKey)));
    const ec = write('ec.pem', certificatePem(signCertificate({ ...live, keyType: 'p256', keyUsage: ['digitalSignature'], publicKey: mallory.publicKey }, rootCa.secretKey)));
    expect(run('verify', '-CAfile', root, rsa)).toMatch(/OK/);
    expect(run('verify', '-CAfile', root, ec)).toMatch(/OK/);
    const forged = write('forged.pem', certificatePem(signCertificate(live, mallory.secretKey)));
    expect(() => run('verify', '-CAfile', root, forged)).toThrow();
  });

  it('openssl verify -x509_strict accepts every kind of certificate the game issues: its roots, the bank’s RSA and P-256 certificates, an intermediate and a certificate under it', () => {
    const now = Math.floor(Date.now() / 1000);
    const live = { ...body, notBefore: now - 3600, notAfter: now + 3600 };
    const root = write('strict-root.pem', certificatePem(rootCertificate('Heist Root CA', rootCa, now - 3600, now + 3600)));
    const rsa = write('strict-rsa.pem', certificatePem(signCertificate(live, rootCa.secretKey)));
    const ec = write('strict-ec.pem', certificatePem(signCertificate({ ...live, keyType: 'p256', keyUsage: ['digitalSignature'], publicKey: mallory.publicKey }, rootCa.secretKey)));
    const issuing = p256KeyPair(seed('Heist Issuing CA'));
    const mid = write('strict-mid.pem', certificatePem(signCertificate({ ...live, subject: 'Heist Issuing CA', keyType: 'p256', keyUsage: ['keyCertSign'], publicKey: issuing.publicKey, names: [], ca: true, pathLength: 0 }, rootCa.secretKey)));
    const under = write('strict-under.pem', certificatePem(signCertificate({ ...live, issuer: 'Heist Issuing CA' }, issuing.secretKey)));
    expect(run('verify', '-x509_strict', '-CAfile', root, root, rsa, ec, mid)).toBe([root, rsa, ec, mid].map((f) => `${f}: OK\n`).join(''));
    expect(run('verify', '-x509_strict', '-CAfile', root, '-untrusted', mid, under)).toBe(`${under}: OK\n`);
    const text = run('x509', '-noout', '-text', '-in', rsa);
    expect(text).toMatch(/X509v3 Extended Key Usage: \s+TLS Web Server Authentication/);
    expect(text).toMatch(/X509v3 Subject Key Identifier: \s+[0-9A-F:]{59}/);
    expect(text).toMatch(/X509v3 Authority Key Identifier: \s+[0-9A-F:]{59}/);
  });

  it("openssl req -verify accepts the bank's PKCS #10 request", () => {
    const csr = write('bank.csr', pem('CERTIFICATE REQUEST', encodeCsr(makeCsr('bank.example', 'rsa', 'keyEncipherment', bankRsa))));
    const out = execFileSync('openssl', ['req', '-in', csr, '-noout', '-verify', '-subject'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toMatch(/subject=CN = bank\.example/);
  });
});

describe('certificate checks: each failure reported by name', () => {
  it('a genuine certificate passes every check, each reported by name in order', () => {
    const results = verifyCertificate(signCertificate(body, rootCa.secretKey), options);
    expect(outcome(results)).toEqual(ALL_PASS);
    expect(certificateAccepted(results)).toBe(true);
  });

  it('unknown issuer: not in the trust store, so the signature cannot be checked', () => {
    const forged = signCertificate({ ...body, issuer: 'Totally Legit CA' }, mallory.secretKey);
    const results = verifyCertificate(forged, options);
    expect(outcome(results)).toEqual([
      ['issuer', false],
      ['signature', false],
      ['name', true],
      ['notExpired', true],
      ['notYetValid', true],
      ['keyUsage', true],
      ['extendedKeyUsage', true],
    ]);
    expect(detail(results, 'issuer')).toBe('unknown issuer "Totally Legit CA" not in your trust store');
    expect(results.find((r) => r.check === 'signature')).toMatchObject({ passed: false, blockedBy: 'issuer' });
  });

  it('bad signature after flipping one byte of the SAN name on the wire', () => {
    const bytes = encodeCertificate(signCertificate(body, rootCa.secretKey));
    const at = toHex(bytes).lastIndexOf(toHex(utf8('bank.example'))) / 2; // the SAN copy comes last
    bytes[at]! ^= 0x01; // 'b' → 'c'
    const tampered = decodeCertificate(bytes);
    expect(tampered.names).toEqual(['cank.example']);
    const results = verifyCertificate(tampered, { ...options, expectedName: 'cank.example' });
    expect(outcome(results)).toEqual(only('signature'));
    expect(detail(results, 'signature')).toMatch(/^bad signature/);
  });

  it('bad signature when someone else signs in the trusted CA’s name', () => {
    expect(outcome(verifyCertificate(signCertificate(body, mallory.secretKey), options))).toEqual(only('signature'));
  });

  it('the browser matches the subjectAltName names, not the commonName', () => {
    const evil = signCertificate({ ...body, subject: 'evil.example', names: ['evil.example'] }, rootCa.secretKey);
    expect(outcome(verifyCertificate(evil, options))).toEqual(only('name'));
    expect(detail(verifyCertificate(evil, options), 'name')).toBe('name mismatch: certificate is for evil.example, you asked for bank.example');
    const cnOnly = signCertificate({ ...body, names: [] }, rootCa.secretKey);
    expect(outcome(verifyCertificate(cnOnly, options))).toEqual(only('name'));
    const both = signCertificate({ ...body, subject: 'Bank of Example', names: ['www.bank.example', 'bank.example'] }, rootCa.secretKey);
    expect(certificateAccepted(verifyCertificate(both, options))).toBe(true);
  });

  it('names compare without regard to case, as DNS does', () => {
    expect(certificateAccepted(verifyCertificate(signCertificate(body, rootCa.secretKey), { ...options, expectedName: 'Bank.Example' }))).toBe(true);
  });

  it('expired after notAfter, not yet valid before notBefore (the bounds themselves are valid)', () => {
    const cert = signCertificate(body, rootCa.secretKey);
    expect(outcome(verifyCertificate(cert, { ...options, now: body.notAfter + 1 }))).toEqual(only('notExpired'));
    expect(certificateAccepted(verifyCertificate(cert, { ...options, now: body.notAfter }))).toBe(true);
    expect(outcome(verifyCertificate(cert, { ...options, now: body.notBefore - 1 }))).toEqual(only('notYetValid'));
    expect(certificateAccepted(verifyCertificate(cert, { ...options, now: body.notBefore }))).toBe(true);
  });

  it('wrong key usage: a P-256 signing certificate offered where an RSA key-encipherment one is needed', () => {
    const signing = signCertificate({ ...body, keyType: 'p256', keyUsage: ['digitalSignature'], publicKey: mallory.publicKey }, rootCa.secretKey);
    expect(outcome(verifyCertificate(signing, options))).toEqual(only('keyUsage'));
    expect(detail(verifyCertificate(signing, options), 'keyUsage')).toBe('wrong key usage: this is a P-256 key for digitalSignature, but this step needs an RSA key for keyEncipherment');
  });

  it('any single changed field breaks the signature', () => {
    const cert = signCertificate(body, rootCa.secretKey);
    const changes: Partial<CertificateBody>[] = [
      { serial: 1002n },
      { issuer: 'Heist Root CA2' },
      { notAfter: body.notAfter + 1 },
      { notBefore: body.notBefore - 1 },
      { keyUsage: ['digitalSignature'] },
      { publicKey: rsaKeyPair(RSA_KEY_POOL[1]!).publicKey },
      { names: ['bank.example', 'mallory.example'] },
      { ca: true },
    ];
    for (const change of changes) {
      const results = verifyCertificate({ ...cert, ...change }, options);
      expect(results.find((r) => r.check === 'signature')!.passed, Object.keys(change)[0]).toBe(false);
    }
  });
});
