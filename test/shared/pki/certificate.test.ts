import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../../../shared/src/codec/bytes.ts';
import { CodecError } from '../../../shared/src/codec/reader.ts';
import { ed25519KeyPair, ed25519Verify, sha256, x25519KeyPair } from '../../../shared/src/crypto/primitives.ts';
import type { CertificateBody } from '../../../shared/src/messages/types.ts';
import {
  certificateAccepted,
  certificateFields,
  csrFields,
  decodeCertificate,
  decodeCsr,
  encodeCertificate,
  encodeCertificateBody,
  encodeCsr,
  signCertificate,
  verifyCertificate,
  type VerifyOptions,
} from '../../../shared/src/pki/index.ts';
import { certificate as anyCertificate, csr as anyCsr } from '../codec/arbitraries.ts';

const seed = (label: string) => sha256(utf8(label));
const rootCa = ed25519KeyPair(seed('Heist Root CA'));
const mallory = ed25519KeyPair(seed('Mallory'));
const bankKey = x25519KeyPair(seed('bank.example'));

const body: CertificateBody = {
  serial: 1001,
  subject: 'bank.example',
  issuer: 'Heist Root CA',
  notBefore: 100,
  notAfter: 900,
  keyType: 'x25519',
  keyUsage: 'keyEncipherment',
  publicKey: bankKey.publicKey,
};

const options: VerifyOptions = {
  trustStore: [{ name: 'Heist Root CA', publicKey: rootCa.publicKey }],
  expectedName: 'bank.example',
  now: 300,
  expectedKeyType: 'x25519',
  expectedUsage: 'keyEncipherment',
};

/** Check name → passed, in report order. */
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
];
const only = (check: string) => ALL_PASS.map(([c]) => [c, c !== check]);

describe('certificate signing', () => {
  it('the CA signs SHA-256 of the encoded body with its Ed25519 private key', () => {
    const cert = signCertificate(body, rootCa.secretKey);
    expect(ed25519Verify(rootCa.publicKey, sha256(encodeCertificateBody(body)), cert.signature)).toBe(true);
    expect(encodeCertificate(cert).subarray(0, encodeCertificateBody(body).length)).toEqual(encodeCertificateBody(body));
  });

  it('a genuine certificate passes every check, each reported by name in order', () => {
    const results = verifyCertificate(signCertificate(body, rootCa.secretKey), options);
    expect(outcome(results)).toEqual(ALL_PASS);
    expect(certificateAccepted(results)).toBe(true);
    for (const r of results) expect(r.detail.length).toBeGreaterThan(10);
  });

  it('decode(encode(cert)) equals cert; prefixes are truncated and extra bytes trailing', () => {
    fc.assert(
      fc.property(anyCertificate, (cert) => {
        const bytes = encodeCertificate(cert);
        expect(decodeCertificate(bytes)).toEqual(cert);
        expect(() => decodeCertificate(bytes.subarray(0, bytes.length - 1))).toThrow(expect.objectContaining({ reason: 'truncated' }));
        expect(() => decodeCertificate(new Uint8Array([...bytes, 0]))).toThrow(expect.objectContaining({ reason: 'trailing' }));
      }),
      { numRuns: 100 },
    );
  });

  it('CSRs round-trip and have a field tree for the CA panel', () => {
    fc.assert(
      fc.property(anyCsr, (csr) => {
        expect(decodeCsr(encodeCsr(csr))).toEqual(csr);
      }),
      { numRuns: 100 },
    );
    const csr = { subject: 'bank.example', keyType: 'x25519', keyUsage: 'keyEncipherment', publicKey: bankKey.publicKey } as const;
    expect(csrFields(csr).map((f) => [f.path, f.value])).toEqual([
      ['subject', 'bank.example'],
      ['keyType', 'x25519'],
      ['keyUsage', 'keyEncipherment'],
      ['publicKey', Buffer.from(bankKey.publicKey).toString('hex')],
    ]);
    expect(() => decodeCsr(encodeCsr(csr).subarray(0, 40))).toThrow(CodecError);
  });

  it('certificateFields shows every field with its bytes', () => {
    const cert = signCertificate(body, rootCa.secretKey);
    const bytes = encodeCertificate(cert);
    const fields = certificateFields(cert, 'certificate');
    expect(fields.map((f) => f.path)).toEqual([
      'certificate.serial',
      'certificate.subject',
      'certificate.issuer',
      'certificate.notBefore',
      'certificate.notAfter',
      'certificate.keyType',
      'certificate.keyUsage',
      'certificate.publicKey',
      'certificate.signature',
    ]);
    const subject = fields[1]!;
    expect(new TextDecoder().decode(bytes.subarray(subject.offset + 1, subject.offset + subject.length))).toBe('bank.example');
    expect(fields.at(-1)!.explain).toMatch(/signature/i);
    expect(fields.reduce((n, f) => n + f.length, 0)).toBe(bytes.length);
  });
});

