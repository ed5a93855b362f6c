/**
 * Certificate Transparency in real bytes, against OpenSSL: the certificates the CA issued in a
 * round of the event (dated at the real clock, as OpenSSL checks validity against it) — the
 * bank's and the sloppy CA's mis-issued one for Mallory.
 * - `openssl x509 -text` reads the embedded SCT list: "CT Precertificate SCTs", one "Signed
 *   Certificate Timestamp" from the game's log (its log ID, time, ecdsa-with-SHA256);
 * - `openssl verify -x509_strict` accepts both certificates for bank.example as TLS servers — the
 *   mis-issued one too: nothing in it is wrong but who asked for it;
 * - OpenSSL's own CT code, given the game's log as its only log (`-ctlogfile`), validates the
 *   SCT of the certificate `openssl s_server` serves (`s_client -ct`): "SCT validation status:
 *   valid".
 * - Wireshark (tshark) opens the teacher's capture by its key log and reads the SCT in both
 *   Certificate messages: the one Mallory's gateway showed Alice (hers) and the one the bank showed
 *   Mallory's proxy (its own) — the same log, two serials.
 * Skipped, saying so, without `openssl` (or `tshark`).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { AsnConvert } from '@peculiar/asn1-schema';
import { simulateRound } from '../../shared/src/play/simulate.ts';
import { p256Pkcs8, rootPem } from '../../shared/src/capture/key-files.ts';
import { certificatePem } from '../../shared/src/pki/certificate.ts';
import { pem, subjectPublicKeyInfo } from '../../shared/src/pki/keys.ts';
import { toBase64 } from '../../shared/src/codec/bytes.ts';
import { CT_LOG_NAME } from '../../shared/src/round/ct-log.ts';
import { teacherCapture } from '../../shared/src/capture/round-capture.ts';
import { ADDRESSES } from '../../shared/src/round/world.ts';
import type { Round } from '../../shared/src/round/state.ts';
import { hasOpenssl, opensslRun as run, pemDir, sServer, sServerCertificate } from './openssl.ts';
import { NAME, NOW } from './support.ts';

const files = pemDir();
afterAll(() => files.cleanup());

/** The log's public key as a SubjectPublicKeyInfo (DER): its log ID is the SHA-256 of these bytes (RFC 6962 §3.2). */
const logSpki = (round: Round) => new Uint8Array(AsnConvert.serialize(subjectPublicKeyInfo('p256', round.ctLog!.keys.publicKey)));

/** OpenSSL's CT log list (CTLOG_STORE_load_file): the game's log, by its public key. */
function logFile(round: Round): string {
  return files.file('ct-logs.cnf', `enabled_logs = heist\n\n[heist]\ndescription = ${CT_LOG_NAME}\nkey = ${toBase64(logSpki(round))}\n`);
}

