/**
 * RFC 5280 §6 path validation on chains the game's own PKI makes (what the chain-of-trust level
 * builds on): root → intermediate → bank, the path built from what the server sends (in any
 * order, with extra certificates), each step reported with its checks, and every rule a chain
 * can break caught by name with the alert RFC 8446 §6.2 names — Mallory's genuine certificate
 * for mallory.example used as a CA above all.
 */
import { describe, expect, it } from 'vitest';
import { utf8 } from '../../../shared/src/codec/bytes.ts';
import { p256KeyPair, sha256 } from '../../../shared/src/crypto/primitives.ts';
import { alertFor } from '../../../shared/src/handshake/failures.ts';
import type { Certificate, CertificateBody } from '../../../shared/src/messages/types.ts';
import { rootCertificate, signCertificate, validateCertificatePath, verifyCertificate, x509Of, type PathValidation, type VerifyOptions } from '../../../shared/src/pki/index.ts';
import { anchorFromCertificate } from '../../../shared/src/pki/path.ts';
import { distinguishedName } from '../../../shared/src/pki/x509-names.ts';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AttributeTypeAndValue, AttributeValue, Name, RelativeDistinguishedName } from '@peculiar/asn1-x509';

const keys = (label: string) => p256KeyPair(sha256(utf8(label)));
const root = keys('Heist Root CA');
const intermediate = keys('Heist Issuing CA');
const bank = keys('bank');
const mallory = keys('Mallory');
const NOW = 1_800_000_000;
const DAY = 86_400;

const site = (over: Partial<CertificateBody> = {}): CertificateBody => ({
  serial: 4242n,
  subject: 'bank.example',
  issuer: 'Heist Issuing CA',
  notBefore: NOW - DAY,
  notAfter: NOW + 90 * DAY,
  keyType: 'p256',
  keyUsage: ['digitalSignature'],
  publicKey: bank.publicKey,
  names: ['bank.example'],
  ca: false,
  ...over,
});
const ca = (subject: string, publicKey: Uint8Array, over: Partial<CertificateBody> = {}): CertificateBody => ({
  serial: 7n,
  subject,
  issuer: 'Heist Root CA',
  notBefore: NOW - 30 * DAY,
  notAfter: NOW + 365 * DAY,
  keyType: 'p256',
  keyUsage: ['keyCertSign'],
  publicKey,
  names: [],
  ca: true,
  pathLength: 0,
  ...over,
});

const rootCert = rootCertificate('Heist Root CA', root, NOW - 365 * DAY, NOW + 3650 * DAY);
const issuing = signCertificate(ca('Heist Issuing CA', intermediate.publicKey), root.secretKey);
const bankCert = signCertificate(site(), intermediate.secretKey);
const options: VerifyOptions = { trustStore: [anchorFromCertificate(x509Of(rootCert))], expectedName: 'bank.example', now: NOW, expectedKeyType: 'p256', expectedUsage: 'digitalSignature' };

function validate(leaf: Certificate, chain: Certificate[], over: Partial<VerifyOptions> = {}): PathValidation {
  const v = validateCertificatePath(leaf, { ...options, chain, ...over });
  if (typeof v === 'string') throw new Error(v);
  return v;
}
const failed = (v: PathValidation) => v.checks.filter((c) => !c.passed && !c.blockedBy).map((c) => c.check);
const alert = (v: PathValidation) => alertFor({ reason: 'certificateRejected', checks: v.checks });

