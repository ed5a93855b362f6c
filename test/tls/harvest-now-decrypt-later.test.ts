/**
 * Harvest now, decrypt later in real bytes: the hybrid X25519MLKEM768 key share (0x11EC,
 * draft-ietf-tls-ecdhe-mlkem) as Wireshark and OpenSSL read it.
 * - tshark (Wireshark's dissector) opens the teacher's capture of a round in which a careful
 *   Alice's up-to-date browser and the bank agreed X25519MLKEM768: it names group 0x11EC in
 *   both hellos with a 1216-byte share from Alice and a 1120-byte share from the bank, and the
 *   capture's key log (the traffic secrets alone: Wireshark never needs the key exchange) opens
 *   Alice's transfer, PIN included. Her recording, without keys, shows no request.
 * - OpenSSL speaks X25519MLKEM768 from 3.5 on: where this machine's `openssl` knows the group,
 *   `s_client -groups X25519MLKEM768` fetches the engine bank's page over it. Debian 12's
 *   OpenSSL 3.0 does not know it: that test is skipped, saying so and why, and the tshark test
 *   above is the proof that the bytes are right.
 * Skipped, saying so, without `tshark` or `openssl`.
 */
import type net from 'node:net';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { simulateRound } from '../../shared/src/play/simulate.ts';
import { attackerCapture, teacherCapture } from '../../shared/src/capture/round-capture.ts';
import { POST_QUANTUM_GROUPS } from '../../shared/src/round/events.ts';
import { engineServer } from '../../tools/tls/serve.ts';
import { hasOpenssl, opensslRun, pemDir, sClientGet } from './openssl.ts';
import { bankFor, context, NAME, NOW } from './support.ts';

const hasTshark = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasTshark) console.warn('tshark is not installed: skipping the harvest-now-decrypt-later capture test (apt-get install tshark)');

/** OpenSSL knows the hybrid group from 3.5 on (its KEM list names it); 3.0 and 3.2 do not. */
const opensslVersion = hasOpenssl ? opensslRun(['version']).output.trim() : 'no openssl';
const opensslSpeaksHybrid = hasOpenssl && opensslRun(['list', '-kem-algorithms']).output.includes('X25519MLKEM768');
if (hasOpenssl && !opensslSpeaksHybrid) console.warn(`${opensslVersion} does not speak X25519MLKEM768 (OpenSSL 3.5 does): skipping the OpenSSL interop test; the tshark test proves the bytes`);

const files = pemDir();
afterAll(() => files.cleanup());

/** tshark with a fresh configuration directory: each frame the filter keeps, its fields tab-separated. */
function tshark(file: string, filter: string, fields: string[]): string[] {
  const result = spawnSync('tshark', ['-r', file, '-Y', filter, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8', env: { ...process.env, HOME: files.dir, XDG_CONFIG_HOME: files.dir } });
  return result.stdout.split('\n').filter((l) => l !== '');
}

describe.skipIf(!hasTshark)('harvest now, decrypt later: the teacher’s capture of a hybrid round, read by Wireshark (skipped when tshark is missing)', () => {
  const { round } = simulateRound(5, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' }, 'tls/harvest', { event: 'harvestNowDecryptLater', gameClock: NOW });
  const teacher = files.file('harvest-round.pcapng', teacherCapture(round));

  it('both hellos carry X25519MLKEM768 (4588 = 0x11EC): Alice’s share 1216 bytes (1184 + 32), the bank’s 1120 (1088 + 32); Alice lists it before X25519', () => {
    expect(round.result?.outcome).toBe('secure');
    const share = ['tls.handshake.type', 'tls.handshake.extensions_key_share_group', 'tls.handshake.extensions_key_share_key_exchange_length'];
    expect(tshark(teacher, 'tls.handshake.type == 1 || tls.handshake.type == 2', share)).toEqual(['1\t4588\t1216', '2\t4588\t1120']);
    expect(tshark(teacher, 'tls.handshake.type == 1', ['tls.handshake.extensions_supported_group'])).toEqual(['0x11ec,0x001d']);
  });

  it('the capture’s key log opens Alice’s transfer, PIN included; her recording, without keys, shows no request', () => {
    const recording = files.file('harvest-attacker.pcapng', attackerCapture(round));
    const { pin, to, amount } = round.client.order;
    const requests = ['http.request.method', 'http.request.uri', 'urlencoded-form.value'];
    expect(tshark(teacher, 'http.request', requests)).toEqual([`POST\t/transfer\t${pin},${to},${amount}`]);
    expect(tshark(recording, 'http.request', requests)).toEqual([]);
  });
});

describe.skipIf(!opensslSpeaksHybrid)(`openssl s_client -groups X25519MLKEM768 against the engine bank (skipped: ${opensslVersion} does not speak X25519MLKEM768, OpenSSL 3.5 does)`, () => {
  it('fetches the page over the hybrid group', async () => {
    const made = bankFor(5, 'hybrid');
    const bank = { ...made, server: { ...made.server, groups: POST_QUANTUM_GROUPS.server } };
    const server = engineServer(bank, { context: () => context('hybrid bank') });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (server.address() as net.AddressInfo).port;
      const output = await sClientGet(port, files.file('hybrid-root.pem', bank.rootPem), NAME, ['-groups', 'X25519MLKEM768'], /Heist Bank: bank\.example/);
      expect(output).toContain('Negotiated TLS1.3 group: X25519MLKEM768');
      expect(output).toContain('Heist Bank: bank.example');
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
