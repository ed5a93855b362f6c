/**
 * Names and dates in real bytes, against OpenSSL: the certificates the two events put in play,
 * from rounds dated at the real clock (OpenSSL checks validity against it; the game's clock is
 * passed into the round, never read inside shared/).
 * - An expired certificate: the bank's, certified 93 days ago for 90 — `openssl x509 -checkend 0`
 *   says it has run out, and `openssl verify -x509_strict` refuses it: "certificate has expired".
 * - A look-alike name: Mallory's certificate for bank-examp1e.example — `openssl verify` accepts
 *   it for its own name and refuses it for bank.example ("hostname mismatch"): the certificate
 *   is perfectly valid, only the name Alice asked for was wrong.
 * At every certified level: the root signs at 4, 4e and 5, the intermediate at 6.
 * Skipped, saying so, without `openssl`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { simulateRound } from '../../shared/src/play/simulate.ts';
import { intermediatePem, rootPem } from '../../shared/src/capture/key-files.ts';
import { certificatePem } from '../../shared/src/pki/certificate.ts';
import { levelLabel } from '../../shared/src/levels/texts/index.ts';
import { LOOKALIKE_NAME } from '../../shared/src/round/world.ts';
import { hasOpenssl } from './openssl-chains.ts';
import { opensslRun } from './openssl.ts';
import { NAME, NOW } from './support.ts';

const openssl = hasOpenssl();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heist-names-and-dates-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const run = opensslRun;
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

const LEVELS = [4, 6, 5, 7] as const;

describe.skipIf(!openssl)('names and dates: the events’ certificates, read by OpenSSL (skipped when the openssl command is missing)', () => {
  describe.each(LEVELS.map((level) => ({ level, label: levelLabel(level) })))('level $label', ({ level, label }) => {
    it('the bank’s expired certificate: x509 -checkend 0 says it ran out, verify says "certificate has expired"', () => {
      const { round } = simulateRound(level, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'none' }, `tls/expired/${level}`, { event: 'expiredCertificate', gameClock: NOW });
      expect(round.result?.outcome).toBe('misconfigured');
      const bank = write(`expired-${label}.pem`, certificatePem(round.server.config.certificate!));
      const root = write(`expired-root-${label}.pem`, rootPem(round));
      const chain = intermediatePem(round);
      const untrusted = chain ? ['-untrusted', write(`expired-intermediate-${label}.pem`, chain)] : [];

      expect(run(['x509', '-in', bank, '-noout', '-subject', '-issuer'])).toEqual({ ok: true, output: `subject=CN = ${NAME}\nissuer=CN = ${chain ? 'Heist Issuing CA' : 'Heist Root CA'}\n` });
      expect(run(['x509', '-in', bank, '-noout', '-checkend', '0'])).toEqual({ ok: false, output: 'Certificate will expire\n' });
      const verdict = run(['verify', '-x509_strict', '-CAfile', root, ...untrusted, bank]);
      expect(verdict.ok).toBe(false);
      expect(verdict.output).toContain('error 10 at 0 depth lookup: certificate has expired');
      // On the day before it ran out, the same certificate verifies: nothing else is wrong with it.
      expect(run(['verify', '-x509_strict', '-attime', String(NOW - 4 * 86_400), '-CAfile', root, ...untrusted, bank])).toEqual({ ok: true, output: `${bank}: OK\n` });
    });

    it(`Mallory’s certificate for ${LOOKALIKE_NAME}: valid for its own name, a hostname mismatch for ${NAME}`, () => {
      const { round } = simulateRound(level, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'none' }, `tls/lookalike/${level}`, { event: 'lookalikeDomain', gameClock: NOW });
      expect(round.result?.outcome).toBe('impersonated');
      const shown = round.attacker.proxy?.downstream?.config.certificate;
      expect(shown?.subject).toBe(LOOKALIKE_NAME);
      const cert = write(`lookalike-${label}.pem`, certificatePem(shown!));
      const root = write(`lookalike-root-${label}.pem`, rootPem(round));
      const chain = intermediatePem(round);
      const untrusted = chain ? ['-untrusted', write(`lookalike-intermediate-${label}.pem`, chain)] : [];

      expect(run(['x509', '-in', cert, '-noout', '-subject', '-ext', 'subjectAltName'])).toEqual({ ok: true, output: `subject=CN = ${LOOKALIKE_NAME}\nX509v3 Subject Alternative Name: \n    DNS:${LOOKALIKE_NAME}\n` });
      expect(run(['x509', '-in', cert, '-noout', '-checkend', '0'])).toEqual({ ok: true, output: 'Certificate will not expire\n' });
      expect(run(['verify', '-x509_strict', '-CAfile', root, ...untrusted, cert])).toEqual({ ok: true, output: `${cert}: OK\n` });
      expect(run(['verify', '-x509_strict', '-CAfile', root, ...untrusted, '-verify_hostname', LOOKALIKE_NAME, cert])).toEqual({ ok: true, output: `${cert}: OK\n` });
      const forBank = run(['verify', '-x509_strict', '-CAfile', root, ...untrusted, '-verify_hostname', NAME, cert]);
      expect(forBank.ok).toBe(false);
      expect(forBank.output).toContain('error 62 at 0 depth lookup: hostname mismatch');
    });
  });
});