describe('certificate checks: each failure reported by name', () => {
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
    ]);
    expect(detail(results, 'issuer')).toBe('unknown issuer "Totally Legit CA" not in your trust store');
    expect(results.find((r) => r.check === 'signature')).toMatchObject({ passed: false, blockedBy: 'issuer', detail: expect.stringMatching(/could not be checked/) });
    expect(certificateAccepted(results)).toBe(false);
  });

  it('bad signature after flipping one byte of the subject on the wire', () => {
    const bytes = encodeCertificate(signCertificate(body, rootCa.secretKey));
    const subject = certificateFields(decodeCertificate(bytes)).find((f) => f.path === 'subject')!;
    bytes[subject.offset + 1]! ^= 0x01; // 'b' → 'c': still valid text, now "cank.example"
    const tampered = decodeCertificate(bytes);
    expect(tampered.subject).toBe('cank.example');
    const results = verifyCertificate(tampered, { ...options, expectedName: 'cank.example' });
    expect(outcome(results)).toEqual(only('signature'));
    expect(detail(results, 'signature')).toMatch(/^bad signature/);
  });

  it('bad signature when someone else signs in the trusted CA’s name', () => {
    const results = verifyCertificate(signCertificate(body, mallory.secretKey), options);
    expect(outcome(results)).toEqual(only('signature'));
  });

  it('a valid certificate for evil.example is still rejected for bank.example', () => {
    const evil = signCertificate({ ...body, subject: 'evil.example', publicKey: x25519KeyPair(seed('evil')).publicKey }, rootCa.secretKey);
    const results = verifyCertificate(evil, options);
    expect(outcome(results)).toEqual(only('name'));
    expect(detail(results, 'name')).toBe('name mismatch: certificate is for evil.example, you asked for bank.example');
    expect(certificateAccepted(results)).toBe(false);
    // The same certificate is fine for the site it names.
    expect(certificateAccepted(verifyCertificate(evil, { ...options, expectedName: 'evil.example' }))).toBe(true);
  });

  it('names compare without regard to case, as DNS does', () => {
    expect(certificateAccepted(verifyCertificate(signCertificate(body, rootCa.secretKey), { ...options, expectedName: 'Bank.Example' }))).toBe(true);
  });

  it('expired: after notAfter (notAfter itself is still valid)', () => {
    const cert = signCertificate(body, rootCa.secretKey);
    const results = verifyCertificate(cert, { ...options, now: 901 });
    expect(outcome(results)).toEqual(only('notExpired'));
    expect(detail(results, 'notExpired')).toMatch(/^expired/);
    expect(certificateAccepted(verifyCertificate(cert, { ...options, now: 900 }))).toBe(true);
  });

  it('not yet valid: before notBefore (notBefore itself is valid)', () => {
    const cert = signCertificate(body, rootCa.secretKey);
    const results = verifyCertificate(cert, { ...options, now: 99 });
    expect(outcome(results)).toEqual(only('notYetValid'));
    expect(detail(results, 'notYetValid')).toMatch(/^not yet valid/);
    expect(certificateAccepted(verifyCertificate(cert, { ...options, now: 100 }))).toBe(true);
  });

  it('wrong key usage: a signing certificate offered where a key-encipherment one is needed', () => {
    const signing = signCertificate({ ...body, keyType: 'ed25519', keyUsage: 'digitalSignature', publicKey: mallory.publicKey }, rootCa.secretKey);
    const results = verifyCertificate(signing, options);
    expect(outcome(results)).toEqual(only('keyUsage'));
    expect(detail(results, 'keyUsage')).toMatch(/^wrong key usage/);
    const wrongUsageOnly = signCertificate({ ...body, keyUsage: 'digitalSignature' }, rootCa.secretKey);
    expect(outcome(verifyCertificate(wrongUsageOnly, options))).toEqual(only('keyUsage'));
  });

  it('any single changed field breaks the signature', () => {
    const cert = signCertificate(body, rootCa.secretKey);
    const changes: Partial<CertificateBody>[] = [
      { serial: 1002 },
      { issuer: 'Heist Root CA ' },
      { notAfter: 901 },
      { notBefore: 99 },
      { keyUsage: 'digitalSignature' },
      { publicKey: mallory.publicKey },
    ];
    for (const change of changes) {
      const results = verifyCertificate({ ...cert, ...change }, options);
      expect(results.find((r) => r.check === 'signature')!.passed, JSON.stringify(change)).toBe(false);
    }
  });
});
