/**
 * The revocation event's OCSP responses (pki/ocsp.ts, RFC 6960) read by OpenSSL: `openssl ocsp
 * -respin … -resp_text` prints the status the game's CA signed, and verifies the signature with
 * the game's root as the trusted CA (-CAfile), for the certificate it names (-issuer, -cert).
 * Then stapled on the wire: `openssl s_client -status` (TLS 1.3) against `npm run tls -- serve
 * --ocsp …` finds the answer in the bank certificate's entry (RFC 8446 §4.4.2.1) and prints it;
 * Wireshark's own dissector (tshark) reads it in a round's capture, decrypted by its key log.
 * At a bank with short-lived certificates, `openssl x509 -dates` reads the stolen certificate's
 * 160 hours in its DER, and `openssl verify -x509_strict -attime` at the round's time refuses it
 * for its dates alone, where the 90-day bank's stolen certificate still verifies.
 * Skipped, saying so, where openssl or tshark is not installed.
 */
import { describe, expect, it } from 'vitest';
import { certificatePem, judgeStaple, levelModule, p256KeyPair, rootCertificate, signCertificate, signOcspResponse } from '@heist/shared';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { hasOpenssl, openssl, opensslRun, pemDir } from './openssl.ts';
import { serve } from '../../tools/tls/cli.ts';
import { simulateRound } from '../../shared/src/play/simulate.ts';
import { intermediatePem, rootPem } from '../../shared/src/capture/key-files.ts';
import { teacherCapture } from '../../shared/src/capture/round-capture.ts';
import type { ClientBehaviour, AttackerBehaviour } from '../../shared/src/basics/roles.ts';

const hasTshark = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasTshark) console.warn('tshark is not installed: skipping the OCSP staple capture test (apt-get install tshark)');

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

  // TLS 1.3's certificate entry (5), TLS 1.2's CertificateStatus (4e), one an intermediate signs (6).
  const cases = [
    { level: '5', status: 'good', where: 'the certificate entry', version: 'TLSv1.3' },
    { level: '5', status: 'revoked', where: 'the certificate entry', version: 'TLSv1.3' },
    { level: '4e', status: 'revoked', where: 'CertificateStatus', version: 'TLSv1.2' },
    { level: '6', status: 'good', where: 'CertificateStatus, signed by the intermediate', version: 'TLSv1.2' },
  ] as const;
  for (const { level, status, where, version } of cases) {
    it(`npm run tls -- serve --level ${level} --ocsp ${status}: openssl s_client -status reads the staple (${where}), ${status}`, async () => {
      const files = pemDir();
      const lines: string[] = [];
      const server = await serve(['--level', level, '--port', '0', '--dir', files.dir, '--ocsp', status], { out: (l) => lines.push(l), err: (l) => lines.push(l) });
      try {
        const client = openssl(['s_client', '-connect', `127.0.0.1:${server.port}`, '-servername', 'bank.example', '-CAfile', path.join(files.dir, 'root.pem'), '-status', '-verify_return_error']);
        client.child.stdin.write('GET / HTTP/1.1\r\nHost: bank.example\r\nConnection: close\r\n\r\n');
        await Promise.race([client.waitFor(/served by the Handshake Heist engine/).catch(() => undefined), client.exited]);
        client.child.stdin.end();
        await client.exited;
        const output = client.output();
        expect(output).toContain('OCSP response: \n======================================\nOCSP Response Data:\n    OCSP Response Status: successful (0x0)');
        expect(output).toContain(`Cert Status: ${status}`);
        if (status === 'revoked') expect(output).toContain('Revocation Reason: keyCompromise (0x1)');
        expect(output).toContain(`New, ${version}, Cipher is`);
        // OpenSSL's s_client reports the staple; refusing a revoked certificate is the application's choice (as a soft-fail browser's is not).
        expect(output).toContain('Verify return code: 0 (ok)');
      } finally {
        await server.close();
        files.cleanup();
      }
    });
  }

  it('--ocsp takes good or revoked: anything else is a usage mistake', async () => {
    const files = pemDir();
    try {
      await expect(serve(['--level', '5', '--port', '0', '--dir', files.dir, '--ocsp', 'maybe'], { out: () => undefined, err: () => undefined })).rejects.toThrow('--ocsp takes good or revoked, not maybe');
    } finally {
      files.cleanup();
    }
  });
});

