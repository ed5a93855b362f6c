/**
 * The revocation event's OCSP responses (pki/ocsp.ts, RFC 6960) read by OpenSSL: `openssl ocsp
 * -respin … -resp_text` prints the status the game's CA signed, and verifies the signature with
 * the game's root as the trusted CA (-CAfile), for the certificate it names (-issuer, -cert).
 */
import { describe, expect, it } from 'vitest';
import { certificatePem, judgeStaple, p256KeyPair, rootCertificate, signCertificate, signOcspResponse } from '@heist/shared';
import { spawnSync } from 'node:child_process';
import { hasOpenssl, opensslRun, pemDir } from './openssl.ts';

/** openssl ocsp checking a response file against the root, for `leaf`: what it prints, stdout and stderr (where it says "Response verify OK"). The game's clock is years ahead of the machine's: -validity_period lets thisUpdate be in OpenSSL's future. */
function verifyWithOpenssl(files: ReturnType<typeof pemDir>, der: Uint8Array): string {
  const rootPem = files.file('root.pem', certificatePem(root));
  const args = ['ocsp', '-respin', files.file('resp.der', der), '-CAfile', rootPem, '-issuer', rootPem, '-cert', files.file('leaf.pem', certificatePem(leaf)), '-no_nonce', '-validity_period', String(3 * 365 * DAY)];
  const run = spawnSync('openssl', args, { encoding: 'utf8' });
  return `${run.stdout}${run.stderr}`;
}

const NOW = 1_800_000_000;
const DAY = 86_400;
const ca = { name: 'Heist Root CA', keys: p256KeyPair(new Uint8Array(32).fill(7)) };
const root = rootCertificate(ca.name, ca.keys, NOW - 365 * DAY, NOW + 3650 * DAY);
const bank = p256KeyPair(new Uint8Array(32).fill(9));
const leaf = signCertificate({ serial: 4321n, subject: 'bank.example', issuer: ca.name, notBefore: NOW - 20 * DAY, notAfter: NOW + 70 * DAY, keyType: 'p256', keyUsage: ['digitalSignature'], publicKey: bank.publicKey, names: ['bank.example'], ca: false }, ca.keys.secretKey);

describe.skipIf(!hasOpenssl)('OCSP responses, read by openssl ocsp', () => {
  it('a revoked answer: OpenSSL prints keyCompromise and its time, and verifies it against the root', () => {
    const der = signOcspResponse(leaf, ca, { kind: 'revoked', at: NOW - 3600 }, NOW);
    const files = pemDir();
    try {
      const resp = files.file('resp.der', der);
      const text = opensslRun(['ocsp', '-respin', resp, '-resp_text', '-noverify']);
      expect(text.ok, text.output).toBe(true);
      expect(text.output).toContain('OCSP Response Status: successful (0x0)');
      expect(text.output).toContain('Response Type: Basic OCSP Response');
      expect(text.output).toContain('Cert Status: revoked');
      expect(text.output).toContain('Revocation Reason: keyCompromise (0x1)');
      expect(text.output).toContain('Serial Number: 10E1');
      const verified = verifyWithOpenssl(files, der);
      expect(verified).toContain('Response verify OK');
      expect(verified).toMatch(/leaf\.pem: revoked/);
    } finally {
      files.cleanup();
    }
  });

  it('a good answer verifies and says good; the game reads back what OpenSSL read', () => {
    const der = signOcspResponse(leaf, ca, { kind: 'good' }, NOW);
    const files = pemDir();
    try {
      const verified = verifyWithOpenssl(files, der);
      expect(verified).toContain('Response verify OK');
      expect(verified).toMatch(/leaf\.pem: good/);
      expect(judgeStaple(der, leaf, { name: ca.name, publicKey: ca.keys.publicKey }, NOW + 60).kind).toBe('good');
    } finally {
      files.cleanup();
    }
  });
});
