/**
 * A downgrade to TLS 1.2 in real bytes (RFC 8446 §4.1.3): the engine's bank at the downgrade
 * event speaks TLS 1.3 and, beside it, level 4e's TLS 1.2, and ends a TLS 1.2 ServerHello.random
 * with the sentinel 44 4F 57 4E 47 52 44 01.
 * - `openssl s_client -tls1_2` (a client that speaks 1.2 alone, so it has nothing to check) gets
 *   the page over TLS 1.2 from `npm run tls -- serve --level 5 --also-tls12`, and the ServerHello
 *   it printed ends its random with the sentinel.
 * - OpenSSL speaking 1.3, through a relay that crosses 1.3 off its ClientHello (Mallory's edit),
 *   refuses the bank's 1.2 answer: "inappropriate fallback" — the engine's sentinel is the one
 *   OpenSSL checks — and the bank hears illegal_parameter.
 * - tshark reads the teacher's capture of a careful Alice's round: the edited ClientHello
 *   (supported_versions TLS 1.2 alone), the bank's ServerHello in TLS 1.2 with the sentinel, and
 *   Alice's illegal_parameter alert.
 * Skipped, saying so, without `openssl` or `tshark`.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { simulateRound } from '../../shared/src/play/simulate.ts';
import { teacherCapture } from '../../shared/src/capture/round-capture.ts';
import { decodeMessage, encodeMessage } from '../../shared/src/messages/codec.ts';
import { setField } from '../../shared/src/messages/field-edit.ts';
import { hasOpenssl, openssl, pemDir, sClientGet } from './openssl.ts';
import { relay } from './proxy.ts';
import { bankFor, NAME, NOW, serveEngine, type Closed } from './support.ts';
import type { Bank } from '../../tools/tls/bank.ts';
import { main, serve } from '../../tools/tls/cli.ts';

const hasTshark = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasTshark) console.warn('tshark is not installed: skipping the downgrade capture test (apt-get install tshark)');
if (!hasOpenssl) console.warn('openssl is not installed: skipping the downgrade interop tests');

const SENTINEL = '444f574e47524401';
const files = pemDir();
afterAll(() => files.cleanup());

/** Level 5's bank, as the downgrade event sets it up: it also speaks TLS 1.2. */
function downgradeBank(seed: string): Bank {
  const bank = bankFor(5, seed);
  return { ...bank, server: { ...bank.server, alsoTls12: true } };
}

/** The random of the ServerHello `openssl s_client -msg` printed: the hex after its header (4 bytes) and version (2). */
function serverHelloRandom(output: string): string {
  const m = /<<< TLS 1\.2, Handshake \[length [0-9a-f]+\], ServerHello\n((?:\s+(?:[0-9a-f]{2} ?)+\n)+)/.exec(output);
  expect(m, 'openssl printed the ServerHello').not.toBeNull();
  const hex = m![1]!.replace(/\s+/g, '');
  expect(hex.slice(0, 2)).toBe('02'); // ServerHello
  expect(hex.slice(8, 12)).toBe('0303'); // legacy_version TLS 1.2
  return hex.slice(12, 76);
}

