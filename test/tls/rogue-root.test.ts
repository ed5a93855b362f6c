/**
 * A rogue root in real bytes: the certificates the event puts in play, read by OpenSSL, and the
 * teacher's capture of a round in which Alice installed the root, read by Wireshark (tshark).
 * Rounds are dated at the real clock (OpenSSL checks validity against it).
 * - Mallory's root is a CA certificate any tool takes as one: self-signed, basicConstraints
 *   cA TRUE, keyUsage keyCertSign. With it as the trust store, `openssl verify -x509_strict`
 *   accepts her bank.example certificate for bank.example as a TLS server; with the store Alice's
 *   browser came with (the game's root), or this machine's own, it fails: no issuer it trusts.
 * - The teacher's capture opens by its key log and shows Alice's transfer twice: sent to what she
 *   took for the bank (Mallory's gateway, at the bank's address), then relayed from Mallory's
 *   own address; the attacker's recording, without keys, shows none of it — but the forged
 *   certificate crossing the Wi-Fi in the clear at TLS 1.2, issuer and all.
 * Skipped, saying so, without `openssl` or `tshark`.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it, afterAll } from 'vitest';
import { simulateRound } from '../../shared/src/play/simulate.ts';
import { rootPem } from '../../shared/src/capture/key-files.ts';
import { attackerCapture, teacherCapture } from '../../shared/src/capture/round-capture.ts';
import { certificatePem } from '../../shared/src/pki/certificate.ts';
import { levelLabel } from '../../shared/src/levels/texts/index.ts';
import type { Round } from '../../shared/src/round/state.ts';
import { ADDRESSES, ROGUE_ROOT_NAME } from '../../shared/src/round/world.ts';
import type { Level } from '../../shared/src/round/types.ts';
import { hasOpenssl, opensslRun as run, pemDir } from './openssl.ts';
import { NAME, NOW } from './support.ts';

const hasTshark = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasTshark) console.warn('tshark is not installed: skipping the rogue-root capture test (apt-get install tshark)');

const files = pemDir();
afterAll(() => files.cleanup());

const played = new Map<Level, Round>();
/** A round in which the careless client installed the café certificate, dated now (played once per level). */
function installedRound(level: Level): Round {
  const round = played.get(level) ?? simulateRound(level, { client: 'careless', server: 'standard', ca: 'strict', attacker: 'passive' }, `tls/rogue/${level}`, { event: 'rogueRoot', gameClock: NOW }).round;
  played.set(level, round);
  expect(round.result?.outcome).toBe('impersonated');
  return round;
}

