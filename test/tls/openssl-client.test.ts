/**
 * OpenSSL's own client (`openssl s_client -verify_return_error`) refusing the engine bank's
 * certificate sends an alert, which node:tls's client does not (it checks after the handshake
 * and just closes): the engine bank reads each one. Skipped, saying so, without `openssl`.
 *
 * One disagreement, by design: a certificate whose CA signature does not verify is
 * bad_certificate for the engine (RFC 8446 §6.2: "contained signatures that did not verify
 * correctly"), decrypt_error for OpenSSL (its mapping of X509_V_ERR_CERT_SIGNATURE_FAILURE).
 * A certificate signed by another key in the trusted CA's name is an unknown issuer for
 * OpenSSL: its authorityKeyIdentifier names a key no trusted CA has (RFC 5280 §4.2.1.1).
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bankFor, changedAfterSigning, LEVEL_CASES, NAME, NOW, serveEngine } from './support.ts';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version']);
    return true;
  } catch {
    return false;
  }
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heist-s-client-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function sClient(port: number, caPem: string, extra: string[] = []): Promise<{ code: number; output: string }> {
  const ca = path.join(dir, `ca-${port}.pem`);
  fs.writeFileSync(ca, caPem);
  return new Promise((resolve) => {
    const child = execFile('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', NAME, '-CAfile', ca, '-verify_return_error', ...extra], (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, output: stdout + stderr }),
    );
    child.stdin?.end();
  });
}

const DAY = 86_400;
const CASES = [
  { what: 'an issuer it does not trust', bank: {}, trust: 'Another Root CA', extra: [], alert: 'unknown_ca', says: /unable to get local issuer certificate/ },
  { what: 'a CA signature that does not verify', bank: {}, changed: true, trust: undefined, extra: [], alert: 'decrypt_error', says: /certificate signature failure/ },
  { what: 'another key signing in the trusted CA’s name', bank: {}, trust: 'Heist Root CA', extra: [], alert: 'unknown_ca', says: /unable to get local issuer certificate/ },
  { what: 'a certificate for another name', bank: { names: ['other.example'] }, trust: undefined, extra: ['-verify_hostname', NAME], alert: 'bad_certificate', says: /hostname mismatch/ },
  { what: 'an expired certificate', bank: { notBefore: NOW - 30 * DAY, notAfter: NOW - DAY }, trust: undefined, extra: [], alert: 'certificate_expired', says: /certificate has expired/ },
];

describe.skipIf(!hasOpenssl())('openssl s_client against the engine bank (skipped when openssl is not installed)', () => {
  describe.each(LEVEL_CASES)('level $label', ({ level }) => {
    it.each(CASES)('$what: OpenSSL sends $alert, and the engine bank records it', async (c) => {
      const made = bankFor(level, `s_client ${c.what} ${level}`, c.bank);
      const bank = 'changed' in c ? changedAfterSigning(made) : made;
      const trusted = c.trust ? bankFor(level, `s_client other ${level}`, { caName: c.trust }).rootPem : bank.rootPem;
      const server = await serveEngine(bank);
      try {
        const result = await sClient(server.port, trusted, c.extra);
        expect(result.code).not.toBe(0);
        expect(result.output).toMatch(c.says);
        const closed = await server.closed;
        expect(closed.failure).toEqual({ reason: 'peerAlert', description: c.alert });
        expect(closed.requests).toEqual([]);
      } finally {
        await server.close();
      }
    });
  });
});