/** Each handshake message in a leaked-key round's capture that asks for a staple or carries one: its type (1 ClientHello, 11 Certificate, 22 CertificateStatus), and the answer's response and certificate status. */
function stapling(level: 4 | 6 | 5 | 7, client: ClientBehaviour, attacker: AttackerBehaviour, seed: string): string[] {
  const { round } = simulateRound(level, { client, server: 'standard', ca: 'strict', attacker }, seed, { event: 'leakedKeyRevocation' });
  const files = pemDir();
  try {
    const file = path.join(files.dir, 'round.pcapng');
    writeFileSync(file, teacherCapture(round));
    const result = spawnSync('tshark', ['-r', file, '-Y', 'tls.handshake.extensions_status_request_type || ocsp', '-T', 'fields', '-e', 'tls.handshake.type', '-e', 'ocsp.responseStatus', '-e', 'ocsp.certStatus'], { encoding: 'utf8', env: { ...process.env, HOME: files.dir, XDG_CONFIG_HOME: files.dir } });
    expect(result.status, result.stderr).toBe(0);
    return result.stdout.split('\n').filter((l) => l !== '');
  } finally {
    files.cleanup();
  }
}

describe.skipIf(!hasTshark)('the staple in a round’s capture, as Wireshark reads it', () => {
  it('unattacked: Alice’s ClientHello asks (status_request), and the bank’s Certificate carries the CA’s answer: successful, good', () => {
    expect(stapling(5, 'careful', 'passive', 'tshark-leaked-clean')).toEqual(['1\t\t', '11\t0\t0']);
  });

  it('TLS 1.2 (level 4e), unattacked: the answer comes in its own CertificateStatus message after the Certificate', () => {
    expect(stapling(6, 'careful', 'passive', 'tshark-leaked-clean-12')).toEqual(['1\t\t', '22\t0\t0']);
  });

  it('Mallory’s gateway with the stolen certificate, revoked: Alice asks, and no Certificate carries an answer', () => {
    expect(stapling(5, 'careless', 'fakeCertificate', 'tshark-leaked-soft-fail')).toEqual(['1\t\t']);
  });
});

describe.skipIf(!hasOpenssl)('a leaked key at a bank with short-lived certificates: the dates in the DER, read by openssl', () => {
  for (const level of [5, 7] as const) {
    it(`level ${levelModule(level).texts.label}: x509 -dates reads 160 hours, ended 13 days before the round; verify -x509_strict at the round's time says expired — the 90-day one verifies`, () => {
      const files = pemDir();
      try {
        const stolenOf = (server: 'shortLived' | 'standard') => {
          const { round } = simulateRound(level, { client: 'careful', server, ca: 'strict', attacker: 'fakeCertificate' }, `tls/short-lived/${level}`, { event: 'leakedKeyRevocation' });
          return { round, stolen: files.file(`stolen-${server}.pem`, certificatePem(round.ca.revocation!.certificate)), renewed: files.file(`renewed-${server}.pem`, certificatePem(round.server.config.certificate!)) };
        };
        const short = stolenOf('shortLived');
        const root = files.file('root.pem', rootPem(short.round));
        const chain = intermediatePem(short.round);
        const untrusted = chain ? ['-untrusted', files.file('intermediate.pem', chain)] : [];
        const at = ['-attime', String(short.round.config.gameClock)];
        expect(opensslRun(['x509', '-in', short.stolen, '-noout', '-dates'])).toEqual({ ok: true, output: 'notBefore=Dec 26 08:00:00 2026 GMT\nnotAfter=Jan  2 00:00:00 2027 GMT\n' });
        const refused = opensslRun(['verify', '-x509_strict', ...at, '-CAfile', root, ...untrusted, short.stolen]);
        expect(refused.ok).toBe(false);
        expect(refused.output).toContain('error 10 at 0 depth lookup: certificate has expired');
        // The bank's new one, 160 hours from 3 hours before the round, verifies then.
        expect(opensslRun(['x509', '-in', short.renewed, '-noout', '-dates'])).toEqual({ ok: true, output: 'notBefore=Jan 15 05:00:00 2027 GMT\nnotAfter=Jan 21 21:00:00 2027 GMT\n' });
        expect(opensslRun(['verify', '-x509_strict', ...at, '-CAfile', root, ...untrusted, short.renewed])).toEqual({ ok: true, output: `${short.renewed}: OK\n` });
        // The 90-day bank's stolen certificate, the same days ago: still in date — only revocation can stop it.
        const long = stolenOf('standard');
        const longRoot = files.file('root-standard.pem', rootPem(long.round));
        const longChain = intermediatePem(long.round);
        const longUntrusted = longChain ? ['-untrusted', files.file('intermediate-standard.pem', longChain)] : [];
        expect(opensslRun(['x509', '-in', long.stolen, '-noout', '-enddate'])).toEqual({ ok: true, output: 'notAfter=Mar 26 08:00:00 2027 GMT\n' });
        expect(opensslRun(['verify', '-x509_strict', ...at, '-CAfile', longRoot, ...longUntrusted, long.stolen])).toEqual({ ok: true, output: `${long.stolen}: OK\n` });
      } finally {
        files.cleanup();
      }
    });
  }
});
