/**
 * The first-visit event's header in real bytes (RFC 6797 §6.1, §7.1, §7.2): Wireshark's own
 * dissector (tshark) reads the teacher's capture, decrypted by its key log, and finds the bank's
 * Strict-Transport-Security line in its HTTPS answers — never in a plain http:// answer: the
 * bank's port-80 redirect has none, and in a stripped round the plain answers Mallory passes on
 * have it removed, while her own HTTPS session with the bank carries it. Skipped, saying so,
 * where tshark is not installed (Debian: tshark).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { simulateRound } from '../../shared/src/play/simulate.ts';
import { teacherCapture } from '../../shared/src/capture/round-capture.ts';
import type { Round } from '../../shared/src/play/round.ts';

const hasTshark = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasTshark) console.warn('tshark is not installed: skipping the HSTS header test (apt-get install tshark)');

const dir = mkdtempSync(path.join(os.tmpdir(), 'heist-hsts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const STS = 'Strict-Transport-Security: max-age=31536000; includeSubDomains; preload\\r\\n';

/** Each HTTP answer in the teacher's capture: whether it came inside TLS, its status, and its Strict-Transport-Security line if any. */
function answers(round: Round, name: string): string[] {
  const file = path.join(dir, `${name}.pcapng`);
  writeFileSync(file, teacherCapture(round));
  const result = spawnSync('tshark', ['-r', file, '-Y', 'http.response', '-T', 'fields', '-E', 'occurrence=l', '-e', 'tls.record.content_type', '-e', 'http.response.code', '-e', 'http.response.line'], {
    encoding: 'utf8',
    env: { ...process.env, HOME: dir, XDG_CONFIG_HOME: dir },
  });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [tls, code, lines] = l.split('\t');
      const sts = (lines ?? '').split(',').find((h) => h.startsWith('Strict-Transport-Security'));
      return `${tls ? 'https' : 'http'} ${code}${sts ? ` ${sts}` : ''}`;
    });
}

describe.skipIf(!hasTshark)('the bank’s Strict-Transport-Security header, as Wireshark reads it', () => {
  it('a careless Alice’s first visit, unattacked: the plain redirect has no header; the HTTPS answer carries it', () => {
    const { round } = simulateRound(4, { client: 'careless', server: 'standard', ca: 'strict', attacker: 'none' }, 'tshark-hsts-first', { event: 'hstsFirstVisit' });
    expect(round.result?.outcome).toBe('secure');
    expect(answers(round, 'first')).toEqual(['http 301', `https 200 ${STS}`]);
  });

  it('stripped: Mallory’s HTTPS session with the bank gets the header; the plain answers she passes Alice have none', () => {
    const { round } = simulateRound(4, { client: 'careless', server: 'standard', ca: 'strict', attacker: 'strip' }, 'tshark-hsts-strip', { event: 'hstsFirstVisit' });
    expect(round.result?.outcome).toBe('eavesdropped');
    // The login page, then the transfer: each from the bank to Mallory over HTTPS, then from her to Alice in the clear.
    expect(answers(round, 'strip')).toEqual([`https 200 ${STS}`, 'http 200', `https 200 ${STS}`, 'http 200']);
  });
});