describe('root → intermediate → bank', () => {
  it('passes every check, chain checks included, and lists each step with its own checks', () => {
    const v = validate(bankCert, [issuing]);
    expect(v.accepted).toBe(true);
    expect(v.checks.map((c) => c.check)).toEqual(['issuer', 'signature', 'caFlag', 'caKeyUsage', 'pathLength', 'name', 'notExpired', 'notYetValid', 'keyUsage', 'extendedKeyUsage']);
    expect(v.checks[0]!.detail).toBe('the chain leads to "Heist Root CA", a CA in your trust store: "bank.example" ← "Heist Issuing CA" ← "Heist Root CA"');
    expect(v.steps.map((s) => [s.role, s.certificate.subject.text, s.issuedBy])).toEqual([
      ['leaf', 'CN=bank.example', 'Heist Issuing CA'],
      ['intermediate', 'CN=Heist Issuing CA', 'Heist Root CA'],
    ]);
    expect(v.steps[1]!.checks.map((c) => [c.check, c.passed])).toEqual([
      ['issuer', true],
      ['signature', true],
      ['caFlag', true],
      ['caKeyUsage', true],
      ['pathLength', true],
      ['notExpired', true],
      ['notYetValid', true],
      ['extendedKeyUsage', true],
    ]);
    expect(v.anchor?.name).toBe('Heist Root CA');
  });

  it('builds the path whatever order the server sends, and names what it did not use', () => {
    const stray = signCertificate(ca('Some Other CA', mallory.publicKey), root.secretKey);
    const v = validate(bankCert, [stray, issuing]);
    expect(v.accepted).toBe(true);
    expect(v.unused.map((u) => u.subject.text)).toEqual(['CN=Some Other CA']);
  });

  it('a missing intermediate: no path to a trusted CA — unknown_ca, and the leaf’s signature cannot be checked', () => {
    const v = validate(bankCert, []);
    expect(failed(v)).toEqual(['issuer']);
    expect(v.checks[0]!.detail).toBe('unknown issuer "Heist Issuing CA" not in your trust store');
    expect(v.checks.find((c) => c.check === 'signature')).toMatchObject({ passed: false, blockedBy: 'issuer' });
    expect(alert(v)).toBe('unknown_ca');
  });

  it('the authorityKeyIdentifier only orders candidates: two CAs of one name, the one whose key signed wins', () => {
    const impostor = signCertificate(ca('Heist Issuing CA', mallory.publicKey), root.secretKey);
    expect(validate(bankCert, [impostor, issuing]).accepted).toBe(true);
    const noAki = { ...signCertificate(site(), intermediate.secretKey) };
    delete noAki.authorityKeyId; // written without an AKI, and signed so
    const plain = signCertificate(noAki, intermediate.secretKey);
    expect(validate(plain, [impostor, issuing]).accepted).toBe(true);
  });
});