describe.skipIf(!hasOpenssl)('a rogue root: Mallory’s certificates, read by OpenSSL (skipped when the openssl command is missing)', () => {
  describe.each(([4, 6, 5, 7] as const).map((level) => ({ level, label: levelLabel(level) })))('level $label', ({ level, label }) => {
    it('her root is a CA; her bank.example certificate verifies with her root as the store, and not with the store Alice’s browser came with', () => {
      const round = installedRound(level);
      const shown = round.attacker.proxy?.downstream?.config.certificate;
      expect(shown).toBe(round.attacker.rogueRoot?.forged);
      const rogue = files.file(`rogue-root-${label}.pem`, certificatePem(round.attacker.rogueRoot!.root));
      const forged = files.file(`forged-${label}.pem`, certificatePem(shown!));
      const shipped = files.file(`heist-root-${label}.pem`, rootPem(round));

      expect(run(['x509', '-in', rogue, '-noout', '-subject', '-issuer', '-ext', 'basicConstraints,keyUsage'])).toEqual({
        ok: true,
        output: `subject=CN = ${ROGUE_ROOT_NAME}\nissuer=CN = ${ROGUE_ROOT_NAME}\nX509v3 Basic Constraints: critical\n    CA:TRUE\nX509v3 Key Usage: critical\n    Certificate Sign\n`,
      });
      expect(run(['verify', '-x509_strict', '-CAfile', rogue, rogue])).toEqual({ ok: true, output: `${rogue}: OK\n` });
      expect(run(['x509', '-in', forged, '-noout', '-subject', '-issuer', '-ext', 'subjectAltName'])).toEqual({ ok: true, output: `subject=CN = ${NAME}\nissuer=CN = ${ROGUE_ROOT_NAME}\nX509v3 Subject Alternative Name: \n    DNS:${NAME}\n` });

      // Installed: the chain builds to a trusted root, for the right name, as a TLS server's, in date.
      expect(run(['verify', '-x509_strict', '-CAfile', rogue, forged])).toEqual({ ok: true, output: `${forged}: OK\n` });
      expect(run(['verify', '-x509_strict', '-CAfile', rogue, '-verify_hostname', NAME, '-purpose', 'sslserver', forged])).toEqual({ ok: true, output: `${forged}: OK\n` });
      // The real stores: the game's root, as Alice's browser shipped it, and this machine's own.
      for (const store of [['-CAfile', shipped], []]) {
        const verdict = run(['verify', '-x509_strict', ...store, forged]);
        expect(verdict.ok, store.join(' ') || 'the system store').toBe(false);
        expect(verdict.output).toContain('error 20 at 0 depth lookup: unable to get local issuer certificate');
      }
    });
  });
});

/** tshark with a fresh configuration directory: each frame the filter keeps, its fields tab-separated. */
function tshark(file: string, filter: string, fields: string[]): string[] {
  const result = spawnSync('tshark', ['-r', file, '-Y', filter, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8', env: { ...process.env, HOME: files.dir, XDG_CONFIG_HOME: files.dir } });
  return result.stdout.split('\n').filter((l) => l !== '');
}

describe.skipIf(!hasTshark)('a rogue root: the teacher’s capture, read by Wireshark (skipped when tshark is missing)', () => {
  const [alice, mallory, bank] = (['client', 'attacker', 'server'] as const).map((e) => ADDRESSES[e].split(' ')[0]!);

  it.each([
    { level: 4 as Level, version: 'TLS 1.2 (RSA key transport)' },
    { level: 5 as Level, version: 'TLS 1.3' },
  ])('level $level ($version): the key log opens both of Mallory’s sessions — Alice’s transfer to her gateway, and the same transfer relayed to the bank', ({ level }) => {
    const round = installedRound(level);
    const teacher = files.file(`rogue-${level}-round.pcapng`, teacherCapture(round));
    const recording = files.file(`rogue-${level}-attacker.pcapng`, attackerCapture(round));
    const { pin, to, amount } = round.client.order;
    const requests = ['ip.src', 'ip.dst', 'http.request.method', 'http.request.uri', 'urlencoded-form.value'];
    // The careless first visit asks http:// first (in the clear), then her transfer goes over TLS — to Mallory's gateway, which relays it.
    expect(tshark(teacher, 'http.request', requests)).toEqual([`${alice}\t${bank}\tGET\t/\t`, `${alice}\t${bank}\tPOST\t/transfer\t${pin},${to},${amount}`, `${mallory}\t${bank}\tPOST\t/transfer\t${pin},${to},${amount}`]);
    expect(tshark(recording, 'http.request', requests)).toEqual([`${alice}\t${bank}\tGET\t/\t`]);
  });

  it('level 4: without any key, the recording shows what each side was shown — Alice the root’s certificate, the bank’s leg the CA’s', () => {
    const recording = files.file('rogue-4-certificates.pcapng', attackerCapture(installedRound(4)));
    expect(tshark(recording, 'tls.handshake.type == 11', ['ip.dst', 'x509sat.uTF8String'])).toEqual([`${alice}\t${ROGUE_ROOT_NAME},${NAME}`, `${mallory}\tHeist Root CA,${NAME}`]);
  });
});