describe.skipIf(!hasOpenssl)('Certificate Transparency: the logged certificates, read by OpenSSL (skipped when the openssl command is missing)', () => {
  const { round } = simulateRound(5, { client: 'careful', server: 'standard', ca: 'sloppy', attacker: 'fraudulentCsr' }, 'tls/ct', { event: 'certificateTransparency', gameClock: NOW });
  const [bank, mallory] = round.ctLog!.entries.map((e, i) => files.file(`logged-${i}.pem`, certificatePem(e.certificate)));
  const root = files.file('root.pem', rootPem(round));

  it('x509 -text prints the embedded SCT from the game’s log; verify -x509_strict accepts the bank’s certificate and the mis-issued one alike', () => {
    expect(round.result?.outcome).toBe('impersonated');
    for (const [file, entry] of [bank!, mallory!].map((f, i) => [f, round.ctLog!.entries[i]!] as const)) {
      const text = run(['x509', '-in', file, '-noout', '-text']).output;
      const sct = text.slice(text.indexOf('CT Precertificate SCTs:'), text.indexOf('Signature Algorithm:', text.indexOf('CT Precertificate SCTs:')));
      const logId = sct.match(/Log ID {4}: ([0-9A-F:\s]+?)\n {20}Timestamp/)![1]!.replace(/[\s:]/g, '').toLowerCase();
      expect(sct).toContain('Signed Certificate Timestamp:\n                    Version   : v1 (0x0)\n');
      expect(logId).toBe(createHash('sha256').update(logSpki(round)).digest('hex'));
      expect(sct).toContain(`Timestamp : ${opensslTime(entry.timestamp)}\n                    Extensions: none\n                    Signature : ecdsa-with-SHA256\n`);
      expect(run(['verify', '-x509_strict', '-CAfile', root, '-verify_hostname', NAME, '-purpose', 'sslserver', file])).toEqual({ ok: true, output: `${file}: OK\n` });
    }
  });

  it('s_client -ct with the game’s log as its only log: OpenSSL validates the SCT of the certificate s_server serves', async () => {
    const key = pem('PRIVATE KEY', p256Pkcs8(round.server.config.signingKey.secretKey, round.server.config.signingKey.publicKey));
    const server = await sServer([...sServerCertificate(files, 'bank-served', { certificatePem: certificatePem(round.server.config.certificate!), chainPem: '', keyPem: key }), '-www']);
    try {
      const seen = run(['s_client', '-connect', `127.0.0.1:${server.port}`, '-servername', NAME, '-CAfile', root, '-verify_return_error', '-ct', '-ctlogfile', logFile(round)]);
      expect(seen.output).toContain('Verify return code: 0 (ok)');
      expect(seen.output).toContain('SCTs present (1)');
      expect(seen.output).toContain(`Log       : ${CT_LOG_NAME}\n`);
      expect(seen.output).toContain('SCT validation status: valid');
    } finally {
      await server.stop();
    }
  });
});

/** OpenSSL's ASN1_GENERALIZEDTIME_print with milliseconds: "Dec  5 21:46:59.000 2026 GMT". */
function opensslTime(ms: number): string {
  const d = new Date(ms);
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${month} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, '0')} ${d.getUTCFullYear()} GMT`;
}

const hasTshark = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasTshark) console.warn('tshark is not installed: skipping the Certificate Transparency capture test (apt-get install tshark)');

describe.skipIf(!hasTshark)('Certificate Transparency: the teacher’s capture, read by Wireshark (skipped when tshark is missing)', () => {
  it('the key log opens the TLS 1.3 Certificate messages: each carries an SCT from the game’s log — Alice was shown Mallory’s certificate, the bank’s leg the bank’s own', () => {
    const { round } = simulateRound(5, { client: 'careful', server: 'standard', ca: 'sloppy', attacker: 'fraudulentCsr' }, 'tls/ct/capture', { event: 'certificateTransparency', gameClock: NOW });
    const capture = files.file('ct-round.pcapng', teacherCapture(round));
    const rows = spawnSync('tshark', ['-r', capture, '-Y', 'tls.handshake.type == 11', '-T', 'fields', '-e', 'ip.dst', '-e', 'x509af.serialNumber', '-e', 'tls.sct.sct_logid'], { encoding: 'utf8', env: { ...process.env, HOME: files.dir, XDG_CONFIG_HOME: files.dir } })
      .stdout.split('\n')
      .filter((l) => l !== '');
    const logId = createHash('sha256').update(logSpki(round)).digest('hex');
    const [alice, mallory] = (['client', 'attacker'] as const).map((e) => ADDRESSES[e].split(' ')[0]!);
    const serial = (i: number) => round.ctLog!.entries[i]!.certificate.serial.toString(16);
    // Entry 0 is the bank's certificate, entry 1 hers (the bank asked first).
    expect(round.ctLog!.entries.map((e) => e.requester)).toEqual(['server', 'attacker']);
    expect(rows).toEqual([`${alice}\t${serial(1)}\t${logId}`, `${mallory}\t${serial(0)}\t${logId}`]);
  });
});