describe('what path validation catches, by name and alert', () => {
  it("Mallory's genuine certificate for mallory.example used as a CA: caFlag and caKeyUsage fail (bad_certificate), and pathLength under a pathlen 0 CA", () => {
    const malloryCert = signCertificate({ ...site({ subject: 'mallory.example', names: ['mallory.example'], publicKey: mallory.publicKey }), issuer: 'Heist Issuing CA' }, intermediate.secretKey);
    const forged = signCertificate(site({ issuer: 'mallory.example' }), mallory.secretKey);
    const v = validate(forged, [malloryCert, issuing]);
    // §6.1.4 (l): every certificate between the anchor and the leaf counts against pathLenConstraint, a CA or not.
    expect(failed(v)).toEqual(['caFlag', 'caKeyUsage', 'pathLength']);
    expect(v.checks.find((c) => c.check === 'caFlag')!.detail).toBe('"mallory.example" signed a certificate but is no CA: its basicConstraints say cA FALSE — a site\'s certificate cannot vouch for another');
    expect(v.checks.find((c) => c.check === 'caKeyUsage')!.detail).toBe('"mallory.example"\'s key may not sign certificates: its keyUsage is digitalSignature, without keyCertSign');
    expect(alert(v)).toBe('bad_certificate');
    // A sloppy browser that skips the chain checks sees nothing else wrong: every other check passes.
    expect(v.checks.filter((c) => !['caFlag', 'caKeyUsage', 'pathLength'].includes(c.check)).every((c) => c.passed)).toBe(true);
    // Under an issuing CA without a path length limit, the CA flag and key usage alone catch her.
    const open = signCertificate(ca('Heist Issuing CA', intermediate.publicKey, { pathLength: undefined }), root.secretKey);
    const malloryUnderOpen = signCertificate({ ...site({ subject: 'mallory.example', names: ['mallory.example'], publicKey: mallory.publicKey }) }, intermediate.secretKey);
    expect(failed(validate(forged, [malloryUnderOpen, open]))).toEqual(['caFlag', 'caKeyUsage']);
  });

  it('a CA under a pathlen 0 CA: pathLength fails (bad_certificate)', () => {
    const sub = keys('Sub CA');
    const subCa = signCertificate(ca('Heist Sub CA', sub.publicKey, { issuer: 'Heist Issuing CA' }), intermediate.secretKey);
    const leaf = signCertificate(site({ issuer: 'Heist Sub CA' }), sub.secretKey);
    const v = validate(leaf, [subCa, issuing]);
    expect(failed(v)).toEqual(['pathLength']);
    expect(v.checks.find((c) => c.check === 'pathLength')!.detail).toBe('"Heist Issuing CA" may have at most 0 intermediate CAs under it (pathLenConstraint), and has 1');
    expect(alert(v)).toBe('bad_certificate');
    const open = signCertificate(ca('Heist Issuing CA', intermediate.publicKey, { pathLength: 1 }), root.secretKey);
    expect(validate(leaf, [subCa, open]).accepted).toBe(true);
  });

  it('an expired intermediate: notExpired fails for it, by name (certificate_expired)', () => {
    const old = signCertificate(ca('Heist Issuing CA', intermediate.publicKey, { notAfter: NOW - DAY }), root.secretKey);
    const v = validate(bankCert, [old]);
    expect(failed(v)).toEqual(['notExpired']);
    expect(v.checks.find((c) => c.check === 'notExpired')!.detail).toBe('expired: "Heist Issuing CA"\'s certificate was valid until 2027-01-14 08:00 UTC, it is now 2027-01-15 08:00 UTC');
    expect(alert(v)).toBe('certificate_expired');
  });

  it('a bank certificate signed by the intermediate’s key but changed afterwards: signature (bad_certificate)', () => {
    const v = validate({ ...bankCert, names: ['bank.example', 'mallory.example'] }, [issuing]);
    expect(failed(v)).toEqual(['signature']);
    expect(alert(v)).toBe('bad_certificate');
  });

  it('a wildcard covers one label (RFC 6125 §6.4.3), not the bare domain or two labels', () => {
    const wild = signCertificate(site({ names: ['*.bank.example'] }), intermediate.secretKey);
    expect(validate(wild, [issuing], { expectedName: 'www.bank.example' }).checks.find((c) => c.check === 'name')).toMatchObject({ passed: true, detail: 'the certificate is for *.bank.example (its subjectAltName), which covers www.bank.example, the site you asked for' });
    expect(failed(validate(wild, [issuing]))).toEqual(['name']);
    expect(failed(validate(wild, [issuing], { expectedName: 'a.b.bank.example' }))).toEqual(['name']);
    const tooWide = signCertificate(site({ names: ['*.example'] }), intermediate.secretKey);
    expect(failed(validate(tooWide, [issuing], { expectedName: 'bank.example' }))).toEqual(['name']);
  });

  it("the bank's certificate is for TLS servers (extKeyUsage serverAuth); the game's CA certificates restrict no purpose", () => {
    const v = validate(bankCert, [issuing]);
    expect(v.checks.find((c) => c.check === 'extendedKeyUsage')!.detail).toBe('for TLS servers (extKeyUsage serverAuth); "Heist Issuing CA" does not restrict purposes');
  });

  it('verifyCertificate gives the same checks as the path (what the handshake and the referee report)', () => {
    expect(verifyCertificate(bankCert, { ...options, chain: [issuing] })).toEqual(validate(bankCert, [issuing]).checks);
  });
});

describe('names as people read them', () => {
  it('RFC 4514 text, most specific first, with control characters escaped so a hostile name cannot drive a terminal', () => {
    const rdn = (type: string, utf8String: string) => new RelativeDistinguishedName([new AttributeTypeAndValue({ type, value: new AttributeValue({ utf8String }) })]);
    const name = new Name([rdn('2.5.4.6', 'US'), rdn('2.5.4.10', "Let's Encrypt"), rdn('2.5.4.3', 'evil\u001b[2J, x')]);
    const dn = distinguishedName(new Uint8Array(AsnConvert.serialize(name)));
    expect(dn.text).toBe("CN=evil\\1b[2J\\, x, O=Let's Encrypt, C=US");
    expect(dn.canonical).toBe(distinguishedName(new Uint8Array(AsnConvert.serialize(new Name([rdn('2.5.4.6', 'us'), rdn('2.5.4.10', "  LET'S   encrypt "), rdn('2.5.4.3', 'EVIL\u001b[2j, X')])))).canonical);
  });
});