describe.skipIf(!hasOpenssl)('the downgrade event’s bank against OpenSSL (skipped without openssl)', () => {
  it('npm run tls -- serve --level 5 --also-tls12: openssl s_client -tls1_2 gets the page over TLS 1.2 (ECDHE-ECDSA-AES128-GCM-SHA256), and the bank’s random ends with the sentinel', async () => {
    const dir = path.join(files.dir, 'serve-also-tls12');
    const lines: string[] = [];
    const server = await serve(['--level', '5', '--port', '0', '--dir', dir, '--also-tls12'], { out: (l) => lines.push(l), err: (l) => lines.push(l) });
    try {
      const speaks = 'TLS 1.3, TLS_AES_128_GCM_SHA256 with X25519 or P-256; or, to a client that offers no TLS 1.3, TLS 1.2, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 with P-256';
      expect(lines[0]).toBe(`serving https://bank.example:${server.port}/ (level 5: ${speaks})`);
      const output = await sClientGet(server.port, path.join(dir, 'root.pem'), NAME, ['-tls1_2', '-msg'], /served by the Handshake Heist engine/);
      expect(output).toContain('Protocol version: TLSv1.2');
      expect(output).toContain('Ciphersuite: ECDHE-ECDSA-AES128-GCM-SHA256');
      expect(output).toContain(`Heist Bank: bank.example\nThis page came over ${speaks}, served by the Handshake Heist engine.`);
      expect(serverHelloRandom(output).slice(48)).toBe(SENTINEL);
    } finally {
      await server.close();
    }
  });

  it('--also-tls12 needs a level that speaks TLS 1.3: at 4e it is a usage mistake (exit 2)', async () => {
    const errors: string[] = [];
    expect(await main(['serve', '--level', '4e', '--port', '0', '--dir', path.join(files.dir, 'serve-4e'), '--also-tls12'], { out: () => undefined, err: (l) => errors.push(l) })).toBe(2);
    expect(errors[0]).toMatch(/^--also-tls12 needs a level that speaks TLS 1\.3 \(level 5\), not level 4e\nusage:/);
  });

  it('OpenSSL speaking TLS 1.3, its offer edited on the way to TLS 1.2 alone: it refuses the bank’s 1.2 answer (inappropriate fallback), and the bank hears illegal_parameter', async () => {
    const bank = downgradeBank('downgrade openssl careful');
    const server = await serveEngine(bank);
    let edited: number[] | undefined;
    // Mallory: the first record to the bank is OpenSSL's ClientHello; she writes TLS 1.2 alone into its supported_versions.
    const mallory = await relay(server.port, (record, direction, seen) => {
      if (direction !== 'toServer' || seen.length > 0) return record.bytes;
      // OpenSSL's first record says TLS 1.0 (0x0301) in its header, as RFC 8446 §5.1 allows; the game's codec reads 0x0303 alone.
      const header = record.bytes.slice(1, 3);
      const hello = decodeMessage(Uint8Array.of(record.bytes[0]!, 3, 3, ...record.bytes.subarray(3)));
      if (hello.type !== 'ClientHello') return record.bytes;
      const at = hello.extensions.findIndex((e) => e.type === 'supported_versions');
      const changed = setField(hello, `extensions.${at}.versions`, '0x0303');
      edited = changed.type === 'ClientHello' ? (changed.extensions[at] as { versions: number[] }).versions : undefined;
      const bytes = encodeMessage(changed);
      bytes.set(header, 1);
      return bytes;
    });
    try {
      const client = openssl(['s_client', '-connect', `127.0.0.1:${mallory.port}`, '-servername', NAME, '-CAfile', files.file('downgrade-root-2.pem', bank.rootPem), '-verify_return_error', '-brief']);
      client.child.stdin.end();
      await client.exited;
      expect(edited).toEqual([0x0303]);
      expect(client.output()).toMatch(/inappropriate fallback/);
      const closed: Closed = await server.closed;
      expect(closed.failure).toEqual({ reason: 'peerAlert', description: 'illegal_parameter' });
    } finally {
      await mallory.close();
      await server.close();
    }
  });
});

/** tshark with a fresh configuration directory: each frame the filter keeps, its fields tab-separated. */
function tshark(file: string, filter: string, fields: string[]): string[] {
  const result = spawnSync('tshark', ['-r', file, '-Y', filter, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8', env: { ...process.env, HOME: files.dir, XDG_CONFIG_HOME: files.dir } });
  return result.stdout.split('\n').filter((l) => l !== '');
}

describe.skipIf(!hasTshark)('the downgrade in the teacher’s capture, read by Wireshark (skipped when tshark is missing)', () => {
  it('the ClientHello offers TLS 1.2 alone, the bank answers in TLS 1.2 with the sentinel, and Alice sends illegal_parameter (47)', () => {
    const { round } = simulateRound(5, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'tamper' }, 'tls/downgrade', { event: 'versionDowngrade', gameClock: NOW });
    expect(round.result?.outcome).toBe('attackDetected');
    const capture = files.file('downgrade-round.pcapng', teacherCapture(round));
    expect(tshark(capture, 'tls.handshake.type == 1', ['tls.handshake.extensions.supported_version'])).toEqual(['0x0303']);
    const [serverHello] = tshark(capture, 'tls.handshake.type == 2', ['tls.handshake.version', 'tls.handshake.random', 'tls.handshake.ciphersuite']);
    const [version, random, suite] = serverHello!.split('\t');
    expect([version, random!.slice(48), suite]).toEqual(['0x0303', SENTINEL, '0xc02b']);
    expect(tshark(capture, 'tls.alert_message', ['tls.alert_message.level', 'tls.alert_message.desc'])).toEqual(['2\t47']);
  });
});
